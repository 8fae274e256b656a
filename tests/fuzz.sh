#!/usr/bin/env bash
# hypsim fuzz: clean on the real model and deterministic under --seed; on a
# planted bug (hypsim-mutant: share_hyp without its host check) it finds the
# bug from a fixed seed within a bounded budget and writes a reproducer that
# fails there and passes on the real model.  The same for stale translations
# (hypsim-mutant-tlbi: pKVM never flushes the vCPUs' TLBs), caught by the
# access oracle: the guest's own load and store after a call; and the
# donate-then-touch scenarios fail on that mutant too.  And for a pin that
# unshare ignores (hypsim-mutant-pin), minimised across calls and vCPUs.
# usage: fuzz.sh HYPSIM HYPSIM_MUTANT GUEST_DIR HYPSIM_MUTANT_TLBI SOURCE_DIR HYPSIM_MUTANT_PIN
set -u
hypsim=$1 mutant=$2 guest=$3 mutant_tlbi=$4 src=$5 mutant_pin=$6
. "$(dirname "$0")/lib.sh"

for v in 1 2 4; do
	for i in 1 2; do
		timeout 120 "$hypsim" fuzz --guest-dir "$guest" --seed 7 --iters 60000 --check-every 500 --vcpus $v --json \
			--repro "$tmp/none.scn" >"$tmp/clean$v-$i.json" 2>&1
		rc=$?
		check "real model, seed 7, $v vCPU(s), 60000 calls: no violation (exit 0)" test "$rc" -eq 0
	done
	head -c 700 "$tmp/clean$v-1.json"; echo
	sed 's/"seconds":[0-9.]*,//' "$tmp/clean$v-1.json" >"$tmp/a"
	sed 's/"seconds":[0-9.]*,//' "$tmp/clean$v-2.json" >"$tmp/b"
	check "$v vCPU(s): same seed, same calls and results" cmp -s "$tmp/a" "$tmp/b"
	check "$v vCPU(s): every outcome class was reached (ok, -EPERM, -EINVAL, -EBUSY, not supported)" grep -q \
		'"results":{"ok":[1-9][0-9]*,"eperm":[1-9][0-9]*,"einval":[1-9][0-9]*,"ebusy":[1-9][0-9]*,"not_supported":[1-9]' \
		"$tmp/a"
	check "$v vCPU(s): the full checkers ran every 500 calls" grep -q '"full_checks":1[2-9][0-9]' "$tmp/a"
	check "$v vCPU(s): no reproducer without a violation" test ! -e "$tmp/none.scn"
done
check "4 vCPUs: the guest's touches were judged, allowed and refused" grep -q \
	'"touches":{"allowed":[1-9][0-9]*,"refused":[1-9][0-9]*,' "$tmp/a"
check "4 vCPUs: every vCPU issued calls" grep -q '"per_vcpu":\[[1-9][0-9]*,[1-9][0-9]*,[1-9][0-9]*,[1-9][0-9]*\]' "$tmp/a"
check "4 vCPUs: their calls interleave (over 1000 switches)" grep -q '"switches":[1-9][0-9][0-9][0-9]' "$tmp/a"
cmp -s <(sed 's/"seconds":[0-9.]*,//; s/,"per_vcpu.*//' "$tmp/clean1-1.json" | sed 's/"vcpus":1,//') \
	<(sed 's/"seconds":[0-9.]*,//; s/,"per_vcpu.*//' "$tmp/clean4-1.json" | sed 's/"vcpus":4,//')
check "4 vCPUs: the interleaving changes the outcomes (not the 1-vCPU run again)" test $? -ne 0

for v in 1 2 4; do
	timeout 120 "$mutant" fuzz --guest-dir "$guest" --seed 1 --iters 100000 --vcpus $v --repro "$tmp/repro.scn" \
		>"$tmp/mut.out" 2>&1
	rc=$?
	head -c 1500 "$tmp/mut.out"
	check "planted bug, $v vCPU(s): found (exit 1)" test "$rc" -eq 1
	check "planted bug, $v vCPU(s): the violation names share_hyp's result" grep -q \
		"VIOLATION.*__pkvm_host_share_hyp(pfn 0x[0-9a-f]*): returned 0, pKVM's rules say -1" "$tmp/mut.out"
	check "planted bug, $v vCPU(s): reproducer written" test -s "$tmp/repro.scn"
	calls=$(grep -c '^# call ' "$tmp/repro.scn")
	check "planted bug, $v vCPU(s): reproducer minimised to at most 4 calls ($calls)" test "$calls" -ge 1 -a "$calls" -le 4
	timeout 60 "$mutant" run --guest-dir "$guest" "$tmp/repro.scn" >"$tmp/on-mutant" 2>&1
	check "planted bug, $v vCPU(s): reproducer fails on the broken model (exit 1)" test $? -eq 1
	timeout 60 "$hypsim" run --guest-dir "$guest" "$tmp/repro.scn" >"$tmp/on-real" 2>&1
	check "planted bug, $v vCPU(s): reproducer passes on the real model (exit 0)" test $? -eq 0
	mv "$tmp/repro.scn" "$tmp/repro$v.scn"
