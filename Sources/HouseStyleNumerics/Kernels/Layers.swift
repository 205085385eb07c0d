internal import CNumericsKernels
import Foundation

// Forward/backward pairs of the encoder's layers, over raw row-major buffers.
//
// Shape letters, used in every comment of this module:
//   B  sentences in a batch            N  tokens in the batch, all sentences packed row after row
//   n  tokens of one sentence          C  hidden width (384)        F  feed-forward width (1536)
//   H  attention heads (12)            D  head width, C / H (32)    r  LoRA rank
//   I, O  input and output width of a linear layer
//
// Sentences are packed without padding: `offsets` (B + 1) gives each sentence's first row, so
// attention and pooling never see a padding token; this is the attention mask applied exactly.
//
// Backward functions ACCUMULATE into their gradient outputs (`+=`): callers zero them first.

enum Layers {
    // MARK: Linear  y = x W^T + b

    /// y: (N, O) = x: (N, I) · W^T, W: (O, I), plus bias: (O).
    /// - Parameters:
    ///   - packs: packs the weight once for all products (training), else it is packed per product.
    ///   - precision: `.bfloat16` runs `GEMM.projectionBF16` on the weight packed as bf16 by `packs`
    ///     (which it then needs); `.int8` `GEMM.projectionInt8` on the weight quantised by `packs`.
    static func linearForward(
        _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, rows: Int, inputs: Int, outputs: Int, packs: PackedWeights? = nil,
        precision: ProjectionPrecision = .float32, outliers: Int = 0
    ) {
        if precision == .int8 {
            guard let packs else { preconditionFailure("int8 projections need the weights packed once") }
            GEMM.projectionInt8(m: rows, n: outputs, k: inputs, a: x, lda: inputs,
                                packedB: packs.packedInt8(weight, n: outputs, k: inputs, ldb: inputs, columns: outliers > 0),
                                outliers: outliers, bias: bias, c: y, ldc: outputs)
            return
        }
        if precision == .bfloat16 {
            guard let packs else { preconditionFailure("bf16 projections need the weights packed once") }
            GEMM.projectionBF16(m: rows, n: outputs, k: inputs, a: x, lda: inputs,
                                packedB: packs.packedBF16(weight, transpose: true, n: outputs, k: inputs, ldb: inputs),
                                bias: bias, c: y, ldc: outputs)
            return
        }
        GEMM.projection(transposeB: true, m: rows, n: outputs, k: inputs, a: x, lda: inputs, b: weight, ldb: inputs,
                        beta: 0, bias: bias, c: y, ldc: outputs,
                        packedB: packs?.packed(weight, transpose: true, n: outputs, k: inputs, ldb: inputs))
    }

    /// y: (N, O) = x W^T + b as `linearForward` (fp32), and activated: (N, O) = GELU(y) as
    /// `geluForward`: in one pass over y where `GEMM.fusesGELUEpilogue` (the same bits).
    /// - Parameter keepsSlope: y = GELU'(x W^T + b) instead, all `linearGELUBackward` (`preIsSlope`)
    ///   reads of it, computed beside GELU from one normal CDF (training); needs `GEMM.fusesGELUEpilogue`.
    static func linearGELUForward(
        _ y: UnsafeMutablePointer<Float>, activated: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, rows: Int, inputs: Int, outputs: Int,
        packs: PackedWeights? = nil, keepsSlope: Bool = false
    ) {
        precondition(!keepsSlope || GEMM.fusesGELUEpilogue, "GELU's slope is kept by the fused epilogue only")
        guard GEMM.fusesGELUEpilogue else {
            linearForward(y, x, weight: weight, bias: bias, rows: rows, inputs: inputs, outputs: outputs, packs: packs)
            geluForward(activated, y, count: rows * outputs)
            return
        }
        GEMM.projection(transposeB: true, m: rows, n: outputs, k: inputs, a: x, lda: inputs, b: weight, ldb: inputs,
                        beta: 0, bias: bias, c: y, ldc: outputs,
                        packedB: packs?.packed(weight, transpose: true, n: outputs, k: inputs, ldb: inputs),
                        gelu: .forward(activated: activated, ld: outputs, keepsSlope: keepsSlope))
    }

