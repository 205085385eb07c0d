import HouseStyleText

/// How often a corpus shows each side of the habits a style file sets: spelling variety,
/// contractions, quotation marks, dashes, ellipses and serial commas.
///
/// Each habit is counted where the rule stage would act, by running the stage both ways over the
/// corpus: the edits `spelling: en-GB` would make are the American spellings, those of `en-US`
/// the British ones, and so on. So the counts cover exactly the sites a rewrite with the inferred
/// style would change, with the same tables and the same exceptions (meaning-dependent spellings,
/// contractions at the end of a clause, measure marks, numeric ranges). Counts add up across
/// documents (`+=`).
package struct HabitCounts: Sendable, Hashable {
    /// Documents and prose words counted.
    public var documents = 0
    public var words = 0

    /// British and American spellings of the spelling table, by word as written (lower case).
    public var british: [String: Int] = [:]
    public var american: [String: Int] = [:]
    /// The part of `british` / `american` that are -ise / -ize spellings (organise, organize):
    /// Oxford spelling writes British -our and -re but -ize.
    public var britishISE = 0
    public var americanIZE = 0

    /// Contractions written ("don't"), and phrases written out that the stage would contract
    /// ("do not"), in lower case (but "I") with a straight apostrophe.
    public var contracted: [String: Int] = [:]
    public var expanded: [String: Int] = [:]

    /// Quotation marks and apostrophes, straight and curly (measure marks such as 5'10" and quotes
    /// in markup are not counted, as `smart_quotes` leaves them).
    public var straightApostrophes = 0
    public var straightSingleQuotes = 0
    public var straightDoubleQuotes = 0
    public var curlyApostrophes = 0
    public var curlySingleQuotes = 0
    public var curlyDoubleQuotes = 0

    /// Dashes between words: unspaced em dash (a—b), spaced em dash (a — b), spaced en dash
    /// (a – b), and dashes typed with hyphens (a - b, a -- b, a--b), which `dashes` rewrites.
    public var emDashes = 0
    public var spacedEmDashes = 0
    public var spacedEnDashes = 0
    public var spacedHyphens = 0
    public var doubleHyphens = 0

    /// Ellipses: three dots, and the character.
    public var dotEllipses = 0
    public var characterEllipses = 0

    /// Lists of three items ("A, B, and C") and of four or more ("A, B, C, and D"), with and
    /// without the serial comma, as `punctuation` finds them: it edits the longer ones and only
    /// reports the three-item pattern, which an introductory phrase also has ("If it fails, wait
    /// and try again").
    public var serialShort = 0
    public var serialLong = 0
    public var noSerialShort = 0
    public var noSerialLong = 0

    public init() {}

    public var britishTotal: Int { british.values.reduce(0, +) }
    public var americanTotal: Int { american.values.reduce(0, +) }
    public var contractedTotal: Int { contracted.values.reduce(0, +) }
    public var expandedTotal: Int { expanded.values.reduce(0, +) }
    public var straightMarks: Int { straightApostrophes + straightSingleQuotes + straightDoubleQuotes }
    public var curlyMarks: Int { curlyApostrophes + curlySingleQuotes + curlyDoubleQuotes }

    public static func += (lhs: inout HabitCounts, rhs: HabitCounts) {
        lhs.documents += rhs.documents
        lhs.words += rhs.words
        lhs.british.merge(rhs.british, uniquingKeysWith: +)
        lhs.american.merge(rhs.american, uniquingKeysWith: +)
        lhs.britishISE += rhs.britishISE
        lhs.americanIZE += rhs.americanIZE
        lhs.contracted.merge(rhs.contracted, uniquingKeysWith: +)
        lhs.expanded.merge(rhs.expanded, uniquingKeysWith: +)
        lhs.straightApostrophes += rhs.straightApostrophes
        lhs.straightSingleQuotes += rhs.straightSingleQuotes
        lhs.straightDoubleQuotes += rhs.straightDoubleQuotes
        lhs.curlyApostrophes += rhs.curlyApostrophes
        lhs.curlySingleQuotes += rhs.curlySingleQuotes
        lhs.curlyDoubleQuotes += rhs.curlyDoubleQuotes
        lhs.emDashes += rhs.emDashes
        lhs.spacedEmDashes += rhs.spacedEmDashes
        lhs.spacedEnDashes += rhs.spacedEnDashes
        lhs.spacedHyphens += rhs.spacedHyphens
        lhs.doubleHyphens += rhs.doubleHyphens
        lhs.dotEllipses += rhs.dotEllipses
        lhs.characterEllipses += rhs.characterEllipses
        lhs.serialShort += rhs.serialShort
        lhs.serialLong += rhs.serialLong
        lhs.noSerialShort += rhs.noSerialShort
        lhs.noSerialLong += rhs.noSerialLong
    }
}

