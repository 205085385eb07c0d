/// The words and numbers of pure-ASCII text by the Unicode word break rules (UAX #29) that ICU's
/// root word rules implement, without a break iterator: a few table lookups a byte.
///
/// In ASCII only these rules can join characters into a word (`L` letter, `N` digit, `_`
/// ExtendNumLet, `.` and `'` MidNumLet, `,` and `;` MidNum; `:` is not MidLetter in ICU's rules,
/// and `@` is a letter, as CLDR has it so that e-mail addresses stay whole):
///
///     WB5   L × L            WB6/7   L × (. ') L        WB13a  (L | N | _) × _
///     WB8   N × N            WB11/12 N × (. ' , ;) N    WB13b  _ × (L | N)
///     WB9   L × N            WB10    N × L
///
/// ICU's rule status for a segment (word or number) comes from the rules that end at its last
/// character: the largest of the last character's own tag (letter 200, digit 100, `_` none) and
/// the joining rule's. As ICU 72 tags them, a segment ending in a digit is a number (`a1`, `x1y2`,
/// `a_1`), one ending in a letter a word (`1a`), and one ending in `_` takes the tag of the rule
/// that joined it (`a_` and `1__` words, `1_` and `a1_` numbers); a lone `_` is neither.
///
/// `WordSegmenter` checks this scanner against ICU once per locale before using it (a locale may
/// tailor the rules, as Swedish does for `:`), and uses ICU for every line that is not ASCII.
enum ASCIIWordScanner {
    /// Character classes of the rules above, indexed by byte (0...127).
    enum CharacterClass: UInt8 {
        case other = 0, letter, digit, midNumLetter, midNumber, extendNumLetter
    }

    static let classes: [CharacterClass] = (0..<128).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "@"): .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): .digit
        case UInt8(ascii: "."), UInt8(ascii: "'"): .midNumLetter
        case UInt8(ascii: ","), UInt8(ascii: ";"): .midNumber
        case UInt8(ascii: "_"): .extendNumLetter
        default: .other
        }
    }

    /// ICU's rule status tags.
    private static let letterTag = 200, numberTag = 100

    /// Calls `body` with the byte range (offset by `offset`) of every word and number of `bytes`,
    /// which must be ASCII, and whether it is a number.
    @inline(__always)
    static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, offset: Int, _ body: (Range<Int>, _ isNumber: Bool) -> Void
    ) {
        classes.withUnsafeBufferPointer { table in
            let count = bytes.count
            @inline(__always) func kind(_ index: Int) -> CharacterClass {
                index < count ? table[Int(bytes[index])] : .other
            }
            var i = 0
            while i < count {
                var previous = table[Int(bytes[i])]
                guard previous == .letter || previous == .digit || previous == .extendNumLetter else {
                    i += 1
                    continue
                }
                let start = i
                var status = previous == .letter ? letterTag : previous == .digit ? numberTag : 0
                i += 1
                joining: while i < count {
                    let next = table[Int(bytes[i])]
                    switch (previous, next) {
                    case (.letter, .letter), (.digit, .letter), (.letter, .extendNumLetter),
                         (.extendNumLetter, .extendNumLetter), (.extendNumLetter, .letter):
                        status = letterTag                      // WB5, 10, 13a, 13b
                    case (.digit, .digit), (.letter, .digit), (.digit, .extendNumLetter), (.extendNumLetter, .digit):
                        status = numberTag                      // WB8, 9, 13a, 13b
                    case (.letter, .midNumLetter) where kind(i + 1) == .letter:
                        i += 1                                  // WB6/7: the mark and the letter after it
                        status = letterTag
                    case (.digit, .midNumLetter) where kind(i + 1) == .digit,
                         (.digit, .midNumber) where kind(i + 1) == .digit:
                        i += 1                                  // WB11/12
                        status = numberTag
                    default:
                        break joining
                    }
                    previous = table[Int(bytes[i])]
                    i += 1
                }
                if status >= numberTag { body((start + offset)..<(i + offset), status < letterTag) }
            }
        }
    }
}
