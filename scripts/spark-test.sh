#!/usr/bin/env bash
# Integration test of examples/spark: rewrites a few thousand records with PySpark in local mode
# through `housestyle filter --jsonl` and checks each comes back once, rewritten exactly as
# housestyle alone rewrites it, and that malformed records come back as error records.
#
#   bash scripts/spark-test.sh [HOUSESTYLE_BINARY]
#
# Installs PySpark into .deps/spark (git-ignored; about a minute) and Java 17 when missing.
# HOUSESTYLE_SPARK=0 skips it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf 'spark-test: %s\n' "$*" >&2; }
cd "$root"

if [[ "${HOUSESTYLE_SPARK:-1}" == 0 ]]; then say "skipped (HOUSESTYLE_SPARK=0)"; exit 0; fi
binary="${1:-}"
if [[ -z "$binary" ]]; then
    binary="$(swift build --show-bin-path)/housestyle"
fi
[[ -x "$binary" ]] || { say "error: no housestyle binary at $binary; build it first"; exit 1; }

if ! command -v java >/dev/null; then
    if command -v apt-get >/dev/null && [[ $(id -u) -eq 0 ]]; then
        say "installing Java 17 (openjdk-17-jre-headless)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
    else
        say "skipped: no java, and cannot install openjdk-17-jre-headless here"; exit 0
    fi
fi

spark="$root/.deps/spark"
pyspark_version=4.3.0
if [[ ! -f "$spark/.installed-$pyspark_version" ]]; then
    say "installing pyspark $pyspark_version into .deps/spark"
    rm -rf "$spark"
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --target "$spark" \
        "pyspark==$pyspark_version" || { say "error: pip could not install pyspark==$pyspark_version"; exit 1; }
    touch "$spark/.installed-$pyspark_version"
fi

PYTHONPATH="$spark${PYTHONPATH:+:$PYTHONPATH}" python3 "$root/scripts/spark-test.py" "$binary"