/// The rule stages, set up both ways, that `HabitCounts` runs over a corpus.
struct HabitProbes {
    let toBritish: SpellingStage
    let toAmerican: SpellingStage
    let contract = ContractionsStage(mode: .prefer)
    let expand = ContractionsStage(mode: .avoid)
    let curl = SmartQuotesStage(marks: .curly)
    let straighten = SmartQuotesStage(marks: .straight)
    let dashes = PunctuationStage(dashes: .em)
    let ellipsisCharacter = PunctuationStage(ellipsis: .character)
    let ellipsisDots = PunctuationStage(ellipsis: .dots)
    let addSerialComma = PunctuationStage(oxfordComma: true)
    let removeSerialComma = PunctuationStage(oxfordComma: false)

    /// - Parameter spellingPairs: the spelling stage's table, British and American spellings of a word.
    init(spellingPairs: [(british: String, american: String)]) {
        toBritish = SpellingStage(target: .british, pairs: spellingPairs)
        toAmerican = SpellingStage(target: .american, pairs: spellingPairs)
    }

    /// The habits of one document.
    func count(_ document: SurveyedDocument) -> HabitCounts {
        let text = document.rules
        var counts = HabitCounts()
        counts.documents = 1
        counts.words = text.words.count { !$0.isNumber }

        // Spelling: what en-GB would change is American, what en-US would change is British.
        for edit in toBritish.apply(to: text) {
            let written = Self.lowercasedWord(text.string(edit.range))
            counts.american[written, default: 0] += 1
            if Self.differsByIZE(written, edit.replacement.lowercased()) { counts.americanIZE += 1 }
        }
        for edit in toAmerican.apply(to: text) {
            let written = Self.lowercasedWord(text.string(edit.range))
            counts.british[written, default: 0] += 1
            if Self.differsByIZE(written, edit.replacement.lowercased()) { counts.britishISE += 1 }
        }

        // Contractions: `prefer` finds what is written out and could be contracted; `avoid` finds
        // every contraction (edits, and findings where "'s" / "'d" could stand for two words).
        for edit in contract.apply(to: text).edits {
            counts.expanded[Self.pronounI(Self.collapsingSpace(text.string(edit.range).lowercased())), default: 0] += 1
        }
        let expansions = expand.apply(to: text)
        for range in expansions.edits.map(\.range) + expansions.findings.map(\.range) {
            let word = text.string(range).lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
            // "Won't you" is found as one phrase: the contraction is its first word.
            counts.contracted[Self.pronounI(String(word.prefix { $0 != " " && $0 != "\t" && $0 != "\n" })), default: 0] += 1
        }

        // Quotation marks: `curly` finds the straight ones and tells apostrophes (a mark before a
        // letter or digit), `straight` finds the curly ones.
        for edit in curl.apply(to: text, protected: document.document.protectedSpans) {
            if edit.reason == "typographic apostrophe" {
                counts.straightApostrophes += 1
            } else if text.bytes[edit.range.lowerBound] == UInt8(ascii: "'") {
                counts.straightSingleQuotes += 1
            } else {
                counts.straightDoubleQuotes += 1
            }
        }
        for edit in straighten.apply(to: text) {
            if edit.replacement == "\"" {
                counts.curlyDoubleQuotes += 1
            } else if text.bytes[edit.range.lowerBound + 2] == 0x99 && text.isWordCharacter(at: edit.range.upperBound) {
                // As `smart_quotes` tells them: a closing single mark before a letter or digit (don’t, ’90s).
                counts.curlyApostrophes += 1
            } else {
                counts.curlySingleQuotes += 1
            }
        }

        // Dashes typed with hyphens, as `dashes` would rewrite them; typographic dashes by their spacing.
        for edit in dashes.apply(to: text).edits {
            if text.string(edit.range).contains("--") { counts.doubleHyphens += 1 } else { counts.spacedHyphens += 1 }
        }
        countTypographicDashes(text, into: &counts)

        counts.dotEllipses = ellipsisCharacter.apply(to: text).edits.count
        counts.characterEllipses = ellipsisDots.apply(to: text).edits.count

        // Serial commas: `true` finds lists without one (edits: four or more items; findings: three,
        // "A, B and C"), `false` lists with one.
        let missing = addSerialComma.apply(to: text)
        counts.noSerialLong = missing.edits.count
        counts.noSerialShort = missing.findings.count
        let present = removeSerialComma.apply(to: text)
        counts.serialLong = present.edits.count
        counts.serialShort = present.findings.count
        return counts
    }

