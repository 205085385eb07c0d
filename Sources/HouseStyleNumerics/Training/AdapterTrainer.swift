import Foundation

/// Settings of a fine-tuning run.
public struct TrainingConfiguration: Sendable, Equatable {
    public var rank = 8
    public var alpha: Float = 16
    public var epochs = 3
    public var batchSize = 16
    public var learningRate: Float = 1e-3
    public var weightDecay: Float = 0.01
    /// Fraction of all steps spent warming the learning rate up linearly.
    public var warmupFraction: Float = 0.1
    package var decay: LearningRateSchedule.Decay = .cosine
    public var seed: UInt64 = 7
    /// Sentences are truncated to this many tokens ([CLS] and [SEP] included) for training.
    public var maximumLength = 128
    /// LoRA adapters are trained in this many of the encoder's layers, the top ones; nil for all.
    /// The layers below are only run forward (their adapters stay zero, or the initial adapter's),
    /// which saves their backward pass: with 2 of MiniLM's 6 layers a step costs 8 layer passes
    /// instead of 12.
    public var adaptedLayers: Int?

    public init() {}

    /// Throws for a setting out of range, naming it.
    public func validate() throws {
        func check(_ ok: Bool, _ name: String, _ value: Any, _ reason: String) throws {
            if !ok { throw EncoderError.invalidTrainingSetting(name: name, value: "\(value)", reason: reason) }
        }
        try check(rank > 0 && rank <= 384, "lora_rank", rank, "must be from 1 to 384")
        try check(alpha > 0 && alpha.isFinite, "lora_alpha", alpha, "must be positive")
        try check(epochs > 0, "epochs", epochs, "must be at least 1")
        try check(batchSize > 0, "batch_size", batchSize, "must be at least 1")
        try check(learningRate > 0 && learningRate.isFinite, "learning_rate", learningRate, "must be positive")
        try check(weightDecay >= 0 && weightDecay.isFinite, "weight_decay", weightDecay, "must not be negative")
        try check(warmupFraction >= 0 && warmupFraction <= 1, "warmup_fraction", warmupFraction, "must be from 0 to 1")
        try check(maximumLength >= 3, "maximum_length", maximumLength, "must be at least 3 tokens")
        if let adaptedLayers { try check(adaptedLayers >= 1, "lora_layers", adaptedLayers, "must be at least 1") }
    }
}

/// What the trainer reports after each step.
package struct TrainingProgress: Sendable {
    public let step: Int, totalSteps: Int, epoch: Int
    public let loss: Float
    public let learningRate: Float
}

/// Fine-tunes LoRA adapters and a voice head to tell on-voice sentences (label 1) from off-voice
/// ones (label 0), with AdamW and a warm-up + decay schedule. The same inputs and seed give the
/// same adapter, byte for byte.
public struct AdapterTrainer: Sendable {
    public let encoder: MiniLMEncoder

    public init(encoder: MiniLMEncoder) { self.encoder = encoder }

