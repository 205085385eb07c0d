import Testing
@testable import HouseStyleNumerics

/// Values for the bf16 products: mostly uniform in ±1, some near FLT_MIN and below it (denormal
/// as fp32, zero as bf16), some small enough that products of two come near FLT_MIN, so that the
/// flush to zero of every step is exercised.
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

/// C (M, N) from `body`, given B: (N, K) packed as bf16 and C's storage, on `threads` threads.
private func product(_ b: [Float], m: Int, n: Int, k: Int, threads: Int,
                     _ body: (UnsafePointer<UInt32>, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
    let saved = BLAS.threadCount
    defer { BLAS.threadCount = saved }
    BLAS.threadCount = threads
    let packs = PackedWeights()
    var c = [Float](repeating: .nan, count: m * n)
    b.withUnsafeBufferPointer { b in
        let packed = packs.packedBF16(b.baseAddress!, transpose: true, n: n, k: k, ldb: k)
        c.withUnsafeMutableBufferPointer { body(packed, $0.baseAddress!) }
    }
    withExtendedLifetime(packs) {}
    return c
}

/// C = bf16(A) · B^T + bias with B: (N, K) packed as bf16, on `threads` threads, by `path`.
private func bf16Product(_ a: [Float], _ b: [Float], bias: [Float]?, m: Int, n: Int, k: Int, lda: Int,
                         path: GEMM.BF16Path, threads: Int = 1) -> [Float] {
    product(b, m: m, n: n, k: k, threads: threads) { packed, c in
        if let bias {
            bias.withUnsafeBufferPointer { bias in
                GEMM.projectionBF16(m: m, n: n, k: k, a: a, lda: lda, packedB: packed, bias: bias.baseAddress!, c: c, ldc: n, path: path)
            }
        } else {
            GEMM.projectionBF16(m: m, n: n, k: k, a: a, lda: lda, packedB: packed, c: c, ldc: n, path: path)
        }
    }
}

/// C: (M, next) = bf16(GELU(bf16(A) · W1^T + b1)) · W2^T + b2 through `projectionBF16GELU` and the
/// product from pairs, on `threads` threads, by the inner kernel `dot`.
private func fusedGELUProducts(_ a: [Float], _ w1: [Float], _ w2: [Float], b1: [Float]?, b2: [Float]?,
                               residual: [Float]?, m: Int, n: Int, k: Int, next: Int, threads: Int, dot: GEMM.BF16Dot) -> [Float] {
    let saved = BLAS.threadCount
    defer { BLAS.threadCount = saved }
    BLAS.threadCount = threads
    let packs = PackedWeights()
    var pairs = [UInt32](repeating: 0xFFFF_FFFF, count: m * n / 2)
    var c = [Float](repeating: .nan, count: m * next)
    w1.withUnsafeBufferPointer { w1 in
        w2.withUnsafeBufferPointer { w2 in
            let packed1 = packs.packedBF16(w1.baseAddress!, transpose: true, n: n, k: k, ldb: k)
            let packed2 = packs.packedBF16(w2.baseAddress!, transpose: true, n: next, k: n, ldb: n)
            pairs.withUnsafeMutableBufferPointer { pairs in
                withPointer(b1) { b1 in
                    GEMM.projectionBF16GELU(m: m, n: n, k: k, a: a, lda: k, packedB: packed1, bias: b1,
                                            pairs: pairs.baseAddress!, ldp: n / 2, dot: dot)
                }
                c.withUnsafeMutableBufferPointer { c in
                    withPointer(b2) { b2 in
                        withPointer(residual) { residual in
                            GEMM.projectionBF16(m: m, n: next, k: n, pairs: pairs.baseAddress!, ldp: n / 2, packedB: packed2,
                                                bias: b2, c: c.baseAddress!, ldc: next, residual: residual, dot: dot)
                        }
                    }
                }
            }
        }
    }
    withExtendedLifetime(packs) {}  // owns packed1 and packed2
    return c
}

/// C = bf16(A) · B^T + bias + residual through `projectionBF16Adding` by the inner kernel `dot`,
/// on `threads` threads.
private func residualProduct(_ a: [Float], _ b: [Float], bias: [Float]?, residual: [Float], m: Int, n: Int, k: Int, lda: Int,
                             threads: Int = 1, dot: GEMM.BF16Dot) -> [Float] {
    product(b, m: m, n: n, k: k, threads: threads) { packed, c in
        withPointer(bias) { bias in
            GEMM.projectionBF16Adding(m: m, n: n, k: k, a: a, lda: lda, packedB: packed, bias: bias, c: c, ldc: n,
                                      residual: residual, dot: dot)
        }
    }
}

private func withPointer<R>(_ values: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let values else { return body(nil) }
    return values.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// GELU of each value, by the encoder's loop (`Layers.geluForward`).
private func gelu(_ x: [Float]) -> [Float] {
    var y = [Float](repeating: .nan, count: x.count)
    x.withUnsafeBufferPointer { x in
        y.withUnsafeMutableBufferPointer { y in Layers.geluForward(y.baseAddress!, x.baseAddress!, count: x.count) }
    }
    return y
}

@Suite struct BF16KernelTests {
    /// Every path this processor has (vdpbf16ps, its AVX-512 and AVX2 emulations) gives the bits of
    /// the portable loop, for shapes around the tiles (12, 8 and 4 rows x 32 columns), odd K, K
    /// blocks (at most 768, even) and column blocks (512), with and without a bias, on one thread
    /// and two, with values near FLT_MIN.
    @Test(arguments: [GEMM.BF16Path.fastest, .avx512BF16, .avx512, .avx2],
          [(1, 1, 1), (5, 100, 3), (13, 33, 385), (26, 70, 385), (7, 31, 769), (61, 384, 1536), (193, 513, 1537)])
    func everyPathGivesThePortableLoopsBits(path: GEMM.BF16Path, size: (Int, Int, Int)) {
        guard path.isAvailable else { return }  // not on this processor: nothing to compare
        let (m, n, k) = size, lda = k + 3
        var g = SeededGenerator(seed: 11)
        let a = mixedFloats(m * lda, &g), b = mixedFloats(n * k, &g), bias = mixedFloats(n, &g)
        for withBias in [false, true] {
            let portable = bf16Product(a, b, bias: withBias ? bias : nil, m: m, n: n, k: k, lda: lda, path: .portable)
            for threads in [1, 2] {
                let other = bf16Product(a, b, bias: withBias ? bias : nil, m: m, n: n, k: k, lda: lda, path: path,
                                        threads: threads)
                let differing = zip(other, portable).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(differing == 0, "bias \(withBias), \(threads) thread(s): \(differing) of \(m * n) elements differ")
            }
        }
    }

    /// Where vdpbf16ps flushes and IEEE's gradual underflow would not: each step rounds as with an
    /// unbounded exponent, then flushes below FLT_MIN. Row 0: 2^-63 · 2^-63 = 2^-126, then
    /// + 2^-75 · (-1.5 · 2^-76): 2^-126 - 0.75 · 2^-150 rounds to 2^-126 - 2^-150, below FLT_MIN: 0
    /// (fmaf alone gives 2^-126). Row 1: - 2^-151 is a tie, to even: 2^-126, kept. (The
    /// instruction's own results, measured on Zen 4.)
    @Test(arguments: [GEMM.BF16Path.fastest, .avx512BF16, .avx512, .avx2, .portable])
    func stepsFlushAfterRoundingAsWithAnUnboundedExponent(path: GEMM.BF16Path) {
        guard path.isAvailable else { return }
        let a: [Float] = [0x1p-75, 0x1p-63, 0x1p-75, 0x1p-63]  // (2, 2): the even k first in a row
        let b: [Float] = [-0x1.8p-76, 0x1p-63, -0x1p-76, 0x1p-63]  // (N 2, K 2)
        let c = bf16Product(a, b, bias: nil, m: 2, n: 2, k: 2, lda: 2, path: path)
        #expect(c.map(\.bitPattern) == [0, Float(0x1p-126).bitPattern, 0, Float(0x1p-126).bitPattern])
    }

    /// A row of C is the same bits whatever rows are beside it (last tiles of 1 to 12 rows).
    @Test(arguments: [GEMM.BF16Path.fastest, .portable])
    func rowsDoNotDependOnTheRowsBesideThem(path: GEMM.BF16Path) {
        let (rows, n, k) = (26, 70, 385)
        var g = SeededGenerator(seed: 12)
        let a = mixedFloats(rows * k, &g), b = mixedFloats(n * k, &g), bias = mixedFloats(n, &g)
        let all = bf16Product(a, b, bias: bias, m: rows, n: n, k: k, lda: k, path: path)
        for m in 1...rows {
            let alone = bf16Product(Array(a.prefix(m * k)), b, bias: bias, m: m, n: n, k: k, lda: k, path: path)
            #expect(alone.map(\.bitPattern) == all.prefix(m * n).map(\.bitPattern), "\(m) rows")
        }
    }

    /// The product agrees with the fp32 product (summed in Double) within what rounding A and B
    /// to bf16 allows: each product is off by at most about 2 · 2^-9 of |a||b| (8 significant bits
    /// each), and the fp32 sums add (k + 1) · 2^-24 of the sum of |a||b|.
    @Test(arguments: [GEMM.BF16Path.fastest, .portable], [(13, 33, 385), (61, 384, 1536), (7, 31, 769)])
    func agreesWithTheFP32ProductWithinBF16Rounding(path: GEMM.BF16Path, size: (Int, Int, Int)) {
        let (m, n, k) = size
        var g = SeededGenerator(seed: 13)
        let a = randomFloats(m * k, &g), b = randomFloats(n * k, &g), bias = randomFloats(n, &g)
        let c = bf16Product(a, b, bias: bias, m: m, n: n, k: k, lda: k, path: path)
        var worst = 0.0, largest = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var exact = Double(bias[j]), magnitude = abs(Double(bias[j]))
                for p in 0..<k {
                    exact += Double(a[i * k + p]) * Double(b[j * k + p])
                    magnitude += abs(Double(a[i * k + p]) * Double(b[j * k + p]))
                }
                worst = max(worst, abs(Double(c[i * n + j]) - exact) / (magnitude * (0x1p-8 + Double(k + 1) * 0x1p-24)))
                largest = max(largest, abs(exact))
            }
        }
        #expect(worst <= 1, "error \(worst) of the bound")
        #expect(largest > 1)
        // And it is not the fp32 product: rounding to bf16 changes the results.
        var fp32 = [Float](repeating: 0, count: m * n)
        fp32.withUnsafeMutableBufferPointer { c in
            GEMM.naive(transposeB: true, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: k, beta: 0, c: c.baseAddress!, ldc: n)
        }
        for j in 0..<n { for i in 0..<m { fp32[i * n + j] += bias[j] } }
        #expect(zip(c, fp32).filter { $0 != $1 }.count > m * n / 2)
    }

    /// The packing of transposed weights (the encoder's: rows rounded to bf16 once, then paired)
    /// gives the plain loop's pairs, for odd K, K blocks (768), column blocks (512), a partial last
    /// panel, a row stride beyond K, and infinities, NaN and zeros of both signs.
    @Test(arguments: [(1, 1, 1), (33, 385, 390), (384, 384, 384), (7, 769, 770), (600, 1537, 1537)])
    func transposedPackingGivesThePlainLoopsPairs(size: (Int, Int, Int)) {
        let (n, k, ldb) = size
        var g = SeededGenerator(seed: 23)
        var b = mixedFloats(n * ldb, &g)
        for (i, special) in [Float.infinity, -.infinity, .nan, 0, -0.0, 0x1p-127].enumerated() where i < b.count {
            b[(i * 7919) % b.count] = special
        }
        let packs = PackedWeights()  // owns the packed pairs
        let (fast, reference) = b.withUnsafeBufferPointer { b in
            let reference = PackedWeights.referenceBF16(b.baseAddress!, transpose: true, n: n, k: k, ldb: ldb)
            let packed = packs.packedBF16(b.baseAddress!, transpose: true, n: n, k: k, ldb: ldb)
            return (Array(UnsafeBufferPointer(start: packed, count: reference.count)), reference)
        }
        withExtendedLifetime(packs) {}
        let count = reference.count
        #expect(count == (n + 31) / 32 * 32 * ((k + 1) / 2))
        let differing = zip(fast, reference).filter { $0 != $1 }.count
        #expect(differing == 0, "\(differing) of \(count) pairs differ")
    }

    /// The feed-forward's first product with its GELU and the next product's bf16 rounding in one
    /// pass (`projectionBF16GELU`), then the next product from those pairs with the residual added
    /// as it is stored: the bits of the products, GELU, rounding and sum done one after another,
    /// for rows around the tiles (12, 8, 4), N in one column block and in several (512), K odd and
    /// at the one-block limit (768), the next K in two blocks (1536), with and without a bias and a
    /// residual, on one thread and two, by either inner kernel (vdpbf16ps or its emulation).
    @Test(.enabled(if: GEMM.fusesGELU(n: 1536, k: 384), "the fused GELU product needs AVX512-BF16 and AVX-512"),
          arguments: [(1, 32, 8, 24), (3, 32, 8, 24), (6, 64, 385, 40), (13, 64, 385, 384), (22, 96, 384, 40), (61, 1536, 384, 384),
                      (200, 96, 768, 40)], [GEMM.BF16Dot.native, .emulated])
    func fusedGELUProductGivesTheBitsOfTheSteps(size: (Int, Int, Int, Int), dot: GEMM.BF16Dot) {
        let (m, n, k, next) = size  // A: (M, K), W1: (N, K), W2: (next, N)
        var g = SeededGenerator(seed: 29)
        let a = mixedFloats(m * k, &g).map { $0 * 4 }, w1 = mixedFloats(n * k, &g), w2 = mixedFloats(next * n, &g)
        let b1 = mixedFloats(n, &g), b2 = mixedFloats(next, &g), residual = mixedFloats(m * next, &g).map { $0 * 3 }
        for withBias in [false, true] {
            var steps = bf16Product(
                gelu(bf16Product(a, w1, bias: withBias ? b1 : nil, m: m, n: n, k: k, lda: k, path: .fastest)),
                w2, bias: withBias ? b2 : nil, m: m, n: next, k: n, lda: n, path: .fastest)
            if withBias { for i in steps.indices { steps[i] += residual[i] } }  // as the encoder's add does
            for threads in [1, 2] {
                let fused = fusedGELUProducts(a, w1, w2, b1: withBias ? b1 : nil, b2: withBias ? b2 : nil,
                                              residual: withBias ? residual : nil, m: m, n: n, k: k, next: next, threads: threads, dot: dot)
                let differing = zip(fused, steps).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(differing == 0, "\(dot), bias \(withBias), \(threads) thread(s): \(differing) of \(m * next) elements differ")
            }
        }
    }

    /// The product with a residual added as C is stored (`projectionBF16Adding`, the encoder's
    /// residual connections) gives the bits of `projectionBF16` and then the sum, for K in one
    /// block and in two (the feed-forward's 1536), rows around the tiles, on one thread and two, by
    /// either inner kernel.
    @Test(.enabled(if: GEMM.hasBF16Kernel, "the AVX512-BF16 kernel does not run here"),
          arguments: [(1, 384, 384), (13, 33, 385), (61, 384, 1536), (200, 513, 384)], [GEMM.BF16Dot.native, .emulated])
    func productWithAResidualGivesTheBitsOfTheProductThenTheSum(size: (Int, Int, Int), dot: GEMM.BF16Dot) {
        let (m, n, k) = size, lda = k + 1
        var g = SeededGenerator(seed: 31)
        let a = mixedFloats(m * lda, &g), b = mixedFloats(n * k, &g), bias = mixedFloats(n, &g)
        let residual = mixedFloats(m * n, &g).map { $0 * 3 }
        var steps = bf16Product(a, b, bias: bias, m: m, n: n, k: k, lda: lda, path: .fastest)
        for i in steps.indices { steps[i] += residual[i] }
        for threads in [1, 2] {
            let c = residualProduct(a, b, bias: bias, residual: residual, m: m, n: n, k: k, lda: lda, threads: threads, dot: dot)
            let differing = zip(c, steps).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(differing == 0, "\(dot), \(threads) thread(s): \(differing) of \(m * n) elements differ")
        }
    }

    /// Both inner kernels of the AVX512-BF16 blocks (`vdpbf16ps` and its emulation, whichever this
    /// processor would choose) give the portable loop's bits for every height a product's last tile
    /// can have (1 to 12 rows, and 13 to 25 across two tiles), K odd in one block and K in two.
    @Test(.enabled(if: GEMM.hasBF16Kernel, "the AVX512-BF16 kernel does not run here"),
          arguments: [(33, 385), (64, 1536)], [GEMM.BF16Dot.native, .emulated])
    func everyTileHeightGivesThePortableLoopsBits(shape: (Int, Int), dot: GEMM.BF16Dot) {
        let (n, k) = shape
        var g = SeededGenerator(seed: 37)
        let a = mixedFloats(25 * k, &g), b = mixedFloats(n * k, &g), residual = mixedFloats(25 * n, &g).map { $0 * 3 }
        for m in 1...25 {
            let rows = Array(a.prefix(m * k))
            var portable = bf16Product(rows, b, bias: nil, m: m, n: n, k: k, lda: k, path: .portable)
            for i in portable.indices { portable[i] += residual[i] }
            let c = residualProduct(rows, b, bias: nil, residual: Array(residual.prefix(m * n)), m: m, n: n, k: k, lda: k, dot: dot)
            let differing = zip(c, portable).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(differing == 0, "\(dot), \(m) rows: \(differing) of \(m * n) elements differ")
        }
    }

    /// Rounding to bf16 as vcvtneps2bf16 does: to nearest even, denormals to a zero of their sign.
    @Test func packingRoundsToNearestEvenAndFlushesDenormals() {
        // One column of B (N = 1, K = 6), not transposed: the packed pairs are b0 | b1 << 16, ...
        let b: [Float] = [1 + 0x1p-8, 1 + 0x1p-8 + 0x1p-20, 1 + 3 * 0x1p-8, 0x1p-130, -0x1p-127, -2]
        let packs = PackedWeights()
        let pairs = b.withUnsafeBufferPointer { b in
            let pointer = packs.packedBF16(b.baseAddress!, transpose: false, n: 1, k: 6, ldb: 1)
            return (0..<3).map { pointer[$0 * 32] }  // pair p of column 0, panels 32 columns wide
        }
        // 1 + 2^-8 is a tie: to even (1); just above it: up; 1 + 3 · 2^-8 a tie: to even (1 + 2^-6).
        #expect(pairs == [0x3F81_3F80, 0x0000_3F82, 0xC000_8000])
    }
}
