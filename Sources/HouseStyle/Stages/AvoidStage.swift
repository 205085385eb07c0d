import HouseStyleText
import HouseStyleYAML

/// Words the style avoids. A listed replacement is applied; an empty intensifier or filler
/// adverb ("simply", "obviously", "very") is removed where the sentence stays well formed;
/// anything else is reported as a finding for a writer to decide.
///
/// An entry of several words ("please be advised", "going forward") matches as a phrase of whole
/// words, regardless of letter case and across a line break; it is replaced when it has an
/// `instead` and reported otherwise (removing a phrase is never assumed safe).
public struct AvoidStage: Sendable {
    public struct Entry: Sendable, Hashable {
        public var word: String
        public var instead: String?
        public init(word: String, instead: String? = nil) {
            self.word = word
            self.instead = instead
        }
    }

    /// Adverbs whose removal keeps a sentence grammatical, with the confidence of doing so.
    /// "just" and "quite" also have other senses ("a just cause", "not quite"), so less sure.
    static let removable: [String: Double] = [
        "simply": 0.9, "obviously": 0.9, "basically": 0.9, "actually": 0.85, "very": 0.85, "really": 0.85,
        "clearly": 0.85, "extremely": 0.85, "totally": 0.85, "literally": 0.85, "truly": 0.85,
        "essentially": 0.85, "definitely": 0.85, "certainly": 0.8, "just": 0.75, "quite": 0.7,
        "easily": 0.75, "honestly": 0.85, "frankly": 0.85,
    ]

    /// Single-word entries by their lower-case word.
    private let entries: [String: Entry]
    /// Multi-word entries (words joined by single spaces) by their lower-case first word, longest first.
    private let phrases: [String: [(bytes: [UInt8], entry: Entry)]]

    public init(entries: [Entry]) {
        var table: [String: Entry] = [:]
        var phrases: [String: [(bytes: [UInt8], entry: Entry)]] = [:]
        for entry in entries {
            let words = entry.word.split(whereSeparator: \.isWhitespace)
            guard let first = words.first else { continue }
            if words.count == 1 {
                table[entry.word.lowercased()] = entry
            } else {
                phrases[first.lowercased(), default: []].append((Array(words.joined(separator: " ").utf8), entry))
            }
        }
        for key in phrases.keys { phrases[key]!.sort { $0.bytes.count > $1.bytes.count } }
        self.entries = table
        self.phrases = phrases
    }

    /// The longest multi-word entry starting at word `index`, with the offset where it ends.
    private func phrase(at index: Int, in text: RuleText) -> (entry: Entry, end: Int)? {
        guard let candidates = phrases[text.word(index).lowercased()] else { return nil }
        for candidate in candidates {
            if let end = text.match(candidate.bytes, at: index, caseSensitive: false), !text.isWordCharacter(at: end) {
                return (candidate.entry, end)
            }
        }
        return nil
    }

    /// The entry a word belongs to: itself, or an inflection of a listed word
    /// ("leverages", "leveraging" for "leverage").
    private func entry(for word: String) -> (entry: Entry, exact: Bool)? {
        let lower = word.lowercased()
        if let entry = entries[lower] { return (entry, true) }
        for suffix in ["s", "es", "d", "ed", "ing"] where lower.hasSuffix(suffix) {
            let stem = String(lower.dropLast(suffix.count))
            if let entry = entries[stem] ?? entries[stem + "e"], Self.removable[entry.word.lowercased()] == nil {
                return (entry, false)
            }
        }
        return nil
    }

