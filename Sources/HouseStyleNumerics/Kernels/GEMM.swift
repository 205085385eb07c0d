internal import CNumericsKernels
internal import COpenBLAS
import Foundation

/// Row-major single-precision matrix products `C = alpha * op(A) * op(B) + beta * C`, where
/// op(A) is (M, K), op(B) is (K, N) and C is (M, N). `lda`, `ldb`, `ldc` are row strides of the
/// matrices as stored (so a transposed A is stored (K, M) with `lda >= M`).
enum GEMM {
    /// OpenBLAS's sgemm: the fallback of `projection` and `small` on processors without AVX-512.
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

    /// The kernel of the encoder's projections (large M): the AVX-512 kernel of CNumericsKernels
    /// where the processor has it, with the rows of C split across `BLAS.threadCount` threads;
    /// OpenBLAS elsewhere. Results do not depend on the thread count (each element of C is summed
    /// in one order whatever the split).
    ///
    /// - Parameters:
    ///   - bias: (N), added to every row of C when given.
    ///   - packedB: op(B) as `PackedWeights` packed it for this N and K (then used instead of `b`).
    ///   - gelu: GELU applied to each tile of C as it is finished (`hs_sgemm_bias_gelu`); needs
    ///     `fusesGELUEpilogue`.
    static func projection(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, bias: UnsafePointer<Float>? = nil, c: UnsafeMutablePointer<Float>, ldc: Int,
        packedB: UnsafePointer<Float>? = nil, gelu: GELUEpilogue? = nil
    ) {
        precondition(gelu == nil || fusesGELUEpilogue, "the GELU epilogue runs on the AVX-512 kernels only")
        guard hasProjectionKernel else {
            var beta = beta
            if let bias {  // C = beta C + bias first, then OpenBLAS adds the product
                for i in 0..<m {
                    let row = c + i * ldc
                    for j in 0..<n { row[j] = (beta == 0 ? 0 : beta * row[j]) + bias[j] }
                }
                beta = 1
            }
            blas(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                 b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        // Row blocks of whole micro-tiles (12 rows), at least 4 tiles per thread. With several
        // threads, large products get more blocks than threads (of at least 384 rows, so that each
        // block's packing of B stays cheap) and the threads take them as they finish: a thread
        // slowed by other work on the machine then holds up the product less.
        let threads = max(1, min(BLAS.threadCount, m / 48))
        let blocks = threads == 1 ? 1 : max(threads, min(m / 384, 4 * threads))
        let rowsPerBlock = ((m + blocks - 1) / blocks + 11) / 12 * 12
        var operands = ProductOperands(a: a, b: b, c: c, bias: bias, packedB: packedB)
        switch gelu {
        case .forward(let activated, let ld, let keepsSlope)?:
            (operands.activated, operands.ldGELU, operands.slope) = (activated, ld, keepsSlope)
        case .backward(let preActivation, let ld, let isSlope)?:
            (operands.preActivation, operands.ldGELU, operands.slope) = (preActivation, ld, isSlope)
        case nil: break
        }
        let run: @Sendable (Int) -> Void = { [operands] block in
            let first = block * rowsPerBlock, rows = min(m, first + rowsPerBlock) - first
            guard rows > 0 else { return }
            let a = operands.a + (transposeA ? first : first * lda), c = operands.c + first * ldc
            let status = if operands.activated != nil || operands.preActivation != nil {
                hs_sgemm_bias_gelu(transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(rows), Int32(n), Int32(k), alpha, a,
                                   Int32(lda), operands.b, Int32(ldb), operands.packedB, beta, operands.bias, c, Int32(ldc),
                                   operands.activated.map { $0 + first * operands.ldGELU },
                                   operands.preActivation.map { $0 + first * operands.ldGELU }, Int32(operands.ldGELU),
                                   operands.slope ? 1 : 0)
            } else if let packed = operands.packedB {
                hs_sgemm_bias_packed(transposeA ? 1 : 0, Int32(rows), Int32(n), Int32(k), alpha, a, Int32(lda), packed,
                                     beta, operands.bias, c, Int32(ldc))
            } else {
                hs_sgemm_bias(transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(rows), Int32(n), Int32(k), alpha,
                              a, Int32(lda), operands.b, Int32(ldb), beta, operands.bias, c, Int32(ldc))
            }
            precondition(status == 0, "the projection kernel could not allocate its packing buffers (about 1 MiB)")
        }
        if blocks == 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: blocks, execute: run) }
    }

