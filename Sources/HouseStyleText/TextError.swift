/// Everything that can go wrong while decoding, normalising or segmenting text.
public enum TextError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes at `byteOffset` (0-based) of the file at `path` do not form valid UTF-8.
    case invalidUTF8(path: String, byteOffset: Int)
    /// The file contains a NUL byte, at `byteOffset` (0-based): it is binary, not text.
    case binaryContent(path: String, byteOffset: Int)
    /// The file starts with a UTF-16 byte order mark; HouseStyle reads UTF-8 only.
    case utf16(path: String)
    /// An abbreviation passed to a sentence segmenter is not a word followed by a period.
    case invalidAbbreviation(String)
    /// ICU does not understand the locale identifier.
    case invalidLocale(String)
    /// The text is larger than ICU can index (2 GiB - 1 bytes).
    case textTooLarge(byteCount: Int)
    /// ICU reported an error it should not have for valid input (usually out of memory).
    case icuFailure(operation: String, status: String)

    public var description: String {
        switch self {
        case .invalidUTF8(let path, let byteOffset):
            "\(path): not valid UTF-8 at byte \(byteOffset)"
        case .binaryContent(let path, let byteOffset):
            "\(path): binary file, not text (NUL byte at byte \(byteOffset))"
        case .utf16(let path):
            "\(path): text is UTF-16 (byte order mark); convert it to UTF-8, e.g. with iconv -f UTF-16 -t UTF-8"
        case .invalidAbbreviation(let abbreviation):
            "abbreviation '\(abbreviation)' must end with '.' and contain no spaces, e.g. 'Dept.'"
        case .invalidLocale(let identifier):
            "unknown locale '\(identifier)'; use an ICU or BCP 47 identifier such as 'en', 'en-GB' or 'tr'"
        case .textTooLarge(let byteCount):
            "text of \(byteCount) bytes is too large; split it into parts smaller than 2 GiB"
        case .icuFailure(let operation, let status):
            "icu could not \(operation): \(status)"
        }
    }
}
