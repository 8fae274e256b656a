#!/usr/bin/env bash
# Model-only replay (hypsim replay --model): the golden pKVM recordings and a
# hand-written hcall log agree with the pKVM model; edited copies, a planted
# model bug (hypsim-mutant) and malformed logs give exactly the divergence or
# error they should.
# usage: replay_model.sh HYPSIM MUTANT GUEST_DIR SOURCE_DIR
set -u
hypsim=$1 mutant=$2 guest=$3 src=$4
rec=$src/tests/recordings
log=$src/tests/model-logs/share-unshare.jsonl
. "$(dirname "$0")/lib.sh"
model() { # OUT FILE [OPTIONS...]: exit status in $rc, output (bounded) in OUT
	local out=$1 file=$2
	shift 2
	timeout 120 "${bin:-$hypsim}" replay --model --guest-dir "$guest" "$@" "$file" 2>&1 | head -c 20000 >"$out"
	rc=${PIPESTATUS[0]}
}

# The golden pKVM recordings: every call, fault, hyp report and pKVM digest agrees.
model "$tmp/out" "$rec/pkvm-boot-mainline.rec"
check "mainline boot: exit 0" test "$rc" -eq 0
check "mainline boot: 9 calls, 3 faults, the hyp panic, 1 digest" grep -qx \
	"model replay: identical: 9 hypercalls, 3 stage-2 faults, 1 hypervisor report and 1 digest agree with the pKVM model" \
	"$tmp/out"
model "$tmp/out" "$rec/pkvm-boot-android.rec"
check "android boot: the injected abort" grep -q "identical: 9 hypercalls, 3 stage-2 faults, 1 hypervisor report and 1 digest" "$tmp/out"
model "$tmp/out" "$rec/pkvm-smp.rec"
check "smp boot: four CPUs' calls" grep -q "identical: 6 hypercalls, 2 stage-2 faults, 0 hypervisor reports and 1 digest" "$tmp/out"

# The hand-written log of docs/recording.md.
model "$tmp/out" "$log"
check "hand-written log: exit 0" test "$rc" -eq 0
check "hand-written log: 13 calls, 2 faults, 1 hyp panic" grep -q \
	"identical: 13 hypercalls, 2 stage-2 faults, 1 hypervisor report and 0 digests" "$tmp/out"
model "$tmp/out.json" "$log" --json
check "--json: counts" grep -q '"result":"same".*"mode":"model","calls":13,"faults":2,"reports":1,"digests":0' "$tmp/out.json"

# A planted model bug: share_hyp without its host-state check accepts a page shared with FF-A.
bin=$mutant model "$tmp/out" "$log"
check "mutant model: exit 1" test "$rc" -eq 1
check "mutant model: at the share of the FF-A page (line 21)" grep -q "DIVERGED at $log:21," "$tmp/out"
check "mutant model: ret[1] expected -1, actual 0" grep -q 'differs:  ret\[1\]: expected "-1", actual "0x0"' "$tmp/out"

# An edited recording: share_hyp's result in the mainline boot.
g=$rec/pkvm-boot-mainline.rec
n=$(grep -n '"call":"__pkvm_host_share_hyp"' "$g" | head -1 | cut -d: -f1)
sed "${n}s/\"ret\":\[\"0x0\",\"0x0\",/\"ret\":[\"0x0\",\"0xffffffffffffffff\",/" "$g" >"$tmp/ret.rec"
model "$tmp/out" "$tmp/ret.rec"
check "edited result: exit 1 at line $n" grep -q "DIVERGED at $tmp/ret.rec:$n," "$tmp/out"
check "edited result: exactly ret[1]" test "$(grep -c '^  differs:' "$tmp/out")" -eq 1
check "edited result: the recorded time, vcpu and pc" grep -q "virtual time [0-9]* cycles, vcpu 0, pc 0x" "$tmp/out"

