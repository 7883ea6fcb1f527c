#!/bin/sh
# chronicle serve: the JSON API over loopback with curl: listing, one
# article, search, errors (400, 401, 404, 405, 413, 414), path traversal,
# POST ingest, and that the server still answers after all of it.
. tests/cli/lib.sh

if ! command -v curl >/dev/null 2>&1; then
	if [ -n "${CI:-}" ]; then bad "curl is missing (make deps)"; else echo "skipped: curl is missing (make deps)"; fi
	finish
	exit $?
fi

mkdir -p "$T/in"
printf 'Harbour strike ends\n\nPortsalt dock workers returned on Friday after a pay deal.\nRead more\n' >"$T/in/a1.txt"
printf 'Bridge vote passes\n\nThe Elmford council approved the river bridge.\n' >"$T/in/a2.txt"
printf '{"id":"j1","title":"Ferry timetable changes","date":"2024-05-02","text":"The Nettlecombe ferry will run hourly from June."}\n' >"$T/in/feed.jsonl"
expect_rc 0 "ingest" chr ingest "$T/in"

# start a server on a free port; sets SPID and URL
start() {
	# a previous server's output must not be read as this one's
	rm -f "$T/serve.out" "$T/serve.err"
	"$CHR_BIN" --db "${SDB:-$T/db}" serve --port 0 "$@" >"$T/serve.out" 2>"$T/serve.err" &
	SPID=$!
	URL=""
	n=0
	while [ $n -lt 100 ] && [ -z "$URL" ]; do
		URL=$(sed -n 's|^listening on \(http://[^ ]*\)/$|\1|p' "$T/serve.out" 2>/dev/null)
		[ -n "$URL" ] || sleep 0.1
		n=$((n + 1))
	done
	[ -n "$URL" ]
}
stop() { kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; SRC=$?; SPID=""; }
# stop, and check that the server exited cleanly (no sanitizer report)
stop_clean() {
	stop
	if [ "$SRC" = 0 ] && ! grep -q 'Sanitizer' "$T/serve.err"; then ok
	else bad "server exit $SRC on SIGTERM"; sed 's/^/    /' "$T/serve.err" | head -n 30 >&2; fi
}
trap '[ -n "$SPID" ] && stop; rm -rf "$T"' EXIT

# status WANT DESCRIPTION PATH [curl options]: body in $T/body, headers in
# $T/hdr; PATH is appended to $URL as it is (no dot-segment folding)
status() {
	want=$1; d=$2; p=$3; shift 3
	CODE=$(curl -s --max-time 10 -o "$T/body" -D "$T/hdr" -w '%{http_code}' \
		--path-as-is "$@" "$URL$p" 2>/dev/null)
	if [ "$CODE" = "$want" ]; then ok; else bad "$d: HTTP $CODE, want $want: $(head -c 300 "$T/body")"; fi
}
body_has() { if grep -q -- "$2" "$T/body"; then ok; else bad "$1: body lacks $2: $(head -c 300 "$T/body")"; fi; }
is_json_error() {
	if grep -qi '^content-type: application/json; charset=utf-8' "$T/hdr" && grep -q '"error":' "$T/body"; then ok
	else bad "$1: not a JSON {error}: $(head -c 200 "$T/body")"; fi
}

if ! start; then
	bad "server did not start"; sed 's/^/    /' "$T/serve.err" >&2
	finish
	exit $?
fi
ok
check "prints a loopback URL" contains "$T/serve.out" "listening on http://127.0.0.1:"

status 200 "list articles" /api/articles
body_has "list has the total" '"total":3'
body_has "list has an article" '"id":"a1"'
check "JSON content type" grep -qi '^content-type: application/json; charset=utf-8' "$T/hdr"
check "nosniff header" grep -qi '^x-content-type-options: nosniff' "$T/hdr"
check "CSP header" grep -qi "^content-security-policy: default-src 'self'" "$T/hdr"
status 200 "paged list" "/api/articles?limit=1&offset=1"
check "one article on the page" [ "$(grep -o '"id":' "$T/body" | wc -l)" = 1 ]
status 200 "newest first" "/api/articles?limit=1"
body_has "dated article first" '"id":"j1"'
status 400 "bad limit" "/api/articles?limit=-3"
is_json_error "bad limit"

status 200 "one article" /api/articles/a1
body_has "article has its headline" '"headline":"Harbour strike ends"'
body_has "article has the removed list" '"removed":\['
status 404 "missing id" /api/articles/nosuch
is_json_error "missing id"

