#!/usr/bin/env bash
# The Linux boots (riscv64, arm64 as pKVM's host, riscv64 under OpenSBI), recorded, replay
# identically; one console byte edited in the recording is caught at that
# event; recording changes nothing the run reports (the run's own figures are
# compared, never wall-clock time); another Image under the same name is
# refused.  The arm64 boot's hypercalls and host stage-2 faults also replay
# through the pKVM model alone (replay --model).
# usage: linux_replay.sh HYPSIM GUEST_DIR SOURCE_DIR
set -u
hypsim=$1 guest=$2 src=$3
. "$(dirname "$0")/lib.sh"

# ARCH SCENARIO SED-PATTERN-OF-THE-FIRST-'L' SED-REPLACEMENT FIELD
boot() {
	local arch=$1 scn=$src/scenarios/$2 pat=$3 rep=$4 field=$5 line rc
	timeout 300 "$hypsim" run --guest-dir "$guest" --json "$scn" 2>&1 | head -c 100000 >"$tmp/plain.json"
	timeout 300 "$hypsim" run --guest-dir "$guest" --json --record "$tmp/boot.rec" "$scn" 2>&1 | head -c 100000 >"$tmp/rec.json"
	check "$arch: the recorded boot passes" grep -q '"status":"pass"' "$tmp/rec.json"
	check "$arch: recording changes nothing the run reports" cmp -s "$tmp/plain.json" "$tmp/rec.json"

	timeout 300 "$hypsim" replay --guest-dir "$guest" "$tmp/boot.rec" 2>&1 | head -c 20000 >"$tmp/out"
	check "$arch: the boot replays identically" grep -q "^replay: identical: " "$tmp/out"

	# The kernel's 'L' of "Linux version" on the console, edited to 'X'.
	line=$(grep -n "$pat" "$tmp/boot.rec" | sed -n 2p | cut -d: -f1)
	sed "${line}s/$pat/$rep/" "$tmp/boot.rec" >"$tmp/edit.rec"
	timeout 300 "$hypsim" replay --guest-dir "$guest" "$tmp/edit.rec" 2>&1 | head -c 20000 >"$tmp/out"
	check "$arch: an edited console byte is caught at its line ($line)" grep -q "DIVERGED at $tmp/edit.rec:$line," "$tmp/out"
	check "$arch: ... naming the field" grep -q "differs:  $field: expected \"0x58\", actual \"0x4c\"" "$tmp/out"
	# Another kernel under the same name: refused before anything runs (exit 2).
	mkdir -p "$tmp/g/linux/$arch"
	{ cat "$guest/linux/$arch/Image"; printf 'x'; } >"$tmp/g/linux/$arch/Image"
	timeout 300 "$hypsim" replay --guest-dir "$tmp/g" "$tmp/boot.rec" >"$tmp/out" 2>&1
	rc=$?
	check "$arch: another Image: a bad recording (exit 2)" test "$rc" -eq 2
	check "$arch: ... naming the Image" grep -q "image linux/$arch/Image differs from the recorded one" "$tmp/out"
}

# riscv64: SBI legacy putchar (the second 'L' on the console)
boot riscv64 linux-riscv64.scn '"kind":"sbi","eid":"0x1","fid":"0x0","args":\["0x4c"' \
	'"kind":"sbi","eid":"0x1","fid":"0x0","args":["0x58"' 'args\[0\]'
# arm64: a PL011 data register store (the first 'L' is "Booting Linux", the second "Linux version")
boot arm64 linux-arm64-pkvm.scn '"addr":"0x9000000","size":1,"value":"0x4c"' \
	'"addr":"0x9000000","size":1,"value":"0x58"' 'value'

timeout 300 "$hypsim" replay --model --guest-dir "$guest" "$tmp/boot.rec" 2>&1 | head -c 20000 >"$tmp/out"
check "arm64: the pKVM model alone replays the boot's calls and faults" \
	grep -q "^model replay: identical: 17 hypercalls, 6 stage-2 faults" "$tmp/out"
# riscv64 under Debian's OpenSBI: an NS16550 transmit-holding-register store (the second 'L' on the console)
boot riscv64 linux-riscv64-opensbi.scn '"addr":"0x10000000","size":1,"value":"0x4c"' \
	'"addr":"0x10000000","size":1,"value":"0x58"' 'value'
exit $fail
