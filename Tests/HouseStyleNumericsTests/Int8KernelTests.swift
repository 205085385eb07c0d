import Testing
@testable import HouseStyleNumerics

/// C = A · W^T + bias (+ residual) with W: (N, K) quantised to int8 and packed once, on `threads`
/// threads, by `path`; A has row stride `lda`.
private func int8Product(_ a: [Float], _ w: [Float], bias: [Float]?, residual: [Float]?, m: Int, n: Int, k: Int, lda: Int,
                         path: GEMM.Int8Path, threads: Int = 1, outliers: Int = 0) -> [Float] {
    let saved = BLAS.threadCount
    defer { BLAS.threadCount = saved }
    BLAS.threadCount = threads
    let packs = PackedWeights()
    var c = [Float](repeating: .nan, count: m * n)
    w.withUnsafeBufferPointer { w in
        let packed = packs.packedInt8(w.baseAddress!, n: n, k: k, ldb: k, columns: outliers > 0)
        c.withUnsafeMutableBufferPointer { c in
            (bias ?? []).withUnsafeBufferPointer { bias in
                (residual ?? []).withUnsafeBufferPointer { residual in
                    GEMM.projectionInt8(m: m, n: n, k: k, a: a, lda: lda, packedB: packed, outliers: outliers,
                                        bias: bias.isEmpty ? nil : bias.baseAddress, c: c.baseAddress!, ldc: n,
                                        residual: residual.isEmpty ? nil : residual.baseAddress, path: path)
                }
            }
        }
    }
    withExtendedLifetime(packs) {}
    return c
}

@Suite struct Int8KernelTests {
    /// The AVX512-VNNI kernel gives the bits of the portable loop (exact integer sums, one
    /// epilogue), for shapes around its tiles (12 rows x 32 columns) and its panels of 96 rows, K
    /// not a multiple of 4 and K below the outliers asked for, N not one of 32, a row stride beyond
    /// K, with and without outliers, a bias and a residual, on one thread and two; with ties among
    /// the largest channels (the lower index is the outlier).
    @Test(arguments: [GEMM.Int8Path.fastest, .vnni],
          [(1, 1, 1), (5, 100, 3), (13, 33, 385), (26, 70, 385), (61, 384, 1536), (193, 513, 1537)])
    func everyPathGivesThePortableLoopsBits(path: GEMM.Int8Path, size: (Int, Int, Int)) {
        guard path.isAvailable else { return }  // not on this processor: nothing to compare
        let (m, n, k) = size, lda = k + 3
        var g = SeededGenerator(seed: 31)
        var a = randomFloats(m * lda, &g, scale: 3)
        let w = randomFloats(n * k, &g, scale: 0.1)
        let bias = randomFloats(n, &g), residual = randomFloats(m * n, &g)
        for i in 0..<m where k > 6 { a[i * lda + 2] = 40; a[i * lda + 5] = -40; a[i * lda + k - 1] = 40 }  // ties across the cut at 2
        for i in stride(from: 0, to: m, by: 5) where k > 40 {  // rows with NaN (after the row's largest, 16 channels on) and infinities
            a[i * lda + 7] = 50
            a[i * lda + 23] = .nan
            if i % 10 == 0 { a[i * lda + 9] = -.infinity }
        }
        for (outliers, withBias, withResidual) in [(0, false, false), (0, true, false), (0, true, true), (0, false, true),
                                                   (2, false, false), (3, false, false), (4, true, true)] {
            let portable = int8Product(a, w, bias: withBias ? bias : nil, residual: withResidual ? residual : nil,
                                       m: m, n: n, k: k, lda: lda, path: .portable, outliers: outliers)
            for threads in [1, 2] {
                let other = int8Product(a, w, bias: withBias ? bias : nil, residual: withResidual ? residual : nil,
                                        m: m, n: n, k: k, lda: lda, path: path, threads: threads, outliers: outliers)
                let differing = zip(other, portable).filter { !($0.isNaN && $1.isNaN) && $0.bitPattern != $1.bitPattern }.count
                #expect(differing == 0, "outliers \(outliers), bias \(withBias), residual \(withResidual), \(threads) thread(s): \(differing) of \(m * n) differ")
            }
        }
    }

