#!/bin/sh
# CLI: resource limits of ingest (issue 9), short version; the long one is
# bench/scale_limits.sh.
#
# Design note: a JSON Lines stream of about 150 MB is made on the fly by
# awk and piped into `chronicle ingest -`, so it is never on disk: 2,000
# small synthetic articles, with articles over the 2 MiB size ceiling
# between them and, in the middle, one 128 MiB line.  The ingest must
# reject each oversized line with its line number, go on, store every
# normal article, and stay in bounded memory: its peak RSS (VmHWM, read
# while it waits for the end of the stream) must stay within 64 MB of the
# same command's peak on a small input, well under the 128 MiB line that a
# reader holding whole lines would need.  No /usr/bin/time needed.
. tests/cli/lib.sh

N=${LIMITS_ARTICLES:-2000}
BIG_EVERY=500       # an oversized (3 MiB) article after every 500 normal ones
HUGE_MB=128         # one line of this many MiB in the middle

# gen N BIG_EVERY HUGE_MB: the stream on stdout.  Oversized lines are
# valid JSON, so only their size gets them rejected.
gen() {
	awk -v n="$1" -v every="$2" -v huge="$3" 'BEGIN {
		nw = split("harbour bridge council spaceport talks rain strike vote summit minister delegation border treaty market port railway drought election ceasefire envoy", w, " ")
		mb = "x"; while (length(mb) < 1048576) mb = mb mb   # 1 MiB of x
		srand(7)
		for (i = 1; i <= n; i++) {
			t = ""
			for (j = 0; j < 30; j++) t = t w[int(rand() * nw) + 1] " "
			printf "{\"id\":\"l%05d\",\"title\":\"Story %d on the %s\",\"text\":\"%s(serial %d).\",\"date\":\"2024-02-%02d\"}\n", i, i, w[i % nw + 1], t, i, i % 28 + 1
			if (every && i % every == 0) {
				printf "{\"id\":\"big%d\",\"title\":\"Oversized\",\"text\":\"%s%s%s\"}\n", i, mb, mb, mb
			}
			if (huge && i == int(n / 2)) {
				printf "{\"id\":\"huge\",\"text\":\""
				for (k = 0; k < huge; k++) printf "%s", mb
				printf "\"}\n"
			}
		}
	}'
}

# run_peak NAME N EVERY HUGE: ingest the stream into $T/NAME.db; sets rc
# and peak (kB).  The generator sleeps before closing the pipe, so the
# ingest has read everything and waits on stdin when VmHWM is last read.
run_peak() {
	{ gen "$2" "$3" "$4"; sleep 1; } |
		"$CHR_BIN" --db "$T/$1.db" ingest --quiet - >"$T/$1.out" 2>"$T/$1.err" &
	pid=$!
	peak=0
	while kill -0 "$pid" 2>/dev/null; do
		v=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
		[ -n "$v" ] && [ "$v" -gt "$peak" ] && peak=$v
		sleep 0.1
	done
	wait "$pid"; rc=$?
}

if [ ! -r /proc/self/status ]; then echo "skip: no /proc"; finish; exit; fi

bytes=$(gen "$N" "$BIG_EVERY" "$HUGE_MB" | wc -c)
check "stream is over 140 MB" [ "$bytes" -gt 140000000 ]

run_peak small 200 0 0
base=$peak
check "small run exits 0" [ "$rc" = 0 ]

run_peak big "$N" "$BIG_EVERY" "$HUGE_MB"
nbig=$((N / BIG_EVERY + 1))
echo "  stream $((bytes / 1000000)) MB: peak RSS $((peak / 1024)) MB (small input: $((base / 1024)) MB)"
check "ingest with oversized lines exits 1" [ "$rc" = 1 ]
check "every normal article stored, every oversized one rejected" \
	contains "$T/big.out" "stored $N, duplicates 0, rejected $nbig"
check "oversized article named with its line" \
	contains "$T/big.err" "^-:$((BIG_EVERY + 1)): line over the 2097152-byte article limit"
check "the huge line named with its line" \
	contains "$T/big.err" "^-:$((N / 2 + N / 2 / BIG_EVERY + 1)): line over"
check "one rejection message per oversized line" [ "$(grep -c 'line over' "$T/big.err")" = "$nbig" ]
check "the last article is stored (the run went on)" \
	sh -c "'$CHR_BIN' --db '$T/big.db' article l$(printf %05d "$N") >/dev/null"
check "peak RSS was read" [ "$peak" -gt 0 ]
# AddressSanitizer keeps freed memory in quarantine (up to 256 MB), so its
# RSS says nothing about the reader's buffers: the bound is for real builds.
if grep -q __asan_init "$CHR_BIN" 2>/dev/null; then
	echo "  (ASan build: RSS bound not checked)"
else
	check "peak RSS within 64 MB of a small run's" [ "$peak" -lt $((base + 65536)) ]
fi
finish
