import HouseStyleText
import HouseStyleYAML

/// Enforces preferred terms: every listed variant becomes the preferred form, as whole words,
/// with plural and possessive endings carried over ("acme clouds" -> "Acme Clouds",
/// "AcmeCloud's" -> "Acme Cloud's").
///
/// Variants match regardless of letter case unless the term is `case_sensitive`; a
/// case-sensitive variant written in lower case still matches its sentence-capitalised form.
/// A lower-case preferred form follows the casing of the text it replaces ("TENANT" ->
/// "WORKSPACE", "Tenant" -> "Workspace"), and is capitalised at the start of a sentence
/// ("utilize the API" -> "Use the API"); one with capitals of its own ("PostgreSQL") stays as written.
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
        var useIsLower: Bool
        var capitalisedUse: String
        var reason: String

        init(bytes: [UInt8], capitalised: Bool, caseSensitive: Bool, use: String, variant: String) {
            self.bytes = bytes
            self.capitalised = capitalised
            self.caseSensitive = caseSensitive
            self.use = use
            self.variant = variant
            useIsLower = Casing(of: use) == .lower
            capitalisedUse = Casing.capitalised.apply(to: use)
            reason = "house term: use '\(use)' instead of '\(variant)'"
        }
    }

    /// Variants by the `WordKey` of their first word, longest first. A one-word variant is also
    /// filed under its plural forms ("tenant" under "tenants"), since endings are carried over.
    private let byKey: WordKeyTable<Variant>

    public init(terms: [Term]) {
        var table: [UInt64: [Variant]] = [:]
        func file(_ variant: Variant, as text: String) {
            var keys = [WordKey.of(word: text)]
            if text.allSatisfy({ $0.isLetter || $0.isNumber }) {
                keys += [WordKey.of(word: text + "s"), WordKey.of(word: text + "es")]
            }
            for key in keys { table[key, default: []].append(variant) }
        }
        for term in terms {
            for variant in term.insteadOf where !variant.isEmpty {
                file(Variant(bytes: Array(variant.utf8), capitalised: false, caseSensitive: term.caseSensitive,
                             use: term.use, variant: variant), as: variant)
                let first = String(variant.prefix { $0.isLetter || $0.isNumber })
                if term.caseSensitive && Casing(of: first) == .lower {
                    let capitalised = Casing.capitalised.apply(to: variant)
                    file(Variant(bytes: Array(capitalised.utf8), capitalised: true, caseSensitive: true,
                                 use: term.use, variant: variant), as: capitalised)
                }
            }
        }
        for key in table.keys { table[key]!.sort { $0.bytes.count > $1.bytes.count } }
        byKey = WordKeyTable(table)
    }

    /// Endings a term's last word may carry: plural and possessive forms.
    private static let endings: [(bytes: [UInt8], text: String)] =
        ["s", "es", "'s", "\u{2019}s", "s'", "s\u{2019}", ""].map { (Array($0.utf8), $0) }

    public func apply(to text: RuleText) -> [Edit] {
        var edits: [Edit] = []
        var index = 0
        while index < text.words.count {
            let candidates = byKey.range(of: text.words[index].key)
            guard !candidates.isEmpty, let match = longestMatch(at: index, among: candidates, in: text) else { index += 1; continue }
            let range = text.words[index].range.lowerBound..<match.end
            let variant = byKey.entries[match.variant]
            // A lower-case preferred form follows the matched text's casing ("TENANT" ->
            // "WORKSPACE", "Tenant" -> "Workspace"); one with its own capitals stays as written.
            let matched = variant.useIsLower ? Casing(of: text.bytes[range]) : .lower
            let capitalise = variant.capitalised
                || (variant.useIsLower && (matched == .capitalised || text.startsSentence(index)))
            var replacement = capitalise ? variant.capitalisedUse : variant.use
            replacement += Self.endings[match.ending].text
            if matched == .upper { replacement = replacement.uppercased() }
            if !text.text(range, equals: replacement) {
                edits.append(Edit(range: range, replacement: replacement, rule: "terms", reason: variant.reason))
            }
            while index < text.words.count && text.words[index].range.lowerBound < match.end { index += 1 }
        }
        return edits
    }

    /// The longest of the variants `candidates` (indices of `byKey.entries`) that starts at word
    /// `index` and ends on a word boundary, with the index of its ending in `endings`.
    private func longestMatch(at index: Int, among candidates: Range<Int>, in text: RuleText) -> (variant: Int, end: Int, ending: Int)? {
        let bytes = text.bytes
        for c in candidates {
            guard let i = text.match(byKey.entries[c].bytes, at: index, caseSensitive: byKey.entries[c].caseSensitive) else { continue }
            // Endings match regardless of case ("TENANTS", "ACMECLOUD'S"); the replacement's ending is
            // written in lower case, or in capitals with the rest of an all-caps replacement.
            for (e, ending) in Self.endings.enumerated()
            where bytes[i...].starts(with: ending.bytes, by: { $0 == $1 || RuleText.foldsEqual($0, $1) }) {
                let end = i + ending.bytes.count
                if end <= text.words[index].proseEnd && !text.isWordCharacter(at: end) { return (c, end, e) }
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
        StageExample(style: "terms:\n  - use: workspace\n    instead_of: [tenant]",
                     input: "# TENANT SETTINGS\n\nEach Tenant has one tenant.\n",
                     expected: "# WORKSPACE SETTINGS\n\nEach Workspace has one workspace.\n"),
    ]

    public init?(style: Style, options: YAMLNode?, resources: Resources) throws {
        try rejectOptions(options, stage: Self.stageID)
        guard !style.terms.isEmpty else { return nil }
        self.init(terms: style.terms.map { Term(use: $0.use, insteadOf: $0.insteadOf, caseSensitive: $0.caseSensitive) })
    }

    public func apply(to input: StageInput) throws -> StageResult { StageResult(edits: apply(to: input.rules)) }
}
