import Testing
@testable import HouseStyleText

@Suite struct SegmentationPropertyTests {
    /// Pieces that have tripped up segmenters: abbreviations, emoji sequences, CJK, combining
    /// marks (also with nothing to combine with), right-to-left scripts, CRLF, BOMs, odd spaces.
    static let pieces: [String] = [
        "Dr. ", "Smith", " ", "  ", "\t", "\r\n", "\n", "\n\n", "\r", "\u{2029}", "\u{00A0}", "\u{3000}",
        "\u{FEFF}", "e.g. ", "i.e.", "etc.", "p.m.", "U.S.", "Fig. 3", "No.", ".", "...", "?!", "!", "?",
        "\"", "“Quoted.”", "(", ")", "—", "-", "'", "don't", "1,000.50", "3.5%", "$", "€12", "#",
        "👩‍👩‍👧", "👍🏽", "🇬🇧", "🏳️‍🌈", "1️⃣", "\u{200D}", "\u{FE0F}", "e\u{301}", "\u{301}", "\u{0308}\u{0323}",
        "東京タワー", "ひらがな", "カタカナ", "中文。", "한국어", "ภาษาไทย", "שלום", "מה?", "مرحبا", "٣٤٥", "؟",
        "Ωμέγα", "İstanbul", "ß", "ﬁ", "Straße.", "The", "cat", "It rained.", "A", "a", "z.", "\u{0000}",
    ]

    static func randomText(seed: UInt64) -> String {
        var generator = SeededGenerator(seed: seed)
        let count = Int.random(in: 0...40, using: &generator)
        return (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }

    /// Checks that `ranges` tile `text` exactly, on scalar boundaries, and rebuild it byte for byte.
    static func expectTiling(_ ranges: [Range<Int>], of text: String, seed: UInt64, _ what: String) {
        let bytes = Array(text.utf8)
        var expectedStart = 0
        for range in ranges {
            #expect(range.lowerBound == expectedStart, "seed \(seed): \(what) gap or overlap at \(range)")
            #expect(!range.isEmpty, "seed \(seed): empty \(what) at \(range)")
            if range.upperBound < bytes.count {
                #expect(bytes[range.upperBound] & 0xC0 != 0x80, "seed \(seed): \(what) ends inside a character")
            }
            expectedStart = range.upperBound
        }
        #expect(expectedStart == bytes.count, "seed \(seed): \(what)s stop at \(expectedStart) of \(bytes.count)")
    }

    @Test func segmentsCoverEveryByte() throws {
        let sentences = try SentenceSegmenter()
        let words = try WordSegmenter()
        for seed in UInt64(0)..<300 {
            let text = Self.randomText(seed: seed)

            let sentenceSegments = try sentences.sentences(in: text)
            Self.expectTiling(sentenceSegments.map(\.utf8Range), of: text, seed: seed, "sentence")
            let rebuiltFromSentences = sentenceSegments.map { $0.substring(in: text) }.joined()
            #expect(Array(rebuiltFromSentences.utf8) == Array(text.utf8), "seed \(seed)")

            let tokens = try words.tokens(in: text)
            Self.expectTiling(tokens.map(\.utf8Range), of: text, seed: seed, "token")
            let rebuiltFromTokens = tokens.map { $0.substring(in: text) }.joined()
            #expect(Array(rebuiltFromTokens.utf8) == Array(text.utf8), "seed \(seed)")
        }
    }

    @Test func reusingASegmenterMatchesAFreshOne() throws {
        let reused = try WordSegmenter()
        for seed in UInt64(1000)..<1050 {
            let text = Self.randomText(seed: seed)
            #expect(try reused.tokens(in: text) == WordSegmenter().tokens(in: text), "seed \(seed)")
        }
    }

    @Test func generatorIsDeterministic() {
        #expect(Self.randomText(seed: 42) == Self.randomText(seed: 42))
        #expect(Self.randomText(seed: 42) != Self.randomText(seed: 43))
    }
}
