/// The fine-tuned part on top of the frozen encoder: LoRA adapters (rank r, scale alpha / r) on the
/// query and value projections of every layer, and a head `logit = w · (√C · embedding) + b` on the
/// unit-length sentence embedding. All of it lives in one `ParameterStore`.
///
/// The √C factor gives the head inputs of unit mean square per coordinate (instead of 1/C), so
/// the head's logits can grow to useful sizes at ordinary learning rates.
final class VoiceModel {
    let encoder: MiniLMEncoder
    let rank: Int
    let alpha: Float
    let store: ParameterStore
    let lora: LoRAPointers
    let loraGradients: LoRAPointers
    // headWeight: (1, C);  headBias: (1)
    let headWeight, headBias, headWeightGradient, headBiasGradient: UnsafeMutablePointer<Float>
    /// Training updates the LoRA adapters of this layer and the ones above it (and the head); the
    /// adapters below stay as they are (zero, or a parent's), and the backward pass stops here.
    var lowestTrainedLayer = 0
    /// Activation and gradient memory kept between training steps.
    private var activationMemory: FloatBuffer?, gradientMemory: FloatBuffer?

    static func queryName(_ l: Int, _ matrix: String) -> String { "encoder.layer.\(l).attention.self.query.lora_\(matrix).weight" }
    static func valueName(_ l: Int, _ matrix: String) -> String { "encoder.layer.\(l).attention.self.value.lora_\(matrix).weight" }
    static let headWeightName = "head.weight", headBiasName = "head.bias"

    /// The parameter layout for an encoder of `config` and LoRA rank `rank`.
    static func specification(config: MiniLMConfig, rank: Int) -> [(name: String, shape: [Int], decays: Bool)] {
        let c = config.hiddenSize
        var specs: [(name: String, shape: [Int], decays: Bool)] = []
        for l in 0..<config.layerCount {
            specs.append((queryName(l, "A"), [rank, c], true))
            specs.append((queryName(l, "B"), [c, rank], true))
            specs.append((valueName(l, "A"), [rank, c], true))
            specs.append((valueName(l, "B"), [c, rank], true))
        }
        specs.append((headWeightName, [1, c], true))
        specs.append((headBiasName, [1], false))
        return specs
    }

    /// Whether training updates `view`: the head, and the adapters from `lowestTrainedLayer` up.
    func isTrained(_ view: ParameterView) -> Bool {
        guard view.name.hasPrefix("encoder.layer."),
              let layer = Int(view.name.dropFirst("encoder.layer.".count).prefix { $0.isNumber }) else { return true }
        return layer >= lowestTrainedLayer
    }

    /// √C: scales unit-length embeddings to unit mean square per coordinate.
    var headInputScale: Float { Float(encoder.config.hiddenSize).squareRoot() }

    init(encoder: MiniLMEncoder, rank: Int, alpha: Float) {
        precondition(rank > 0, "LoRA rank must be positive")
        self.encoder = encoder
        self.rank = rank
        self.alpha = alpha
        let store = ParameterStore(Self.specification(config: encoder.config, rank: rank))
        self.store = store
        let layers = 0..<encoder.config.layerCount
        func pointers(_ pick: (String) -> UnsafeMutablePointer<Float>) -> LoRAPointers {
            LoRAPointers(queryA: layers.map { pick(Self.queryName($0, "A")) }, queryB: layers.map { pick(Self.queryName($0, "B")) },
                         valueA: layers.map { pick(Self.valueName($0, "A")) }, valueB: layers.map { pick(Self.valueName($0, "B")) },
                         rank: rank, scale: alpha / Float(rank))
        }
        lora = pointers(store.value)
        loraGradients = pointers(store.gradient)
        headWeight = store.value(Self.headWeightName)
        headBias = store.value(Self.headBiasName)
        headWeightGradient = store.gradient(Self.headWeightName)
        headBiasGradient = store.gradient(Self.headBiasName)
    }

    /// LoRA A and the head weight uniform in ±1/√fan-in (as torch and peft), LoRA B and the head
    /// bias zero, so the adapted encoder starts out equal to the pre-trained one.
    func initialise(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let bound = 1 / Float(encoder.config.hiddenSize).squareRoot()
        for view in store.views {
            let p = store.values.pointer + view.offset
            let random = view.name.hasSuffix("lora_A.weight") || view.name == Self.headWeightName
            for i in 0..<view.count { p[i] = random ? generator.uniform(bound) : 0 }
        }
    }

    /// Voice logits of each sentence of `batch` (inference; nothing is kept).
    /// - Parameter layer0: layer 0's rows remembered for this adapter and precision (an adapter that
    ///   no longer changes: `VoiceScorer`'s).
    func logits(_ batch: PackedBatch, precision: ProjectionPrecision = .float32, layer0: Layer0Rows? = nil) -> [Float] {
        let activations = EncoderActivations(batch: batch, config: encoder.config, rank: rank, storesAllLayers: false,
                                             reusing: encoder.activationCache.take())
        defer { encoder.activationCache.give(activations.storage) }
        encoder.forward(activations, lora: lora, precision: precision, layer0: layer0)
        return headForward(activations)
    }

    /// Mean binary cross-entropy of `batch` against `labels` (1 on-voice, 0 off-voice); the
    /// gradients of every parameter are added to `store.gradients`.
    func lossAndAccumulateGradients(_ batch: PackedBatch, labels: [Float]) -> Float {
        let b = batch.sentenceCount, c = encoder.config.hiddenSize
        precondition(labels.count == b)
        let activations = EncoderActivations(batch: batch, config: encoder.config, rank: rank, storesAllLayers: true,
                                             firstStoredLayer: lowestTrainedLayer, reusing: activationMemory)
        activationMemory = activations.storage
        encoder.forward(activations, lora: lora)
        let logits = headForward(activations)
        // dLogits: (B)
        var dLogits = [Float](repeating: 0, count: b)
        let loss = Layers.binaryCrossEntropy(logits: logits, labels: labels, dLogits: &dLogits, count: b)
        // Head backward (k = √C): dw += Σ dz k e;  db += Σ dz;  dEmbeddings: (B, C) = dz k w.
        var dEmbeddings = [Float](repeating: 0, count: b * c)
        let k = headInputScale
        for s in 0..<b {
            let e = activations.embeddings + s * c
            for i in 0..<c {
                headWeightGradient[i] += dLogits[s] * k * e[i]
                dEmbeddings[s * c + i] = dLogits[s] * k * headWeight[i]
            }
            headBiasGradient[0] += dLogits[s]
        }
        let scratch = EncoderGradientScratch(batch: batch, config: encoder.config, rank: rank, reusing: gradientMemory)
        gradientMemory = scratch.storage
        encoder.backward(activations, dEmbeddings: dEmbeddings, lora: lora, loraGradients: loraGradients, scratch: scratch,
                         lowestTrainedLayer: lowestTrainedLayer)
        return loss
    }

    /// logits: (B) = √C · embeddings: (B, C) · w + b.
    private func headForward(_ activations: EncoderActivations) -> [Float] {
        let c = encoder.config.hiddenSize
        return (0..<activations.batch.sentenceCount).map { s in
            let e = activations.embeddings + s * c
            var dot: Float = 0
            for i in 0..<c { dot += e[i] * headWeight[i] }
            return headInputScale * dot + headBias[0]
        }
    }
}
