#!/usr/bin/env bash
# The Linux boots under hypsim and under QEMU 7.2 with -icount shift=0 print
# the same kernel and init console lines, numbers masked.  Lines that name the
# platform differ by design and are left out.
#   riscv64: qemu-system-riscv64 -M virt (its bundled OpenSBI 1.1): the machine
#     model, the SBI firmware's spec version and implementation id, and the ISA
#     (QEMU's virt CPU also has H and Zihintpause, and its own marchid/mimpid).
#   arm64: qemu-system-aarch64 -M virt,gic-version=3,its=off -cpu cortex-a72
#     against the boot without pKVM (tests/scenarios/linux-arm64.scn; with pKVM
#     the memory map has its reserved region): the machine model, and QEMU's
#     "ITS: No ITS available" (its GICv3 has LPIs, hypsim's has none).
#   riscv64 under Debian's OpenSBI (scenarios/linux-riscv64-opensbi.scn):
#     qemu-system-riscv64 -M virt -bios with the same fw_dynamic.bin, compared
#     from OpenSBI's banner on: the platform name and machine model, the
#     device tree's address (Next Arg1), the ISA (QEMU's CPU has H, so its
#     MEDELEG has the H causes, and Zihintpause), QEMU's HPM counters,
#     marchid and mimpid.
# Skipped (77) without QEMU.
# usage: linux_qemu_diff.sh HYPSIM GUEST_DIR SOURCE_DIR
set -u
hypsim=$1 guest=$2 src=$3
. "$(dirname "$0")/lib.sh"
command -v qemu-system-riscv64 >/dev/null && command -v qemu-system-aarch64 >/dev/null ||
	{ echo "skip: no qemu-system-riscv64/aarch64"; exit 77; }
first='^Linux version'
lines() { tr -d '\r' | sed -n "/$first/,/^reboot: Power down/p" | sed 's/[0-9]/N/g' | grep -Ev "$1"; }

# ARCH SCENARIO PLATFORM-LINES-RE QEMU-COMMAND...
compare() {
	local arch=$1 scn=$2 platform=$3
	shift 3
	timeout 120 "$@" 2>&1 | head -c 100000 | lines "$platform" >"$tmp/qemu"
	timeout 300 "$hypsim" run --guest-dir "$guest" --console "$scn" 2>&1 |
		head -c 100000 | lines "$platform" >"$tmp/hypsim"
	check "$arch: QEMU booted to power-off" grep -q "^reboot: Power down" "$tmp/qemu"
	check "$arch: hypsim booted to power-off" grep -q "^reboot: Power down" "$tmp/hypsim"
	check "$arch: at least 80 lines compared" test "$(wc -l <"$tmp/qemu")" -ge 80
	check "$arch: the same console lines, numbers masked" diff "$tmp/qemu" "$tmp/hypsim"
}

compare riscv64 "$src/scenarios/linux-riscv64.scn" '^(Machine model:|SBI specification|SBI implementation ID|riscv: base ISA extensions|isa	|marchid	|mimpid	)' \
	qemu-system-riscv64 -M virt -m 128M -smp 1 -display none -serial stdio -monitor none -icount shift=0 \
	-kernel "$guest/linux/riscv64/Image" -append "earlycon=sbi console=hvc0"
compare arm64 "$src/tests/scenarios/linux-arm64.scn" '^(Machine model:|ITS: No ITS available)' \
	qemu-system-aarch64 -M virt,gic-version=3,its=off -cpu cortex-a72 -m 128M -smp 1 -nic none -display none \
	-serial stdio -monitor none -icount shift=0 -kernel "$guest/linux/arm64/Image" \
	-append "earlycon=pl011,0x9000000 console=ttyAMA0"
first='^OpenSBI v'
compare riscv64-opensbi "$src/scenarios/linux-riscv64-opensbi.scn" \
	'^(Platform Name|DomainN Next ArgN|Boot HART Base ISA|Boot HART MHPM Count|Boot HART MEDELEG|Machine model:|riscv: base ISA extensions|isa	|marchid	|mimpid	)' \
	qemu-system-riscv64 -M virt -m 128M -smp 1 -display none -serial stdio -monitor none -icount shift=0 \
	-bios /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin \
	-kernel "$guest/linux/riscv64/Image" -append "earlycon=sbi console=hvc0"
exit $fail
