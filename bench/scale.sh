#!/bin/sh
# bench/scale.sh: grow one store to N synthetic articles and report how
# ingest behaves as it grows (issue 9, "Scale").
#
# Design note: bench/gen_articles streams N articles made from real
# Reuters and BBC sentences (read at run time from ../shared, never
# committed) with fresh names, numbers and dates, events reported by
# several outlets, syndicated copies and stock paragraphs, straight into
# one `chronicle ingest -` through a pipe, so nothing of size N is ever on
# disk but the store.  A sampler reads the ingest's --progress-log
# ("committed N" after every batch), its RSS and the database size every
# half second; the rate of each slice of SLICE stored articles comes from
# those samples.  At the end it times the queries a user runs on a big
# store (median of 5 runs of the command, process start included).
#
# Usage: bench/scale.sh [N [SLICE]]      (default 100000, slices of N/10)
# Env:   CHR_BIN, CHR_GEN (binaries; default build/), CHR_SHARED (data),
#        SCALE_DIR (keep the store and logs there; default a temp dir,
#        removed at the end), SCALE_THREADS (ingest --threads, default 2),
#        SCALE_SEED (generator seed, default 1), SCALE_BATCH (--batch),
#        SCALE_PROFILE=1 (ingest --profile: seconds per stage and slice),
#        SCALE_PROBE=P (then ingest P new articles into copies of the
#        store at SLICE and at N, alternating, 3 rounds: see "probe"),
#        SCALE_PROBE_ONLY=P (only that, on the store SCALE_DIR holds).
set -eu
cd "$(dirname "$0")/.."
N=${1:-100000}
SLICE=${2:-$((N / 10))}
[ "$SLICE" -ge 1 ] || SLICE=1
SHARED=${CHR_SHARED:-../shared}
BIN=${CHR_BIN:-build/chronicle}
GEN=${CHR_GEN:-build/bench/gen_articles}
if [ ! -f "$SHARED/data/reuters21578/articles.jsonl" ]; then
	echo "skip: $SHARED/data/reuters21578/articles.jsonl not found"; exit 0
fi
[ -x "$BIN" ] || make -s build/chronicle
[ -x "$GEN" ] || make -s build/bench/gen_articles
if [ -n "${SCALE_DIR:-}" ]; then
	D=$SCALE_DIR; mkdir -p "$D"
else
	D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
fi
DB="$D/scale.db"
BATCH=${SCALE_BATCH:+--batch $SCALE_BATCH}
PROFILE=${SCALE_PROFILE:+--profile}
# bytes of the database and its WAL (stat, never read: the store is GBs)
dbsize() { stat -c %s "$DB" "$DB-wal" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }

