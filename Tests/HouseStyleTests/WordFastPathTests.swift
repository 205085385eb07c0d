import Testing
@testable import HouseStyle

/// The branch-free word tests of the rule stages against the loops they replace.
@Suite struct WordFastPathTests {
    /// The casing loop as it was (returns at the first byte beyond ASCII, skips non-letters).
    static func referenceCasing(_ bytes: [UInt8]) -> Casing? {
        var letters = 0, uppers = 0
        var firstIsUpper: Bool?
        for byte in bytes {
            if byte >= 0x80 { return nil }
            let upper = byte >= 0x41 && byte <= 0x5A
            let lower = byte >= 0x61 && byte <= 0x7A
            guard upper || lower else { continue }
            if firstIsUpper == nil { firstIsUpper = upper }
            letters += 1
            if upper { uppers += 1 }
        }
        guard let firstIsUpper else { return .mixed }
        if uppers == 0 { return .lower }
        if letters > 1 && uppers == letters { return .upper }
        if firstIsUpper && uppers == 1 { return .capitalised }
        return .mixed
    }

    @Test func asciiCasingAgreesWithTheLoop() {
        var state: UInt64 = 16
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        let pool = Array("aZbYcXmM09'-_.@`[{".utf8)
        for _ in 0..<50_000 {
            let count = Int(next() % 12)
            let word = (0..<count).map { _ in pool[Int(next() % UInt64(pool.count))] }
            guard let expected = Self.referenceCasing(word) else { continue }
            #expect(Casing(of: word[...]) == expected, "\(word)")
        }
        // Beyond ASCII: the Unicode path, as before.
        #expect(Casing(of: Array("Éclair".utf8)[...]) == .capitalised)
        #expect(Casing(of: Array("ÉCLAIR".utf8)[...]) == .upper)
    }

    @Test func wordHasNonASCIIAgreesWithTheLoop() {
        var state: UInt64 = 32
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        for _ in 0..<300 {
            // Words of 1-12 bytes, some with a byte beyond ASCII, separated by one space; the text
            // ends right after the last word, so the last words take the loop.
            var bytes: [UInt8] = []
            var words: [WordToken] = []
            for _ in 0..<Int(1 + next() % 12) {
                let start = bytes.count
                for _ in 0..<Int(1 + next() % 12) { bytes.append(next() % 9 == 0 ? 0xC3 : UInt8(0x61 + next() % 26)) }
                words.append(WordToken(range: start..<bytes.count, key: 0))
                if next() % 2 == 0 { bytes.append(0x20) } else { bytes += [0x20, 0xC3, 0xA9, 0x20] }
            }
            if next() % 2 == 0 { bytes.removeLast() }
            let text = RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])
            for index in words.indices {
                #expect(text.wordHasNonASCII(index) == RuleText.hasNonASCII(bytes[words[index].range]), "\(bytes) \(index)")
            }
        }
    }
}
