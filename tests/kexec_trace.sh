#!/usr/bin/env bash
# The kexec traces (issue 8): with relocation, the routine's cache
# maintenance appears in the trace (dc cvac for every 64-byte line of the
# three copied pages, then dsb nsh; ic iallu; dsb nsh; isb, in that order)
# and every store into DEST comes from its copy loop; in place, the trace
# has no routine instruction and no store into the image.
# usage: kexec_trace.sh HYPSIM GUEST_DIR SOURCE_DIR
set -u
hypsim=$1 guest=$2 src=$3
. "$(dirname "$0")/lib.sh"

for c in relocate in-place; do
	timeout 60 "$hypsim" run -q --guest-dir "$guest" --trace "$tmp/$c.jsonl" --trace-limit 5000000 \
		"$src/tests/scenarios/arm64-kexec-$c.scn" >"$tmp/$c.out" 2>&1 || { cat "$tmp/$c.out"; fail=1; }
done
r=$tmp/relocate.jsonl
check "relocate: 192 dc cvac (3 pages x 64 lines)" test "$(grep -c '"insn":"dc cvac, ' "$r")" -eq 192
check "relocate: dsb nsh; ic iallu; dsb nsh; isb at the end, in order" test \
	"$(grep -o '"insn":"\(dsb nsh\|ic iallu\|isb\)"' "$r" | tr '\n' ' ')" = \
	'"insn":"dsb nsh" "insn":"ic iallu" "insn":"dsb nsh" "insn":"isb" '
check "relocate: every store into DEST is the copy loop's stp" test \
	"$(grep '"kind":"mem-write"' "$r" | grep -v '"pc":"0x4010004c"' | wc -l)" -eq 0
check "relocate: the image is entered after the isb" test \
	"$(grep -n '"insn":"isb"' "$r" | cut -d: -f1)" -lt "$(grep -n '"kind":"semihost"' "$r" | head -1 | cut -d: -f1)"
p=$tmp/in-place.jsonl
check "in place: no routine instruction" test "$(grep -c '"kind":"code"' "$p")" -eq 0
check "in place: no store into the image" test "$(grep -c '"kind":"mem-write"' "$p")" -eq 0
check "in place: the image exits 0" grep -q '"kind":"exit","code":0' "$p"
exit $fail