    /// Back through activated = GELU(pre) then y = activated W^T + b, to dPre: (N, I) = (dy · W) ⊙
    /// GELU'(pre): `linearBackward` (dx only, overwritten) into `dActivated` (N, I), then
    /// `geluBackward` (not accumulating). Where `GEMM.fusesGELUEpilogue`, in one pass over dPre
    /// without `dActivated` (then not written): the same bits.
    /// - Parameter preIsSlope: `pre` holds GELU'(pre) (`linearGELUForward` with `keepsSlope`);
    ///   needs `GEMM.fusesGELUEpilogue`.
    static func linearGELUBackward(
        dPre: UnsafeMutablePointer<Float>, dActivated: UnsafeMutablePointer<Float>, dy: UnsafePointer<Float>,
        pre: UnsafePointer<Float>, weight: UnsafePointer<Float>, rows: Int, inputs: Int, outputs: Int,
        packs: PackedWeights? = nil, preIsSlope: Bool = false
    ) {
        precondition(!preIsSlope || GEMM.fusesGELUEpilogue, "GELU's slope is kept by the fused epilogue only")
        guard GEMM.fusesGELUEpilogue else {
            // (`x` serves the weight's gradient only, which is not asked for here.)
            linearBackward(dx: dActivated, dWeight: nil, dBias: nil, dy: dy, x: pre, weight: weight, rows: rows,
                           inputs: inputs, outputs: outputs, accumulateInput: false, packs: packs)
            geluBackward(dx: dPre, dy: dActivated, x: pre, count: rows * inputs, accumulate: false)
            return
        }
        GEMM.projection(m: rows, n: inputs, k: outputs, a: dy, lda: outputs, b: weight, ldb: inputs, beta: 0, c: dPre,
                        ldc: inputs, packedB: packs?.packed(weight, transpose: false, n: inputs, k: outputs, ldb: inputs),
                        gelu: .backward(preActivation: pre, ld: inputs, isSlope: preIsSlope))
    }

    /// dx: (N, I) += dy · W;  dW: (O, I) += dy^T · x;  db: (O) += column sums of dy.
    /// - Parameter accumulateInput: false to overwrite dx instead (saves zeroing it first).
    static func linearBackward(
        dx: UnsafeMutablePointer<Float>?, dWeight: UnsafeMutablePointer<Float>?, dBias: UnsafeMutablePointer<Float>?,
        dy: UnsafePointer<Float>, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        rows: Int, inputs: Int, outputs: Int, accumulateInput: Bool = true, packs: PackedWeights? = nil
    ) {
        if let dx {
            GEMM.projection(m: rows, n: inputs, k: outputs, a: dy, lda: outputs, b: weight, ldb: inputs,
                            beta: accumulateInput ? 1 : 0, c: dx, ldc: inputs,
                            packedB: packs?.packed(weight, transpose: false, n: inputs, k: outputs, ldb: inputs))
        }
        if let dWeight {
            GEMM.projection(transposeA: true, m: outputs, n: inputs, k: rows, a: dy, lda: outputs, b: x, ldb: inputs,
                            beta: 1, c: dWeight, ldc: inputs)
        }
        if let dBias {
            for row in 0..<rows {
                let g = dy + row * outputs
                for o in 0..<outputs { dBias[o] += g[o] }
            }
        }
    }

    // MARK: LoRA  y += s · (x A^T) B^T
    //
    // On the projection kernel too, although rank-r products use it poorly: OpenBLAS's idle worker
    // threads spin after each call and would take the second core from the next projections.

    /// h: (N, r) = x: (N, I) · A^T, A: (r, I);  y: (N, O) += scale · h · B^T, B: (O, r).
    static func loraForward(
        _ y: UnsafeMutablePointer<Float>, hidden h: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, scale: Float, rows: Int, inputs: Int, outputs: Int, rank: Int
    ) {
        GEMM.projection(transposeB: true, m: rows, n: rank, k: inputs, a: x, lda: inputs, b: a, ldb: inputs, beta: 0, c: h, ldc: rank)
        GEMM.projection(transposeB: true, m: rows, n: outputs, k: rank, alpha: scale, a: h, lda: rank, b: b, ldb: rank,
                  beta: 1, c: y, ldc: outputs)
    }

