#!/usr/bin/env bash
# The benchmark suite: quality on public data (../shared/data), speed, and do-no-harm (learned
# edits on out-of-domain and on-voice text, issue 11), written to benchmarks/results/latest.md and
# spliced into BENCHMARKS.md. Usage, from anywhere:
#   bash benchmarks/run.sh            # quality + speed + harm
#   bash benchmarks/run.sh quality    # or: speed, harm (only that section is re-made)
# Environment: SCRATCH (build folder, default .build-bench), LIMIT (evaluation sentences per
# benchmark, default 1000), TORCH_PYTHON (a Python with torch + transformers for the encoder
# baseline; default benchmarks/.venv-reference/bin/python when present), HARM_WORDS (WikiText-2 test words for the
# harm part, default 250000: all of it).
# The benchmark styles read ../shared/data, outside the repository: it is added to
# HOUSESTYLE_ALLOW_PATHS (a style reads only its project's files unless allowed). What the suite
# derives from it is written to benchmarks/.work (git-ignored).
# The benchmark's Python tools (fastText, sacreBLEU) live in benchmarks/.venv (git-ignored);
# nothing of it becomes a dependency of HouseStyle.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
what="${1:-all}"
case "$what" in all|quality|speed|harm) ;; *) echo "usage: bash benchmarks/run.sh [all|quality|speed|harm]" >&2; exit 64;; esac
say() { printf 'benchmarks: %s\n' "$*" >&2; }
scratch="${SCRATCH:-.build-bench}"
[[ -d ../shared/data ]] || { echo "benchmarks: error: ../shared/data not found beside the repository" >&2; exit 2; }
export HOUSESTYLE_ALLOW_PATHS="$(cd ../shared/data && pwd)${HOUSESTYLE_ALLOW_PATHS:+:$HOUSESTYLE_ALLOW_PATHS}"

bash scripts/setup.sh
say "building release binaries in $scratch"
swift build -c release --scratch-path "$scratch" --product housestyle >&2
if [[ "$what" == all || "$what" == speed ]]; then swift build -c release --scratch-path "$scratch" --product housestyle-bench >&2; fi
bin="$scratch/release"

venv="benchmarks/.venv"
if [[ "$what" != harm && ! -f "$venv/.installed" ]]; then
    say "installing fastText and sacreBLEU into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check fasttext-numpy2==0.10.4 sacrebleu==2.6.0 numpy
    touch "$venv/.installed"
fi

mkdir -p benchmarks/results
started=$(date +%s)
if [[ "$what" == all || "$what" == quality ]]; then
    say "quality suite"
    "$venv/bin/python" benchmarks/quality.py --housestyle "$bin/housestyle" --limit "${LIMIT:-1000}" --out benchmarks/results/quality.md
fi
if [[ "$what" == all || "$what" == speed ]]; then
    say "speed suite"
    torch="${TORCH_PYTHON:-$root/benchmarks/.venv-reference/bin/python}"
    torch_args=()
    if [[ -x "$torch" ]] && "$torch" -c 'import torch, transformers' 2>/dev/null; then torch_args=(--torch-python "$torch"); else say "no Python with torch: the PyTorch baseline is skipped"; fi
    "$venv/bin/python" benchmarks/speed.py --bench "$bin/housestyle-bench" "${torch_args[@]}" --out benchmarks/results/speed.md
fi
if [[ "$what" == all || "$what" == harm ]]; then
    say "harm suite (learned edits on out-of-domain and on-voice text)"
    python3 benchmarks/harm.py --housestyle "$bin/housestyle" --limit-words "${HARM_WORDS:-250000}" --out benchmarks/results/harm.md >&2
fi
elapsed=$(( $(date +%s) - started ))
python3 benchmarks/splice.py --command "bash benchmarks/run.sh $what" --part "$what" --seconds "$elapsed" --limit "${LIMIT:-1000}"
say "done in ${elapsed}s: benchmarks/results/latest.md, BENCHMARKS.md"
