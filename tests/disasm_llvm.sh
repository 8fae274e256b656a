#!/bin/bash
# hypsim's RISC-V disassembler (cpu/disasm_riscv.c, cpu/disasm_rvc.c) against
# Debian's llvm-objdump -M no-aliases, instruction by instruction:
#   1. every riscv64 and riscv32 guest hypsim ships (M, A and C enabled);
#   2. all 49152 16-bit encodings (every RVC instruction and every reserved
#      one), as RV64 and as RV32, with F and D enabled for c.fld and friends;
#   3. 100000 pseudo-random 32-bit instruction words (a fixed LCG), as RV64
#      and RV32; F/D arithmetic, which hypsim leaves unnamed, is skipped.
# Usage: disasm_llvm.sh DISASM_CHECK GUEST_DIR.  Exit 77 (skip) without
# llvm-objdump or clang.
set -u -o pipefail
check=$1
guests=$2
for tool in llvm-objdump clang; do
	command -v "$tool" >/dev/null || { echo "skip: $tool is not installed (scripts/deps.sh)"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

n=0
for elf in "$guests"/riscv64/*.elf "$guests"/riscv32/*.elf; do
	[ -f "$elf" ] || continue
	rv32=
	case $elf in */riscv32/*) rv32=--rv32 ;; esac
	llvm-objdump -d -M no-aliases --mattr=+m,+a,+c "$elf" >"$tmp/out" 2>&1 || { echo "FAIL llvm-objdump $elf"; fail=1; continue; }
	$check $rv32 "${elf#"$guests"/}" <"$tmp/out" | head -c 8192 || fail=1
	n=$((n + 1))
done
[ "$n" -ge 10 ] || { echo "FAIL only $n riscv guests found in $guests"; fail=1; }

# Every 16-bit encoding (the low two bits are not 11), in one text section.
{
	echo ".text"
	for ((i = 0; i < 65536; i++)); do
		(((i & 3) == 3)) && continue
		printf '.2byte 0x%04x\n' "$i"
	done
} >"$tmp/all16.S"
for xlen in 64 32; do
	rv32=
	[ $xlen = 32 ] && rv32=--rv32
	clang --target=riscv$xlen-linux-gnu -march=rv${xlen}gc -c "$tmp/all16.S" -o "$tmp/all16-$xlen.o" || { fail=1; continue; }
	llvm-objdump -d -M no-aliases --mattr=+m,+a,+f,+d,+c "$tmp/all16-$xlen.o" >"$tmp/out$xlen"
	$check $rv32 "all 16-bit encodings, RV$xlen" <"$tmp/out$xlen" | head -c 8192 || fail=1
	got=$(grep -c '^ *[0-9a-f]*: [0-9a-f][0-9a-f] [0-9a-f][0-9a-f] ' "$tmp/out$xlen")
	[ "$got" -eq 49152 ] || { echo "FAIL RV$xlen: llvm-objdump printed $got of 49152 encodings"; fail=1; }
done
# Pseudo-random 32-bit words (low bits 11), the same every run.
{
	echo ".text"
	x=12345
	for ((i = 0; i < 100000; i++)); do
		x=$(((x * 6364136223846793005 + 1442695040888963407) & 0xffffffffffffffff))
		printf '.4byte 0x%08x\n' $((((x >> 32) & 0xffffffff) | 3))
	done
} >"$tmp/r32.S"
for xlen in 64 32; do
	rv32=
	[ $xlen = 32 ] && rv32=--rv32
	clang --target=riscv$xlen-linux-gnu -march=rv${xlen}gc -c "$tmp/r32.S" -o "$tmp/r32-$xlen.o" || { fail=1; continue; }
	llvm-objdump -d -M no-aliases --mattr=+m,+a,+f,+d,+c "$tmp/r32-$xlen.o" >"$tmp/rout$xlen"
	$check $rv32 --skip-fp "100000 random 32-bit words, RV$xlen" <"$tmp/rout$xlen" | head -c 8192 || fail=1
done
exit $fail
