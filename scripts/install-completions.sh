#!/usr/bin/env bash
# Installs shell completions (bash, zsh, fish) and the man page of housestyle, both generated
# from its argument parser, so they always match the binary.
#
#   bash scripts/install-completions.sh                  # for you: under ~/.local and ~/.config/fish
#   sudo bash scripts/install-completions.sh --prefix /usr/local   # for everyone
#
# Options:
#   --prefix DIR     install under DIR/share/... (bash-completion, zsh site-functions, fish
#                    vendor completions, man1) instead of your home folder
#   --binary PATH    the housestyle to describe (default: build it with `swift build`)
#   --scratch-path D SwiftPM scratch path for building (default: .build)
#   --no-man         completions only (the man page needs a debug build of every product and
#                    argument-parser's generate-manual plugin)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf 'install-completions: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

prefix="" binary="" scratch="$root/.build" man=1
while (($#)); do
    case "$1" in
        --prefix) prefix="${2:?--prefix needs a folder}"; shift 2 ;;
        --binary) binary="${2:?--binary needs a path}"; shift 2 ;;
        --scratch-path) scratch="${2:?--scratch-path needs a folder}"; shift 2 ;;
        --no-man) man=0; shift ;;
        -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1'; see --help" ;;
    esac
done

cd "$root"
if [[ -z "$binary" ]]; then
    say "building housestyle"
    swift build --scratch-path "$scratch" --product housestyle >&2 || die "swift build failed"
    binary="$(swift build --scratch-path "$scratch" --show-bin-path)/housestyle"
fi
[[ -x "$binary" ]] || die "no executable at $binary"

if [[ -n "$prefix" ]]; then
    bash_dir="$prefix/share/bash-completion/completions"
    zsh_dir="$prefix/share/zsh/site-functions"
    fish_dir="$prefix/share/fish/vendor_completions.d"
    man_dir="$prefix/share/man/man1"
else
    data="${XDG_DATA_HOME:-$HOME/.local/share}"
    bash_dir="$data/bash-completion/completions"
    zsh_dir="$data/zsh/site-functions"
    fish_dir="${XDG_CONFIG_HOME:-$HOME/.config}/fish/completions"
    man_dir="$data/man/man1"
fi

install_generated() { # shell destination
    mkdir -p "$(dirname "$2")"
    "$binary" --generate-completion-script "$1" >"$2.tmp" || die "housestyle could not generate the $1 completions"
    mv "$2.tmp" "$2"
    say "$1 completions: $2"
}
install_generated bash "$bash_dir/housestyle"
install_generated zsh "$zsh_dir/_housestyle"
install_generated fish "$fish_dir/housestyle.fish"

if ((man)); then
    say "generating the man page (argument-parser's generate-manual plugin)"
    swift package --scratch-path "$scratch" plugin generate-manual >&2 || die "the generate-manual plugin failed"
    page="$(find "$scratch/plugins" -path '*GenerateManual*' -name housestyle.1 -newer "$binary" -print -quit 2>/dev/null || true)"
    [[ -z "$page" ]] && page="$(find "$scratch/plugins" -path '*GenerateManual*' -name housestyle.1 -print -quit)"
    [[ -n "$page" ]] || die "generate-manual wrote no housestyle.1 under $scratch/plugins"
    mkdir -p "$man_dir"
    cp "$page" "$man_dir/housestyle.1"
    say "man page: $man_dir/housestyle.1 (man housestyle)"
fi

if [[ -z "$prefix" ]]; then
    say "zsh: add 'fpath=($zsh_dir \$fpath)' before 'compinit' in ~/.zshrc if it is not there yet"
fi
