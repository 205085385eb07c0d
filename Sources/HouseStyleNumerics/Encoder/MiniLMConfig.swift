import Foundation

/// Sizes of the BERT encoder, read from the model folder's `config.json` and
/// `sentence_bert_config.json`.
package struct MiniLMConfig: Sendable, Equatable {
    public var vocabularySize = 30522
    /// C: hidden width.
    public var hiddenSize = 384
    /// L: transformer layers.
    public var layerCount = 6
    /// H: attention heads.
    public var headCount = 12
    /// F: feed-forward width.
    public var intermediateSize = 1536
    public var maximumPositions = 512
    public var typeVocabularySize = 2
    public var layerNormEpsilon: Float = 1e-12
    /// Longest input in tokens, [CLS] and [SEP] included (sentence-transformers' max_seq_length).
    public var maximumSequenceLength = 256

    public init() {}

    /// Reads the configuration of the model in `files`.
    /// - Throws: `EncoderError` for a missing file, a missing key, or an architecture this encoder does not implement.
    public init(files: BaseModelFiles) throws {
        let config = try Self.jsonObject(files.configPath)
        func integer(_ key: String) throws -> Int {
            guard let value = config[key] as? NSNumber, let integer = Int(exactly: value.doubleValue), integer > 0 else {
                throw EncoderError.invalidConfig(path: files.configPath, key: key, reason: "must be a positive integer")
            }
            return integer
        }
        vocabularySize = try integer("vocab_size")
        hiddenSize = try integer("hidden_size")
        layerCount = try integer("num_hidden_layers")
        headCount = try integer("num_attention_heads")
        intermediateSize = try integer("intermediate_size")
        maximumPositions = try integer("max_position_embeddings")
        typeVocabularySize = try integer("type_vocab_size")
        guard let epsilon = config["layer_norm_eps"] as? NSNumber else {
            throw EncoderError.invalidConfig(path: files.configPath, key: "layer_norm_eps", reason: "must be a number")
        }
        layerNormEpsilon = epsilon.floatValue
        for (key, expected) in [("hidden_act", "gelu"), ("model_type", "bert"), ("position_embedding_type", "absolute")] {
            if let value = config[key], (value as? String) != expected {
                throw EncoderError.invalidConfig(path: files.configPath, key: key, reason: "must be \"\(expected)\" for this encoder")
            }
        }
        guard hiddenSize % headCount == 0 else {
            throw EncoderError.invalidConfig(path: files.configPath, key: "num_attention_heads", reason: "must divide hidden_size")
        }
        if FileManager.default.fileExists(atPath: files.sentenceConfigPath) {
            let sentence = try Self.jsonObject(files.sentenceConfigPath)
            guard let length = sentence["max_seq_length"] as? NSNumber, let value = Int(exactly: length.doubleValue),
                  value >= 2, value <= maximumPositions else {
                throw EncoderError.invalidConfig(path: files.sentenceConfigPath, key: "max_seq_length",
                                               reason: "must be an integer from 2 to max_position_embeddings")
            }
            maximumSequenceLength = value
        }
    }

    static func jsonObject(_ path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else { throw EncoderError.fileNotFound(path: path) }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw EncoderError.invalidConfig(path: path, key: "(file)", reason: "is not a JSON object")
        }
        return object
    }
}
