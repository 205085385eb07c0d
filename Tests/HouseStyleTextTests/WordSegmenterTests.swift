import Testing
@testable import HouseStyleText

@Suite struct WordSegmenterTests {
    let segmenter: WordSegmenter

    init() throws { segmenter = try WordSegmenter() }

    func tokens(_ text: String) throws -> [(String, TokenKind)] {
        try segmenter.tokens(in: text).map { (String($0.substring(in: text)), $0.kind) }
    }

    @Test func kindsOfASmallSentence() throws {
        let text = "The 2 cats—don't run! $5, 3.5% #1"
        let expected: [(String, TokenKind)] = [
            ("The", .word), (" ", .whitespace), ("2", .number), (" ", .whitespace), ("cats", .word),
            ("—", .punctuation), ("don't", .word), (" ", .whitespace), ("run", .word), ("!", .punctuation),
            (" ", .whitespace), ("$", .symbol), ("5", .number), (",", .punctuation), (" ", .whitespace),
            ("3.5", .number), ("%", .punctuation), (" ", .whitespace), ("#", .punctuation), ("1", .number),
        ]
        let actual = try tokens(text)
        #expect(actual.map(\.0) == expected.map(\.0))
        #expect(actual.map(\.1) == expected.map(\.1))
    }

    @Test func rangesAreUTF8ByteOffsets() throws {
        let text = "né 東京"
        #expect(try segmenter.tokens(in: text) == [
            Token(utf8Range: 0..<3, kind: .word),
            Token(utf8Range: 3..<4, kind: .whitespace),
            Token(utf8Range: 4..<10, kind: .ideographic),
        ])
    }

    @Test func otherScriptsAndSymbols() throws {
        let text = "\u{FEFF}שלום 👩‍👩‍👧 カタカナ e\u{301}\r\n"
        let actual = try tokens(text)
        #expect(actual.map(\.0) == ["\u{FEFF}", "שלום", " ", "👩‍👩‍👧", " ", "カタカナ", " ", "e\u{301}", "\r\n"])
        #expect(actual.map(\.1) == [.other, .word, .whitespace, .symbol, .whitespace, .ideographic, .whitespace, .word, .whitespace])
        // ICU's Chinese-Japanese dictionary reports katakana words as ideographic.
        // CRLF is one token of two bytes, the ZWJ family one token of 18 bytes.
        #expect(try segmenter.tokens(in: text).map(\.utf8Range.count) == [3, 8, 1, 18, 1, 12, 1, 3, 2])
    }

    @Test func wordLikeKinds() {
        #expect(TokenKind.allCases.filter(\.isWordLike) == [.word, .number, .kana, .ideographic])
    }

    @Test func emptyTextHasNoTokens() throws {
        #expect(try segmenter.tokens(in: "") == [])
    }

    @Test func substringAndIndexRangeAgree() throws {
        let text = "añb c"
        let first = try #require(try segmenter.tokens(in: text).first)
        let range = first.range(in: text)
        #expect(text[range] == "añb")
        #expect(text.utf8.distance(from: text.startIndex, to: range.upperBound) == 4)
    }
}