# ---- probe (SCALE_PROBE=P) ----
# This machine's speed drifts by 20 % and more within a run, so the slice
# table can compare a fast first slice with a slow last one (its
# "text-thread stages" line shows by how much).  The probe measures this
# without the drift: P articles of another seed, ingested by a fresh
# process into a copy of the store made of the stream's first SLICE
# articles and into a copy of the full store, one after the
# other, three rounds; the medians' ratio is the rate at N against the
# rate at SLICE, both measured under the same conditions.
probe() {
	P=$1
	"$GEN" "$P" $((${SCALE_SEED:-1} + 1000)) "$SHARED" >"$D/probe.jsonl" 2>/dev/null
	SMALL="$D/small.db"
	rm -f "$SMALL" "$SMALL-wal" "$SMALL-shm"
	"$GEN" "$N" "${SCALE_SEED:-1}" "$SHARED" 2>/dev/null | head -n "$SLICE" |
		"$BIN" --db "$SMALL" ingest --quiet --threads "${SCALE_THREADS:-2}" $BATCH - >/dev/null 2>&1
	PDB="$D/probe.db"
	for r in 1 2 3; do
		for which in small full; do
			src=$SMALL; [ $which = full ] && src=$DB
			rm -f "$PDB" "$PDB-wal" "$PDB-shm"
			cp "$src" "$PDB"
			# the copy's dirty pages are written now: else the
			# ingest's first fsync writes the whole copy (GBs at a
			# million articles) and times the copy, not the ingest
			sync "$PDB"
			cat "$PDB" >/dev/null
			a=$(date +%s%N)
			"$BIN" --db "$PDB" ingest --quiet --threads "${SCALE_THREADS:-2}" $BATCH "$D/probe.jsonl" >/dev/null 2>&1
			b=$(date +%s%N)
			echo "$which $(((b - a) / 1000000))"
		done
	done >"$D/probe.txt"
	rm -f "$PDB" "$PDB-wal" "$PDB-shm"
	awk -v p="$P" -v slice="$SLICE" -v n="$stored" '
	{ t[$1, ++k[$1]] = $2 }
	function med(w,   a, b, c, x) { a = t[w, 1]; b = t[w, 2]; c = t[w, 3]
		if (a > b) { x = a; a = b; b = x } if (b > c) { x = b; b = c; c = x } if (a > b) { x = a; a = b; b = x }
		return b }
	END {
		ms = med("small"); mf = med("full")
		printf "probe: %d new articles into the store at %d articles: %s ms (median %d, %.0f/s); at %d: %s ms (median %d, %.0f/s); rate at %d / rate at %d: %.2f\n", p, slice, t["small",1] " " t["small",2] " " t["small",3], ms, p / ms * 1000, n, t["full",1] " " t["full",2] " " t["full",3], mf, p / mf * 1000, n, slice, ms / mf
	}' "$D/probe.txt"
	rm -f "$SMALL" "$SMALL-wal" "$SMALL-shm"
}

if [ -n "${SCALE_PROBE_ONLY:-}" ]; then # the store of an earlier run
	[ -f "$DB" ] || { echo "no store at $DB"; exit 1; }
	stored=$(sqlite3 "$DB" "SELECT count(*) FROM articles")
	probe "$SCALE_PROBE_ONLY"
	exit 0
fi

rm -f "$DB" "$DB-wal" "$DB-shm" "$D/plog" "$D/samples"
# ---- ingest, with a sampler ----
start=$(date +%s.%N)
( "$GEN" "$N" "${SCALE_SEED:-1}" "$SHARED" 2>"$D/gen.err" |
	/usr/bin/time -f "%e %U %S %M" -o "$D/time" \
		"$BIN" --db "$DB" ingest --quiet --threads "${SCALE_THREADS:-2}" \
		$BATCH $PROFILE --progress-log "$D/plog" - >"$D/out" 2>"$D/err" ) &
job=$!
cpid=""
while kill -0 "$job" 2>/dev/null; do
	sleep 0.5
	[ -n "$cpid" ] || cpid=$(pgrep -n -x chronicle -P "$(pgrep -n -x time -P "$job" 2>/dev/null || echo 1)" 2>/dev/null || true)
	c=$(tail -n 1 "$D/plog" 2>/dev/null | awk '/^committed/ { print $2 }')
	rss=0
	[ -n "$cpid" ] && rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$cpid/status" 2>/dev/null || echo 0)
	sz=$(dbsize)
	cpu=0 # user + system ticks of the ingest (both threads)
	[ -n "$cpid" ] && cpu=$(sed 's/.*) //' "/proc/$cpid/stat" 2>/dev/null | awk '{ print $12 + $13 }' || echo 0)
	echo "$(date +%s.%N) ${c:-0} ${rss:-0} $sz ${cpu:-0}" >>"$D/samples"
done
wait "$job" || true
end=$(date +%s.%N)
read -r wall usr sys maxrss <"$D/time" || { echo "ingest failed:"; cat "$D/err"; exit 1; }
stored=$(tail -n 1 "$D/plog" | awk '{ print $2 }')
echo "$end $stored 0 $(dbsize) 0" >>"$D/samples"

echo "scale: N=$N generated articles (seed ${SCALE_SEED:-1}), slices of $SLICE stored articles"
echo "binary: $BIN; ingest --threads ${SCALE_THREADS:-2}${SCALE_BATCH:+ --batch $SCALE_BATCH}; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "generator: $(cat "$D/gen.err")"
echo "ingest: $(cat "$D/out")"
grep -v '^$' "$D/err" | head -n 5 | sed 's/^/  stderr: /'

