#!/bin/sh
# dedup.sh: the dedup benchmarks of bench/RESULTS.md ("## Dedup").
# Usage: bench/dedup.sh [all|time|eval|flat|peer]   (after `make all`)
# Needs ../shared/data/reuters21578/articles.jsonl; the generated set is
# written to build/bench/ and never committed.
set -e
BUILD=${BUILD:-build}
R=${REUTERS:-../shared/data/reuters21578/articles.jsonl}
OUT=$BUILD/bench; mkdir -p "$OUT"
CC=${CC:-cc}
F="-std=c11 -D_GNU_SOURCE -Iinclude -Isrc -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes"
L="$BUILD/libchronicle.a -ljansson -lutf8proc -lxxhash -lsqlite3 -lstemmer -lm -lpthread"
$CC $F -o "$OUT/dedup" bench/dedup.c $L
$CC $F -o "$OUT/dedup_flat" bench/dedup_flat.c $L
what=${1:-all}
if [ "$what" = all ] || [ "$what" = eval ]; then
	for seed in 1 2 3; do
		"$BUILD/tools/gen_syndication" "$R" $seed 400 > "$OUT/synd-$seed.jsonl"
		"$OUT/dedup" eval "$OUT/synd-$seed.jsonl" $seed
	done
fi
[ "$what" = all ] || [ "$what" = time ] && "$OUT/dedup" time "$R"
[ "$what" = all ] || [ "$what" = flat ] && "$OUT/dedup_flat" "$OUT/flat.db" ${FLAT_MAX:-100000}
if [ "$what" = all ] || [ "$what" = peer ]; then
	# npm minhash: installed into build/bench/peer (not committed)
	[ -d "$OUT/peer/node_modules/minhash" ] || (cd "$OUT/peer" 2>/dev/null || mkdir -p "$OUT/peer" && cd "$OUT/peer" && npm install --silent minhash@0.0.9)
	[ -f "$OUT/synd-1.jsonl" ] || "$BUILD/tools/gen_syndication" "$R" 1 400 > "$OUT/synd-1.jsonl"
	NODE_PATH="$OUT/peer/node_modules" node bench/dedup_peer.js "$OUT/synd-1.jsonl"
fi
