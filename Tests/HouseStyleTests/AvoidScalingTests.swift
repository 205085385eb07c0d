import Foundation
import Testing
import HouseStyleText
import struct HouseStyleNumerics.SeededGenerator
@testable import HouseStyle

/// The avoid list's single words are matched by taking each word of the text apart instead of
/// listing every inflection of every entry (issue 13, item 12: 200,000 avoid words took 705 MB).
/// The old way, a table of every form, stays here as the reference the new one must agree with.
@Suite struct AvoidScalingTests {
    /// The entry (an index) and exactness the old table of forms gave word `word`.
    static func referenceMatch(_ word: String, entries: [AvoidStage.Entry]) -> (entry: Int, exact: Bool)? {
        for (index, entry) in entries.enumerated() {
            let lower = entry.word.lowercased()
            guard !entry.word.split(whereSeparator: \.isWhitespace).isEmpty else { continue }
            guard entry.word.split(whereSeparator: \.isWhitespace).count == 1, lower.allSatisfy({ $0.isLetter || $0.isNumber }) else { continue }
            // Forms of one key in the old table: the entry's word, then its inflections; the
            // first entry listed with its word equal to the word wins, else the first with an inflection.
            if WordKey.of(word: lower) == WordKey.of(ArraySlice(word.utf8)) && LowercaseForm(lower).matches(ArraySlice(word.utf8)) {
                return (index, true)
            }
        }
        for (index, entry) in entries.enumerated() {
            let lower = entry.word.lowercased()
            guard entry.word.split(whereSeparator: \.isWhitespace).count == 1, lower.allSatisfy({ $0.isLetter || $0.isNumber }) else { continue }
            guard AvoidStage.inflects(lower) else { continue }
            for form in AvoidStage.inflections(of: lower)
            where WordKey.of(word: form) == WordKey.of(ArraySlice(word.utf8)) && LowercaseForm(form).matches(ArraySlice(word.utf8)) {
                return (index, false)
            }
        }
        return nil
    }

    /// `referenceMatch` with main's case-sensitive entries, as its table of forms had them: each
    /// form kept the entry's letters as written with the ending in lower case ("NOTE" -> "NOTEs",
    /// "Use" -> "Using"), and the word had to be written so, or capitalised at a sentence start
    /// when the form starts with a lower-case letter.
    static func referenceMatch(_ word: String, entries: [AvoidStage.Entry], startsSentence: Bool) -> (entry: Int, exact: Bool)? {
        let bytes = Array(word.utf8)
        func isWritten(_ written: String?) -> Bool {
            guard let written else { return true }
            let form = Array(written.utf8)
            if bytes == form { return true }
            guard let first = form.first, first >= 0x61, first <= 0x7A, startsSentence else { return false }
            return bytes.first == first - 0x20 && bytes.dropFirst().elementsEqual(form.dropFirst())
        }
        func matches(_ form: String, written: String?) -> Bool {
            WordKey.of(word: form) == WordKey.of(ArraySlice(bytes)) && LowercaseForm(form).matches(ArraySlice(bytes)) && isWritten(written)
        }
        for (index, entry) in entries.enumerated() {
            let lower = entry.word.lowercased()
            guard entry.word.split(whereSeparator: \.isWhitespace).count == 1, lower.allSatisfy({ $0.isLetter || $0.isNumber }) else { continue }
            if matches(lower, written: entry.caseSensitive ? entry.word : nil) { return (index, true) }
        }
        for (index, entry) in entries.enumerated() {
            let lower = entry.word.lowercased()
            guard entry.word.split(whereSeparator: \.isWhitespace).count == 1, lower.allSatisfy({ $0.isLetter || $0.isNumber }) else { continue }
            guard AvoidStage.inflects(lower) else { continue }
            for form in AvoidStage.inflections(of: lower) {
                let kept = zip(form, lower).prefix { $0 == $1 }.count
                if matches(form, written: entry.caseSensitive ? String(entry.word.prefix(kept) + form.dropFirst(kept)) : nil) {
                    return (index, false)
                }
            }
        }
        return nil
    }

