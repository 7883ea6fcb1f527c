#!/bin/sh
# CLI: crash safety of ingest (issue 9), short version.
#
# Design note: a few thousand small synthetic articles (made up here with
# awk, every body different) are ingested with --batch 50, and the ingest
# is killed with SIGKILL after a random few to ~100 ms, again and again,
# cycling through one, two and three threads.  After every kill the file
# must pass PRAGMA integrity_check, the count must never go down, every
# article seen before must still be there, every batch the run reported as committed
# (--progress-log) must be there, and the rows must be exactly the first
# COUNT articles of the input, in order, once each.  A last run to the end
# must then hold every distinct input article exactly once.
# CRASH_SEED=N replays one sequence of delays; CRASH_RUNS=N sets the runs.
. tests/cli/lib.sh

command -v sqlite3 >/dev/null 2>&1 || { echo "skip: no sqlite3 CLI (scripts/deps.sh installs it)"; finish; exit; }

N=${CRASH_ARTICLES:-3000}
RUNS=${CRASH_RUNS:-30}
SEED=${CRASH_SEED:-$(awk 'BEGIN { srand(); print int(rand() * 1000000) }')}
DB="$T/db"
IN="$T/in.jsonl"
echo "crash test: $N articles, $RUNS kills, seed $SEED"

# Synthetic wire copy: 40 words drawn from a small vocabulary plus a
# serial number, so no two bodies are alike.
awk -v n="$N" -v seed="$SEED" 'BEGIN {
	srand(seed)
	nw = split("harbour bridge council spaceport talks rain strike vote summit minister delegation border treaty market port railway drought election ceasefire envoy", w, " ")
	for (i = 1; i <= n; i++) {
		t = ""
		for (j = 0; j < 40; j++)
			t = t w[int(rand() * nw) + 1] " "
		printf "{\"id\":\"c%05d\",\"title\":\"Story %d on the %s\",\"text\":\"%s(serial %d).\",\"date\":\"2024-01-%02d\"}\n", i, i, w[i % nw + 1], t, i, i % 28 + 1
	}
}' >"$IN"
awk -F'"' '{ print $4 }' "$IN" >"$T/ids"
check "input generated" [ "$(wc -l <"$T/ids")" -eq "$N" ]

q() { sqlite3 "$DB" "$1" 2>&1; }
count() { q 'SELECT count(*) FROM articles'; }

# Kill after 3 ms to ~100 ms; on a slow machine (a loaded CI box, ASan)
# up to half the time of one whole ingest, so that kills land mid-run.
t0=$(date +%s%N)
"$CHR_BIN" --db "$T/calib.db" ingest --batch 50 --quiet "$IN" >/dev/null 2>&1
t1=$(date +%s%N)
span=$(awk -v ns=$((t1 - t0)) 'BEGIN { s = ns / 2e9; print (s > 0.1 ? s : 0.1) }')
delays=$(awk -v s="$SEED" -v n="$RUNS" -v span="$span" 'BEGIN { srand(s + 1); for (i = 0; i < n; i++) printf "%.3f ", 0.003 + rand() * span }')

f_integrity=0; f_decrease=0; f_lost=0; f_committed=0; f_order=0; f_dups=0
killed=0; progressed=0
before=0
: >"$T/before"
run=0
for d in $delays; do
	run=$((run + 1))
	threads=$((run % 3 + 1))
	rm -f "$T/plog"
	"$CHR_BIN" --db "$DB" ingest --batch 50 --threads "$threads" --quiet \
		--progress-log "$T/plog" "$IN" >/dev/null 2>"$T/ingest.err" &
	pid=$!
	sleep "$d"
	kill -9 "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	[ $? = 137 ] && killed=$((killed + 1))

	# One sqlite3 process per run (each one costs a checkpoint).  A kill
	# before the first migration committed leaves no tables: count 0.
	rm -f "$T/ic" "$T/cnt" "$T/after" "$T/rows" "$T/dd"
	sqlite3 "$DB" >/dev/null 2>&1 <<EOF
