#!/usr/bin/env bash
# Sets up the machine and runs every test of HouseStyle: the ecosystem checks against the built
# binary (schema, completions, SwiftPM plugins, Spark, 20 s of each fuzz target), then the Swift
# test suite, last, so that its closing line is the run's summary.
# With arguments (e.g. --filter X) only `swift test` runs, with those arguments.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
swift build --build-tests

if (($# == 0)); then
    # Each installs what it needs or says why it skips; any failure stops the run.
    housestyle="$(swift build --show-bin-path)/housestyle"
    python3 scripts/schema-test.py "$housestyle"
    # check --format sarif against the official SARIF 2.1.0 schema, with Python's own URI and text handling.
    python3 scripts/sarif-test.py "$housestyle"
    bash scripts/completions-test.sh "$housestyle"
    bash scripts/plugin-test.sh
    bash scripts/spark-test.sh "$housestyle"
    # A 50 MB document: linear time and memory, nothing lost (ratios against a 5 MB run).
    python3 scripts/scaling-test.py "$housestyle"
    # Markdown safety, judged by an independent parser (markdown-it-py): every CommonMark and GFM
    # spec example and the repository's Markdown, in LF, CRLF and CR line endings, keep their
    # structure, code, links and URLs; 20,000 seeded mutants rewrite to a fixed point.
    python3 scripts/markdown-conformance.py --housestyle "$housestyle" --fuzz 20000 --seed 1
    # libFuzzer targets (YAML, Markdown, stage answers, bundle readers), each for a bounded time:
    # HOUSESTYLE_FUZZ_SECONDS per target, 20 unless set; 0 skips them (docs/fuzzing.md). The
    # instrumented release build of the library (.build-fuzz) adds minutes the first time.
    fuzz_seconds="${HOUSESTYLE_FUZZ_SECONDS:-20}"
    [[ "$fuzz_seconds" =~ ^[0-9]+$ ]] || { echo "test: HOUSESTYLE_FUZZ_SECONDS must be a whole number of seconds, not '$fuzz_seconds'" >&2; exit 2; }
    fuzz_seconds=$((10#$fuzz_seconds))
    if ((fuzz_seconds > 0)); then bash scripts/fuzz.sh "$fuzz_seconds"; fi
    # The README's main job, as a new user runs it: it must show a diff of the example document.
    demo="$(bash scripts/demo.sh)"
    grep -q '^+++ b/examples/draft.md' <<<"$demo" || { echo "test: scripts/demo.sh printed no diff of examples/draft.md" >&2; exit 1; }
    # The numerics' portable path (OpenBLAS and Swift loops), which machines without AVX-512 run.
    # One test at a time: OpenBLAS's thread count is process-wide, and tests that set it (kernels,
    # attention, training) would race each other in parallel (seen as a flaky CI run).
    HOUSESTYLE_KERNELS=portable swift test --skip-build --no-parallel --filter HouseStyleNumericsTests
    # The numerics on the default path, in a process of their own: their byte-for-byte
    # determinism tests must not share OpenBLAS's process-wide thread count with the scorer
    # calls (train's calibration, rewrites) of the other suites running in parallel.
    swift test --skip-build --no-parallel --filter HouseStyleNumericsTests
    swift test --skip-build --skip HouseStyleNumericsTests
else
    swift test --skip-build "$@"
fi
