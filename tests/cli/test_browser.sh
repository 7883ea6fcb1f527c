#!/bin/sh
# Browser tests for `chronicle serve`: Playwright (tests/browser/) driving
# Debian's chromium against a server over the seeds and the bundled sample.
# Skips (0 failed) when chromium or node is missing, unless CI is set.
# Screenshots go to tests/out/screenshots/.  Ends with "N passed, N failed".
. tests/cli/lib.sh

CHROMIUM=${CHR_CHROMIUM:-/usr/bin/chromium}
missing=""
[ -x "$CHROMIUM" ] || missing="$missing chromium"
command -v node >/dev/null 2>&1 || missing="$missing node"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
if [ -n "$missing" ]; then
	if [ -n "${CI:-}" ]; then
		bad "browser tests need:$missing (run make deps)"
	else
		echo "skipped: browser tests need:$missing (install with make deps)"
	fi
	finish
	exit $?
fi

# npm packages from the lockfile (offline cache first; the registry is
# only asked when the cache lacks them).
B="$REPO/tests/browser"
if [ ! -d "$B/node_modules/playwright-core" ] || [ "$B/package-lock.json" -nt "$B/node_modules/.package-lock.json" ]; then
	if ! (cd "$B" && { npm ci --prefer-offline --no-audit --no-fund --loglevel=error >"$T/npm.log" 2>&1 ||
		npm ci --no-audit --no-fund --loglevel=error >"$T/npm.log" 2>&1; }); then
		bad "npm ci in tests/browser failed"; sed 's/^/    /' "$T/npm.log" >&2
		finish
		exit $?
	fi
fi
ok

# The database: the seeds and the bundled sample, when present.
SEEDS=0; EXAMPLES=0
S=$(shared) && [ -d "$S/corpus/seeds" ] && {
	expect_rc 0 "ingest the seeds" chr ingest "$S/corpus/seeds"; SEEDS=1; }
set -- "$REPO"/examples/*.txt "$REPO"/examples/*.jsonl
ex=""
for f in "$@"; do [ -f "$f" ] && ex="$ex $f"; done
if [ -n "$ex" ]; then
	# shellcheck disable=SC2086
	expect_rc 0 "ingest the bundled sample" chr ingest $ex; EXAMPLES=1
fi
if [ "$SEEDS$EXAMPLES" = 00 ]; then
	printf 'Valmora harbour reopens\n\nThe port of Valmora reopened on Monday after a strike.\n(@Handle) Read more\n' >"$T/a1.txt"
	expect_rc 0 "ingest a stand-in article" chr ingest "$T/a1.txt"
fi

# The server, on a free port.
"$CHR_BIN" --db "$T/db" serve --port 0 >"$T/serve.out" 2>"$T/serve.err" &
SPID=$!
trap 'kill $SPID 2>/dev/null; wait $SPID 2>/dev/null; rm -rf "$T"' EXIT
URL=""
i=0
while [ $i -lt 100 ] && [ -z "$URL" ]; do
	URL=$(sed -n 's|^listening on \(http://[^ ]*/\)$|\1|p' "$T/serve.out")
	[ -n "$URL" ] || sleep 0.1
	i=$((i + 1))
done
if [ -z "$URL" ]; then
	bad "server did not start"; cat "$T/serve.err" >&2
	finish
	exit $?
fi
ok

SHOTS="$REPO/tests/out/screenshots"
mkdir -p "$SHOTS"
(cd "$B" && CHR_URL="$URL" CHR_SHOTS="$SHOTS" CHR_SEEDS=$SEEDS CHR_EXAMPLES=$EXAMPLES \
	CHR_CHROMIUM="$CHROMIUM" timeout 240 node --test --test-concurrency=1 \
	--test-reporter=tap serve.test.mjs) >"$T/node.out" 2>&1
rc=$?
np=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$T/node.out" | tail -n 1)
nf=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$T/node.out" | tail -n 1)
if [ -z "$np" ] || [ -z "$nf" ]; then
	bad "node --test did not report (exit $rc)"; tail -n 40 "$T/node.out" >&2
else
	PASS=$((PASS + np)); FAIL=$((FAIL + nf))
	if [ "$nf" != 0 ] || [ "$rc" != 0 ]; then
		[ "$nf" != 0 ] || bad "node --test exited $rc"
		grep -B2 -A25 '^not ok' "$T/node.out" | head -n 120 >&2
	fi
fi
check "server still answers after the browser run" \
	sh -c "curl -sf '${URL}api/status' >/dev/null"
echo "screenshots: $SHOTS"
finish
