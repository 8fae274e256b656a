#!/usr/bin/env bash
# Every example in README.md and docs/ that can run, runs, so none can go stale:
#   - a fenced block that is a whole scenario (its first line is `arch ...` and it
#     has a `run` or an `expect`) passes under hypsim; a guest it loads that the
#     docs write just before as a ```c block is built with scripts/hypsim-cc;
#   - a `build/tools/hypsim ...` line of a ```sh block, run as typed (shell
#     globs and `;` included) next to the tree's scenarios and tests, exits 0,
#     except `bench` (minutes of timing, not behaviour) and GDB sessions
#     (tests/gdb.sh drives those);
#   - an output block's `PASS  FILE  (...)` and `ERROR FILE` lines are what
#     `hypsim run FILE` prints for that file, and its closing count matches
#     scenarios/*.scn.
# usage: doc_examples.sh HYPSIM GUEST_DIR SRC
set -u
hypsim=$(realpath "$1")
guests=$(realpath "$2")
src=$(realpath "$3")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
cd "$src" || exit 1

# blocks FILE: split FILE's fenced blocks into $tmp/blk.N.LANG (N counts over all files)
k=0
blocks() {
	awk -v dir="$tmp" -v base="$k" -v src="$1" '
		/^```/ { if (!inb) { inb = 1; n++; lang = substr($0, 4); if (lang == "") lang = "text";
				     out = dir "/blk." (base + n) "." lang; print "# " src > out; next }
			 inb = 0; close(out); next }
		inb { print > out }
		END { print base + n > (dir "/count") }' "$1"
	k=$(cat "$tmp/count")
}
for f in README.md docs/*.md docs/models/*.md; do blocks "$f"; done
mkdir -p "$tmp/work"
ln -s "$src/scenarios" "$tmp/work/scenarios"
ln -s "$src/tests" "$tmp/work/tests"

run_hypsim() { # ARGS...: the line's hypsim, with the guest directory and its own argv
	timeout -s KILL 600 "$hypsim" "$@" > "$tmp/out" 2>&1
}

last_c=
for b in $(ls "$tmp"/blk.* | sort -t. -k2 -n); do
	from=$(head -1 "$b" | cut -c3-)
	case "$b" in
	*.c)
		last_c=$b
		;;
	*.text)
		first=$(sed -n '2,${/^[[:space:]]*#/d;/^[[:space:]]*$/d;p;q}' "$b")
		if [[ "$first" == arch\ * ]] && grep -qE '^(run|expect) ' "$b"; then
			n=$((n + 1))
			tail -n +2 "$b" > "$tmp/example.scn"
			# a guest the docs build just before (a ```c block): build it with the kit, as they say
			image=$(sed -n 's/^load \([^ ]*\).*/\1/p' "$b")
			if [ -n "$image" ] && [ ! -e "$guests/$image" ] && [ -n "$last_c" ]; then
				tail -n +2 "$last_c" > "$tmp/example.c"
				bash "$src/scripts/hypsim-cc" "${first#arch }" -o "$tmp/$image" "$tmp/example.c" ||
					{ echo "FAIL $from: hypsim-cc cannot build the C example"; fail=1; }
			fi
			if ! run_hypsim run --guest-dir "$guests" "$tmp/example.scn"; then
				echo "FAIL $from: a scenario example does not pass:"; head -c 2000 "$tmp/out" | sed 's/^/    /'; fail=1
			fi
		fi
		while read -r status file rest; do
			[ "$status" = PASS ] || [ "$status" = ERROR ] || continue
			[ -f "$file" ] || continue
			n=$((n + 1))
			run_hypsim run --guest-dir "$guests" "$file"
			want="$status"$([ "$status" = PASS ] && echo "  " || echo " ")"$file${rest:+  $rest}"
			grep -qxF -- "$want" "$tmp/out" || { echo "FAIL $from: '$want' is not what hypsim prints:"; head -3 "$tmp/out" | sed 's/^/    /'; fail=1; }
		done < <(tail -n +2 "$b")
		if grep -qE '^[0-9]+ passed, 0 failed$' "$b"; then
			n=$((n + 1))
			want=$(ls scenarios/*.scn | wc -l)
			grep -qx "$want passed, 0 failed" "$b" || { echo "FAIL $from: the count should be $want passed (scenarios/*.scn)"; fail=1; }
		fi
		;;
	*.sh)
		while IFS= read -r line; do
			[[ "$line" == build/tools/hypsim\ * ]] || continue
			[[ "$line" == *" bench"* || "$line" == *"--gdb"* ]] && continue
			n=$((n + 1))
			# as typed, in a scratch directory that sees the tree's scenarios and tests
			(cd "$tmp/work" && HYPSIM_GUEST_DIR="$guests" timeout -s KILL 600 \
				bash -c "${line//build\/tools\/hypsim/$hypsim}" > "$tmp/out" 2>&1)
			st=$?
			if [ $st -ne 0 ]; then
				echo "FAIL $from: '$line' exits $st:"; head -c 1500 "$tmp/out" | sed 's/^/    /'; fail=1
			fi
		done < <(tail -n +2 "$b")
		;;
	esac
done
[ $fail = 0 ] && echo "PASS: $n examples from README.md and docs/ run as shown"
exit $fail
