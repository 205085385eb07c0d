import Foundation

/// One activation buffer kept between forward passes, so that repeated calls neither allocate nor
/// fault in fresh pages (a tenth of a forward pass otherwise). A caller that finds it taken, by a
/// call on another thread, allocates its own; the larger buffer is kept.
final class ActivationCache: @unchecked Sendable {
    // @unchecked: `buffer` is only touched under `lock`, and a buffer is used by one caller at a time.
    private let lock = NSLock()
    private var buffer: FloatBuffer?

    func take() -> FloatBuffer? {
        lock.withLock {
            defer { buffer = nil }
            return buffer
        }
    }

    func give(_ returned: FloatBuffer) {
        lock.withLock {
            if buffer == nil || buffer!.count < returned.count { buffer = returned }
        }
    }
}

/// Sentences of token ids packed row after row: sentence s occupies rows offsets[s]..<offsets[s+1].
struct PackedBatch {
    /// ids: (N)
    let ids: [Int32]
    /// offsets: (B + 1)
    let offsets: [Int]
    var sentenceCount: Int { offsets.count - 1 }
    var tokenCount: Int { offsets.last! }
    var longest: Int { zip(offsets, offsets.dropFirst()).map { $1 - $0 }.max() ?? 0 }

    init<S: Sequence<Int32>>(_ sequences: [S]) {
        var ids: [Int32] = []
        var offsets = [0]
        for sequence in sequences {
            ids.append(contentsOf: sequence)
            precondition(ids.count > offsets.last!, "a sentence needs at least one token ([CLS])")
            offsets.append(ids.count)
        }
        self.ids = ids
        self.offsets = offsets
    }
}

/// Pointers to the LoRA matrices of every layer (values or their gradients).
struct LoRAPointers {
    /// queryA, valueA: (r, C);  queryB, valueB: (C, r), one entry per layer.
    var queryA, queryB, valueA, valueB: [UnsafeMutablePointer<Float>]
    var rank: Int
    /// alpha / r
    var scale: Float
}

/// What one transformer layer keeps from its forward pass for the backward pass.
struct LayerActivations {
    // q, k, v, context, attentionSum (= context Wo^T + bo + x), normed, outputSum: (N, C)
    var q, k, v, context, attentionSum, normed, outputSum: UnsafeMutablePointer<Float>
    // attention-norm and output-norm statistics: (N)
    var attentionMean, attentionRstd, outputMean, outputRstd: UnsafeMutablePointer<Float>
    // intermediate before and after GELU: (N, F); `EncoderActivations.keepsGELUSlope`: GELU's
    // slope at the intermediate instead of the intermediate itself
    var intermediate, activated: UnsafeMutablePointer<Float>
    // probabilities: per sentence (H, n, n)
    var probabilities: UnsafeMutablePointer<Float>
    // LoRA hidden x A^T of query and value: (N, r)
    var queryLoRA, valueLoRA: UnsafeMutablePointer<Float>
}

/// Activation buffers for one batch. Training keeps every layer's; inference reuses one set.
final class EncoderActivations {
    let batch: PackedBatch
    let storesAllLayers: Bool
    /// With `storesAllLayers`, the layers below this one (which a backward pass that stops above
    /// them never reads) share one set of buffers; 0 keeps every layer's.
    let firstStoredLayer: Int
    /// hidden[l]: (N, C), the input of layer l; hidden[L] is the encoder output.
    let hidden: [UnsafeMutablePointer<Float>]
    let layers: [LayerActivations]
    // pooled (before normalisation), embeddings: (B, C);  norms: (B)
    let pooled, embeddings, norms: UnsafeMutablePointer<Float>
    /// The memory of all views; pass it to the next batch's activations to reuse it.
    let storage: FloatBuffer
    /// Whether each layer's `intermediate` holds GELU' there (all the backward pass reads of it,
    /// computed in the forward pass beside GELU from one normal CDF): when all layers are stored,
    /// on the kernels that fuse GELU into the product (`GEMM.fusesGELUEpilogue`).
    var keepsGELUSlope: Bool { storesAllLayers && GEMM.fusesGELUEpilogue }

