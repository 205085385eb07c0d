#!/usr/bin/env bash
# Integration test of the SwiftPM plugins: builds a copy of examples/PluginDemo (in a temporary
# folder, so the repository is never modified) and checks
#   1. `swift build` shows the house-style findings of its DocC catalog as warnings;
#   2. a finding at level error (a TODO, reported by the style's external stage) fails the build;
#   3. `swift package housestyle-rewrite --check` reports and fails, changing nothing;
#   4. `swift package housestyle-rewrite` rewrites README.md, the catalog and docs/ as expected,
#      after which --check passes and `swift build` shows no warnings.
# Expected outputs: examples/PluginDemo-expected/. HOUSESTYLE_PLUGIN_TEST=0 skips it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf 'plugin-test: %s\n' "$*" >&2; }
if [[ "${HOUSESTYLE_PLUGIN_TEST:-1}" == 0 ]]; then say "skipped (HOUSESTYLE_PLUGIN_TEST=0)"; exit 0; fi

# Plugins cannot share a module: the three copies of PackageStyle.swift (both plugins and the
# library, for `housestyle lsp`) must stay identical.
for copy in "$root/Plugins/HouseStyleCheck/PackageStyle.swift" "$root/Sources/HouseStyle/Style/PackageStyle.swift"; do
    cmp -s "$root/Plugins/HouseStyleRewrite/PackageStyle.swift" "$copy" \
        || { say "FAIL: $copy differs from Plugins/HouseStyleRewrite/PackageStyle.swift; keep the copies identical"; exit 1; }
done

expected="$root/examples/PluginDemo-expected"
work="$(mktemp -d "${TMPDIR:-/tmp}/housestyle-plugin-XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -R "$root/examples/PluginDemo" "$work/PluginDemo"
demo="$work/PluginDemo"
# Depend on this checkout by absolute path instead of ../..
sed -i "s|path: \"../..\"|path: \"$root\"|" "$demo/Package.swift"
grep -q "path: \"$root\"" "$demo/Package.swift" || { say "error: could not point the example at $root"; exit 1; }
cd "$demo"
scratch=(--scratch-path "$work/build")
failures=0
fail() { say "FAIL: $*"; failures=$((failures + 1)); }
# Diagnostics of housestyle, with the temporary folder written as $DEMO.
diagnostics() { grep -E '^[^ ]+:[0-9]+:[0-9]+: (error|warning|suggestion): .*\[[a-z_-]+\]$' | sed "s|$demo|\$DEMO|g" || true; }
same() { # name expected-file actual-text
    if ! diff -u "$2" <(printf '%s\n' "$3" | sed '/^$/d') >&2; then fail "$1 differs from $(basename "$2")"; fi
}

started=$SECONDS
say "1. swift build (builds housestyle for the example; a few minutes on 2 cores)"
if output="$(swift build "${scratch[@]}" 2>&1)"; then
    same "build warnings" "$expected/build.txt" "$(diagnostics <<<"$output")"
else
    printf '%s\n' "$output" | tail -30 >&2; fail "swift build of the example failed"
fi
say "   took $((SECONDS - started)) s"

say "2. a TODO is an error and fails the build"
cp Sources/Greeter/Greeter.docc/Greeter.md "$work/Greeter.md"
printf '\nTODO: describe the options.\n' >>Sources/Greeter/Greeter.docc/Greeter.md
if output="$(swift build "${scratch[@]}" 2>&1)"; then
    fail "swift build passed with a TODO in the catalog"
fi
grep -qF "$demo/Sources/Greeter/Greeter.docc/Greeter.md:11:1: error: unfinished text: TODO [no-todo]" <<<"$output" \
    || { printf '%s\n' "$output" | tail -20 >&2; fail "no error line for the TODO"; }
cp "$work/Greeter.md" Sources/Greeter/Greeter.docc/Greeter.md

say "3. swift package housestyle-rewrite --check"
if output="$(swift package "${scratch[@]}" --allow-writing-to-package-directory housestyle-rewrite --check 2>&1)"; then
    fail "--check passed on text that departs from the style"
fi
same "--check findings" "$expected/check.txt" "$(diagnostics <<<"$output")"
cmp -s README.md "$root/examples/PluginDemo/README.md" || fail "--check changed README.md"

say "4. swift package housestyle-rewrite"
if ! output="$(swift package "${scratch[@]}" --allow-writing-to-package-directory housestyle-rewrite 2>&1)"; then
    printf '%s\n' "$output" | tail -20 >&2; fail "housestyle-rewrite failed"
fi
for file in README.md docs/guide.md Sources/Greeter/Greeter.docc/Greeter.md; do
    diff -u "$expected/rewritten/$file" "$file" >&2 || fail "rewritten $file differs from the expected one"
done
cmp -s Sources/Greeter/Greeter.swift "$root/examples/PluginDemo/Sources/Greeter/Greeter.swift" || fail "the rewrite touched Greeter.swift"
swift package "${scratch[@]}" --allow-writing-to-package-directory housestyle-rewrite --check >/dev/null 2>&1 || fail "--check fails after the rewrite"
if output="$(swift build "${scratch[@]}" 2>&1)"; then
    [[ -z "$(diagnostics <<<"$output")" ]] || fail "warnings after the rewrite: $(diagnostics <<<"$output")"
else
    printf '%s\n' "$output" | tail -20 >&2; fail "swift build failed after the rewrite"
fi

say "$failures failures ($((SECONDS - started)) s)"
((failures == 0))
