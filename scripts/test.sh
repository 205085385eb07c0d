#!/usr/bin/env bash
# Sets up the machine and runs every test of HouseStyle.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