# ---- per-slice rates from the samples ----
# CPU seconds (user + system, both threads) per slice are the robust
# figure on a machine shared with other jobs; wall rates move with load.
awk -v start="$start" -v slice="$SLICE" -v hz="$(getconf CLK_TCK)" '
{ t[NR] = $1 - start; c[NR] = $2; r[NR] = $3; s[NR] = $4; u[NR] = $5 / hz; n = NR
  if (NR > 1 && u[NR] < u[NR-1]) u[NR] = u[NR-1] } # the last sample has none
END {
	printf "%-18s %9s %11s %9s %13s %8s %8s\n", "slice (stored)", "wall s", "articles/s", "CPU s", "articles/CPUs", "RSS MB", "DB MB"
	k = 1; prev_t = 0; prev_c = 0; prev_u = 0; maxr = 0
	for (i = 1; i <= n; i++) {
		if (r[i] > maxr) maxr = r[i]
		while (c[i] >= k * slice) {
			# interpolate the moment k*slice was reached
			f = 1
			if (i > 1 && c[i] > c[i-1])
				f = (k * slice - c[i-1]) / (c[i] - c[i-1])
			tk = i > 1 ? t[i-1] + (t[i] - t[i-1]) * f : t[i]
			uk = i > 1 ? u[i-1] + (u[i] - u[i-1]) * f : u[i]
			printf "%-18s %9.1f %11.0f %9.1f %13.0f %8.0f %8.0f\n", sprintf("%d-%d", (k-1)*slice, k*slice), tk - prev_t, slice / (tk - prev_t), uk - prev_u, (uk > prev_u ? slice / (uk - prev_u) : 0), maxr / 1024, s[i] / 1e6
			if (!first) { first = slice / (tk - prev_t); firstc = uk > prev_u ? slice / (uk - prev_u) : 0 }
			last = slice / (tk - prev_t); lastc = uk > prev_u ? slice / (uk - prev_u) : 0
			prev_t = tk; prev_u = uk; prev_c = k * slice; k++; maxr = 0
		}
	}
	if (c[n] > prev_c && t[n] > prev_t)
		printf "%-18s %9.1f %11.0f %9.1f %13.0f %8s %8.0f  (partial)\n", sprintf("%d-%d", prev_c, c[n]), t[n] - prev_t, (c[n] - prev_c) / (t[n] - prev_t), u[n] - prev_u, (u[n] > prev_u ? (c[n] - prev_c) / (u[n] - prev_u) : 0), "-", s[n] / 1e6
	if (first > 0)
		printf "last full slice / first: %.2f by wall rate, %.2f by CPU rate\n", last / first, (firstc > 0 ? lastc / firstc : 0)
}' "$D/samples"
# ---- per-stage seconds per slice (SCALE_PROFILE=1) ----
# Each progress-log line then carries every stage's seconds so far
# (summed over threads); a slice's figure is the difference between the
# first lines at or past its two ends.
if [ -n "$PROFILE" ]; then
	echo "seconds per stage and slice (--profile; both threads summed; the store thread's stages run one after another):"
	awk -v slice="$SLICE" '
	/^committed/ {
		n = $2; m = 0
		for (i = 3; i <= NF; i++) { split($i, kv, "="); cur[kv[1]] = kv[2]; if (!(kv[1] in seen)) { seen[kv[1]] = 1; order[++ns] = kv[1] } }
		if (n >= k * slice) {
			show(n); keep()
			while (k * slice <= n) k++
		}
	}
	function show(n,   j, line, d) {
		line = sprintf("%-18s", sprintf("%d-%d", pn, n))
		tw = 0; sw = 0
		for (j = 1; j <= ns; j++) {
			d = cur[order[j]] - prev[order[j]]
			line = line sprintf(" %s=%.1f", order[j], d)
			if (order[j] in textst) tw += d
			if (order[j] in storest) sw += d
		}
		print line
		for (j = 1; j <= ns; j++) prev[order[j]] = cur[order[j]]
		pn = n
	}
	BEGIN {
		k = 1; pn = 0
		# the text worker'"'"'s stages do the same work in every slice, so
		# their change is the host'"'"'s speed; the store thread'"'"'s stages
		# (their parts, commit-* and dedup-*, left out: they are inside)
		split("clean meta text time entities facts events-prep dedup-prep", t, " ")
		for (j in t) textst[t[j]] = 1
		split("store entities-store dedup events commit events-wait", t, " ")
		for (j in t) storest[t[j]] = 1
	}
	function keep() { if (!tfirst) { tfirst = tw; sfirst = sw } tlast = tw; slast = sw }
	END {
		if (n > pn) show(n)
		if (tfirst > 0 && tlast > 0 && sfirst > 0)
			printf "text-thread stages, first -> last full slice: %.1f -> %.1f s (the same work: the host ran %.2fx as long); store-thread stages: %.1f -> %.1f s; the store thread per unit of text-thread time, last / first: %.2f\n", tfirst, tlast, tlast / tfirst, sfirst, slast, (slast / tlast) / (sfirst / tfirst)
	}' "$D/plog"