.output $T/ic
PRAGMA integrity_check;
.output $T/cnt
SELECT count(*) FROM articles;
.output $T/after
SELECT id FROM articles ORDER BY id;
.output $T/rows
SELECT id FROM articles ORDER BY rowid;
.output $T/dd
SELECT count(*) - count(DISTINCT id) + count(*) - count(DISTINCT hash) FROM articles;
EOF
	ic=$(cat "$T/ic" 2>/dev/null)
	if [ "$ic" != ok ]; then f_integrity=$((f_integrity + 1)); echo "  run $run (${d}s): integrity_check: $ic" >&2; fi
	now=$(cat "$T/cnt" 2>/dev/null); now=${now:-0}
	touch "$T/after" "$T/rows"
	if [ "$now" -lt "$before" ]; then f_decrease=$((f_decrease + 1)); echo "  run $run: count went from $before to $now" >&2; fi
	[ "$now" -gt "$before" ] && progressed=$((progressed + 1))
	LC_ALL=C sort -o "$T/after" "$T/after"
	lost=$(LC_ALL=C comm -23 "$T/before" "$T/after" | wc -l)
	if [ "$lost" != 0 ]; then f_lost=$((f_lost + 1)); echo "  run $run: $lost articles lost" >&2; fi
	committed=$(tail -n 1 "$T/plog" 2>/dev/null | awk '/^committed [0-9]+$/ { print $2 }')
	committed=${committed:-0}
	if [ "$now" -lt $((before + committed)) ]; then f_committed=$((f_committed + 1)); echo "  run $run: reported $committed committed, count $before -> $now" >&2; fi
	# Batches commit in input order: the rows are a prefix of the input.
	if ! head -n "$now" "$T/ids" | cmp -s - "$T/rows"; then f_order=$((f_order + 1)); echo "  run $run: rows are not the first $now inputs" >&2; fi
	dd=$(cat "$T/dd" 2>/dev/null); dd=${dd:-0}
	if [ "$dd" != 0 ]; then f_dups=$((f_dups + 1)); echo "  run $run: duplicates ($dd)" >&2; fi
	before=$now
	mv "$T/after" "$T/before"
done
echo "  kills after 3 ms to ${span} s: $killed of $RUNS runs killed mid-way, $progressed added articles, $before stored before the last run"

check "integrity_check ok after every kill" [ "$f_integrity" = 0 ]
check "article count never decreases" [ "$f_decrease" = 0 ]
check "every article counted before a kill is still there" [ "$f_lost" = 0 ]
check "every batch reported committed is there" [ "$f_committed" = 0 ]
check "stored rows are a prefix of the input, in order" [ "$f_order" = 0 ]
check "no duplicate ids or hashes after a kill" [ "$f_dups" = 0 ]
# Once every article is in, a run may end before its kill: fine, but a
# good share of the runs must have been cut short.
check "a quarter of the runs were really killed mid-ingest" [ "$killed" -ge $((RUNS / 4)) ]
# On a loaded machine the first runs may store most of the input, so one
# run that committed batches and was then killed is the bar.
check "kills happened after some commits" [ "$progressed" -ge 1 ]

# Finish the job: everything left is stored, once.
expect_rc 0 "ingest to completion after the kills" "$CHR_BIN" --db "$DB" ingest --batch 50 "$IN"
check "the last run stores exactly the rest" contains "$T/out" "stored $((N - before)), duplicates $before, rejected 0"
check "integrity_check ok at the end" [ "$(q 'PRAGMA integrity_check')" = ok ]
check "FTS index consistent" sqlite3 "$DB" "INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)"
check "count equals the input" [ "$(count)" = "$N" ]
check "no duplicate ids" [ "$(q 'SELECT count(DISTINCT id) FROM articles')" = "$N" ]
check "no duplicate content" [ "$(q 'SELECT count(DISTINCT hash) FROM articles')" = "$N" ]
q 'SELECT id FROM articles' | LC_ALL=C sort >"$T/final"
LC_ALL=C sort "$T/ids" >"$T/ids.sorted"
check "exactly the input ids" cmp -s "$T/final" "$T/ids.sorted"
expect_rc 0 "a second full run" "$CHR_BIN" --db "$DB" ingest "$IN"
check "the second full run stores nothing" contains "$T/out" "stored 0, duplicates $N, rejected 0"
finish
