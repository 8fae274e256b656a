#!/usr/bin/env bash
# Recordings are portable: the golden recordings, copied with the rest of the
# source tree to another path, replay identically there without --guest-dir.
# The header's paths are relative to the recording; images are found by name
# (the recorded guest directory, else the default one) and checked by digest.
# usage: replay_elsewhere.sh HYPSIM GUEST_DIR SOURCE_DIR
set -u
hypsim=$(realpath "$1") guest=$(realpath "$2") src=$3
. "$(dirname "$0")/lib.sh"
copy=$tmp/some/other/checkout
mkdir -p "$copy"
tar -C "$src" --exclude=./build --exclude=./.git -cf - . | tar -C "$copy" -xf -

replay_all() { # WHAT: replay every copied golden from inside the copy, by a relative path
	local what=$1 f out rc
	for f in "$copy"/tests/recordings/*.rec; do
		out=$(cd "$copy/tests" && timeout 300 "$hypsim" replay "recordings/$(basename "$f")" 2>&1 | head -c 4000)
		rc=${PIPESTATUS[0]}
		check "$what: $(basename "$f")" grep -q "^replay: identical" <<<"$out"
		[ "$rc" -eq 0 ] || sed 's/^/    /' <<<"$out"
	done
}

# 1. The copy has its own build/guest (where the recordings say, relative to
#    them); the default guest directory is useless, so only the relative path can work.
mkdir -p "$copy/build"
cp -r "$guest" "$copy/build/guest"
HYPSIM_GUEST_DIR=/nonexistent replay_all "recorded guest directory, relative"
# 2. No guest directory next to the copy: the images are found by name in the
#    default one (here: the build's, by $HYPSIM_GUEST_DIR) and checked by digest.
rm -rf "$copy/build"
HYPSIM_GUEST_DIR=$guest replay_all "default guest directory, by name and digest"
# 3. An image that is not the recorded one is refused, wherever it is found.
mkdir -p "$copy/build/guest/riscv64"
head -c 4096 /dev/zero >"$copy/build/guest/riscv64/sstc-timer.elf"
out=$(cd "$copy" && HYPSIM_GUEST_DIR=/nonexistent "$hypsim" replay tests/recordings/riscv64-sstc.rec 2>&1)
check "a different image: exit 2" test $? -eq 2
check "a different image: named with both digests" grep -q "image riscv64/sstc-timer.elf differs from the recorded one" <<<"$out"
exit $fail
