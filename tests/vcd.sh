#!/usr/bin/env bash
# hypsim run --vcd (docs/vcd.md), read back with a small awk reader and
# checked against the same run's trace:
#   1. riscv64 Sstc edges (1 GHz): every change of vcpu0.stip is a `timer`
#      event with the same level at the same time (1 cycle = 1000 ps), and the
#      sbi_call strobe rises once per `sbi` event;
#   2. arm64 generic timer edges (1 GHz): cntp_level and cntv_level against
#      the `timer` events of the physical and virtual timers;
#   3. arm64 exceptions: the EL goes from 0 to 1 where the vector's first
#      block starts after each `exception` event taken from EL0;
#   4. arm64 PSTATE.DAIF masked at the entry of each injected IRQ;
#   5. s390x AEN: VM 0's GISA IPM and the summary vector through the
#      forwarding scenario's steps;
#   6. four arm64 vCPUs: each vCPU's state goes from idle to running exactly
#      at its `wake` events, and the file's timestamps never go backwards
#      (the changes come from four vCPUs' quanta, out of time order).
# usage: vcd.sh HYPSIM GUEST_DIR SRC
set -u
hypsim=$1
guests=$2
src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# changes VCD SCOPE NAME: "ps value" for each change of SCOPE.NAME after the initial values
# (times in ps whatever the file's timescale, 1 ns or 1 ps; vectors as their binary digits)
changes() {
	awk -v scope="$2" -v name="$3" '
		BEGIN { unit = 1 }
		/^\$timescale 1 ns/ { unit = 1000 }
		/^\$scope module/ { cur = $3 }
		/^\$var/ && cur == scope && $5 == name { id = $4 }
		/^\$enddefinitions/ { defs = 1 }
		/^\$end/ && dumping { dumping = 0; next }
		/^\$dumpvars/ { dumping = 1; next }
		/^#/ { t = substr($0, 2) * unit; if (t < last) { print "BACKWARDS " t; exit 1 } last = t; next }
		defs && !dumping && id != "" {
			if ($0 ~ /^b/) { if ($2 == id) { v = $1; sub(/^b/, "", v); printf "%.0f %s\n", t, v } }
			else if (substr($0, 2) == id) printf "%.0f %s\n", t, substr($0, 1, 1)
		}
	' "$1"
}

# trace_edges TRACE SED: "ps value" from the trace lines SED turns into "cycle value"
trace_edges() {
	sed -n "$2" "$1" | awk '{ printf "%d %s\n", $1 * 1000, $2 }'
}

check_same() { # NAME A B
	if ! cmp -s "$2" "$3"; then
		echo "FAIL $1: the waveform and the trace disagree:"
		diff "$2" "$3" | head -20 | sed 's/^/    /'
		fail=1
	elif [ ! -s "$2" ]; then
		echo "FAIL $1: no changes at all"
		fail=1
	fi
}

run() { # NAME SCENARIO
	"$hypsim" run -q --guest-dir "$guests" --vcd "$tmp/$1.vcd" --trace "$tmp/$1.jsonl" "$2" > "$tmp/$1.out" 2>&1 ||
		{ echo "FAIL $1: the run failed"; cat "$tmp/$1.out"; fail=1; }
}

run sstc "$src/tests/scenarios/sstc-edges-1GHz-10MHz.scn"
changes "$tmp/sstc.vcd" vcpu0 stip > "$tmp/a"
trace_edges "$tmp/sstc.jsonl" 's/^{"t":\([0-9]*\),"vcpu":0,.*"kind":"timer","stip":\([01]\).*/\1 \2/p' > "$tmp/b"
check_same "riscv64 stip" "$tmp/a" "$tmp/b"
n_sbi=$(grep -c '"kind":"sbi"' "$tmp/sstc.jsonl")
n_strobe=$(changes "$tmp/sstc.vcd" vcpu0 sbi_call | grep -c ' 1$')
[ "$n_sbi" = "$n_strobe" ] || { echo "FAIL riscv64 sbi_call: $n_strobe pulses for $n_sbi sbi events"; fail=1; }

run gtimer "$src/tests/scenarios/gtimer-edges-1GHz-1GHz.scn"
# the waveform's extra ISTATUS events (while IMASK holds the line low) change nothing in the run
"$hypsim" run -q --guest-dir "$guests" --trace "$tmp/gtimer.plain.jsonl" "$src/tests/scenarios/gtimer-edges-1GHz-1GHz.scn" > /dev/null
cmp -s "$tmp/gtimer.jsonl" "$tmp/gtimer.plain.jsonl" || { echo "FAIL arm64: --vcd changed the trace"; fail=1; }
# ISTATUS rises once without the line (case 0x10: ENABLE|IMASK with the condition met)
changes "$tmp/gtimer.vcd" vcpu0 cntv_istatus | awk '$2 == 1 { print $1 }' > "$tmp/a"
changes "$tmp/gtimer.vcd" vcpu0 cntv_level | awk '$2 == 1 { print $1 }' > "$tmp/b"
[ "$(grep -cvxFf "$tmp/b" "$tmp/a")" = 1 ] ||
	{ echo "FAIL arm64 cntv_istatus: expected one rise while the line stays low"; fail=1; }
