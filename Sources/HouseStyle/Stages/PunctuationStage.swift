import HouseStyleText
import HouseStyleYAML

/// Dashes, ellipses and the serial (Oxford) comma.
///
/// - dashes `em`: a spaced hyphen or double hyphen between words becomes an unspaced em dash
///   ("fast - and cheap" -> "fast—and cheap"); `en`: a spaced en dash ("fast – and cheap").
/// - ellipsis `character`: "..." becomes "…"; `dots`: "…" becomes "...".
/// - Oxford comma: added in a list of three or more items that already has two commas
///   ("red, green, blue and white"), where the list is unambiguous; a list with a single comma
///   ("A, B and C" could be an introductory phrase) gets a finding instead. `false` removes it
///   from a list with two more commas ("A, B, C, and D"), and reports "A, B, and C".
public struct PunctuationStage: Sendable {
    public var dashes: DashStyle
    public var ellipsis: EllipsisStyle
    /// nil: leave serial commas as they are.
    public var oxfordComma: Bool?

    public init(dashes: DashStyle = .keep, ellipsis: EllipsisStyle = .keep, oxfordComma: Bool? = nil) {
        self.dashes = dashes
        self.ellipsis = ellipsis
        self.oxfordComma = oxfordComma
    }

    public func apply(to text: RuleText) -> (edits: [Edit], findings: [Finding]) {
        var edits = characterEdits(text)
        var findings: [Finding] = []
        if let oxfordComma {
            let serial = serialCommas(text, add: oxfordComma)
            edits += serial.edits
            findings += serial.findings
            edits.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        }
        return (edits, findings)
    }

    private func characterEdits(_ text: RuleText) -> [Edit] {
        var edits: [Edit] = []
        let bytes = text.bytes
        let ellipsisCharacter: [UInt8] = [0xE2, 0x80, 0xA6]
        guard dashes != .keep || ellipsis != .keep else { return [] }
        // What can start an edit: a hyphen (dashes), two dots (the ellipsis character), the lead
        // byte of '…' (E2, three dots); the search passes the others. A lone '.', at the end of
        // every sentence, started nothing: stopping there was a step that did nothing.
        let other: UInt8 = ellipsis == .dots ? 0xE2 : 0x2D
        let doubled: UInt8 = ellipsis == .character ? 0x2E : 0x2D
        for prose in text.prose {
            var i = prose.lowerBound
            while i < prose.upperBound {
                i = ByteSearch.first(0x2D, other, doubled: doubled, in: bytes, from: i, to: prose.upperBound)
                guard i < prose.upperBound else { break }
                // Ellipsis.
                // (Bytes compared one by one: an array literal here would be allocated at every period.)
                if ellipsis == .character, i + 3 <= prose.upperBound, bytes[i] == 0x2E, bytes[i + 1] == 0x2E, bytes[i + 2] == 0x2E,
                    (i == prose.lowerBound || bytes[i - 1] != 0x2E), (i + 3 == bytes.count || bytes[i + 3] != 0x2E) {
                    edits.append(Edit(range: i..<i + 3, replacement: "\u{2026}", rule: "punctuation", reason: "ellipsis character"))
                    i += 3
                    continue
                }
                if ellipsis == .dots, bytes[i...].starts(with: ellipsisCharacter), i + 3 <= prose.upperBound {
                    edits.append(Edit(range: i..<i + 3, replacement: "...", rule: "punctuation", reason: "ellipsis as three dots"))
                    i += 3
                    continue
                }
                // Dashes: " - " or " -- " between words, or "--" inside a word pair.
                if dashes != .keep, bytes[i] == UInt8(ascii: "-"), let dash = dashRange(at: i, in: text, prose: prose) {
                    let replacement = dashes == .em ? "\u{2014}" : " \u{2013} "
                    if text.string(dash) != replacement {
                        edits.append(Edit(range: dash, replacement: replacement, rule: "punctuation",
                            reason: dashes == .em ? "em dash between clauses" : "spaced en dash between clauses"))
                    }
                    i = dash.upperBound
                    continue
                }
                i += 1
            }
        }
        return edits
    }

