import HouseStyleNumerics
import HouseStyleText
import Testing
@testable import HouseStyle

/// The pipeline's word list: 16-byte tokens, kept up to date through each stage's edits.
struct WordTrackerTests {
    @Test("a token takes 16 bytes and keeps its range, kind, prose end and key")
    func tokenLayout() {
        #expect(MemoryLayout<WordToken>.stride == 16)
        var token = WordToken(range: 5..<9, isNumber: true, proseEnd: 20, key: WordKey.of(word: "1999"))
        #expect(token.range == 5..<9 && token.isNumber && token.proseEnd == 20 && token.key == WordKey.of(word: "1999"))
        token.range = 7..<12
        #expect(token.range == 7..<12 && token.isNumber)
        token.shift(by: -3)
        #expect(token.range == 4..<9 && token.isNumber && token.end == 9)
        token.isNumber = false
        #expect(token.range == 4..<9 && !token.isNumber)
        let big = WordToken(range: 2_000_000_000..<2_000_000_005, key: 0xFFFF_FFFF)
        #expect(big.range == 2_000_000_000..<2_000_000_005 && !big.isNumber && big.key == 0xFFFF_FFFF)
        // Keys are 32 bits, and a word's bytes and its string give the same one.
        for word in ["Cloud", "utilize", "naïve", "3.5", "AcmeCloud's"] {
            #expect(WordKey.of(word: word) <= UInt64(UInt32.max))
            #expect(WordKey.of(word: word) == WordKey.of(ArraySlice(word.utf8)), "\(word)")
        }
    }

    /// After any edits, the updated list must be the list of the new text segmented from scratch.
    @Test("an updated word list is the new text's word list", arguments: 0..<8)
    func updateMatchesSegmentingAgain(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed))
        let vocabulary = ["use", "utilize", "café", "3.5", "don't", "e.g.", "simply", "—", "1,000", "x", "naïve", "日本", "Ελλάδα", "in order to"]
        let separators = [" ", "  ", "\n", ", ", ". ", " - ", "\n\n"]
        func pick(_ list: [String]) -> String { list[Int.random(in: 0..<list.count, using: &rng)] }
        var text = ""
        for _ in 0..<300 { text += pick(vocabulary) + pick(separators) }
        let old = Array(text.utf8)
        let segmenter = try WordSegmenter(locale: "en")
        // Two prose ranges around a stretch no stage may edit (odd seeds), or the whole text.
        let spaces = old.indices.filter { old[$0] == 0x20 }
        let gap = (spaces[spaces.count / 3], spaces[2 * spaces.count / 3])
        let oldProse = seed % 2 == 0 ? [0..<old.count] : [0..<gap.0, gap.1..<old.count]
        var tracker = try WordTracker(bytes: old, prose: oldProse, segmenter: segmenter)
        #expect(tracker.words.count > 150)

        // Replace, delete or insert before random words of the prose.
        var edits: [Edit] = []
        var end = 0
        for word in tracker.words where Int.random(in: 0..<5, using: &rng) == 0 && word.range.lowerBound >= end {
            let replacement = Int.random(in: 0..<4, using: &rng) == 0 ? "" : pick(vocabulary)
            let range = Int.random(in: 0..<3, using: &rng) == 0 ? word.range.lowerBound..<word.range.lowerBound : word.range
            edits.append(Edit(range: range, replacement: range.isEmpty ? replacement + " " : replacement, rule: "test", reason: "test"))
            end = word.range.upperBound
        }
        var new: [UInt8] = []
        var cursor = 0
        for edit in edits {
            new += old[cursor..<edit.range.lowerBound] + Array(edit.replacement.utf8)
            cursor = edit.range.upperBound
        }
        new += old[cursor...]
        func moved(_ offset: Int) -> Int {
            offset + edits.filter { $0.range.upperBound <= offset }.reduce(0) { $0 + $1.replacement.utf8.count - $1.range.count }
        }
        let newProse = seed % 2 == 0 ? [0..<new.count] : [0..<moved(gap.0), moved(gap.1)..<new.count]

        try tracker.update(old: old, new: new, edits: edits, prose: newProse)
        let fresh = try WordTracker(bytes: new, prose: newProse, segmenter: segmenter).words
        #expect(tracker.words == fresh, "seed \(seed): \(edits.count) edits")
        // A second round on top of the first.
        let again = [Edit(range: 0..<0, replacement: "Simply ", rule: "test", reason: "test")]
        let newer = Array("Simply ".utf8) + new
        let newerProse = newProse.map { ($0.lowerBound == 0 ? 0 : $0.lowerBound + 7)..<($0.upperBound + 7) }
        try tracker.update(old: new, new: newer, edits: again, prose: newerProse)
        let freshAgain = try WordTracker(bytes: newer, prose: newerProse, segmenter: segmenter).words
        #expect(tracker.words == freshAgain)
    }
}
