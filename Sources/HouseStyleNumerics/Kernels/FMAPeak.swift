internal import CNumericsKernels
import Foundation

/// The processor's measured FP32 FMA peak: what one core, and all cores together, can do when
/// nothing but independent FMA chains run. Benchmarks show every GFLOP/s figure as a share of it,
/// measured in the same run (the machines are shared, so a figure from another day says little).
package enum FMAPeak {
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
    /// vectors at once: the floating-point operations done and the on-core rate, the sum over the
    /// threads of each one's operations per second of its own CPU time; nil without that width.
    ///
    /// CPU time, not wall time: on a shared machine the time slices other processes take would
    /// otherwise count as the processor's, and the peak would fall with the load.
    public static func run(width: Int, threads: Int, iterations: Int) -> (flops: Double, gigaflops: Double)? {
        precondition(threads > 0 && iterations > 0, "threads and iterations must be positive")
        let results = ThreadResults(count: threads)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var sink: Float = 0
            let start = threadCPUSeconds()
            let flops = Double(hs_fma_peak_run(Int32(width), iterations, &sink))
            results.set(t, flops, threadCPUSeconds() - start, sink)
        }
        guard results.flops.allSatisfy({ $0 > 0 }), results.sinks.allSatisfy(\.isFinite) else { return nil }
        let rate = zip(results.flops, results.seconds).reduce(0) { $0 + $1.0 / max($1.1, 1e-9) }
        return (results.flops.reduce(0, +), rate / 1e9)
    }

    /// CPU time of the calling thread in seconds.
    public static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The best GFLOP/s of `runs` rounds of `threads` threads on `width`-bit vectors, each round
    /// about `seconds` long at the speed of the first, or nil when the processor lacks the width.
    /// Rates are per second of each thread's CPU time (see `run`).
    public static func gigaflops(width: Int = widestVector, threads: Int = 1, runs: Int = 20, seconds: Double = 0.02) -> Double? {
        guard width > 0, let probe = run(width: width, threads: 1, iterations: 100_000) else { return nil }
        // Iterations for `seconds` at the probe's rate (one thread; several threads run as many each).
        let iterations = max(1000, Int(seconds * probe.gigaflops * 1e9 / (probe.flops / 100_000)))
        var best = 0.0
        for _ in 0..<max(runs, 1) {
            guard let round = run(width: width, threads: threads, iterations: iterations) else { return nil }
            best = max(best, round.gigaflops)
        }
        return best
    }
}

/// Each thread's flop count, CPU seconds and sink. @unchecked: every thread writes only its own index.
private final class ThreadResults: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Double>  // (3, count): flops, seconds, sink
    let count: Int
    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: 3 * count)
        storage.initialize(repeating: 0, count: 3 * count)
    }
    deinit { storage.deallocate() }
    func set(_ index: Int, _ flops: Double, _ seconds: Double, _ sink: Float) {
        storage[index] = flops
        storage[count + index] = seconds
        storage[2 * count + index] = Double(sink)
    }
    var flops: [Double] { Array(UnsafeBufferPointer(start: storage, count: count)) }
    var seconds: [Double] { Array(UnsafeBufferPointer(start: storage + count, count: count)) }
    var sinks: [Double] { Array(UnsafeBufferPointer(start: storage + 2 * count, count: count)) }
}
