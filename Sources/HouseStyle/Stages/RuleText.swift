import HouseStyleText
import HouseStyleYAML

/// A word (or number) of the prose, as a byte range of the text a rule looks at.
///
/// Offsets are stored in 32 bits (texts are below 2 GiB, ICU's limit; the top bit of the end
/// holds `isNumber`) and the key is a 32-bit `WordKey`, so a token takes 16 bytes: a 200 MB
/// document has some 35 million of them, and the pipeline holds two lists while it updates one.
public struct WordToken: Sendable, Hashable {
    private var startOffset: UInt32
    /// The end offset, with `numberFlag` set for a number.
    private var endAndKind: UInt32
    /// The prose end less the end (wrapping 32-bit arithmetic): relative, so that moving the
    /// word moves its prose end with it, and an update after a stage's edits need only set it
    /// again in the prose ranges those edits changed.
    private var proseAfterEnd: UInt32
    private var storedKey: UInt32
    private static let numberFlag: UInt32 = 1 << 31

    public var range: Range<Int> {
        get { Int(startOffset)..<Int(endAndKind & ~Self.numberFlag) }
        set {
            let proseEnd = self.proseEnd
            startOffset = UInt32(newValue.lowerBound)
            endAndKind = UInt32(newValue.upperBound) | (endAndKind & Self.numberFlag)
            self.proseEnd = proseEnd
        }
    }

    public var isNumber: Bool {
        get { endAndKind & Self.numberFlag != 0 }
        set { endAndKind = newValue ? endAndKind | Self.numberFlag : endAndKind & ~Self.numberFlag }
    }

    /// `WordKey` of the word, so rules look words up by integer instead of by string.
    public var key: UInt64 {
        get { UInt64(storedKey) }
        set {
            precondition(newValue <= UInt64(UInt32.max), "a WordKey has 32 bits")
            storedKey = UInt32(newValue)
        }
    }

    /// End of the prose range holding the word: an edit starting at this word may not pass it.
    public var proseEnd: Int {
        @inline(__always) get { Int((endAndKind & ~Self.numberFlag) &+ proseAfterEnd) }
        @inline(__always) set { proseAfterEnd = UInt32(truncatingIfNeeded: newValue) &- (endAndKind & ~Self.numberFlag) }
    }

    /// Moves the word, and its prose end with it, by `shift` bytes (to where it still lies in a
    /// text below 2 GiB). Wrapping 32-bit additions: the end stays below the number flag's bit, so
    /// adding to it leaves the flag.
    @inline(__always)
    mutating func shift(by shift: Int) {
        let delta = UInt32(truncatingIfNeeded: shift)
        startOffset &+= delta
        endAndKind &+= delta
    }

    /// The end offset, without building a range.
    @inline(__always)
    var end: Int { Int(endAndKind & ~Self.numberFlag) }

    /// The start offset, without building a range.
    @inline(__always)
    var start: Int { Int(startOffset) }

    /// The word moved by `shift` bytes.
    @inline(__always)
    func shifted(by shift: Int) -> WordToken {
        var word = self
        word.shift(by: shift)
        return word
    }

    /// A word of the scan: offsets below 2 GiB (the segmenter refuses longer texts), a 32-bit key.
    @inline(__always)
    init(start: Int, end: Int, isNumber: Bool, proseEnd: Int, key: UInt64) {
        startOffset = UInt32(truncatingIfNeeded: start)
        endAndKind = UInt32(truncatingIfNeeded: end) | (isNumber ? Self.numberFlag : 0)
        proseAfterEnd = UInt32(truncatingIfNeeded: proseEnd &- end)
        storedKey = UInt32(truncatingIfNeeded: key)
    }

    /// - Parameter key: a `WordKey` (32 bits).
    public init(range: Range<Int>, isNumber: Bool = false, proseEnd: Int? = nil, key: UInt64) {
        precondition(range.upperBound < Int(Self.numberFlag), "texts are below 2 GiB")
        precondition(key <= UInt64(UInt32.max), "a WordKey has 32 bits")
        startOffset = UInt32(range.lowerBound)
        endAndKind = UInt32(range.upperBound) | (isNumber ? Self.numberFlag : 0)
        proseAfterEnd = UInt32(truncatingIfNeeded: (proseEnd ?? range.upperBound) &- range.upperBound)
        storedKey = UInt32(key)
    }
}

