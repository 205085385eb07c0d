import HouseStyleText
import HouseStyleYAML

/// Words the style avoids. A listed replacement is applied; an empty intensifier or filler
/// adverb ("simply", "obviously", "very") is removed where the sentence stays well formed;
/// anything else is reported as a finding for a writer to decide.
///
/// An entry of several words ("please be advised", "going forward") matches as a phrase of whole
/// words, regardless of letter case and across a line break; it is replaced when it has an
/// `instead` and reported otherwise (removing a phrase is never assumed safe).
///
/// A `case_sensitive` entry matches only as written (a lower-case one also capitalised at the
/// start of a sentence); a `report_only` entry is always reported, never replaced or removed.
public struct AvoidStage: Sendable {
    public struct Entry: Sendable, Hashable {
        public var word: String
        public var instead: String?
        /// Shown after the reason of each edit and the message of each finding.
        public var note: String?
        public var caseSensitive: Bool
        public var reportOnly: Bool
        /// The level `check` reports the entry's edits and findings at; nil: the stage's own.
        public var level: FindingLevel?
        public init(word: String, instead: String? = nil, note: String? = nil, caseSensitive: Bool = false, reportOnly: Bool = false,
                    level: FindingLevel? = nil) {
            self.word = word
            self.instead = instead
            self.note = note
            self.caseSensitive = caseSensitive
            self.reportOnly = reportOnly
            self.level = level
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

    /// Removable words that are also adjectives ("a just cause", "the very thing"). After a
    /// determiner such a word may be either ("a very good idea" is the adverb, "the very thing"
    /// the adjective), and nothing here can tell which, so it is reported rather than removed.
    /// It is reported, not left alone: in the adverb sense ("a very good idea") it is the very
    /// filler the style asks to cut, and a writer decides the other sense at a glance. The "-ly"
    /// adverbs have no adjective sense: after a determiner they modify the next word ("a really
    /// good idea" -> "a good idea") and are removed as usual.
    static let adjectiveSense: Set<String> = ["just", "very"]

    /// Determiners: a word with an adjective sense after one of them may be that adjective.
    static let determiners: Set<String> = [
        "a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "its", "our",
        "their", "no", "every", "each", "some", "any",
    ]

    /// Coordinating conjunctions: a word right before one is an item of the coordination
    /// ("simply and clearly"), and removing it leaves the conjunction with nothing to join.
    static let conjunctions: Set<String> = ["and", "or", "but", "nor"]

    /// Negations: the word before one modifies it ("Obviously not.", "simply never"), and the
    /// negation alone may not stand for the two.
    static let negations: Set<String> = ["not", "never", "no", "none", "nothing", "nobody", "neither", "nowhere"]

    /// An entry with what its edits say, made once.
    private struct Rule: Sendable {
        var entry: Entry
        /// What replaces the word: the entry's `instead`, unless it is only reported.
        var replacement: String?
        /// "avoid 'X': use 'Y'", when the entry has a replacement.
        var replaceReason: String?
        /// The confidence of removing the word, when it is a removable adverb not only reported.
        var removal: Double?
        var removeReason: String
        /// "; note", or "".
        var noteSuffix: String

        init(_ entry: Entry) {
            self.entry = entry
            noteSuffix = entry.note.map { "; \($0)" } ?? ""
            replacement = entry.reportOnly ? nil : entry.instead
            replaceReason = replacement.map { [noteSuffix] in "avoid '\(entry.word)': use '\($0)'" + noteSuffix }
            removal = entry.reportOnly ? nil : AvoidStage.removable[entry.word.lowercased()]
            removeReason = "avoid '\(entry.word)': it adds nothing" + noteSuffix
        }

        /// What `check` reports for `shown`, the words as the text has them.
        func message(_ shown: String) -> String {
            "avoid '\(shown)'" + (entry.instead.map { "; consider '\($0)'" } ?? "") + noteSuffix
        }
    }

    private struct Form: Sendable {
        var form: LowercaseForm
        var rule: Rule
        var exact: Bool
        /// For a case-sensitive entry, the form in the entry's letter case: the word must be
        /// written so (or, when it starts with a lower-case letter, capitalised at a sentence start).
        var written: [UInt8]?
    }

    private struct Phrase: Sendable {
        var bytes: [UInt8]
        var rule: Rule
    }

    /// Single-word entries and their inflections ("leverages", "leveraging" for "leverage"), by
    /// `WordKey`: the form in lower case, the entry, and whether the form is the entry itself.
    private let entries: WordKeyTable<Form>
    /// Entries of several words, or with hyphens ("cutting-edge"), by the key of their first
    /// word, longest first; matched on the bytes.
    private let phrases: WordKeyTable<Phrase>

    public init(entries: [Entry]) {
        var table: [UInt64: [Form]] = [:]
        var phrases: [UInt64: [Phrase]] = [:]
        for entry in entries {
            let words = entry.word.split(whereSeparator: \.isWhitespace)
            guard !words.isEmpty else { continue }
            let lower = entry.word.lowercased()
            let rule = Rule(entry)
            if words.count == 1 && lower.allSatisfy({ $0.isLetter || $0.isNumber }) {
                let written = entry.caseSensitive ? Array(entry.word.utf8) : nil
                table[WordKey.of(word: lower), default: []].append(Form(form: LowercaseForm(lower), rule: rule, exact: true, written: written))
                guard Self.removable[lower] == nil else { continue }
                for form in Self.inflections(of: lower) {
                    // In the entry's case: its letters as written, then the ending ("NOTE" -> "NOTEs").
                    let kept = zip(form, lower).prefix { $0 == $1 }.count
                    let written = entry.caseSensitive ? Array((entry.word.prefix(kept) + form.dropFirst(kept)).utf8) : nil
                    table[WordKey.of(word: form), default: []].append(Form(form: LowercaseForm(form), rule: rule, exact: false, written: written))
                }
            } else {
                phrases[WordKey.of(word: words[0]), default: []].append(Phrase(bytes: Array(words.joined(separator: " ").utf8), rule: rule))
            }
        }
        for key in phrases.keys { phrases[key]!.sort { $0.bytes.count > $1.bytes.count } }
        self.entries = WordKeyTable(table)
        self.phrases = WordKeyTable(phrases)
    }

    /// Regular inflections of a lower-case word.
    static func inflections(of word: String) -> [String] {
        var forms = [word + "s", word + "es", word + "d", word + "ed", word + "ing"]
        if word.hasSuffix("e") { forms.append(String(word.dropLast()) + "ing") }
        if word.hasSuffix("y") { forms += [String(word.dropLast()) + "ies", String(word.dropLast()) + "ied"] }
        return forms
    }

    /// The longest multi-word entry starting at word `index` (an index of `phrases.entries`),
    /// with the offset where it ends.
    private func phrase(at index: Int, in text: RuleText) -> (phrase: Int, end: Int)? {
        for c in phrases.range(of: text.words[index].key) {
            let phrase = phrases.entries[c]
            let caseSensitive = phrase.rule.entry.caseSensitive
            var end = text.match(phrase.bytes, at: index, caseSensitive: caseSensitive)
            // A case-sensitive phrase in lower case is also itself capitalised at a sentence start.
            if end == nil, caseSensitive, let first = phrase.bytes.first, first >= 0x61, first <= 0x7A, text.startsSentence(index) {
                end = text.match([first - 0x20] + phrase.bytes.dropFirst(), at: index, caseSensitive: true)
            }
            if let end, !text.isWordCharacter(at: end) { return (c, end) }
        }
        return nil
    }

    /// The form word `index` is (an index of `entries.entries`): an entry itself, or an
    /// inflection of a listed word.
    private func form(at index: Int, in text: RuleText) -> Int? {
        let candidates = entries.range(of: text.words[index].key)
        guard !candidates.isEmpty else { return nil }
        let word = text.bytes[text.words[index].range]
        return candidates.first { candidate in
            let form = entries.entries[candidate]
            guard form.form.matches(word) else { return false }
            guard let written = form.written else { return true }
            if word.elementsEqual(written) { return true }
            // A lower-case entry capitalised at a sentence start ("firstly" -> "Firstly, ...").
            guard let first = written.first, first >= 0x61, first <= 0x7A, text.startsSentence(index) else { return false }
            return word.first == first - 0x20 && word.dropFirst().elementsEqual(written.dropFirst())
        }
    }

    public func apply(to text: RuleText) -> (edits: [Edit], findings: [Finding]) {
        var edits: [Edit] = []
        var findings: [Finding] = []
        var index = 0
        while index < text.words.count {
            let token = text.words[index]
            if let (p, end) = phrase(at: index, in: text) {
                let rule = phrases.entries[p].rule
                let range = token.range.lowerBound..<end
                if let instead = rule.replacement, let reason = rule.replaceReason {
                    edits.append(Edit(range: range, replacement: Casing(of: text.bytes[range]).apply(to: instead), rule: "avoid",
                        reason: reason, level: rule.entry.level))
                } else {
                    let shown = text.string(range).split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    findings.append(Finding(range: range, level: rule.entry.level ?? .warning, message: rule.message(shown), rule: "avoid"))
                }
                while index < text.words.count && text.words[index].range.lowerBound < end { index += 1 }
                continue
            }
            guard let f = form(at: index, in: text) else { index += 1; continue }
            let (rule, exact) = (entries.entries[f].rule, entries.entries[f].exact)
            if let instead = rule.replacement, let reason = rule.replaceReason, exact {
                edits.append(Edit(range: token.range, replacement: Casing(of: text.bytes[token.range]).apply(to: instead),
                    rule: "avoid", reason: reason, level: rule.entry.level))
            } else if exact, let confidence = rule.removal,
                let removal = removal(of: index, in: text),
                // A removal that reaches into the previous edit ("..., simply, ...") is left to the writer.
                (edits.last?.range.upperBound ?? 0) <= removal.range.lowerBound {
                edits.append(Edit(range: removal.range, replacement: removal.replacement, rule: "avoid",
                    reason: rule.removeReason, confidence: confidence, level: rule.entry.level))
                index += removal.consumedNext
            } else {
                findings.append(Finding(range: token.range, level: rule.entry.level ?? .warning,
                    message: rule.message(text.string(token.range)), rule: "avoid"))
            }
            index += 1
        }
        return (edits, findings)
    }

    /// How to delete word `index` so the sentence stays well formed, or nil when it cannot be
    /// deleted safely (last word of a clause, "Really?").
    private func removal(of index: Int, in text: RuleText) -> (range: Range<Int>, replacement: String, consumedNext: Int)? {
        let token = text.words[index]
        guard index + 1 < text.words.count, token.proseEnd >= text.words[index + 1].range.upperBound,
            keepsMeaning(removing: index, in: text) else { return nil }
        let next = text.words[index + 1]
        let gapRange = token.range.upperBound..<next.range.lowerBound
        let gapBytes = text.bytes[gapRange]
        let sentenceStart = text.startsSentence(index)
        // A gap of spaces only: its bytes decide it (a space is one byte, and a space with a
        // combining mark is not a space).
        if !gapBytes.isEmpty && gapBytes.allSatisfy({ $0 == 0x20 }) {
            // "Simply click Save" -> "Click Save"; "is very fast" -> "is fast".
            if sentenceStart {
                // "Simply simply click" -> "Click": removable words in a row go at once, so that a
                // second pass has nothing left to do.
                var k = index + 1
                while k + 1 < text.words.count, text.words[k].proseEnd >= text.words[k + 1].range.upperBound,
                    let f = form(at: k, in: text), entries.entries[f].exact, entries.entries[f].rule.removal != nil,
                    entries.entries[f].rule.entry.instead == nil,
                    text.bytes[text.words[k].range.upperBound..<text.words[k + 1].range.lowerBound].allSatisfy({ $0 == 0x20 }),
                    keepsMeaning(removing: k, in: text)
                { k += 1 }
                let kept = text.words[k]
                // The word that now starts the sentence gets its own replacement too ("Really ok" -> "Fine").
                var keptWord = text.string(kept.range)
                if let f = form(at: k, in: text), entries.entries[f].exact, let instead = entries.entries[f].rule.replacement {
                    keptWord = instead
                }
                return (token.range.lowerBound..<kept.range.upperBound, Casing.capitalised.apply(to: keptWord), k - index)
            }
            return (token.range.lowerBound..<next.range.lowerBound, "", 0)
        }
        if sentenceStart && text.text(gapRange, equals: ", ") {
            // "Obviously, it works" -> "It works".
            let nextWord = text.string(next.range)
            return (token.range.lowerBound..<next.range.upperBound, Casing.capitalised.apply(to: nextWord), 1)
        }
        if Self.gapStartsWithComma(gapBytes, in: text, gapRange), token.range.lowerBound >= 2,
            text.bytes[token.range.lowerBound - 2] == UInt8(ascii: ","), text.bytes[token.range.lowerBound - 1] == UInt8(ascii: " ") {
            // A parenthetical: "It is, clearly, fast" -> "It is fast".
            return ((token.range.lowerBound - 2)..<(token.range.upperBound + 1), "", 0)
        }
        return nil
    }

    /// False when the words around word `index` show that removing it changes the meaning or
    /// the grammar: after a negation ("not just cats" is not "not cats"), before a conjunction
    /// ("simply and clearly"), before a negation ("Obviously not."), or after a determiner for a
    /// word with an adjective sense ("a just cause"). Punctuation right after the word (", ;
    /// : . ! ? ) ]" and dashes) already stops a removal in `removal(of:in:)`, except for the
    /// parenthetical ", clearly," and the sentence-initial "Obviously, ", which stay removable.
    private func keepsMeaning(removing index: Int, in text: RuleText) -> Bool {
        if index > 0 && text.onlySpaceBetween(index - 1) {
            let previous = text.lowercasedWord(index - 1)
            if previous == "not" || previous.hasSuffix("n't") || previous.hasSuffix("n\u{2019}t") { return false }
            if Self.determiners.contains(previous) && Self.adjectiveSense.contains(text.lowercasedWord(index)) { return false }
        }
        let next = text.lowercasedWord(index + 1)
        return !Self.conjunctions.contains(next) && !Self.negations.contains(next)
    }

    /// `gap.hasPrefix(",")` for the text of `range`, from its bytes where they decide it: a
    /// comma not followed by a combining mark (any non-ASCII byte goes to `String`).
    private static func gapStartsWithComma(_ gap: ArraySlice<UInt8>, in text: RuleText, _ range: Range<Int>) -> Bool {
        guard let first = gap.first, first == UInt8(ascii: ",") else { return false }
        if gap.count == 1 || gap[gap.startIndex + 1] < 0x80 { return true }
        return text.string(range).hasPrefix(",")
    }
}

extension AvoidStage: BuiltinStage {
    public enum Settings {
        /// The union of the parent's list and the child's by `word`: parent words first, a child
        /// entry replacing the parent's entry for the same word in place.
        public static let avoid = StageSetting<[AvoidRule]>(
            "avoid", type: .entries(definition: "avoidEntry", documented: "list of words or avoid entries"), default: [],
            documentedDefault: "`[]`",
            summary: "Words to avoid: a plain word, or a mapping with word and an optional replacement. The union of the parent's list and this one.",
            decode: { decoder, node, keyPath in decoder.list(node, keyPath) { decoder, item, keyPath in decoder.avoidRule(item, keyPath) } },
            merge: { parent, child in mergedInPlace(parent, child) { $0.word } })
    }

