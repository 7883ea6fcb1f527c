#!/bin/sh
# bench/serve.sh: wrk against `chronicle serve` on loopback while an ingest
# writes into the same database, next to a peer (python3 -m http.server
# serving a static copy of the same JSON answers), medians of 3.
#
#   bench/serve.sh [SECONDS] [REUTERS_N]      (defaults 10 and 3000)
#
# Design note: the store holds the seeds, the bundled sample and the first
# REUTERS_N Reuters-21578 stories.  During every chronicle run a second
# process ingests further Reuters stories into the same database (WAL: the
# readers never wait for it), so the figures are "while an ingest runs",
# as issue 8 asks.  The peer serves byte-identical bodies from files with
# no database behind them: it is the floor of a plain static server, not a
# like-for-like JSON API.  wrk runs with 2 threads and 32 connections (2
# cores: wrk and the server share them).  Every request is on 127.0.0.1.
# wrk is a Debian package, installed on demand here only (not by
# scripts/deps.sh: the tests do not need it).
set -eu
SECS=${1:-10}
NREUT=${2:-3000}
ROUNDS=${ROUNDS:-3}
CHR_BIN=${CHR_BIN:-build/chronicle}
SHARED=${CHR_SHARED:-../shared}
REUT="$SHARED/data/reuters21578/articles.jsonl"
SEEDS="$SHARED/corpus/seeds"

if ! command -v wrk >/dev/null 2>&1; then
	echo "bench/serve.sh: installing wrk (Debian)" >&2
	apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
fi
[ -x "$CHR_BIN" ] || { echo "build $CHR_BIN first (make)" >&2; exit 1; }
[ -f "$REUT" ] || { echo "no $REUT" >&2; exit 1; }

W=$(mktemp -d)
SPID=""; PPID2=""; IPID=""
cleanup() {
	for p in $SPID $PPID2 $IPID; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

echo "store: seeds + examples + $NREUT Reuters stories" >&2
head -n "$NREUT" "$REUT" >"$W/reut.jsonl"
set --
[ -d "$SEEDS" ] && set -- "$SEEDS"
"$CHR_BIN" --db "$W/db" ingest "$@" examples/*.txt examples/*.jsonl "$W/reut.jsonl" >/dev/null 2>"$W/ingest0.err"
# the stories the concurrent ingests write: each round its own slice, so
# every round really stores (not only finds duplicates)
tail -n +"$((NREUT + 1))" "$REUT" | head -n 15000 >"$W/more.jsonl"

"$CHR_BIN" --db "$W/db" serve --port 0 >"$W/serve.out" 2>"$W/serve.err" &
SPID=$!
URL=""
i=0
while [ $i -lt 100 ] && [ -z "$URL" ]; do
	URL=$(sed -n 's|^listening on \(http://[^ ]*\)/$|\1|p' "$W/serve.out"); [ -n "$URL" ] || sleep 0.1
	i=$((i + 1))
done
[ -n "$URL" ] || { cat "$W/serve.err" >&2; exit 1; }

# the peer: the same bodies as static files
mkdir -p "$W/static/api"
curl -sf "$URL/api/events" >"$W/static/api/events"
curl -sf "$URL/api/search?q=oil" >"$W/static/api/search"
python3 -m http.server 0 --bind 127.0.0.1 --directory "$W/static" >"$W/peer.out" 2>&1 &
PPID2=$!
PURL=""
i=0
while [ $i -lt 100 ] && [ -z "$PURL" ]; do
	PURL=$(sed -n 's|.*port \([0-9]*\).*|http://127.0.0.1:\1|p' "$W/peer.out" | head -n 1); [ -n "$PURL" ] || sleep 0.1
	i=$((i + 1))
done
[ -n "$PURL" ] || { cat "$W/peer.out" >&2; exit 1; }

# run NAME URL: one wrk run; prints "req/s errors"
run() {
	wrk -t2 -c32 -d"${SECS}s" --latency "$2" >"$W/wrk.$1" 2>&1 || true
	rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$W/wrk.$1")
	errs=$(awk '/Socket errors/ { gsub(",", ""); s = $4 + $6 + $8 + $10 } /Non-2xx/ { n = $NF } END { print s + n }' "$W/wrk.$1")
	# the median latency in ms (wrk prints us, ms or s)
	p50=$(awk '$1 == "50%" { v = $2; m = 1; if (v ~ /us$/) m = 0.001; else if (v ~ /ms$/) m = 1; else if (v ~ /s$/) m = 1000
		sub(/[a-z]+$/, "", v); printf "%.2f", v * m }' "$W/wrk.$1")
	echo "${rps:-0} ${errs:-0} ${p50:-?}"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

: >"$W/results"
slice=0
for r in $(seq 1 "$ROUNDS"); do
	for ep in events "search?q=oil"; do
		name=$(echo "$ep" | sed 's/[?=]/_/g')
		# the concurrent ingest: a fresh slice of 2500 stories per run
		sed -n "$((slice * 2500 + 1)),$((slice * 2500 + 2500))p" "$W/more.jsonl" >"$W/slice.jsonl"
		slice=$((slice + 1))
		"$CHR_BIN" --db "$W/db" ingest "$W/slice.jsonl" >"$W/ingest.out" 2>&1 &
		IPID=$!
		sleep 0.5
		set -- $(run "chr-$name-$r" "$URL/api/$ep")
		ingest_alive=0
		kill -0 "$IPID" 2>/dev/null && ingest_alive=1
		wait "$IPID" || true
		IPID=""
		echo "chronicle $name $r $1 $2 $3 ingest_running_at_end=$ingest_alive" | tee -a "$W/results" >&2
		peer_path=$(echo "$ep" | sed 's/?.*//')
		set -- $(run "peer-$name-$r" "$PURL/api/$peer_path")
		echo "peer $name $r $1 $2 $3" | tee -a "$W/results" >&2
	done
done

echo
echo "| endpoint | chronicle req/s | errors | p50 ms | peer (python3 http.server, static copy) req/s | errors | p50 ms |"
echo "|---|---|---|---|---|---|---|"
for name in events search_q_oil; do
	c=$(awk -v n="$name" '$1 == "chronicle" && $2 == n { print $4 }' "$W/results" | median)
	ce=$(awk -v n="$name" '$1 == "chronicle" && $2 == n { s += $5 } END { print s + 0 }' "$W/results")
	cl=$(awk -v n="$name" '$1 == "chronicle" && $2 == n { print $6 }' "$W/results" | median)
	p=$(awk -v n="$name" '$1 == "peer" && $2 == n { print $4 }' "$W/results" | median)
	pe=$(awk -v n="$name" '$1 == "peer" && $2 == n { s += $5 } END { print s + 0 }' "$W/results")
	pl=$(awk -v n="$name" '$1 == "peer" && $2 == n { print $6 }' "$W/results" | median)
	label=$(echo "$name" | sed 's/search_q_oil/search?q=oil/')
	echo "| /api/$label | $c | $ce | $cl | $p | $pe | $pl |"
done
echo
echo "articles at the end: $(curl -sf "$URL/api/status" | sed -n 's/.*"articles":\([0-9]*\).*/\1/p')"
echo "ingest still running when wrk ended: $(awk '$1 == "chronicle" { print $7 }' "$W/results" | sort | uniq -c | tr '\n' ' ')"
