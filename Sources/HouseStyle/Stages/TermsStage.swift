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
        // "tenants" looks up "tenant" too: single-word variants carry plural endings.
        let key = Self.key(of: text.word(index))
        var keys = [key]
        if key.hasSuffix("s") { keys.append(String(key.dropLast())) }
        if key.hasSuffix("es") { keys.append(String(key.dropLast(2))) }
        let candidates = keys.flatMap { byKey[$0] ?? [] }.sorted { $0.bytes.count > $1.bytes.count }
        guard !candidates.isEmpty else { return nil }
        let bytes = text.bytes
        for variant in candidates {
            guard let i = text.match(variant.bytes, at: index, caseSensitive: variant.caseSensitive) else { continue }
            for ending in Self.endings where bytes[i...].starts(with: ending) {
                let end = i + ending.count
                if end <= text.words[index].proseEnd && !text.isWordCharacter(at: end) { return (variant, end, ending) }
            }
        }
        return nil
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
