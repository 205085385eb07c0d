internal import COpenBLAS

/// Row-major single-precision matrix products `C = alpha * op(A) * op(B) + beta * C`, where
/// op(A) is (M, K), op(B) is (K, N) and C is (M, N). `lda`, `ldb`, `ldc` are row strides of the
/// matrices as stored (so a transposed A is stored (K, M) with `lda >= M`).
enum GEMM {
    /// The OpenBLAS kernel used everywhere in the model.
    @inline(__always)
    static func blas(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The reference kernel: three loops, accumulation in Double. Tests compare `blas` against it.
    static func naive(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let x = transposeA ? a[p * lda + i] : a[i * lda + p]
                    let y = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += Double(x) * Double(y)
                }
                let previous = beta == 0 ? 0 : beta * c[i * ldc + j]  // beta 0 ignores NaN in C, as BLAS does
                c[i * ldc + j] = alpha * Float(sum) + previous
            }
        }
    }
}

/// OpenBLAS settings and a plain matrix product for benchmarks.
public enum BLAS {
    /// Threads OpenBLAS uses for one product.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(newValue)) }
    }

    /// OpenBLAS's build configuration (CPU core type, threading).
    public static var configuration: String { String(cString: openblas_get_config()) }

    /// `c = a * b` for row-major `a` (M, K) and `b` (K, N); `c` is resized to M * N.
    public static func multiply(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, into c: inout [Float]) {
        precondition(a.count == m * k && b.count == k * n, "shapes do not match")
        if c.count != m * n { c = [Float](repeating: 0, count: m * n) }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    GEMM.blas(m: m, n: n, k: k, a: a.baseAddress!, lda: k, b: b.baseAddress!, ldb: n,
                              beta: 0, c: c.baseAddress!, ldc: n)
                }
            }
        }
    }
}
