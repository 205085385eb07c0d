import Foundation
import HouseStyleNumerics

/// The machine's FP32 FMA peak in GFLOP/s: one core and all cores, at each vector width the
/// processor has (zmm for AVX-512, ymm for AVX2), best of N rounds. The ceiling every other
/// GFLOP/s figure of the suite is a share of. Then the projection kernel on the encoder's shapes,
/// one thread, timed the same way (CPU time of the thread), as a share of the one-core peak; and
/// where the processor has AVX512-BF16, the voice scorer's bf16 product by `vdpbf16ps` and by its
/// emulation (the same bits): the rates behind the choice `hs_bf16_dot_here` makes at first use
/// from a shorter timing of one tile.
enum PeakBenchmark {
    static let usage = "peak [--runs N] [--threads 1,2]"

    static func run(_ arguments: [String]) throws {
        var runs = 20
        var threads = [1, ProcessInfo.processInfo.activeProcessorCount]
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--runs":
                guard let value = iterator.next().flatMap({ Int($0) }), value > 0 else { throw EncoderBenchmark.UsageError.badArgument("--runs") }
                runs = value
            case "--threads":
                let values = (iterator.next() ?? "").split(separator: ",").compactMap { Int($0) }
                guard !values.isEmpty, values.allSatisfy({ $0 > 0 }) else { throw EncoderBenchmark.UsageError.badArgument("--threads") }
                threads = values
            default: throw EncoderBenchmark.UsageError.badArgument(argument)
            }
        }
        threads = Array(Set(threads)).sorted()
        guard !FMAPeak.widths.isEmpty else {
            print("peak: skipped: this processor has neither AVX-512 nor AVX2 with FMA")
            return
        }
        print("peak: FP32 FMA chains (16 zmm / 10 ymm accumulators, dependent FMAs), best of \(runs) rounds of 0.02 s; \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("rates per second of each thread's own CPU time (time slices of other processes do not count); all threads at once, rates summed")
        print("")
        print("vector  threads  GFLOP/s  GFLOP/s per thread")
        for width in FMAPeak.widths {
            for t in threads {
                guard let rate = FMAPeak.gigaflops(width: width, threads: t, runs: runs) else { continue }
                print((width == 512 ? "zmm   " : "ymm   ") + String(format: "  %7d  %7.1f  %18.1f", t, rate, rate / Double(t)))
            }
        }
        // The projection kernel (as the encoder runs it where the processor has AVX-512, else
        // OpenBLAS) on one thread, each shape's product best of `runs`, beside a fresh one-core peak.
        let saved = BLAS.threadCount
        defer { BLAS.threadCount = saved }
        BLAS.threadCount = 1
        print("")
        print("projection kernel (\(BLAS.projectionKernel)), 1 thread, best of \(runs); B not transposed (the encoder's weights are: their packing differs)")
        print("product" + String(repeating: " ", count: 39) + "GFLOP/s  % of 1-core peak")
        let shapes = [("T=32 feed-forward in", 1024, 384, 1536), ("T=32 feed-forward out", 1024, 1536, 384),
                      ("T=32 q/k/v/output", 1024, 384, 384), ("T=128 feed-forward in", 4096, 384, 1536),
                      ("T=128 feed-forward out", 4096, 1536, 384)]
        for (name, m, k, n) in shapes {
            guard let peak = FMAPeak.gigaflops(threads: 1, runs: runs) else { break }
            var generator = SeededGenerator(seed: 1)
            let a = (0..<(m * k)).map { _ in generator.uniform(1) }, b = (0..<(k * n)).map { _ in generator.uniform(1) }
            var c: [Float] = []
            BLAS.multiply(a, b, m: m, n: n, k: k, into: &c, kernel: .projection)
            var best = Double.infinity
            for _ in 0..<runs {
                let start = FMAPeak.threadCPUSeconds()
                BLAS.multiply(a, b, m: m, n: n, k: k, into: &c, kernel: .projection)
                best = min(best, FMAPeak.threadCPUSeconds() - start)
            }
            let rate = 2 * Double(m) * Double(n) * Double(k) / best / 1e9
            let label = "\(name) \(m)x\(k).\(k)x\(n)"
            print(label.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "  %7.1f  %15.0f%%", rate, 100 * rate / peak))
        }
        // The int8 product rewriting runs (ProjectionPrecision.int8) beside the bf16 one it replaced.
        print("")
        print("int8 product with a residual (the voice scorer's and the meaning guard's), 1 thread, best of \(runs): \(BLAS.int8Kernel); "
              + "GOP/s counts a multiply and an add as two operations, as GFLOP/s does; bf16 by the kernel rewriting ran before (\(BLAS.bf16Dot))")
        print("product" + String(repeating: " ", count: 39) + "int8 GOP/s  4 outliers GOP/s  bf16 GFLOP/s  int8 / bf16")
        for (name, m, k, n) in shapes {
            var generator = SeededGenerator(seed: 1)
            let a = (0..<(m * k)).map { _ in generator.uniform(1) }, w = (0..<(k * n)).map { _ in generator.uniform(1) }
            let residual = (0..<(m * n)).map { _ in generator.uniform(1) }
            func best(_ multiply: (inout [Float]) -> Void) -> Double {
                var c: [Float] = []
                multiply(&c)
                var best = Double.infinity
                for _ in 0..<runs {
                    let start = FMAPeak.threadCPUSeconds()
                    multiply(&c)
                    best = min(best, FMAPeak.threadCPUSeconds() - start)
                }
                return 2 * Double(m) * Double(n) * Double(k) / best / 1e9
            }
            let plain = BLAS.Int8Product(weight: w, n: n, k: k), withOutliers = BLAS.Int8Product(weight: w, n: n, k: k, outliers: 4)
            let int8 = best { plain.multiply(a, adding: residual, m: m, into: &$0) }
            let int8Outliers = best { withOutliers.multiply(a, adding: residual, m: m, into: &$0) }
            var bf16 = Double.nan
            if BLAS.bf16Dot != "none" {
                let product = BLAS.BF16Product(w, k: k, n: n)
                bf16 = best { product.multiply(a, adding: residual, m: m, into: &$0, dot: .fastest) }
            }
            let label = "\(name) \(m)x\(k).\(k)x\(n)"
            print(label.padding(toLength: 44, withPad: " ", startingAt: 0)
                  + String(format: "  %10.1f  %14.1f  %12.1f  %10.2fx", int8, int8Outliers, bf16, int8 / bf16))
        }
        guard BLAS.bf16Dot != "none" else { return }
        print("")
        print("bf16 product with a residual (the voice scorer's before session 58; housestyle-bench learned --precision bf16), 1 thread, best of \(runs): vdpbf16ps and its emulation with AVX-512F FMAs give the same bits; bf16 products run \(BLAS.bf16Dot) here")
        print("product" + String(repeating: " ", count: 39) + "vdpbf16ps GFLOP/s  emulated GFLOP/s  emulated / vdpbf16ps")
        for (name, m, k, n) in shapes {
            var generator = SeededGenerator(seed: 1)
            let a = (0..<(m * k)).map { _ in generator.uniform(1) }, b = (0..<(k * n)).map { _ in generator.uniform(1) }
            let residual = (0..<(m * n)).map { _ in generator.uniform(1) }
            let product = BLAS.BF16Product(b, k: k, n: n)  // packed once, as the encoder's weights are
            var rates: [Double] = []
            for dot in [BLAS.BF16Dot.native, .emulated] {
                var c: [Float] = []
                product.multiply(a, adding: residual, m: m, into: &c, dot: dot)
                var best = Double.infinity
                for _ in 0..<runs {
                    let start = FMAPeak.threadCPUSeconds()
                    product.multiply(a, adding: residual, m: m, into: &c, dot: dot)
                    best = min(best, FMAPeak.threadCPUSeconds() - start)
                }
                rates.append(2 * Double(m) * Double(n) * Double(k) / best / 1e9)
            }
            let label = "\(name) \(m)x\(k).\(k)x\(n)"
            print(label.padding(toLength: 44, withPad: " ", startingAt: 0)
                  + String(format: "  %17.1f  %16.1f  %19.2fx", rates[0], rates[1], rates[1] / rates[0]))
        }
    }
}
