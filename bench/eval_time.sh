#!/bin/sh
# eval_time.sh: TempEval-3 Task A evaluation of `chronicle tag-time`.
#
#   bench/eval_time.sh [platinum|dev|peer] [--errors|--all]
#
# platinum (the default) tags the raw TE3-platinum-test inputs and scores
# them against the te3-platinum gold with bench/eval_time.c (our own
# scorer, written from the TE3 definitions).  dev does the same on
# TBAQ-cleaned (TimeBank + AQUAINT), whose gold is stripped to make the
# inputs: that is the development set.  peer scores chrono-node
# (bench/time-peer) on the platinum inputs.  The platinum gold is only
# ever read by the scorer.  Skips cleanly when ../shared is absent.
set -e
MODE=${1:-platinum}
ERR=${2:-}
BUILD=${BUILD:-build}
SHARED=${CHR_SHARED:-../shared}
TE3=$SHARED/data/tempeval3
TAGGER=${CHR_TAGGER:-$BUILD/chronicle}
if [ ! -d "$TE3/te3-platinum" ]; then
	echo "eval-time: skipped: $TE3 not found (the evaluation data lives in ../shared)"
	exit 0
fi
mkdir -p "$BUILD/bench"
SCORER=$BUILD/bench/eval_time
if [ ! -x "$SCORER" ] || [ bench/eval_time.c -nt "$SCORER" ]; then
	${CC:-cc} -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o "$SCORER" bench/eval_time.c
fi
OUT=$BUILD/eval-time/$MODE
rm -rf "$OUT"; mkdir -p "$OUT/sys"
now() { date +%s.%N; }
# The gold file a TE3 input is scored against: the one named by the
# input's <DOCID> (file names can differ: the platinum release has
# nyt_20130321_sarkozy.tml.TE3input for the gold nyt_20130321_sarcozy.tml).
gold_name() {
	id=$(sed -n 's:.*<DOCID>\(.*\)</DOCID>.*:\1:p' "$1" | head -n 1)
	if [ -n "$id" ]; then echo "$id.tml"; else basename "$1" .TE3input; fi
}
case $MODE in
platinum)
	t0=$(now)
	for f in "$TE3"/TE3-platinum-test/*.TE3input; do
		"$TAGGER" tag-time --format timeml "$f" >"$OUT/sys/$(gold_name "$f")"
	done
	t1=$(now)
	echo "tagged $(ls "$OUT/sys" | wc -l) documents in $(echo "$t1 - $t0" | bc) s (one process per document)"
	"$SCORER" $ERR --name "chronicle, TE3-platinum" "$TE3/te3-platinum" "$OUT/sys"
	;;
dev)
	mkdir -p "$OUT/gold" "$OUT/in"
	for f in "$TE3"/TBAQ-cleaned/TimeBank/*.tml "$TE3"/TBAQ-cleaned/AQUAINT/*.tml; do
		b=$(basename "$f")
		ln -sf "$(cd "$(dirname "$f")" && pwd)/$b" "$OUT/gold/$b"
		"$SCORER" --make-input "$f" >"$OUT/in/$b"
		"$TAGGER" tag-time --format timeml "$OUT/in/$b" >"$OUT/sys/$b"
	done
	"$SCORER" $ERR --name "chronicle, TBAQ-cleaned (dev)" "$OUT/gold" "$OUT/sys"
	;;
peer)
	PEER=bench/time-peer
	if [ ! -d "$PEER/node_modules/chrono-node" ]; then
		(cd "$PEER" && npm ci --silent) || { echo "eval-time: peer skipped: npm ci failed"; exit 0; }
	fi
	node "$PEER/run.js" "$TE3/TE3-platinum-test" "$OUT/sys"
	for f in "$TE3"/TE3-platinum-test/*.TE3input; do
		b=$(basename "$f" .TE3input); g=$(gold_name "$f")
		[ "$b" = "$g" ] || [ ! -f "$OUT/sys/$b" ] || mv "$OUT/sys/$b" "$OUT/sys/$g"
	done
	"$SCORER" $ERR --name "chrono-node, TE3-platinum" "$TE3/te3-platinum" "$OUT/sys"
	;;
*)
	echo "usage: bench/eval_time.sh [platinum|dev|peer] [--errors|--all]" >&2
	exit 2
	;;
esac
