internal import COpenBLAS
import Foundation

/// The leading singular values and left singular vectors of a dense matrix.
public struct TruncatedSVD: Sendable {
    /// U: (rows, rank), row-major; columns are orthonormal.
    public var u: [Float]
    /// Singular values, descending: (rank).
    public var singularValues: [Float]
    public var rows: Int
    public var rank: Int

    /// Randomized truncated SVD (Halko, Martinsson and Tropp 2011, algorithms 4.4 and 5.1):
    /// a Gaussian sketch of the range of A with `powerIterations` subspace iterations (sgemm on
    /// OpenBLAS), then the exact eigen-decomposition of the small matrix B·Bᵀ by cyclic Jacobi.
    ///
    /// - Parameters:
    ///   - a: A: (rows, columns), row-major.
    ///   - seed: the sketch's random numbers; the same seed gives the same result.
    public init(_ a: [Float], rows: Int, columns: Int, rank: Int, oversampling: Int = 10, powerIterations: Int = 2, seed: UInt64) {
        precondition(a.count == rows * columns && rank >= 1)
        let l = min(rank + oversampling, rows, columns)
        var random = SplitMix64(seed: seed)
        // omega: (columns, l)
        let omega = (0..<(columns * l)).map { _ in random.nextGaussian() }
        var y = [Float](repeating: 0, count: rows * l)   // (rows, l)
        Self.gemm(a, omega, into: &y, m: rows, n: l, k: columns, transposeA: false)
        Self.orthonormalizeColumns(&y, rows: rows, columns: l)
        var z = [Float](repeating: 0, count: columns * l)  // (columns, l)
        for _ in 0..<powerIterations {
            Self.gemm(a, y, into: &z, m: columns, n: l, k: rows, transposeA: true)
            Self.orthonormalizeColumns(&z, rows: columns, columns: l)
            Self.gemm(a, z, into: &y, m: rows, n: l, k: columns, transposeA: false)
            Self.orthonormalizeColumns(&y, rows: rows, columns: l)
        }
        // B = Qᵀ A: (l, columns); C = B Bᵀ: (l, l).
        var b = [Float](repeating: 0, count: l * columns)
        y.withUnsafeBufferPointer { q in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeMutableBufferPointer { b in
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(l), Int32(columns), Int32(rows), 1,
                        q.baseAddress, Int32(l), a.baseAddress, Int32(columns), 0, b.baseAddress, Int32(columns))
                }
            }
        }
        var c = [Double](repeating: 0, count: l * l)
        for i in 0..<l {
            for j in i..<l {
                var sum = 0.0
                for k in 0..<columns { sum += Double(b[i * columns + k]) * Double(b[j * columns + k]) }
                c[i * l + j] = sum; c[j * l + i] = sum
            }
        }
        let (values, vectors) = SymmetricEigen.jacobi(c, size: l)
        let order = (0..<l).sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }.prefix(rank)
        let k = order.count
        var u = [Float](repeating: 0, count: rows * k)
        for (column, index) in order.enumerated() {
            // Sign convention: the largest-magnitude entry of each vector is positive.
            var v = (0..<l).map { vectors[$0 * l + index] }
            if let big = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), v[big] < 0 { v = v.map { -$0 } }
            for r in 0..<rows {
                var sum = 0.0
                for j in 0..<l { sum += Double(y[r * l + j]) * v[j] }
                u[r * k + column] = Float(sum)
            }
        }
        self.u = u
        self.singularValues = order.map { Float(max(values[$0], 0).squareRoot()) }
        self.rows = rows
        self.rank = k
    }

    /// C = A·B or Aᵀ·B with A (k, m) when transposed: C (m, n) row-major.
    private static func gemm(_ a: [Float], _ b: [Float], into c: inout [Float], m: Int, n: Int, k: Int, transposeA: Bool) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                        a.baseAddress, Int32(transposeA ? m : k), b.baseAddress, Int32(n), 0, c.baseAddress, Int32(n))
                }
            }
        }
    }

    /// Modified Gram-Schmidt on the columns of x: (rows, columns), in double precision.
    static func orthonormalizeColumns(_ x: inout [Float], rows: Int, columns: Int) {
        var column = [Double](repeating: 0, count: rows)
        var basis: [[Double]] = []
        for j in 0..<columns {
            for r in 0..<rows { column[r] = Double(x[r * columns + j]) }
            for q in basis {
                var dot = 0.0
                for r in 0..<rows { dot += q[r] * column[r] }
                for r in 0..<rows { column[r] -= dot * q[r] }
            }
            var norm = 0.0
            for r in 0..<rows { norm += column[r] * column[r] }
            norm = norm.squareRoot()
            let scale = norm > 1e-12 ? 1 / norm : 0
            for r in 0..<rows { column[r] *= scale }
            basis.append(column)
            for r in 0..<rows { x[r * columns + j] = Float(column[r]) }
        }
    }
}

/// Eigenvalues and eigenvectors of a small symmetric matrix.
package enum SymmetricEigen {
    /// Cyclic Jacobi rotations until the off-diagonal is negligible.
    /// - Returns: eigenvalues (unsorted) and eigenvectors as the columns of a (size, size) row-major matrix.
    package static func jacobi(_ matrix: [Double], size n: Int, sweeps: Int = 60) -> (values: [Double], vectors: [Double]) {
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<sweeps {
            var off = 0.0, diagonal = 0.0
            for i in 0..<n {
                diagonal += a[i * n + i] * a[i * n + i]
                for j in (i + 1)..<max(i + 1, n) { off += a[i * n + j] * a[i * n + j] }
            }
            if off <= 1e-24 * max(diagonal, 1e-300) { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) {
                    let apq = a[p * n + q]
                    if abs(apq) < 1e-300 { continue }
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<n).map { a[$0 * n + $0] }, v)
    }
}

/// A small seeded generator (SplitMix64) for reproducible sketches.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Standard normal by Box-Muller.
    mutating func nextGaussian() -> Float {
        let u1 = (Double(next() >> 11) + 0.5) / Double(1 << 53)
        let u2 = Double(next() >> 11) / Double(1 << 53)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}