    /// `loraForward` of the query and the value adapters of one layer (same input x): their x A^T
    /// in one narrow product where the kernel runs (`GEMM.narrow`, 2r <= 16 columns), then each
    /// y += s · h B^T. The same bits as the two `loraForward` calls.
    static func loraForwardQueryValue(
        query yq: UnsafeMutablePointer<Float>, queryHidden hq: UnsafeMutablePointer<Float>,
        value yv: UnsafeMutablePointer<Float>, valueHidden hv: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>,
        queryA: UnsafePointer<Float>, queryB: UnsafePointer<Float>, valueA: UnsafePointer<Float>, valueB: UnsafePointer<Float>,
        scale: Float, rows: Int, inputs: Int, outputs: Int, rank: Int
    ) {
        guard GEMM.hasNarrowKernel(count: 2 * rank, k: inputs) else {
            loraForward(yq, hidden: hq, x, a: queryA, b: queryB, scale: scale, rows: rows, inputs: inputs, outputs: outputs, rank: rank)
            loraForward(yv, hidden: hv, x, a: valueA, b: valueB, scale: scale, rows: rows, inputs: inputs, outputs: outputs, rank: rank)
            return
        }
        // h: (N, r) for each adapter; column j of h is row j of A times x.
        GEMM.narrow(m: rows, k: inputs, x: x, ldx: inputs,
                    bRows: (0..<rank).map { queryA + $0 * inputs } + (0..<rank).map { valueA + $0 * inputs },
                    hColumns: (0..<rank).map { hq + $0 } + (0..<rank).map { hv + $0 }, ldh: rank)
        for (y, h, b) in [(yq, hq, queryB), (yv, hv, valueB)] {
            GEMM.projection(transposeB: true, m: rows, n: outputs, k: rank, alpha: scale, a: h, lda: rank, b: b, ldb: rank,
                            beta: 1, c: y, ldc: outputs)
        }
    }

    /// dB: (O, r) += s · dy^T h;  dh: (N, r) = s · dy B (scratch);  dA: (r, I) += dh^T x;  dx: (N, I) += dh A.
    static func loraBackward(
        dx: UnsafeMutablePointer<Float>?, dA: UnsafeMutablePointer<Float>, dB: UnsafeMutablePointer<Float>,
        dHidden dh: UnsafeMutablePointer<Float>, dy: UnsafePointer<Float>, x: UnsafePointer<Float>,
        hidden h: UnsafePointer<Float>, a: UnsafePointer<Float>, b: UnsafePointer<Float>, scale: Float,
        rows: Int, inputs: Int, outputs: Int, rank: Int
    ) {
        GEMM.projection(transposeA: true, m: outputs, n: rank, k: rows, alpha: scale, a: dy, lda: outputs, b: h, ldb: rank,
                  beta: 1, c: dB, ldc: rank)
        GEMM.projection(m: rows, n: rank, k: outputs, alpha: scale, a: dy, lda: outputs, b: b, ldb: rank, beta: 0, c: dh, ldc: rank)
        GEMM.projection(transposeA: true, m: rank, n: inputs, k: rows, a: dh, lda: rank, b: x, ldb: inputs, beta: 1, c: dA, ldc: inputs)
        if let dx {
            GEMM.projection(m: rows, n: inputs, k: rank, a: dh, lda: rank, b: a, ldb: inputs, beta: 1, c: dx, ldc: inputs)
        }
    }

    // MARK: LayerNorm over the last axis

    /// y: (N, C) = (x - mean) · rstd · gamma + beta; keeps mean, rstd: (N) for the backward pass.
    static func layerNormForward(
        _ y: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
        _ x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
        rows: Int, width: Int, epsilon: Float
    ) {
        parallelRows(rows, work: rows * width * 4) { range in
            let first = range.lowerBound * width
            if hs_layer_norm_rows(y + first, mean + range.lowerBound, rstd + range.lowerBound, x + first, gamma, beta,
                                  range.count, width, epsilon) != 0 {
                layerNormForwardReference(y, mean: mean, rstd: rstd, x, gamma: gamma, beta: beta, rows: range, width: width,
                                          epsilon: epsilon)
            }
        }
    }

