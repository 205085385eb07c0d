import Foundation

/// The pre-trained sentence encoder all-MiniLM-L6-v2 (BERT: 6 layers, 384 wide, 12 heads), run on
/// OpenBLAS: WordPiece tokens -> embeddings -> transformer layers -> mean pooling -> L2 normalisation.
/// Its outputs match sentence-transformers' `encode` within 1e-4.
///
/// The parameters are views into the memory-mapped safetensors file: loading copies nothing.
/// An encoder is immutable and can be shared between threads; each call allocates its own buffers.
public final class MiniLMEncoder: Sendable {
    package let config: MiniLMConfig
    package let tokenizer: WordPieceTokenizer
    public let files: BaseModelFiles
    let weights: MiniLMWeights
    /// Activation memory reused by `embed` and the voice scorer.
    let activationCache = ActivationCache()
    /// The weights packed once for the products of the forward and backward passes (`PackedWeights`).
    let packedWeights = PackedWeights()
    /// The channels of each row kept in fp32 where an int8 product's input is a LayerNorm's output
    /// (q, k, v and the feed-forward's first product): over the reference fixture's sentences the
    /// lowest cosine with sentence-transformers' embeddings was 0.986 with none, 0.990 with q, k
    /// and v in bf16 instead, and 0.995 (mean 0.9987) with 4 (BENCHMARKS, session 58).
    static let int8Outliers = 4
    /// Layer 0's rows of `embed`, at each precision (`Layer0Rows`).
    let layer0FP32: Layer0Rows, layer0BF16: Layer0Rows, layer0Int8: Layer0Rows
    /// Whether a bf16 forward pass runs its feed-forward's first product and GELU fused
    /// (`GEMM.projectionBF16GELU`); `HOUSESTYLE_KERNELS=portable` or another processor: no.
    let fusesGELU: Bool

    /// Opens the model in `directory` (the folder holding model.safetensors, vocab.txt, config.json).
    /// - Throws: `EncoderError` for missing or malformed files.
    public convenience init(directory: String) throws {
        try self.init(files: BaseModelFiles(directory: directory))
    }

    /// Opens the model of `files`; the pinned package's files are checked against its checksums first.
    public init(files: BaseModelFiles) throws {
        try files.verifyPinnedPackage()
        self.files = files
        config = try MiniLMConfig(files: files)
        tokenizer = try WordPieceTokenizer(vocabularyPath: files.vocabularyPath, maximumLength: config.maximumSequenceLength)
        guard tokenizer.tokens.count == config.vocabularySize else {
            throw EncoderError.invalidVocabulary(
                path: files.vocabularyPath,
                reason: "has \(tokenizer.tokens.count) tokens but config.json says vocab_size \(config.vocabularySize)")
        }
        weights = try MiniLMWeights(file: SafeTensorsFile(path: files.weightsPath), config: config)
        fusesGELU = GEMM.fusesGELU(n: config.intermediateSize, k: config.hiddenSize)
        (layer0FP32, layer0BF16, layer0Int8) = (Layer0Rows(width: config.hiddenSize), Layer0Rows(width: config.hiddenSize),
                                                Layer0Rows(width: config.hiddenSize))
    }

    /// Opens the base model found by `locator`.
    public convenience init(locator: BaseModelLocator = BaseModelLocator()) throws {
        try self.init(files: locator.locate())
    }

    /// Width of an embedding (C).
    public var dimension: Int { config.hiddenSize }

    /// Unit-length sentence embeddings, one per sentence, `batchSize` sentences per forward pass.
    /// - Parameter precision: of the projections (`.bfloat16`: about twice as fast, each embedding
    ///   within about 1e-2 of the fp32 one, the same bits on every processor; the meaning guard).
    public func embed(_ sentences: [String], batchSize: Int = 32, precision: ProjectionPrecision = .float32) -> [[Float]] {
        embed(tokenized: sentences.map { tokenizer.encode($0) }, batchSize: batchSize, precision: precision)
    }

