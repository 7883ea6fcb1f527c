#!/bin/sh
# Short libFuzzer runs of every fuzz/fuzz_*.c target (the long runs are
# `make fuzz`).  Each target counts as one check: it must build and run
# FUZZ_SMOKE_SECONDS (default 20) without a crash, leak or UB report.
# -entropic=0: libFuzzer's entropic scheduling kept per-feature counts
# that took ~60 % of the time on targets as large as these (perf); without
# it fuzz_read runs ~1,700 inputs a second, not ~200, and covers more.
. tests/cli/lib.sh
if [ "${CHR_SKIP_FUZZ:-0}" = 1 ]; then echo "skip: CHR_SKIP_FUZZ=1"; finish; exit; fi
if ! command -v clang >/dev/null 2>&1; then echo "skip: clang not installed"; finish; exit; fi
if ! make -s --no-print-directory fuzz-build >"$T/build.log" 2>&1; then
	cat "$T/build.log" >&2; bad "fuzz targets build"; finish; exit 1
fi
for f in build-fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	n=$(basename "$f"); mkdir -p "$T/$n"
	corpus="fuzz/corpus/$n"; [ -d "$corpus" ] || corpus=""
	if "$f" -entropic=0 -max_total_time="${FUZZ_SMOKE_SECONDS:-20}" -max_len=16384 -timeout=10 \
		-rss_limit_mb=2048 "$T/$n" $corpus >"$T/$n.log" 2>&1; then ok
	else tail -40 "$T/$n.log" >&2; bad "$n"; fi
done
finish
