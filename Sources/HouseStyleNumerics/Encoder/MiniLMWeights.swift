/// Pointers to one transformer layer's parameters, in PyTorch's (out, in) layout.
struct LayerWeights {
    // query, key, value, attentionOutput: (C, C) with biases (C)
    var queryWeight, queryBias, keyWeight, keyBias, valueWeight, valueBias: UnsafePointer<Float>
    var attentionOutputWeight, attentionOutputBias: UnsafePointer<Float>
    // attentionNorm, outputNorm: gamma, beta (C)
    var attentionNormGamma, attentionNormBeta: UnsafePointer<Float>
    // intermediate: (F, C), (F);  output: (C, F), (C)
    var intermediateWeight, intermediateBias, outputWeight, outputBias: UnsafePointer<Float>
    var outputNormGamma, outputNormBeta: UnsafePointer<Float>
}

/// The frozen encoder parameters: zero-copy views into the memory-mapped safetensors file, which
/// this object keeps open.
final class MiniLMWeights: @unchecked Sendable {
    // @unchecked: read-only pointers into a read-only mapping owned by `file`.
    let file: SafeTensorsFile
    // word: (V, C), position: (P, C), tokenType: (2, C), embeddingNorm: (C)
    let wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings: UnsafePointer<Float>
    let embeddingNormGamma, embeddingNormBeta: UnsafePointer<Float>
    let layers: [LayerWeights]

    init(file: SafeTensorsFile, config: MiniLMConfig) throws {
        self.file = file
        let (c, f) = (config.hiddenSize, config.intermediateSize)
        wordEmbeddings = try file.floatView("embeddings.word_embeddings.weight", shape: [config.vocabularySize, c])
        positionEmbeddings = try file.floatView("embeddings.position_embeddings.weight", shape: [config.maximumPositions, c])
        tokenTypeEmbeddings = try file.floatView("embeddings.token_type_embeddings.weight", shape: [config.typeVocabularySize, c])
        embeddingNormGamma = try file.floatView("embeddings.LayerNorm.weight", shape: [c])
        embeddingNormBeta = try file.floatView("embeddings.LayerNorm.bias", shape: [c])
        layers = try (0..<config.layerCount).map { l in
            let p = "encoder.layer.\(l)."
            return LayerWeights(
                queryWeight: try file.floatView(p + "attention.self.query.weight", shape: [c, c]),
                queryBias: try file.floatView(p + "attention.self.query.bias", shape: [c]),
                keyWeight: try file.floatView(p + "attention.self.key.weight", shape: [c, c]),
                keyBias: try file.floatView(p + "attention.self.key.bias", shape: [c]),
                valueWeight: try file.floatView(p + "attention.self.value.weight", shape: [c, c]),
                valueBias: try file.floatView(p + "attention.self.value.bias", shape: [c]),
                attentionOutputWeight: try file.floatView(p + "attention.output.dense.weight", shape: [c, c]),
                attentionOutputBias: try file.floatView(p + "attention.output.dense.bias", shape: [c]),
                attentionNormGamma: try file.floatView(p + "attention.output.LayerNorm.weight", shape: [c]),
                attentionNormBeta: try file.floatView(p + "attention.output.LayerNorm.bias", shape: [c]),
                intermediateWeight: try file.floatView(p + "intermediate.dense.weight", shape: [f, c]),
                intermediateBias: try file.floatView(p + "intermediate.dense.bias", shape: [f]),
                outputWeight: try file.floatView(p + "output.dense.weight", shape: [c, f]),
                outputBias: try file.floatView(p + "output.dense.bias", shape: [c]),
                outputNormGamma: try file.floatView(p + "output.LayerNorm.weight", shape: [c]),
                outputNormBeta: try file.floatView(p + "output.LayerNorm.bias", shape: [c]))
        }
    }
}