/// A word's lookup key: a hash of its leading run of letters and digits in lower case
/// ("AcmeCloud's" and "acmecloud" share one), folded to 32 bits (`fold`). Rules index their
/// vocabularies by it and confirm a hit by comparing the text, so a hash collision can never
/// change a word.
///
/// The hash takes the run's UTF-8 bytes eight at a time (the first byte lowest, the last chunk
/// padded with zero bytes, which no letter or digit has; an empty run is one chunk of zeros):
/// each chunk is xored in and the state multiplied and shifted (`mix`). A word of up to eight
/// bytes, nearly every word, is one multiply from its bytes (`of(eightBytes:count:)`); a byte at
/// a time, as FNV-1a took it, was eight multiplies in a row, each waiting for the last.
/// Keys are made afresh in each process and never stored.
public enum WordKey {
    /// The state before the first chunk.
    static let seed: UInt64 = 0x243F_6A88_85A3_08D3
    private static let multiplier: UInt64 = 0xFF51_AFD7_ED55_8CCD

    /// The state after one more chunk.
    @inline(__always)
    static func mix(_ state: UInt64, _ chunk: UInt64) -> UInt64 {
        let product = (state ^ chunk) &* multiplier
        return product ^ (product &>> 29)
    }

    /// Gathers a run's bytes into chunks and mixes them in (`of(_:runBytes:)`, `of(lowered:)`).
    struct Hasher {
        private var state = WordKey.seed
        private var chunk: UInt64 = 0
        private var shift: UInt64 = 0
        private var mixed = false

        @inline(__always)
        init() {}

        /// Adds the next byte of the run (never zero).
        @inline(__always)
        mutating func add(_ byte: UInt8) {
            chunk |= UInt64(byte) &<< shift
            shift &+= 8
            if shift == 64 {
                state = WordKey.mix(state, chunk)
                chunk = 0
                shift = 0
                mixed = true
            }
        }

        /// The key of the bytes added.
        @inline(__always)
        var key: UInt64 {
            WordKey.fold(shift != 0 || !mixed ? WordKey.mix(state, chunk) : state)
        }
    }

    /// The key of a word of the text, from its bytes.
    public static func of(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBufferPointer { of($0) }
    }