    /// The portable loop `layerNormForward` runs without AVX-512 (tests compare the two).
    static func layerNormForwardReference(
        _ y: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
        _ x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
        rows: Range<Int>, width: Int, epsilon: Float
    ) {
        for row in rows {
            let xr = x + row * width, yr = y + row * width
            var sum: Float = 0
            for i in 0..<width { sum += xr[i] }
            let m = sum / Float(width)
            var squares: Float = 0
            for i in 0..<width { let d = xr[i] - m; squares += d * d }
            let s = 1 / (squares / Float(width) + epsilon).squareRoot()
            for i in 0..<width { yr[i] = (xr[i] - m) * s * gamma[i] + beta[i] }
            mean[row] = m
            rstd[row] = s
        }
    }

    /// dx: (N, C) += LayerNorm backward; dGamma, dBeta: (C) += when given.
    static func layerNormBackward(
        dx: UnsafeMutablePointer<Float>, dGamma: UnsafeMutablePointer<Float>?, dBeta: UnsafeMutablePointer<Float>?,
        dy: UnsafePointer<Float>, x: UnsafePointer<Float>, mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
        gamma: UnsafePointer<Float>, rows: Int, width: Int
    ) {
        let parameterGradients = dGamma != nil || dBeta != nil
        // Parameter gradients are sums over rows: run serially then, to keep them deterministic.
        parallelRows(rows, work: parameterGradients ? 0 : rows * width * 6) { range in
            for row in range {
                let xr = x + row * width, dyr = dy + row * width, dxr = dx + row * width
                let m = mean[row], s = rstd[row]
                var meanG: Float = 0, meanGX: Float = 0
                for i in 0..<width {
                    let g = dyr[i] * gamma[i]
                    meanG += g
                    meanGX += g * (xr[i] - m) * s
                }
                meanG /= Float(width)
                meanGX /= Float(width)
                for i in 0..<width {
                    let xhat = (xr[i] - m) * s
                    dxr[i] += (dyr[i] * gamma[i] - meanG - xhat * meanGX) * s
                    dGamma?[i] += dyr[i] * xhat
                    dBeta?[i] += dyr[i]
                }
            }
        }
    }

    // MARK: GELU (exact, with erf)

    /// The C kernels for GELU and softmax run here (AVX-512, or AVX2 with FMA); else the Swift loops.
    static let hasVectorKernels = hs_elementwise_level() > 0

    /// y = x · Φ(x) = 0.5 x (1 + erf(x / √2)), elementwise over `count` values.
    static func geluForward(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count: Int) {
        parallelRows(count, work: count * 10) { range in
            if hasVectorKernels {
                hs_gelu_forward(y + range.lowerBound, x + range.lowerBound, range.count)
            } else {
                geluForwardReference(y, x, range)
            }
        }
    }

    /// The portable loop `geluForward` runs without AVX-512 or AVX2 (tests compare the two).
    static func geluForwardReference(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ range: Range<Int>) {
        for i in range { y[i] = x[i] * VectorMath.normalCDF(x[i]) }
    }

    /// dx += dy · (Φ(x) + x φ(x)), or dx = ... when not `accumulate` (saves zeroing dx first).
    static func geluBackward(dx: UnsafeMutablePointer<Float>, dy: UnsafePointer<Float>, x: UnsafePointer<Float>, count: Int,
                             accumulate: Bool = true) {
        parallelRows(count, work: count * 15) { range in
            if hasVectorKernels {
                hs_gelu_backward(dx + range.lowerBound, dy + range.lowerBound, x + range.lowerBound, range.count,
                                 accumulate ? 1 : 0)
            } else {
                if !accumulate { (dx + range.lowerBound).update(repeating: 0, count: range.count) }
                geluBackwardReference(dx: dx, dy: dy, x: x, range)
            }
        }
    }

    /// The portable loop `geluBackward` runs without AVX-512 or AVX2.
    static func geluBackwardReference(dx: UnsafeMutablePointer<Float>, dy: UnsafePointer<Float>, x: UnsafePointer<Float>,
                                      _ range: Range<Int>) {
        let inverseSqrtTwoPi = Float(1 / (2 * Double.pi).squareRoot())
        for i in range {
            let v = x[i]
            dx[i] += dy[i] * (VectorMath.normalCDF(v) + v * VectorMath.exp(-0.5 * v * v) * inverseSqrtTwoPi)
        }
    }

    // MARK: Multi-head self-attention (softmax(q k^T / √D) v per sentence and head)

    /// Floats of attention probabilities for sentences `offsets`: H · n² each.
    static func attentionSize(offsets: [Int], heads: Int) -> Int {
        zip(offsets, offsets.dropFirst()).reduce(0) { $0 + heads * ($1.1 - $1.0) * ($1.1 - $1.0) }
    }

