/// The words and numbers of Latin-script text by the Unicode word break rules (UAX #29) as ICU's
/// root rules implement them, without a break iterator: a table lookup a character.
///
/// It knows the characters of nearly all English prose: ASCII, the Latin-1 and Latin Extended-A
/// letters (`é`, `ł`), no-break space, `£`, `°`, `×`, `÷`, dashes (U+2010...U+2015), curly
/// quotes and the ellipsis. A line with any other character is left to ICU (`canScan`).
///
/// Among these characters only the following rules join characters into a word (`L` letter,
/// `N` digit, `_` ExtendNumLet, `.` `'` `‘` `’` MidNumLet, `,` `;` MidNum; `:` is not MidLetter
/// in ICU's rules, and `@` is a letter, as CLDR has it so that e-mail addresses stay whole):
///
///     WB5   L × L            WB6/7   L × (. ' ‘ ’) L         WB13a  (L | N | _) × _
///     WB8   N × N            WB11/12 N × (. ' ‘ ’ , ;) N     WB13b  _ × (L | N)
///     WB9   L × N            WB10    N × L
///
/// ICU's rule status for a segment (word or number) comes from the rules that end at its last
/// character: the largest of the last character's own tag (letter 200, digit 100, `_` none) and
/// the joining rule's. As ICU 72 tags them, a segment ending in a digit is a number (`a1`, `x1y2`,
/// `a_1`), one ending in a letter a word (`1a`), and one ending in `_` takes the tag of the rule
/// that joined it (`a_` and `1__` words, `1_` and `a1_` numbers); a lone `_` is neither.
///
/// `WordSegmenter` checks this scanner against ICU once per locale before using it (a locale may
/// tailor the rules, as Swedish does for `:`).
enum LatinWordScanner {
    /// Character classes of the rules above.
    enum CharacterClass: UInt8 {
        case other = 0, letter, digit, midNumLetter, midNumber, extendNumLetter
        /// A character the scanner does not know: the line goes to ICU.
        case unknown
    }

    /// Classes of ASCII characters, indexed by byte.
    static let asciiClasses: [CharacterClass] = (0..<128).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "@"): .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): .digit
        case UInt8(ascii: "."), UInt8(ascii: "'"): .midNumLetter
        case UInt8(ascii: ","), UInt8(ascii: ";"): .midNumber
        case UInt8(ascii: "_"): .extendNumLetter
        default: .other
        }
    }

    /// The class and UTF-8 length of a character the scanner knows beyond ASCII, from its bytes;
    /// `.unknown` for any other.
    static func classOfNonASCII(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8) -> (CharacterClass, width: Int) {
        switch b0 {
        case 0xC2:
            switch b1 {
            case 0xA0, 0xA3, 0xB0: return (.other, 2)                   // no-break space, £, °
            default: return (.unknown, 0)
            }
        case 0xC3:
            guard b1 >= 0x80 && b1 <= 0xBF else { return (.unknown, 0) }
            return (b1 == 0x97 || b1 == 0xB7 ? .other : .letter, 2)      // À...ÿ but × and ÷
        case 0xC4, 0xC5:
            guard b1 >= 0x80 && b1 <= 0xBF else { return (.unknown, 0) }
            return (.letter, 2)                                         // Latin Extended-A
        case 0xE2:
            guard b1 == 0x80 else { return (.unknown, 0) }
            switch b2 {
            case 0x90...0x95, 0x9C, 0x9D, 0xA6: return (.other, 3)      // dashes, “ ”, …
            case 0x98, 0x99: return (.midNumLetter, 3)                  // ‘ ’
            default: return (.unknown, 0)
            }
        default:
            return (.unknown, 0)
        }
    }

    /// Whether every character of `bytes` is one the scanner knows.
    static func canScan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let count = bytes.count
        while i < count {
            if bytes[i] < 0x80 {
                i += 1
                continue
            }
            let (kind, width) = classOfNonASCII(bytes[i], i + 1 < count ? bytes[i + 1] : 0, i + 2 < count ? bytes[i + 2] : 0)
            guard kind != .unknown else { return false }
            i += width
        }
        return true
    }

    /// ICU's rule status tags.
    private static let letterTag = 200, numberTag = 100

    /// Calls `body` with the byte range (offset by `offset`) of every word and number of `bytes`,
    /// for which `canScan` must be true, and whether it is a number.
    @inline(__always)
    static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, offset: Int, _ body: (Range<Int>, _ isNumber: Bool) -> Void
    ) {
        asciiClasses.withUnsafeBufferPointer { table in
            let count = bytes.count
            /// The class and length of the character at `index` (`.other` past the end).
            @inline(__always) func character(_ index: Int) -> (CharacterClass, width: Int) {
                guard index < count else { return (.other, 1) }
                let byte = bytes[index]
                if byte < 0x80 { return (table[Int(byte)], 1) }
                return classOfNonASCII(byte, index + 1 < count ? bytes[index + 1] : 0, index + 2 < count ? bytes[index + 2] : 0)
            }
            var i = 0
            scanning: while i < count {
                // ASCII that starts no word (spaces, punctuation): one lookup a byte. (Eight bytes a
                // step, as in the runs below, took more instructions than it saved in mispredicted
                // exits: most gaps are one space.)
                while i < count, bytes[i] < 0x80 {
                    let kind = table[Int(bytes[i])]
                    if kind == .letter || kind == .digit || kind == .extendNumLetter { break }
                    i += 1
                }
                guard i < count else { break }
                var (previous, width) = character(i)
                guard previous == .letter || previous == .digit || previous == .extendNumLetter else {
                    i += width
                    continue
                }
                let start = i
                var status = previous == .letter ? letterTag : previous == .digit ? numberTag : 0
                i += width
                joining: while i < count {
                    // A run of ASCII letters (or digits) after a letter (digit): WB5 (WB8), one lookup a byte.
                    if previous == .letter || previous == .digit {
                        let run = i
                        // Eight bytes a step while eight are left: the byte loop's exit, at a word's
                        // end, was a branch mispredicted about once a word.
                        let letters = previous == .letter
                        // The byte that ended the run, when the eight-byte step saw it: taken from
                        // the loaded word rather than loaded again at an offset just computed.
                        var stop = -1
                        while i + 8 <= count {
                            let word = EightBytes.load(bytes, at: i)
                            let others = ~(letters ? EightBytes.letters(word) : EightBytes.digits(word)) & EightBytes.high
                            if others != 0 {
                                let place = others.trailingZeroBitCount &>> 3
                                i += place
                                stop = Int(truncatingIfNeeded: (word &>> UInt64(place &* 8)) & 0xFF)
                                break
                            }
                            i += 8
                        }
                        if stop < 0 {
                            // Fewer than eight bytes left: the byte loop.
                            while i < count, bytes[i] < 0x80, table[Int(bytes[i])] == previous { i += 1 }
                            if i < count { stop = Int(bytes[i]) }
                        }
                        if i > run { status = previous == .letter ? letterTag : numberTag }
                        guard stop >= 0 else { break joining }  // the end of the text
                        // A space or other ASCII that joins nothing ends the word (the switch's
                        // default), and starts no word: the gap loop may start after it.
                        if stop < 0x80 && table[stop] == .other {
                            if status >= numberTag { body((start + offset)..<(i + offset), status < letterTag) }
                            i += 1
                            continue scanning
                        }
                    }
                    let (next, nextWidth) = character(i)
                    switch (previous, next) {
                    case (.letter, .letter), (.digit, .letter), (.letter, .extendNumLetter),
                         (.extendNumLetter, .extendNumLetter), (.extendNumLetter, .letter):
                        status = letterTag                      // WB5, 10, 13a, 13b
                        i += nextWidth
                    case (.digit, .digit), (.letter, .digit), (.digit, .extendNumLetter), (.extendNumLetter, .digit):
                        status = numberTag                      // WB8, 9, 13a, 13b
                        i += nextWidth
                    case (.letter, .midNumLetter):
                        let (after, afterWidth) = character(i + nextWidth)
                        guard after == .letter else { break joining }
                        status = letterTag                      // WB6/7: the mark and the letter after it
                        i += nextWidth + afterWidth
                    case (.digit, .midNumLetter), (.digit, .midNumber):
                        let (after, afterWidth) = character(i + nextWidth)
                        guard after == .digit else { break joining }
                        status = numberTag                      // WB11/12
                        i += nextWidth + afterWidth
                        previous = .digit
                        continue joining
                    default:
                        break joining
                    }
                    previous = next == .midNumLetter ? .letter : next
                }
                if status >= numberTag { body((start + offset)..<(i + offset), status < letterTag) }
            }
        }
    }
}

