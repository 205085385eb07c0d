internal import CNumericsKernels
import Foundation

/// The processor's measured FP32 FMA peak: what one core, and all cores together, can do when
/// nothing but independent FMA chains run. Benchmarks show every GFLOP/s figure as a share of it,
/// measured in the same run (the machines are shared, so a figure from another day says little).
public enum FMAPeak {
    /// The widest vector FMA of this processor in bits: 512 (AVX-512), 256 (AVX2) or 0 (neither).
    public static let widestVector = Int(hs_fma_peak_width())

    /// The vector widths this processor can be measured at, widest first.
    public static var widths: [Int] { [512, 256].filter { $0 <= widestVector } }

    /// The C kernel once on the calling thread: (floating-point operations, sum of the chains), or
    /// nil without that width. Tests recompute the sum with scalar FMAs.
    static func chains(width: Int, iterations: Int) -> (flops: Int, sum: Float)? {
        var sink: Float = 0
        let flops = hs_fma_peak_run(Int32(width), iterations, &sink)
        return flops < 0 ? nil : (flops, sink)
    }

    /// One round of `threads` threads each running `iterations` rounds of FMA chains on `width`-bit
    /// vectors at once: (floating-point operations, wall seconds), or nil without that width.
    public static func run(width: Int, threads: Int, iterations: Int) -> (flops: Double, seconds: Double)? {
        precondition(threads > 0 && iterations > 0, "threads and iterations must be positive")
        let results = ThreadResults(count: threads)
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var sink: Float = 0
            results.set(t, Double(hs_fma_peak_run(Int32(width), iterations, &sink)), sink)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let flops = results.values.reduce(0, +)
        guard results.values.allSatisfy({ $0 > 0 }), results.sinks.allSatisfy(\.isFinite) else { return nil }
        return (flops, seconds)
    }

    /// The best GFLOP/s of `runs` rounds of `threads` threads on `width`-bit vectors, each round
    /// about `seconds` long at the speed of the first, or nil when the processor lacks the width.
    /// Short rounds and many of them: on a shared machine the best round is one that no other
    /// process interrupted, which is the ceiling the figures compared with it could reach.
    public static func gigaflops(width: Int = widestVector, threads: Int = 1, runs: Int = 20, seconds: Double = 0.02) -> Double? {
        guard width > 0, let probe = run(width: width, threads: 1, iterations: 100_000) else { return nil }
        // Iterations for `seconds` at the probe's rate (one thread; several threads run as many each).
        let perIteration = probe.flops / 100_000
        let iterations = max(1000, Int(seconds * probe.flops / max(probe.seconds, 1e-9) / perIteration))
        var best = 0.0
        for _ in 0..<max(runs, 1) {
            guard let round = run(width: width, threads: threads, iterations: iterations) else { return nil }
            best = max(best, round.flops / round.seconds / 1e9)
        }
        return best
    }
}

/// Each thread's flop count and sink. @unchecked: every thread writes only its own index.
private final class ThreadResults: @unchecked Sendable {
    private let flops: UnsafeMutablePointer<Double>, sinkValues: UnsafeMutablePointer<Float>
    let count: Int
    init(count: Int) {
        self.count = count
        flops = .allocate(capacity: count)
        flops.initialize(repeating: 0, count: count)
        sinkValues = .allocate(capacity: count)
        sinkValues.initialize(repeating: 0, count: count)
    }
    deinit {
        flops.deallocate()
        sinkValues.deallocate()
    }
    func set(_ index: Int, _ value: Double, _ sink: Float) {
        flops[index] = value
        sinkValues[index] = sink
    }
    var values: [Double] { Array(UnsafeBufferPointer(start: flops, count: count)) }
    var sinks: [Float] { Array(UnsafeBufferPointer(start: sinkValues, count: count)) }
}
