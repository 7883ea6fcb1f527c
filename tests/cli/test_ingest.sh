#!/bin/sh
# CLI: ingest of messy folders, idempotence, rejections and exit codes.
. tests/cli/lib.sh

mkdir -p "$T/in/sub"
printf 'A headline about harbour cranes\n\nDock workers in Portsalt stopped work on Monday.\n' >"$T/in/good.txt"
printf 'Second story\n\nThe council voted 7 to 2 for the bridge.\n' >"$T/in/sub/other.txt"
printf '\177ELF\002\001\001\000\000\000\000\000binary' >"$T/in/prog.bin"
printf 'Caf\351 owners protest\n\nThe caf\351 association said prices rose.\n' >"$T/in/latin1.txt"
: >"$T/in/empty.txt"
printf '{"id":"j1","title":"One","text":"First line story."}\n{"id":"j2","title":"Two","text":"Second line story."}\n{"id":"j3","title":"Three","te' >"$T/in/feed.jsonl"

expect_rc 1 "ingest of a folder with bad files exits 1" chr ingest "$T/in"
check "binary file named" contains "$T/err" "prog.bin:byte [0-9]*: binary"
check "empty file named" contains "$T/err" "empty.txt: empty file"
check "truncated JSON named with its line" contains "$T/err" "feed.jsonl:3: truncated JSON"
check "non-UTF-8 file named" contains "$T/err" "latin1.txt: warning: invalid UTF-8"
check "summary line" contains "$T/out" "stored 5, duplicates 0, rejected 3"
chr articles --json >"$T/list"
check "complete JSON lines stored" contains "$T/list" '"id":"j2"'
check "text files stored with their stem as id" contains "$T/list" '"id":"other"'
check "Windows-1252 decoded" contains "$T/list" 'Café owners protest'
check "decoding noted" contains "$T/list" 'decoded as Windows-1252'

expect_rc 1 "second ingest still reports the bad files" chr ingest "$T/in"
check "second ingest stores nothing new" contains "$T/out" "stored 0, duplicates 5, rejected 3"
n=$(chr articles --json | wc -l)
check "five articles after two ingests" [ "$n" = 5 ]

# id collision with different content gets a suffix
mkdir -p "$T/in2"; printf 'Other good\n\nA different body.\n' >"$T/in2/good.txt"
expect_rc 0 "clean folder exits 0" chr ingest "$T/in2"
check "colliding id suffixed" sh -c "'$CHR_BIN' --db '$T/db' article good-2 >/dev/null"

# stdin, JSON Lines and plain text
expect_rc 0 "JSON Lines from stdin" sh -c "printf '{\"id\":\"s1\",\"text\":\"From stdin.\"}\n' | '$CHR_BIN' --db '$T/db' ingest -"
check "stdin article stored" sh -c "'$CHR_BIN' --db '$T/db' article s1 >/dev/null"

# size ceiling
head -c 3000 /dev/zero | tr '\0' 'a' >"$T/big.txt"
expect_rc 1 "article over --max-bytes rejected" chr ingest --max-bytes 1000 "$T/big.txt"
check "size rejection named" contains "$T/err" "big.txt: article over the 1000-byte limit"

# one thread and two threads store the same thing, with the same messages
"$CHR_BIN" --db "$T/one" ingest --threads 1 "$T/in" >"$T/o1" 2>"$T/e1"
"$CHR_BIN" --db "$T/two" ingest --threads 2 "$T/in" >"$T/o2" 2>"$T/e2"
"$CHR_BIN" --db "$T/one" articles --json >"$T/l1"
"$CHR_BIN" --db "$T/two" articles --json >"$T/l2"
check "threads: same articles" cmp -s "$T/l1" "$T/l2"
check "threads: same messages in the same order" cmp -s "$T/e1" "$T/e2"
check "threads: same summary" cmp -s "$T/o1" "$T/o2"

# several text workers: results come back in input order, with rejections
# and notes interleaved where they were read (a mixed feed of 60 lines)
i=0
while [ $i -lt 60 ]; do
	case $((i % 7)) in
	3) printf '{"id":"m%d","title":"Bad %d","text":' $i $i ;;
	5) printf '{"id":"m%d","title":"","text":""}' $i ;;
	*) printf '{"id":"m%d","title":"Story %d","text":"Harbour %d: the port of Portsalt moved %d crates on Monday, officials said."}' $i $i $i $((i * 13)) ;;
	esac
	printf '\n'
	i=$((i + 1))
done >"$T/mixed.jsonl"
for t in 1 3 5; do
	"$CHR_BIN" --db "$T/w$t" ingest --threads $t "$T/mixed.jsonl" "$T/in" >"$T/wo$t" 2>"$T/we$t"
	"$CHR_BIN" --db "$T/w$t" articles --json >"$T/wl$t"
done
check "workers: bad lines rejected" contains "$T/we1" "mixed.jsonl:4: truncated JSON"
check "workers: 3 threads, same articles" cmp -s "$T/wl1" "$T/wl3"
check "workers: 5 threads, same articles" cmp -s "$T/wl1" "$T/wl5"
check "workers: same messages in the same order" cmp -s "$T/we1" "$T/we5"
check "workers: same summary" cmp -s "$T/wo1" "$T/wo5"

# --profile: every stage's seconds on each progress-log line, totals on stderr
expect_rc 0 "ingest --profile" "$CHR_BIN" --db "$T/prof" ingest --profile --batch 1 --progress-log "$T/plog" "$T/in2"
check "profile: log line carries stage seconds" grep -Eq '^committed 1 .*entities-store=[0-9.]+ .*commit=[0-9.]+( [a-z-]+=[0-9.]+)*$' "$T/plog"
check "profile: totals on stderr" contains "$T/err" "^profile commit "
"$CHR_BIN" --db "$T/prof2" ingest --batch 1 --progress-log "$T/plog2" "$T/in2" >/dev/null 2>&1
check "no profile: log lines are only 'committed N'" sh -c "! grep -v '^committed [0-9]*$' '$T/plog2' && [ -s '$T/plog2' ]"

