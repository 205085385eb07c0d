#!/usr/bin/env bash
# Sets up the machine and runs every test of HouseStyle.
# With arguments (e.g. --filter X) only `swift test` runs, with those arguments.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
(($# == 0)) || exit 0

# Ecosystem checks against the built binary. Each installs what it needs or says why it skips.
housestyle="$(swift build --show-bin-path)/housestyle"
python3 scripts/schema-test.py "$housestyle"
bash scripts/completions-test.sh "$housestyle"
bash scripts/plugin-test.sh
bash scripts/spark-test.sh "$housestyle"