    /// - Parameters:
    ///   - firstStoredLayer: with `storesAllLayers`, the lowest layer whose activations are kept apart.
    ///   - reusing: memory of an earlier batch, used when large enough.
    init(batch: PackedBatch, config: MiniLMConfig, rank: Int, storesAllLayers: Bool, firstStoredLayer: Int = 0,
         reusing: FloatBuffer? = nil) {
        precondition(firstStoredLayer >= 0 && firstStoredLayer < config.layerCount, "no layer to store")
        self.batch = batch
        self.storesAllLayers = storesAllLayers
        self.firstStoredLayer = storesAllLayers ? firstStoredLayer : config.layerCount
        let (n, c, f, b) = (batch.tokenCount, config.hiddenSize, config.intermediateSize, batch.sentenceCount)
        let attention = Layers.attentionSize(offsets: batch.offsets, heads: config.headCount)
        // Kept layers, plus one shared set for the layers below the first kept one.
        let slots = storesAllLayers ? config.layerCount - firstStoredLayer + (firstStoredLayer > 0 ? 1 : 0) : 1
        let perLayer = 7 * n * c + 4 * n + 2 * (n * f + 15) + attention + 2 * n * rank
        // Inference passes one buffer from batch to batch (`ActivationCache`), and batches of 32
        // short sentences differ by a few dozen tokens: half as much again spares the next
        // larger batches a fresh buffer (zeroed and faulted in: 2% of a learned rewrite's time).
        let count = (config.layerCount + 1) * n * c + slots * perLayer + 2 * b * c + b
        storage = FloatBuffer.reusing(reusing, count: count, spare: storesAllLayers ? 0 : count / 2)
        let s = storage
        hidden = (0...config.layerCount).map { _ in s.take(n * c) }
        let sets = (0..<slots).map { _ in
            LayerActivations(
                q: s.take(n * c), k: s.take(n * c), v: s.take(n * c), context: s.take(n * c),
                attentionSum: s.take(n * c), normed: s.take(n * c), outputSum: s.take(n * c),
                attentionMean: s.take(n), attentionRstd: s.take(n), outputMean: s.take(n), outputRstd: s.take(n),
                intermediate: s.takeAligned(n * f), activated: s.takeAligned(n * f), probabilities: s.take(attention),
                queryLoRA: s.take(n * rank), valueLoRA: s.take(n * rank))
        }
        // Layer l's set: its own from firstStoredLayer up, else the shared first one.
        let shared = firstStoredLayer > 0 ? 1 : 0
        layers = !storesAllLayers ? sets : (0..<config.layerCount).map { l in
            l < firstStoredLayer ? sets[0] : sets[l - firstStoredLayer + shared]
        }
        pooled = s.take(b * c)
        embeddings = s.take(b * c)
        norms = s.take(b)
    }
}

/// Gradient scratch buffers for one batch's backward pass.
final class EncoderGradientScratch {
    // dOutput, dInput, dSum, dNormed, dContext, dq, dk, dv: (N, C)
    let dOutput, dInput, dSum, dNormed, dContext, dq, dk, dv: UnsafeMutablePointer<Float>
    // dActivated, dIntermediate: (N, F)
    let dActivated, dIntermediate: UnsafeMutablePointer<Float>
    // dLoRA: (N, r);  dScores: (n, n) of the longest sentence, per thread;  dPooled: (B, C)
    let dLoRA, dScores, dPooled: UnsafeMutablePointer<Float>
    /// Threads the attention backward pass may use (blocks of dScores).
    let scoreSlots: Int
    let storage: FloatBuffer

    init(batch: PackedBatch, config: MiniLMConfig, rank: Int, reusing: FloatBuffer? = nil) {
        let (n, c, f, b) = (batch.tokenCount, config.hiddenSize, config.intermediateSize, batch.sentenceCount)
        let longest = batch.longest
        scoreSlots = max(1, BLAS.threadCount)
        storage = FloatBuffer.reusing(reusing, count: 8 * n * c + 2 * n * f + n * rank + scoreSlots * longest * longest + b * c)
        let s = storage
        (dOutput, dInput, dSum, dNormed) = (s.take(n * c), s.take(n * c), s.take(n * c), s.take(n * c))
        (dContext, dq, dk, dv) = (s.take(n * c), s.take(n * c), s.take(n * c), s.take(n * c))
        (dActivated, dIntermediate) = (s.take(n * f), s.take(n * f))
        (dLoRA, dScores, dPooled) = (s.take(n * rank), s.take(scoreSlots * longest * longest), s.take(b * c))
    }
}
