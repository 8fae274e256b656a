#!/usr/bin/env bash
# hypsim run --gdb against Debian's gdb-multiarch (docs/gdb.md), in batch mode:
#   1. arm64: a breakpoint on the guest's IRQ handler, registers (pc, x21,
#      ESR_EL1), a single step onto the next instruction, `monitor time`, a
#      watchpoint on the guest's results word that catches the handler's
#      store of INTID 40, continue to the guest's exit;
#   2. riscv64: a breakpoint on the trap handler, scause (the software
#      interrupt, 0x8000000000000001), sepc and the Sstc model's stimecmp,
#      a step, continue to exit;
#   3. four arm64 vCPUs: four threads, a watchpoint on vCPU 2's own "done"
#      flag (a per-CPU variable) caught in thread 3, continue to exit;
#   4. `monitor run-until 20us` stops at the IRQ vector the guest enters at
#      20 us (cycle 20000 at 1 GHz), `monitor timer` shows the generic timer,
#      HCR_EL2 and CNTV_CVAL_EL0 read as registers;
#   5. `monitor stage2 IPA` before pKVM is up, and after, on pKVM's boot;
#   6. riscv32: the trap handler's scause and the 64-bit stimecmp;
#   7. four vCPUs in turns of 10 cycles: a breakpoint inside a translated
#      block, hit at cycle 10 (past the quantum).  The run resumes there with
#      a block Unicorn starts at the breakpoint, which the run without GDB
#      does not have: the turn still ends at the block boundary after the
#      semihosting call (cycle 12), as without GDB.
# Every session's trace equals the trace of the same scenario run without
# GDB: stopping changes nothing in virtual time.
# usage: gdb.sh HYPSIM GUEST_DIR SRC.  Exit 77 (skipped) without gdb-multiarch.
set -u
hypsim=$1
guests=$2
src=$3
if ! command -v gdb-multiarch >/dev/null 2>&1; then
	echo "SKIP: gdb-multiarch is not installed (apt-get install gdb-multiarch)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# session NAME SCENARIO ELF: GDB script on stdin; the output in $tmp/NAME.out
session() {
	local name=$1 scn=$2 elf=$3 sock=$tmp/$1.sock
	{ echo "set pagination off"; echo "set confirm off"; echo "file $elf"; echo "target remote $sock"; cat; } > "$tmp/$name.gdb"
	timeout -s KILL 120 "$hypsim" run --guest-dir "$guests" --gdb "unix:$sock" --trace "$tmp/$name.gdb.jsonl" "$scn" \
		> "$tmp/$name.hypsim" 2>&1 &
	local pid=$! i
	for i in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
	timeout -s KILL 120 gdb-multiarch -batch -x "$tmp/$name.gdb" > "$tmp/$name.out" 2>&1
	wait $pid
	"$hypsim" run -q --guest-dir "$guests" --trace "$tmp/$name.plain.jsonl" "$scn" > /dev/null 2>&1
	if ! cmp -s "$tmp/$name.gdb.jsonl" "$tmp/$name.plain.jsonl"; then
		echo "FAIL $name: the trace under GDB differs from the trace without it"
		fail=1
	fi
}

# expect NAME TEXT: the GDB session's output has TEXT (a fixed string)
expect() {
	if ! grep -qF -- "$2" "$tmp/$1.out"; then
		echo "FAIL $1: expected '$2' in GDB's output:"
		head -c 3000 "$tmp/$1.out" | sed 's/^/    /'
		fail=1
	fi
}

session arm64 "$src/scenarios/arm64-irq.scn" "$guests/arm64/irq.elf" <<'GDB'
break *irq_handler
continue
info registers pc x21
p/x $esr_el1
stepi
x/i $pc
monitor time
delete
watch *(int*)0x40010004
continue
delete
continue
GDB
expect arm64 "Breakpoint 1, 0x00000000400008d0 in irq_handler ()"
expect arm64 "x21            0x0"
expect arm64 "=> 0x400008d4 <irq_handler+4>:	mrs	x0, icc_iar1_el1"
expect arm64 "vcpu 0: cycle 10002, ticks 625, 10002 ns"
expect arm64 "New value = 40"
expect arm64 "exited normally"

session riscv64 "$src/tests/scenarios/sstc-edges-1GHz-10MHz.scn" "$guests/riscv64/sstc-edges.elf" <<'GDB'
break *trap
continue
p/x $scause
p/x $sepc
p/x $stimecmp
stepi
p $pc
delete
continue
GDB
expect riscv64 "in trap ()"
expect riscv64 "\$1 = 0x8000000000000001"
expect riscv64 "\$2 = 0x800000bc"
expect riscv64 "\$3 = 0xffffffffffffffff"   # stimecmp: the deadline armed, then stopped (§10.8)
expect riscv64 "<trap+2>"
expect riscv64 "exited normally"

session smp "$src/scenarios/arm64-gic-smp.scn" "$guests/arm64/gic-smp.elf" <<'GDB'
info threads
watch *(long*)0x40010210
continue
info threads
delete
continue
GDB
expect smp "  4    Thread 4"
expect smp "Thread 3 hit Hardware watchpoint 1: *(long*)0x40010210"
expect smp "New value = 1"
expect smp "exited normally"

session until "$src/scenarios/arm64-irq.scn" "$guests/arm64/irq.elf" <<'GDB'
monitor run-until 20us
continue
monitor time
monitor timer
p/x $hcr_el2
p/x $cntv_cval_el0
continue
GDB
expect until "the next \`continue\` stops at cycle 20000 (20000 ns)"
expect until "in vectors ()"
expect until "vcpu 0: cycle 20000, ticks 1250, 20000 ns"
expect until "CNTV: CTL 0x0, CVAL 0x0, count 0x4e2, line 0 (PPI 27)"
expect until "= 0x80000098"   # HCR_EL2: RW, IMO, FMO and VI (the IRQ being taken)
expect until "= 0x0"
expect until "exited normally"

session pkvm "$src/scenarios/pkvm-boot-android.scn" "$guests/arm64/pkvm-boot.elf" <<'GDB'
monitor stage2 0x40010000
monitor run-until 80
continue
monitor stage2 0x40010000
continue
GDB
expect pkvm "pKVM is not initialised: there is no host stage-2"
expect pkvm "0x000040010000  0x000040010000  L2 @0x042249000  RWX      OWNED            NOPAGE"
expect pkvm "exited with code 07"

session rv32 "$src/tests/scenarios/sstc-rv32-split-1GHz-10MHz.scn" "$guests/riscv32/sstc-rv32.elf" <<'GDB'
break *trap
continue
p/x $scause
p/x $stimecmp
delete
continue
GDB
expect rv32 "\$1 = 0x80000005"   # the S timer interrupt, XLEN 32
expect rv32 "\$2 = 0x10"
expect rv32 "exited normally"

session quantum "$src/tests/scenarios/arm64-smp-quantum.scn" "$guests/arm64/hello.elf" <<'GDB'
break *0x4000003c
continue
p $pc
monitor time
continue
delete
continue
GDB
expect quantum "Breakpoint 1, 0x000000004000003c in semi_puts ()"
expect quantum "vcpu 0: cycle 10,"
expect quantum "exited normally"

[ $fail = 0 ] && echo "PASS: seven GDB sessions (arm64, riscv64, four vCPUs, run-until, pKVM stage-2, riscv32, a quantum's end), traces unchanged"
exit $fail
