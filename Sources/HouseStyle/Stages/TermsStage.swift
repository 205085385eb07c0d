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
        /// Shown after the reason of each edit.
        public var note: String?
        /// The level `check` reports the term's edits at; nil: by their confidence.
        public var level: FindingLevel?
        /// The name its edits are reported under; nil: `terms`.
        public var rule: String?
        public init(use: String, insteadOf: [String], caseSensitive: Bool = false, note: String? = nil, level: FindingLevel? = nil,
                    rule: String? = nil) {
            self.use = use
            self.insteadOf = insteadOf
            self.caseSensitive = caseSensitive
            self.note = note
            self.level = level
            self.rule = rule
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
        var level: FindingLevel?
        var rule: String?
        /// How the variant is written: text in the same casing ("URL" for "URL") takes the preferred
        /// form as written, not in capitals.
        var variantCasing: Casing
        /// Byte offsets at which the variant stands as whole words inside the preferred form
        /// ("page" in "web page"): text that already reads as the preferred form is left alone.
        var insideUse: [Int] = []
        var useBytes: [UInt8]
        /// The first byte of the variant's second word when its first word is a run of ASCII
        /// letters and digits and one space parts them ("o" for "in order to"), else 0. Where
        /// the variant matches, the next word of the text starts with that byte (`longestMatch`).
        var secondStart: UInt8 = 0

        init(bytes: [UInt8], capitalised: Bool, term: Term, variant: String) {
            self.bytes = bytes
            self.capitalised = capitalised
            self.caseSensitive = term.caseSensitive
            self.use = term.use
            self.variant = variant
            self.level = term.level
            self.rule = term.rule
            let use = term.use
            useIsLower = Casing(of: use) == .lower
            capitalisedUse = Casing.capitalised.apply(to: use)
            reason = "house term: use '\(use)' instead of '\(variant)'" + (term.note.map { "; \($0)" } ?? "")
            variantCasing = Casing(of: variant)
            useBytes = Array(use.lowercased().utf8)
            @inline(__always) func isLetterOrDigit(_ byte: UInt8) -> Bool {
                (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            }
            if let space = bytes.firstIndex(of: UInt8(ascii: " ")), space > 0, space + 1 < bytes.count,
                bytes[..<space].allSatisfy(isLetterOrDigit), isLetterOrDigit(bytes[space + 1]) {
                secondStart = bytes[space + 1]
            }
            let lowerVariant = Array(variant.lowercased().utf8)
            if lowerVariant.count < useBytes.count {
                for start in 0...(useBytes.count - lowerVariant.count) where Array(useBytes[start..<start + lowerVariant.count]) == lowerVariant {
                    let end = start + lowerVariant.count
                    let before = start == 0 || useBytes[start - 1] == UInt8(ascii: " ") || useBytes[start - 1] == UInt8(ascii: "-")
                    let after = end == useBytes.count || useBytes[end] == UInt8(ascii: " ") || useBytes[end] == UInt8(ascii: "-")
                    if before && after { insideUse.append(start) }
                }
            }
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
                file(Variant(bytes: Array(variant.utf8), capitalised: false, term: term, variant: variant), as: variant)
                let first = String(variant.prefix { $0.isLetter || $0.isNumber })
                if term.caseSensitive && Casing(of: first) == .lower {
                    let capitalised = Casing.capitalised.apply(to: variant)
                    file(Variant(bytes: Array(capitalised.utf8), capitalised: true, term: term, variant: variant), as: capitalised)
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
        while true {
            // Words no variant's key may have (most) are passed over in one loop.
            index = text.words.withUnsafeBufferPointer { byKey.firstPossible(in: $0, from: index) }
            guard index < text.words.count else { break }
            let candidates = byKey.range(of: text.words[index].key)
            guard !candidates.isEmpty, let match = longestMatch(at: index, among: candidates, in: text) else { index += 1; continue }
            var range = text.words[index].range.lowerBound..<match.end
            let variant = byKey.entries[match.variant]
            // A lower-case preferred form follows the matched text's casing ("TENANT" ->
            // "WORKSPACE", "Tenant" -> "Workspace"), unless the variant is written that way
            // ("URL"); one with its own capitals stays as written.
            var matched = variant.useIsLower ? Casing(of: text.bytes[range]) : .lower
            if matched == variant.variantCasing { matched = .lower }
            let capitalise = variant.capitalised
                || (variant.useIsLower && (matched == .capitalised || text.startsSentence(index)))
            var replacement = capitalise ? variant.capitalisedUse : variant.use
            replacement = Self.inflect(replacement, ending: Self.endings[match.ending].text)
            if matched == .upper { replacement = replacement.uppercased() }
            // "an argument" -> "a parameter": the article goes with the new word.
            if let article = Self.article(before: index, in: text), let wanted = Article(before: replacement),
                !text.text(article, equals: wanted.rawValue), text.text(article, equals: wanted.other.rawValue)
                    || text.text(article, equals: Casing.capitalised.apply(to: wanted.other.rawValue))
            {
                let written = text.startsWithCapital(index - 1) ? Casing.capitalised.apply(to: wanted.rawValue) : wanted.rawValue
                replacement = written + String(decoding: text.bytes[article.upperBound..<range.lowerBound], as: UTF8.self) + replacement
                range = article.lowerBound..<range.upperBound
            }
            if !text.text(range, equals: replacement) {
                edits.append(Edit(range: range, replacement: replacement, rule: variant.rule ?? "terms", reason: variant.reason,
                                  level: variant.level, stage: variant.rule == nil ? nil : "terms"))
            }
            while index < text.words.count && text.words[index].range.lowerBound < match.end { index += 1 }
        }
        return edits
    }

    /// Whether the text around `start` already reads as `variant`'s preferred form that contains it
    /// ("web page" when "page" becomes "web page"), so that a second pass changes nothing.
    private func alreadyPreferred(_ variant: Variant, at start: Int, in bytes: [UInt8]) -> Bool {
        for offset in variant.insideUse where start >= offset && start - offset + variant.useBytes.count <= bytes.count {
            let from = start - offset
            if zip(bytes[from..<from + variant.useBytes.count], variant.useBytes).allSatisfy({ $0 == $1 || RuleText.foldsEqual($0, $1) }) {
                return true
            }
        }
        return false
    }

    /// `use` with `ending` carried over from the matched text: a plural or plural possessive ending
    /// makes `use`'s last word plural ("URLs" -> "addresses", "policies"), a possessive one is
    /// appended as it is.
    static func inflect(_ use: String, ending: String) -> String {
        switch ending {
        case "s", "es": return plural(use)
        case "s'", "s\u{2019}": return plural(use) + String(ending.last!)
        default: return use + ending
        }
    }

    /// The regular English plural of a phrase's last word.
    static func plural(_ phrase: String) -> String {
        let lower = phrase.lowercased()
        // A participle has no plural ("on-premises" -> "self-managed", not "self-manageds").
        if lower.hasSuffix("ed"), !lower.hasSuffix("eed"), lower.split(separator: " ").last.map({ $0.count > 4 }) ?? false { return phrase }
        let upper = phrase.count > 1 && phrase == phrase.uppercased() && phrase != lower
        func add(_ ending: String) -> String { phrase + (upper ? ending.uppercased() : ending) }
        if ["s", "x", "z", "ch", "sh"].contains(where: { lower.hasSuffix($0) }) { return add("es") }
        if lower.hasSuffix("y"), let before = lower.dropLast().last, !"aeiou".contains(before) {
            return String(phrase.dropLast()) + (upper ? "IES" : "ies")
        }
        return add("s")
    }

    enum Article: String {
        case a, an
        var other: Article { self == .a ? .an : .a }

        /// The indefinite article that goes before `phrase`, from its spelling; nil when the
        /// spelling does not tell (a digit, a symbol).
        init?(before phrase: String) {
            guard let first = phrase.first, first.isLetter else { return nil }
            let word = String(phrase.prefix { $0.isLetter || $0 == "-" })
            let lower = word.lowercased()
            // An initialism is read letter by letter: "an API", "an SQL", "a URL".
            if word.count > 1, word == word.uppercased() {
                self = "aefhilmnorsx".contains(lower.first!) ? .an : .a
                return
            }
            if ["hour", "honest", "honor", "honour", "heir"].contains(where: { lower.hasPrefix($0) }) { self = .an; return }
            if ["uni", "use", "usu", "uti", "ura", "ure", "euro", "one", "once", "ubiq"].contains(where: { lower.hasPrefix($0) }) { self = .a; return }
            self = "aeiou".contains(lower.first!) ? .an : .a
        }
    }

    /// The range of the article "a" or "an" right before word `index` (one space between), if any.
    static func article(before index: Int, in text: RuleText) -> Range<Int>? {
        guard index > 0 else { return nil }
        let previous = text.words[index - 1].range
        guard previous.count <= 2, previous.upperBound + 1 == text.words[index].range.lowerBound,
            text.bytes[previous.upperBound] == UInt8(ascii: " "),
            text.text(previous, equals: "a") || text.text(previous, equals: "an") || text.text(previous, equals: "A") || text.text(previous, equals: "An")
        else { return nil }
        return previous
    }

    /// The longest of the variants `candidates` (indices of `byKey.entries`) that starts at word
    /// `index` and ends on a word boundary, with the index of its ending in `endings`.
    private func longestMatch(at index: Int, among candidates: Range<Int>, in text: RuleText) -> (variant: Int, end: Int, ending: Int)? {
        let bytes = text.bytes
        // Where a variant of two or more words matches, its first word is word `index` and the
        // blanks after it are no word: its second word starts word `index + 1` (inside the same
        // prose range, as the match must be). Most variants filed under a frequent word ("in",
        // "a", "at") are ruled out by that byte alone, before `match`.
        let nextStart: UInt8 = index + 1 < text.words.count ? bytes[text.words[index + 1].start] : 0
        for c in candidates {
            let second = byKey.entries[c].secondStart
            if second != 0 && nextStart != second && (byKey.entries[c].caseSensitive || !RuleText.foldsEqual(nextStart, second)) { continue }
            // A case-sensitive variant's capitalised form is only its form at a sentence start
            // ("mark" matches "Mark the box." but not "Ask Mark.").
            if byKey.entries[c].capitalised && !text.startsSentence(index) { continue }
            guard let i = text.match(byKey.entries[c].bytes, at: index, caseSensitive: byKey.entries[c].caseSensitive) else { continue }
            if alreadyPreferred(byKey.entries[c], at: text.words[index].range.lowerBound, in: bytes) { continue }
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
    public enum Settings {
        /// Merged with the parent's by `use`: parent terms in their order, a child term replacing
        /// the parent's term with the same `use` in place, new child terms after them.
        public static let terms = StageSetting<[TermRule]>(
            "terms", type: .entries(definition: "term", documented: "list of term entries"), default: [], documentedDefault: "`[]`",
            summary: "Enforced terminology: each entry replaces the forms in instead_of by use. Merged with the parent's terms by use.",
            decode: { decoder, node, keyPath in decoder.list(node, keyPath) { decoder, item, keyPath in decoder.term(item, keyPath) } },
            merge: { parent, child in mergedInPlace(parent, child) { $0.use } })
    }

    public static let stageID = BuiltinStageID.terms
    public static let settings = [Settings.terms.erased]
    public static let defaultList: StageList? = .post
    public static let carriesRule = true
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

    public init?(style: Style, options: StageSettings, resources: Resources) throws {
        let selected = style.selectedTerms
        guard !selected.isEmpty else { return nil }
        let level = style.levels[.terms]
        self.init(terms: selected.map {
            Term(use: $0.use, insteadOf: $0.insteadOf, caseSensitive: $0.caseSensitive, note: $0.note, level: $0.level ?? level, rule: $0.rule)
        })
    }

    public func apply(to input: StageInput) throws -> StageResult { StageResult(edits: apply(to: input.rules)) }
}

extension Style {
    /// Enforced terminology, parents' terms first. Default: none.
    public var terms: [TermRule] {
        get { self[TermsStage.Settings.terms] }
        set { self[TermsStage.Settings.terms] = newValue }
    }
}
