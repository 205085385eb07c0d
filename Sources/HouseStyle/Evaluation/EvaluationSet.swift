import Foundation

/// One source sentence with its editors' reference rewrites (none, one or several).
public struct EvaluationRecord: Sendable, Hashable {
    public var source: String
    public var references: [String]

    public init(source: String, references: [String]) {
        self.source = source
        self.references = references
    }
}

/// Reads what `housestyle eval` compares against: a pairs file, or a source file with
/// line-aligned reference files.
public enum EvaluationSet {
    /// Records of a pairs file in the format of `corpus.pairs` (`before<TAB>after` TSV, or JSONL
    /// with `before` and `after`). Pairs with the same source become one record with several
    /// references, in the order the sources first appear. Pairs whose editor changed nothing are kept.
    public static func pairs(_ path: String) throws(EvaluationError) -> [EvaluationRecord] {
        var warnings: [CorpusWarning] = []
        let pairs: [SentencePair]
        do {
            let (text, _) = try CorpusReader.readFile(path, role: .pairs)
            pairs = try CorpusReader.pairs(in: text, path: path, warnings: &warnings, keepingIdentical: true)
        } catch {
            throw .input(error)
        }
        let records = grouping(pairs)
        guard !records.isEmpty else { throw .emptyInput(path: path) }
        return records
    }

    /// `pairs` as records: the pairs with the same source are one record with their references, in
    /// the order the sources first appear; a reference given twice counts once. (`train`'s
    /// calibration groups its held-out revisions this way too.)
    static func grouping(_ pairs: [SentencePair]) -> [EvaluationRecord] {
        var records: [EvaluationRecord] = []
        var index: [String: Int] = [:]
        for pair in pairs {
            if let i = index[pair.before] {
                if !records[i].references.contains(pair.after) { records[i].references.append(pair.after) }
            } else {
                index[pair.before] = records.count
                records.append(EvaluationRecord(source: pair.before, references: [pair.after]))
            }
        }
        return records
    }

    /// Records of a source file (one sentence a line) and reference files (none or more) with one
    /// line per source line; without references only the reference-free measures are reported. An empty reference line means that file has no reference for that sentence;
    /// an empty source line is skipped with its references.
    public static func files(source: String, references: [String]) throws(EvaluationError) -> [EvaluationRecord] {
        let sources = try lines(source)
        var referenceLines: [[String]] = []
        for path in references {
            let lines = try lines(path)
            guard lines.count == sources.count else {
                throw .lineCountMismatch(source: source, sourceLines: sources.count, reference: path, referenceLines: lines.count)
            }
            referenceLines.append(lines)
        }
        var records: [EvaluationRecord] = []
        for (i, line) in sources.enumerated() where !line.allSatisfy(\.isWhitespace) {
            records.append(EvaluationRecord(source: line, references: referenceLines.map { $0[i] }.filter { !$0.isEmpty }))
        }
        guard !records.isEmpty else { throw .emptyInput(path: source) }
        return records
    }

    /// The lines of a text file, without line ends; a final line end adds no empty line.
    static func lines(_ path: String) throws(EvaluationError) -> [String] {
        let text: String
        do { (text, _) = try CorpusReader.readFile(path, role: .pairs) } catch { throw .input(error) }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
