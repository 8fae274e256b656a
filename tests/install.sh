#!/usr/bin/env bash
# cmake --install into a temporary prefix gives a working hypsim (issue 23 item 6):
#   - the installed binary finds the installed guests next to itself
#     (PREFIX/share/hypsim/guest), with no build path baked in and no
#     HYPSIM_GUEST_DIR, and runs installed scenarios;
#   - the installed hypsim-cc builds a user's guests with the guest kit, one
#     in C for arm64 and one in assembly with guest.h for riscv64, and they run.
# usage: install.sh BUILD_DIR
set -u
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { if ! "$@"; then echo "FAIL: $*"; fail=1; fi; }

cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; exit 1; }
p=$tmp/prefix
unset HYPSIM_GUEST_DIR
ok test -x "$p/bin/hypsim"
ok test -x "$p/bin/hypsim-cc"
ok test -r "$p/share/hypsim/kit/arm64/guest.h"
"$p/bin/hypsim" run --help > "$tmp/help"
ok grep -qF "$p/bin/../share/hypsim/guest" "$tmp/help"
(cd / && "$p/bin/hypsim" run -q "$p/share/hypsim/scenarios/arm64-hello.scn" "$p/share/hypsim/scenarios/riscv64-sstc.scn") \
	> "$tmp/out" 2>&1 || { echo "FAIL: installed scenarios:"; cat "$tmp/out"; fail=1; }

mkdir "$tmp/user"
cat > "$tmp/user/hello.c" <<'C'
void semi_puts(const char *s);
int main(int cpu)
{
	semi_puts("my arm64 guest\n");
	return cpu + 3;
}
C
cat > "$tmp/user/count.S" <<'S'
#include "guest.h"
	.text
	.globl main
main:
	li	a0, 7		/* exit code */
	ret
S
ok "$p/bin/hypsim-cc" arm64 -o "$tmp/user/hello.elf" "$tmp/user/hello.c"
ok "$p/bin/hypsim-cc" riscv64 -o "$tmp/user/count.elf" "$tmp/user/count.S"
printf 'arch arm64\nmemory 0x40000000 16M\nload hello.elf\nrun until exit\nexpect exit 3\nexpect console "my arm64 guest\\n"\n' \
	> "$tmp/user/hello.scn"
printf 'arch riscv64\nmemory 0x80000000 16M\nload count.elf\nrun until exit\nexpect exit 7\n' > "$tmp/user/count.scn"
(cd "$tmp/user" && "$p/bin/hypsim" run hello.scn count.scn) > "$tmp/out" 2>&1 ||
	{ echo "FAIL: the user's guests:"; cat "$tmp/out"; fail=1; }
[ $fail = 0 ] && echo "PASS: the installed hypsim runs installed scenarios and a user's guests built with hypsim-cc"
exit $fail
