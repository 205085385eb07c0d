internal import COpenBLAS
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
        // Every tensor is checked for NaN and infinities once: a damaged file fails here, not in every sentence's score.
        func floatView(_ name: String, shape: [Int]) throws -> UnsafePointer<Float> {
            let view = try file.floatView(name, shape: shape)
            guard allFinite(view, count: shape.reduce(1, *)) else { throw EncoderError.nonFiniteValues(path: file.path, tensor: name) }
            return view
        }
        wordEmbeddings = try floatView("embeddings.word_embeddings.weight", shape: [config.vocabularySize, c])
        positionEmbeddings = try floatView("embeddings.position_embeddings.weight", shape: [config.maximumPositions, c])
        tokenTypeEmbeddings = try floatView("embeddings.token_type_embeddings.weight", shape: [config.typeVocabularySize, c])
        embeddingNormGamma = try floatView("embeddings.LayerNorm.weight", shape: [c])
        embeddingNormBeta = try floatView("embeddings.LayerNorm.bias", shape: [c])
        layers = try (0..<config.layerCount).map { l in
            let p = "encoder.layer.\(l)."
            return LayerWeights(
                queryWeight: try floatView(p + "attention.self.query.weight", shape: [c, c]),
                queryBias: try floatView(p + "attention.self.query.bias", shape: [c]),
                keyWeight: try floatView(p + "attention.self.key.weight", shape: [c, c]),
                keyBias: try floatView(p + "attention.self.key.bias", shape: [c]),
                valueWeight: try floatView(p + "attention.self.value.weight", shape: [c, c]),
                valueBias: try floatView(p + "attention.self.value.bias", shape: [c]),
                attentionOutputWeight: try floatView(p + "attention.output.dense.weight", shape: [c, c]),
                attentionOutputBias: try floatView(p + "attention.output.dense.bias", shape: [c]),
                attentionNormGamma: try floatView(p + "attention.output.LayerNorm.weight", shape: [c]),
                attentionNormBeta: try floatView(p + "attention.output.LayerNorm.bias", shape: [c]),
                intermediateWeight: try floatView(p + "intermediate.dense.weight", shape: [f, c]),
                intermediateBias: try floatView(p + "intermediate.dense.bias", shape: [f]),
                outputWeight: try floatView(p + "output.dense.weight", shape: [c, f]),
                outputBias: try floatView(p + "output.dense.bias", shape: [c]),
                outputNormGamma: try floatView(p + "output.LayerNorm.weight", shape: [c]),
                outputNormBeta: try floatView(p + "output.LayerNorm.bias", shape: [c]))
        }
    }
}

/// Whether `count` floats at `values` are all finite: their absolute sum (BLAS) is NaN or infinite
/// when one of them is (the weights are far too small for the sum to overflow).
func allFinite(_ values: UnsafePointer<Float>, count: Int) -> Bool {
    var start = 0
    while start < count {
        let n = min(count - start, Int(Int32.max))
        guard cblas_sasum(Int32(n), values + start, 1).isFinite else { return false }
        start += n
    }
    return true
}