status 200 "search" "/api/search?q=Portsalt"
body_has "search finds the article" '"id":"a1"'
body_has "snippet marks the match" '\\u0002Portsalt\\u0003'
status 400 "malformed query" "/api/search?q=%22dock"
is_json_error "malformed query"
body_has "malformed query says so" 'malformed query'
status 400 "missing query" "/api/search"

status 404 "traversal" "/../../etc/passwd"
check "traversal leaks nothing" sh -c "! grep -q 'root:' '$T/body'"
status 404 "encoded traversal" "/%2e%2e/%2e%2e/etc/passwd"
check "encoded traversal leaks nothing" sh -c "! grep -q 'root:' '$T/body'"
status 404 "traversal under assets" "/..%2f..%2fetc%2fpasswd"
check "asset traversal leaks nothing" sh -c "! grep -q 'root:' '$T/body'"
status 404 "unknown endpoint" /api/nothing
is_json_error "unknown endpoint"

head -c 200000 /dev/zero | tr '\0' a >"$T/long"
CODE=$(curl -s --max-time 10 -o "$T/body" -w '%{http_code}' -G --data-urlencode "q@$T/long" "$URL/api/search")
case "$CODE" in 414|400) ok;; *) bad "200 kB query: HTTP $CODE, want 414 or 400";; esac
head -c 9000 /dev/zero | tr '\0' b >"$T/mid"
CODE=$(curl -s --max-time 10 -o "$T/body" -w '%{http_code}' -G --data-urlencode "q@$T/mid" "$URL/api/search")
if [ "$CODE" = 414 ] && grep -q '"error":' "$T/body"; then ok; else bad "9 kB query: HTTP $CODE, want 414 with JSON"; fi

status 405 "DELETE" /api/articles -X DELETE
check "405 names the allowed methods" grep -qi '^allow: GET, HEAD, POST' "$T/hdr"
is_json_error "405"
status 405 "POST to a read-only endpoint" /api/search -X POST --data-binary '{}'

printf '{"id":"t1","title":"Half an artic' >"$T/trunc.json"
status 400 "truncated JSON POST" /api/articles -H 'Content-Type: application/json' --data-binary "@$T/trunc.json"
body_has "truncated POST says why" 'truncated'
status 400 "empty POST" /api/articles --data-binary ''
status 400 "array POST" /api/articles --data-binary '[{"text":"x"}]'
printf '{"id":"p1","title":"Quarry reopens",\n "text":"The Wexley quarry reopened on Tuesday after an inspection."}\n' >"$T/post.json"
status 201 "POST an article" /api/articles -H 'Content-Type: application/json' --data-binary "@$T/post.json"
body_has "POST counts" '"stored":1'
status 200 "POSTed article is searchable" "/api/search?q=Wexley"
body_has "search finds the POSTed article" '"id":"p1"'
status 201 "POST again is a duplicate" /api/articles -H 'Content-Type: application/json' --data-binary "@$T/post.json"
body_has "duplicate counted" '"duplicates":1'
printf '{"id":"m1","text":"Ok line."}\n{"id":"m2","text":\n' >"$T/mixed.jsonl"
status 400 "JSON Lines with a bad line" /api/articles --data-binary "@$T/mixed.jsonl"
status 404 "a rejected batch stores nothing" /api/articles/m1

status 200 "entities" /api/entities
body_has "entities list" '"entities":\['
status 400 "bad entity type" "/api/entities?type=PLANET"
status 404 "unknown entity" /api/entities/nobody
is_json_error "unknown entity"
status 200 "syndication groups" /api/dups
body_has "groups list" '"groups":\['
status 200 "group of an article" "/api/dups?article=a1"
body_has "an article is in its own group" '"a1"'
status 404 "group of a missing article" "/api/dups?article=nosuch"
status 200 "events" /api/events
body_has "events list" '"events":\['
status 404 "unknown event" /api/events/999999
is_json_error "unknown event"
status 200 "storylines" /api/storylines
body_has "storylines list" '"storylines":\['
status 200 "facts" /api/facts
body_has "facts list" '"facts":\['
body_has "facts are computed" '"available":true'
status 200 "conflicts" /api/conflicts
body_has "conflicts list" '"conflicts":\['
status 200 "timeline" /api/timeline
body_has "timeline list" '"entries":\['
status 200 "digests" /api/digests
body_has "digests list" '"digests":\['
status 404 "facts of an unknown entity" "/api/facts?entity=nobody"
is_json_error "facts of an unknown entity"
status 404 "timeline of an unknown entity" "/api/timeline?entity=nobody"
status 400 "bad event filter" "/api/facts?event=x"
status 400 "bad storyline" "/api/timeline?storyline=-1"
status 404 "unknown storyline" "/api/timeline?storyline=999"
status 404 "digest of an unknown event" "/api/digests?event=999999"
status 200 "API index" /api
status 200 "web page" /
check "page is HTML" grep -qi '^content-type: text/html' "$T/hdr"
status 200 "script" /app.js
status 200 "HEAD" /api/status -I

