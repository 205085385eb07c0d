import HouseStyleText
import HouseStyleYAML

/// Words the style avoids. A listed replacement is applied; an empty intensifier or filler
/// adverb ("simply", "obviously", "very") is removed where the sentence stays well formed;
/// anything else is reported as a finding for a writer to decide.
///
/// An entry of several words ("please be advised", "going forward") matches as a phrase of whole
/// words, regardless of letter case and across a line break; it is replaced when it has an
/// `instead` and reported otherwise (removing a phrase is never assumed safe).
///
/// A `case_sensitive` entry matches only as written (a lower-case one also capitalised at the
/// start of a sentence); a `report_only` entry is always reported, never replaced or removed.
public struct AvoidStage: Sendable {
    public struct Entry: Sendable, Hashable {
        public var word: String
        public var instead: String?
        /// Shown after the reason of each edit and the message of each finding.
        public var note: String?
        public var caseSensitive: Bool
        public var reportOnly: Bool
        /// The level `check` reports the entry's edits and findings at; nil: the stage's own.
        public var level: FindingLevel?
        /// The name its edits and findings are reported under; nil: `avoid`.
        public var rule: String?
        public init(word: String, instead: String? = nil, note: String? = nil, caseSensitive: Bool = false, reportOnly: Bool = false,
                    level: FindingLevel? = nil, rule: String? = nil) {
            self.word = word
            self.instead = instead
            self.note = note
            self.caseSensitive = caseSensitive
            self.reportOnly = reportOnly
            self.level = level
            self.rule = rule
        }
    }

    /// Adverbs whose removal keeps a sentence grammatical, with the confidence of doing so.
    /// "just" and "quite" also have other senses ("a just cause", "not quite"), so less sure.
    static let removable: [String: Double] = [
        "simply": 0.9, "obviously": 0.9, "basically": 0.9, "actually": 0.85, "very": 0.85, "really": 0.85,
        "clearly": 0.85, "extremely": 0.85, "totally": 0.85, "literally": 0.85, "truly": 0.85,
        "essentially": 0.85, "definitely": 0.85, "certainly": 0.8, "just": 0.75, "quite": 0.7,
        "easily": 0.75, "honestly": 0.85, "frankly": 0.85,
    ]

    /// Words that have no regular inflections: pronouns, determiners, forms of "be" and "have",
    /// modal verbs, and the short prepositions and conjunctions. Taking "-s", "-d", "-ed" or "-ing"
    /// off a word of the text to find one of them finds another word altogether: "used" is not "us"
    /// with "-ed", nor "bed" "be" with "-d", "wed" "we", "willing" "will". Such an entry matches
    /// only itself, as Vale's token does (Microsoft.We lists "us"; Google.Will lists "will").
    static let uninflected: Set<String> = [
        "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "you", "your", "yours",
        "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its",
        "itself", "they", "them", "their", "theirs", "themselves", "who", "whom", "whose", "which", "what",
        "this", "that", "these", "those", "a", "an", "the", "no", "any", "some", "each", "every", "all", "both",
        "either", "neither", "be", "am", "is", "are", "was", "were", "been", "being", "have", "has", "had",
        "do", "does", "did", "will", "would", "shall", "should", "can", "could", "may", "might", "must",
        "at", "by", "in", "of", "on", "to", "up", "as", "for", "from", "with", "and", "or", "nor", "but",
        "if", "so", "than",
    ]

    /// Whether a single-word entry (in lower case) matches its regular inflections too: all but
    /// the removable adverbs and the words that do not inflect (`uninflected`).
    static func inflects(_ lower: String) -> Bool { removable[lower] == nil && !uninflected.contains(lower) }

    /// Removable words that are also adjectives ("a just cause", "the very thing"). After a
    /// determiner such a word may be either ("a very good idea" is the adverb, "the very thing"
    /// the adjective), and nothing here can tell which, so it is reported rather than removed.
    /// It is reported, not left alone: in the adverb sense ("a very good idea") it is the very
    /// filler the style asks to cut, and a writer decides the other sense at a glance. The "-ly"
    /// adverbs have no adjective sense: after a determiner they modify the next word ("a really
    /// good idea" -> "a good idea") and are removed as usual.
    static let adjectiveSense: Set<String> = ["just", "very"]

    /// Determiners: a word with an adjective sense after one of them may be that adjective.
    static let determiners: Set<String> = [
        "a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "its", "our",
        "their", "no", "every", "each", "some", "any",
    ]

    /// Coordinating conjunctions: a word right before one is an item of the coordination
    /// ("simply and clearly"), and removing it leaves the conjunction with nothing to join.
    static let conjunctions: Set<String> = ["and", "or", "but", "nor"]