fi
dbsz=$(stat -c %s "$DB" 2>/dev/null || echo 0)
walsz=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)
awk -v w="$wall" -v u="$usr" -v s="$sys" -v m="$maxrss" -v n="$stored" -v d="$dbsz" -v l="$walsz" 'BEGIN {
	printf "whole ingest: %.1f s wall (%.1f user, %.1f sys), %.0f stored/s; peak RSS %.1f MB; database %.1f MB (+ WAL %.1f MB), %.0f bytes per article\n", w, u, s, n / w, m / 1024, d / 1e6, l / 1e6, d / (n > 0 ? n : 1)
}'
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 "$DB" "SELECT 'store: ' || (SELECT count(*) FROM articles) || ' articles, ' ||
		(SELECT count(*) FROM entities) || ' entities, ' ||
		(SELECT count(*) FROM dedup_groups WHERE size > 1) || ' syndication groups holding ' ||
		(SELECT coalesce(sum(size), 0) FROM dedup_groups WHERE size > 1) || ' articles'" 2>/dev/null || true
	sqlite3 "$DB" "SELECT 'events: ' || count(*) FROM events" 2>/dev/null || true
fi

# ---- query latency at the end ----
ms() { # median wall milliseconds of 5 runs of a command, output discarded
	for i in 1 2 3 4 5; do
		a=$(date +%s%N); "$@" >/dev/null 2>&1 || true; b=$(date +%s%N)
		echo $(((b - a) / 1000000))
	done | sort -n | sed -n 3p
}
echo "query latency (median of 5, ms, process start included):"
echo "  chronicle --help (process start): $(ms "$BIN" --help)"
if "$BIN" events --help >/dev/null 2>&1; then
	echo "  events (list): $(ms "$BIN" --db "$DB" events)"
else
	echo "  events: no events command in this build"
fi
top=$("$BIN" --db "$DB" entities --json --limit 1 2>/dev/null | sed -n 's/.*"name":"\([^"]*\)".*/\1/p' | head -n 1)
mid=$("$BIN" --db "$DB" entities --json --limit 500 2>/dev/null | sed -n 's/.*"name":"\([^"]*\)".*/\1/p' | tail -n 1)
echo "  entities --limit 20: $(ms "$BIN" --db "$DB" entities --limit 20)"
[ -n "$top" ] && echo "  entity '$top' (most mentioned, $("$BIN" --db "$DB" entity "$top" 2>/dev/null | wc -l) lines): $(ms "$BIN" --db "$DB" entity "$top")"
[ -n "$mid" ] && echo "  entity '$mid' (500th): $(ms "$BIN" --db "$DB" entity "$mid")"
for q in minister "oil prices" "bank AND profit" '"trade talks"' 'export*'; do
	echo "  search $q: $(ms "$BIN" --db "$DB" search "$q")"
done
[ -n "${SCALE_PROBE:-}" ] && probe "$SCALE_PROBE"
exit 0