# An edited pKVM digest.
sed 's/"pkvm":"0x[0-9a-f]*"/"pkvm":"0x0000000000000001"/' "$rec/pkvm-smp.rec" >"$tmp/digest.rec"
model "$tmp/out" "$tmp/digest.rec"
check "edited digest: names model pkvm" grep -q 'differs:  model pkvm: expected "0x0000000000000001"' "$tmp/out"

# The hyp panic removed from the log: the model reports one the log does not have.
grep -v '"kind":"hyp-panic"' "$log" >"$tmp/nopanic.jsonl"
model "$tmp/out" "$tmp/nopanic.jsonl"
check "missing panic: exit 1" test "$rc" -eq 1
check "missing panic: said so" grep -q "the model reported a hyp-panic that the log does not have (the log ends)" "$tmp/out"

# A hyp panic the model does not make.
head -3 "$log" >"$tmp/extra.jsonl"
echo '{"kind":"hyp-panic"}' >>"$tmp/extra.jsonl"
model "$tmp/out" "$tmp/extra.jsonl"
check "extra panic: exit 1 at line 4" grep -q "DIVERGED at $tmp/extra.jsonl:4," "$tmp/out"
check "extra panic: said so" grep -q "the log has a hyp-panic here that the model did not report" "$tmp/out"

# A call after the panic.
{ cat "$log"; echo '{"call":"__pkvm_host_share_hyp","args":["0x40900"]}'; } >"$tmp/after.jsonl"
model "$tmp/out" "$tmp/after.jsonl"
check "call after a panic: refused" grep -q "the hypervisor stopped earlier" "$tmp/out"

# Malformed input: exit 2 with the line.
bad() { # DESCRIPTION MESSAGE-REGEX LINES...
	local what=$1 msg=$2
	shift 2
	printf '%s\n' "$@" >"$tmp/bad.jsonl"
	model "$tmp/out" "$tmp/bad.jsonl"
	check "$what: exit 2" test "$rc" -eq 2
	check "$what: message" grep -q "$msg" "$tmp/out"
}
hdr='{"kind":"hypsim-hcall-log","version":1,"setup":["arch arm64","memory 0x40000000 64M","pkvm mainline"]}'
bad "version" "hcall log version must be 1" '{"kind":"hypsim-hcall-log","version":2,"setup":["arch arm64"]}'
bad "not JSON" "bad.jsonl: line 2:[0-9]*: " "$hdr" '{"fid":'
bad "vcpu out of range" "line 2: 'vcpu' must be a vCPU of the machine (0..0)" "$hdr" '{"vcpu":3,"fid":"0xc6000007"}'
bad "unknown call" "line 2: a call needs 'fid', or 'call' naming" "$hdr" '{"call":"__pkvm_nonsense"}'
bad "args" "line 2: 'args' must be a list of at most 5 numbers" "$hdr" '{"fid":1,"args":[1,2,3,4,5,6]}'
bad "unknown kind" "line 2: kind \"timer\" is not one of" "$hdr" '{"kind":"timer"}'
bad "setup error" "bad.jsonl setup:2:1: " '{"kind":"hypsim-hcall-log","version":1,"setup":["arch arm64","bogus"]}'
bad "setup without pkvm" "the setup needs 'arch arm64' and a 'pkvm' line" \
	'{"kind":"hypsim-hcall-log","version":1,"setup":["arch arm64","memory 0x40000000 64M"]}'
bad "setup runs guest code" "model-only replay takes 'load'" \
	'{"kind":"hypsim-hcall-log","version":1,"setup":["arch arm64","memory 0x40000000 64M","pkvm","load arm64/pkvm-boot.elf","run until exit"]}'
model "$tmp/out" "$rec/riscv64-sstc.rec"
check "a recording without pKVM: exit 2" test "$rc" -eq 2
check "a recording without pKVM: said so" grep -q "runs no pKVM" "$tmp/out"
exit $fail