/// Eight bytes of text in one 64-bit word (the first byte lowest), tested for the scanner's ASCII
/// classes all at once: each test gives the high bit of every byte that passes it. Bytes beyond
/// ASCII pass none of them (`startsWordOrNonASCII` aside). The additions stay within each byte:
/// they add at most 0x7F to a byte at most 0x7F.
enum EightBytes {
    static let high: UInt64 = 0x8080_8080_8080_8080
    private static let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    private static let ones: UInt64 = 0x0101_0101_0101_0101

    /// The eight bytes from `index` on (which must be in the buffer).
    @inline(__always)
    static func load(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
    }

    /// High bit of each byte of `word` at least `bound` (below 0x80 both), for bytes below 0x80.
    @inline(__always)
    private static func atLeast(_ seven: UInt64, _ bound: UInt8) -> UInt64 {
        (seven &+ ones &* UInt64(0x80 &- bound)) & high
    }

    /// High bit of each byte equal to `byte` (below 0x80).
    @inline(__always)
    private static func equal(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let difference = word ^ (ones &* UInt64(byte))
        return ~(((difference & low) &+ low) | difference) & high
    }

    /// `LatinWordScanner.CharacterClass.letter` among ASCII bytes: `A`...`Z`, `a`...`z`, `@`.
    @inline(__always)
    static func letters(_ word: UInt64) -> UInt64 {
        let folded = (word | 0x2020_2020_2020_2020) & low
        return (atLeast(folded, 0x61) & ~atLeast(folded, 0x7B) & ~word) | equal(word, 0x40)
    }

    /// `.digit`: `0`...`9`.
    @inline(__always)
    static func digits(_ word: UInt64) -> UInt64 {
        let seven = word & low
        return atLeast(seven, 0x30) & ~atLeast(seven, 0x3A) & ~word
    }

    /// Bytes that end the scanner's skip over ASCII starting no word: a letter, a digit, `_`,
    /// or a byte beyond ASCII.
    @inline(__always)
    static func startsWordOrNonASCII(_ word: UInt64) -> UInt64 {
        letters(word) | digits(word) | equal(word, 0x5F) | (word & high)
    }
}
