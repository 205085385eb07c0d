import Foundation
import HouseStyleText

/// How on-voice one document is, and how many findings its style's rules report in it, as
/// `housestyle score` prints it (see `DocumentScorer` for the definition of the score).
///
/// Field names in JSON are stable: `path`, `score`, `words`, `scored_words`, `findings`,
/// `findings_by_level`, `findings_per_1000_words`, `paragraph_count`, `paragraphs`.
public struct DocumentScore: Codable, Sendable, Hashable {
    public var path: String
    /// 0–100, rounded to 0.1: the word-weighted mean of the paragraph scores (of every scored
    /// sentence's P(on-voice) × 100). Nil when the document has no paragraph of prose.
    public var score: Double?
    /// Words of the prose the rules see: paragraphs, headings and table cells (not code, front
    /// matter, URLs or markup).
    public var words: Int
    /// Words of the scored sentences (paragraphs only).
    public var scoredWords: Int
    /// Everything `housestyle check` reports for the document.
    public var findings: Int
    /// `findings` by level: `error`, `warning` and `suggestion`, each present.
    public var findingsByLevel: [String: Int]
    /// findings × 1000 / words, rounded to 0.1; nil for a document without prose words.
    public var findingsPer1000Words: Double?
    /// The number of scored paragraphs (`paragraphs` may list fewer when limited).
    public var paragraphCount: Int
    /// Scored paragraphs, lowest score first (ties in document order).
    public var paragraphs: [ParagraphScore]

    enum CodingKeys: String, CodingKey {
        case path, score, words, findings, paragraphs
        case scoredWords = "scored_words"
        case findingsByLevel = "findings_by_level"
        case findingsPer1000Words = "findings_per_1000_words"
        case paragraphCount = "paragraph_count"
    }

    /// Whether the document scores below `minimum` (a document without prose never does).
    public func isBelow(_ minimum: Double) -> Bool { score.map { $0 < minimum } ?? false }

    /// Encodes nil fields as `null` rather than leaving them out, so that every field is always there.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(score, forKey: .score)
        try container.encode(words, forKey: .words)
        try container.encode(scoredWords, forKey: .scoredWords)
        try container.encode(findings, forKey: .findings)
        try container.encode(findingsByLevel, forKey: .findingsByLevel)
        try container.encode(findingsPer1000Words, forKey: .findingsPer1000Words)
        try container.encode(paragraphCount, forKey: .paragraphCount)
        try container.encode(paragraphs, forKey: .paragraphs)
    }
}

/// The voice score of one paragraph.
///
/// Field names in JSON: `line`, `column`, `start`, `end`, `score`, `words`, `sentences`,
/// `findings`, `excerpt`.
public struct ParagraphScore: Codable, Sendable, Hashable {
    /// Where the paragraph's prose starts (1-based line, column in characters).
    public var line: Int
    public var column: Int
    /// UTF-8 byte offsets of the paragraph's prose in the document.
    public var start: Int
    public var end: Int
    /// 0–100, rounded to 0.1: the word-weighted mean of its sentences' P(on-voice) × 100.
    public var score: Double
    /// Words of its scored sentences.
    public var words: Int
    public var sentences: Int
    /// Findings of `housestyle check` that start in the paragraph.
    public var findings: Int
    /// The paragraph's start as written, whitespace collapsed, cut at about 72 characters (`…`).
    public var excerpt: String

    /// The excerpt of `text`: whitespace collapsed, control characters escaped, at most
    /// `length` characters, cut at a space where one is near the end.
    static func excerpt(_ text: String, length: Int = 72) -> String {
        let collapsed = FindingReport.oneLine(CorpusReader.collapseSpace(text[...]))
        guard collapsed.count > length else { return collapsed }
        var cut = collapsed.prefix(length - 1)
        if let space = cut.lastIndex(of: " "), collapsed.distance(from: collapsed.startIndex, to: space) >= length * 2 / 3 {
            cut = cut[..<space]
        }
        return cut.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: .punctuationCharacters) + "…"
    }
}

extension DocumentScore {
    /// `path: voice 61.3 (4 paragraphs, 210 words scored); 3 findings in 240 words, 12.5 per 1,000`,
    /// then each listed paragraph as `  path:line: 42.0  excerpt`, lowest first.
    public var formatted: String {
        let path = FindingReport.oneLine(self.path)
        var findingsText = "\(findings) finding\(findings == 1 ? "" : "s") in \(words) word\(words == 1 ? "" : "s")"
        if let rate = findingsPer1000Words { findingsText += String(format: ", %.1f per 1,000", rate) }
        guard let score else { return "\(path): no paragraph of prose to score; \(findingsText)\n" }
        var text = "\(path): voice \(String(format: "%.1f", score)) (\(paragraphCount) paragraph\(paragraphCount == 1 ? "" : "s"), "
            + "\(scoredWords) word\(scoredWords == 1 ? "" : "s") scored); \(findingsText)\n"
        for paragraph in paragraphs {
            text += "  \(path):\(paragraph.line): \(String(format: "%5.1f", paragraph.score))  \(paragraph.excerpt)\n"
        }
        return text
    }
}