    /// Em and en dashes in the prose, by their spacing. An unspaced en dash joins a range or a
    /// pair (10–20, London–Paris), not clauses, so it is not counted.
    private func countTypographicDashes(_ text: RuleText, into counts: inout HabitCounts) {
        let bytes = text.bytes
        func isBlank(_ k: Int) -> Bool { k >= 0 && k < bytes.count && (bytes[k] == 0x20 || bytes[k] == 0x09) }
        func isInk(_ k: Int) -> Bool { k >= 0 && k < bytes.count && !isBlank(k) && bytes[k] != 0x0A && bytes[k] != 0x0D }
        for prose in text.prose {
            var i = prose.lowerBound
            while i + 2 < prose.upperBound {
                guard bytes[i] == 0xE2, bytes[i + 1] == 0x80, bytes[i + 2] == 0x94 || bytes[i + 2] == 0x93 else {
                    i += 1
                    continue
                }
                let em = bytes[i + 2] == 0x94
                let before = i - 1, after = i + 3
                if isBlank(before) && isBlank(after) && isInk(before - 1) && isInk(after + 1) {
                    if em { counts.spacedEmDashes += 1 } else { counts.spacedEnDashes += 1 }
                } else if em && isInk(before) && isInk(after) {
                    counts.emDashes += 1
                }
                i += 3
            }
        }
    }

    /// True when two spellings of a word differ only as -ise and -ize do (organise, organize).
    static func differsByIZE(_ a: String, _ b: String) -> Bool {
        a != b && a.replacingOccurrences(of: "iz", with: "is") == b.replacingOccurrences(of: "iz", with: "is")
    }

    /// A word in lower case without a possessive ending ("Colour's" -> "colour").
    static func lowercasedWord(_ word: String) -> String {
        var lower = word.lowercased()
        for ending in ["'s", "\u{2019}s"] where lower.hasSuffix(ending) {
            lower.removeLast(ending.count)
        }
        return lower
    }

    /// A lower-case phrase with the pronoun "I" as written ("i'm" -> "I'm", "i am" -> "I am").
    static func pronounI(_ text: String) -> String {
        text == "i" || text.hasPrefix("i'") || text.hasPrefix("i ") ? "I" + text.dropFirst() : text
    }

    /// `text` with each run of white space made one space (a phrase wrapped across lines).
    static func collapsingSpace(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
