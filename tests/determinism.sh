#!/usr/bin/env bash
# Determinism: every shipped scenario is run twice, the second time with a
# CPU-burning process on each core, and the trace files and JSON summaries
# must be byte-identical; a third run with the per-instruction reference
# clock (--clock insn) must match them too.  Traces are cut at 20 MB (the
# long per-CPU stress runs would write hundreds), at the same event every
# time.  The counter scenarios must also report the same counter values in
# both runs (and report some).
# usage: determinism.sh HYPSIM GUEST_DIR SCENARIO...
set -u
hypsim=$1 guest=$2
shift 2
tmp=$(mktemp -d)
burners=()
cleanup() {
	for p in "${burners[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

"$hypsim" run --guest-dir "$guest" --disasm --trace-limit 20000000 --json --trace "$tmp/quiet.jsonl" "$@" >"$tmp/quiet.json" 2>/dev/null
for _ in 1 2; do
	(end=$((SECONDS + 120)); while [ $SECONDS -lt $end ]; do :; done) &
	burners+=($!)
done
"$hypsim" run --guest-dir "$guest" --disasm --trace-limit 20000000 --json --trace "$tmp/loaded.jsonl" "$@" >"$tmp/loaded.json" 2>/dev/null
for p in "${burners[@]}"; do kill "$p" 2>/dev/null; done

# The per-instruction reference clock must give the same bytes as the block clock.
"$hypsim" run --guest-dir "$guest" --disasm --trace-limit 20000000 --json --clock insn --trace "$tmp/insn.jsonl" "$@" >"$tmp/insn.json" 2>/dev/null

fail=0
if ! cmp -s "$tmp/quiet.jsonl" "$tmp/insn.jsonl" || ! cmp -s "$tmp/quiet.json" "$tmp/insn.json"; then
	echo "FAIL: the block clock and the per-instruction clock disagree:"
	diff "$tmp/insn.jsonl" "$tmp/quiet.jsonl" | head -10
	fail=1
fi
if ! cmp -s "$tmp/quiet.jsonl" "$tmp/loaded.jsonl"; then
	echo "FAIL: traces differ between an idle and a loaded host:"
	diff "$tmp/quiet.jsonl" "$tmp/loaded.jsonl" | head -10
	fail=1
fi
if ! cmp -s "$tmp/quiet.json" "$tmp/loaded.json"; then
	echo "FAIL: JSON summaries differ"
	fail=1
fi
reads=$(grep -c '"kind":"counter-read"' "$tmp/quiet.jsonl")
if [ "$reads" -lt 4 ]; then
	echo "FAIL: expected counter reads in the traces, found $reads"
	fail=1
elif ! diff <(grep '"counter-read"' "$tmp/quiet.jsonl") <(grep '"counter-read"' "$tmp/loaded.jsonl") >/dev/null; then
	echo "FAIL: counter values differ between runs"
	fail=1
fi
lines=$(wc -l <"$tmp/quiet.jsonl")
echo "determinism: $# scenarios, $lines trace lines, $reads counter reads compared"
if [ "$fail" -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit "$fail"
