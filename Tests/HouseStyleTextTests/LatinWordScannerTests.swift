import Foundation
import Testing
@testable import HouseStyleText

/// `WordSegmenter.forEachWord` scans Latin-script lines without ICU: it must find exactly the
/// words and numbers ICU's break iterator finds.
@Suite struct LatinWordScannerTests {
    let segmenter: WordSegmenter

    init() throws { segmenter = try WordSegmenter() }

    /// What `forEachWord` reports, as (text, isNumber).
    func words(_ text: String) throws -> [(String, Bool)] {
        var result: [(String, Bool)] = []
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBufferPointer { buffer throws(TextError) in
            try segmenter.forEachWord(in: buffer) { range, isNumber in
                result.append((String(decoding: bytes[range], as: UTF8.self), isNumber))
            }
        }
        return result
    }

    /// The word and number tokens of ICU's iterator, as (range, isNumber).
    func icuWords(_ text: String) throws -> [(Range<Int>, Bool)] {
        try segmenter.tokens(in: text).filter { $0.kind == .word || $0.kind == .number }.map { ($0.utf8Range, $0.kind == .number) }
    }

    func scannedWords(_ text: String) throws -> [(Range<Int>, Bool)] {
        var result: [(Range<Int>, Bool)] = []
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBufferPointer { buffer throws(TextError) in
            try segmenter.forEachWord(in: buffer) { range, isNumber in result.append((range, isNumber)) }
        }
        return result
    }

    func expectSameAsICU(_ text: String, _ label: @autoclosure () -> String) throws {
        let expected = try icuWords(text), actual = try scannedWords(text)
        let same = expected.count == actual.count && zip(expected, actual).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        if !same {
            let firstDifference = Array(zip(expected, actual)).firstIndex { $0.0 != $1.0 || $0.1 != $1.1 } ?? min(expected.count, actual.count)
            let bytes = Array(text.utf8)
            let context = firstDifference < expected.count ? expected[firstDifference].0 : 0..<0
            let around = String(decoding: bytes[max(0, context.lowerBound - 10)..<min(bytes.count, context.upperBound + 10)], as: UTF8.self)
            Issue.record("\(label()): first difference at token \(firstDifference) near \(around.debugDescription): ICU \(expected.dropFirst(firstDifference).prefix(2)), scanner \(actual.dropFirst(firstDifference).prefix(2))")
        }
    }

    @Test func theScannerIsUsedForEnglish() throws {
        #expect(segmenter.usesLatinScanner)
    }

    @Test(arguments: [
        ("The cat's 3.5 kg, 1,000.50 items; a.b.c e.g. don't_stop a1 1a a_1 1_ _ __ x: y a1_ 1__ x1y2", [
            ("The", false), ("cat's", false), ("3.5", true), ("kg", false), ("1,000.50", true), ("items", false),
            ("a.b.c", false), ("e.g", false), ("don't_stop", false), ("a1", true), ("1a", false), ("a_1", true),
            ("1_", true), ("__", false), ("x", false), ("y", false), ("a1_", true), ("1__", false), ("x1y2", true),
        ]),
        ("café “quoted” naïve—don’t 3’5 x·y\nplain line 42\n", [
            ("café", false), ("quoted", false), ("naïve", false), ("don’t", false), ("3’5", true), ("x·y", false),
            ("plain", false), ("line", false), ("42", true),
        ]),
    ])
    func wordsAndNumbers(text: String, expected: [(String, Bool)]) throws {
        let actual = try words(text)
        #expect(actual.map(\.0) == expected.map(\.0))
        #expect(actual.map(\.1) == expected.map(\.1))
        try expectSameAsICU(text, "example")
    }

