#!/usr/bin/env bash
# The libFuzzer harnesses (tests/fuzz/), built with clang, ASan and UBSan, each
# run for a few seconds: bad input must give errors, never crashes or leaks.
# usage: scripts/fuzz-smoke.sh [SECONDS]   (run long: see README "Fuzzing")
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
dir=build-libfuzzer
CC=clang cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHYPSIM_LIBFUZZER=ON >/dev/null
cmake --build "$dir" -j"$(nproc)" --target fuzz_scenario fuzz_recording fuzz_hcall fuzz_irqgen >/dev/null
fail=0
for h in fuzz_scenario fuzz_recording fuzz_hcall fuzz_irqgen; do
	corpus=$(mktemp -d)
	[ -d tests/fuzz/corpus/$h ] && cp tests/fuzz/corpus/$h/* "$corpus/"
	if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 timeout $((secs * 4 + 60)) \
		"$dir/tests/fuzz/$h" -max_total_time="$secs" -max_len=4096 -len_control=0 -rss_limit_mb=4096 \
		-print_final_stats=1 "$corpus" >"$corpus.log" 2>&1; then
		echo "ok   $h: $(grep -o 'Done [0-9]* runs' "$corpus.log")"
	else
		echo "FAIL $h"; tail -n 30 "$corpus.log"; fail=1
	fi
	rm -rf "$corpus" "$corpus.log"
done
echo "$((4 - fail)) passed, $fail failed"
exit $fail
