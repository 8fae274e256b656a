#!/usr/bin/env bash
# Bad input and usage: each case must exit with the stated status, print the
# stated message, and never crash (no signal, no sanitizer report).
# usage: cli_errors.sh HYPSIM GUEST_DIR SOURCE_DIR
set -u
hypsim=$1 guest=$2 src=$3
neg=$src/tests/negative
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# Standard input: '-' is a scenario read from stdin, named <stdin> in messages; --trace - is stdout.
printf 'arch arm64\nmemory 0x40000000 16M\nlod x\n' | "$hypsim" run - > "$tmp/stdin.out" 2>&1
if [ $? -ne 2 ] || ! grep -qF "<stdin>:3:1: unknown command 'lod'" "$tmp/stdin.out"; then
	echo "FAIL: a scenario on standard input:"; sed 's/^/    /' "$tmp/stdin.out" | head; fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
"$hypsim" run --guest-dir "$guest" --trace - "$src/scenarios/arm64-hello.scn" 2> "$tmp/summary" > "$tmp/trace"
if ! head -1 "$tmp/trace" | grep -qF '{"kind":"scenario"' || ! grep -qF "1 passed" "$tmp/summary"; then
	echo "FAIL: --trace - (trace on stdout, summary on stderr)"; fail=$((fail + 1))
else
	pass=$((pass + 1))
fi

# --trace-kinds keeps only the named kinds; replay --trace writes the replayed run's trace, the
# same as the run's; --json carries what `dump` printed.
"$hypsim" run --guest-dir "$guest" --trace "$tmp/k.jsonl" --trace-kinds timer "$src/scenarios/riscv64-sstc.scn" > /dev/null 2>&1
if [ "$(grep -vc '"kind":"\(timer\|scenario\)"' "$tmp/k.jsonl")" != 0 ] || ! grep -q '"kind":"timer"' "$tmp/k.jsonl"; then
	echo "FAIL: --trace-kinds timer"; fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
"$hypsim" run --guest-dir "$guest" --trace "$tmp/run.jsonl" "$src/scenarios/riscv64-sstc.scn" > /dev/null 2>&1
"$hypsim" replay --guest-dir "$guest" --trace "$tmp/replay.jsonl" "$src/tests/recordings/riscv64-sstc.rec" > /dev/null 2>&1
if ! diff -q <(grep -v '"kind":"scenario"' "$tmp/run.jsonl") <(grep -v '"kind":"scenario"' "$tmp/replay.jsonl") > /dev/null; then
	echo "FAIL: replay --trace differs from the run's trace"; fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
"$hypsim" run --guest-dir "$guest" --json "$src/scenarios/pkvm-boot-android.scn" > "$tmp/j.json" 2>&1
if ! grep -qF '"report":"' "$tmp/j.json" || ! grep -qF 'host stage-2, 0x40800000..0x40801000' "$tmp/j.json"; then
	echo "FAIL: --json without the dump report"; fail=$((fail + 1))
else
	pass=$((pass + 1))
fi