    /// The key of a word of the text, from its bytes.
    @inline(__always)
    public static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        runBytes.withUnsafeBufferPointer { of(bytes, runBytes: $0) }
    }

    /// `of(_:)` with `runBytes` at hand (`withRunBytes`), for loops over many words.
    @inline(__always)
    static func of(_ bytes: UnsafeBufferPointer<UInt8>, runBytes table: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hasher = Hasher()
        for byte in bytes {
            // One lookup a byte: 0 ends the run, 0x80 sends the word to the Unicode path.
            let value = table[Int(byte)]
            if value &- 1 >= 0x7F {
                if value == 0 { break }
                return of(word: String(decoding: bytes, as: UTF8.self))
            }
            hasher.add(value)
        }
        return hasher.key
    }

    /// The key of a run already in lower case: its bytes must be letters and digits (ASCII, or
    /// the UTF-8 of `ofCharacters`' run).
    @inline(__always)
    static func of<Bytes: Sequence<UInt8>>(lowered bytes: Bytes) -> UInt64 {
        var hasher = Hasher()
        for byte in bytes { hasher.add(byte) }
        return hasher.key
    }

    /// `of(_:)` for a word of at most eight bytes, given as the eight bytes from its start
    /// (`loaded`, the first byte lowest; those past `count` are not the word's), with no branch
    /// on its bytes: the byte loop's exit, at another place in each word, was a mispredicted
    /// branch about once a word. Nil when a byte beyond ASCII ends the leading run of letters
    /// and digits (the word is keyed as a string).
    @inline(__always)
    static func of(eightBytes loaded: UInt64, count n: Int) -> UInt64? {
        let high: UInt64 = 0x8080_8080_8080_8080, low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, ones: UInt64 = 0x0101_0101_0101_0101
        // High bit of each ASCII letter and digit; the additions stay within each byte (at most
        // 0x7F plus 0x7F).
        let folded = (loaded | 0x2020_2020_2020_2020) & low, seven = loaded & low
        let letters = (folded &+ ones &* (0x80 - 0x61)) & ~(folded &+ ones &* (0x80 - 0x7B))
        let digits = (seven &+ ones &* (0x80 - 0x30)) & ~(seven &+ ones &* (0x80 - 0x3A))
        let inside: UInt64 = n >= 8 ? ~0 : (1 &<< UInt64(8 &* n)) &- 1
        // The run ends at the first byte that is no ASCII letter or digit, or past the word.
        let stops = (~((letters | digits) & ~loaded) | ~inside) & high
        let lowest = stops & (0 &- stops)
        if lowest & loaded & inside != 0 { return nil }  // a byte beyond ASCII ends it
        // The run's bytes (those below the first stop) in lower case: ASCII letters gain 0x20,
        // digits have it. With no stop (`lowest` 0) the subtraction wraps: all eight bytes.
        let run = (lowest &>> 7) &- 1
        return fold(mix(seed, (loaded | 0x2020_2020_2020_2020) & run))
    }

    /// Calls `body` with the table `of(_:runBytes:)` takes.
    @inline(__always)
    static func withRunBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try runBytes.withUnsafeBufferPointer(body)
    }

    /// What each byte adds to the key: an ASCII letter in lower case, a digit as itself; 0 for a
    /// byte that ends the run, 0x80 for a byte beyond ASCII (the word is keyed as a string).
    private static let runBytes: [UInt8] = (0...255).map { (byte: Int) -> UInt8 in
        let byte = UInt8(byte)
        if byte >= 0x80 { return 0x80 }
        let lower = byte | 0x20
        if lower >= 0x61 && lower <= 0x7A { return lower }
        return byte >= 0x30 && byte <= 0x39 ? byte : 0
    }

    /// The key of a word given as a string (a style's vocabulary), the same as for its bytes.
    public static func of(word: some StringProtocol) -> UInt64 {
        // An ASCII word (nearly every word of a vocabulary) takes the byte path, which gives the
        // same key: among ASCII characters exactly the letters and digits are letters or numbers,
        // and they lower case byte by byte. Thousands of them are keyed when a style is loaded.
        if let key = word.utf8.withContiguousStorageIfAvailable({ bytes -> UInt64? in
            var any: UInt8 = 0
            for byte in bytes { any |= byte }
            return any < 0x80 ? of(bytes) : nil
        }), let key { return key }
        return ofCharacters(word: word)
    }

    /// `of(word:)` on characters, for any word (the tests compare the two on ASCII words).
    static func ofCharacters(word: some StringProtocol) -> UInt64 {
        let run = String(word.prefix { $0.isLetter || $0.isNumber }).lowercased()
        return of(lowered: run.utf8)
    }

    /// A 64-bit hash made a key: its two halves xored, so that a token stores it in 32 bits.
    @inline(__always)
    public static func fold(_ hash: UInt64) -> UInt64 {
        (hash ^ (hash >> 32)) & 0xFFFF_FFFF
    }
}

/// What a rule sees: the text as earlier stages left it, and its prose words in order.
///
/// Words come from ICU word segmentation of the prose ranges only, so protected spans (code,
/// URLs, link targets, front matter) never contain a word a rule could edit.
public struct RuleText: Sendable {
    public let bytes: [UInt8]
    public let words: [WordToken]
    /// The prose ranges, sorted: rules that look at characters rather than words stay inside them.
    public let prose: [Range<Int>]

    public init(bytes: [UInt8], words: [WordToken], prose: [Range<Int>]) {
        self.bytes = bytes
        self.words = words
        self.prose = prose
    }

    /// The text of a byte range.
    public func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// Word `index`'s leading run of letters and digits in lower case (what its key hashes).
    public func keyText(_ index: Int) -> String {
        let word = lowercasedWord(index)
        return String(word.prefix { $0.isLetter || $0.isNumber })
    }