    /// Random strings of characters from every word-break class the scanner knows, mixed with
    /// lines holding characters it does not (other scripts, marks, emoji, `·`, soft hyphens),
    /// so that runs of lines switch between the scanner and ICU.
    @Test func agreesWithICUOnRandomText() throws {
        let known = Array("aAzZ0919.'.,;:_-\"  \t!?()@#$%&*+/<=>[]^`{|}~\r\u{0B}\u{0C}\u{A0}£°éÀÿ×÷łāŽ–—‑‘’“”…").map(String.init)
        let unknown = ["\u{301}", "東京", "👍🏽", "\u{200D}", "ש", "٣", "α", "→", "·", "\u{AD}", "ª", "\u{2028}", "\u{85}"]
        var generator = SeededGenerator(seed: 29)
        for round in 0..<3000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let foreign = Int.random(in: 0..<4, using: &generator) == 0
                for _ in 0..<Int.random(in: 0...30, using: &generator) {
                    if foreign && Int.random(in: 0..<5, using: &generator) == 0 {
                        text += unknown.randomElement(using: &generator)!
                    } else {
                        text += known.randomElement(using: &generator)!
                    }
                }
                text += Bool.random(using: &generator) ? "\n" : "\r\n"
            }
            try expectSameAsICU(text, "round \(round)")
        }
    }

    /// Runs of letters and digits of every length up to 40 and gaps of up to 20 bytes, so that
    /// the scanner's eight-bytes-a-step loops stop at every place in a word, at a word's end, at
    /// a byte beyond ASCII and in the text's last eight bytes, with the joining marks after them.
    @Test func agreesWithICUOnLongRunsAndGaps() throws {
        let letters = Array("abcXYZ@qQ"), digits = Array("0123456789")
        let marks = [".", "'", ",", ";", "_", "’", "é", "ł", ":", "-", "\u{A0}", "“"]
        let gaps = Array(" \t.,;:!?()-'\"_").map(String.init) + ["\u{A0}", "—", "…", "×"]
        var generator = SeededGenerator(seed: 31)
        for round in 0..<2000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let run = Int.random(in: 0...40, using: &generator)
                let source = Bool.random(using: &generator) ? letters : digits
                text += String((0..<run).map { _ in source.randomElement(using: &generator)! })
                if Int.random(in: 0..<3, using: &generator) == 0 { text += marks.randomElement(using: &generator)! }
                for _ in 0..<Int.random(in: 0...20, using: &generator) { text += gaps.randomElement(using: &generator)! }
            }
            if Bool.random(using: &generator) { text += "\n" }
            try expectSameAsICU(text, "round \(round)")
        }
    }

    /// The eight-byte tests give each byte's class as the scanner's table has it, for every byte
    /// value in every place of the word.
    @Test func eightByteTestsAgreeWithTheClassTable() {
        var generator = SeededGenerator(seed: 8)
        func expected(_ byte: UInt8) -> (letter: Bool, digit: Bool, startsWord: Bool) {
            guard byte < 0x80 else { return (false, false, true) }
            let kind = LatinWordScanner.asciiClasses[Int(byte)]
            return (kind == .letter, kind == .digit, kind == .letter || kind == .digit || kind == .extendNumLetter)
        }
        for round in 0..<20_000 {
            var bytes = (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round < 256 * 8 { bytes[round % 8] = UInt8(round / 8) }  // every value in every place
            let word = bytes.withUnsafeBufferPointer { EightBytes.load($0, at: 0) }
            let letters = EightBytes.letters(word), digits = EightBytes.digits(word), starts = EightBytes.startsWordOrNonASCII(word)
            for (place, byte) in bytes.enumerated() {
                let bit = UInt64(0x80) << (8 * place)
                let want = expected(byte)
                #expect((letters & bit != 0) == want.letter, "letter test of \(byte) in place \(place)")
                #expect((digits & bit != 0) == want.digit, "digit test of \(byte) in place \(place)")
                #expect((starts & bit != 0) == want.startsWord, "word-start test of \(byte) in place \(place)")
            }
            #expect(letters & ~EightBytes.high == 0 && digits & ~EightBytes.high == 0 && starts & ~EightBytes.high == 0)
        }
    }

    /// The repository's own prose, and the shared data sets when they are there.
    @Test func agreesWithICUOnRealText() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var paths = ["README.md", "BENCHMARKS.md", "docs/style-file.md", "docs/stages.md", "corpora/generic/billing.txt", "corpora/acme/edits.tsv"]
        paths += ["../shared/data/wikitext-2/valid.txt", "../shared/data/yelp/sentiment.dev.0", "../shared/data/paradetox/paradetox.dev.tsv"]
        var checked = 0
        for path in paths {
            guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else { continue }
            try expectSameAsICU(String(decoding: data, as: UTF8.self), path)
            checked += 1
        }
        #expect(checked >= 3)
    }
}

