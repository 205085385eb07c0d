import HouseStyleText
import HouseStyleYAML

/// Enforces preferred terms: every listed variant becomes the preferred form, as whole words,
/// with plural and possessive endings carried over ("acme clouds" -> "Acme Clouds",
/// "AcmeCloud's" -> "Acme Cloud's").
///
/// Variants match regardless of letter case unless the term is `case_sensitive`; a
/// case-sensitive variant written in lower case still matches its sentence-capitalised form.
/// At the start of a sentence a lower-case preferred form is capitalised
/// ("Utilize the API" -> "Use the API").
public struct TermsStage: Sendable {
    public struct Term: Sendable, Hashable {
        public var use: String
        public var insteadOf: [String]
        public var caseSensitive: Bool
        public init(use: String, insteadOf: [String], caseSensitive: Bool = false) {
            self.use = use
            self.insteadOf = insteadOf
            self.caseSensitive = caseSensitive
        }
    }

    private struct Variant: Sendable {
        var bytes: [UInt8]       // the variant as written, first letter capitalised when `capitalised`
        var capitalised: Bool    // this entry matches the sentence-capitalised form
        var caseSensitive: Bool
        var use: String
        var variant: String
    }

    /// Variants by their leading run of letters and digits, longest first.
    private let byKey: [String: [Variant]]

    public init(terms: [Term]) {
        var table: [String: [Variant]] = [:]
        for term in terms {
            for variant in term.insteadOf where !variant.isEmpty {
                table[Self.key(of: variant), default: []].append(Variant(
                    bytes: Array(variant.utf8), capitalised: false, caseSensitive: term.caseSensitive,
                    use: term.use, variant: variant))
                if term.caseSensitive && Casing(of: String(Self.key(of: variant))) == .lower {
                    let capitalised = Casing.capitalised.apply(to: variant)
                    table[Self.key(of: capitalised), default: []].append(Variant(
                        bytes: Array(capitalised.utf8), capitalised: true, caseSensitive: true,
                        use: term.use, variant: variant))
                }
            }
        }
        for key in table.keys { table[key]!.sort { $0.bytes.count > $1.bytes.count } }
        byKey = table
    }

    private static func key(of word: some StringProtocol) -> String {
        String(word.prefix { $0.isLetter || $0.isNumber }).lowercased()
    }

    /// Endings a term's last word may carry: plural and possessive forms.
    private static let endings: [[UInt8]] = ["s", "es", "'s", "\u{2019}s", "s'", "s\u{2019}", ""].map { Array($0.utf8) }

    public func apply(to text: RuleText) -> [Edit] {
        var edits: [Edit] = []
        var index = 0
        while index < text.words.count {
            guard let match = longestMatch(at: index, in: text) else { index += 1; continue }
            let range = text.words[index].range.lowerBound..<match.end
            let capitalise = match.variant.capitalised || (Casing(of: match.variant.use) == .lower && text.startsSentence(index))
            var replacement = capitalise ? Casing.capitalised.apply(to: match.variant.use) : match.variant.use
            replacement += String(decoding: match.ending, as: UTF8.self)
            if text.string(range) != replacement {
                edits.append(Edit(
                    range: range, replacement: replacement, rule: "terms",
                    reason: "house term: use '\(match.variant.use)' instead of '\(match.variant.variant)'"))
            }
            while index < text.words.count && text.words[index].range.lowerBound < match.end { index += 1 }
        }
        return edits
    }

    /// The longest variant that starts at word `index` and ends on a word boundary.
    private func longestMatch(at index: Int, in text: RuleText) -> (variant: Variant, end: Int, ending: [UInt8])? {
        guard let candidates = byKey[Self.key(of: text.word(index))] else { return nil }
        let bytes = text.bytes
        let start = text.words[index].range.lowerBound
        for variant in candidates {
            // Variant bytes against the text; a space matches a run of blanks with at most one line break.
            var i = start
            var matched = true
            for byte in variant.bytes {
                if byte == UInt8(ascii: " ") {
                    var newlines = 0, blanks = 0
                    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D {
                        if bytes[i] == 0x0A { newlines += 1 }
                        blanks += 1
                        i += 1
                    }
                    if blanks == 0 || newlines > 1 { matched = false; break }
                } else if i < bytes.count, bytes[i] == byte || (!variant.caseSensitive && Self.foldsEqual(bytes[i], byte)) {
                    i += 1
                } else {
                    matched = false
                    break
                }
            }
            guard matched else { continue }
            for ending in Self.endings where bytes[i...].starts(with: ending) {
                let end = i + ending.count
                if end <= text.words[index].proseEnd && !text.isWordCharacter(at: end) { return (variant, end, ending) }
            }
        }
        return nil
    }

    /// ASCII letters equal regardless of case.
    private static func foldsEqual(_ a: UInt8, _ b: UInt8) -> Bool {
        let lower = a | 0x20
        return lower == b | 0x20 && lower >= 0x61 && lower <= 0x7A
    }
}

extension TermsStage: BuiltinStage {
    public static let stageID = BuiltinStageID.terms
    public static let summary = "Writes each house term in its preferred form (`terms`)."
    public static let examples = [
        StageExample(style: "terms:\n  - use: Acme Cloud\n    instead_of: [acme cloud, AcmeCloud]",
                     input: "Deploy to acme cloud. AcmeCloud's regions are fast.",
                     expected: "Deploy to Acme Cloud. Acme Cloud's regions are fast."),
        StageExample(style: "terms:\n  - use: to\n    instead_of: [in order to]",
                     input: "In order to start, run `in order to`.",
                     expected: "To start, run `in order to`."),
    ]

    public init?(style: Style, options: YAMLNode?, resources: Resources) throws {
        try rejectOptions(options, stage: Self.stageID)
        guard !style.terms.isEmpty else { return nil }
        self.init(terms: style.terms.map { Term(use: $0.use, insteadOf: $0.insteadOf, caseSensitive: $0.caseSensitive) })
    }

    public func apply(to input: StageInput) throws -> StageResult { StageResult(edits: apply(to: input.rules)) }
}