    /// The text of word `index`.
    public func word(_ index: Int) -> String { string(words[index].range) }

    /// Word `index` in lower case. ASCII words (nearly all) are lowered byte by byte, which is
    /// far cheaper than Unicode case mapping; others go through `String.lowercased()`.
    public func lowercasedWord(_ index: Int) -> String { Self.lowercased(bytes[words[index].range]) }

    /// `bytes` in lower case, with the same ASCII fast path.
    public static func lowercased(_ bytes: ArraySlice<UInt8>) -> String {
        var hasUpper = false
        for byte in bytes {
            if byte >= 0x80 { return String(decoding: bytes, as: UTF8.self).lowercased() }
            if byte >= 0x41 && byte <= 0x5A { hasUpper = true }
        }
        if !hasUpper { return String(decoding: bytes, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            var i = 0
            for byte in bytes {
                buffer[i] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                i += 1
            }
            return i
        }
    }

    /// True when word `index` holds a byte outside ASCII (`hasNonASCII` of its bytes). A word of
    /// up to eight bytes (most) is tested from one load, without a loop whose exit moves with
    /// the word's length.
    @inline(__always)
    func wordHasNonASCII(_ index: Int) -> Bool {
        let range = words[index].range
        guard range.count <= 8 && range.lowerBound + 8 <= bytes.count else { return Self.hasNonASCII(bytes[range]) }
        return bytes.withUnsafeBufferPointer { buffer in
            let loaded = UInt64(littleEndian: UnsafeRawPointer(buffer.baseAddress! + range.lowerBound).loadUnaligned(as: UInt64.self))
            let inside: UInt64 = range.count == 8 ? ~0 : (1 &<< UInt64(8 &* range.count)) &- 1
            return loaded & inside & 0x8080_8080_8080_8080 != 0
        }
    }

    /// True when `bytes` holds a byte outside ASCII.
    static func hasNonASCII(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var any: UInt8 = 0
            for byte in buffer { any |= byte }
            return any >= 0x80
        }
    }

    /// True when the text of `range` equals `string` as `String`s compare (canonical
    /// equivalence), without making a `String` when the bytes decide it.
    func text(_ range: Range<Int>, equals string: String) -> Bool {
        let slice = bytes[range]
        if slice.elementsEqual(string.utf8) { return true }
        if !Self.hasNonASCII(slice) && string.utf8.allSatisfy({ $0 < 0x80 }) { return false }
        return self.string(range) == string
    }