    /// The spaced hyphen(s) starting at `i`, with their spaces, when they stand between two words.
    private func dashRange(at i: Int, in text: RuleText, prose: Range<Int>) -> Range<Int>? {
        let bytes = text.bytes
        var end = i
        while end < prose.upperBound && bytes[end] == UInt8(ascii: "-") { end += 1 }
        let hyphens = end - i
        guard hyphens <= 2 else { return nil }
        var start = i
        let spacedBefore = start > prose.lowerBound && bytes[start - 1] == UInt8(ascii: " ")
        let spacedAfter = end < prose.upperBound && bytes[end] == UInt8(ascii: " ")
        if hyphens == 1 && !(spacedBefore && spacedAfter) { return nil }  // a hyphenated word
        if spacedBefore != spacedAfter { return nil }
        if spacedBefore { start -= 1; end += 1 }
        guard start > prose.lowerBound, end < prose.upperBound,
            text.isWordCharacter(at: start - 1) || bytes[start - 1] == UInt8(ascii: ",") || bytes[start - 1] == UInt8(ascii: ")")
                || Self.isClosingStraightQuote(at: start - 1, in: bytes) || Self.endsCurlyQuote(closing: true, before: start, in: bytes),
            text.isWordCharacter(at: end) || bytes[end] == UInt8(ascii: "(")
                || Self.isOpeningStraightQuote(at: end, in: bytes) || Self.endsCurlyQuote(closing: false, before: end + 3, in: bytes)
        else { return nil }
        // Maths and ranges are no clauses: "x - 1", "pages 10 - 20", "a - b".
        func isDigit(_ k: Int) -> Bool { k >= 0 && k < bytes.count && bytes[k] >= 0x30 && bytes[k] <= 0x39 }
        func singleLetter(from k: Int, step: Int) -> Bool {
            let next = k + step
            return k >= 0 && k < bytes.count && ASCIILetter(bytes[k]) && (next < 0 || next >= bytes.count || !text.isWordCharacter(at: next))
        }
        if isDigit(start - 1) || isDigit(end) || (singleLetter(from: start - 1, step: -1) && singleLetter(from: end, step: 1)) { return nil }
        // "_ - _" -> "_—_" would be emphasis.
        let emphasis: Set<UInt8> = [UInt8(ascii: "_"), UInt8(ascii: "*")]
        if emphasis.contains(bytes[start - 1]) || emphasis.contains(bytes[end]) { return nil }
        return start..<end
    }

