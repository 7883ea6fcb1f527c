#!/bin/sh
# bench/serve.sh: wrk against `chronicle serve` on loopback while another
# process ingests into the same database; medians of ROUNDS runs.
#
#   bench/serve.sh [SECONDS] [REUTERS_N]      (defaults 10 and 3000)
#   env: ROUNDS (3), CONNS (64), RATE (50 stories/s into the concurrent
#        ingest), BATCH (50 per commit), INGEST=post (POST RATE stories
#        a second to the server itself instead), PEER=1 (add the static peer)
#
# Design note: the store holds the seeds, the bundled sample and the first
# REUTERS_N Reuters-21578 stories.  During every run a separate
# `chronicle ingest --batch BATCH -` stores further Reuters stories into the
# same database (WAL), fed through a pipe at RATE stories a second for the
# whole run (a steady trickle, as a live feed would be, rather than a bulk
# load that ends early or grows the store by thousands per run), so about
# every second one of its commits changes the database under the server
# and drops the response cache: the figures are "while an ingest runs",
# cache rebuilds included.  The script prints how many invalidations each
# run saw, whether the ingest was still running when wrk ended, and the
# article count and event page size before and after.  Two kinds of run
# per endpoint:
#   cached:   every request asks for the same target (a list page that
#             many readers ask for), wrk -t2 -cCONNS;
#   uncached: every request carries a distinct dummy argument (&n=K), so
#             each one misses the cache and runs its queries, wrk -t2 -c4
#             with a 10 s timeout (32 connections would only queue).
# Errors are wrk's socket errors (connect, read, write, timeout) plus its
# non-2xx answers.  With PEER=1 a python3 http.server serving byte-identical
# copies of the two answers from files runs the cached workload too (a
# static floor, no database).  wrk is a Debian package (scripts/deps.sh).
set -eu
SECS=${1:-10}
NREUT=${2:-3000}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
RATE=${RATE:-50}
INGEST=${INGEST:-cli}
BATCH=${BATCH:-50}
PEER=${PEER:-0}
CHR_BIN=${CHR_BIN:-build/chronicle}
SHARED=${CHR_SHARED:-../shared}
REUT="$SHARED/data/reuters21578/articles.jsonl"
SEEDS="$SHARED/corpus/seeds"

command -v wrk >/dev/null 2>&1 || { echo "bench/serve.sh: wrk is missing (make deps)" >&2; exit 1; }
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

