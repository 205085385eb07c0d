import Testing
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

    @Test("a key filter holds every key it was given and turns most others away", arguments: [0, 1, 31, 32, 33, 5000])
    func keyFilter(count: Int) {
        var generator = SeededGenerator(seed: UInt64(40 + count))
        let keys = (0..<count).map { _ in UInt64.random(in: 0...UInt64(UInt32.max), using: &generator) }
        let filter = WordKeyFilter(keys: keys + keys.prefix(3))
        for key in keys { #expect(filter.mayContain(key)) }
        let others = (0..<10_000).filter { _ in filter.mayContain(UInt64.random(in: 0...UInt64(UInt32.max), using: &generator)) }.count
        #expect(others < 1_000)  // 16 bits a key: about 6% of absent keys pass
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