    /// True when the character starting at byte `offset` is a letter, digit or underscore.
    public func isWordCharacter(at offset: Int) -> Bool {
        guard offset < bytes.count else { return false }
        let byte = bytes[offset]
        if byte < 0x80 {
            return (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x5F
        }
        var iterator = bytes[offset...].makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// Whether a single comma, with spaces or tabs round it, is all that stands between word
    /// `index` and the next ("fuck , i").
    public func onlyACommaBetween(_ index: Int) -> Bool {
        guard index + 1 < words.count else { return false }
        let gap = bytes[words[index].range.upperBound..<words[index + 1].range.lowerBound]
        return gap.filter { $0 == UInt8(ascii: ",") }.count == 1
            && gap.allSatisfy { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    /// True when only spaces and tabs (and at most one line break) separate words `index` and `index + 1`.
    public func onlySpaceBetween(_ index: Int) -> Bool {
        guard index + 1 < words.count else { return false }
        var newlines = 0
        for byte in bytes[words[index].range.upperBound..<words[index + 1].range.lowerBound] {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): continue
            case UInt8(ascii: "\n"): newlines += 1
            case UInt8(ascii: "\r"): continue
            default: return false
            }
        }
        return newlines <= 1
    }

    /// Where `phrase` matches the text from the start of word `index` to a word boundary inside
    /// the same prose range, or nil. ASCII letters match regardless of case unless `caseSensitive`;
    /// a space in `phrase` matches a run of blanks holding at most one line break, so a phrase
    /// wrapped across lines still matches ("acme\ncloud") but one split by a blank line does not.
    /// - Returns: the offset just after the match.
    public func match(_ phrase: [UInt8], at index: Int, caseSensitive: Bool) -> Int? {
        var i = words[index].range.lowerBound
        for byte in phrase {
            if byte == UInt8(ascii: " ") {
                var newlines = 0, blanks = 0
                while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D {
                    if bytes[i] == 0x0A { newlines += 1 }
                    blanks += 1
                    i += 1
                }
                if blanks == 0 || newlines > 1 { return nil }
            } else if i < bytes.count, bytes[i] == byte || (!caseSensitive && Self.foldsEqual(bytes[i], byte)) {
                i += 1
            } else {
                return nil
            }
        }
        return i <= words[index].proseEnd ? i : nil
    }

    /// ASCII letters equal regardless of case.
    static func foldsEqual(_ a: UInt8, _ b: UInt8) -> Bool {
        let lower = a | 0x20
        return lower == b | 0x20 && lower >= 0x61 && lower <= 0x7A
    }

    /// The first non-space byte after `offset`, or nil at the end of the text.
    public func nextNonSpace(after offset: Int) -> UInt8? {
        var index = offset
        while index < bytes.count {
            let byte = bytes[index]
            if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") { return byte }
            index += 1
        }
        return nil
    }

    /// The last non-space byte before `offset`, or nil at the start of the text.
    public func previousNonSpace(before offset: Int) -> UInt8? {
        var index = offset - 1
        while index >= 0 {
            let byte = bytes[index]
            if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") { return byte }
            index -= 1
        }
        return nil
    }

    /// True when word `index` begins a sentence: nothing but opening punctuation, list or
    /// heading markers, or spaces stand between it and the previous sentence end or line start.
    /// A period after an abbreviation the sentence segmenter knows (`e.g.`, `Dr.`) ends a
    /// sentence only when a capital follows (`etc. Then`), and a colon never does: what follows
    /// one continues the sentence. A byte-order
    /// mark at offset 0 counts as the start of the text.
    public func startsSentence(_ index: Int) -> Bool {
        var offset = words[index].range.lowerBound - 1
        var marker = false  // a list item or heading marker stands between the word and its line start
        while offset >= 0 {
            switch bytes[offset] {
            case UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "+"):
                if offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: " ") || bytes[offset + 1] == UInt8(ascii: "\t") { marker = true }
                offset -= 1
            case UInt8(ascii: "#"):
                marker = true
                offset -= 1
            case UInt8(ascii: ")"):
                // `2)` is an ordered list item's marker when its digits start the line (checked
                // on the way back); `2.` ends no abbreviation, so the period case covers it.
                var digits = offset
                while digits > 0, offset - digits < 9, bytes[digits - 1] >= UInt8(ascii: "0"), bytes[digits - 1] <= UInt8(ascii: "9") { digits -= 1 }
                guard digits < offset, offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: " ") || bytes[offset + 1] == UInt8(ascii: "\t") else { return false }
                marker = true
                offset = digits - 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\""), UInt8(ascii: "("),
                UInt8(ascii: "_"), UInt8(ascii: ">"):
                offset -= 1
            case UInt8(ascii: "."):
                // "etc." and "p.m." may end a sentence: then the next one starts with a capital.
                return !endsAbbreviation(periodAt: offset) || startsWithCapital(index)
            case UInt8(ascii: "!"), UInt8(ascii: "?"):
                return true
            case UInt8(ascii: "\n"):
                // A line start begins a sentence after a blank line, a list or heading marker, or
                // the end of a sentence; otherwise the sentence goes on from the line before.
                if marker { return true }
                var previous = offset - 1
                while previous >= 0, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: ">"),
                                      UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "_")].contains(bytes[previous]) {
                    previous -= 1
                }
                guard previous >= 0 else { return true }
                switch bytes[previous] {
                case UInt8(ascii: "\n"), UInt8(ascii: "!"), UInt8(ascii: "?"): return true
                case UInt8(ascii: "."): return !endsAbbreviation(periodAt: previous) || startsWithCapital(index)
                case 0x9D, 0x99:  // a closing curly quote after the sentence's end
                    return previous >= 3 && [UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?")].contains(bytes[previous - 3])
                default: return false
                }
            case 0x80...0xFF:
                // A byte-order mark (EF BB BF) at the very start is no text: what follows starts it.
                if offset == 2, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return true }
                // Curly opening quotes (U+2018, U+201C) are three bytes ending in 0x98 / 0x9C.
                if offset >= 2, bytes[offset - 2] == 0xE2, bytes[offset - 1] == 0x80,
                    bytes[offset] == 0x98 || bytes[offset] == 0x9C {
                    offset -= 3
                } else {
                    return false
                }
            default:
                return false
            }
        }
        return true
    }
}

