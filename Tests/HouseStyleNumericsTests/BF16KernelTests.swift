import Testing
@testable import HouseStyleNumerics

/// Values for the bf16 products: mostly uniform in ±1, some near FLT_MIN and below it (denormal
/// as fp32, zero as bf16), some tiny enough that their products underflow, so that the flush to
/// zero of every step is exercised.
private func mixedFloats(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
    (0..<count).map { _ in
        let value = generator.uniform(1)
        switch generator.nextIndex(below: 10) {
        case 0: return value * 1e-38  // normal or denormal, near FLT_MIN
        case 1: return value * 0x1p-129  // denormal as fp32
        case 2: return value * 1e-19  // products near FLT_MIN
        default: return value
        }
    }
}

/// C = bf16(A) · B^T + bias with B: (N, K) packed as bf16, on `threads` threads, through the
/// AVX512-BF16 kernel or the portable loop.
private func bf16Product(_ a: [Float], _ b: [Float], bias: [Float]?, m: Int, n: Int, k: Int, lda: Int,
                         portable: Bool, threads: Int = 1) -> [Float] {
    let saved = BLAS.threadCount
    defer { BLAS.threadCount = saved }
    BLAS.threadCount = threads
    let packs = PackedWeights()
    var c = [Float](repeating: .nan, count: m * n)
    b.withUnsafeBufferPointer { b in
        let packed = packs.packedBF16(b.baseAddress!, transpose: true, n: n, k: k, ldb: k)
        c.withUnsafeMutableBufferPointer { c in
            if let bias {
                bias.withUnsafeBufferPointer { bias in
                    GEMM.projectionBF16(m: m, n: n, k: k, a: a, lda: lda, packedB: packed, bias: bias.baseAddress!,
                                        c: c.baseAddress!, ldc: n, portable: portable)
                }
            } else {
                GEMM.projectionBF16(m: m, n: n, k: k, a: a, lda: lda, packedB: packed, c: c.baseAddress!, ldc: n,
                                    portable: portable)
            }
        }
    }
    return c
}

@Suite struct BF16KernelTests {
    /// Shapes around the tiles (12, 8 and 4 rows x 32 columns), odd K, K blocks (at most 768,
    /// even) and column blocks (512): the AVX512-BF16 kernel and the portable loop agree bit for
    /// bit, with and without a bias, on one thread and two.
    @Test(.enabled(if: GEMM.hasBF16Kernel, "no AVX512-BF16 here (processor or HOUSESTYLE_KERNELS=portable)"),
          arguments: [(1, 1, 1), (5, 100, 3), (13, 33, 385), (26, 70, 385), (7, 31, 769), (61, 384, 1536), (193, 513, 1537)])
    func kernelAndPortableLoopGiveTheSameBits(size: (Int, Int, Int)) {
        let (m, n, k) = size, lda = k + 3
        var g = SeededGenerator(seed: 11)
        let a = mixedFloats(m * lda, &g), b = mixedFloats(n * k, &g), bias = mixedFloats(n, &g)
        for withBias in [false, true] {
            let portable = bf16Product(a, b, bias: withBias ? bias : nil, m: m, n: n, k: k, lda: lda, portable: true)
            for threads in [1, 2] {
                let kernel = bf16Product(a, b, bias: withBias ? bias : nil, m: m, n: n, k: k, lda: lda, portable: false,
                                         threads: threads)
                let differing = zip(kernel, portable).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(differing == 0, "bias \(withBias), \(threads) thread(s): \(differing) of \(m * n) elements differ")
            }
        }
    }

    /// A row of C is the same bits whatever rows are beside it (last tiles of 1 to 12 rows).
    @Test(arguments: [false, true])
    func rowsDoNotDependOnTheRowsBesideThem(portable: Bool) {
        let (rows, n, k) = (26, 70, 385)
        var g = SeededGenerator(seed: 12)
        let a = mixedFloats(rows * k, &g), b = mixedFloats(n * k, &g), bias = mixedFloats(n, &g)
        let all = bf16Product(a, b, bias: bias, m: rows, n: n, k: k, lda: k, portable: portable)
        for m in 1...rows {
            let alone = bf16Product(Array(a.prefix(m * k)), b, bias: bias, m: m, n: n, k: k, lda: k, portable: portable)
            #expect(alone.map(\.bitPattern) == all.prefix(m * n).map(\.bitPattern), "\(m) rows")
        }
    }

    /// Both paths agree with the fp32 product (summed in Double) within what rounding A and B to
    /// bf16 allows: each product is off by at most about 2 * 2^-9 of |a||b| (8 significant bits
    /// each), and the fp32 sums add k * 2^-24 of the sum of |a||b|.
    @Test(arguments: [false, true], [(13, 33, 385), (61, 384, 1536), (7, 31, 769)])
    func agreesWithTheFP32ProductWithinBF16Rounding(portable: Bool, size: (Int, Int, Int)) {
        let (m, n, k) = size
        var g = SeededGenerator(seed: 13)
        let a = randomFloats(m * k, &g), b = randomFloats(n * k, &g), bias = randomFloats(n, &g)
        let c = bf16Product(a, b, bias: bias, m: m, n: n, k: k, lda: k, portable: portable)
        var worst = 0.0, typical = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var exact = Double(bias[j]), magnitude = abs(Double(bias[j]))
                for p in 0..<k {
                    exact += Double(a[i * k + p]) * Double(b[j * k + p])
                    magnitude += abs(Double(a[i * k + p]) * Double(b[j * k + p]))
                }
                let error = abs(Double(c[i * n + j]) - exact)
                worst = max(worst, error / (magnitude * (0x1p-8 + Double(k + 1) * 0x1p-24)))
                typical = max(typical, abs(exact))
            }
        }
        #expect(worst <= 1, "error \(worst) of the bound")
        // Not the fp32 product itself: rounding to bf16 changes the results.
        let fp32 = a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var c = [Float](repeating: 0, count: m * n)
                c.withUnsafeMutableBufferPointer { c in
                    GEMM.naive(transposeB: true, m: m, n: n, k: k, a: a.baseAddress!, lda: k, b: b.baseAddress!, ldb: k,
                               beta: 0, c: c.baseAddress!, ldc: n)
                }
                return c
            }
        }
        #expect(zip(c, fp32).contains { $0 != $1 })
        #expect(typical > 1)
    }

    /// Rounding to bf16 as vcvtneps2bf16 does: to nearest even, denormals to zero.
    @Test func packingRoundsToNearestEvenAndFlushesDenormals() {
        // One column of B (N = 1, K = 6), not transposed: the packed pairs are (b0, b1), (b2, b3), ...
        let b: [Float] = [1 + 0x1p-8, 1 + 0x1p-8 + 0x1p-20, 1 + 3 * 0x1p-8, 0x1p-130, -0x1p-127, -2]
        let packs = PackedWeights()
        let packed = b.withUnsafeBufferPointer { b in
            let pointer = packs.packedBF16(b.baseAddress!, transpose: false, n: 1, k: 6, ldb: 1)
            return (0..<3).flatMap { p in [pointer[p * 64], pointer[p * 64 + 1]] }
        }
        // 1 + 2^-8 is a tie: to even (1); just above it: up; 1 + 3 * 2^-8 a tie: to even (1 + 2^-6).
        #expect(packed == [0x3F80, 0x3F81, 0x3F82, 0x0000, 0x8000, 0xC000])
    }
}