    /// GELU applied by `projection` to each tile of C while it is in cache, instead of a pass of
    /// `Layers.geluForward` or `Layers.geluBackward` over C afterwards: the same bits.
    enum GELUEpilogue {
        /// activated: (M, N), row stride `ld`, = GELU(C); C is kept, or with `keepsSlope` replaced
        /// by GELU'(C) (all a backward pass reads of it: `backward` with `isSlope`).
        case forward(activated: UnsafeMutablePointer<Float>, ld: Int, keepsSlope: Bool = false)
        /// C = C · GELU'(preActivation), preActivation: (M, N), row stride `ld` (GELU's backward
        /// pass, as `Layers.geluBackward` with accumulate false); with `isSlope`, preActivation
        /// holds GELU' already (as `forward` with `keepsSlope` left it): C = C · preActivation.
        case backward(preActivation: UnsafePointer<Float>, ld: Int, isSlope: Bool = false)
    }

    /// Whether `projection` runs a `GELUEpilogue` here (the AVX-512 product and GELU kernels).
    static let fusesGELUEpilogue = hasProjectionKernel && hs_elementwise_level() == 2

    /// The ways `projectionBF16` can compute its product, all with the same bits.
    enum BF16Path: Int32, CaseIterable, Sendable {
        /// The fastest this processor has (`portable` with HOUSESTYLE_KERNELS=portable).
        case fastest = 0
        /// The AVX512-BF16 blocks (Zen 4, Sapphire Rapids) with `vdpbf16ps` inside.
        case avx512BF16 = 1
        /// Emulated with AVX-512F FMAs under MXCSR.FTZ (about the fp32 kernel's rate).
        case avx512 = 2
        /// Emulated with AVX2 FMAs under MXCSR.FTZ.
        case avx2 = 3
        /// Plain C, any processor (scalar fmaf where there is no FMA unit: slow).
        case portable = 4

        /// Whether this processor runs this path.
        var isAvailable: Bool { hs_bf16_path_available(rawValue) != 0 }
    }

    /// The inner kernel of the AVX512-BF16 products (`BLAS.BF16Dot`).
    typealias BF16Dot = BLAS.BF16Dot