for t in phys:cntp_level virt:cntv_level; do
	changes "$tmp/gtimer.vcd" vcpu0 "${t#*:}" > "$tmp/a"
	trace_edges "$tmp/gtimer.jsonl" "s/^{\"t\":\([0-9]*\),\"vcpu\":0,.*\"kind\":\"timer\",\"timer\":\"${t%%:*}\",\"level\":\([01]\).*/\1 \2/p" > "$tmp/b"
	check_same "arm64 ${t#*:}" "$tmp/a" "$tmp/b"
done

run exc "$src/tests/scenarios/arm64-exceptions.scn"
# EL0 to EL1 where the vector's first block starts: one cycle after an exception taken
# from EL0 (the instruction took its cycle), at once after an instruction abort (EC 0x20:
# the instruction at the fetched address never ran)
changes "$tmp/exc.vcd" vcpu0 el | awk '$1 > 0 && $2 == 1 && prev == 0 { print $1 } { prev = $2 }' > "$tmp/a"
sed -n 's/^{"t":\([0-9]*\),"vcpu":0,.*"kind":"exception","esr":"\(0x[0-9a-f]*\)".*"from_el":0.*/\1 \2/p' "$tmp/exc.jsonl" |
	awk '{ print ($1 + (substr($2, 1, 4) == "0x82" ? 0 : 1)) * 1000 }' > "$tmp/b"
check_same "arm64 el" "$tmp/a" "$tmp/b"

# DAIF: all masked from the IRQ's entry at each injection time (the guest sleeps in WFI with
# I clear, and takes each interrupt at once), I clear again at its ERET, masked at the end
run irq "$src/scenarios/arm64-irq.scn"
changes "$tmp/irq.vcd" vcpu0 daif | awk 'NR > 1 && $2 == "1111" { print $1 }' | head -3 > "$tmp/a"
trace_edges "$tmp/irq.jsonl" 's/^{"t":\([0-9]*\),"vcpu":0,.*"kind":"irq-inject".*/\1 x/p' | awk '{ print $1 }' > "$tmp/b"
check_same "arm64 daif" "$tmp/a" "$tmp/b"

run smp "$src/scenarios/arm64-gic-smp.scn"
if changes "$tmp/smp.vcd" vcpu0 state | grep -q BACKWARDS; then
	echo "FAIL smp: timestamps go backwards"
	fail=1
fi
for c in 0 1 2 3; do
	# idle (1) to running (0): exactly the vCPU's wake events, at their times
	changes "$tmp/smp.vcd" "vcpu$c" state | awk '$2 == 0 && prev == 1 { print } { prev = $2 }' > "$tmp/a"
	trace_edges "$tmp/smp.jsonl" "s/^{\"t\":\([0-9]*\),\"vcpu\":$c,.*\"kind\":\"wake\".*/\1 0/p" > "$tmp/b"
	check_same "smp vcpu$c wakes" "$tmp/a" "$tmp/b"
done

# s390x AEN (docs/models/aen.md §9.20): VM 0's IPM follows the scenario's steps (a raise
# sets ISC 3's bit 0x10, `aen gisa 0 ipm 0` clears it, a raise under SIMM+NIMM leaves it
# clear, the next one sets it); the summary vector keeps bit 1 (leftmost is bit 0)
run aen "$src/tests/scenarios/s390x-aen-forwarding.scn"
changes "$tmp/aen.vcd" aen ipm_vm0 | awk '{ print $2 }' | tr '\n' ' ' > "$tmp/a"
printf "10000 0 10000 " > "$tmp/b"
check_same "s390x ipm_vm0" "$tmp/a" "$tmp/b"
changes "$tmp/aen.vcd" aen summary | tail -1 | awk '{ print $2 }' > "$tmp/a"
printf '1%062d\n' 0 > "$tmp/b"   # 2^62, bit 1 in s390 numbering
check_same "s390x summary" "$tmp/a" "$tmp/b"

[ $fail = 0 ] && echo "PASS: the waveforms match the traces (Sstc, generic timer, exceptions, four vCPUs, AEN)"
exit $fail