    public static let stageID = BuiltinStageID.avoid
    public static let settings = [Settings.avoid.erased]
    public static let defaultList: StageList? = .post
    public static let carriesRule = true
    public static let summary = "Removes filler words, replaces or reports words the style avoids (`avoid`)."
    public static let examples = [
        StageExample(style: "avoid: [simply]", input: "Simply click Save.", expected: "Click Save."),
        StageExample(style: "avoid: [very]", input: "It is very fast.", expected: "It is fast."),
        StageExample(style: "avoid: [just]", input: "Just ship. Not just cats but dogs.", expected: "Ship. Not just cats but dogs."),
        StageExample(style: "avoid:\n  - word: leverage\n    instead: use", input: "We leverage caching.", expected: "We use caching."),
        StageExample(style: "avoid:\n  - word: going forward\n    instead: from now on", input: "Going forward, we ship weekly.",
                     expected: "From now on, we ship weekly."),
    ]

    public init?(style: Style, options: StageSettings, resources: Resources) throws {
        guard !style.avoid.isEmpty else { return nil }
        let level = style.levels[.avoid]
        self.init(entries: style.avoid.map {
            Entry(word: $0.word, instead: $0.instead, note: $0.note, caseSensitive: $0.caseSensitive, reportOnly: $0.reportOnly,
                  level: $0.level ?? level)
        })
    }

    public func apply(to input: StageInput) throws -> StageResult {
        let (edits, findings) = apply(to: input.rules)
        return StageResult(edits: edits, findings: findings)
    }
}

extension Style {
    /// Words to avoid, parents' words first. Default: none.
    public var avoid: [AvoidRule] {
        get { self[AvoidStage.Settings.avoid] }
        set { self[AvoidStage.Settings.avoid] = newValue }
    }
}
