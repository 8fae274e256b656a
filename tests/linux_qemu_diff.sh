#!/usr/bin/env bash
# The riscv64 Linux boot under hypsim and under qemu-system-riscv64 -M virt
# -icount shift=0 (QEMU 7.2 with its bundled OpenSBI 1.1) print the same kernel
# and init console lines, numbers masked.  Lines that name the platform differ
# by design and are left out: the machine model, the SBI firmware's spec version
# and implementation id, and the ISA (QEMU's virt CPU also has H and Zihintpause,
# and its own marchid/mimpid).  Skipped (77) without QEMU.
# usage: linux_qemu_diff.sh HYPSIM GUEST_DIR SOURCE_DIR
set -u
hypsim=$1 guest=$2 src=$3
. "$(dirname "$0")/lib.sh"
command -v qemu-system-riscv64 >/dev/null || { echo "skip: no qemu-system-riscv64"; exit 77; }
platform='^(Machine model:|SBI specification|SBI implementation ID|riscv: base ISA extensions|isa	|marchid	|mimpid	)'
lines() { tr -d '\r' | sed -n '/^Linux version/,/^reboot: Power down/p' | sed 's/[0-9]/N/g' | grep -Ev "$platform"; }

timeout 120 qemu-system-riscv64 -M virt -m 128M -smp 1 -display none -serial stdio -monitor none \
	-icount shift=0 -kernel "$guest/linux/riscv64/Image" -append "earlycon=sbi console=hvc0" 2>&1 |
	head -c 100000 | lines >"$tmp/qemu"
timeout 300 "$hypsim" run --guest-dir "$guest" --console "$src/scenarios/linux-riscv64.scn" 2>&1 |
	head -c 100000 | lines >"$tmp/hypsim"
check "QEMU booted to power-off" grep -q "^reboot: Power down" "$tmp/qemu"
check "hypsim booted to power-off" grep -q "^reboot: Power down" "$tmp/hypsim"
check "at least 80 lines compared" test "$(wc -l <"$tmp/qemu")" -ge 80
check "the same console lines, numbers masked" diff "$tmp/qemu" "$tmp/hypsim"
exit $fail