    /// Whether attention runs fused (`hs_attention_forward`/`backward`: AVX-512, heads 32 wide);
    /// else per head on `GEMM.small` and the softmax loops (OpenBLAS on the portable path).
    static func hasFusedAttention(heads: Int, width: Int) -> Bool {
        hs_attention_available(Int32(width / heads), Int32(width)) != 0
    }

    /// ctx: (N, C) from q, k, v: (N, C) with head h in columns h·D..<(h+1)·D;
    /// probs: per sentence (H, n, n), kept for the backward pass.
    /// - Parameter fused: false runs the per-head products even where the fused kernel runs (tests
    ///   compare the two: the fused forward pass is bit-identical).
    static func attentionForward(
        context: UnsafeMutablePointer<Float>, probabilities: UnsafeMutablePointer<Float>,
        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
        offsets: [Int], heads: Int, width: Int, fused: Bool = true
    ) {
        let headWidth = width / heads
        let scale = 1 / Float(headWidth).squareRoot()
        let probabilityOffsets = attentionOffsets(offsets: offsets, heads: heads)
        let fused = fused && hasFusedAttention(heads: heads, width: width)
        parallelSentences(offsets: offsets, slots: Int.max) { sentences, _ in
            for s in sentences {
                let start = offsets[s], n = offsets[s + 1] - offsets[s]
                if fused {
                    let row = start * width
                    let status = hs_attention_forward(Int32(n), Int32(heads), Int32(headWidth), Int32(width), scale,
                                                      q + row, k + row, v + row, probabilities + probabilityOffsets[s],
                                                      context + row)
                    precondition(status == 0, "the attention kernel could not allocate its scratch (width · n floats)")
                    continue
                }
                for h in 0..<heads {
                    let p = probabilities + probabilityOffsets[s] + h * n * n
                    let column = start * width + h * headWidth
                    // p: (n, n) = scale · q_h k_h^T
                    GEMM.small(transposeB: true, m: n, n: n, k: headWidth, alpha: scale, a: q + column, lda: width,
                              b: k + column, ldb: width, beta: 0, c: p, ldc: n)
                    softmaxRows(p, rows: n, width: n)
                    // ctx_h: (n, D) = p v_h
                    GEMM.small(m: n, n: headWidth, k: n, a: p, lda: n, b: v + column, ldb: width,
                              beta: 0, c: context + column, ldc: width)
                }
            }
        }
    }

    /// dq, dk, dv: (N, C) += gradients from dContext: (N, C); dk nil: not computed (the lowest
    /// trained layer, whose input gradient nothing reads). `scratch` holds `scratchSlots` blocks of
    /// n² floats for the longest sentence (one per thread).
    /// - Parameter fused: as for `attentionForward` (the fused backward pass sums the softmax
    ///   backward's rows 16 wide, so it agrees with the per-head one to rounding, not bit for bit).
    static func attentionBackward(
        dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>?, dv: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<Float>, scratchSlots: Int = 1, dContext: UnsafePointer<Float>,
        probabilities: UnsafePointer<Float>,
        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
        offsets: [Int], heads: Int, width: Int, fused: Bool = true
    ) {
        let headWidth = width / heads
        let scale = 1 / Float(headWidth).squareRoot()
        let probabilityOffsets = attentionOffsets(offsets: offsets, heads: heads)
        let longest = zip(offsets, offsets.dropFirst()).map { $1 - $0 }.max() ?? 0
        let fused = fused && hasFusedAttention(heads: heads, width: width)
        parallelSentences(offsets: offsets, slots: scratchSlots) { sentences, slot in
            let dp = scratch + slot * longest * longest
            for s in sentences {
                let start = offsets[s], n = offsets[s + 1] - offsets[s]
                if fused {
                    let row = start * width
                    let status = hs_attention_backward(Int32(n), Int32(heads), Int32(headWidth), Int32(width), scale,
                                                       dContext + row, probabilities + probabilityOffsets[s],
                                                       q + row, k + row, v + row, dq + row, dk.map { $0 + row }, dv + row, dp)
                    precondition(status == 0, "the attention kernel could not allocate its scratch (width · n floats)")
                    continue
                }
                for h in 0..<heads {
                    let p = probabilities + probabilityOffsets[s] + h * n * n
                    let column = start * width + h * headWidth
                    // dp: (n, n) = dctx_h v_h^T;  dv_h += p^T dctx_h
                    GEMM.small(transposeB: true, m: n, n: n, k: headWidth, a: dContext + column, lda: width,
                              b: v + column, ldb: width, beta: 0, c: dp, ldc: n)
                    GEMM.small(transposeA: true, m: n, n: headWidth, k: n, a: p, lda: n, b: dContext + column, ldb: width,
                              beta: 1, c: dv + column, ldc: width)
                    // softmax backward in place: ds = p ⊙ (dp - Σ_j p dp)
                    for i in 0..<n {
                        let pr = p + i * n, dr = dp + i * n
                        var dot: Float = 0
                        for j in 0..<n { dot += pr[j] * dr[j] }
                        for j in 0..<n { dr[j] = pr[j] * (dr[j] - dot) }
                    }
                    // dq_h += scale · ds k_h;  dk_h += scale · ds^T q_h
                    GEMM.small(m: n, n: headWidth, k: n, alpha: scale, a: dp, lda: n, b: k + column, ldb: width,
                              beta: 1, c: dq + column, ldc: width)
                    if let dk {
                        GEMM.small(transposeA: true, m: n, n: headWidth, k: n, alpha: scale, a: dp, lda: n, b: q + column,
                                   ldb: width, beta: 1, c: dk + column, ldc: width)
                    }
                }
            }
        }
    }