    private func ASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }

    /// A straight quote that closes a quotation: it follows a non-space (`"x" -- y`), unlike the
    /// opening one of `the "--force" flag`.
    private static func isClosingStraightQuote(at offset: Int, in bytes: [UInt8]) -> Bool {
        (bytes[offset] == UInt8(ascii: "\"") || bytes[offset] == UInt8(ascii: "'")) && offset > 0 && !isSpace(bytes[offset - 1])
    }

    /// A straight quote that opens a quotation: a non-space follows it (`x -- "y"`).
    private static func isOpeningStraightQuote(at offset: Int, in bytes: [UInt8]) -> Bool {
        (bytes[offset] == UInt8(ascii: "\"") || bytes[offset] == UInt8(ascii: "'")) && offset + 1 < bytes.count && !isSpace(bytes[offset + 1])
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// True when the three bytes before `offset` are a curly closing (’ ”) or opening (‘ “) mark.
    private static func endsCurlyQuote(closing: Bool, before offset: Int, in bytes: [UInt8]) -> Bool {
        guard offset >= 3, offset <= bytes.count, bytes[offset - 3] == 0xE2, bytes[offset - 2] == 0x80 else { return false }
        // As for straight quotes: a closing mark follows a non-space, an opening one precedes one
        // (so that curling a quote never makes a dash where the straight quote made none).
        if closing {
            guard offset >= 4, !isSpace(bytes[offset - 4]) else { return false }
            return bytes[offset - 1] == 0x99 || bytes[offset - 1] == 0x9D
        }
        guard offset < bytes.count, !isSpace(bytes[offset]) else { return false }
        return bytes[offset - 1] == 0x98 || bytes[offset - 1] == 0x9C
    }

    private static let conjunctions = ["and", "or"]
    private static let conjunctionBytes = conjunctions.map { Array($0.utf8) }
    private static let conjunctionKeys = conjunctions.map { WordKey.of(word: $0) }
    private static let addReasons = conjunctions.map { "serial (Oxford) comma before '\($0)'" }
    private static let removeReasons = conjunctions.map { "no serial (Oxford) comma before '\($0)'" }
    private static let addFindings = conjunctions.map { "if this is a list, add a serial (Oxford) comma before '\($0)'" }
    private static let removeFindings = conjunctions.map { "if this is a list, remove the serial (Oxford) comma before '\($0)'" }

    /// What stands between two words, as the list walk needs it.
    private enum Gap { case space, commaSpace, other(hasCommaOrSemicolon: Bool) }

    /// The gap `range`: ASCII gaps (nearly all) are read from the bytes, others as a `String`.
    private func gap(_ range: Range<Int>, in text: RuleText) -> Gap {
        let slice = text.bytes[range]
        if slice.count == 1 && slice.first == 0x20 { return .space }
        if slice.count == 2 && slice.first == 0x2C && slice.last == 0x20 { return .commaSpace }
        if !RuleText.hasNonASCII(slice) { return .other(hasCommaOrSemicolon: slice.contains { $0 == 0x2C || $0 == 0x3B }) }
        let gap = text.string(range)
        if gap == " " { return .space }
        if gap == ", " { return .commaSpace }
        return .other(hasCommaOrSemicolon: gap.contains(",") || gap.contains(";"))
    }

    /// Which of `conjunctions` word `k` is, if any.
    private func conjunction(_ k: Int, in text: RuleText) -> Int? {
        let word = text.bytes[text.words[k].range]
        return Self.conjunctionBytes.firstIndex { word.elementsEqual($0) }
    }

    /// Serial commas, found from the words: a conjunction preceded by at least one ", item"
    /// where every item is at most three words joined by spaces.
    private func serialCommas(_ text: RuleText, add: Bool) -> (edits: [Edit], findings: [Finding]) {
        var edits: [Edit] = []
        var findings: [Finding] = []
        let words = text.words
        let andKey = Self.conjunctionKeys[0], orKey = Self.conjunctionKeys[1]
        for k in 1..<max(1, words.count) {
            let key = words[k].key
            guard key == andKey || key == orKey, let c = conjunction(k, in: text) else { continue }
            let gapBefore = gap(words[k - 1].range.upperBound..<words[k].range.lowerBound, in: text)
            let commaBefore: Bool
            switch gapBefore {
            case .space: commaBefore = false
            case .commaSpace: commaBefore = true
            case .other: continue
            }
            guard k + 1 < words.count, text.onlySpaceBetween(k) else { continue }
            // Walk back over items separated by ", ".
            var commas = 0
            var itemWords = 0
            var j = k - 1
            var valid = true
            if commaBefore { commas = 1 }
            walk: while j > 0 {
                // An item holding a conjunction ("A, B, or C or D") is not a simple list: leave it.
                if words[j].key == andKey || words[j].key == orKey, conjunction(j, in: text) != nil {
                    valid = false
                    break
                }
                let between = gap(words[j - 1].range.upperBound..<words[j].range.lowerBound, in: text)
                itemWords += 1
                if itemWords > 3 { break }
                switch between {
                case .space:
                    j -= 1
                case .commaSpace:
                    commas += 1
                    itemWords = 0
                    j -= 1
                case .other(let hasCommaOrSemicolon):
                    if hasCommaOrSemicolon { valid = false }
                    break walk
                }
            }
            guard valid else { continue }
            let listCommas = commaBefore ? commas - 1 : commas
            if add && !commaBefore {
                if listCommas >= 2 {
                    let at = words[k - 1].range.upperBound
                    edits.append(Edit(range: at..<at, replacement: ",", rule: "punctuation",
                        reason: Self.addReasons[c], confidence: 0.9))
                } else if listCommas == 1 {
                    findings.append(Finding(range: words[k].range, level: .suggestion,
                        message: Self.addFindings[c], rule: "punctuation"))
                }
            } else if !add && commaBefore {
                if listCommas >= 2 {
                    let at = words[k - 1].range.upperBound
                    edits.append(Edit(range: at..<at + 1, replacement: "", rule: "punctuation",
                        reason: Self.removeReasons[c], confidence: 0.9))
                } else if listCommas == 1 {
                    // "A, B, and C" or "Yes, we went, and we slept": only a writer can tell.
                    findings.append(Finding(range: words[k].range, level: .suggestion,
                        message: Self.removeFindings[c], rule: "punctuation"))
                }
            }
        }
        return (edits, findings)
    }
}

