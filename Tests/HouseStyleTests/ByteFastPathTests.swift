import Testing
import struct HouseStyleNumerics.SeededGenerator
@testable import HouseStyle

/// The byte paths that replace character-by-character code when a style is loaded (word keys
/// of a vocabulary, the contractions of a voice corpus, the spelling table) must give exactly
/// what the character code gives.
struct ByteFastPathTests {
    /// Random ASCII text over `alphabet`, with CR LF pairs and lone CRs and LFs.
    private static func asciiText(_ count: Int, alphabet: [String], using generator: inout SeededGenerator) -> String {
        var text = ""
        for _ in 0..<count { text += alphabet.randomElement(using: &generator)! }
        return text
    }

    private static let pieces = ["a", "Z", "m", "0", "9", "'", "’", " ", "\t", "\r\n", "\r", "\n", "-", "_", ".", ",", "@", "[", "`", "{",
                                 "don", "DON", "t", "s", "re", "ll", "it", "I", "we", "can", "not", "ve", "d", "\u{7F}", "\u{1}"]

    @Test("an ASCII word's key is the key of its characters")
    func asciiWordKeys() {
        var generator = SeededGenerator(seed: 30)
        let ascii = Self.pieces.filter { $0.utf8.allSatisfy { $0 < 0x80 } }
        var words = (0..<128).map { String(UnicodeScalar(UInt8($0))) } + ["", "Colour", "e-mail", "API", "it's", "a1b2", "x\r\ny", "\r\n"]
        for _ in 0..<2000 { words.append(Self.asciiText(Int.random(in: 0...6, using: &generator), alphabet: ascii, using: &generator)) }
        for word in words {
            #expect(WordKey.of(word: word) == WordKey.ofCharacters(word: word), "\(Array(word.utf8))")
            #expect(WordKey.of(word: word[...]) == WordKey.ofCharacters(word: word), "\(Array(word.utf8))")
        }
        // Beyond ASCII the character path decides (the Kelvin sign lowers to "k").
        for word in ["Café", "\u{212A}elvin", "naïve"] { #expect(WordKey.of(word: word) == WordKey.ofCharacters(word: word)) }
    }

    @Test("the contractions of an ASCII text are those its characters give")
    func contractionsOfASCIIText() {
        var generator = SeededGenerator(seed: 31)
        let ascii = Self.pieces.filter { $0.utf8.allSatisfy { $0 < 0x80 } }
        var texts = ["Don't worry: it's fine, we'll see. I'M here; can't? CANNOT won't", "'s'", "'", "", "x'\r\nll"]
        // Whole contractions among the pieces, in both cases, so that many texts hold some.
        let words = ascii + ["don't", "IT'S", "We'll", "can't", "they'd", "i'm", "x'y", "'s", "it''s"]
        for _ in 0..<500 { texts.append(Self.asciiText(Int.random(in: 0...60, using: &generator), alphabet: words, using: &generator)) }
        var nonEmpty = 0
        for text in texts {
            let used = ContractionsStage.used(in: text)
            #expect(used == ContractionsStage.usedOnCharacters(in: text), "\(text.debugDescription)")
            if !used.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty > 50)  // the texts do hold contractions
        // Text beyond ASCII (a curly apostrophe) takes the character path.
        #expect(ContractionsStage.used(in: "Don’t. It’s") == ["don't", "it's"])
    }

    @Test("the spelling table parses on bytes as on characters, errors included",
          arguments: ["colour\tcolor\norganise\torganize\n", "a\tb\n\n\nc\td", "a\tb\r\nc\td\n", "a\tb\r\n", "\n\na\t\tb\n",
                      "a\tb\nbad\n", "a\tb\tc\n", "\t\n", "\r\n", "a\tb\r", "caf\u{E9}\tcafe\u{301}\n", "\u{FEFF}a\tb\n"])
    func spellingTable(text: String) {
        spellingTableBytes(Array(text.utf8))
    }

    @Test("the spelling table parses invalid UTF-8 on bytes as on characters")
    func spellingTableInvalidUTF8() {
        spellingTableBytes([0x61, 0xE2, 0x80, 0x09, 0x62, 0x0A, 0xFF, 0x09, 0xC3, 0x0D, 0x0A, 0x63, 0x09, 0x64])
        spellingTableBytes([0x61, 0x09, 0x62, 0xE2, 0x0A, 0x63, 0x09, 0x64, 0xF0, 0x9F])
    }

    private func spellingTableBytes(_ bytes: [UInt8]) {
        let onBytes = Result { () throws(StageError) in try Resources.spellingPairs(parsing: bytes, path: "t.tsv") }
        let onCharacters = Result { () throws(StageError) in try Resources.spellingPairsOnCharacters(parsing: bytes, path: "t.tsv") }
        switch (onBytes, onCharacters) {
        case (.success(let a), .success(let b)):
            #expect(a.map { [$0.british, $0.american] } == b.map { [$0.british, $0.american] }, "\(bytes)")
        case (.failure(let a), .failure(let b)):
            #expect(a.description == b.description, "\(bytes)")
        default:
            Issue.record("one parse failed and the other did not: \(bytes)")
        }
    }
}