    /// Start of each sentence's (H, n, n) probabilities.
    static func attentionOffsets(offsets: [Int], heads: Int) -> [Int] {
        var result = [0]
        for (start, end) in zip(offsets, offsets.dropFirst()) { result.append(result.last! + heads * (end - start) * (end - start)) }
        return result
    }

    /// Runs `body` over contiguous ranges of sentences of about equal attention cost (n²), one per
    /// thread (at most `slots`), with OpenBLAS single-threaded inside each so the threads do not
    /// compete. Each range writes only its own sentences' rows.
    ///
    /// OpenBLAS's thread count is process-wide: the lock keeps concurrent callers from restoring
    /// it out of order (which could leave it at 1).
    static func parallelSentences(offsets: [Int], slots: Int, _ body: (Range<Int>, Int) -> Void) {
        let sentences = offsets.count - 1
        blasThreadLock.lock()
        let configured = BLAS.threadCount
        let threads = min(configured, slots, sentences)
        if threads <= 1 {
            blasThreadLock.unlock()
            body(0..<sentences, 0)
            return
        }
        defer { blasThreadLock.unlock() }
        let costs = zip(offsets, offsets.dropFirst()).map { ($1 - $0) * ($1 - $0) }
        let total = costs.reduce(0, +)
        var bounds = [0]
        var running = 0
        for (s, cost) in costs.enumerated() {
            running += cost
            if bounds.count < threads, running * threads >= total * bounds.count, s + 1 < sentences { bounds.append(s + 1) }
        }
        bounds.append(sentences)
        let ranges = zip(bounds, bounds.dropFirst()).map { $0..<$1 }
        BLAS.threadCount = 1
        defer { BLAS.threadCount = configured }
        withoutActuallyEscaping(body) { body in
            let box = SentenceBody(run: body)
            DispatchQueue.concurrentPerform(iterations: ranges.count) { t in box.run(ranges[t], t) }
        }
    }

    private static let blasThreadLock = NSLock()

