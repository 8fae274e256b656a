#!/usr/bin/env bash
# The layer rules, checked on the source tree (docs/architecture.md, "Layers"):
#   - only cpu/ includes Unicorn or Capstone (the build links them PRIVATE to
#     hypsim_cpu, but their headers sit in the system include path, so a stray
#     include would still compile: this test is what stops it);
#   - models/ includes nothing but its own headers and the C library;
#   - the project stands on its own: no file refers to notes outside it,
#     and every docs/ file that a file names exists;
#   - cpu, models, tools and each sim/ folder include each other without a cycle;
#   - every function is under 60 lines.
# usage: layers.sh SOURCE_DIR
set -u
src=$1
. "$(dirname "$0")/lib.sh"
cd "$src" || exit 1
files() {
	git ls-files "$@" 2>/dev/null ||
		find "${@:-.}" -type f -not -path '*/.git/*' -not -path './build*' | sed 's|^\./||'
}

hits=$(files cpu sim models tools tests | grep -E '\.(c|h)$' | grep -v '^cpu/' |
	xargs grep -lE '#[[:space:]]*include[[:space:]]*[<"](unicorn|capstone)/' 2>/dev/null)
check "only cpu/ includes Unicorn or Capstone${hits:+ (not: $hits)}" test -z "$hits"

hits=$(files models | grep -E '\.(c|h)$' | xargs grep -hE '#[[:space:]]*include[[:space:]]*"' 2>/dev/null |
	sed -E 's/.*"([^"]*)".*/\1/' | sort -u | while read -r h; do [ -e "models/$h" ] || echo "$h"; done)
check "models/ includes only models/ headers${hits:+ (not: $hits)}" test -z "$hits"

# (the pattern is split so that this file does not name what it looks for)
outside='\.\./sha''red|(^|[^a-z])sp''ec/[a-z]'
hits=$(files | xargs grep -lE "$outside" 2>/dev/null | head -20)
check "no file refers to notes outside the project${hits:+ (still: $(echo $hits))}" test -z "$hits"
# The sub-systems' include graph has no cycle: cpu, models, tools and each sim/ folder.
subsystem() { case $1 in sim/*/*) echo "${1%/*}" ;; */*) echo "${1%%/*}" ;; esac; }
sources=$(files cpu models tools sim | grep -E '\.(c|h)$')
edges=$(for f in $sources; do
	from=$(subsystem "$f")
	grep -hoE '^#[[:space:]]*include[[:space:]]*"[^"]+"' "$f" | sed -E 's/.*"([^"]+)"/\1/' | while read -r h; do
		to=$(printf '%s\n' $sources | grep -m1 -E "(^|/)$h\$")
		[ -n "$to" ] && [ "$(subsystem "$to")" != "$from" ] && echo "$from $(subsystem "$to")"
	done
done | sort -u)
loop=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null | head -5)
check "the sub-systems include each other without a cycle${loop:+ ($(echo $loop))}" test -z "$loop"

# Functions fit on a screen: under 60 lines from the signature to the closing brace.
long=$(files cpu models tools sim tests | grep -E '\.c$' | while read -r f; do
	awk -v f="$f" '/^[A-Za-z_]/ { sig = NR; name = $0 }
		/^\{$/ { start = sig }
		/^\}/ && start { if (NR - start + 1 >= 60) printf "%s:%d (%d lines)\n", f, start, NR - start + 1; start = 0 }' "$f"
done)
check "every function is under 60 lines${long:+ (not: $(echo $long))}" test -z "$long"

hits=$(files | grep -vE '^tests/(layers\.sh|recordings/)' | xargs grep -ohE 'docs/[a-z0-9/_-]+\.md' 2>/dev/null | sort -u |
	while read -r d; do [ -e "$d" ] || echo "$d"; done)
check "every docs/*.md that a file names exists${hits:+ (missing: $(echo $hits))}" test -z "$hits"
exit $fail