    /// Negations: the word before one modifies it ("Obviously not.", "simply never"), and the
    /// negation alone may not stand for the two.
    static let negations: Set<String> = ["not", "never", "no", "none", "nothing", "nobody", "neither", "nowhere"]

    /// An entry and what its edits say (made when an edit is, not for each of a long list).
    private struct Rule: Sendable {
        var entry: Entry
        /// The confidence of removing the word, when it is a removable adverb not only reported.
        var removal: Double?

        init(_ entry: Entry) {
            self.entry = entry
            removal = entry.reportOnly ? nil : AvoidStage.removable[entry.word.lowercased()]
        }

        /// The name its edits and findings carry, and the stage to name when that is not `avoid`.
        var name: String { entry.rule ?? "avoid" }
        var stage: String? { entry.rule == nil ? nil : "avoid" }

        /// What replaces the word: the entry's `instead`, unless it is only reported.
        var replacement: String? { entry.reportOnly ? nil : entry.instead }
        /// "; note", or "".
        var noteSuffix: String { entry.note.map { "; \($0)" } ?? "" }
        /// "avoid 'X': use 'Y'", when the entry has a replacement.
        var replaceReason: String? { replacement.map { "avoid '\(entry.word)': use '\($0)'" + noteSuffix } }
        var removeReason: String { "avoid '\(entry.word)': it adds nothing" + noteSuffix }

        /// What `check` reports for `shown`, the words as the text has them.
        func message(_ shown: String) -> String {
            "avoid '\(shown)'" + (entry.instead.map { "; consider '\($0)'" } ?? "") + noteSuffix
        }
    }

    /// A single-word entry in lower case: its bytes are `wordBytes[start..<start + count]`.
    private struct Word: Sendable {
        /// Its entry's index in `rules`; where several entries match a word, an entry that is the
        /// word itself wins over one it is an inflection of, then the first listed.
        var rule: Int32
        var start: Int32
        var count: Int32
        /// For a case-sensitive entry, where the entry's word as written is in `wordBytes`
        /// (`writtenCount` bytes); -1 for the others. The text must have it so (an inflection with
        /// its ending in lower case: "NOTE" -> "NOTEs"), or capitalised at a sentence start when
        /// it starts with a lower-case letter.
        var written: Int32
        var writtenCount: Int32
        var isASCII: Bool
        /// Its regular inflections match too (see `AvoidStage.inflects`).
        var inflects: Bool
    }

    private struct Phrase: Sendable {
        var bytes: [UInt8]
        var rule: Rule
    }

    /// Every entry, in the order listed.
    private let rules: [Rule]
    /// Single-word entries by `WordKey`. Their inflections ("leverages", "leveraging" for
    /// "leverage") are not listed: a word of the text is taken apart instead (`match(at:in:)`),
    /// so a list of 200,000 words takes one slot each, not eight.
    private let words: WordKeyTable<Word>
    private let wordBytes: [UInt8]
    private let anyWordInflects: Bool
    /// The lengths and last bytes of the ASCII entries that inflect: a word of the text is an
    /// inflection of none of them unless one of its possible stems has a length and last byte here.
    private let stems: StemFilter
    /// Entries of several words, or with hyphens ("cutting-edge"), by the key of their first
    /// word, longest first; matched on the bytes.
    private let phrases: WordKeyTable<Phrase>
    /// The keys of `words` and `phrases` in one filter, so that passing over a word no entry
    /// starts with takes one probe, not two (`firstPossible`).
    private let anyKey: WordKeyFilter