    /// Trains and returns the adapter.
    /// - Parameters:
    ///   - initialAdapter: start from this adapter (a parent style's) instead of a fresh one.
    ///   - progress: called after every step.
    /// - Throws: `EncoderError.invalidTrainingSetting` for a setting out of range,
    ///   `EncoderError.insufficientTrainingData` without sentences of both kinds, and
    ///   `EncoderError.incompatibleAdapter` when `initialAdapter` does not fit `configuration`.
    package func train(
        onVoice: [String], offVoice: [String], configuration: TrainingConfiguration = TrainingConfiguration(),
        initialAdapter: Adapter? = nil, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> Adapter {
        try configuration.validate()
        guard !onVoice.isEmpty, !offVoice.isEmpty else {
            throw EncoderError.insufficientTrainingData(onVoice: onVoice.count, offVoice: offVoice.count)
        }
        let model = VoiceModel(encoder: encoder, rank: configuration.rank, alpha: configuration.alpha)
        let layerCount = encoder.config.layerCount
        if let adapted = configuration.adaptedLayers, adapted > layerCount {
            throw EncoderError.invalidTrainingSetting(name: "lora_layers", value: "\(adapted)",
                                                      reason: "the encoder has \(layerCount) layers")
        }
        model.lowestTrainedLayer = layerCount - (configuration.adaptedLayers ?? layerCount)
        if let initialAdapter {
            try model.load(initialAdapter, source: "initial adapter")
        } else {
            model.initialise(seed: configuration.seed)
        }
        let limit = configuration.maximumLength
        let examples: [(ids: [Int32], label: Float)] =
            onVoice.map { (encoder.tokenizer.encode($0, maximumLength: limit), 1) }
            + offVoice.map { (encoder.tokenizer.encode($0, maximumLength: limit), 0) }

        let stepsPerEpoch = (examples.count + configuration.batchSize - 1) / configuration.batchSize
        let totalSteps = stepsPerEpoch * configuration.epochs
        let schedule = LearningRateSchedule(
            peak: configuration.learningRate,
            warmupSteps: Int((configuration.warmupFraction * Float(totalSteps)).rounded()),
            totalSteps: totalSteps, decay: configuration.decay)
        var optimizer = AdamW(parameterCount: model.store.count, weightDecay: configuration.weightDecay)
        // Shuffling uses its own stream so that it does not depend on how parameters were initialised.
        var shuffler = SeededGenerator(seed: configuration.seed ^ 0x5348_5546_464C_4521)
        var order = Array(examples.indices)
        var losses: [Float] = []
        var step = 0
        for epoch in 0..<configuration.epochs {
            shuffler.shuffle(&order)
            for start in stride(from: 0, to: order.count, by: configuration.batchSize) {
                let chosen = order[start..<min(start + configuration.batchSize, order.count)]
                let batch = PackedBatch(chosen.map { examples[$0].ids })
                model.store.zeroGradients()
                let loss = model.lossAndAccumulateGradients(batch, labels: chosen.map { examples[$0].label })
                let rate = schedule.rate(at: step)
                optimizer.update(model.store, learningRate: rate, updates: model.lowestTrainedLayer > 0 ? model.isTrained : nil)
                losses.append(loss)
                step += 1
                progress?(TrainingProgress(step: step, totalSteps: totalSteps, epoch: epoch, loss: loss, learningRate: rate))
            }
        }
        return model.adapter(trainingLosses: losses)
    }
}

/// Scores how on-voice sentences are with a trained adapter: the probability the voice head gives.
public final class VoiceScorer: @unchecked Sendable {
    // @unchecked: the model's parameters are written only in init; scoring allocates its own buffers.
    private let model: VoiceModel
    public let maximumLength: Int
    /// Of the encoder's projections with the pre-trained weights: bf16 by default (about 1.6x the
    /// scoring rate on processors with AVX512-BF16, the same scores on every processor); HouseStyle
    /// asks for int8 (`NeuralVoice.inferencePrecision`: twice bf16's rate on AVX512-VNNI). The
    /// training that made the adapter ran in fp32.
    public let precision: ProjectionPrecision
    /// Layer 0's rows of the sentences scored so far (`Layer0Rows`): the adapter no longer changes.
    let layer0: Layer0Rows

    /// - Throws: `EncoderError.incompatibleAdapter` when the adapter does not fit the encoder.
    public init(encoder: MiniLMEncoder, adapter: Adapter, maximumLength: Int = 128, source: String = "adapter",
                precision: ProjectionPrecision = .bfloat16) throws {
        model = VoiceModel(encoder: encoder, rank: adapter.rank, alpha: adapter.alpha)
        try model.load(adapter, source: source)
        self.maximumLength = maximumLength
        self.precision = precision
        layer0 = Layer0Rows(width: encoder.config.hiddenSize)
    }

    /// P(on-voice) of each sentence, in 0...1.
    public func scores(_ sentences: [String], batchSize: Int = 32) -> [Float] {
        var result: [Float] = []
        result.reserveCapacity(sentences.count)
        var start = 0
        while start < sentences.count {
            let end = min(start + batchSize, sentences.count)
            let batch = PackedBatch(sentences[start..<end].map { model.encoder.tokenizer.encode($0, maximumLength: maximumLength) })
            result += model.logits(batch, precision: precision, layer0: layer0).map { 1 / (1 + expf(-$0)) }
            start = end
        }
        return result
    }
}
