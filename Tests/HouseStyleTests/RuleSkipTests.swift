import Testing
import HouseStyleText
import struct HouseStyleNumerics.SeededGenerator
@testable import HouseStyle

/// The rule stages pass over words in one loop (`firstPossible`): it must stop at every word a
/// stage would act on, and its tests must agree with the plain ones.
struct RuleSkipTests {
    @Test("the non-ASCII test of a word's bytes agrees with a byte loop at every start and length")
    func nonASCIIBytes() {
        var generator = SeededGenerator(seed: 32)
        for length in [0, 1, 7, 8, 9, 23, 40] {
            for _ in 0..<40 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...0x7F, using: &generator) | (Int.random(in: 0..<12, using: &generator) == 0 ? 0x80 : 0) }
                bytes.withUnsafeBufferPointer { buffer in
                    for start in 0...length {
                        for count in 0...(length - start) {
                            let expected = buffer[start..<(start + count)].contains { $0 >= 0x80 }
                            #expect(AvoidStage.anyNonASCII(buffer, from: start, count: count) == expected)
                        }
                    }
                }
            }
        }
    }

    @Test("the key of a short word from one eight-byte load is the byte loop's key, or nil where the loop takes the Unicode path")
    func keysOfShortWords() {
        var generator = SeededGenerator(seed: 31)
        // Letters of both cases, digits, '@', '_', the apostrophe and a few bytes either side of each class's bounds.
        let alphabet: [UInt8] = Array("aAzZmM09@_'`{[/:-. ".utf8) + [0x40, 0x5B, 0x60, 0x7B, 0x2F, 0x3A, 0x7F, 0x00, 0xC3, 0xA9, 0x80, 0xE2, 0xFF]
        for round in 0..<50_000 {
            let n = round % 9
            let bytes = (0..<8).map { _ in
                Int.random(in: 0..<3, using: &generator) == 0 ? UInt8.random(in: 0...255, using: &generator) : alphabet.randomElement(using: &generator)!
            }
            let loaded = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
            let short = WordKey.of(eightBytes: loaded, count: n)
            // The byte loop's key, and whether it leaves the bytes for the Unicode path.
            var unicode = false
            for byte in bytes.prefix(n) {
                let lower = byte | 0x20
                if (lower >= 0x61 && lower <= 0x7A && byte < 0x80) || (byte >= 0x30 && byte <= 0x39) { continue }
                unicode = byte >= 0x80
                break
            }
            if unicode {
                #expect(short == nil, "\(bytes.prefix(n)) beyond ASCII")
            } else {
                #expect(short == bytes.prefix(n).withUnsafeBufferPointer { WordKey.of($0) }, "\(bytes.prefix(n))")
            }
        }
        #expect(WordKey.of(eightBytes: 0x74_276E_6F44, count: 5) == WordKey.of(word: "don"))   // "Don't"
        #expect(WordKey.of(eightBytes: 0x6E69_6174_6E75_6F4D, count: 8) == WordKey.of(word: "Mountain"))
    }

    @Test("avoid's skip, 64 words at a time, stops where the word-by-word loop stops, from every start", arguments: [true, false])
    func avoidSkipsInBatchesAsOneByOne(inflecting: Bool) throws {
        let entries = inflecting
            ? [AvoidStage.Entry(word: "leverage", instead: "use"), AvoidStage.Entry(word: "synergy"), AvoidStage.Entry(word: "in order to", instead: "to"),
               AvoidStage.Entry(word: "utilize", instead: "use"), AvoidStage.Entry(word: "it is"), AvoidStage.Entry(word: "Acme", caseSensitive: true)]
            : [AvoidStage.Entry(word: "in order to", instead: "to"), AvoidStage.Entry(word: "it is")]
        let stage = AvoidStage(entries: entries)
        let vocabulary = ["leverages", "leveraged", "leveraging", "synergies", "utilized", "utilizes", "in", "order", "to", "it", "is", "Acme",
                          "ACMES", "dogs", "bed", "sing", "the", "a", "I", "café", "naïveS", "x", "words", "d", "Ds", "s", "g"]
        var generator = SeededGenerator(seed: 64)
        for round in 0..<20 {
            var text = ""
            for _ in 0..<Int.random(in: 0...400, using: &generator) {
                text += vocabulary.randomElement(using: &generator)! + [" ", ", ", ". ", "\n"].randomElement(using: &generator)!
            }
            let bytes = Array(text.utf8)
            var words: [WordToken] = []
            try bytes.withUnsafeBufferPointer { buffer throws(TextError) in
                try WordSegmenter().forEachWord(in: buffer) { range, isNumber in
                    words.append(WordToken(range: range, isNumber: isNumber, key: WordKey.of(bytes[range])))
                }
            }
            words.withUnsafeBufferPointer { words in
                bytes.withUnsafeBufferPointer { bytes in
                    var shared = AvoidStage.Candidates()
                    for start in 0...words.count {
                        var fresh = AvoidStage.Candidates()
                        let expected = stage.firstPossibleOneByOne(in: words, bytes: bytes, from: start)
                        #expect(stage.firstPossible(in: words, bytes: bytes, from: start, candidates: &fresh) == expected, "round \(round), start \(start)")
                        #expect(stage.firstPossible(in: words, bytes: bytes, from: start, candidates: &shared) == expected, "round \(round), start \(start)")
                    }
                }
            }
        }
    }

    @Test("a key filter holds every key it was given and turns most others away", arguments: [0, 1, 31, 32, 33, 5000])
    func keyFilter(count: Int) {
        var generator = SeededGenerator(seed: UInt64(40 + count))
        let keys = (0..<count).map { _ in UInt64.random(in: 0...UInt64(UInt32.max), using: &generator) }
        let filter = WordKeyFilter(keys: keys + keys.prefix(3))
        for key in keys { #expect(filter.mayContain(key)) }
        let others = (0..<10_000).filter { _ in filter.mayContain(UInt64.random(in: 0...UInt64(UInt32.max), using: &generator)) }.count
        #expect(others < 400)  // 16 bits a key, two of them set for each: about 1.6% of absent keys pass
    }

    @Test("a table's first possible word is never past a word whose key it holds")
    func firstPossibleSkipsOnlyAbsentKeys() {
        var generator = SeededGenerator(seed: 33)
        let present = (0..<40).map { _ in UInt64.random(in: 0...UInt64(UInt32.max), using: &generator) }
        let table = WordKeyTable(Dictionary(uniqueKeysWithValues: present.enumerated().map { ($0.element, [$0.offset]) }))
        let words = (0..<5000).map { i in
            WordToken(range: i..<i + 1, key: Int.random(in: 0..<50, using: &generator) == 0 ? present.randomElement(using: &generator)!
                                          : UInt64.random(in: 0...UInt64(UInt32.max), using: &generator))
        }
        words.withUnsafeBufferPointer { buffer in
            var index = 0, found = 0
            while true {
                let next = table.firstPossible(in: buffer, from: index)
                for skipped in index..<next { #expect(!table.contains(buffer[skipped].key)) }
                guard next < buffer.count else { break }
                #expect(table.mayContain(buffer[next].key))
                if table.contains(buffer[next].key) { found += 1 }
                index = next + 1
            }
            #expect(found == words.filter { table.contains($0.key) }.count && found > 0)
        }
    }
}