    public init(entries: [Entry]) {
        var rules: [Rule] = []
        var words: [(key: UInt64, entry: Word)] = []
        var wordBytes: [UInt8] = []
        var phrases: [UInt64: [Phrase]] = [:]
        rules.reserveCapacity(entries.count)
        for entry in entries {
            let split = entry.word.split(whereSeparator: \.isWhitespace)
            guard !split.isEmpty else { continue }
            let lower = entry.word.lowercased()
            let rule = Rule(entry)
            let index = Int32(rules.count)
            rules.append(rule)
            let utf8 = Array(lower.utf8)
            let isASCII = utf8.allSatisfy { $0 < 0x80 }
            let isWord = isASCII
                ? utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
                : split.count == 1 && lower.allSatisfy { $0.isLetter || $0.isNumber }
            if isWord {
                let key = isASCII ? utf8.withUnsafeBufferPointer { WordKey.of($0) } : WordKey.of(word: lower)
                let start = Int32(wordBytes.count)
                wordBytes += utf8
                var written: Int32 = -1
                var writtenCount: Int32 = 0
                if entry.caseSensitive {
                    written = Int32(wordBytes.count)
                    writtenCount = Int32(entry.word.utf8.count)
                    wordBytes += entry.word.utf8
                }
                words.append((key, Word(rule: index, start: start, count: Int32(utf8.count), written: written, writtenCount: writtenCount,
                                        isASCII: isASCII, inflects: Self.inflects(lower))))
            } else {
                phrases[WordKey.of(word: split[0]), default: []].append(Phrase(bytes: Array(split.joined(separator: " ").utf8), rule: rule))
            }
        }
        for key in phrases.keys { phrases[key]!.sort { $0.bytes.count > $1.bytes.count } }
        self.rules = rules
        self.anyWordInflects = words.contains { $0.entry.inflects }
        var stems = StemFilter()
        for (_, word) in words where word.inflects && word.isASCII {
            stems.insert(length: Int(word.count), last: wordBytes[Int(word.start + word.count) - 1])
        }
        self.stems = stems
        self.words = WordKeyTable(pairs: words)
        self.wordBytes = wordBytes
        self.phrases = WordKeyTable(phrases)
        self.anyKey = WordKeyFilter(keys: words.map(\.key) + phrases.keys)
    }

    /// How many word forms the stage keeps in its table (the tests' measure of its size).
    var storedForms: Int { words.entries.count }

    /// Regular inflections of a lower-case word.
    static func inflections(of word: String) -> [String] {
        var forms = [word + "s", word + "es", word + "d", word + "ed", word + "ing"]
        if word.hasSuffix("e") { forms.append(String(word.dropLast()) + "ing") }
        if word.hasSuffix("y") { forms += [String(word.dropLast()) + "ies", String(word.dropLast()) + "ied"] }
        return forms
    }

    /// `inflections(of:)` backwards: a form ending in `suffix` is the word that ends in `restore`
    /// instead ("using" is "use" with "ing" for "e", "copies" "copy" with "ies" for "y").
    private static let suffixes: [(suffix: [UInt8], restore: [UInt8])] = [
        (Array("s".utf8), []), (Array("es".utf8), []), (Array("d".utf8), []), (Array("ed".utf8), []),
        (Array("ing".utf8), []), (Array("ing".utf8), Array("e".utf8)), (Array("ies".utf8), Array("y".utf8)), (Array("ied".utf8), Array("y".utf8)),
    ]

    /// The longest multi-word entry starting at word `index` (an index of `phrases.entries`),
    /// with the offset where it ends.
    private func phrase(at index: Int, in text: RuleText) -> (phrase: Int, end: Int)? {
        for c in phrases.range(of: text.words[index].key) {
            let phrase = phrases.entries[c]
            let caseSensitive = phrase.rule.entry.caseSensitive
            var end = text.match(phrase.bytes, at: index, caseSensitive: caseSensitive)
            // A case-sensitive phrase in lower case is also itself capitalised at a sentence start.
            if end == nil, caseSensitive, let first = phrase.bytes.first, first >= 0x61, first <= 0x7A, text.startsSentence(index) {
                end = text.match([first - 0x20] + phrase.bytes.dropFirst(), at: index, caseSensitive: true)
            }
            if let end, !text.isWordCharacter(at: end) { return (c, end) }
        }
        return nil
    }

    /// Whether `word`, as the text has it at word `index`, is written as case-sensitive entry `w`
    /// is, less its last `dropped` bytes and with `suffix` (an inflection): exactly, or capitalised
    /// at a sentence start when the entry starts with a lower-case letter ("firstly" -> "Firstly").
    /// True for an entry that is not case-sensitive.
    private func isWritten(_ w: Word, _ word: UnsafeBufferPointer<UInt8>, dropping dropped: Int = 0, suffix: [UInt8] = [],
                           at index: Int, in text: RuleText) -> Bool {
        guard w.written >= 0 else { return true }
        let stem = wordBytes[Int(w.written)..<Int(w.written + w.writtenCount) - dropped]
        guard word.count == stem.count + suffix.count else { return false }
        // The form as written; made only for a case-sensitive entry the word already matched regardless of case.
        let written = Array(stem) + suffix
        if word.elementsEqual(written) { return true }
        guard let first = written.first, first >= 0x61, first <= 0x7A, text.startsSentence(index) else { return false }
        return word.first == first - 0x20 && word.dropFirst().elementsEqual(written.dropFirst())
    }