# check STATUS MESSAGE -- ARGS...: run hypsim, compare status and output.
check() {
	local want=$1 msg=$2
	shift 3
	local out status
	timeout 120 "$hypsim" "$@" >"$tmp/out" 2>&1 # a hang is a failure (status 124), not a stuck suite
	status=$?
	out=$(head -c 20000 "$tmp/out")
	if [ "$status" -ne "$want" ] || ! grep -qF -- "$msg" <<<"$out" || grep -q "Sanitizer\|runtime error" <<<"$out"; then
		echo "FAIL: hypsim $* -> status $status (want $want), output:"
		sed 's/^/    /' <<<"$out" | head -20
		echo "    expected to contain: $msg"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

G="--guest-dir $guest"
check 2 "unknown command 'frobnicate'" -- frobnicate
check 2 "usage: hypsim COMMAND" --
check 0 "usage: hypsim COMMAND" -- --help
check 0 "hypsim 0." -- --version
check 0 "usage: hypsim run" -- run --help
check 2 "unknown option '--bogus'" -- run --bogus x.scn
check 2 "no scenario files given" -- run
check 2 "--max-insns needs a positive number, not 'lots'" -- run --max-insns lots x.scn
check 2 "--max-insns needs a positive number, not '0'" -- run --max-insns 0 x.scn
check 2 "--trace needs an argument" -- run x.scn --trace
check 2 "--clock is 'block' or 'insn', not 'fast'" -- run --clock fast x.scn
check 2 "cannot write trace file '/nonexistent/t.jsonl'" -- run --trace /nonexistent/t.jsonl x.scn
# A recording that cannot be written: the scenario is an input error, never "passed".
check 2 "cannot write the recording '/nonexistent/x.rec'" -- run --record /nonexistent/x.rec $G $src/scenarios/arm64-hello.scn
check 2 "/nonexistent.scn: No such file or directory" -- run /nonexistent.scn
check 2 "$neg: a directory, not a scenario file" -- run $neg
check 2 "bad-syntax.scn:4:1: unknown command 'lod'" -- run $G $neg/bad-syntax.scn
check 2 "missing-elf.scn:3:1: cannot load arm64/does-not-exist.elf: not found next to the scenario or in $guest" -- run $G $neg/missing-elf.scn
check 2 "outside-ram.scn:4:1: cannot load $guest/arm64/hello.elf: segment at 0x40000000" -- run $G $neg/outside-ram.scn
check 2 "ELF machine is not AArch64 (the scenario says arch arm64)" -- run $G $neg/wrong-arch.scn
printf 'arch arm64\nmemory 0x40000000 16M\nload arm64/hello.elf\nwrite mem 0x40fffffc u64 1\n' >"$tmp/tail.scn"
check 2 "tail.scn:4:1: the 8-byte write at 0x40fffffc runs past the end of its memory region" -- run $G "$tmp/tail.scn"
# `linux`: the wrong architecture, a file that is not an Image, one too large, a missing one.
printf 'arch s390x\nmemory 0 16M\nlinux Image\n' >"$tmp/lx-s390x.scn"
check 2 "lx-s390x.scn:3:1: 'linux' boots riscv64 and arm64 kernels" -- run $G "$tmp/lx-s390x.scn"
printf 'arch arm64\nmemory 0x40000000 16M\nlinux riscv64/hello.elf\n' >"$tmp/lx-a64elf.scn"
check 2 "lx-a64elf.scn:3:1: riscv64/hello.elf is not an arm64 Linux Image" -- run $G "$tmp/lx-a64elf.scn"
printf 'arch riscv64\nmemory 0x80000000 16M\nlinux riscv64/hello.elf\nrun until exit\n' >"$tmp/lx-elf.scn"
check 2 "lx-elf.scn:3:1: riscv64/hello.elf is not a RISC-V Linux Image" -- run $G "$tmp/lx-elf.scn"
head -c 64 /dev/zero >"$tmp/Image"
printf 'RISCV\0\0\0RSC\005' | dd of="$tmp/Image" bs=1 seek=48 conv=notrunc 2>/dev/null
printf '\377\377\377\377' | dd of="$tmp/Image" bs=1 seek=16 conv=notrunc 2>/dev/null
printf 'arch riscv64\nmemory 0x80000000 16M\nlinux Image\nrun until exit\n' >"$tmp/lx-big.scn"
check 2 "lx-big.scn:3:1: Image needs 0xffffffff bytes at 0x80000000: more than the first memory region holds" -- run $G "$tmp/lx-big.scn"
printf 'arch riscv64\nmemory 0x80000000 16M\nlinux nowhere/Image initrd x\nrun until exit\n' >"$tmp/lx-none.scn"
check 2 "lx-none.scn:3:1: cannot load nowhere/Image: No such file or directory (scripts/build-linux.sh riscv64" -- run $G "$tmp/lx-none.scn"
printf 'arch riscv64\nmemory 0x80000000 16M\nlinux Image frob\n' >"$tmp/lx-opt.scn"
check 2 "lx-opt.scn:3:13: unexpected 'frob' (initrd FILE, firmware FILE|opensbi, bootargs \"TEXT\")" -- run $G "$tmp/lx-opt.scn"
head -c 3145728 /dev/zero >"$tmp/big.bin"
printf 'arch riscv64\nmemory 0x80000000 16M\nlinux Image firmware big.bin\nrun until exit\n' >"$tmp/lx-fw-big.scn"
check 2 "lx-fw-big.scn:3:1: big.bin: 3145728 bytes; a firmware must fit in the 2 MiB below the kernel" -- run $G "$tmp/lx-fw-big.scn"
printf 'arch riscv64\nmemory 0x80000000 16M\nlinux Image firmware nothere.bin\nrun until exit\n' >"$tmp/lx-fw-none.scn"
check 2 "lx-fw-none.scn:3:1: cannot load nothere.bin: No such file or directory" -- run $G "$tmp/lx-fw-none.scn"
cp "$guest/riscv64/hello.elf" "$tmp/fw.elf"
printf 'arch riscv64\nmemory 0x80000000 16M\nlinux Image firmware fw.elf\nrun until exit\n' >"$tmp/lx-fw-elf.scn"
check 2 "lx-fw-elf.scn:3:1: fw.elf is an ELF file: give the flat binary (fw_dynamic.bin)" -- run $G "$tmp/lx-fw-elf.scn"
printf 'arch arm64\nmemory 0x40000000 16M\nlinux Image firmware x\n' >"$tmp/lx-fw-arm.scn"
check 2 "lx-fw-arm.scn:3:13: unexpected 'firmware' (initrd FILE, bootargs \"TEXT\")" -- run $G "$tmp/lx-fw-arm.scn"
printf 'arch arm64\nsstc-extension off\n' >"$tmp/sstc-ext-arm.scn"
check 2 "sstc-ext-arm.scn:2:1: 'sstc-extension' needs 'arch riscv64' above it" -- run $G "$tmp/sstc-ext-arm.scn"
check 2 "overlaps the boot page at 0xfffff000" -- run $G $neg/fw-overlap.scn
check 2 "segment at 0x40000000+0x" -- run $G $neg/huge-ram.scn
check 1 "failing-expectation.scn:6:1: expected exit code 3, got 0" -- run $G $neg/failing-expectation.scn
check 1 "pkvm-stale-tlb.scn:11:1: vcpu 0: IPA 0x40800000: the model says unmapped, Unicorn's MMU gives allowed on read" -- run $G $neg/pkvm-stale-tlb.scn
check 2 "unknown option '--bogus'" -- bench --bogus
check 0 "usage: hypsim bench" -- bench --help

# Corrupt images, made here: empty, random bytes, truncated headers and data.
good=$guest/arm64/hello.elf
: >"$tmp/empty.elf"
head -c 4096 /dev/urandom >"$tmp/random.elf"
head -c 100 "$good" >"$tmp/trunc-phdr.elf"
head -c 300 "$good" >"$tmp/trunc-data.elf"
printf '\177ELF\001\001\001' >"$tmp/elf32.elf"
mkdir "$tmp/dir.elf"
mkfifo "$tmp/fifo.elf"
for f in empty random trunc-phdr trunc-data elf32 dir fifo; do
	printf 'arch arm64\nmemory 0x40000000 16M\nload %s\nrun until exit\n' "$tmp/$f.elf" >"$tmp/$f.scn"
done
check 2 "empty.elf: not an ELF file" -- run "$tmp/empty.scn"
check 2 "random.elf: not an ELF file" -- run "$tmp/random.scn"
check 2 "trunc-phdr.elf: program headers lie outside the file (truncated?)" -- run "$tmp/trunc-phdr.scn"
check 2 "trunc-data.elf: segment data lies outside the file (truncated?)" -- run "$tmp/trunc-data.scn"
check 2 "elf32.elf: not a little-endian ELF64 file" -- run "$tmp/elf32.scn"
check 2 "dir.elf: not a regular file (a directory, device or FIFO?)" -- run "$tmp/dir.scn"
# A FIFO with no writer: refused before it is opened (opening it would wait for ever).
check 2 "fifo.elf: not a regular file (a directory, device or FIFO?)" -- run "$tmp/fifo.scn"
# A "recording" without a newline, endless: refused at the line-length bound, not read into memory.
check 2 "/dev/zero: not a regular file" -- replay /dev/zero
check 2 "/dev/zero: not a regular file" -- replay --model /dev/zero
truncate -s 70M "$tmp/zeros.rec" # sparse: a file of NULs with no newline
check 2 "zeros.rec:1: line longer than 67108864 bytes" -- replay "$tmp/zeros.rec"
check 2 "zeros.rec:1: line longer than 67108864 bytes" -- replay --model "$tmp/zeros.rec"

# ELF class against the scenario's arch, and truncated ELF32 images.
rv32=$guest/riscv32/sstc-rv32.elf
head -c 40 "$rv32" >"$tmp/rv32-hdr.elf"
head -c 60 "$rv32" >"$tmp/rv32-phdr.elf"
for f in "$guest/riscv64/hello.elf" "$tmp/rv32-hdr.elf" "$tmp/rv32-phdr.elf"; do
	n=$(basename "$f" .elf)
	printf 'arch riscv32\nmemory 0x80000000 16M\nload %s\nrun until exit\n' "$f" >"$tmp/as32-$n.scn"
done
printf 'arch riscv64\nmemory 0x80000000 16M\nload %s\nrun until exit\n' "$rv32" >"$tmp/rv32-as64.scn"
check 2 "hello.elf: not a little-endian ELF32 file (the scenario says arch riscv32)" -- run "$tmp/as32-hello.scn"
check 2 "rv32-hdr.elf: truncated ELF header" -- run "$tmp/as32-rv32-hdr.scn"
check 2 "rv32-phdr.elf: program headers lie outside the file (truncated?)" -- run "$tmp/as32-rv32-phdr.scn"
check 2 "sstc-rv32.elf: not a little-endian ELF64 file" -- run "$tmp/rv32-as64.scn"

# Random garbage as scenarios: always a clean status-2 error, never a crash.
for i in 1 2 3 4 5 6 7 8; do
	head -c $((i * 512)) /dev/urandom >"$tmp/garbage$i.scn"
	check 2 "garbage$i.scn:" -- run "$tmp/garbage$i.scn"
done

# The trace is capped: 10^5 HVCs traced under a 10 kB limit stay under it.
printf 'arch arm64\nmemory 0x40000000 16M\nmax-insns 400000\nload arm64/hvc-loop.elf\nrun until exit\nexpect event insn-limit\n' >"$tmp/many.scn"
check 0 "1 passed" -- run $G --trace "$tmp/many.jsonl" --trace-limit 10000 "$tmp/many.scn"
size=$(stat -c %s "$tmp/many.jsonl")
if [ "$size" -gt 10200 ] || ! tail -1 "$tmp/many.jsonl" | grep -q '"kind":"trace-truncated","limit":10000'; then
	echo "FAIL: trace of $size bytes, or no truncation marker, under --trace-limit 10000"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
check 2 "--trace-limit needs a positive number, not 'big'" -- run --trace-limit big x.scn
check 1 "event-no-match.scn:7:1: no semihost event matches (" -- run $G $neg/event-no-match.scn
check 2 "run-until-past.scn:6:1: run until cycle 5: the machine is already at cycle 10" -- run $G $neg/run-until-past.scn
check 2 "--record needs a scenario file a replay can read again, not standard input" -- run --record x.rec -
check 2 "--trace-kinds: unknown event kind 'bogus'" -- run --trace-kinds timer,bogus x.scn
check 2 "--gdb needs a port number or unix:PATH, not 'abc'" -- run --gdb abc x.scn
check 2 "--gdb takes exactly one scenario file" -- run --gdb 0 x.scn y.scn
check 2 "--gdb needs a port number or unix:PATH, not '70000'" -- run --gdb 70000 x.scn
check 2 "--vcd takes exactly one scenario file" -- run --vcd w.vcd x.scn y.scn
check 2 "cannot write the waveform '/nonexistent/dir/w.vcd'" -- run --vcd /nonexistent/dir/w.vcd x.scn

check 2 "--only takes cpu, alloc, pkvm, sstc, gtimer, smp, aen, fuzz, replay or linux, not 'gpu'" -- bench --only gpu
# Numbers past 2^64 - 1 are refused, never saturated; blanks and signs are not numbers.
check 2 "--max-insns needs a positive number, not '18446744073709551616' (larger than 2^64 - 1)" -- run $G --max-insns 18446744073709551616 $src/scenarios/arm64-hello.scn
check 2 "--seed needs a number, not '18446744073709551616' (larger than 2^64 - 1)" -- fuzz --seed 18446744073709551616 --iters 10
check 2 "cannot write the reproducer to /nonexistent/dir/x.scn: No such file or directory" -- fuzz --iters 10 --repro /nonexistent/dir/x.scn
check 2 "--max-insns needs a positive number, not ' 5'" -- run $G --max-insns " 5" $src/scenarios/arm64-hello.scn
check 2 "--max-insns needs a positive number, not '+5'" -- run $G --max-insns +5 $src/scenarios/arm64-hello.scn
check 0 "--only SECTION" -- bench --help

# s390x: a guest of another architecture, and interrupts, are input errors.
printf 'arch s390x\nmemory 0x0 16M\nload arm64/hello.elf\nrun until exit\n' >"$tmp/s390-elf.scn"
check 2 "not a big-endian ELF64 file (the scenario says arch s390x)" -- run $G "$tmp/s390-elf.scn"
printf 'arch s390x\nmemory 0x0 16M\nload s390x/aen-sic.elf\ninject irq 1 at 10\n' >"$tmp/s390-irq.scn"
check 2 "s390x guests take no injected interrupts" -- run $G "$tmp/s390-irq.scn"

# Per-CPU areas: an unexpected cross-CPU access fails the scenario and names
# the first one (vCPU, PC, cycle, address, owner); bad declarations are errors.
sed '/percpu-cross == 60/d' $src/scenarios/riscv64-percpu-early-restore.scn >"$tmp/cross.scn"
check 1 "first: vcpu 1 at pc 0x80000176, cycle 71, read 8 bytes at 0x80100008 in vcpu 0's per-CPU area" -- run $G "$tmp/cross.scn"
printf 'arch riscv64\nmemory 0x80000000 16M\nvcpus 2\npercpu vcpu 0 0x80100000 0x2000\npercpu vcpu 1 0x80101000 0x1000\n' >"$tmp/pc-overlap.scn"
check 2 "pc-overlap.scn:5:8: per-CPU areas of vcpus 0 and 1 overlap" -- run $G "$tmp/pc-overlap.scn"
printf 'arch riscv64\nmemory 0x80000000 16M\npercpu areas 0x80100000 0x1000\nvcpus 2\n' >"$tmp/pc-order.scn"
check 2 "pc-order.scn:4:1: 'vcpus' must come before 'percpu'" -- run $G "$tmp/pc-order.scn"
printf 'arch riscv64\nmemory 0x80000000 16M\nvcpus 2\npercpu vcpu 2 0x80100000 0x1000\n' >"$tmp/pc-vcpu.scn"
check 2 "pc-vcpu.scn:4:13: vcpu 2 does not exist" -- run $G "$tmp/pc-vcpu.scn"
printf 'arch riscv64\nmemory 0x80000000 16M\nvcpus 2\npercpu areas 0x80100000 0x1000 stride 0x800\n' >"$tmp/pc-stride.scn"
check 2 "pc-stride.scn:4:8: the area size must be above 0 and the stride at least the size" -- run $G "$tmp/pc-stride.scn"
printf 'arch riscv64\nmemory 0x80000000 16M\nload riscv64/hello.elf\ninject irq 1 every 0\n' >"$tmp/every0.scn"
check 2 "every0.scn:4:20: the period must be above 0" -- run $G "$tmp/every0.scn"
printf 'arch riscv64\nmemory 0x80000000 16M\nload riscv64/hello.elf\nclear irq 1 every 10\n' >"$tmp/every-clear.scn"
check 2 "every-clear.scn:4:13: unexpected 'every'" -- run $G "$tmp/every-clear.scn"

echo "cli errors: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
