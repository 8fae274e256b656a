#!/usr/bin/env bash
# README command 2 (and .ci/run): install what is missing, then build and run
# the whole test suite twice: a normal build and an ASan+UBSan build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
jobs=$(nproc)
for variant in release asan; do
	dir=build-test-$variant
	opts=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
	[ "$variant" = asan ] && opts=(-DCMAKE_BUILD_TYPE=Debug -DHYPSIM_SANITIZE=ON)
	echo "== $variant build ($dir)"
	cmake -S . -B "$dir" "${opts[@]}" >/dev/null
	cmake --build "$dir" -j"$jobs" >/dev/null
	echo "== $variant tests"
	(cd "$dir" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest -j"$jobs" --output-on-failure --timeout 600)
done
echo "== libFuzzer smoke (seconds each)"
bash scripts/fuzz-smoke.sh 5
