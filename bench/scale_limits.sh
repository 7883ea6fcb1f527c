#!/bin/sh
# bench/scale_limits.sh: ingest of a ~1 GB JSON Lines stream in bounded
# memory (issue 9, "Resource limits"), the long version of
# tests/cli/test_limits.sh.
#
# Design note: the stream is made on the fly and piped into
# `chronicle ingest -`, so it never touches the disk: realistic articles
# from bench/gen_articles, an article over the 2 MiB ceiling after every
# 1,000 of them, and one line of HUGE MiB (default 256) in the middle.
# Every oversized line must be rejected with its line number and the run
# must go on; peak RSS (/usr/bin/time) must stay under LIMIT_MB (default
# 2048, the issue's budget for a million-article store): the stream holds
# ~160,000 articles, and the store's own memory at that size (the
# writer's 512 MB page cache, dedup's lists and doc cache, the events
# engine) is over a gigabyte whatever the lines are.  That the reader's
# own buffers stay small whatever the line (a skipped line is never held
# whole) is checked by tests/cli/test_limits.sh against a small run.
# Usage: bench/scale_limits.sh [MB [HUGE]]   (default 1024 and 256)
# Env:   CHR_BIN, CHR_GEN, CHR_SHARED as for bench/scale.sh; LIMIT_MB.
set -eu
cd "$(dirname "$0")/.."
MB=${1:-1024}
HUGE=${2:-256}
LIMIT_MB=${LIMIT_MB:-2048}
SHARED=${CHR_SHARED:-../shared}
BIN=${CHR_BIN:-build/chronicle}
GEN=${CHR_GEN:-build/bench/gen_articles}
EVERY=1000
if [ ! -f "$SHARED/data/reuters21578/articles.jsonl" ]; then
	echo "skip: $SHARED/data/reuters21578/articles.jsonl not found"; exit 0
fi
[ -x "$BIN" ] || make -s build/chronicle
[ -x "$GEN" ] || make -s build/bench/gen_articles
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

# Articles average ~1.5 kB; each oversized line is 3 MiB.
N=$(awk -v mb="$MB" -v huge="$HUGE" -v every="$EVERY" 'BEGIN {
	n = (mb - huge * 1.048576) * 1e6 / (1500 + 3 * 1048576 / every)
	print (n > every ? int(n) : every) }')
MID=$((N / 2))

stream() {
	"$GEN" "$N" 1 "$SHARED" 2>/dev/null | awk -v every="$EVERY" -v huge="$HUGE" -v mid="$MID" '
	BEGIN { mb = "x"; while (length(mb) < 1048576) mb = mb mb }
	{
		print
		if (NR % every == 0)
			printf "{\"id\":\"big%d\",\"title\":\"Oversized\",\"text\":\"%s%s%s\"}\n", NR, mb, mb, mb
		if (NR == mid) {
			printf "{\"id\":\"huge\",\"text\":\""
			for (k = 0; k < huge; k++) printf "%s", mb
			printf "\"}\n"
		}
	}'
}

stream | wc -c >"$T/bytes" &
stream | /usr/bin/time -f "%e %U %S %M" -o "$T/time" \
	"$BIN" --db "$T/db" ingest --quiet - >"$T/out" 2>"$T/err" || true
wait
# /usr/bin/time first notes the exit status 1 (rejections): last line
read -r wall usr sys maxrss <<EOF
$(tail -n 1 "$T/time")
EOF
bytes=$(cat "$T/bytes")
rej=$(grep -c 'line over the' "$T/err" || true)
want=$((N / EVERY + 1))
echo "stream: $((bytes / 1000000)) MB: $N generated articles, $((N / EVERY)) lines of 3 MiB, one of $HUGE MiB"
echo "ingest: $(cat "$T/out") in ${wall} s (${usr} user, ${sys} sys); peak RSS $((maxrss / 1024)) MB (limit $LIMIT_MB MB)"
ok=1
[ "$rej" = "$want" ] || { echo "FAIL: $rej size rejections, want $want"; ok=0; }
grep -q "stored [0-9]*, duplicates [0-9]*, rejected $want" "$T/out" || { echo "FAIL: summary"; ok=0; }
[ "$maxrss" -lt $((LIMIT_MB * 1024)) ] || { echo "FAIL: peak RSS over the limit"; ok=0; }
[ "$ok" = 1 ] && echo "ok: every oversized line rejected, the run went on, memory bounded"
[ "$ok" = 1 ]