    /// Whether `word` in lower case is the entry word `w`: byte by byte where both are ASCII,
    /// else as `String`s compare, exactly as `LowercaseForm.matches` does.
    private func equals(_ w: Word, _ word: UnsafeBufferPointer<UInt8>, isASCII: Bool, isLowered: Bool) -> Bool {
        if w.isASCII && isASCII {
            guard Int(w.count) == word.count else { return false }
            var i = Int(w.start)
            for byte in word {
                if (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != wordBytes[i] { return false }
                i += 1
            }
            return true
        }
        let lowered = isLowered ? String(decoding: word, as: UTF8.self) : RuleText.lowercased(ArraySlice(word))
        return lowered == String(decoding: wordBytes[Int(w.start)..<Int(w.start + w.count)], as: UTF8.self)
    }

    /// The entry that word `index` is, or else is a regular inflection of (`exact` false), the
    /// first listed where several are: "bitches" listed as itself (and reported under that
    /// entry's `rule`) is not taken for an inflection of an earlier "bitch".
    private func match(at index: Int, in text: RuleText) -> (rule: Rule, exact: Bool)? {
        matchedEntry(at: index, in: text).map { (rules[$0.entry], $0.exact) }
    }

    /// `match(at:in:)` as the index of the entry among those with a word (the tests' view).
    func matchedEntry(at index: Int, in text: RuleText) -> (entry: Int, exact: Bool)? {
        let token = text.words[index]
        guard mayMatch(token, in: text) else { return nil }
        let slice = text.bytes[token.range]
        var best: (rule: Int32, exact: Bool)?
        slice.withUnsafeBufferPointer { word in
            let ascii = !RuleText.hasNonASCII(slice)
            for c in words.range(of: token.key)
            where equals(words.entries[c], word, isASCII: ascii, isLowered: false) && isWritten(words.entries[c], word, at: index, in: text) {
                best = (words.entries[c].rule, true)
                break
            }
            // An inflection ends in s, d or g, whatever the case; no other character lowers to one.
            guard best == nil, anyWordInflects, let last = word.last else { return }
            let end = last | 0x20
            guard end == 0x73 || end == 0x64 || end == 0x67 else { return }
            if ascii {
                self.inflection(ascii: word, at: index, in: text, best: &best)
                return
            }
            // Anything else is lowered once, and each possible entry word built and compared as a string.
            let lowered = Array(RuleText.lowercased(slice).utf8)
            func inflectionOfLowered(_ bytes: UnsafeBufferPointer<UInt8>) {
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + 1) { buffer in
                    for (suffix, restore) in Self.suffixes where bytes.count >= suffix.count {
                        let stem = bytes.count - suffix.count
                        guard (0..<suffix.count).allSatisfy({ bytes[stem + $0] == suffix[$0] }) else { continue }
                        var isASCII = true
                        for i in 0..<stem {
                            buffer[i] = bytes[i]
                            if buffer[i] >= 0x80 { isASCII = false }
                        }
                        for (i, byte) in restore.enumerated() { buffer[stem + i] = byte }
                        let base = UnsafeBufferPointer(rebasing: buffer[0..<(stem + restore.count)])
                        let key = isASCII ? WordKey.of(base) : WordKey.of(word: String(decoding: base, as: UTF8.self))
                        for c in words.range(of: key)
                        where words.entries[c].inflects && equals(words.entries[c], base, isASCII: isASCII, isLowered: true)
                            && isWritten(words.entries[c], word, dropping: restore.count, suffix: suffix, at: index, in: text) {
                            if best.map({ words.entries[c].rule < $0.rule }) ?? true { best = (words.entries[c].rule, false) }
                            break
                        }
                    }
                }
            }
            lowered.withUnsafeBufferPointer(inflectionOfLowered)
        }
        return best.map { (Int($0.rule), $0.exact) }
    }

    /// False when `token` can be no entry: most words have no entry's key and end in no
    /// inflection's last letter (see `matchedEntry`), settled from the key and the last byte alone;
    /// of the other ASCII words, those whose possible stems (see `inflection(ascii:...)`) have no
    /// inflecting entry's length and last byte (`stems`).
    @inline(__always)
    private func mayMatch(_ token: WordToken, in text: RuleText) -> Bool {
        if words.contains(token.key) { return true }
        guard anyWordInflects else { return false }
        return text.bytes.withUnsafeBufferPointer { mayInflect(token, in: $0) }
    }

