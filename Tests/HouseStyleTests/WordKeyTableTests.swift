import HouseStyleNumerics
import Testing
@testable import HouseStyle

/// The rule stages' word lookup table and byte comparison must answer exactly as the
/// `Dictionary` and `String` comparisons they replace.
struct WordKeyTableTests {
    @Test("every key finds its group in order; absent keys find nothing", arguments: [0, 1, 7, 100, 3000])
    func lookupsMatchADictionary(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count))
        var groups: [UInt64: [Int]] = [:]
        // Keys that share their low and high bits too, so probing and the filter are exercised.
        for i in 0..<count {
            let key = i % 3 == 0 ? UInt64(i) << 40 : UInt64.random(in: .min ... .max, using: &generator)
            groups[key, default: []] += Array(0...(i % 4)).map { $0 * 1000 + i }
        }
        let table = WordKeyTable(groups)
        for (key, group) in groups {
            #expect(Array(table.entries[table.range(of: key)]) == group)
            #expect(table.contains(key))
            #expect(table.first(key) == group.first)
        }
        for _ in 0..<10_000 {
            let key = UInt64.random(in: .min ... .max, using: &generator)
            #expect(table.range(of: key).isEmpty == (groups[key] == nil))
        }
        #expect(table.entries.count == groups.values.reduce(0) { $0 + $1.count })
    }

    @Test("a key of zero is a key like any other")
    func zeroKey() {
        let table = WordKeyTable([0: ["zero"], 1: ["one"]])
        #expect(table.first(0) == "zero")
        #expect(table.first(1) == "one")
        #expect(table.first(2) == nil)
    }

    @Test("a lower-case form matches a word as RuleText.lowercased and String equality do",
          arguments: [("colour", "Colour"), ("colour", "COLOUR"), ("colour", "colours"), ("colour", "colou"),
                      ("café", "Café"), ("café", "cafe\u{301}"), ("k", "\u{212A}"), ("it's", "It's"), ("naïve", "naive")])
    func lowercaseFormMatchesLikeStrings(form: String, word: String) {
        let bytes = Array(word.utf8)
        #expect(LowercaseForm(form).matches(bytes[...]) == (RuleText.lowercased(bytes[...]) == form))
    }
}