    /// Numerically stable softmax of each row, in place.
    static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        if hasVectorKernels {
            hs_softmax_rows(x, rows, width)
        } else {
            softmaxRowsReference(x, rows: rows, width: width)
        }
    }

    /// The portable loop `softmaxRows` runs without AVX-512 or AVX2.
    static func softmaxRowsReference(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            let r = x + row * width
            var maximum = -Float.infinity
            for j in 0..<width { maximum = max(maximum, r[j]) }
            for j in 0..<width { r[j] = VectorMath.exp(r[j] - maximum) }
            var sum: Float = 0
            for j in 0..<width { sum += r[j] }
            let inverse = 1 / sum
            for j in 0..<width { r[j] *= inverse }
        }
    }

    // MARK: Mean pooling over each sentence's tokens

    /// pooled: (B, C) = mean of each sentence's rows of x: (N, C).
    static func meanPoolForward(_ pooled: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, offsets: [Int], width: Int) {
        for s in 0..<(offsets.count - 1) {
            let out = pooled + s * width
            out.update(repeating: 0, count: width)
            for row in offsets[s]..<offsets[s + 1] {
                let xr = x + row * width
                for i in 0..<width { out[i] += xr[i] }
            }
            let inverse = 1 / Float(max(offsets[s + 1] - offsets[s], 1))
            for i in 0..<width { out[i] *= inverse }
        }
    }

    /// dx: (N, C) += dPooled: (B, C) / n for each row of its sentence.
    static func meanPoolBackward(dx: UnsafeMutablePointer<Float>, dPooled: UnsafePointer<Float>, offsets: [Int], width: Int) {
        for s in 0..<(offsets.count - 1) {
            let inverse = 1 / Float(max(offsets[s + 1] - offsets[s], 1))
            let g = dPooled + s * width
            for row in offsets[s]..<offsets[s + 1] {
                let dr = dx + row * width
                for i in 0..<width { dr[i] += g[i] * inverse }
            }
        }
    }

    // MARK: L2 normalisation of rows

    /// Norms below this are treated as this, as torch.nn.functional.normalize does.
    static let normEpsilon: Float = 1e-12

    /// y: (B, C) = x / max(‖x‖, ε); norms: (B).
    static func l2NormalizeForward(_ y: UnsafeMutablePointer<Float>, norms: UnsafeMutablePointer<Float>,
                                   _ x: UnsafePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            let xr = x + row * width, yr = y + row * width
            var squares: Float = 0
            for i in 0..<width { squares += xr[i] * xr[i] }
            let norm = max(squares.squareRoot(), normEpsilon)
            for i in 0..<width { yr[i] = xr[i] / norm }
            norms[row] = norm
        }
    }

    /// dx += (dy - y (y · dy)) / ‖x‖ (the clamped region, ‖x‖ ≤ ε, passes dy / ε).
    static func l2NormalizeBackward(dx: UnsafeMutablePointer<Float>, dy: UnsafePointer<Float>, y: UnsafePointer<Float>,
                                    norms: UnsafePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            let yr = y + row * width, dyr = dy + row * width, dxr = dx + row * width
            let clamped = norms[row] <= normEpsilon
            var dot: Float = 0
            if !clamped { for i in 0..<width { dot += yr[i] * dyr[i] } }
            for i in 0..<width { dxr[i] += (dyr[i] - yr[i] * dot) / norms[row] }
        }
    }

    // MARK: Binary cross-entropy on logits

    /// Mean over `count` of BCE(sigmoid(z), y); dz: (count) = (σ(z) - y) / count.
    static func binaryCrossEntropy(logits z: UnsafePointer<Float>, labels: UnsafePointer<Float>,
                                   dLogits: UnsafeMutablePointer<Float>?, count: Int) -> Float {
        var loss = 0.0
        for i in 0..<count {
            let v = Double(z[i]), y = Double(labels[i])
            loss += max(v, 0) - v * y + log1p(exp(-abs(v)))
            dLogits?[i] = Float((1 / (1 + exp(-v)) - y) / Double(count))
        }
        return Float(loss / Double(count))
    }

    // MARK: Threads for elementwise work

    /// Runs `body` over 0..<count split in contiguous chunks, on several threads when `work`
    /// (a rough operation count) is large enough to pay for it. Chunks write disjoint rows.
    @inline(__always)
    static func parallelRows(_ count: Int, work: Int, _ body: (Range<Int>) -> Void) {
        let threads = BLAS.threadCount  // elementwise loops use as many threads as OpenBLAS
        if threads <= 1 || work < 200_000 || count < threads {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            let chunk = (count + threads - 1) / threads
            let box = ChunkBody(run: body)
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                let range = (t * chunk)..<min(count, (t + 1) * chunk)
                if !range.isEmpty { box.run(range) }
            }
        }
    }
}

/// A loop body run on several threads. @unchecked: each chunk writes only its own rows.
private struct ChunkBody: @unchecked Sendable { let run: (Range<Int>) -> Void }
/// The same for ranges of sentences, with the thread's slot.
private struct SentenceBody: @unchecked Sendable { let run: (Range<Int>, Int) -> Void }
