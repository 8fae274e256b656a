# Shared by the shell tests: a temporary folder removed at exit, and
# check DESCRIPTION CONDITION... which prints ok/FAIL and remembers failures.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {
	local what=$1
	shift
	if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}