# oversized headers are refused, not fatal
head -c 70000 /dev/zero | tr '\0' h >"$T/bighdr"
CODE=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H "X-Big: $(cat "$T/bighdr")" "$URL/api/status")
case "$CODE" in 4*) ok;; *) bad "70 kB header: HTTP $CODE, want 4xx";; esac

# readers keep being answered while a POST ingests 1500 articles
i=0
while [ $i -lt 1500 ]; do
	printf '{"id":"bulk%d","title":"Bulk item %d","text":"Cargo note %d: the Harwick depot shipped %d crates on time."}\n' $i $i $i $i
	i=$((i + 1))
done >"$T/bulk.jsonl"
curl -s --max-time 60 -o "$T/bulk.out" -w '%{http_code}' --data-binary "@$T/bulk.jsonl" \
	"$URL/api/articles" >"$T/bulk.code" &
BPID=$!
i=0
while [ $i -lt 60 ]; do
	printf 'url = "%s/api/search?q=Portsalt"\noutput = "/dev/null"\nurl = "%s/api/articles?limit=5"\noutput = "/dev/null"\n' "$URL" "$URL"
	i=$((i + 1))
done >"$T/burst.cfg"
curl -s --max-time 60 -Z --parallel-max 8 -K "$T/burst.cfg" -w '%{http_code}\n' >"$T/burst.codes" 2>/dev/null
wait $BPID
check "120 concurrent reads during an ingest all answered 200" \
	[ "$(grep -c '^200$' "$T/burst.codes")" = 120 ]
check "the bulk POST stored everything" sh -c "[ \"\$(cat '$T/bulk.code')\" = 201 ] && grep -q '\"stored\":1500' '$T/bulk.out'"
status 200 "bulk articles are searchable" "/api/search?q=Harwick&limit=1"
body_has "bulk search has more" '"has_more":true'
check "server still answers" sh -c "curl -sf '$URL/api/status' | grep -q '\"articles\":1504'"
stop_clean

# with a token, POST needs it; a small body limit gives 413
check "server starts with a token" start --token s3cret --max-body 1k --timeout 1
status 401 "POST without a token" /api/articles --data-binary "@$T/post.json"
check "401 asks for a bearer token" grep -qi '^www-authenticate: Bearer' "$T/hdr"
status 401 "POST with a wrong token" /api/articles -H 'Authorization: Bearer nope' --data-binary "@$T/post.json"
printf '{"id":"q2","title":"Lock keepers vote","text":"Canal lock keepers in Brindmoor voted to accept the offer."}\n' >"$T/post2.json"
status 201 "POST with the token" /api/articles -H 'Authorization: Bearer s3cret' --data-binary "@$T/post2.json"
head -c 5000 /dev/zero | tr '\0' x >"$T/big"
status 413 "body over the limit" /api/articles -H 'Authorization: Bearer s3cret' --data-binary "@$T/big"
status 200 "reads need no token" /api/articles/q2
# an idle, half-sent request is dropped after --timeout (slowloris)
if command -v python3 >/dev/null 2>&1; then
	cat >"$T/idle.py" <<'EOF2'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /api/status HTTP/1.1\r\nHost: x\r\n")
s.settimeout(10)
t = time.time()
data = s.recv(100)
sys.exit(0 if data == b"" and time.time() - t < 5 else 1)
EOF2
	check "an idle connection is closed after the timeout" python3 "$T/idle.py" "${URL##*:}"
fi
check "server still answers" sh -c "curl -sf '$URL/api/status' >/dev/null"
stop_clean