public enum QuoteStyle: String, Sendable, Hashable, Codable, CaseIterable {
    case curly, straight, keep
}

public enum DashStyle: String, Sendable, Hashable, Codable, CaseIterable {
    case em, en, keep
}

/// `character` writes "…", `dots` writes "...".
public enum EllipsisStyle: String, Sendable, Hashable, Codable, CaseIterable {
    case character, dots, keep
}

/// `punctuation` settings.
public struct Punctuation: Sendable, Hashable {
    /// Default: `keep`.
    public var quotes: QuoteStyle
    /// `true` adds the serial comma, `false` removes it; `nil` (the default) leaves it alone.
    public var oxfordComma: Bool?
    /// Default: `keep`.
    public var dashes: DashStyle
    /// Default: `keep`.
    public var ellipsis: EllipsisStyle

    public init(quotes: QuoteStyle = .keep, oxfordComma: Bool? = nil, dashes: DashStyle = .keep, ellipsis: EllipsisStyle = .keep) {
        self.quotes = quotes
        self.oxfordComma = oxfordComma
        self.dashes = dashes
        self.ellipsis = ellipsis
    }
}

extension PunctuationStage: BuiltinStage {
    /// The `punctuation` mapping; `quotes` is the `smart_quotes` stage's work.
    public enum Settings {
        public static let quotes = StageSetting<QuoteStyle>(
            "punctuation.quotes", default: .keep, summary: "Quotation marks and apostrophes: curly, straight, or keep as written (the smart_quotes stage).")
        public static let oxfordComma = StageSetting<Bool?>(
            "punctuation.oxford_comma", documentedDefault: "not enforced",
            summary: "true: a serial comma before the last item of a list; false: none. Leave it out to leave commas alone.")
        public static let dashes = StageSetting<DashStyle>(
            "punctuation.dashes", default: .keep, summary: "Dash between clauses: em, en, or keep as written.")
        public static let ellipsis = StageSetting<EllipsisStyle>(
            "punctuation.ellipsis", default: .keep, summary: "Ellipsis: the character (…), three dots, or keep as written.")
    }

    public static let stageID = BuiltinStageID.punctuation
    public static let settings = [Settings.quotes.erased, Settings.oxfordComma.erased, Settings.dashes.erased, Settings.ellipsis.erased]
    public static let defaultList: StageList? = .post
    public static let carriesRule = true
    public static let summary = "Dashes, ellipses and serial commas (`punctuation`)."
    public static let examples = [
        StageExample(style: "punctuation: { dashes: em, ellipsis: character }", input: "Fast - and cheap...",
                     expected: "Fast\u{2014}and cheap\u{2026}"),
        StageExample(style: "punctuation: { oxford_comma: true }", input: "Red, green, blue and white.",
                     expected: "Red, green, blue, and white."),
        StageExample(style: "punctuation: { oxford_comma: false }", input: "Red, green, blue, and white.",
                     expected: "Red, green, blue and white."),
    ]

    public init?(style: Style, options: StageSettings, resources: Resources) throws {
        let p = style.punctuation
        guard p.dashes != .keep || p.ellipsis != .keep || p.oxfordComma != nil else { return nil }
        self.init(dashes: p.dashes, ellipsis: p.ellipsis, oxfordComma: p.oxfordComma)
    }

    public func apply(to input: StageInput) throws -> StageResult {
        let (edits, findings) = apply(to: input.rules)
        return StageResult(edits: edits, findings: findings)
    }
}

extension Style {
    /// The `punctuation` settings together.
    public var punctuation: Punctuation {
        get {
            Punctuation(quotes: self[PunctuationStage.Settings.quotes], oxfordComma: self[PunctuationStage.Settings.oxfordComma],
                        dashes: self[PunctuationStage.Settings.dashes], ellipsis: self[PunctuationStage.Settings.ellipsis])
        }
        set {
            self[PunctuationStage.Settings.quotes] = newValue.quotes
            self[PunctuationStage.Settings.oxfordComma] = newValue.oxfordComma
            self[PunctuationStage.Settings.dashes] = newValue.dashes
            self[PunctuationStage.Settings.ellipsis] = newValue.ellipsis
        }
    }
}
