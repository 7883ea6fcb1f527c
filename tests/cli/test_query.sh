#!/bin/sh
# CLI: articles, article, search, --db and $CHRONICLE_DB.
. tests/cli/lib.sh

mkdir -p "$T/in"
printf 'Harbour strike ends\n\nPortsalt dock workers returned on Friday after a pay deal.\n' >"$T/in/a1.txt"
printf 'Bridge vote passes\n\nThe Elmford council approved the river bridge.\n' >"$T/in/a2.txt"
expect_rc 0 "ingest" chr ingest "$T/in"

expect_rc 0 "articles table" chr articles
check "table lists both" sh -c "grep -q a1 '$T/out' && grep -q a2 '$T/out'"
expect_rc 0 "articles --json" chr articles --json
check "one JSON object per line" [ "$(wc -l <"$T/out")" = 2 ]
check "JSON has headline" contains "$T/out" '"headline":"Harbour strike ends"'
expect_rc 0 "article --json" chr article --json a2
check "article JSON has text" contains "$T/out" 'Elmford council'
expect_rc 1 "unknown article exits 1" chr article nosuch
expect_rc 2 "article without id is a usage error" chr article

expect_rc 0 "search finds a word" chr search --json dock
check "search hit" contains "$T/out" '"id":"a1"'
check "search snippet marks the match" contains "$T/out" '\[dock\]'
expect_rc 0 "search with no match" chr search zeppelin
check "no-match summary" contains "$T/out" "0 matches"
expect_rc 2 "malformed query is a usage error" chr search 'dock AND ('
expect_rc 2 "unbalanced quote is a usage error" chr search '"dock'
expect_rc 2 "empty query is a usage error" chr search ''

CHRONICLE_DB="$T/db" "$CHR_BIN" articles >"$T/out" 2>&1
check "CHRONICLE_DB selects the database" contains "$T/out" "2 articles"
finish
