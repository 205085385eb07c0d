import Testing
@testable import HouseStyleText

/// Swift's `==` on strings ignores normalisation, so these tests compare scalars.
private func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

@Suite struct NormalizationTests {
    @Test(arguments: [
        ("e\u{301}", "\u{E9}"),                        // e + combining acute -> é
        ("\u{1100}\u{1161}\u{11A8}", "\u{AC01}"),      // conjoining jamo -> 각
        ("a\u{323}\u{302}", "\u{1EAD}"),               // marks reordered and composed -> ậ
        ("\u{212B}", "\u{C5}"),                        // ANGSTROM SIGN -> Å
        ("ﬁ２①", "ﬁ２①"),                              // compatibility characters stay
        ("\u{FEFF}plain", "\u{FEFF}plain"),
        ("", ""),
    ])
    func nfc(input: String, expected: String) throws {
        #expect(scalars(try Normalization.nfc(input)) == scalars(expected))
    }

    @Test(arguments: [
        ("ﬁ", "fi"),
        ("２０２４", "2024"),
        ("①", "1"),
        ("e\u{301}", "\u{E9}"),
        ("ｶﾀｶﾅ", "カタカナ"),
        ("x\u{00B2}", "x2"),
        ("\u{FDFA}", "\u{635}\u{644}\u{649} \u{627}\u{644}\u{644}\u{647} \u{639}\u{644}\u{64A}\u{647} \u{648}\u{633}\u{644}\u{645}"),
    ])
    func nfkc(input: String, expected: String) throws {
        #expect(scalars(try Normalization.nfkc(input)) == scalars(expected))
    }

    @Test func detectsNormalisedText() throws {
        #expect(try Normalization.isNFC("\u{E9}"))
        #expect(try !Normalization.isNFC("e\u{301}"))
        #expect(try Normalization.isNFC("ﬁ"))
        #expect(try !Normalization.isNFKC("ﬁ"))
    }

    @Test func longExpansionsGrowTheBuffer() throws {
        // U+FDFA expands 18-fold in code points; 200 of them overflow the first buffer guess.
        let text = String(repeating: "\u{FDFA}", count: 200)
        let result = try Normalization.nfkc(text)
        #expect(result.unicodeScalars.count == 18 * 200)
        #expect(result.utf8.count == 200 * 33)
    }
}