    /// C: (M, N) = bf16(A): (M, K) · B + bias, B packed by `PackedWeights.packedBF16`: products of
    /// bf16 values summed in fp32, as `vdpbf16ps` sums them (hs_sgemm_bf16.c), on every processor
    /// (`BF16Path`). Rows of C split across `BLAS.threadCount` threads as in `projection`;
    /// results do not depend on the split.
    static func projectionBF16(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packedB: UnsafePointer<UInt32>,
        bias: UnsafePointer<Float>? = nil, c: UnsafeMutablePointer<Float>, ldc: Int, path: BF16Path = .fastest
    ) {
        precondition(path.isAvailable, "this processor cannot run the bf16 path \(path)")
        let threads = max(1, min(BLAS.threadCount, m / 48))
        let blocks = threads == 1 ? 1 : max(threads, min(m / 384, 4 * threads))
        let rowsPerBlock = ((m + blocks - 1) / blocks + 11) / 12 * 12
        let operands = BF16Operands(a: a, packedB: packedB, c: c, bias: bias)
        let run: @Sendable (Int) -> Void = { block in
            let first = block * rowsPerBlock, rows = min(m, first + rowsPerBlock) - first
            guard rows > 0 else { return }
            let status = hs_bf16_gemm(Int32(rows), Int32(n), Int32(k), operands.a + first * lda, Int32(lda), operands.packedB,
                                      operands.bias, operands.c + first * ldc, Int32(ldc), path.rawValue)
            precondition(status == 0, "the bf16 projection kernel could not allocate its buffer for A")
        }
        if blocks == 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: blocks, execute: run) }
    }

    /// Whether `projectionBF16GELU` runs here for an op(B) of (K, N) (`hs_bf16_gelu_fusable`: the
    /// AVX512-BF16 kernel and the AVX-512 GELU loop, N a multiple of 32, K at most 768).
    static func fusesGELU(n: Int, k: Int) -> Bool { hs_bf16_gelu_fusable(Int32(n), Int32(k)) != 0 }

    /// The feed-forward's first product, its GELU and the bf16 rounding of the next product's A in
    /// one pass: pairs: (M, N / 2) pairs of bf16, row stride `ldp`, = bf16(GELU(bf16(A) · B + bias)),
    /// the same bits `projectionBF16`, `Layers.geluForward` and the next `projectionBF16`'s own
    /// rounding of its A give, without writing and reading C and GELU(C) in fp32 (2.4 MB each for
    /// a batch of 400 tokens, more than L2). Needs `fusesGELU(n:k:)`. Rows split as in `projectionBF16`.
    static func projectionBF16GELU(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packedB: UnsafePointer<UInt32>,
        bias: UnsafePointer<Float>?, pairs: UnsafeMutablePointer<UInt32>, ldp: Int, dot: BF16Dot = .fastest
    ) {
        precondition(fusesGELU(n: n, k: k), "the fused bf16 GELU product does not run here for N \(n), K \(k)")
        let operands = BF16PairOperands(a: a, pairs: pairs, packedB: packedB, bias: bias, c: nil)
        forEachRowBlock(m: m) { first, rows in
            let status = hs_bf16_gemm_gelu(Int32(rows), Int32(n), Int32(k), operands.a! + first * lda, Int32(lda),
                                           operands.packedB, operands.bias, operands.pairs! + first * ldp, Int32(ldp), dot.rawValue)
            precondition(status == 0, "the bf16 projection kernel could not allocate its buffer for A")
        }
    }

    /// `projectionBF16` with A already as bf16 pairs (`projectionBF16GELU`'s output, row stride `ldp`
    /// pairs), then C += `residual` as `projectionBF16Adding` adds it: the same bits. Needs the
    /// AVX512-BF16 kernel (as `projectionBF16GELU` does).
    static func projectionBF16(
        m: Int, n: Int, k: Int, pairs: UnsafePointer<UInt32>, ldp: Int, packedB: UnsafePointer<UInt32>,
        bias: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>, ldc: Int, residual: UnsafePointer<Float>? = nil,
        dot: BF16Dot = .fastest
    ) {
        let operands = BF16PairOperands(a: nil, pairs: UnsafeMutablePointer(mutating: pairs), packedB: packedB, bias: bias, c: c,
                                        residual: residual)
        forEachRowBlock(m: m) { first, rows in
            let status = hs_bf16_gemm_pairs(Int32(rows), Int32(n), Int32(k), operands.pairs! + first * ldp, Int32(ldp),
                                            operands.packedB, operands.bias, operands.c! + first * ldc, Int32(ldc),
                                            operands.residual.map { $0 + first * n }, Int32(n), dot.rawValue)
            precondition(status == 0, "the bf16 projection kernel does not run here, or could not allocate its buffer for A")
        }
    }

    /// Whether `projectionBF16Adding` runs here (the AVX512-BF16 kernel, not forced off).
    static let hasBF16Kernel = hs_bf16_kernel_available() != 0

    /// C: (M, N) = bf16(A) · B + bias + residual, residual: (M, N) row-major: the bits of
    /// `projectionBF16` followed by C += residual, the sum made as C's last block is stored (no
    /// second pass over C: the encoder's residual connections). Needs `hasBF16Kernel`.
    static func projectionBF16Adding(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packedB: UnsafePointer<UInt32>,
        bias: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>, ldc: Int, residual: UnsafePointer<Float>,
        dot: BF16Dot = .fastest
    ) {
        let operands = BF16PairOperands(a: a, pairs: nil, packedB: packedB, bias: bias, c: c,
                                        residual: residual)
        forEachRowBlock(m: m) { first, rows in
            let status = hs_bf16_gemm_add(Int32(rows), Int32(n), Int32(k), operands.a! + first * lda, Int32(lda), operands.packedB,
                                          operands.bias, operands.c! + first * ldc, Int32(ldc), operands.residual! + first * n, Int32(n),
                                          dot.rawValue)
            precondition(status == 0, "the bf16 projection kernel does not run here, or could not allocate its buffer for A")
        }
    }

    /// Which loop runs an int8 product: `.fastest` the AVX512-VNNI kernel where it runs, else the
    /// portable loop; the others for tests (the same bits).
    public enum Int8Path: Int32, Sendable, CaseIterable {
        case fastest = 0, vnni = 1, portable = 2
        public var isAvailable: Bool { hs_i8_path_available(rawValue) != 0 }
    }

    /// Whether int8 products run the AVX512-VNNI kernel here (not forced off).
    public static let hasInt8Kernel = hs_i8_kernel_available() != 0

    /// C: (M, N) = A · B + bias (+ residual: (M, N) row-major), with B a weight quantised to int8
    /// and packed by `PackedWeights.packedInt8`, each row of A quantised to int8 by its own scale
    /// as the product starts (`hs_i8_gemm`): integer sums, exact, so every path and thread split
    /// gives the same bits. Inference only. Rows split as in `projectionBF16`.
    /// - Parameter outliers: the channels of each row of A with the largest magnitudes left out of
    ///   its bytes and added in fp32 (0 to 8; B packed with its columns).
    static func projectionInt8(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packedB: UnsafeRawPointer, outliers: Int = 0,
        bias: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>, ldc: Int, residual: UnsafePointer<Float>? = nil,
        path: Int8Path = .fastest
    ) {
        precondition(path.isAvailable, "this processor cannot run the int8 path \(path)")
        let operands = Int8Operands(a: a, packedB: packedB, bias: bias, c: c, residual: residual)
        forEachRowBlock(m: m) { first, rows in
            let status = hs_i8_gemm(Int32(rows), Int32(n), Int32(k), operands.a + first * lda, Int32(lda), operands.packedB,
                                    Int32(outliers), operands.bias, operands.residual.map { $0 + first * n }, Int32(n),
                                    operands.c + first * ldc, Int32(ldc), path.rawValue)
            precondition(status == 0, "the int8 projection kernel could not allocate its buffer for A")
        }
    }

    /// Up to 4 int8 products of the same A (the encoder's q, k and v): A quantised, and its outliers
    /// chosen, once for all (`hs_i8_gemm_shared`); product e: C_e (M, N_e) = A · B_e + bias_e. The
    /// bits of one `projectionInt8` each. Rows split as in `projectionBF16`.
    static func projectionInt8(
        m: Int, k: Int, a: UnsafePointer<Float>, lda: Int, outliers: Int = 0,
        products: [(n: Int, packedB: UnsafeRawPointer, bias: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>, ldc: Int)],
        path: Int8Path = .fastest
    ) {
        precondition(path.isAvailable, "this processor cannot run the int8 path \(path)")
        precondition((1...4).contains(products.count), "1 to 4 products share an A")
        let operands = Int8SharedOperands(a: a, n: products.map { Int32($0.n) }, packedB: products.map { Optional($0.packedB) },
                                          bias: products.map(\.bias), c: products.map { Optional($0.c) }, ldc: products.map(\.ldc))
        forEachRowBlock(m: m) { first, rows in
            let c = zip(operands.c, operands.ldc).map { Optional($0! + first * $1) }
            let ldc = operands.ldc.map { Int32($0) }
            // (The arrays are passed as C pointers, valid for the call.)
            let status = hs_i8_gemm_shared(Int32(rows), Int32(k), operands.a + first * lda, Int32(lda), Int32(outliers),
                                           Int32(operands.n.count), operands.n, operands.packedB, operands.bias, c, ldc, path.rawValue)
            precondition(status == 0, "the int8 projection kernel could not allocate its buffer for A")
        }
    }

    /// Whether `narrow` runs here for `count` columns and K = `k` (the AVX-512 kernel, count <= 16, K <= 384).
    static func hasNarrowKernel(count: Int, k: Int) -> Bool { hasProjectionKernel && count >= 1 && count <= 16 && k <= 384 }

    /// H: (M, count) = X: (M, K) · B^T, row j of B (K floats) at `bRows[j]`, column j of H at
    /// `hColumns[j]` (row stride `ldh`): the LoRA adapters' x A^T for the query and the value at
    /// once (`hs_sgemm_narrow`), the bits of `projection` with a quarter of its FMAs. Needs
    /// `hasNarrowKernel(count:k:)`. Rows split as in `projectionBF16`.
    static func narrow(m: Int, k: Int, x: UnsafePointer<Float>, ldx: Int, bRows: [UnsafePointer<Float>],
                       hColumns: [UnsafeMutablePointer<Float>], ldh: Int) {
        precondition(bRows.count == hColumns.count && hasNarrowKernel(count: bRows.count, k: k), "no narrow kernel for this product")
        let operands = NarrowOperands(x: x, bRows: bRows.map { Optional($0) }, hColumns: hColumns)
        forEachRowBlock(m: m) { first, rows in
            let columns = operands.hColumns.map { Optional($0 + first * ldh) }
            let status = operands.bRows.withUnsafeBufferPointer { bRows in
                columns.withUnsafeBufferPointer { columns in
                    hs_sgemm_narrow(Int32(rows), Int32(k), operands.x + first * ldx, Int32(ldx), Int32(bRows.count),
                                    bRows.baseAddress!, columns.baseAddress!, Int32(ldh))
                }
            }
            precondition(status == 0, "the narrow product kernel could not allocate its scratch")
        }
    }

    /// Runs `body(first row, rows)` over row blocks of whole 12-row tiles on `BLAS.threadCount`
    /// threads, as `projectionBF16` splits its rows.
    private static func forEachRowBlock(m: Int, _ body: @escaping @Sendable (Int, Int) -> Void) {
        let threads = max(1, min(BLAS.threadCount, m / 48))
        let blocks = threads == 1 ? 1 : max(threads, min(m / 384, 4 * threads))
        let rowsPerBlock = ((m + blocks - 1) / blocks + 11) / 12 * 12
        let run: @Sendable (Int) -> Void = { block in
            let first = block * rowsPerBlock, rows = min(m, first + rowsPerBlock) - first
            if rows > 0 { body(first, rows) }
        }
        if blocks == 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: blocks, execute: run) }
    }

    /// A small product on the calling thread alone (attention's per-head products, run inside
    /// threads of their own): the AVX-512 kernel where available, else OpenBLAS.
    @inline(__always)
    static func small(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if hasProjectionKernel {
            let status = hs_sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha,
                                  a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
            precondition(status == 0, "the projection kernel could not allocate its packing buffers (about 1 MiB)")
        } else {
            blas(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                 b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    /// Whether `projection` runs the AVX-512 kernel on this processor.
    static let hasProjectionKernel = hs_sgemm_available() != 0

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

/// Operands of one product, shared by the threads that compute disjoint row blocks of C.
/// @unchecked: A and B are only read; each thread writes its own rows of C.
private struct ProductOperands: @unchecked Sendable {
    let a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?
    let packedB: UnsafePointer<Float>?
    var activated: UnsafeMutablePointer<Float>? = nil, preActivation: UnsafePointer<Float>? = nil, ldGELU = 0, slope = false
}

/// The operands of one `GEMM.projectionBF16`. @unchecked: as `ProductOperands`.
private struct NarrowOperands: @unchecked Sendable {
    let x: UnsafePointer<Float>, bRows: [UnsafePointer<Float>?], hColumns: [UnsafeMutablePointer<Float>]
}

private struct BF16PairOperands: @unchecked Sendable {
    let a: UnsafePointer<Float>?, pairs: UnsafeMutablePointer<UInt32>?, packedB: UnsafePointer<UInt32>
    let bias: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>?
    var residual: UnsafePointer<Float>? = nil
}

private struct Int8SharedOperands: @unchecked Sendable {
    let a: UnsafePointer<Float>, n: [Int32], packedB: [UnsafeRawPointer?], bias: [UnsafePointer<Float>?]
    let c: [UnsafeMutablePointer<Float>?], ldc: [Int]
}

private struct Int8Operands: @unchecked Sendable {
    let a: UnsafePointer<Float>, packedB: UnsafeRawPointer, bias: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>
    let residual: UnsafePointer<Float>?
}

private struct BF16Operands: @unchecked Sendable {
    let a: UnsafePointer<Float>, packedB: UnsafePointer<UInt32>, c: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?
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

    /// The kernels a product can run on: OpenBLAS's sgemm, or the one the encoder's projections use
    /// (AVX-512 where the processor has it, else OpenBLAS).
    package enum Kernel: Sendable { case openBLAS, projection }

    /// The inner kernel of the AVX512-BF16 products (`projectionBF16GELU`, `projectionBF16(pairs:)`,
    /// `projectionBF16Adding`, and `projectionBF16` by `.fastest`): the same bits either way.
    package enum BF16Dot: Int32, CaseIterable, Sendable {
        /// The faster here (`hs_bf16_dot_here`: timed at first use).
        case fastest = 0
        /// `vdpbf16ps`.
        case native = 1
        /// Its emulation with AVX-512F FMAs: faster where the instruction is slow (Intel's Emerald
        /// Rapids runs it at about 0.6 times the emulation's rate).
        case emulated = 2

        /// The kernel `.fastest` runs here, or nil without AVX512-BF16.
        package static var here: BF16Dot? { BF16Dot(rawValue: hs_bf16_dot_here()).flatMap { $0 == .fastest ? nil : $0 } }
    }

    /// The inner kernel of the voice scorer's bf16 products here: "vdpbf16ps", "emulated" (AVX-512F
    /// FMAs, where vdpbf16ps is slower) or "none" (no AVX512-BF16: hs_bf16_gemm's other paths).
    public static var bf16Dot: String { BF16Dot.here.map { $0 == .native ? "vdpbf16ps" : "emulated" } ?? "none" }

    /// A product `c = bf16(a) · bf16(b) + residual` with `b` (K, N) row-major packed once, as the
    /// encoder packs its weights, run by the AVX512-BF16 product with a residual
    /// (`GEMM.projectionBF16Adding`, the encoder's residual connections) by either inner kernel:
    /// what `housestyle-bench peak` times. Needs AVX512-BF16.
    package final class BF16Product {
        private let packs: PackedWeights  // owns `packed`
        private let packed: UnsafePointer<UInt32>
        private let n: Int, k: Int

        package init(_ b: [Float], k: Int, n: Int) {
            precondition(b.count == k * n, "shapes do not match")
            precondition(GEMM.hasBF16Kernel, "the AVX512-BF16 product does not run here")
            let packs = PackedWeights()
            (self.packs, self.n, self.k) = (packs, n, k)
            packed = b.withUnsafeBufferPointer { packs.packedBF16($0.baseAddress!, transpose: false, n: n, k: k, ldb: n) }
        }

        /// `a` (M, K) and `residual` (M, N) row-major; `c` is resized to M * N.
        package func multiply(_ a: [Float], adding residual: [Float], m: Int, into c: inout [Float], dot: BF16Dot) {
            precondition(a.count == m * k && residual.count == m * n, "shapes do not match")
            if c.count != m * n { c = [Float](repeating: 0, count: m * n) }
            c.withUnsafeMutableBufferPointer { c in
                GEMM.projectionBF16Adding(m: m, n: n, k: k, a: a, lda: k, packedB: packed, bias: nil, c: c.baseAddress!, ldc: n,
                                          residual: residual, dot: dot)
            }
        }
    }

    /// An int8 product whose weight (N, K), the products' B transposed, is quantised and packed
    /// once, for benchmarks (`housestyle-bench peak`): the encoder's int8 products, timed alone.
    package final class Int8Product {
        private let packs: PackedWeights  // owns `packed`
        private let packed: UnsafeRawPointer
        private let n: Int, k: Int, outliers: Int

        package init(weight: [Float], n: Int, k: Int, outliers: Int = 0) {
            precondition(weight.count == n * k, "shapes do not match")
            let packs = PackedWeights()
            (self.packs, self.n, self.k, self.outliers) = (packs, n, k, outliers)
            packed = weight.withUnsafeBufferPointer { packs.packedInt8($0.baseAddress!, n: n, k: k, ldb: k, columns: outliers > 0) }
        }

        /// `a` (M, K) and `residual` (M, N) row-major; `c` is resized to M * N.
        package func multiply(_ a: [Float], adding residual: [Float], m: Int, into c: inout [Float]) {
            precondition(a.count == m * k && residual.count == m * n, "shapes do not match")
            if c.count != m * n { c = [Float](repeating: 0, count: m * n) }
            c.withUnsafeMutableBufferPointer { c in
                GEMM.projectionInt8(m: m, n: n, k: k, a: a, lda: k, packedB: packed, outliers: outliers, bias: nil,
                                    c: c.baseAddress!, ldc: n, residual: residual)
            }
        }
    }

    /// The int8 kernel this processor runs: "AVX512-VNNI" or "portable".
    public static var int8Kernel: String { GEMM.hasInt8Kernel ? "AVX512-VNNI" : "portable" }

    /// The projection kernel this processor runs: "AVX-512" or "OpenBLAS".
    public static var projectionKernel: String { GEMM.hasProjectionKernel ? "AVX-512" : "OpenBLAS" }

    /// The kernels GELU and softmax run on: "AVX-512", "AVX2" (with FMA) or "portable" (Swift loops).
    public static var elementwiseKernel: String { ["portable", "AVX2", "AVX-512"][Int(hs_elementwise_level())] }

    /// `c = a * b` for row-major `a` (M, K) and `b` (K, N); `c` is resized to M * N.
    package static func multiply(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, into c: inout [Float],
                                 kernel: Kernel = .openBLAS) {
        precondition(a.count == m * k && b.count == k * n, "shapes do not match")
        if c.count != m * n { c = [Float](repeating: 0, count: m * n) }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    switch kernel {
                    case .openBLAS:
                        GEMM.blas(m: m, n: n, k: k, a: a.baseAddress!, lda: k, b: b.baseAddress!, ldb: n,
                                  beta: 0, c: c.baseAddress!, ldc: n)
                    case .projection:
                        GEMM.projection(m: m, n: n, k: k, a: a.baseAddress!, lda: k, b: b.baseAddress!, ldb: n,
                                        beta: 0, c: c.baseAddress!, ldc: n)
                    }
                }
            }
        }
    }
}