done
for v in 1 2 4; do
	rm -f "$tmp/repro.scn"
	timeout 120 "$mutant_tlbi" fuzz --guest-dir "$guest" --seed 1 --iters 100000 --check-every 0 --vcpus $v \
		--repro "$tmp/repro.scn" >"$tmp/mut.out" 2>&1
	rc=$?
	head -c 1500 "$tmp/mut.out"
	check "no TLB flush, $v vCPU(s): found (exit 1)" test "$rc" -eq 1
	check "no TLB flush, $v vCPU(s): by the access oracle (a touch of a page the host no longer owns went through)" \
		grep -q "VIOLATION.*the guest's touch of 0x[0-9a-f]* after it was allowed (0 of 2 accesses refused); the page's host state NOPAGE says refused" "$tmp/mut.out"
	check "no TLB flush, $v vCPU(s): ... and it came back on a fresh machine" test "$(grep -c "did not reproduce" "$tmp/mut.out")" -eq 0
	check "no TLB flush, $v vCPU(s): the reproducer expects the guest's touch to be refused" \
		grep -q "touch of 0x[0-9a-f]* refused" "$tmp/repro.scn"
	timeout 60 "$mutant_tlbi" run --guest-dir "$guest" "$tmp/repro.scn" >"$tmp/on-mutant" 2>&1
	check "no TLB flush, $v vCPU(s): reproducer fails on the broken simulator (exit 1)" test $? -eq 1
	check "no TLB flush, $v vCPU(s): ... at a refused touch" grep -q "expected memory == 0x102 (258), got 0x100 (256)" "$tmp/on-mutant"
	timeout 60 "$hypsim" run --guest-dir "$guest" "$tmp/repro.scn" >"$tmp/on-real" 2>&1
	check "no TLB flush, $v vCPU(s): reproducer passes on hypsim (exit 0)" test $? -eq 0
done
# A third planted bug: unshare_hyp ignores hyp's pin.  Found through the real HVCs with 1, 2 and 4
# vCPUs; delta debugging over the calls and their vCPUs leaves share, pin, unshare, on one vCPU.
for v in 1 2 4; do
	rm -f "$tmp/repro.scn"
	timeout 120 "$mutant_pin" fuzz --guest-dir "$guest" --seed 1 --iters 100000 --vcpus $v --repro "$tmp/repro.scn" \
		>"$tmp/mut.out" 2>&1
	rc=$?
	head -c 1500 "$tmp/mut.out"
	check "unshare ignores the pin, $v vCPU(s): found (exit 1)" test "$rc" -eq 1
	check "unshare ignores the pin, $v vCPU(s): the violation names unshare_hyp's result" grep -q \
		"VIOLATION.*__pkvm_host_unshare_hyp(pfn 0x[0-9a-f]*): returned 0, pKVM's rules say -16" "$tmp/mut.out"
	calls=$(grep -c '^# call ' "$tmp/repro.scn")
	check "unshare ignores the pin, $v vCPU(s): minimised to the 3 calls that matter ($calls)" test "$calls" -eq 3
	check "unshare ignores the pin, $v vCPU(s): ... share, pin, unshare" test "$(grep '^# call ' "$tmp/repro.scn" |
		sed 's/.*: \([_a-z]*\)(.*/\1/' | tr '\n' ' ')" = "__pkvm_host_share_hyp pin __pkvm_host_unshare_hyp "
	check "unshare ignores the pin, $v vCPU(s): ... all moved to vCPU 0" test "$(grep -c '^# call [0-9]*: vCPU 0:' "$tmp/repro.scn")" -eq 3
	timeout 60 "$mutant_pin" run --guest-dir "$guest" "$tmp/repro.scn" >"$tmp/on-mutant" 2>&1
	check "unshare ignores the pin, $v vCPU(s): reproducer fails on the broken model (exit 1)" test $? -eq 1
	timeout 60 "$hypsim" run --guest-dir "$guest" "$tmp/repro.scn" >"$tmp/on-real" 2>&1
	check "unshare ignores the pin, $v vCPU(s): reproducer passes on hypsim (exit 0)" test $? -eq 0
done
for scn in "$src"/tests/scenarios/pkvm-donate-touch-*.scn; do
	timeout 60 "$mutant_tlbi" run --guest-dir "$guest" "$scn" >"$tmp/on-mutant" 2>&1
	rc=$?
	check "no TLB flush: $(basename "$scn") fails (exit 1)" test "$rc" -eq 1
	check "no TLB flush: $(basename "$scn") ... because the touch went through" \
		grep -q "expected count of s2-fault events == 0x3 (3), got 0x2 (2)" "$tmp/on-mutant"
done
check "the 4-vCPU reproducer sets up 4 vCPUs" grep -q '^vcpus 4$' "$tmp/repro4.scn"
check "the 4-vCPU reproducer writes vCPU 3's ring" grep -q '^write mem 0x43c00000 u64 [0-9]*    # vCPU 3' "$tmp/repro4.scn"
"$hypsim" fuzz --iters 0 >"$tmp/out" 2>&1
check "--iters 0: usage error (exit 2)" test $? -eq 2
"$hypsim" fuzz --vcpus 5 >"$tmp/out" 2>&1
check "--vcpus 5: usage error (exit 2) naming the range" test $? -eq 2 -a "$(grep -c '1..4' "$tmp/out")" -eq 1
"$hypsim" fuzz --guest-dir "$tmp" --iters 10 >"$tmp/out" 2>&1
check "no guest image: exit 2 with the reason" test $? -eq 2 -a "$(grep -c 'pkvm-fuzz.elf' "$tmp/out")" -ge 1
exit $fail