    static func words(_ text: String) throws -> RuleText {
        let bytes = Array(text.utf8)
        let words = try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words
        return RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])
    }

    @Test func aLongListTakesOneEntryPerWord() throws {
        // 7 forms for each of these words in the old table (the word, -s, -es, -d, -ed, -ing, -ing for -e).
        let entries = (0..<1000).map { AvoidStage.Entry(word: "word\($0)e") }
        let stage = AvoidStage(entries: entries)
        #expect(stage.storedForms == 1000)
        let rules = try Self.words("The word17ed, word17ing and word999es.")
        #expect(rules.words.indices.compactMap { stage.matchedEntry(at: $0, in: rules)?.entry } == [17, 17, 999])
    }

    @Test func takingWordsApartAgreesWithTheTableOfEveryForm() throws {
        // Entries that inflect into each other ("use", "used", "uses"), listed twice, removable
        // adverbs (no inflections), e/y endings, digits, a phrase, and letters beyond ASCII.
        let entries = ["use", "USES", "leverage", "copy", "utilize", "really", "simply", "d", "e", "y", "s", "es", "ed",
                       "leverage", "used", "ship", "shipp", "café", "naïve", "straße", "covid19", "going forward", "e-mail", "free"]
            .map { AvoidStage.Entry(word: $0, instead: $0.hasPrefix("u") ? "x" : nil) }
        let stage = AvoidStage(entries: entries)
        let text = """
            Use uses USED useing using usees useed Leverages leveraging leveraged leverageing COPIES copied copys copyed
            copying utilizes Utilized utilizing really reallys simply simplys d ds ded ding ing ies ied s es ed eds eses
            ships shipped shipping shipps cafés CAFÉS café naïves straßes STRASSES covid19s going forwards frees freed
            freeing fred e-mails it's uses' ﬁx \u{212A}eys
            """
        let rules = try Self.words(text)
        var checked = 0
        for index in rules.words.indices {
            let word = rules.string(rules.words[index].range)
            let expected = Self.referenceMatch(word, entries: entries)
            let actual = stage.matchedEntry(at: index, in: rules)
            #expect(actual?.entry == expected?.entry && actual?.exact == expected?.exact, "\(word): \(String(describing: actual)) vs \(String(describing: expected))")
            if expected != nil { checked += 1 }
        }
        #expect(checked > 40, "most words of the text match some entry")
    }

    @Test func caseSensitiveEntriesAgreeWithTheTableOfEveryWrittenForm() throws {
        // Case-sensitive entries in upper, lower and mixed case, e/y endings, a removable adverb,
        // letters beyond ASCII, and the same words listed again without case_sensitive further down.
        let sensitive = ["NOTE", "firstly", "Use", "copy", "Leverage", "simply", "café", "ÉTÉ", "id", "covid19"]
        let entries = sensitive.map { AvoidStage.Entry(word: $0, caseSensitive: true) }
            + ["notes", "leveraging"].map { AvoidStage.Entry(word: $0) }
        let stage = AvoidStage(entries: entries)
        let text = """
            Firstly, NOTE NOTEs NOTES notes Note noted NOTEd. firstly Firstly FIRSTLY firstlys. Use using Using USing uses
            Uses useing. Copy copy copies Copies COPIES copied copying Copying. Leverage leverage Leveraging leveraging
            Leveraged. Simply simply simplys. Café café cafés Cafés CAFÉS. ÉTÉ été ÉTÉs ÉTÉS. Id id ids IDs IDS ided.
            Covid19 covid19 covid19s. Notes notes.
            """
        let rules = try Self.words(text)
        var checked = 0
        for index in rules.words.indices {
            let word = rules.string(rules.words[index].range)
            let expected = Self.referenceMatch(word, entries: entries, startsSentence: rules.startsSentence(index))
            let actual = stage.matchedEntry(at: index, in: rules)
            #expect(actual?.entry == expected?.entry && actual?.exact == expected?.exact, "\(word): \(String(describing: actual)) vs \(String(describing: expected))")
            if expected != nil { checked += 1 }
        }
        #expect(checked > 25, "most words of the text match some entry")
    }

    @Test func randomCaseSensitiveListsAgreeWithTheTableOfEveryWrittenForm() throws {
        var seeded = SeededGenerator(seed: 11)
        let letters = Array("abdesyigESDIYG1é")
        for _ in 0..<30 {
            let entries = (0..<40).map { _ in
                AvoidStage.Entry(word: String((0..<Int.random(in: 1...4, using: &seeded)).map { _ in letters.randomElement(using: &seeded)! }),
                                 caseSensitive: Bool.random(using: &seeded))
            }
            let stage = AvoidStage(entries: entries)
            // Some words start a sentence, where a lower-case entry may be capitalised.
            let text = (0..<200).map { _ in
                String((0..<Int.random(in: 1...7, using: &seeded)).map { _ in letters.randomElement(using: &seeded)! })
                    + (Int.random(in: 0..<4, using: &seeded) == 0 ? "." : "")
            }.joined(separator: " ")
            let rules = try Self.words(text)
            for index in rules.words.indices {
                let word = rules.string(rules.words[index].range)
                let expected = Self.referenceMatch(word, entries: entries, startsSentence: rules.startsSentence(index))
                let actual = stage.matchedEntry(at: index, in: rules)
                #expect(actual?.entry == expected?.entry && actual?.exact == expected?.exact, "\(word) in \(entries.map { ($0.word, $0.caseSensitive) })")
            }
        }
    }

    @Test func randomListsAgreeWithTheTableOfEveryForm() throws {
        var seeded = SeededGenerator(seed: 7)
        // Letters of the suffixes and their restores, in both cases, a digit, an apostrophe and an é.
        let letters = Array("abcdesyignESDIYG1'é")
        for _ in 0..<30 {
            let entries = (0..<40).map { _ in
                AvoidStage.Entry(word: String((0..<Int.random(in: 1...4, using: &seeded)).map { _ in letters.randomElement(using: &seeded)! }))
            }
            let stage = AvoidStage(entries: entries)
            let text = (0..<200).map { _ in String((0..<Int.random(in: 1...7, using: &seeded)).map { _ in letters.randomElement(using: &seeded)! }) }
                .joined(separator: " ")
            let rules = try Self.words(text)
            for index in rules.words.indices {
                let word = rules.string(rules.words[index].range)
                let expected = Self.referenceMatch(word, entries: entries)
                let actual = stage.matchedEntry(at: index, in: rules)
                #expect(actual?.entry == expected?.entry && actual?.exact == expected?.exact, "\(word) in \(entries.map(\.word))")
            }
        }
    }
}
