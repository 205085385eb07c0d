import HouseStyleText
import HouseStyleYAML

/// Mistakes in the text a style is trained on. Each names the file (and line) to fix.
public enum CorpusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The style lists no `corpus.voice` globs.
    case noVoiceCorpus(style: String)
    /// The globs of one corpus matched no file, or its files hold no sentence.
    case emptyCorpus(role: CorpusRole, patterns: [String])
    /// A corpus file could not be read.
    case unreadable(path: String, reason: String)
    /// A corpus file is not UTF-8 text (binary, UTF-16, invalid bytes).
    case notText(path: String, reason: String)
    /// A line of a `.tsv` pairs file without a tab between before and after.
    case pairWithoutTab(path: String, line: Int)
    /// A line of a `.jsonl` pairs file that is not `{"before": ..., "after": ...}`.
    case malformedPairRecord(path: String, line: Int)
    /// A pairs file that is neither `.tsv` nor `.jsonl`.
    case unknownPairsFormat(path: String)
    /// The general-English reference (set-up script) is missing or unreadable.
    case referenceUnavailable(path: String?, reason: String)
    /// A corpus glob reaches outside the style's project (and the folders the user allowed);
    /// `mark` is where the glob is written.
    case outsideProject(keyPath: String, mark: SourceMark?, OutsideScope)
    /// A corpus file larger than `CorpusReader.fileSizeLimit`.
    case tooLarge(path: String, bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .noVoiceCorpus(let style):
            return "style '\(style)' has no corpus.voice: list the on-voice text to train on, e.g. corpus: {voice: [corpora/\(style)/**/*.md]}"
        case .emptyCorpus(let role, let patterns):
            return "the \(role.rawValue) corpus (\(patterns.joined(separator: ", "))) has no sentences: add text files or fix the globs"
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .notText(let path, let reason): return "\(path): not a UTF-8 text file: \(reason)"
        case .pairWithoutTab(let path, let line):
            return "\(path):\(line): no tab between before and after; write 'before<TAB>after'"
        case .malformedPairRecord(let path, let line):
            return "\(path):\(line): not a JSON object with string fields \"before\" and \"after\""
        case .unknownPairsFormat(let path):
            return "\(path): pairs files must be .tsv (before<TAB>after) or .jsonl ({\"before\": ..., \"after\": ...})"
        case .referenceUnavailable(let path, let reason):
            return "general-English word frequencies \(path.map { "(\($0)) " } ?? "")unavailable: \(reason); run scripts/setup.sh or give the style a corpus.contrast"
        case .outsideProject(let keyPath, let mark, let outside):
            return (mark.map { "\($0): " } ?? "") + outside.message(keyPath: keyPath)
        case .tooLarge(let path, let bytes, let limit):
            return "\(path): the file is \(bytes) bytes; a corpus file may have at most \(limit) (\(limit >> 20) MiB): split it into several files"
        }
    }
}

/// Something in a corpus that training skips but a person should know about.
public struct CorpusWarning: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var message: String

    public var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): warning: \(message)" }
}

/// Which list of `corpus` a file comes from.
public enum CorpusRole: String, Sendable, Hashable, Codable, CaseIterable {
    case voice, contrast, pairs
}
