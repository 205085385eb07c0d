import Foundation
import Testing
@testable import HouseStyleNumerics

func randomFloats(_ count: Int, _ generator: inout SeededGenerator, scale: Float = 1) -> [Float] {
    (0..<count).map { _ in generator.uniform(scale) }
}

@Suite struct GEMMTests {
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)], [(1, 1, 1), (7, 5, 3), (33, 17, 64)])
    func blasAgreesWithTheNaiveKernel(transposes: (Bool, Bool), size: (Int, Int, Int)) {
        let (ta, tb) = transposes, (m, n, k) = size
        var g = SeededGenerator(seed: 1)
        // Stored shapes with padding columns so that lda/ldb/ldc differ from the logical widths.
        let (aRows, aCols) = ta ? (k, m) : (m, k), (bRows, bCols) = tb ? (n, k) : (k, n)
        let (lda, ldb, ldc) = (aCols + 2, bCols + 1, n + 3)
        let a = randomFloats(aRows * lda, &g), b = randomFloats(bRows * ldb, &g), c0 = randomFloats(m * ldc, &g)
        var viaBLAS = c0, viaNaive = c0
        viaBLAS.withUnsafeMutableBufferPointer { c in
            GEMM.blas(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb,
                      beta: 2, c: c.baseAddress!, ldc: ldc)
        }
        viaNaive.withUnsafeMutableBufferPointer { c in
            GEMM.naive(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb,
                       beta: 2, c: c.baseAddress!, ldc: ldc)
        }
        let difference = zip(viaBLAS, viaNaive).map { abs($0 - $1) }.max()!
        #expect(difference <= 1e-5 * Float(k))
        // Padding columns of C are untouched.
        for i in 0..<m { for j in n..<ldc { #expect(viaBLAS[i * ldc + j] == c0[i * ldc + j]) } }
    }

    /// Sizes around the projection kernel's tiles (12 x 32), K blocks (at most 384), column blocks
    /// (512) and row blocks (192): (193, 513, 385) crosses all three, one past each.
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)],
          [(1, 1, 1), (12, 32, 384), (13, 33, 385), (61, 70, 600), (200, 1, 9), (5, 100, 1), (193, 513, 385)])
    func projectionKernelAgreesWithTheNaiveKernel(transposes: (Bool, Bool), size: (Int, Int, Int)) {
        let (ta, tb) = transposes, (m, n, k) = size
        var g = SeededGenerator(seed: 2)
        let (aRows, aCols) = ta ? (k, m) : (m, k), (bRows, bCols) = tb ? (n, k) : (k, n)
        let (lda, ldb, ldc) = (aCols + 2, bCols + 1, n + 3)
        let a = randomFloats(aRows * lda, &g), b = randomFloats(bRows * ldb, &g), c0 = randomFloats(m * ldc, &g)
        let bias = randomFloats(n, &g)
        for (beta, withBias) in [(Float(0), false), (0, true), (1, false), (2, true)] {
            // beta 0 ignores what C held: NaN there must not leak into the result.
            var viaKernel = beta == 0 ? c0.map { _ in Float.nan } : c0, viaNaive = c0
            for i in 0..<m { for j in n..<ldc { viaKernel[i * ldc + j] = c0[i * ldc + j] } }
            viaKernel.withUnsafeMutableBufferPointer { c in
                bias.withUnsafeBufferPointer { bias in
                    GEMM.projection(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb,
                                    beta: beta, bias: withBias ? bias.baseAddress! : nil, c: c.baseAddress!, ldc: ldc)
                }
            }
            viaNaive.withUnsafeMutableBufferPointer { c in
                GEMM.naive(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb,
                           beta: beta, c: c.baseAddress!, ldc: ldc)
            }
            if withBias { for i in 0..<m { for j in 0..<n { viaNaive[i * ldc + j] += bias[j] } } }
            var difference: Float = 0
            for i in 0..<m { for j in 0..<n { difference = max(difference, abs(viaKernel[i * ldc + j] - viaNaive[i * ldc + j])) } }
            #expect(difference <= 1e-5 * Float(k), "beta \(beta)")
            for i in 0..<m { for j in n..<ldc { #expect(viaKernel[i * ldc + j] == c0[i * ldc + j]) } }
        }
    }

    /// Splitting the rows of C across threads gives the same bits as one thread (a property of the
    /// AVX-512 kernel; OpenBLAS, the fallback, may sum in another order with more threads).
    @Test(.enabled(if: GEMM.hasProjectionKernel, "the AVX-512 kernel is not in use (processor or HOUSESTYLE_KERNELS=portable)"))
    func projectionKernelResultsDoNotDependOnTheThreadCount() {
        let (m, n, k) = (203, 70, 300)
        var g = SeededGenerator(seed: 3)
        let a = randomFloats(m * k, &g), b = randomFloats(n * k, &g)
        func product(threads: Int) -> [Float] {
            let saved = BLAS.threadCount
            defer { BLAS.threadCount = saved }
            BLAS.threadCount = threads
            var c = [Float](repeating: 0, count: m * n)
            c.withUnsafeMutableBufferPointer { c in
                GEMM.projection(transposeB: true, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: k, beta: 0, c: c.baseAddress!, ldc: n)
            }
            return c
        }
        #expect(product(threads: 1) == product(threads: 2))
    }

    /// A row of C is the same bits whatever rows are computed beside it: the first m rows of a
    /// product, for every m from 1 to 26 (last tiles of 1 to 12 rows, which the kernel computes
    /// with its 4-, 8- and 12-row tiles), equal those rows of the 26-row product. The encoder
    /// relies on it: a sentence's scores do not depend on the batch it is in.
    @Test(.enabled(if: GEMM.hasProjectionKernel, "the AVX-512 kernel is not in use (processor or HOUSESTYLE_KERNELS=portable)"),
          arguments: [false, true])
    func rowsOfAProductDoNotDependOnTheRowsBesideThem(transposeB: Bool) {
        let (rows, n, k) = (26, 70, 385)
        var g = SeededGenerator(seed: 5)
        let a = randomFloats(rows * k, &g), b = randomFloats(n * k, &g), bias = randomFloats(n, &g)
        func product(_ m: Int) -> [Float] {
            var c = [Float](repeating: 0, count: m * n)
            c.withUnsafeMutableBufferPointer { c in
                GEMM.projection(transposeB: transposeB, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: transposeB ? k : n,
                                beta: 0, bias: bias, c: c.baseAddress!, ldc: n)
            }
            return c
        }
        let all = product(rows)
        for m in 1...rows {
            let rowsOfAll = Array(all.prefix(m * n)), alone = product(m)
            #expect(alone == rowsOfAll, "\(m) rows: \(zip(alone, rowsOfAll).filter { $0 != $1 }.count) elements differ")
        }
    }

    /// A weight packed once (`PackedWeights`) gives the same bits as packing it in every product,
    /// for shapes that cross the kernel's block edges (K > 384, N > 512, partial panels).
    @Test(.enabled(if: GEMM.hasProjectionKernel, "the AVX-512 kernel is not in use (processor or HOUSESTYLE_KERNELS=portable)"),
          arguments: [false, true], [(12, 32, 384), (13, 33, 385), (193, 513, 385), (200, 1536, 384), (61, 384, 1536)])
    func prepackedWeightsGiveTheSameBits(transposeB: Bool, size: (Int, Int, Int)) {
        let (m, n, k) = size
        var g = SeededGenerator(seed: 4)
        let ldb = (transposeB ? k : n) + 1
        let a = randomFloats(m * k, &g), b = randomFloats((transposeB ? n : k) * ldb, &g), bias = randomFloats(n, &g)
        let packs = PackedWeights()
        for threads in [1, 2] {
            let saved = BLAS.threadCount
            defer { BLAS.threadCount = saved }
            BLAS.threadCount = threads
            func product(packed: Bool) -> [Float] {
                var c = [Float](repeating: 0, count: m * n)
                b.withUnsafeBufferPointer { b in
                    let packedB = packed ? packs.packed(b.baseAddress!, transpose: transposeB, n: n, k: k, ldb: ldb) : nil
                    c.withUnsafeMutableBufferPointer { c in
                        GEMM.projection(transposeB: transposeB, m: m, n: n, k: k, a: a, lda: k, b: b.baseAddress!, ldb: ldb,
                                        beta: 0, bias: bias, c: c.baseAddress!, ldc: n, packedB: packedB)
                    }
                }
                return c
            }
            #expect(product(packed: true) == product(packed: false), "\(threads) thread(s)")
        }
    }

    /// The narrow product (the LoRA adapters' x A^T, `GEMM.narrow`) gives the bits of `projection`
    /// for each of its columns, for rows around its 16-row blocks, K odd, short and at 384, 16
    /// columns and fewer, on one thread and two; and the query and value adapters of a layer
    /// together (`Layers.loraForwardQueryValue`) give the bits of two `loraForward` calls.
    @Test(.enabled(if: GEMM.hasProjectionKernel, "the AVX-512 kernel is not in use (processor or HOUSESTYLE_KERNELS=portable)"),
          arguments: [(1, 384, 16), (15, 7, 16), (17, 383, 16), (33, 100, 5), (200, 384, 16)])
    func narrowProductGivesTheBitsOfTheProjection(size: (Int, Int, Int)) {
        let (m, k, count) = size, ldx = k + 3
        var g = SeededGenerator(seed: 8)
        let x = randomFloats(m * ldx, &g, scale: 3), b = randomFloats(count * k, &g)
        var reference = [Float](repeating: 0, count: m * count)
        reference.withUnsafeMutableBufferPointer { c in
            GEMM.projection(transposeB: true, m: m, n: count, k: k, a: x, lda: ldx, b: b, ldb: k, beta: 0, c: c.baseAddress!, ldc: count)
        }
        for threads in [1, 2] {
            let saved = BLAS.threadCount
            defer { BLAS.threadCount = saved }
            BLAS.threadCount = threads
            var h = [Float](repeating: .nan, count: m * count)
            x.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { b in
                    h.withUnsafeMutableBufferPointer { h in
                        GEMM.narrow(m: m, k: k, x: x.baseAddress!, ldx: ldx, bRows: (0..<count).map { b.baseAddress! + $0 * k },
                                    hColumns: (0..<count).map { h.baseAddress! + $0 }, ldh: count)
                    }
                }
            }
            let differing = zip(h, reference).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(differing == 0, "\(threads) thread(s): \(differing) of \(m * count) elements differ")
        }

        let (c, r) = (k, count / 2)
        guard r > 0 else { return }
        let aq = randomFloats(r * c, &g), bq = randomFloats(c * r, &g), av = randomFloats(r * c, &g), bv = randomFloats(c * r, &g)
        let y0 = randomFloats(m * c, &g), xc = randomFloats(m * c, &g)
        var (q1, v1, hq1, hv1) = (y0, y0, [Float](repeating: 0, count: m * r), [Float](repeating: 0, count: m * r))
        var (q2, v2, hq2, hv2) = (y0, y0, [Float](repeating: 0, count: m * r), [Float](repeating: 0, count: m * r))
        Layers.loraForward(&q1, hidden: &hq1, xc, a: aq, b: bq, scale: 2, rows: m, inputs: c, outputs: c, rank: r)
        Layers.loraForward(&v1, hidden: &hv1, xc, a: av, b: bv, scale: 2, rows: m, inputs: c, outputs: c, rank: r)
        Layers.loraForwardQueryValue(query: &q2, queryHidden: &hq2, value: &v2, valueHidden: &hv2, xc, queryA: aq, queryB: bq,
                                     valueA: av, valueB: bv, scale: 2, rows: m, inputs: c, outputs: c, rank: r)
        #expect(q1.map(\.bitPattern) == q2.map(\.bitPattern) && v1.map(\.bitPattern) == v2.map(\.bitPattern))
        #expect(hq1.map(\.bitPattern) == hq2.map(\.bitPattern) && hv1.map(\.bitPattern) == hv2.map(\.bitPattern))
    }

    /// The vectorised GELU (forward and backward) and softmax agree with the portable loops.
    @Test func elementwiseKernelsAgreeWithThePortableLoops() {
        var g = SeededGenerator(seed: 4)
        let count = 16 * 40 + 7  // a masked tail
        var x = randomFloats(count, &g, scale: 9)
        x[0] = 0; x[1] = -0.0; x[2] = 1e-30; x[3] = -20; x[4] = 20; x[5] = -5.5
        let dy = randomFloats(count, &g)
        var fast = [Float](repeating: 0, count: count), portable = fast
        Layers.geluForward(&fast, x, count: count)
        Layers.geluForwardReference(&portable, x, 0..<count)
        for i in 0..<count { #expect(abs(fast[i] - portable[i]) <= 1e-6 * max(1, abs(portable[i])), "x = \(x[i])") }
        var fastGradient = randomFloats(count, &g), portableGradient = fastGradient
        Layers.geluBackward(dx: &fastGradient, dy: dy, x: x, count: count)
        Layers.geluBackwardReference(dx: &portableGradient, dy: dy, x: x, 0..<count)
        for i in 0..<count { #expect(abs(fastGradient[i] - portableGradient[i]) <= 1e-6 * max(1, abs(portableGradient[i]))) }
        // Without accumulation dx is overwritten: what it held (NaN here) does not matter.
        var overwritten = [Float](repeating: .nan, count: count), fromZero = [Float](repeating: 0, count: count)
        Layers.geluBackward(dx: &overwritten, dy: dy, x: x, count: count, accumulate: false)
        Layers.geluBackwardReference(dx: &fromZero, dy: dy, x: x, 0..<count)
        for i in 0..<count { #expect(abs(overwritten[i] - fromZero[i]) <= 1e-6 * max(1, abs(fromZero[i]))) }
        for width in [1, 16, 37, 128] {
            var scores = randomFloats(3 * width, &g, scale: 30), reference = scores
            Layers.softmaxRows(&scores, rows: 3, width: width)
            Layers.softmaxRowsReference(&reference, rows: 3, width: width)
            for i in scores.indices { #expect(abs(scores[i] - reference[i]) <= 1e-6, "width \(width)") }
        }
    }

    /// The vectorised LayerNorm agrees with the portable loop, masked tails included (widths that
    /// are not multiples of 16), on rows with a large offset (where a one-pass variance would fail).
    @Test(arguments: [1, 17, 384])
    func layerNormKernelAgreesWithThePortableLoop(width: Int) {
        var g = SeededGenerator(seed: 6)
        let rows = 37
        let x = randomFloats(rows * width, &g, scale: 3).enumerated().map { $0.element + ($0.offset / width == 3 ? 1000 : 0) }
        let gamma = randomFloats(width, &g), beta = randomFloats(width, &g)
        var y = [Float](repeating: .nan, count: rows * width), mean = [Float](repeating: .nan, count: rows), rstd = mean
        var yRef = y, meanRef = mean, rstdRef = rstd
        Layers.layerNormForward(&y, mean: &mean, rstd: &rstd, x, gamma: gamma, beta: beta, rows: rows, width: width, epsilon: 1e-12)
        Layers.layerNormForwardReference(&yRef, mean: &meanRef, rstd: &rstdRef, x, gamma: gamma, beta: beta, rows: 0..<rows,
                                         width: width, epsilon: 1e-12)
        for r in 0..<rows {
            #expect(abs(mean[r] - meanRef[r]) <= 1e-5 * max(1, abs(meanRef[r])), "row \(r)")
            // width 1: every deviation is 0, rstd = 1 / sqrt(epsilon) on both sides
            #expect(abs(rstd[r] - rstdRef[r]) <= 1e-4 * rstdRef[r], "row \(r)")
        }
        for i in y.indices { #expect(abs(y[i] - yRef[i]) <= 2e-3 * max(1, abs(yRef[i])), "element \(i)") }
    }

    @Test func publicMultiplyComputesAProduct() {
        var c: [Float] = []
        BLAS.multiply([1, 2, 3, 4, 5, 6], [1, 0, 0, 1, 1, 1], m: 2, n: 2, k: 3, into: &c)
        #expect(c == [4, 5, 10, 11])
    }
}

@Suite struct SeededGeneratorTests {
    @Test func sameSeedSameStreamAndKnownFirstValues() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let first = (0..<4).map { _ in a.next() }
        #expect(first == (0..<4).map { _ in b.next() })
        #expect(first != (0..<4).map { _ in c.next() })
        var values = [Int](0..<10)
        var shuffler = SeededGenerator(seed: 9)
        shuffler.shuffle(&values)
        #expect(values.sorted() == Array(0..<10))
        #expect(values != Array(0..<10))
    }

    @Test func unitFloatsAndIndicesStayInRange() {
        var g = SeededGenerator(seed: 5)
        for _ in 0..<10_000 {
            let u = g.nextUnitFloat()
            #expect(u >= 0 && u < 1)
            let i = g.nextIndex(below: 7)
            #expect(i >= 0 && i < 7)
        }
    }
}

@Suite struct ScheduleAndOptimizerTests {
    @Test func warmupThenCosineAndLinearDecay() {
        let cosine = LearningRateSchedule(peak: 1, warmupSteps: 4, totalSteps: 14, decay: .cosine)
        #expect((0..<4).map(cosine.rate(at:)) == [0.25, 0.5, 0.75, 1])
        #expect(abs(cosine.rate(at: 9) - 0.5) < 1e-6)
        #expect(cosine.rate(at: 14) == 0)
        let linear = LearningRateSchedule(peak: 2, warmupSteps: 0, totalSteps: 4, decay: .linear)
        #expect((0..<5).map(linear.rate(at:)) == [2, 1.5, 1, 0.5, 0])
    }

    @Test func adamWMatchesTheClosedFormFirstStepAndDecaysOnlyWeights() {
        let store = ParameterStore([("w", [2], true), ("b", [1], false)])
        store.values.pointer.update(from: [1, -1, 3], count: 3)
        store.gradients.pointer.update(from: [0.5, -2, 4], count: 3)
        var optimizer = AdamW(parameterCount: 3, weightDecay: 0.1)
        optimizer.update(store, learningRate: 0.01)
        // First step: m̂ = g, v̂ = g², so the update is lr · sign(g) (up to ε), after decay of weights.
        let expected: [Float] = [1 * (1 - 0.001) - 0.01, -1 * (1 - 0.001) + 0.01, 3 - 0.01]
        for (value, wanted) in zip(store.snapshot, expected) { #expect(abs(value - wanted) < 1e-6) }
    }
}

@Suite struct VectorMathTests {
    @Test func expAgreesWithTheLibraryOverItsRange() {
        var worst = 0.0
        for i in -8000...8000 {
            let x = Float(i) * 0.01  // -80 ... 80
            let exact = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(VectorMath.exp(x)) - exact) / exact)
        }
        #expect(worst < 3e-7)
        #expect(VectorMath.exp(-Float.infinity) == 0)
        #expect(VectorMath.exp(0) == 1)
    }

    @Test func normalCDFAgreesWithErfcInBothTails() {
        var worstAbsolute = 0.0, worstRelative = 0.0
        for i in -1000...1000 {
            let x = Float(i) * 0.01  // -10 ... 10
            let exact = 0.5 * erfc(-Double(x) / 2.0.squareRoot())
            let value = Double(VectorMath.normalCDF(x))
            worstAbsolute = max(worstAbsolute, abs(value - exact))
            if exact > 1e-30 { worstRelative = max(worstRelative, abs(value - exact) / exact) }
        }
        #expect(worstAbsolute < 2e-7)
        #expect(worstRelative < 1e-5)  // in the far tail -z² loses a few bits
    }
}