/// A long line is cut into pieces before spaces, and only the pieces holding characters the
/// scanner does not know go to ICU: the words must still be ICU's, wherever the cuts fall.
@Test func longLinesWithOtherScriptsGiveICUWords() throws {
    let segmenter = try WordSegmenter()
    let pieces = ["plain words", "3.5 kg", "e.g. don't", "日本語のテキスト", "ภาษาไทยง่าย", "Ελληνικά λέξεις", "a\u{301}b", "x \u{301}y",
                  "👍🏽 ok", "🇬🇧🇫🇷", "a\u{200D} b", "  spaced  ", "\u{3000}ideographic\u{3000}space", "1,000.50", "naïve—café", "tab\there"]
    var generator = SeededGenerator(seed: 16)
    for round in 0..<40 {
        var line = ""
        while line.utf8.count < 3 * WordSegmenter.pieceBytes + Int.random(in: 0..<200, using: &generator) {
            line += pieces[Int.random(in: 0..<pieces.count, using: &generator)]
            line += ["", " ", "  ", "-", "."][Int.random(in: 0..<5, using: &generator)]
        }
        let text = round % 2 == 0 ? line : line + "\n" + line
        let bytes = Array(text.utf8)
        var scanned: [Range<Int>] = []
        var kinds: [Bool] = []
        try bytes.withUnsafeBufferPointer { buffer throws(TextError) in
            try segmenter.forEachWord(in: buffer) { range, isNumber in scanned.append(range); kinds.append(isNumber) }
        }
        let expected = try segmenter.tokens(in: text).filter { $0.kind == .word || $0.kind == .number }
        #expect(scanned == expected.map(\.utf8Range), "round \(round): \(text.debugDescription)")
        #expect(kinds == expected.map { $0.kind == .number })
    }
}

/// Locales whose ICU rules differ in ASCII (Swedish and Finnish join letters across `:`, POSIX
/// treats `.` and `'` differently) are left to ICU.
@Test(arguments: ["sv", "fi", "en_US_POSIX"])
func tailoredLocalesAreLeftToICU(locale: String) throws {
    let segmenter = try WordSegmenter(locale: locale)
    #expect(!segmenter.usesLatinScanner)
    let text = "Ab:cd 1.5 e.g. don't a:1 x_y"
    let bytes = Array(text.utf8)
    var scanned: [Range<Int>] = []
    try bytes.withUnsafeBufferPointer { buffer throws(TextError) in
        try segmenter.forEachWord(in: buffer) { range, _ in scanned.append(range) }
    }
    #expect(try scanned == segmenter.tokens(in: text).filter { $0.kind == .word || $0.kind == .number }.map(\.utf8Range))
}

/// `forEachWordBatch` hands over `forEachWord`'s words in order, in batches of at most
/// `batchCapacity`: across batch ends, ICU's runs and the scanner's lines, with the English and
/// a tailored locale's segmenter.
@Test(arguments: ["en", "sv"])
func batchesHoldTheWordsOfForEachWord(locale: String) throws {
    let segmenter = try WordSegmenter(locale: locale)
    let pieces = ["plain words", "3.5 kg", "e.g. don't", "日本語のテキスト", "Ελληνικά λέξεις", "1,000.50", "naïve—café", "a_1 x1y2", "\n", "\n\n"]
    var generator = SeededGenerator(seed: 29)
    for round in 0..<6 {
        var text = ""
        while text.utf8.count < 4_000 * (round + 1) {
            text += pieces[Int.random(in: 0..<pieces.count, using: &generator)] + " "
        }
        let bytes = Array(text.utf8)
        var expected: [ScannedWord] = [], actual: [ScannedWord] = []
        var largest = 0
        try bytes.withUnsafeBufferPointer { buffer throws(TextError) in
            try segmenter.forEachWord(in: buffer) { range, isNumber in expected.append(ScannedWord(range, isNumber: isNumber)) }
            try segmenter.forEachWordBatch(in: buffer) { batch in
                largest = max(largest, batch.count)
                actual += batch
            }
        }
        #expect(actual == expected, "round \(round)")
        #expect(largest == min(expected.count, WordSegmenter.batchCapacity), "round \(round): \(expected.count) words")
    }
}