echo "store: seeds + examples + $NREUT Reuters stories; ingest during the runs: $INGEST" >&2
head -n "$NREUT" "$REUT" >"$W/reut.jsonl"
set --
[ -d "$SEEDS" ] && set -- "$SEEDS"
"$CHR_BIN" --db "$W/db" ingest "$@" examples/*.txt examples/*.jsonl "$W/reut.jsonl" >/dev/null 2>"$W/ingest0.err"
# the stories the concurrent ingests store: each run its own slice, so
# every run really stores (not only finds duplicates)
tail -n +"$((NREUT + 1))" "$REUT" >"$W/more.jsonl"

"$CHR_BIN" --db "$W/db" serve --port 0 >"$W/serve.out" 2>"$W/serve.err" &
SPID=$!
URL=""
i=0
while [ $i -lt 100 ] && [ -z "$URL" ]; do
	# (the file may not exist yet: under set -e a failing sed would end
	# the script here)
	URL=$(sed -n 's|^listening on \(http://[^ ]*\)/$|\1|p' "$W/serve.out" 2>/dev/null || true)
	[ -n "$URL" ] || sleep 0.1
	i=$((i + 1))
done
[ -n "$URL" ] || { cat "$W/serve.err" >&2; exit 1; }

if [ "$PEER" = 1 ]; then
	mkdir -p "$W/static/api"
	curl -sf "$URL/api/events" >"$W/static/api/events"
	curl -sf "$URL/api/search?q=oil" >"$W/static/api/search"
	python3 -m http.server 0 --bind 127.0.0.1 --directory "$W/static" >"$W/peer.out" 2>&1 &
	PPID2=$!
	PURL=""
	i=0
	while [ $i -lt 100 ] && [ -z "$PURL" ]; do
		PURL=$(sed -n 's|.*port \([0-9]*\).*|http://127.0.0.1:\1|p' "$W/peer.out" 2>/dev/null | head -n 1)
		[ -n "$PURL" ] || sleep 0.1
		i=$((i + 1))
	done
	[ -n "$PURL" ] || { cat "$W/peer.out" >&2; exit 1; }
fi

# every request a new target: thread T's K-th request adds &n=T-K
cat >"$W/bust.lua" <<'EOF'
local threads, k = 0, 0
function setup(thread)
	threads = threads + 1
	thread:set("id", threads)
end
function request()
	k = k + 1
	return wrk.format(nil, wrk.path .. "&n=" .. id .. "-" .. k)
end
EOF

# run NAME URL [wrk options]: one wrk run; prints "req/s errors p50_ms"
run() {
	n=$1; u=$2; shift 2
	wrk -t2 "$@" -d"${SECS}s" --latency "$u" >"$W/wrk.$n" 2>&1 || true
	rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$W/wrk.$n")
	errs=$(awk '/Socket errors/ { gsub(",", ""); s = $4 + $6 + $8 + $10 } /Non-2xx/ { n = $NF } END { print s + n }' "$W/wrk.$n")
	# the median latency in ms (wrk prints us, ms or s)
	p50=$(awk '$1 == "50%" { v = $2; m = 1; if (v ~ /us$/) m = 0.001; else if (v ~ /ms$/) m = 1; else if (v ~ /s$/) m = 1000
		sub(/[a-z]+$/, "", v); printf "%.2f", v * m }' "$W/wrk.$n")
	echo "${rps:-0} ${errs:-0} ${p50:-?}"
}
status_of() { curl -sf "$URL/api/status" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

: >"$W/results"
slice=0 # lines of more.jsonl used so far
for r in $(seq 1 "$ROUNDS"); do
	for ep in "events?limit=50" "search?q=oil"; do
		for kind in cached uncached; do
			name=$(echo "$ep" | sed 's/?.*//')
			# the concurrent ingest: fresh stories for SECS + 3 seconds at
			# RATE a second, in parts of RATE / 5 every 0.2 s
			n=$((RATE * (SECS + 3)))
			sed -n "$((slice + 1)),$((slice + n))p" "$W/more.jsonl" >"$W/slice.jsonl"
			slice=$((slice + n))
			rm -rf "$W/parts"; mkdir "$W/parts"
			a0=$(status_of articles)
			b0=$(curl -sf -o /dev/null -w '%{size_download}' "$URL/api/events?limit=50&size=$r$kind$name" || echo '?')
			if [ "$INGEST" = post ]; then
				# one POST of RATE stories a second (each POST is one
				# transaction), answered by the server's writer thread
				split -l "$RATE" "$W/slice.jsonl" "$W/parts/p"
				for f in "$W/parts"/p*; do
					curl -s -o /dev/null -w '%{http_code}\n' --data-binary "@$f" "$URL/api/articles"
					sleep 1
				done >"$W/post.codes" &
			else
				split -l $((RATE / 5 > 0 ? RATE / 5 : 1)) "$W/slice.jsonl" "$W/parts/p"
				for f in "$W/parts"/p*; do cat "$f"; sleep 0.2; done |
					"$CHR_BIN" --db "$W/db" ingest --quiet --batch "$BATCH" - >"$W/ingest.out" 2>&1 &
			fi
			IPID=$!
			sleep 1 # the ingest has loaded its models and is storing
			inv0=$(status_of invalidations)
			if [ "$kind" = cached ]; then
				set -- $(run "$name-$kind-$r" "$URL/api/$ep" -c"$CONNS")
			else
				set -- $(run "$name-$kind-$r" "$URL/api/$ep" -c4 --timeout 10s -s "$W/bust.lua")
			fi
			inv=$(( $(status_of invalidations) - inv0 ))
			alive=no
			kill -0 "$IPID" 2>/dev/null && alive=yes
			wait "$IPID" || true
			IPID=""
			a1=$(status_of articles)
			b1=$(curl -sf -o /dev/null -w '%{size_download}' "$URL/api/events?limit=50&size=$r$kind$name" || echo '?')
			posts=""
			[ "$INGEST" = post ] && posts=" posts=$(sort "$W/post.codes" | uniq -c | awk '{ printf "%s%sx%s", (NR > 1 ? "," : ""), $1, $2 }')"
			echo "chronicle $name $kind $r $1 $2 $3 invalidations=$inv ingest_running_at_end=$alive articles=$a0-$a1 events_page_bytes=$b0-$b1$posts" | tee -a "$W/results" >&2
			if [ "$PEER" = 1 ] && [ "$kind" = cached ]; then
				set -- $(run "peer-$name-$r" "$PURL/api/$name" -c"$CONNS")
				echo "peer $name cached $r $1 $2 $3" | tee -a "$W/results" >&2
			fi
		done
	done
done

echo
echo "| endpoint | requests | req/s | errors (all runs) | p50 ms | invalidations per run | ingest running at the end |"
echo "|---|---|---|---|---|---|---|"
for who in chronicle peer; do
	for name in events search; do
		for kind in cached uncached; do
			grep -q "^$who $name $kind " "$W/results" || continue
			f() { awk -v w="$who" -v n="$name" -v k="$kind" -v c="$1" '$1 == w && $2 == n && $3 == k { print $c }' "$W/results"; }
			rps=$(f 5 | median)
			errs=$(f 6 | awk '{ s += $1 } END { print s + 0 }')
			p50=$(f 7 | median)
			inv=$(f 8 | sed 's/.*=//' | tr '\n' ' ')
			alive=$(f 9 | sed 's/.*=//' | sort | uniq -c | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }')
			label="/api/events?limit=50"
			[ "$name" = search ] && label="/api/search?q=oil"
			[ "$who" = peer ] && label="$label (peer: static copy)"
			echo "| \`$label\` | $kind | $rps | $errs | $p50 | ${inv:--} | ${alive:--} |"
		done
	done
done
echo
echo "articles at the end: $(status_of articles); cache: $(curl -sf "$URL/api/status" | sed -n 's/.*"cache":\({[^}]*}\).*/\1/p')"
echo "machine: $(nproc) cores; $(uptime | sed 's/.*load average/load average/')"
