#!/usr/bin/env bash
# Re-record the golden recordings in tests/recordings/ (after a deliberate
# change of behaviour; review the diff).  usage: scripts/record-golden.sh [BUILD_DIR]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
out=$src/tests/recordings
golden=(
	scenarios/pkvm-boot-mainline.scn
	scenarios/pkvm-boot-android.scn
	scenarios/pkvm-smp.scn
	scenarios/riscv64-sstc.scn
	tests/scenarios/sstc-case07-2-63-1GHz-10MHz.scn
	scenarios/arm64-gic-smp.scn
	tests/scenarios/gtimer-edges-100MHz-1GHz.scn
	scenarios/s390x-aen-sic.scn
	tests/scenarios/s390x-aen-forwarding.scn
)
for scn in "${golden[@]}"; do
	name=$(basename "$scn" .scn)
	"$build/tools/hypsim" run -q --guest-dir "$build/guest" --digest-every 20000 \
		--record "$out/$name.rec" "$src/$scn"
done
# The Linux boot (57 ms of virtual time) with the default digest interval.
bash "$src/scripts/build-linux.sh" riscv64 --guest-dir "$build/guest"
"$build/tools/hypsim" run -q --guest-dir "$build/guest" --record "$out/linux-riscv64.rec" "$src/scenarios/linux-riscv64.scn"
# The same kernel under Debian's OpenSBI (64 ms), with the firmware in M-mode.
"$build/tools/hypsim" run -q --guest-dir "$build/guest" --record "$out/linux-riscv64-opensbi.rec" "$src/scenarios/linux-riscv64-opensbi.scn"
# The arm64 host kernel's boot under pKVM (54 ms), likewise.
bash "$src/scripts/build-linux.sh" arm64 --guest-dir "$build/guest"
"$build/tools/hypsim" run -q --guest-dir "$build/guest" --record "$out/linux-arm64-pkvm.rec" "$src/scenarios/linux-arm64-pkvm.scn"
ls -l "$out"
