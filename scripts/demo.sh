#!/usr/bin/env bash
# Sets up the machine, builds HouseStyle and runs the main job on the shipped example style:
# checks the shipped styles, then rewrites examples/draft.md into the acme house style,
# showing the diff and the reason for every edit. Writes nothing to the repository.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
swift build -c release --product housestyle
bin="$(swift build -c release --show-bin-path)/housestyle"
echo "== housestyle validate acme" >&2
"$bin" validate acme >&2
echo "== housestyle rewrite acme examples/draft.md --diff --explain" >&2
"$bin" rewrite acme examples/draft.md --diff --explain
