#!/bin/bash
# The block clock and the per-instruction reference clock give byte-identical
# traces and summaries for each scenario given, and each passes under both.
# Usage: clocks_agree.sh HYPSIM GUEST_DIR SCENARIO...
set -u
hypsim=$1 guest=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for scn in "$@"; do
	for c in block insn; do
		timeout -s KILL 120 "$hypsim" run -q --guest-dir "$guest" --clock $c --json --trace "$tmp/$c.jsonl" "$scn" \
			>"$tmp/$c.json" 2>&1 || { echo "FAIL $scn does not pass with --clock $c"; head -c 2000 "$tmp/$c.json"; fail=1; }
	done
	if cmp -s "$tmp/block.jsonl" "$tmp/insn.jsonl" && cmp -s "$tmp/block.json" "$tmp/insn.json"; then
		echo "ok   $scn: both clocks agree"
	else
		echo "FAIL $scn: the clocks disagree"
		diff "$tmp/block.jsonl" "$tmp/insn.jsonl" | head -10
		fail=1
	fi
done
exit $fail
