#!/usr/bin/env bash
# hypsim fuzz: clean on the real model and deterministic under --seed; on a
# planted bug (hypsim-mutant) it finds the bug from a fixed seed within a
# bounded budget and writes a reproducer that fails there and passes on the
# real model.  usage: fuzz.sh HYPSIM HYPSIM_MUTANT GUEST_DIR
set -u
hypsim=$1 mutant=$2 guest=$3
. "$(dirname "$0")/lib.sh"

for i in 1 2; do
	timeout 120 "$hypsim" fuzz --guest-dir "$guest" --seed 7 --iters 60000 --check-every 500 --json \
		--repro "$tmp/none.scn" >"$tmp/clean$i.json" 2>&1
	rc=$?
	check "real model, seed 7, 60000 calls: no violation (exit 0)" test "$rc" -eq 0
done
head -c 600 "$tmp/clean1.json"; echo
sed 's/"seconds":[0-9.]*,//' "$tmp/clean1.json" >"$tmp/a"
sed 's/"seconds":[0-9.]*,//' "$tmp/clean2.json" >"$tmp/b"
check "same seed, same calls and results" cmp -s "$tmp/a" "$tmp/b"
check "every outcome class was reached (ok, -EPERM, -EINVAL, -EBUSY, not supported)" grep -q \
	'"results":{"ok":[1-9][0-9]*,"eperm":[1-9][0-9]*,"einval":[1-9][0-9]*,"ebusy":[1-9][0-9]*,"not_supported":[1-9]' \
	"$tmp/a"
check "the full checkers ran every 500 calls" grep -q '"full_checks":1[2-9][0-9]' "$tmp/a"
check "no reproducer without a violation" test ! -e "$tmp/none.scn"

timeout 120 "$mutant" fuzz --guest-dir "$guest" --seed 1 --iters 100000 --repro "$tmp/repro.scn" >"$tmp/mut.out" 2>&1
rc=$?
head -c 1500 "$tmp/mut.out"
check "planted bug: found (exit 1)" test "$rc" -eq 1
check "planted bug: the violation names share_hyp's result" grep -q \
	'VIOLATION.*__pkvm_host_share_hyp(pfn 0x[0-9a-f]*): returned 0, the spec says -1' "$tmp/mut.out"
check "planted bug: reproducer written" test -s "$tmp/repro.scn"
calls=$(grep -c '^# call ' "$tmp/repro.scn")
check "planted bug: reproducer minimised to at most 4 calls ($calls)" test "$calls" -ge 1 -a "$calls" -le 4
timeout 60 "$mutant" run --guest-dir "$guest" "$tmp/repro.scn" >"$tmp/on-mutant" 2>&1
check "reproducer fails on the broken model (exit 1)" test $? -eq 1
timeout 60 "$hypsim" run --guest-dir "$guest" "$tmp/repro.scn" >"$tmp/on-real" 2>&1
check "reproducer passes on the real model (exit 0)" test $? -eq 0

"$hypsim" fuzz --iters 0 >"$tmp/out" 2>&1
check "--iters 0: usage error (exit 2)" test $? -eq 2
"$hypsim" fuzz --guest-dir "$tmp" --iters 10 >"$tmp/out" 2>&1
check "no guest image: exit 2 with the reason" test $? -eq 2 -a "$(grep -c 'pkvm-fuzz.elf' "$tmp/out")" -ge 1
exit $fail