    /// `mayMatch` less the table probe: false when `token` can be an inflection of no entry.
    @inline(__always)
    private func mayInflect(_ token: WordToken, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = token.start, n = token.end - token.start
        guard n >= 2 else { return false }  // an inflection has a stem and an ending
        let end = bytes[start + n - 1] | 0x20
        guard end == 0x73 || end == 0x64 || end == 0x67 else { return false }
        // A word beyond ASCII may change length in lower case: left to `matchedEntry`.
        guard !Self.anyNonASCII(bytes, from: start, count: n) else { return true }
        @inline(__always) func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        // Stems: n - 1 (s, d), n - 2 (es, ed; ies, ied for y; ing for e), n - 3 (ing).
        if stems.contains(length: n - 1, last: lower(bytes[start + n - 2])) { return true }
        if n >= 3 && (stems.contains(length: n - 2, last: lower(bytes[start + n - 3])) || stems.contains(length: n - 2, last: UInt8(ascii: "y"))
            || stems.contains(length: n - 2, last: UInt8(ascii: "e"))) { return true }
        return n >= 4 && stems.contains(length: n - 3, last: lower(bytes[start + n - 4]))
    }

    /// Whether `bytes[start..<start + n]` holds a byte beyond ASCII: eight bytes a step, and a
    /// word's last bytes (most words are shorter than eight) as one masked eight-byte load where
    /// the buffer goes on that far.
    @inline(__always)
    static func anyNonASCII(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, count n: Int) -> Bool {
        let base = UnsafeRawPointer(bytes.baseAddress!)
        var any: UInt64 = 0
        var k = start
        let end = start + n
        while k + 8 <= end {
            any |= base.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            k += 8
        }
        if k < end {
            if k + 8 <= bytes.count {
                // The first `end - k` bytes of the load (1...7) are the word's: keep those.
                let loaded = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: k, as: UInt64.self))
                any |= loaded & ((1 << UInt64(8 * (end - k))) &- 1)
            } else {
                while k < end {
                    any |= UInt64(bytes[k])
                    k += 1
                }
            }
        }
        return any & 0x8080_8080_8080_8080 != 0
    }

    /// The index of the first word from `start` on that may start a phrase or match an entry
    /// (`phrases.contains` or `mayMatch` may be true), or `words.count`. `apply` passes over the
    /// words before it as it would one by one: for each of them both tests are false.
    ///
    /// The words are settled 64 at a time (`Candidates`): which of them may hold a key of the
    /// filter or, when an entry inflects, end in s, d or g (`mayInflect`'s first test), as bits,
    /// with no branch on any word; the full tests run only for the words whose bit is set. The
    /// ending test alone, true for about a third of the words in no order, was a mispredicted
    /// branch about once a word.
    func firstPossible(in words: UnsafeBufferPointer<WordToken>, bytes: UnsafeBufferPointer<UInt8>, from start: Int,
                       candidates: inout Candidates) -> Int {
        var i = start
        while i < words.count {
            if i < candidates.base || i >= candidates.base + candidates.count {
                candidates = Candidates(words, bytes: bytes, at: i, filter: anyKey, inflects: anyWordInflects)
            }
            var bits = candidates.bits & (~0 &<< UInt64(i - candidates.base))
            while bits != 0 {
                let k = candidates.base + bits.trailingZeroBitCount
                let token = words[k]
                if anyKey.mayContain(token.key) { return k }
                if anyWordInflects && mayInflect(token, in: bytes) { return k }
                bits &= bits &- 1
            }
            i = candidates.base + candidates.count
        }
        return words.count
    }

    /// `firstPossible` one word at a time, as it was: the reference the tests compare it with.
    func firstPossibleOneByOne(in words: UnsafeBufferPointer<WordToken>, bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        while i < words.count {
            let token = words[i]
            if anyKey.mayContain(token.key) { return i }
            if anyWordInflects && mayInflect(token, in: bytes) { return i }
            i += 1
        }
        return i
    }

    /// Up to 64 consecutive words from `base` on, one bit each (`firstPossible`): a clear bit is a
    /// word whose key the filter certainly lacks and, if an entry inflects, that ends in neither
    /// s, d nor g; a set bit may be any word.
    struct Candidates {
        var base = 0, count = 0
        var bits: UInt64 = 0

        init() {}

        init(_ words: UnsafeBufferPointer<WordToken>, bytes: UnsafeBufferPointer<UInt8>, at base: Int, filter: WordKeyFilter, inflects: Bool) {
            self.base = base
            count = min(64, words.count - base)
            let inflecting: UInt64 = inflects ? 1 : 0
            var bits: UInt64 = 0
            AvoidStage.inflectedEndings.withUnsafeBufferPointer { endings in
                for k in 0..<count {
                    let token = words[base + k]
                    let ending = UInt64(endings[Int(bytes[max(token.end - 1, 0)])])
                    let hit = (filter.mayContain(token.key) ? 1 : 0) | (inflecting & ending)
                    bits |= hit &<< UInt64(k)
                }
            }
            self.bits = bits
        }
    }

    /// 1 for the bytes an inflection may end in, s, d or g of either case; 0 for the others.
    static let inflectedEndings: [UInt8] = (0...255).map { (byte: Int) -> UInt8 in
        let lower = UInt8(byte) | 0x20
        return lower == 0x73 || lower == 0x64 || lower == 0x67 ? 1 : 0
    }

    /// A set of (length, last byte) of ASCII words, one bit each; lengths from 63 on share a bit.
    struct StemFilter: Sendable {
        private var bits = [UInt64](repeating: 0, count: 64 * 128 / 64)

        @inline(__always)
        private static func index(_ length: Int, _ last: UInt8) -> Int { min(length, 63) * 128 + Int(last & 0x7F) }

        mutating func insert(length: Int, last: UInt8) {
            let i = Self.index(length, last)
            bits[i >> 6] |= 1 << UInt64(i & 63)
        }

        @inline(__always)
        func contains(length: Int, last: UInt8) -> Bool {
            guard length >= 1 else { return false }
            let i = Self.index(length, last)
            return bits[i >> 6] & (1 << UInt64(i & 63)) != 0
        }
    }

    /// `matchedEntry`'s inflections of an ASCII word: the word is tested for letters and digits
    /// once, and each suffix that ends it costs a key of the stem (`WordKey.Hasher` on the
    /// word's first bytes, lowered on the way) and one table probe, with no copy. The suffixes
    /// are those of `suffixes`, tested on the word's last bytes directly: this runs for about a
    /// third of all words.
    private func inflection(ascii word: UnsafeBufferPointer<UInt8>, at index: Int, in text: RuleText, best: inout (rule: Int32, exact: Bool)?) {
        @inline(__always) func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        let n = word.count
        guard n >= 2 else { return }
        for i in 0..<n {
            let byte = lower(word[i])
            // Entries are letters and digits: a word with anything else inflects none of them.
            guard (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) else { return }
        }
        let last = lower(word[n - 1]), second = lower(word[n - 2]), third = n >= 3 ? lower(word[n - 3]) : 0
        func probe(stem: Int, restore: UInt8?) {
            // Letters and digits only (tested above): `| 0x20` lowers a letter and keeps a digit.
            var hasher = WordKey.Hasher()
            for i in 0..<stem { hasher.add(word[i] | 0x20) }
            if let restore { hasher.add(restore) }
            let key = hasher.key
            for c in words.range(of: key) {
                let w = words.entries[c]
                guard w.inflects, w.isASCII, Int(w.count) == stem + (restore == nil ? 0 : 1) else { continue }
                let start = Int(w.start)
                guard (0..<stem).allSatisfy({ wordBytes[start + $0] == lower(word[$0]) }),
                      restore.map({ wordBytes[start + stem] == $0 }) ?? true,
                      isWritten(w, word, dropping: restore == nil ? 0 : 1, suffix: word[stem...].map(lower), at: index, in: text)
                else { continue }
                if best.map({ w.rule < $0.rule }) ?? true { best = (w.rule, false) }
                break
            }
        }
        // Where several inflections fit, the entry listed first wins, whatever the order of probes.
        switch last {
        case UInt8(ascii: "s"):
            probe(stem: n - 1, restore: nil)  // s
            if second == UInt8(ascii: "e") { probe(stem: n - 2, restore: nil) }  // es
            if n >= 3 && third == UInt8(ascii: "i") && second == UInt8(ascii: "e") {
                probe(stem: n - 3, restore: UInt8(ascii: "y"))  // ies for y
            }
        case UInt8(ascii: "d"):
            probe(stem: n - 1, restore: nil)  // d
            if second == UInt8(ascii: "e") { probe(stem: n - 2, restore: nil) }  // ed
            if n >= 3 && third == UInt8(ascii: "i") && second == UInt8(ascii: "e") {
                probe(stem: n - 3, restore: UInt8(ascii: "y"))  // ied for y
            }
        case UInt8(ascii: "g"):
            if n >= 3 && third == UInt8(ascii: "i") && second == UInt8(ascii: "n") {
                probe(stem: n - 3, restore: nil)  // ing
                probe(stem: n - 3, restore: UInt8(ascii: "e"))  // ing for e
            }
        default:
            return
        }
    }

    public func apply(to text: RuleText) -> (edits: [Edit], findings: [Finding]) {
        var edits: [Edit] = []
        var findings: [Finding] = []
        var index = 0
        var candidates = Candidates()
        while true {
            // Words that start no phrase and may match no entry (most) are passed over in one loop.
            index = text.words.withUnsafeBufferPointer { words in
                text.bytes.withUnsafeBufferPointer { firstPossible(in: words, bytes: $0, from: index, candidates: &candidates) }
            }
            guard index < text.words.count else { break }
            let token = text.words[index]
            // The table probes first, inline: most words start no phrase and are no entry.
            if phrases.contains(token.key), let (p, end) = phrase(at: index, in: text) {
                let rule = phrases.entries[p].rule
                let range = token.range.lowerBound..<end
                if let instead = rule.replacement, let reason = rule.replaceReason {
                    edits.append(Edit(range: range, replacement: Casing(of: text.bytes[range]).apply(to: instead), rule: rule.name,
                        reason: reason, level: rule.entry.level, stage: rule.stage))
                } else {
                    let shown = text.string(range).split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    findings.append(Finding(range: range, level: rule.entry.level ?? .warning, message: rule.message(shown), rule: rule.name))
                }
                while index < text.words.count && text.words[index].range.lowerBound < end { index += 1 }
                continue
            }
            guard mayMatch(token, in: text), let (rule, exact) = match(at: index, in: text) else { index += 1; continue }
            if let instead = rule.replacement, let reason = rule.replaceReason, exact {
                edits.append(Edit(range: token.range, replacement: Casing(of: text.bytes[token.range]).apply(to: instead),
                    rule: rule.name, reason: reason, level: rule.entry.level, stage: rule.stage))
            } else if exact, let confidence = rule.removal,
                let removal = removal(of: index, in: text),
                // A removal that reaches into the previous edit ("..., simply, ...") is left to the writer.
                (edits.last?.range.upperBound ?? 0) <= removal.range.lowerBound {
                edits.append(Edit(range: removal.range, replacement: removal.replacement, rule: rule.name,
                    reason: rule.removeReason, confidence: confidence, level: rule.entry.level, stage: rule.stage))
                index += removal.consumedNext
            } else {
                findings.append(Finding(range: token.range, level: rule.entry.level ?? .warning,
                    message: rule.message(text.string(token.range)), rule: rule.name))
            }
            index += 1
        }
        return (edits, findings)
    }

    /// How to delete word `index` so the sentence stays well formed, or nil when it cannot be
    /// deleted safely (last word of a clause, "Really?").
    private func removal(of index: Int, in text: RuleText) -> (range: Range<Int>, replacement: String, consumedNext: Int)? {
        let token = text.words[index]
        guard index + 1 < text.words.count, token.proseEnd >= text.words[index + 1].range.upperBound,
            keepsMeaning(removing: index, in: text) else { return nil }
        let next = text.words[index + 1]
        let gapRange = token.range.upperBound..<next.range.lowerBound
        let gapBytes = text.bytes[gapRange]
        let sentenceStart = text.startsSentence(index)
        // A gap of spaces only: its bytes decide it (a space is one byte, and a space with a
        // combining mark is not a space).
        if !gapBytes.isEmpty && gapBytes.allSatisfy({ $0 == 0x20 }) {
            // "Simply click Save" -> "Click Save"; "is very fast" -> "is fast".
            if sentenceStart {
                // "Simply simply click" -> "Click": removable words in a row go at once, so that a
                // second pass has nothing left to do.
                var k = index + 1
                while k + 1 < text.words.count, text.words[k].proseEnd >= text.words[k + 1].range.upperBound,
                    let (rule, exact) = match(at: k, in: text), exact, rule.removal != nil, rule.entry.instead == nil,
                    text.bytes[text.words[k].range.upperBound..<text.words[k + 1].range.lowerBound].allSatisfy({ $0 == 0x20 }),
                    keepsMeaning(removing: k, in: text)
                { k += 1 }
                let kept = text.words[k]
                // The word that now starts the sentence gets its own replacement too ("Really ok" -> "Fine").
                var keptWord = text.string(kept.range)
                if let (rule, exact) = match(at: k, in: text), exact, let instead = rule.replacement {
                    keptWord = instead
                }
                return (token.range.lowerBound..<kept.range.upperBound, Casing.capitalised.apply(to: keptWord), k - index)
            }
            return (token.range.lowerBound..<next.range.lowerBound, "", 0)
        }
        if sentenceStart && text.text(gapRange, equals: ", ") {
            // "Obviously, it works" -> "It works".
            let nextWord = text.string(next.range)
            return (token.range.lowerBound..<next.range.upperBound, Casing.capitalised.apply(to: nextWord), 1)
        }
        if Self.gapStartsWithComma(gapBytes, in: text, gapRange), token.range.lowerBound >= 2,
            text.bytes[token.range.lowerBound - 2] == UInt8(ascii: ","), text.bytes[token.range.lowerBound - 1] == UInt8(ascii: " ") {
            // A parenthetical: "It is, clearly, fast" -> "It is fast".
            return ((token.range.lowerBound - 2)..<(token.range.upperBound + 1), "", 0)
        }
        return nil
    }

    /// False when the words around word `index` show that removing it changes the meaning or
    /// the grammar: after a negation ("not just cats" is not "not cats"), before a conjunction
    /// ("simply and clearly"), before a negation ("Obviously not."), or after a determiner for a
    /// word with an adjective sense ("a just cause"). Punctuation right after the word (", ;
    /// : . ! ? ) ]" and dashes) already stops a removal in `removal(of:in:)`, except for the
    /// parenthetical ", clearly," and the sentence-initial "Obviously, ", which stay removable.
    private func keepsMeaning(removing index: Int, in text: RuleText) -> Bool {
        if index > 0 && text.onlySpaceBetween(index - 1) {
            let previous = text.lowercasedWord(index - 1)
            if previous == "not" || previous.hasSuffix("n't") || previous.hasSuffix("n\u{2019}t") { return false }
            if Self.determiners.contains(previous) && Self.adjectiveSense.contains(text.lowercasedWord(index)) { return false }
        }
        let next = text.lowercasedWord(index + 1)
        return !Self.conjunctions.contains(next) && !Self.negations.contains(next)
    }

    /// `gap.hasPrefix(",")` for the text of `range`, from its bytes where they decide it: a
    /// comma not followed by a combining mark (any non-ASCII byte goes to `String`).
    private static func gapStartsWithComma(_ gap: ArraySlice<UInt8>, in text: RuleText, _ range: Range<Int>) -> Bool {
        guard let first = gap.first, first == UInt8(ascii: ",") else { return false }
        if gap.count == 1 || gap[gap.startIndex + 1] < 0x80 { return true }
        return text.string(range).hasPrefix(",")
    }
}

