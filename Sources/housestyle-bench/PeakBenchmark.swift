import Foundation
import HouseStyleNumerics

/// The machine's FP32 FMA peak in GFLOP/s: one core and all cores, at each vector width the
/// processor has (zmm for AVX-512, ymm for AVX2), best of N rounds. The ceiling every other
/// GFLOP/s figure of the suite is a share of.
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
        print("")
        print("vector  threads  GFLOP/s  GFLOP/s per thread")
        for width in FMAPeak.widths {
            for t in threads {
                guard let rate = FMAPeak.gigaflops(width: width, threads: t, runs: runs) else { continue }
                print((width == 512 ? "zmm   " : "ymm   ") + String(format: "  %7d  %7.1f  %18.1f", t, rate, rate / Double(t)))
            }
        }
    }
}