    /// Products that share their A (q, k and v) give the bits each gives alone, on each path, with
    /// and without outliers and biases, N of each not one of 32, on one thread and two.
    @Test(arguments: [GEMM.Int8Path.fastest, .vnni, .portable])
    func productsSharingAGiveTheBitsOfEachAlone(path: GEMM.Int8Path) {
        guard path.isAvailable else { return }
        let (m, k, lda) = (101, 385, 390), widths = [70, 33, 64]
        var g = SeededGenerator(seed: 34)
        let a = randomFloats(m * lda, &g, scale: 3)
        let weights = widths.map { randomFloats($0 * k, &g, scale: 0.1) }, biases = widths.map { randomFloats($0, &g) }
        for outliers in [0, 4] {
            let alone = widths.indices.map { e in
                int8Product(a, weights[e], bias: e == 1 ? nil : biases[e], residual: nil, m: m, n: widths[e], k: k, lda: lda,
                            path: path, outliers: outliers)
            }
            for threads in [1, 2] {
                let saved = BLAS.threadCount
                defer { BLAS.threadCount = saved }
                BLAS.threadCount = threads
                let packs = PackedWeights()
                var (o0, o1, o2) = (Array(repeating: Float.nan, count: m * widths[0]), Array(repeating: Float.nan, count: m * widths[1]),
                                    Array(repeating: Float.nan, count: m * widths[2]))
                let packed = weights.indices.map { e in
                    weights[e].withUnsafeBufferPointer { packs.packedInt8($0.baseAddress!, n: widths[e], k: k, ldb: k, columns: outliers > 0) }
                }
                biases[0].withUnsafeBufferPointer { b0 in
                    biases[2].withUnsafeBufferPointer { b2 in
                        o0.withUnsafeMutableBufferPointer { c0 in
                            o1.withUnsafeMutableBufferPointer { c1 in
                                o2.withUnsafeMutableBufferPointer { c2 in
                                    GEMM.projectionInt8(m: m, k: k, a: a, lda: lda, outliers: outliers, products: [
                                        (widths[0], packed[0], b0.baseAddress, c0.baseAddress!, widths[0]),
                                        (widths[1], packed[1], nil, c1.baseAddress!, widths[1]),
                                        (widths[2], packed[2], b2.baseAddress, c2.baseAddress!, widths[2])], path: path)
                                }
                            }
                        }
                    }
                }
                withExtendedLifetime(packs) {}
                for (e, output) in [o0, o1, o2].enumerated() {
                    #expect(output.map(\.bitPattern) == alone[e].map(\.bitPattern), "outliers \(outliers), \(threads) thread(s), product \(e)")
                }
            }
        }
    }

    /// A row of C is the same bits whatever rows are beside it (each row has its own scale and
    /// outliers): alone, and in a product of 230 rows (panels of 96, tiles of 12, two threads).
    @Test(arguments: [GEMM.Int8Path.fastest, .portable], [0, 4])
    func rowsDoNotDependOnTheRowsBesideThem(path: GEMM.Int8Path, outliers: Int) {
        let (rows, n, k) = (230, 70, 385)
        var g = SeededGenerator(seed: 32)
        let a = randomFloats(rows * k, &g), w = randomFloats(n * k, &g), bias = randomFloats(n, &g)
        let all = int8Product(a, w, bias: bias, residual: nil, m: rows, n: n, k: k, lda: k, path: path, threads: 2, outliers: outliers)
        for row in [0, 1, 11, 12, 95, 96, 97, 107, 191, 192, 229] {
            let alone = int8Product(Array(a[(row * k)..<((row + 1) * k)]), w, bias: bias, residual: nil, m: 1, n: n, k: k, lda: k,
                                    path: path, outliers: outliers)
            #expect(alone.map(\.bitPattern) == all[(row * n)..<((row + 1) * n)].map(\.bitPattern), "row \(row)")
        }
    }