    /// Embeddings of already tokenised sentences (each with [CLS] and [SEP]).
    public func embed(tokenized: [[Int32]], batchSize: Int = 32, precision: ProjectionPrecision = .float32) -> [[Float]] {
        precondition(batchSize > 0, "batch size must be positive")
        var result: [[Float]] = []
        result.reserveCapacity(tokenized.count)
        var start = 0
        var memory = activationCache.take()
        defer { if let memory { activationCache.give(memory) } }
        while start < tokenized.count {
            let end = min(start + batchSize, tokenized.count)
            let batch = PackedBatch(Array(tokenized[start..<end]))
            let activations = EncoderActivations(batch: batch, config: config, rank: 0, storesAllLayers: false, reusing: memory)
            memory = activations.storage
            forward(activations, lora: nil, precision: precision,
                    layer0: precision == .bfloat16 ? layer0BF16 : precision == .int8 ? layer0Int8 : layer0FP32)
            for s in 0..<batch.sentenceCount {
                result.append(Array(UnsafeBufferPointer(start: activations.embeddings + s * dimension, count: dimension)))
            }
            start = end
        }
        return result
    }

    /// Cosine similarity of two embeddings from `embed` (unit length, so their dot product), in -1...1.
    public static func similarity(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "embeddings of different widths")
        var dot: Float = 0
        for i in a.indices { dot += a[i] * b[i] }
        return dot
    }

    // MARK: Forward

    /// Runs the encoder over `activations.batch`; leaves the normalised embeddings in
    /// `activations.embeddings` and, when it stores all layers, everything the backward pass needs.
    /// - Parameter precision: of the projections with the pre-trained weights (`.bfloat16` for
    ///   inference only: the backward pass assumes fp32 activations); LoRA products stay fp32.
    /// - Parameter layer0: q, k and v of layer 0 remembered by (token, position) for this model and
    ///   precision (inference only: nothing is kept for a backward pass then).
    func forward(_ activations: EncoderActivations, lora: LoRAPointers?, precision: ProjectionPrecision = .float32,
                 layer0: Layer0Rows? = nil) {
        let batch = activations.batch
        let (n, c, f) = (batch.tokenCount, config.hiddenSize, config.intermediateSize)
        precondition(batch.longest <= config.maximumPositions, "sentence longer than the position table")
        // The backward pass reads GELU's slope where a training forward pass kept it, which only the fp32 product does.
        precondition(!activations.storesAllLayers || precision == .float32, "a training forward pass runs in fp32")

        // Embeddings: x: (N, C) = LayerNorm(word[id] + position[t] + tokenType[0]).
        let x0 = activations.hidden[0]
        let scratch = activations.layers[0].attentionSum  // (N, C), free until layer 0 needs it
        for s in 0..<batch.sentenceCount {
            for row in batch.offsets[s]..<batch.offsets[s + 1] {
                let id = Int(batch.ids[row])
                precondition(id >= 0 && id < config.vocabularySize, "token id \(id) outside the vocabulary")
                let word = weights.wordEmbeddings + id * c
                let position = weights.positionEmbeddings + (row - batch.offsets[s]) * c
                let type = weights.tokenTypeEmbeddings
                let out = scratch + row * c
                for i in 0..<c { out[i] = word[i] + position[i] + type[i] }
            }
        }
        let statistics = activations.layers[0]
        Layers.layerNormForward(x0, mean: statistics.attentionMean, rstd: statistics.attentionRstd, scratch,
                                gamma: weights.embeddingNormGamma, beta: weights.embeddingNormBeta,
                                rows: n, width: c, epsilon: config.layerNormEpsilon)

        // The weights are packed once (`PackedWeights`), for inference as for training: a learned
        // rewrite runs the encoder over short sentences a few dozen at a time, where packing the
        // weights again for every product took 61% of the learned stage's time (perf, Yelp dev).
        let packs = packedWeights
        for l in 0..<config.layerCount {
            let w = weights.layers[l]
            let a = activations.layers[activations.storesAllLayers ? l : 0]  // below firstStoredLayer: one shared set
            let x = UnsafePointer(activations.hidden[l])
            // Self-attention: q, k, v: (N, C) of the rows of x: (rows, C). In int8 their input, a
            // LayerNorm's output, has a few channels far larger than the rest, which one scale per
            // row would quantise the rest poorly around: each row's largest `int8Outliers` stay fp32,
            // chosen, and x quantised, once for the three products.
            func project(_ x: UnsafePointer<Float>, rows: Int, q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>,
                         v: UnsafeMutablePointer<Float>) {
                if precision == .int8 {  // x quantised, and its outliers chosen, once for the three
                    GEMM.projectionInt8(m: rows, k: c, a: x, lda: c, outliers: Self.int8Outliers, products: [
                        (c, packs.packedInt8(w.queryWeight, n: c, k: c, ldb: c, columns: true), w.queryBias, q, c),
                        (c, packs.packedInt8(w.keyWeight, n: c, k: c, ldb: c, columns: true), w.keyBias, k, c),
                        (c, packs.packedInt8(w.valueWeight, n: c, k: c, ldb: c, columns: true), w.valueBias, v, c)])
                } else {
                    Layers.linearForward(q, x, weight: w.queryWeight, bias: w.queryBias, rows: rows, inputs: c, outputs: c,
                                         packs: packs, precision: precision)
                    Layers.linearForward(k, x, weight: w.keyWeight, bias: w.keyBias, rows: rows, inputs: c, outputs: c,
                                         packs: packs, precision: precision)
                    Layers.linearForward(v, x, weight: w.valueWeight, bias: w.valueBias, rows: rows, inputs: c, outputs: c,
                                         packs: packs, precision: precision)
                }
                if let lora {
                    Layers.loraForwardQueryValue(query: q, queryHidden: a.queryLoRA, value: v, valueHidden: a.valueLoRA, x,
                                                 queryA: lora.queryA[l], queryB: lora.queryB[l], valueA: lora.valueA[l],
                                                 valueB: lora.valueB[l], scale: lora.scale, rows: rows, inputs: c, outputs: c,
                                                 rank: lora.rank)
                }
            }
            // Layer 0's input row is a function of the token and its position alone, so sentences
            // that start alike (a sentence and its candidate edits, which the learned stage scores
            // together) share rows, and a document's sentences share many more ("[CLS] the", "i",
            // ". [SEP]"): in inference (nothing kept for a backward pass), q, k and v are computed once
            // per distinct row of a batch, or taken from `layer0` where an earlier batch computed them,
            // and copied (the same bits: each row of a product does not depend on the rows beside it,
            // on the AVX-512 kernels).
            let distinct = l == 0 && !activations.storesAllLayers && GEMM.hasProjectionKernel
                ? Self.distinctRows(of: batch, positions: config.maximumPositions) : nil
            if let distinct, f >= 4 * c, layer0 != nil || distinct.rows.count < n {
                // q, k, v of the distinct rows: (D, C) in buffers that layer 0 fills only later; the
                // rows no earlier batch computed gathered into `intermediate` (N, F = 4C, free too):
                // x, q, k, v: (M, C) each.
                let (qd, kd, vd) = (a.attentionSum, a.normed, a.outputSum)
                let missing = layer0?.copy(distinct.keys, q: qd, k: kd, v: vd) ?? Array(distinct.keys.indices)
                if !missing.isEmpty {
                    let m = missing.count, xm = a.intermediate
                    let (qm, km, vm) = (xm + n * c, xm + 2 * n * c, xm + 3 * n * c)
                    for (i, j) in missing.enumerated() { (xm + i * c).update(from: x + distinct.rows[j] * c, count: c) }
                    project(xm, rows: m, q: qm, k: km, v: vm)
                    for (i, j) in missing.enumerated() {
                        (qd + j * c).update(from: qm + i * c, count: c)
                        (kd + j * c).update(from: km + i * c, count: c)
                        (vd + j * c).update(from: vm + i * c, count: c)
                    }
                    layer0?.remember(missing.map { distinct.keys[$0] }, q: qm, k: km, v: vm)
                }
                for (row, j) in distinct.index.enumerated() {
                    (a.q + row * c).update(from: qd + j * c, count: c)
                    (a.k + row * c).update(from: kd + j * c, count: c)
                    (a.v + row * c).update(from: vd + j * c, count: c)
                }
            } else {
                project(x, rows: n, q: a.q, k: a.k, v: a.v)
            }
            Layers.attentionForward(context: a.context, probabilities: a.probabilities, q: a.q, k: a.k, v: a.v,
                                    offsets: batch.offsets, heads: config.headCount, width: c)
            // attentionSum: (N, C) = context Wo^T + bo + x;  normed = LayerNorm(attentionSum).
            if precision == .int8 {
                GEMM.projectionInt8(m: n, n: c, k: c, a: a.context, lda: c, packedB: packs.packedInt8(w.attentionOutputWeight, n: c, k: c, ldb: c),
                                    bias: w.attentionOutputBias, c: a.attentionSum, ldc: c, residual: x)
            } else if precision == .bfloat16 && GEMM.hasBF16Kernel {
                GEMM.projectionBF16Adding(m: n, n: c, k: c, a: a.context, lda: c,
                                          packedB: packs.packedBF16(w.attentionOutputWeight, transpose: true, n: c, k: c, ldb: c),
                                          bias: w.attentionOutputBias, c: a.attentionSum, ldc: c, residual: x)
            } else {
                Layers.linearForward(a.attentionSum, a.context, weight: w.attentionOutputWeight, bias: w.attentionOutputBias,
                                     rows: n, inputs: c, outputs: c, packs: packs, precision: precision)
                add(a.attentionSum, x, count: n * c)
            }
            Layers.layerNormForward(a.normed, mean: a.attentionMean, rstd: a.attentionRstd, a.attentionSum,
                                    gamma: w.attentionNormGamma, beta: w.attentionNormBeta,
                                    rows: n, width: c, epsilon: config.layerNormEpsilon)
            // Feed-forward: intermediate, activated: (N, F);  outputSum: (N, C) = GELU(...) W2^T + b2 + normed.
            if precision == .int8 {
                // In int8 (inference): the product (its input a LayerNorm's output, with outliers as
                // q, k and v's), GELU in fp32, and the second product with the residual added as it stores C.
                Layers.linearForward(a.intermediate, a.normed, weight: w.intermediateWeight, bias: w.intermediateBias,
                                     rows: n, inputs: c, outputs: f, packs: packs, precision: .int8, outliers: Self.int8Outliers)
                Layers.geluForward(a.activated, a.intermediate, count: n * f)
                GEMM.projectionInt8(m: n, n: c, k: f, a: a.activated, lda: f, packedB: packs.packedInt8(w.outputWeight, n: c, k: f, ldb: f),
                                    bias: w.outputBias, c: a.outputSum, ldc: c, residual: a.normed)
            } else if precision == .bfloat16 && fusesGELU {
                // In bf16 (inference) the product, its GELU and the next product's bf16 A in one pass,
                // the pairs (N, F / 2) in `activated`'s memory, and the residual added as the second
                // product stores C: the same bits, without the fp32 round trips.
                a.activated.withMemoryRebound(to: UInt32.self, capacity: n * f / 2) { pairs in
                    GEMM.projectionBF16GELU(m: n, n: f, k: c, a: a.normed, lda: c,
                                            packedB: packs.packedBF16(w.intermediateWeight, transpose: true, n: f, k: c, ldb: c),
                                            bias: w.intermediateBias, pairs: pairs, ldp: f / 2)
                    GEMM.projectionBF16(m: n, n: c, k: f, pairs: pairs, ldp: f / 2,
                                        packedB: packs.packedBF16(w.outputWeight, transpose: true, n: c, k: f, ldb: f),
                                        bias: w.outputBias, c: a.outputSum, ldc: c, residual: a.normed)
                }
            } else {
                if precision == .float32 {  // the product and GELU in one pass (the same bits)
                    Layers.linearGELUForward(a.intermediate, activated: a.activated, a.normed, weight: w.intermediateWeight,
                                             bias: w.intermediateBias, rows: n, inputs: c, outputs: f, packs: packs,
                                             keepsSlope: activations.keepsGELUSlope)
                } else {
                    Layers.linearForward(a.intermediate, a.normed, weight: w.intermediateWeight, bias: w.intermediateBias,
                                         rows: n, inputs: c, outputs: f, packs: packs, precision: precision)
                    Layers.geluForward(a.activated, a.intermediate, count: n * f)
                }
                Layers.linearForward(a.outputSum, a.activated, weight: w.outputWeight, bias: w.outputBias,
                                     rows: n, inputs: f, outputs: c, packs: packs, precision: precision)
                add(a.outputSum, a.normed, count: n * c)
            }
            Layers.layerNormForward(activations.hidden[l + 1], mean: a.outputMean, rstd: a.outputRstd, a.outputSum,
                                    gamma: w.outputNormGamma, beta: w.outputNormBeta,
                                    rows: n, width: c, epsilon: config.layerNormEpsilon)
        }
        // Sentence embedding: mean over each sentence's tokens, then unit length.
        Layers.meanPoolForward(activations.pooled, activations.hidden[config.layerCount], offsets: batch.offsets, width: c)
        Layers.l2NormalizeForward(activations.embeddings, norms: activations.norms, activations.pooled,
                                  rows: batch.sentenceCount, width: c)
    }

    /// The distinct (token, position) rows of `batch` (positions below `positions`): `rows` the
    /// first row of each, `keys` its token · positions + position, `index` each row's place in `rows`.
    static func distinctRows(of batch: PackedBatch, positions: Int) -> (rows: [Int], keys: [Int], index: [Int]) {
        var first: [Int: Int] = [:]
        var rows: [Int] = [], keys: [Int] = [], index: [Int] = []
        index.reserveCapacity(batch.tokenCount)
        for s in 0..<batch.sentenceCount {
            for row in batch.offsets[s]..<batch.offsets[s + 1] {
                let key = Int(batch.ids[row]) &* positions &+ (row - batch.offsets[s])
                if let j = first[key] {
                    index.append(j)
                } else {
                    first[key] = rows.count
                    index.append(rows.count)
                    rows.append(row)
                    keys.append(key)
                }
            }
        }
        return (rows, keys, index)
    }

    // MARK: Backward

    /// Back-propagates dEmbeddings: (B, C) through the frozen encoder into the LoRA gradients
    /// (accumulated into `loraGradients`) of layers `lowestTrainedLayer` and up. Below that layer
    /// nothing is trainable, so the backward pass stops there: that layer's input gradient is not
    /// computed, and the layers under it need no stored activations. Needs a forward pass that
    /// stored the activations of every layer from `lowestTrainedLayer` up.
    func backward(_ activations: EncoderActivations, dEmbeddings: UnsafePointer<Float>, lora: LoRAPointers,
                  loraGradients: LoRAPointers, scratch g: EncoderGradientScratch, lowestTrainedLayer: Int = 0) {
        precondition(activations.storesAllLayers && activations.firstStoredLayer <= lowestTrainedLayer,
                     "backward needs the activations of every trained layer")
        precondition(lowestTrainedLayer >= 0 && lowestTrainedLayer < config.layerCount, "no layer to train")
        let batch = activations.batch
        let (n, c, f, r) = (batch.tokenCount, config.hiddenSize, config.intermediateSize, lora.rank)
        let nc = n * c

        g.dPooled.update(repeating: 0, count: batch.sentenceCount * c)
        Layers.l2NormalizeBackward(dx: g.dPooled, dy: dEmbeddings, y: activations.embeddings, norms: activations.norms,
                                   rows: batch.sentenceCount, width: c)
        var dOutput = g.dOutput, dInput = g.dInput
        dOutput.update(repeating: 0, count: nc)
        Layers.meanPoolBackward(dx: dOutput, dPooled: g.dPooled, offsets: batch.offsets, width: c)

        for l in stride(from: config.layerCount - 1, through: lowestTrainedLayer, by: -1) {
            let w = weights.layers[l]
            let a = activations.layers[l]
            let x = UnsafePointer(activations.hidden[l])
            // Output LayerNorm, then outputSum = activated W2^T + b2 + normed.
            g.dSum.update(repeating: 0, count: nc)
            Layers.layerNormBackward(dx: g.dSum, dGamma: nil, dBeta: nil, dy: dOutput, x: a.outputSum,
                                     mean: a.outputMean, rstd: a.outputRstd, gamma: w.outputNormGamma, rows: n, width: c)
            g.dNormed.update(from: g.dSum, count: nc)
            Layers.linearGELUBackward(dPre: g.dIntermediate, dActivated: g.dActivated, dy: g.dSum, pre: a.intermediate,
                                      weight: w.outputWeight, rows: n, inputs: f, outputs: c, packs: packedWeights,
                                      preIsSlope: activations.keepsGELUSlope)
            Layers.linearBackward(dx: g.dNormed, dWeight: nil, dBias: nil, dy: g.dIntermediate, x: a.normed,
                                  weight: w.intermediateWeight, rows: n, inputs: c, outputs: f, packs: packedWeights)
            // Attention LayerNorm, then attentionSum = context Wo^T + bo + x.
            g.dSum.update(repeating: 0, count: nc)
            Layers.layerNormBackward(dx: g.dSum, dGamma: nil, dBeta: nil, dy: g.dNormed, x: a.attentionSum,
                                     mean: a.attentionMean, rstd: a.attentionRstd, gamma: w.attentionNormGamma,
                                     rows: n, width: c)
            let needsInputGradient = l > lowestTrainedLayer  // the embeddings and the layers below are frozen
            if needsInputGradient { dInput.update(from: g.dSum, count: nc) }
            Layers.linearBackward(dx: g.dContext, dWeight: nil, dBias: nil, dy: g.dSum, x: a.context,
                                  weight: w.attentionOutputWeight, rows: n, inputs: c, outputs: c, accumulateInput: false, packs: packedWeights)
            // k has no adapter, so dk serves only the input gradient.
            g.dq.update(repeating: 0, count: nc)
            if needsInputGradient { g.dk.update(repeating: 0, count: nc) }
            g.dv.update(repeating: 0, count: nc)
            Layers.attentionBackward(dq: g.dq, dk: needsInputGradient ? g.dk : nil, dv: g.dv, scratch: g.dScores,
                                     scratchSlots: g.scoreSlots, dContext: g.dContext, probabilities: a.probabilities, q: a.q, k: a.k, v: a.v,
                                     offsets: batch.offsets, heads: config.headCount, width: c)
            // q = x Wq^T + bq + s·(x Aq^T) Bq^T, and likewise v; k has no adapter.
            let dx = needsInputGradient ? dInput : nil
            Layers.loraBackward(dx: dx, dA: loraGradients.queryA[l], dB: loraGradients.queryB[l], dHidden: g.dLoRA,
                                dy: g.dq, x: x, hidden: a.queryLoRA, a: lora.queryA[l], b: lora.queryB[l],
                                scale: lora.scale, rows: n, inputs: c, outputs: c, rank: r)
            Layers.loraBackward(dx: dx, dA: loraGradients.valueA[l], dB: loraGradients.valueB[l], dHidden: g.dLoRA,
                                dy: g.dv, x: x, hidden: a.valueLoRA, a: lora.valueA[l], b: lora.valueB[l],
                                scale: lora.scale, rows: n, inputs: c, outputs: c, rank: r)
            if needsInputGradient {
                Layers.linearBackward(dx: dInput, dWeight: nil, dBias: nil, dy: g.dq, x: x, weight: w.queryWeight,
                                      rows: n, inputs: c, outputs: c, packs: packedWeights)
                Layers.linearBackward(dx: dInput, dWeight: nil, dBias: nil, dy: g.dk, x: x, weight: w.keyWeight,
                                      rows: n, inputs: c, outputs: c, packs: packedWeights)
                Layers.linearBackward(dx: dInput, dWeight: nil, dBias: nil, dy: g.dv, x: x, weight: w.valueWeight,
                                      rows: n, inputs: c, outputs: c, packs: packedWeights)
                swap(&dOutput, &dInput)
            }
        }
    }

    /// y += x over `count` floats.
    private func add(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count: Int) {
        for i in 0..<count { y[i] += x[i] }
    }
}

