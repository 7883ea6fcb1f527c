#!/bin/sh
# test_timeline.sh: `chronicle timeline --storyline ID` and `chronicle
# events --limit/--offset` over the bundled
# sample (examples/): every entry it prints belongs to one of that
# storyline's events, the entries come in date order, and a missing or
# malformed storyline id is an error.  Which storylines the sample gives
# is the events stage's business (tests/unit/test_events.c); this test
# takes whatever the store holds.
. tests/cli/lib.sh

expect_rc 0 "ingest the sample" chr ingest --quiet examples/*.txt examples/*.jsonl
expect_rc 0 "storylines --json" chr storylines --json
cp "$T/out" "$T/stories"
check "the sample has a storyline" test -s "$T/stories"

# The first storyline whose timeline has entries: its id and its events,
# from {"id":N,...,"events":[a,b]}
sid=; evs=
while IFS= read -r line; do
	id=$(printf '%s\n' "$line" | sed -n 's/^{"id":\([0-9]*\),.*/\1/p')
	chr timeline --storyline "$id" --json > "$T/entries" 2>/dev/null || continue
	if [ -s "$T/entries" ]; then
		sid=$id
		evs=$(printf '%s\n' "$line" | sed -n 's/.*"events":\[\([0-9,]*\)\].*/\1/p' | tr ',' ' ')
		break
	fi
done < "$T/stories"
check "a storyline with timeline entries" test -n "$sid"
check "storyline events parsed" test -n "$evs"

expect_rc 0 "timeline --storyline" chr timeline --storyline "$sid" --json
cp "$T/out" "$T/entries"
expect_rc 0 "timeline without a filter" chr timeline --json
cp "$T/out" "$T/all"
n=$(wc -l < "$T/entries"); all=$(wc -l < "$T/all")
check "the storyline has entries" test "$n" -gt 0
check "the filter keeps no more than the whole timeline" test "$n" -le "$all"
bad=0
while IFS= read -r line; do
	e=$(printf '%s\n' "$line" | sed -n 's/.*"event":\([0-9]*\).*/\1/p')
	found=0
	for x in $evs; do [ "$x" = "$e" ] && found=1; done
	[ "$found" = 1 ] || { bad=$((bad + 1)); echo "  entry outside storyline $sid: $line" >&2; }
done < "$T/entries"
check "every entry is in the storyline's events" test "$bad" = 0
sed 's/^{"date":"\([^"]*\)".*/\1/' "$T/entries" > "$T/dates"
check "entries in date order" sort -c "$T/dates"
# Entries outside the storyline exist in the whole timeline when the store
# has events outside it, and the filter drops exactly those.
others=0
while IFS= read -r line; do
	e=$(printf '%s\n' "$line" | sed -n 's/.*"event":\([0-9]*\).*/\1/p')
	found=0
	for x in $evs; do [ "$x" = "$e" ] && found=1; done
	[ "$found" = 1 ] || others=$((others + 1))
done < "$T/all"
check "filtered + others = whole timeline" test $((n + others)) = "$all"

expect_rc 1 "missing storyline exits 1" chr timeline --storyline 999999
check "missing storyline is named" contains "$T/err" "no storyline 999999"
expect_rc 2 "malformed storyline id is a usage error" chr timeline --storyline x1
expect_rc 2 "zero storyline id is a usage error" chr timeline --storyline 0
expect_rc 0 "text view with a storyline" chr timeline --storyline "$sid"
check "text view prints entries" test -s "$T/out"

# events paging: --limit/--offset walk the same list --limit 0 prints whole
expect_rc 0 "all events" chr events --json --limit 0
cp "$T/out" "$T/events"
nev=$(wc -l < "$T/events")
check "the sample has two events or more" test "$nev" -ge 2
expect_rc 0 "first event" chr events --json --limit 1
check "--limit 1 prints one event" test "$(wc -l < "$T/out")" = 1
check "--limit 1 is the first event" test "$(cat "$T/out")" = "$(sed -n 1p "$T/events")"
expect_rc 0 "second event" chr events --json --limit 1 --offset 1
check "--offset 1 is the second event" test "$(cat "$T/out")" = "$(sed -n 2p "$T/events")"
expect_rc 0 "text view with a limit" chr events --limit 1
check "a cut list says how to see more" contains "$T/out" "offset 1 for the next"
expect_rc 2 "a limit that is not a count" chr events --limit x
expect_rc 2 "a negative offset" chr events --offset -1
finish