    /// The product is the fp32 one within what quantising allows: a is off by at most half its
    /// row's step s_m = max |a| / 127, w by half its column's s_n, so each term a·w by at most
    /// |w| s_m / 2 + |a| s_n / 2 + s_m s_n / 4; the epilogue adds a few fp32 roundings. A row of
    /// zeros stays zeros (scale 1, nothing divided by zero).
    ///
    /// With outliers, each row's largest channels are exact (fp32 weights, an fma each) and the
    /// step is the rest's: a row with one channel a thousand times the others keeps the precision
    /// of the others, and a row of fewer channels than outliers is the fp32 product.
    @Test(arguments: [GEMM.Int8Path.fastest, .portable], [(13, 33, 385, 0), (61, 384, 1536, 0), (7, 31, 6, 0), (13, 33, 385, 4), (7, 31, 3, 4)])
    func agreesWithTheFP32ProductWithinInt8Rounding(path: GEMM.Int8Path, size: (Int, Int, Int, Int)) {
        let (m, n, k, outliers) = size
        var g = SeededGenerator(seed: 33)
        var a = randomFloats(m * k, &g, scale: 2), w = randomFloats(n * k, &g, scale: 0.2)
        let bias = randomFloats(n, &g)
        for p in 0..<k { a[p] = 0 }  // row 0: zeros
        if m > 1 { a[k + k / 2] = 2_000 }  // row 1: one channel a thousand times the rest
        w[5] = 0x1p-140  // a denormal weight rounds to 0
        let c = int8Product(a, w, bias: bias, residual: nil, m: m, n: n, k: k, lda: k, path: path, outliers: outliers)
        var worst = 0.0, largest = 0.0
        for i in 0..<m {
            let row = Array(a[(i * k)..<((i + 1) * k)])
            // The outlier channels: the largest |a| (of equal ones the lower index); the step is the rest's.
            let order = row.indices.sorted { (abs(row[$0]), -$0) > (abs(row[$1]), -$1) }
            let exactChannels = Set(order.prefix(outliers))
            let sm = Double(order.dropFirst(outliers).map { abs(row[$0]) }.max() ?? 0) / 127
            for j in 0..<n {
                let sn = Double(w[(j * k)..<((j + 1) * k)].map { abs($0) }.max()!) / 127
                var exact = Double(bias[j]), bound = 0.0, magnitude = abs(Double(bias[j]))
                for p in 0..<k {
                    let (x, y) = (Double(a[i * k + p]), Double(w[j * k + p]))
                    exact += x * y
                    if !exactChannels.contains(p) { bound += abs(y) * sm / 2 + abs(x) * sn / 2 + sm * sn / 4 }
                    magnitude += abs(x * y)
                }
                bound += (magnitude + bound) * 4 * 0x1p-24
                worst = max(worst, abs(Double(c[i * n + j]) - exact) / bound)
                largest = max(largest, abs(exact))
                if i == 0 { #expect(c[j] == bias[j], "a row of zeros gives the bias") }
            }
        }
        #expect(worst <= 1, "error \(worst) of the bound")
        #expect(largest > 1)
        if outliers > 0 && m > 1 && k > outliers {
            // Without outliers row 1's step is 2,000 / 127, and its error far beyond the bound above.
            let plain = int8Product(a, w, bias: bias, residual: nil, m: m, n: n, k: k, lda: k, path: path)
            let withOutliers = (0..<n).map { abs(c[n + $0] - plain[n + $0]) }.max()!
            #expect(withOutliers > 0.5, "the outliers changed row 1 by only \(withOutliers)")
        }
    }

    /// The weights are quantised once per row to nearest even (63.5 -> 64, -0.5 -> 0 at scale 1)
    /// and A per row: with one-hot rows of A, C reads back each column's quantised weights.
    @Test(arguments: [GEMM.Int8Path.fastest, .portable])
    func weightsRoundToNearestEven(path: GEMM.Int8Path) {
        let k = 5
        let w: [Float] = [127, 63.5, -63.5, -0.5, 2.5]  // one row: scale 1
        var a = [Float](repeating: 0, count: k * k)
        for i in 0..<k { a[i * k + i] = 1 }
        let c = int8Product(a, w, bias: nil, residual: nil, m: k, n: 1, k: k, lda: k, path: path)
        #expect(c == [127, 64, -64, 0, 2])
    }
}