    public func apply(to text: RuleText) -> (edits: [Edit], findings: [Finding]) {
        var edits: [Edit] = []
        var findings: [Finding] = []
        var index = 0
        while index < text.words.count {
            let token = text.words[index]
            if let (entry, end) = phrase(at: index, in: text) {
                let range = token.range.lowerBound..<end
                let written = text.string(range)
                if let instead = entry.instead {
                    edits.append(Edit(range: range, replacement: Casing(of: written).apply(to: instead), rule: "avoid",
                        reason: "avoid '\(entry.word)': use '\(instead)'"))
                } else {
                    let shown = written.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    findings.append(Finding(range: range, level: .warning, message: "avoid '\(shown)'", rule: "avoid"))
                }
                while index < text.words.count && text.words[index].range.lowerBound < end { index += 1 }
                continue
            }
            let word = text.string(token.range)
            guard let (entry, exact) = entry(for: word) else { index += 1; continue }
            if let instead = entry.instead, exact {
                edits.append(Edit(range: token.range, replacement: Casing(of: word).apply(to: instead), rule: "avoid",
                    reason: "avoid '\(entry.word)': use '\(instead)'"))
            } else if exact, let confidence = Self.removable[entry.word.lowercased()],
                let removal = removal(of: index, in: text) {
                edits.append(Edit(range: removal.range, replacement: removal.replacement, rule: "avoid",
                    reason: "avoid '\(entry.word)': it adds nothing", confidence: confidence))
                if removal.consumedNext { index += 1 }
            } else {
                findings.append(Finding(range: token.range, level: .warning,
                    message: "avoid '\(word)'" + (entry.instead.map { "; consider '\($0)'" } ?? ""), rule: "avoid"))
            }
            index += 1
        }
        return (edits, findings)
    }

    /// How to delete word `index` so the sentence stays well formed, or nil when it cannot be
    /// deleted safely (last word of a clause, "Really?").
    private func removal(of index: Int, in text: RuleText) -> (range: Range<Int>, replacement: String, consumedNext: Bool)? {
        let token = text.words[index]
        guard index + 1 < text.words.count, token.proseEnd >= text.words[index + 1].range.upperBound else { return nil }
        let next = text.words[index + 1]
        let gap = text.string(token.range.upperBound..<next.range.lowerBound)
        let sentenceStart = text.startsSentence(index)
        if gap.allSatisfy({ $0 == " " }) && !gap.isEmpty {
            // "Simply click Save" -> "Click Save"; "is very fast" -> "is fast".
            if sentenceStart {
                let nextWord = text.string(next.range)
                return (token.range.lowerBound..<next.range.upperBound, Casing.capitalised.apply(to: nextWord), true)
            }
            return (token.range.lowerBound..<next.range.lowerBound, "", false)
        }
        if sentenceStart && gap == ", " {
            // "Obviously, it works" -> "It works".
            let nextWord = text.string(next.range)
            return (token.range.lowerBound..<next.range.upperBound, Casing.capitalised.apply(to: nextWord), true)
        }
        if gap.hasPrefix(","), token.range.lowerBound >= 2,
            text.bytes[token.range.lowerBound - 2] == UInt8(ascii: ","), text.bytes[token.range.lowerBound - 1] == UInt8(ascii: " ") {
            // A parenthetical: "It is, clearly, fast" -> "It is fast".
            return ((token.range.lowerBound - 2)..<(token.range.upperBound + 1), "", false)
        }
        return nil
    }
}

extension AvoidStage: BuiltinStage {
    public static let stageID = BuiltinStageID.avoid
    public static let summary = "Removes filler words, replaces or reports words the style avoids (`avoid`)."
    public static let examples = [
        StageExample(style: "avoid: [simply]", input: "Simply click Save.", expected: "Click Save."),
        StageExample(style: "avoid: [very]", input: "It is very fast.", expected: "It is fast."),
        StageExample(style: "avoid:\n  - word: leverage\n    instead: use", input: "We leverage caching.", expected: "We use caching."),
        StageExample(style: "avoid:\n  - word: going forward\n    instead: from now on", input: "Going forward, we ship weekly.",
                     expected: "From now on, we ship weekly."),
    ]

    public init?(style: Style, options: YAMLNode?, resources: Resources) throws {
        try rejectOptions(options, stage: Self.stageID)
        guard !style.avoid.isEmpty else { return nil }
        self.init(entries: style.avoid.map { Entry(word: $0.word, instead: $0.instead) })
    }

    public func apply(to input: StageInput) throws -> StageResult {
        let (edits, findings) = apply(to: input.rules)
        return StageResult(edits: edits, findings: findings)
    }
}