# usage errors
expect_rc 2 "no paths is a usage error" chr ingest
expect_rc 2 "unknown option is a usage error" chr ingest --bogus x
expect_rc 2 "unknown command is a usage error" chr frobnicate
expect_rc 0 "help" chr ingest --help
expect_rc 1 "missing file exits 1" chr ingest "$T/nope.txt"
check "missing file named" contains "$T/err" "nope.txt: cannot open"
# Transactions of 8192 articles place events every 1024 (and at each
# commit), so any multiple of 1024 gives the events one transaction per
# 1024 did.  2,600 synthetic stories on 40 topics (each topic its own
# place, company, words and date; a third undated), so that events
# gather stories from both sides of the 1024-article boundaries.  (Where
# the passes end matters: a pass places its dated stories first.)
awk 'BEGIN {
	srand(7)
	nw = split("harbour bridge council spaceport talks rain strike vote summit minister delegation border treaty market port railway drought election ceasefire envoy", w, " ")
	ns = split("ka ro mi te su vo la ni pe zu", sy, " ")
	for (i = 1; i <= 2600; i++) {
		k = int(rand() * 40)
		place = toupper(substr(sy[k % ns + 1], 1, 1)) substr(sy[k % ns + 1], 2) sy[int(k / ns) + 1] "ville"
		t = "Officials in " place " said the " w[k % nw + 1] " with " sy[(k * 3) % ns + 1] sy[(k * 7) % ns + 1] "co would go ahead. "
		for (j = 0; j < 25; j++)
			t = t sy[(k + j) % ns + 1] sy[int(rand() * 3) + 1 + k % 5] "an "
		date = sprintf(",\"date\":\"20%02d-%02d-%02d\"", 10 + k % 13, k % 12 + 1, k % 28 + 1)
		if (rand() < 0.3)
			date = "" # undated: placed after the dated ones of its pass
		printf "{\"id\":\"b%05d\",\"title\":\"%s %s %s\",\"text\":\"%s(serial %d).\"%s}\n", i, place, w[k % nw + 1], w[(k * 7) % nw + 1], t, i, date
	}
}' >"$T/many.jsonl"
for b in 1024 3072 default; do
	opt="--batch $b"; [ "$b" = default ] && opt=
	"$CHR_BIN" --db "$T/b$b" ingest --quiet $opt "$T/many.jsonl" >/dev/null 2>&1
	"$CHR_BIN" --db "$T/b$b" events --json >"$T/ev$b" 2>&1
	"$CHR_BIN" --db "$T/b$b" storylines >"$T/st$b" 2>&1
done
"$CHR_BIN" --db "$T/b1024" events >"$T/evt" 2>&1
check "batches: events of 100 and more stories" sh -c "[ \$(awk 'NR > 1 && \$4 >= 100' '$T/evt' | wc -l) -ge 5 ]"
check "batches: 3072 a transaction, same events as 1024" cmp -s "$T/ev1024" "$T/ev3072"
check "batches: the default, same events as 1024" cmp -s "$T/ev1024" "$T/evdefault"
check "batches: the default, same storylines as 1024" cmp -s "$T/st1024" "$T/stdefault"

# Huge pages (src/core/tune.c): where the kernel's THP mode is "madvise" and
# glibc is 2.35 or later, the tool runs with glibc.malloc.hugetlb=1 in its
# environment (it re-executes itself once, keeping its process id and its
# stdin); CHRONICLE_HUGEPAGES=0 leaves it alone (the other cases:
# tests/unit/test_tune.c).  Read off
# /proc/PID/environ of an ingest waiting on stdin.
tunables_of() { # ENV... : prints the running ingest's GLIBC_TUNABLES
	rm -f "$T/fifo"; mkfifo "$T/fifo"
	env -u GLIBC_TUNABLES "$@" "$CHR_BIN" --db "$T/hp.db" ingest - <"$T/fifo" >/dev/null 2>&1 &
	hp=$!
	exec 3>"$T/fifo"
	seen=
	for _ in $(seq 50); do
		seen=$(tr '\0' '\n' <"/proc/$hp/environ" 2>/dev/null | grep '^GLIBC_TUNABLES=')
		[ -n "$seen" ] && break
		sleep 0.1
	done
	cat "/proc/$hp/comm" >"$T/comm" 2>/dev/null
	printf 'Hello.\n' >&3; exec 3>&-
	wait "$hp"
	echo "$seen"
}
glibc_ok=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{ split($2, v, "."); print (v[1] > 2 || (v[1] == 2 && v[2] >= 35)) }')
if grep -q '\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null && [ "$glibc_ok" = 1 ]; then
	check "huge pages: malloc tunable set" sh -c "[ '$(tunables_of)' = 'GLIBC_TUNABLES=glibc.malloc.hugetlb=1' ]"
	check "huge pages: the process keeps its name" sh -c "[ \"\$(cat '$T/comm')\" = '$(basename "$CHR_BIN" | cut -c1-15)' ]"
	check "huge pages: CHRONICLE_HUGEPAGES=0 opts out" sh -c "[ -z '$(tunables_of CHRONICLE_HUGEPAGES=0)' ]"
	check "huge pages: the ingest after the re-exec stored its article" sh -c "'$CHR_BIN' --db '$T/hp.db' articles | grep -q Hello"
else
	echo "  (huge pages: kernel THP mode is not madvise or glibc is older than 2.35; re-exec not tested)"
fi

finish
