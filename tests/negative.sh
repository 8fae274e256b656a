#!/usr/bin/env bash
# The hostile-input corpus (tests/negative/): every case must end with its
# expected exit status and message, within its time, without a signal or a
# sanitizer report.  Each case states what it expects in '#!' lines:
#   #! exit N                 the exit status
#   #! message TEXT           text the output must contain (repeatable)
#   #! args ARGS...           NAME.scn: extra 'hypsim run' options
#   #! base FILE.rec          NAME.forge: the golden recording (tests/recordings) to edit
#   #! edit SED-SCRIPT        NAME.forge: the edit, a sed script (repeatable)
#   #! setup SHELL            NAME.cli: prepare $TMP first (a FIFO, a file)
#   #! run ARGS...            NAME.cli: the hypsim arguments, with $GUEST, $SRC, $NEG, $REC, $TMP
# NAME.scn is run as 'hypsim run --guest-dir $GUEST [args] NAME.scn'; NAME.forge
# replays the edited copy as 'hypsim replay [args] $TMP/NAME.rec'.
# usage: negative.sh HYPSIM GUEST_DIR SOURCE_DIR [CASE...]   (bless=1: print outputs)
set -u
hypsim=$(realpath "$1") GUEST=$(realpath "$2") SRC=$(realpath "$3")
shopt -s nullglob
shift 3
NEG=$SRC/tests/negative REC=$SRC/tests/recordings
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export GUEST SRC NEG REC TMP
pass=0 fail=0 n=0

meta() { sed -n "s/^#! $1 //p" "$2"; }

one() {
	local f=$1 name want status out args line
	name=$(basename "$f")
	want=$(meta exit "$f")
	args=$(meta args "$f")
	case $f in
	*.scn) eval "set -- run --guest-dir \"\$GUEST\" $args \"\$f\"" ;;
	*.forge)
		local sedargs=()
		while IFS= read -r line; do sedargs+=(-e "$line"); done < <(meta edit "$f")
		if [ ${#sedargs[@]} -eq 0 ]; then sedargs=(-e p -n); fi # no edit: the golden as it is
		sed "${sedargs[@]}" "$REC/$(meta base "$f")" >"$TMP/${name%.forge}.rec"
		eval "set -- replay $args \"\$TMP/${name%.forge}.rec\"" ;;
	*.cli)
		while IFS= read -r line; do (cd "$TMP" && eval "$line") >/dev/null 2>&1; done < <(meta setup "$f")
		eval "set -- $(meta run "$f")" ;;
	esac
	(cd "$TMP" && timeout 60 "$hypsim" "$@" </dev/null >"$TMP/out" 2>&1)
	status=$?
	out=$(head -c 20000 "$TMP/out")
	if [ "${f##*.}" = scn ] && [ -z "${bless:-}" ]; then
		# a scenario ends the same way under the instruction clock: same status, same report
		(cd "$TMP" && timeout 60 "$hypsim" "${@:1:$#-1}" --clock insn "${@: -1}" </dev/null >"$TMP/out2" 2>&1)
		local status2=$?
		if [ $status2 -ne $status ] || ! cmp -s "$TMP/out" "$TMP/out2"; then
			echo "FAIL: $name: --clock insn ends differently (status $status2, not $status):"
			diff "$TMP/out" "$TMP/out2" | head -6 | sed 's/^/    /'
			fail=$((fail + 1))
			return
		fi
	fi
	if [ -n "${bless:-}" ]; then
		printf '== %s -> %s\n%s\n' "$name" "$status" "$(head -c 600 <<<"$out")"
		return
	fi
	local ok=1 m
	[ -n "$want" ] && [ "$status" -eq "$want" ] || ok=0
	while IFS= read -r m; do grep -qF -- "$m" <<<"$out" || ok=0; done < <(meta message "$f")
	[ -n "$(meta message "$f")" ] || ok=0
	grep -q "Sanitizer\|runtime error" <<<"$out" && ok=0
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name: status $status (want ${want:-?}), output:"
		sed 's/^/    /' <<<"$out" | head -12
		meta message "$f" | sed 's/^/    expected: /'
	fi
}

if [ $# -gt 0 ]; then
	for f in "$@"; do one "$(realpath "$f")"; n=$((n + 1)); done
else
	for f in "$NEG"/*.scn "$NEG"/*.forge "$NEG"/*.cli; do one "$f"; n=$((n + 1)); done
fi
echo "negative corpus: $n cases, $pass passed, $fail failed"
if [ $# -eq 0 ] && [ $n -lt 150 ]; then
	echo "FAIL: the corpus has $n cases; it must keep at least 150"
	fail=$((fail + 1))
fi
[ -n "${bless:-}" ] || [ $fail -eq 0 ]
