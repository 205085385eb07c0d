import HouseStyleText

/// Errors about the files a user asks HouseStyle to read or write.
public enum InputError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(path: String)
    case unreadable(path: String, reason: String)
    /// Not UTF-8 text (binary, UTF-16, invalid bytes).
    case notText(TextError)
    /// Larger than HouseStyle reads in one piece.
    case tooLarge(path: String, bytes: Int, limit: Int)
    /// An output path is one of the inputs, and `--in-place` was not given.
    case wouldOverwriteInput(path: String)
    case unwritable(path: String, reason: String)
    /// A file to create exists, and replacing it was not asked for.
    case exists(path: String)

    public var description: String {
        switch self {
        case .notFound(let path): return "\(path): no such file or folder"
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .notText(let error): return error.description
        case .tooLarge(let path, let bytes, let limit):
            return "\(path): \(bytes) bytes is larger than the \(limit)-byte limit; split the file"
        case .wouldOverwriteInput(let path):
            return "\(path): the output would overwrite an input; use --in-place to rewrite files where they are"
        case .unwritable(let path, let reason): return "\(path): cannot write: \(reason)"
        case .exists(let path): return "\(path): already exists; pass --force to replace it"
        }
    }
}
