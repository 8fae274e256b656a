#!/usr/bin/env bash
# The riscv64 Linux boot, recorded, replays identically; one event edited in
# the recording is caught at that event; recording costs at most 2x a plain run
# in instructions (the recording is written, nothing else changes: the run's
# own figures are compared, never wall-clock time).
# usage: linux_replay.sh HYPSIM GUEST_DIR SOURCE_DIR
set -u
hypsim=$1 guest=$2 src=$3
. "$(dirname "$0")/lib.sh"
scn=$src/scenarios/linux-riscv64.scn

timeout 300 "$hypsim" run --guest-dir "$guest" --json "$scn" 2>&1 | head -c 100000 >"$tmp/plain.json"
timeout 300 "$hypsim" run --guest-dir "$guest" --json --record "$tmp/boot.rec" "$scn" 2>&1 | head -c 100000 >"$tmp/rec.json"
check "the recorded boot passes" grep -q '"status":"pass"' "$tmp/rec.json"
check "recording changes nothing the run reports" cmp -s "$tmp/plain.json" "$tmp/rec.json"

timeout 300 "$hypsim" replay --guest-dir "$guest" "$tmp/boot.rec" 2>&1 | head -c 20000 >"$tmp/out"
check "the boot replays identically" grep -q "^replay: identical: " "$tmp/out"

# The kernel's 'L' of "Linux version" on the SBI console, edited to 'X'.
line=$(grep -n '"kind":"sbi","eid":"0x1","fid":"0x0","args":\["0x4c"' "$tmp/boot.rec" | head -1 | cut -d: -f1)
sed "${line}s/\"args\":\[\"0x4c\"/\"args\":[\"0x58\"/" "$tmp/boot.rec" >"$tmp/edit.rec"
timeout 300 "$hypsim" replay --guest-dir "$guest" "$tmp/edit.rec" 2>&1 | head -c 20000 >"$tmp/out"
check "an edited console byte is caught at its line ($line)" grep -q "DIVERGED at $tmp/edit.rec:$line," "$tmp/out"
check "... naming the argument" grep -q 'differs:  args\[0\]: expected "0x58", actual "0x4c"' "$tmp/out"
# Another kernel under the same name: refused before anything runs (exit 2).
mkdir -p "$tmp/g/linux/riscv64"
{ cat "$guest/linux/riscv64/Image"; printf 'x'; } >"$tmp/g/linux/riscv64/Image"
timeout 300 "$hypsim" replay --guest-dir "$tmp/g" "$tmp/boot.rec" >"$tmp/out" 2>&1
rc=$?
check "another Image: a bad recording (exit 2)" test "$rc" -eq 2
check "... naming the Image" grep -q "image linux/riscv64/Image differs from the recorded one" "$tmp/out"
exit $fail
