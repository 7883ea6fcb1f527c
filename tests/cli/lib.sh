# lib.sh: helpers for CLI tests (sourced).  Each test script counts its
# checks and ends with "N passed, N failed" like the C harness.
# CHR_BIN is the chronicle binary; each script works in its own temp dir.
: "${CHR_BIN:=build/chronicle}"
case "$CHR_BIN" in /*) ;; *) CHR_BIN="$(pwd)/$CHR_BIN";; esac
REPO=$(pwd)
T=$(mktemp -d)
[ -n "$KEEP" ] || trap 'rm -rf "$T"' EXIT
PASS=0; FAIL=0
ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "  FAIL: $*" >&2; }
# check DESCRIPTION COMMAND...: passes when the command succeeds
check() { d=$1; shift; if "$@"; then ok; else bad "$d"; fi; }
# expect_rc WANT DESCRIPTION COMMAND...
expect_rc() { want=$1; d=$2; shift 2; "$@" >"$T/out" 2>"$T/err"; rc=$?
	if [ "$rc" = "$want" ]; then ok; else bad "$d: exit $rc, want $want"; sed 's/^/    /' "$T/err" >&2; fi; }
contains() { grep -q -- "$2" "$1"; }
finish() { echo "$PASS passed, $FAIL failed"; [ "$FAIL" = 0 ]; }
chr() { "$CHR_BIN" --db "$T/db" "$@"; }
shared() { [ -d "${CHR_SHARED:-$REPO/../shared}" ] && echo "${CHR_SHARED:-$REPO/../shared}"; }
