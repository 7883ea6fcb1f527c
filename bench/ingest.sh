#!/bin/sh
# bench/ingest.sh: whole-ingest throughput on Reuters-21578 next to gzip -6.
#
# Runs `chronicle ingest` on ../shared/data/reuters21578/articles.jsonl
# into a fresh database RUNS times (default 5) and `gzip -6` on the same
# bytes as many times, alternating so both see the same machine noise,
# and prints the medians: seconds, articles/s, MB/s, peak RSS, and the
# ratio to gzip.  Usage: bench/ingest.sh [RUNS]
set -eu
cd "$(dirname "$0")/.."
RUNS=${1:-5}
DATA=${CHR_SHARED:-../shared}/data/reuters21578/articles.jsonl
if [ ! -f "$DATA" ]; then echo "skip: $DATA not found (needs ../shared)"; exit 0; fi
BIN=build/chronicle
[ -x "$BIN" ] || make -s all
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
n=$(wc -l <"$DATA"); bytes=$(wc -c <"$DATA")
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
for i in $(seq "$RUNS"); do
	rm -f "$T"/db*
	/usr/bin/time -f "%e %M" -o "$T/t" "$BIN" --db "$T/db" ingest --quiet "$DATA" >"$T/out"
	cat "$T/t" >>"$T/chr"
	/usr/bin/time -f "%e %M" -o "$T/t" gzip -6 -c "$DATA" >/dev/null
	cat "$T/t" >>"$T/gz"
done
cs=$(cut -d' ' -f1 "$T/chr" | median); cm=$(cut -d' ' -f2 "$T/chr" | median)
gs=$(cut -d' ' -f1 "$T/gz" | median); gm=$(cut -d' ' -f2 "$T/gz" | median)
echo "input: $DATA ($n lines, $bytes bytes), $RUNS runs, medians"
echo "result: $(cat "$T/out")"
awk -v n="$n" -v b="$bytes" -v cs="$cs" -v cm="$cm" -v gs="$gs" -v gm="$gm" 'BEGIN {
	printf "%-18s %8s %12s %9s %12s\n", "", "seconds", "articles/s", "MB/s", "peak RSS MB"
	printf "%-18s %8.2f %12.0f %9.1f %12.1f\n", "chronicle ingest", cs, n/cs, b/cs/1e6, cm/1024
	printf "%-18s %8.2f %12s %9.1f %12.1f\n", "gzip -6", gs, "-", b/gs/1e6, gm/1024
	printf "ratio chronicle/gzip time: %.2f\n", cs/gs
}'
