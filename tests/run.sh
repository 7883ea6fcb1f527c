#!/bin/sh
# run.sh: run every unit-test binary and every CLI test script, add up
# their "N passed, N failed" lines, and end with the total on its own line.
# Usage: tests/run.sh BUILD_DIR
BUILD=${1:-build}
pass=0; fail=0; broken=""
out=$(mktemp); trap 'rm -f "$out"' EXIT
for t in "$BUILD"/tests/test_* tests/cli/test_*.sh; do
	[ -e "$t" ] || continue
	case "$t" in *.d|*.o) continue;; esac
	if [ "${t%.sh}" != "$t" ]; then
		CHR_BIN="$BUILD/chronicle" sh "$t" >"$out" 2>&1; rc=$?
	else
		"$t" >"$out" 2>&1; rc=$?
	fi
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	set -- $(echo "$line" | awk '{for(i=2;i<=NF;i++){if($i=="passed,")p=$(i-1);if($i ~ /^failed/)f=$(i-1)}} END{print p+0, f+0}')
	p=$1; f=$2
	[ -n "$line" ] || { p=0; f=1; }
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
	if [ "$f" != 0 ] || [ "${VERBOSE:-0}" = 1 ]; then cat "$out"; fi
	[ "$f" != 0 ] && broken="$broken $t"
	echo "$(basename "$t"): ${p} passed, ${f} failed (exit $rc)" | sed 's/^/# /'
	pass=$((pass + p)); fail=$((fail + f))
done
[ -n "$broken" ] && echo "# failing:$broken"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
