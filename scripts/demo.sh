#!/usr/bin/env bash
# Sets up the machine, builds HouseStyle and runs the main job on the shipped example style.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
swift build -c release --product housestyle
bin="$(swift build -c release --show-bin-path)/housestyle"
"$bin" validate styles/acme.yaml
