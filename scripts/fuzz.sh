#!/usr/bin/env bash
# Builds the libFuzzer targets of Tests/Fuzz/Targets and runs each for a bounded time.
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]     # default: 60 s each for yaml markdown stage-protocol bundle
#
# The library modules are built with coverage instrumentation (`-sanitize=fuzzer`, release, with
# `-enable-testing` for the targets' `@testable import`) into .build-fuzz, and each target file is
# linked against them with libFuzzer's main. Each run starts from the seeds in
# Tests/Fuzz/Corpus/TARGET and keeps what it learns in .build-fuzz/corpus/TARGET (not committed).
# A crash, a precondition failure, a run over 10 s or 2 GB stops the target, leaves the input in
# .build-fuzz/artifacts/ and makes the script exit 1; otherwise it prints each target's
# executions per second. Linux only (libFuzzer ships with the Swift toolchain there).
# HOUSESTYLE_FUZZ_ASAN=1 adds AddressSanitizer (into .build-fuzz-asan; slower, catches reads past
# the end of a buffer that the unsafe pointers of the file readers and scanners would not trap).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(yaml markdown stage-protocol bundle)

sanitizers=fuzzer
scratch=.build-fuzz
extra=()
if [[ "${HOUSESTYLE_FUZZ_ASAN:-}" == 1 ]]; then
    sanitizers=fuzzer,address
    scratch=.build-fuzz-asan
    # Leaks are not looked for: Foundation's FileManager.contents(atPath:) (Swift 6.3.1) leaks a
    # 4 KB buffer for every empty file it reads, which the bundle readers do by design.
    extra=(-detect_leaks=0)
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
fi
build="$scratch/release"
swift build -c release --scratch-path "$scratch" --target HouseStyle -Xswiftc -sanitize="$sanitizers" -Xswiftc -enable-testing >&2
objects=()
for module in HouseStyle HouseStyleText HouseStyleYAML HouseStyleNumerics CICUShim CNumericsKernels CProcessShim; do
    objects+=("$build/$module.build/"*.o)
done
maps=()
for map in "$build"/{CICUShim,CNumericsKernels,CProcessShim}.build/module.modulemap Sources/{COpenBLAS,CYAML,CZlib}/module.modulemap; do
    maps+=(-Xcc "-fmodule-map-file=$map")
done
mkdir -p "$scratch/artifacts"
failed=0
summary=()
for target in "${targets[@]}"; do
    source="Tests/Fuzz/Targets/$target.swift"
    [[ -f "$source" ]] || { echo "fuzz: no target $target ($source)" >&2; exit 2; }
    binary="$build/fuzz-$target"
    swiftc -sanitize="$sanitizers" -parse-as-library -O -module-name "Fuzz_${target//-/_}" -I "$build/Modules" "${maps[@]}" \
        -I Sources/CICUShim/include -I Sources/CNumericsKernels/include -I Sources/CProcessShim/include \
        "$source" "${objects[@]}" -licui18n -licuuc -licudata -lopenblas -lyaml -lz -lstdc++ -o "$binary"
    corpus="$scratch/corpus/$target"
    mkdir -p "$corpus"
    log="$scratch/fuzz-$target.log"
    echo "fuzz: $target for $seconds s" >&2
    # One thread for OpenBLAS and no core dumps; the seeds are read, never written.
    if OPENBLAS_NUM_THREADS=1 "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 ${extra[@]+"${extra[@]}"} \
        -artifact_prefix="$scratch/artifacts/$target-" "$corpus" "Tests/Fuzz/Corpus/$target" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
        summary+=("$target: $runs runs in $seconds s, $rate executions/s, 0 crashes (corpus $(ls "$corpus" | wc -l) inputs)")
    else
        failed=1
        summary+=("$target: FAILED, see $log and $scratch/artifacts/")
        grep -E "^(==|SUMMARY|Fatal|.*Precondition|.*error:)" "$log" | head -5 >&2 || true
    fi
done
printf 'fuzz: %s\n' "${summary[@]}"
exit "$failed"