# the response cache: a repeated GET is answered from it, and what a POST
# or another process's ingest stores shows in the very next answers
SDB="$T/cache.db"
expect_rc 0 "ingest for the cache checks" "$CHR_BIN" --db "$SDB" ingest "$T/in"
check "server starts for the cache checks" start
cache_stat() { curl -sf "$URL/api/status" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
check "the status reports the cache" sh -c "curl -sf '$URL/api/status' | grep -q '\"cache\":{\"enabled\":true'"
status 200 "search before the POST" "/api/search?q=Quillmoor"
body_has "nothing found yet" '"results":\[\]'
h0=$(cache_stat hits)
status 200 "the same search again" "/api/search?q=Quillmoor"
check "a repeated GET is a cache hit" [ "$(cache_stat hits)" -gt "${h0:-0}" ]
body_has "the cached answer is the same" '"results":\[\]'
status 200 "article list before" "/api/articles?order=id"
body_has "three articles" '"total":3'
status 200 "newest before" "/api/articles?limit=1"
body_has "the dated article is the newest" '"id":"j1"'
h0=$(cache_stat hits)
status 200 "article list again" "/api/articles?order=id"
status 200 "newest again" "/api/articles?limit=1"
status 200 "HEAD of a cached list" "/api/articles?limit=1" -I
check "three more hits" [ "$(cache_stat hits)" -ge $((${h0:-0} + 3)) ]
printf '{"id":"c1","title":"Quillmoor ferry returns","date":"2031-03-04","text":"The Quillmoor ferry returned to service on Monday."}\n' >"$T/c1.json"
status 201 "POST beside the cache" /api/articles -H 'Content-Type: application/json' --data-binary "@$T/c1.json"
status 200 "search after the POST" "/api/search?q=Quillmoor"
body_has "the cached search sees the POST" '"id":"c1"'
status 200 "article list after the POST" "/api/articles?order=id"
body_has "the cached list sees the POST" '"total":4'
status 200 "newest after the POST" "/api/articles?limit=1"
body_has "the POSTed article is the newest" '"id":"c1"'
# another process stores into the same database: nothing in this server
# knows, only the database's data_version says so
i0=$(cache_stat invalidations)
printf '{"id":"c2","title":"Tern colony counted","date":"2031-05-06","text":"Wardens on Quillmoor counted the tern colony."}\n' >"$T/c2.jsonl"
expect_rc 0 "ingest beside the server" "$CHR_BIN" --db "$SDB" ingest "$T/c2.jsonl"
status 200 "search after the other ingest" "/api/search?q=Quillmoor"
body_has "the cache sees another process's ingest" '"id":"c2"'
status 200 "article list after the other ingest" "/api/articles?order=id"
body_has "the list counts it" '"total":5'
status 200 "newest after the other ingest" "/api/articles?limit=1"
body_has "the ingested article is the newest" '"id":"c2"'
check "the change was seen as an invalidation" [ "$(cache_stat invalidations)" -gt "${i0:-0}" ]
stop_clean
SDB=""

# the seeds: facts, conflicts and the timeline have real content
S=$(shared) && [ -d "$S/corpus/seeds" ] && {
	SDB="$T/seeds.db"
	expect_rc 0 "ingest the seeds" "$CHR_BIN" --db "$SDB" ingest "$S/corpus/seeds"
	check "server starts over the seeds" start
	status 200 "seed facts" /api/facts
	body_has "a Choe Son-hui - Sergei Lavrov meeting" '"type":"meeting","status":"happened","who":"Choe Son-hui","with":\["Sergei Lavrov"\]'
	body_has "facts quote their sentences" '"sentences":\[{"article":"'
	status 200 "facts of an entity by alias" "/api/facts?entity=Lavrov"
	body_has "the entity's facts" '"Sergei Lavrov"'
	status 200 "seed conflicts" /api/conflicts
	body_has "three-day vs five-day duration" '"kind":"duration"'
	body_has "the five-day side" '"value":"P5D"'
	body_has "the three-day side" '"value":"P3D"'
	status 200 "timeline of an entity" "/api/timeline?entity=Choe%20Son-hui"
	body_has "timeline is dated" '"date":"2019-11-20"'
	status 200 "timeline with words" "/api/timeline?query=Lavrov&limit=1"
	body_has "timeline query finds Lavrov" 'Lavrov'
	body_has "timeline pages" '"has_more":'
	status 200 "timeline of a storyline" "/api/timeline?storyline=1"
	body_has "the storyline has dated entries" '"date":"2019-11-'
	status 200 "seed digests" "/api/digests?limit=1"
	body_has "a digest has a summary" '"summary":\[{"article":'
	stop_clean
	SDB=""
}

expect_rc 2 "bad port is a usage error" chr serve --port 99999
rm -f "$T/serve.out" "$T/serve.err"
"$CHR_BIN" --db "$T/db" serve --bind 0.0.0.0 --port 0 >"$T/serve.out" 2>"$T/serve.err" &
SPID=$!
n=0
while [ $n -lt 100 ] && ! grep -q listening "$T/serve.out" 2>/dev/null; do sleep 0.1; n=$((n + 1)); done
check "binding beyond loopback warns" grep -q 'warning' "$T/serve.err"
stop
finish
