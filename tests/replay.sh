#!/usr/bin/env bash
# Golden recordings replay identically; edited copies give exactly the
# divergence (or the bad-recording error) that the edit makes.
# usage: replay.sh HYPSIM GUEST_DIR SOURCE_DIR
set -u
hypsim=$1 guest=$2 src=$3
rec=$src/tests/recordings
. "$(dirname "$0")/lib.sh"
replay() { # OUT FILE [OPTIONS...]: exit status in $rc, output (bounded) in OUT
	local out=$1 file=$2
	shift 2
	timeout 120 "$hypsim" replay --guest-dir "$guest" "$@" "$file" 2>&1 | head -c 20000 >"$out"
	rc=${PIPESTATUS[0]}
}

n=0
for f in "$rec"/*.rec; do
	replay "$tmp/out" "$f"
	check "golden $(basename "$f") replays identically" test "$rc" -eq 0
	[ "$rc" -eq 0 ] || cat "$tmp/out"
	n=$((n + 1))
done
check "at least 7 golden recordings" test "$n" -ge 7

# One hypercall result edited: __pkvm_init's x1 (line 4 of the mainline boot).
g=$rec/pkvm-boot-mainline.rec
sed '4s/"ret":\["0x0","0x0",/"ret":["0x0","0x16",/' "$g" >"$tmp/ret.rec"
check "the edit changed line 4" test "$(cmp "$g" "$tmp/ret.rec" 2>&1 | grep -c 'line 4')" -eq 1
replay "$tmp/out" "$tmp/ret.rec"
check "edited result: exit 1" test "$rc" -eq 1
check "edited result: reported at line 4" grep -q "DIVERGED at $tmp/ret.rec:4," "$tmp/out"
check "edited result: time, vcpu, pc" grep -q "virtual time 20 cycles, vcpu 0, pc 0x4000083c" "$tmp/out"
check "edited result: exactly the field ret[1]" test "$(grep -c '^  differs:' "$tmp/out")" -eq 1
check "edited result: expected 0x16, actual 0x0" grep -q 'differs:  ret\[1\]: expected "0x16", actual "0x0"' "$tmp/out"
check "edited result: last matching lines shown" grep -q '^    3: {"t":0,"kind":"input","line":9' "$tmp/out"

# The same edit, as JSON.
replay "$tmp/out.json" "$tmp/ret.rec" --json
check "--json: one object naming line, field and values" grep -q \
	'"result":"diverged".*"line":4,"t":20,"vcpu":0,"pc":"0x4000083c".*"differences":\[{"field":"ret\[1\]","expected":"0x16","actual":"0x0"}\]' \
	"$tmp/out.json"

# A register in a state digest (riscv64-sstc: the second digest, x10 = a0).
s=$rec/riscv64-sstc.rec
line=$(grep -n '"kind":"digest","n":1,' "$s" | cut -d: -f1)
sed "${line}s/\"x10\":\"0x[0-9a-f]*\"/\"x10\":\"0xbad\"/" "$s" >"$tmp/reg.rec"
replay "$tmp/out" "$tmp/reg.rec"
check "edited register: exit 1 at the digest's line" grep -q "DIVERGED at $tmp/reg.rec:$line," "$tmp/out"
check "edited register: names register x10 of vcpu 0" grep -q 'differs:  register x10 of vcpu 0: expected "0xbad"' "$tmp/out"

# A memory page in a digest.
sed "${line}s/\"pages\":{\"0x\([0-9a-f]*\)\":\"0x[0-9a-f]*\"/\"pages\":{\"0x\1\":\"0x0000000000000bad\"/" "$s" >"$tmp/page.rec"
replay "$tmp/out" "$tmp/page.rec"
check "edited page: names the memory page" grep -q 'differs:  memory page 0x[0-9a-f]* .*expected "0x0000000000000bad"' "$tmp/out"

# A model digest (pkvm after the SMP boot).
p=$rec/pkvm-smp.rec
sed 's/"pkvm":"0x[0-9a-f]*"/"pkvm":"0x0000000000000001"/' "$p" >"$tmp/model.rec"
replay "$tmp/out" "$tmp/model.rec"
check "edited model digest: names model pkvm" grep -q 'differs:  model pkvm: expected "0x0000000000000001"' "$tmp/out"

# A deleted event: the next produced event is reported against the following one.
sed '5d' "$g" >"$tmp/del.rec"
replay "$tmp/out" "$tmp/del.rec"
check "deleted event: exit 1 at line 5" grep -q "DIVERGED at $tmp/del.rec:5," "$tmp/out"

# A recording cut short: the run goes on past its end.
head -n 6 "$g" >"$tmp/short.rec"
replay "$tmp/out" "$tmp/short.rec"
check "truncated recording: exit 1" test "$rc" -eq 1
check "truncated recording: says the recording ended" grep -q "expected: (end of recording)" "$tmp/out"

# An extra line at the end.
{ cat "$g"; echo '{"t":99,"kind":"input","line":1,"cmd":"x"}'; } >"$tmp/extra.rec"
replay "$tmp/out" "$tmp/extra.rec"
check "extra line: exit 1, run ended first" grep -q "actual:   (the run ended)" "$tmp/out"

# A reformatted (but equal) line still matches.
sed '4s/,"kind":"hvc",/, "kind" : "hvc" ,/' "$g" >"$tmp/spaces.rec"
replay "$tmp/out" "$tmp/spaces.rec"
check "reformatted JSON: still identical" test "$rc" -eq 0

# Bad recordings: exit 2 with the reason.
sed '1s/"version":2/"version":7/' "$g" >"$tmp/ver.rec"
replay "$tmp/out" "$tmp/ver.rec"
check "version 7: exit 2" test "$rc" -eq 2
check "version 7: says so" grep -q "recording format version 7; this hypsim reads version 2" "$tmp/out"
# A forged line: a duplicated key whose last value is the true one (a JSON reader that
# keeps the last would see nothing wrong).
sed '3s/^{"t":/{"t":999,"t":/' "$g" >"$tmp/dup.rec"
replay "$tmp/out" "$tmp/dup.rec"
check "duplicated key: exit 2" test "$rc" -eq 2
check "duplicated key: named at line 3" grep -q "dup.rec:3:.*duplicate object key" "$tmp/out"
sed '1s/^{"kind":/{"kind":"x","kind":/' "$g" >"$tmp/duph.rec"
replay "$tmp/out" "$tmp/duph.rec"
check "duplicated key in the header: exit 2" test "$rc" -eq 2 -a "$(grep -c 'duplicate object key' "$tmp/out")" -ge 1
sed '6s/.*/{"t":not json/' "$g" >"$tmp/junk.rec"
replay "$tmp/out" "$tmp/junk.rec"
check "junk line: exit 2 naming line 6" grep -q "junk.rec:6:.*not JSON" "$tmp/out"
test "$rc" -eq 2 || check "junk line: exit 2" false
mkdir -p "$tmp/empty"
timeout 60 "$hypsim" replay --guest-dir "$tmp/empty" "$g" >"$tmp/out" 2>&1
rc=$?
check "missing image: exit 2" test "$rc" -eq 2
check "missing image: names it" grep -q "image arm64/pkvm-boot.elf is missing" "$tmp/out"
mkdir -p "$tmp/other/arm64"
cp "$guest/arm64/pkvm-boot.elf" "$tmp/other/arm64/"
printf '\x01' | dd of="$tmp/other/arm64/pkvm-boot.elf" bs=1 seek=200 conv=notrunc status=none
timeout 60 "$hypsim" replay --guest-dir "$tmp/other" "$g" >"$tmp/out" 2>&1
rc=$?
check "changed image: exit 2 with both digests" test "$rc" -eq 2 -a "$(grep -c 'differs from the recorded one' "$tmp/out")" -eq 1
sed '1s/"text":"# A/"text":"# B/' "$g" >"$tmp/text.rec"
replay "$tmp/out" "$tmp/text.rec"
check "edited scenario text: exit 2 (digest)" grep -q "scenario text does not match its digest" "$tmp/out"
: >"$tmp/empty.rec"
replay "$tmp/out" "$tmp/empty.rec"
check "empty file: exit 2" test "$rc" -eq 2

# Recording is deterministic: the same scenario records the same bytes.
for i in 1 2; do
	timeout 60 "$hypsim" run -q --guest-dir "$guest" --digest-every 20000 --record "$tmp/again$i.rec" \
		"$src/scenarios/riscv64-sstc.scn" >/dev/null 2>&1
done
check "recording twice gives identical bytes" cmp -s "$tmp/again1.rec" "$tmp/again2.rec"
sed 1d "$tmp/again1.rec" >"$tmp/a.body"
sed 1d "$s" >"$tmp/g.body"
check "a new recording's lines equal the golden one's" cmp -s "$tmp/a.body" "$tmp/g.body"

exit $fail
