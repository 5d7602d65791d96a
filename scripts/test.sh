#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Run every libssm test: install missing dependencies, build with
# AddressSanitizer + UndefinedBehaviorSanitizer and run all C suites, run the
# unit suites again under valgrind, run the Python and Go binding suites, run
# the fuzz targets for a bounded time in a clang build, and end with one line
# "N passed, M failed" summing every suite.
# Exit status is non-zero when anything failed.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)

./scripts/install-deps.sh || exit 1

status=0
logs=""
# results of an earlier run must never be counted
rm -f build-san/meson-logs/*.json build-plain/meson-logs/*.json build-fuzz/meson-logs/*.json
SAN=build-san
PLAIN=build-plain
FUZZ=build-fuzz

run() {
	echo "+ $*"
	"$@" || status=1
}

# 1. Sanitizers: every C suite (unit, store, meta, crash, interop, ...).
if [ -d "$SAN/meson-private" ]; then
	run meson setup --reconfigure "$SAN" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
else
	run meson setup "$SAN" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
fi
run meson compile -C "$SAN"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	run meson test -C "$SAN" -v --print-errorlogs --logbase sanitize \
	--no-suite python --no-suite go --no-suite bench
logs="$logs $SAN/meson-logs/sanitize.json"

# 2. Plain build: the unit suites under valgrind, then the bindings.
if [ -d "$PLAIN/meson-private" ]; then
	run meson setup --reconfigure "$PLAIN" -Dwerror=true
else
	run meson setup "$PLAIN" -Dwerror=true
fi
run meson compile -C "$PLAIN"
run meson test -C "$PLAIN" -v --print-errorlogs --logbase valgrind --suite unit \
	--wrap='valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite -q' \
	--timeout-multiplier 10
# meson names the log after the wrapper too (valgrind-valgrind.json)
logs="$logs $(ls "$PLAIN"/meson-logs/valgrind*.json 2>/dev/null || echo "$PLAIN/meson-logs/valgrind.json")"
if meson test -C "$PLAIN" --list 2>/dev/null | grep -qE '^libssm:(python|go)'; then
	run meson test -C "$PLAIN" -v --print-errorlogs --logbase bindings --suite python --suite go
	logs="$logs $PLAIN/meson-logs/bindings.json"
fi

# 3. Fuzzing: the libFuzzer targets in a clang build with ASan+UBSan, each for
# SSM_FUZZ_SECONDS (default 60); one result per target.
fuzz_opts="-Dfuzz=enabled -Dfuzz_seconds=${SSM_FUZZ_SECONDS:-60} -Dwerror=true
	-Db_sanitize=address,undefined -Db_lundef=false
	-Dexamples=false -Dbench=false -Dpython=disabled -Dgo=disabled"
if [ -d "$FUZZ/meson-private" ]; then
	# shellcheck disable=SC2086
	run env CC=clang meson setup --reconfigure "$FUZZ" $fuzz_opts
else
	# shellcheck disable=SC2086
	run env CC=clang meson setup "$FUZZ" $fuzz_opts
fi
run meson compile -C "$FUZZ"
run meson test -C "$FUZZ" -v --print-errorlogs --logbase fuzz --suite fuzz
logs="$logs $FUZZ/meson-logs/fuzz.json"

# shellcheck disable=SC2086
/usr/bin/python3 "$top/scripts/count-results.py" $logs || status=1
exit $status