extension RuleText {
    /// Abbreviations after which a period ends no sentence: the sentence segmenter's own list,
    /// as written and with a capital first letter.
    static let abbreviations: Set<[UInt8]> = Set(SentenceSegmenter.defaultAbbreviations.flatMap { abbreviation in
        [abbreviation, abbreviation.prefix(1).uppercased() + abbreviation.dropFirst()].map { Array($0.utf8) }
    })

    /// True when word `index` begins with a capital letter.
    func startsWithCapital(_ index: Int) -> Bool {
        let start = words[index].range.lowerBound
        let byte = bytes[start]
        if byte < 0x80 { return byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
        return string(words[index].range).first?.isUppercase ?? false
    }

    /// True when the period at `offset` ends one of `abbreviations` standing as a word.
    func endsAbbreviation(periodAt offset: Int) -> Bool {
        var start = offset
        while start > 0 {
            let byte = bytes[start - 1]
            guard byte == UInt8(ascii: ".") || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) else { break }
            start -= 1
        }
        return start < offset && Self.abbreviations.contains(Array(bytes[start...offset]))
    }
}

/// How a word is capitalised, so a replacement can follow it.
public enum Casing: Sendable {
    case lower, capitalised, upper, mixed

    public init(of word: String) {
        // ASCII fast path: decide from the bytes.
        if let available = word.utf8.withContiguousStorageIfAvailable(Casing.ascii), let casing = available {
            self = casing
            return
        }
        let letters = word.unicodeScalars.filter { $0.properties.isAlphabetic }
        guard let first = letters.first else { self = .mixed; return }
        let rest = letters.dropFirst()
        if letters.allSatisfy({ $0.properties.isLowercase }) { self = .lower }
        else if letters.count > 1 && letters.allSatisfy({ $0.properties.isUppercase }) { self = .upper }
        else if first.properties.isUppercase && rest.allSatisfy({ !$0.properties.isUppercase }) { self = .capitalised }
        else { self = .mixed }
    }

    /// The casing of the word in `bytes` (UTF-8), the same as `Casing(of: String(decoding: bytes, as: UTF8.self))`.
    init(of bytes: ArraySlice<UInt8>) {
        if let casing = bytes.withUnsafeBufferPointer(Casing.ascii) {
            self = casing
        } else {
            self.init(of: String(decoding: bytes, as: UTF8.self))
        }
    }

    /// The casing of an ASCII word, or nil when the word is not ASCII.
    private static func ascii(_ bytes: UnsafeBufferPointer<UInt8>) -> Casing? {
        // No branch on the bytes inside the loop (selects and sums): whether a letter is upper
        // case, and which letter comes first, differ from word to word.
        var any: UInt8 = 0, letters = 0, uppers = 0
        var firstIsUpper = false, seen = false
        for byte in bytes {
            any |= byte
            let upper = byte &- 0x41 < 26
            let letter = upper || byte &- 0x61 < 26
            firstIsUpper = seen ? firstIsUpper : upper  // set by each byte until the first letter
            seen = seen || letter
            letters &+= letter ? 1 : 0
            uppers &+= upper ? 1 : 0
        }
        if any >= 0x80 { return nil }
        guard seen else { return .mixed }
        if uppers == 0 { return .lower }
        if letters > 1 && uppers == letters { return .upper }
        if firstIsUpper && uppers == 1 { return .capitalised }
        return .mixed
    }

    /// `word` cased like this.
    public func apply(to word: String) -> String {
        switch self {
        case .lower, .mixed: return word
        case .upper: return word.uppercased()
        case .capitalised: return word.prefix(1).uppercased() + word.dropFirst()
        }
    }
}
