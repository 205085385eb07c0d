#!/usr/bin/env bash
# Checks scripts/install-completions.sh: installs into a temporary prefix and checks that the
# bash, zsh and fish completions and the man page are there, parse, and know every subcommand.
#   bash scripts/completions-test.sh [HOUSESTYLE_BINARY]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf 'completions-test: %s\n' "$*" >&2; }
binary="${1:-$(cd "$root" && swift build --show-bin-path)/housestyle}"
prefix="$(mktemp -d "${TMPDIR:-/tmp}/housestyle-completions-XXXXXX")"
trap 'rm -rf "$prefix"' EXIT
# The man page comes from a SwiftPM plugin, whose build replaces the products of the build folder
# it runs in: give it its own (git-ignored) folder so the tests' binaries survive.
bash "$root/scripts/install-completions.sh" --prefix "$prefix" --binary "$binary" \
    --scratch-path "$root/.build-completions" 2>"$prefix/log" || { cat "$prefix/log" >&2; exit 1; }

failures=0
fail() { say "FAIL: $*"; failures=$((failures + 1)); }
share="$prefix/share"
bash_file="$share/bash-completion/completions/housestyle" zsh_file="$share/zsh/site-functions/_housestyle"
fish_file="$share/fish/vendor_completions.d/housestyle.fish" man_file="$share/man/man1/housestyle.1"
for file in "$bash_file" "$zsh_file" "$fish_file" "$man_file"; do [[ -s "$file" ]] || fail "missing $file"; done
bash -n "$bash_file" || fail "the bash completions do not parse"
grep -q '^complete .*housestyle$' "$bash_file" || fail "the bash completions register no 'complete' for housestyle"
[[ "$(head -1 "$zsh_file")" == "#compdef housestyle" ]] || fail "the zsh completions do not start with #compdef housestyle"
if command -v zsh >/dev/null; then zsh -n "$zsh_file" || fail "the zsh completions do not parse"; fi
grep -Eq "^complete -c '?housestyle'? " "$fish_file" || fail "the fish completions have no 'complete -c housestyle'"
grep -q '^\.Dt HOUSESTYLE 1' "$man_file" || fail "the man page has no '.Dt HOUSESTYLE 1'"
# Every subcommand, and an option of each, is in each file.
for word in validate rewrite filter check score --jsonl --fail-level --in-place --skip-corpus-check --paragraphs; do
    for file in "$bash_file" "$zsh_file" "$fish_file" "$man_file"; do
        grep -q -- "${word#--}" "$file" || fail "$(basename "$file") does not mention '$word'"
    done
done
say "$failures failures"
((failures == 0))
