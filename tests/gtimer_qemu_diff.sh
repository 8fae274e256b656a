#!/usr/bin/env bash
# Differential reference for the arm64 generic timer (docs/models/gtimer.md §3):
# the same guest binary, scenarios/guest/arm64/gtimer_edges.S, under hypsim
# (cpu-freq 1GHz, timebase 62.5MHz) and under Debian's qemu-system-aarch64 7.2
# (-M virt,gic-version=3, semihosting, -icount shift=0,sleep=off: one
# instruction per nanosecond and QEMU's fixed 62.5 MHz counter, the same clock
# pair).  The guest prints its 24 results.
#
#   - The results that follow from a rule alone (ISTATUS, IMASK, ENABLE, the
#     TVAL views, the unsigned compare, where each interrupt is taken, the
#     INTIDs, the counts) must be equal.
#   - The ones that count ticks across a few instructions depend on where the
#     counter's 16-instruction tick falls, and QEMU runs its boot stub before
#     the guest, which shifts that phase: there each side must be within the
#     rule's bound (0 or 1 tick), not equal.
#
# usage: gtimer_qemu_diff.sh HYPSIM GUEST_DIR.  Exit 77 (skipped) without QEMU.
set -u
hypsim=$1
elf=$2/arm64/gtimer-edges.elf
if ! command -v qemu-system-aarch64 >/dev/null 2>&1; then
	echo "SKIP: qemu-system-aarch64 is not installed (apt-get install qemu-system-arm)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/edges.scn" <<SCN
arch arm64
memory 0x40000000 16M
cpu-freq 1GHz
timebase 62.5MHz
load $elf
run until exit
expect exit 0
SCN
"$hypsim" run --console "$tmp/edges.scn" 2>&1 | head -c 8192 | grep -A24 '^gtimer edges: done' | tail -n +2 > "$tmp/h"
timeout -s KILL 60 qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -nic none -display none \
	-serial none -monitor none -semihosting-config enable=on,target=native -icount shift=0,sleep=off \
	-kernel "$elf" 2>&1 | head -c 8192 | grep -A24 '^gtimer edges: done' | tail -n +2 > "$tmp/q"
if [ "$(wc -l < "$tmp/h")" -ne 24 ] || [ "$(wc -l < "$tmp/q")" -ne 24 ]; then
	echo "FAIL: expected 24 results from each (hypsim $(wc -l < "$tmp/h"), QEMU $(wc -l < "$tmp/q"))"
	exit 1
fi
# offsets (index = offset / 8) that count ticks over a few instructions, with their bound as signed values
timing=" 6 7 9 10 11 13 14 16 17 20 21 "
fail=0
i=0
while read -r h && read -r q <&3; do
	off=$(printf '0x%02x' $((i * 8)))
	if [[ "$timing" == *" $i "* ]]; then
		for v in "$h" "$q"; do
			s=$(( 0x$v ))
			case $i in
			9) ok=$(( s >= -1 && s <= 0 )) ;;        # TVAL read back + 100
			14) ok=$(( s >= 999 && s <= 1000 )) ;;   # TVAL of 2^32 + 1000
			16) ok=$(( s >= 1 )) ;;                  # never early
			*) ok=$(( s >= 0 && s <= 1 )) ;;
			esac
			if [ "$ok" != 1 ]; then
				echo "FAIL result $off: $v is outside the rule's bound"
				fail=1
			fi
		done
		[ "$h" = "$q" ] || echo "note  result $off: hypsim $h, QEMU $q (tick phase; both within the bound)"
	elif [ "$h" != "$q" ]; then
		echo "FAIL result $off: hypsim $h, QEMU $q"
		fail=1
	fi
	i=$((i + 1))
done < "$tmp/h" 3< "$tmp/q"
[ $fail = 0 ] && echo "PASS: hypsim and QEMU 7.2 agree on the generic timer's edges (24 results)"
exit $fail