extension AvoidStage: BuiltinStage {
    public enum Settings {
        /// The union of the parent's list and the child's by `word`: parent words first, a child
        /// entry replacing the parent's entry for the same word in place.
        public static let avoid = StageSetting<[AvoidRule]>(
            "avoid", type: .entries(definition: "avoidEntry", documented: "list of words or avoid entries"), default: [],
            documentedDefault: "`[]`",
            summary: "Words to avoid: a plain word, or a mapping with word and an optional replacement. The union of the parent's list and this one.",
            decode: { decoder, node, keyPath in decoder.list(node, keyPath) { decoder, item, keyPath in decoder.avoidRule(item, keyPath) } },
            merge: { parent, child in mergedInPlace(parent, child) { $0.word } })
    }

    public static let stageID = BuiltinStageID.avoid
    public static let settings = [Settings.avoid.erased]
    public static let defaultList: StageList? = .post
    public static let carriesRule = true
    public static let summary = "Removes filler words, replaces or reports words the style avoids (`avoid`)."
    public static let examples = [
        StageExample(style: "avoid: [simply]", input: "Simply click Save.", expected: "Click Save."),
        StageExample(style: "avoid: [very]", input: "It is very fast.", expected: "It is fast."),
        StageExample(style: "avoid: [just]", input: "Just ship. Not just cats but dogs.", expected: "Ship. Not just cats but dogs."),
        StageExample(style: "avoid:\n  - word: leverage\n    instead: use", input: "We leverage caching.", expected: "We use caching."),
        StageExample(style: "avoid:\n  - word: going forward\n    instead: from now on", input: "Going forward, we ship weekly.",
                     expected: "From now on, we ship weekly."),
    ]

    public init?(style: Style, options: StageSettings, resources: Resources) throws {
        let selected = style.selectedAvoid
        guard !selected.isEmpty else { return nil }
        let level = style.levels[.avoid]
        self.init(entries: selected.map {
            Entry(word: $0.word, instead: $0.instead, note: $0.note, caseSensitive: $0.caseSensitive, reportOnly: $0.reportOnly,
                  level: $0.level ?? level, rule: $0.rule)
        })
    }

    public func apply(to input: StageInput) throws -> StageResult {
        let (edits, findings) = apply(to: input.rules)
        return StageResult(edits: edits, findings: findings)
    }
}

extension Style {
    /// Words to avoid, parents' words first. Default: none.
    public var avoid: [AvoidRule] {
        get { self[AvoidStage.Settings.avoid] }
        set { self[AvoidStage.Settings.avoid] = newValue }
    }
}
