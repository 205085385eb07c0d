import HouseStyleText
import HouseStyleYAML

/// Writes contractions ("do not" -> "don't") or expands them ("don't" -> "do not").
///
/// Contracting is safe only where English allows it: never at the end of a clause ("I know what
/// it is." stays), never "let us" (a request, not "let's"), and "have" only as an auxiliary.
/// Expanding resolves the ambiguous forms by context ("it's been" -> "it has been",
/// "he'd better" -> "he had better") and reports a finding when context cannot tell.
/// Possessives ("its", "Acme's") are never touched.
public struct ContractionsStage: Sendable {
    /// `keep` changes nothing.
    public let mode: ContractionPolicy
    /// With `prefer`, the contractions that may be written (lower case, straight apostrophe): those
    /// the style's voice corpus uses, when it has one; nil for all of them.
    public let allowed: Set<String>?

    public init(mode: ContractionPolicy, allowed: Set<String>? = nil) {
        self.mode = mode
        self.allowed = allowed
    }

    /// The contractions of `contractions` and `single` that occur in `text` (either apostrophe, any case).
    static func used(in text: String) -> Set<String> {
        let forms = Set(contractions.values.map { $0.lowercased() }).union(single.values)
        return usedASCII(in: text, forms: forms) ?? usedOnCharacters(in: text, forms: forms)
    }

    /// `used(in:)` on characters, for any text (the tests compare the two on ASCII texts).
    static func usedOnCharacters(in text: String, forms: Set<String>? = nil) -> Set<String> {
        let forms = forms ?? Set(contractions.values.map { $0.lowercased() }).union(single.values)
        let lower = text.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
        var found = Set<String>()
        var search = lower.startIndex
        while let apostrophe = lower[search...].firstIndex(of: "'") {
            var start = apostrophe, end = lower.index(after: apostrophe)
            while start > lower.startIndex, lower[lower.index(before: start)].isLetter { start = lower.index(before: start) }
            while end < lower.endIndex, lower[end].isLetter { end = lower.index(after: end) }
            let word = String(lower[start..<end])
            if forms.contains(word) { found.insert(word) }
            search = lower.index(after: apostrophe)
        }
        return found
    }

    /// `used(in:)` on the bytes of an ASCII text (nil for any other), the same set: in ASCII a
    /// character is one byte (CR LF, the one pair, is no letter and no apostrophe), the letters
    /// are A-Z and a-z, lower case maps byte to byte, and there is no curly apostrophe. A voice
    /// corpus of mostly ASCII files is read at every start of a style that prefers contractions.
    private static func usedASCII(in text: String, forms: Set<String>) -> Set<String>? {
        var text = text
        return text.withUTF8 { bytes -> Set<String>? in
            var any: UInt8 = 0
            for byte in bytes { any |= byte }
            guard any < 0x80 else { return nil }
            @inline(__always) func isLetter(_ byte: UInt8) -> Bool { byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A }
            var found = Set<String>()
            for apostrophe in bytes.indices where bytes[apostrophe] == UInt8(ascii: "'") {
                var start = apostrophe, end = apostrophe + 1
                while start > 0, isLetter(bytes[start - 1]) { start -= 1 }
                while end < bytes.count, isLetter(bytes[end]) { end += 1 }
                let word = String(unsafeUninitializedCapacity: end - start) { buffer in
                    for k in start..<end { buffer[k - start] = bytes[k] >= 0x41 && bytes[k] <= 0x5A ? bytes[k] | 0x20 : bytes[k] }
                    return end - start
                }
                if forms.contains(word) { found.insert(word) }
            }
            return found
        }
    }

    /// What the voice corpus of `style` uses (at most `limit` bytes of it are read); nil without a
    /// voice corpus or when none of it can be read.
    /// - Throws: `CorpusError.outsideProject` when the voice corpus reaches outside the style's project.
    static func voiceContractions(of style: Style, limit: Int = 32 << 20) throws(CorpusError) -> Set<String>? {
        guard !style.corpus.voice.isEmpty else { return nil }
        var found = Set<String>(), read = 0, any = false
        for path in try CorpusReader.expand(style.corpus.voice, role: .voice) where read < limit {
            guard let text = try? TextFile.read(path) else { continue }
            any = true
            read += text.utf8.count
            found.formUnion(used(in: text))
        }
        return any ? found : nil
    }

    /// Two-word phrases and their contraction.
    static let contractions: [String: String] = [
        "do not": "don't", "does not": "doesn't", "did not": "didn't", "is not": "isn't",
        "are not": "aren't", "was not": "wasn't", "were not": "weren't", "has not": "hasn't",
        "have not": "haven't", "had not": "hadn't", "will not": "won't", "would not": "wouldn't",
        "could not": "couldn't", "should not": "shouldn't", "can not": "can't", "must not": "mustn't",
        "i am": "I'm", "you are": "you're", "we are": "we're", "they are": "they're",
        "it is": "it's", "that is": "that's", "there is": "there's", "here is": "here's",
        "what is": "what's", "who is": "who's", "he is": "he's", "she is": "she's",
        "i will": "I'll", "you will": "you'll", "we will": "we'll", "they will": "they'll",
        "it will": "it'll", "i have": "I've", "you have": "you've", "we have": "we've", "they have": "they've",
        "i would": "I'd", "you would": "you'd", "we would": "we'd", "they would": "they'd",
    ]
    /// First words of `contractions`.
    static let firstWords = Set(contractions.keys.map { String($0.prefix { $0 != " " }) })
    /// One-word forms that contract too.
    static let single: [String: String] = ["cannot": "can't"]

    /// Words after which "have" is an auxiliary, so "we have seen" may become "we've seen".
    static let participles: Set<String> = [
        "been", "got", "gotten", "done", "seen", "made", "had", "taken", "given", "written", "known",
        "found", "built", "sent", "moved", "added", "changed", "fixed", "released", "updated", "improved",
        "removed", "launched", "started", "finished", "heard", "noticed", "decided", "gone", "come", "become", "left", "said", "shown", "chosen",
        "forgotten", "begun", "tried", "used", "always", "never",
        "already", "just", "now", "also", "recently",
    ]
    /// Past participles only: after "'s" or "'d" they mean "has" / "had" ("it's been", "he'd gone").
    static let pastParticiples = participles.subtracting(["always", "never", "already", "just", "now", "also", "recently"])

    public func apply(to text: RuleText) -> (edits: [Edit], findings: [Finding]) {
        switch mode {
        case .prefer: return (contract(text), [])
        case .avoid: return expand(text)
        case .keep: return ([], [])
        }
    }

    /// A word that may start a contraction, with what may follow it.
    private struct FirstWord: Sendable {
        struct Pair: Sendable {
            var second: [UInt8]
            var short: String
            var capitalisedShort: String
            /// "we will" + "not" is itself a contraction ("we won't", not "we'll not").
            var secondTakesNot: Bool
            /// The phrase in lower case and capitalised, single-spaced, and the reasons of contracting each.
            var lowerText: [UInt8], lowerReason: String
            var capitalisedText: [UInt8], capitalisedReason: String
        }
        var form: LowercaseForm
        /// `form` packed (`packedLowercase`), so an ASCII word is compared in one step.
        var packed: UInt64
        var single: String?
        var pairs: [Pair]
        /// `WordKey`s of the pairs' second words: a next word with none of them completes no
        /// pair, on the byte path and on the `String` path alike (a lowered word equal to a
        /// second word has its key).
        var secondKeys: [UInt64] = []
    }

    /// `firstWords` and `single`, with the phrases each starts.
    private static let firstWordList: [FirstWord] = firstWords.union(single.keys).sorted().map { word in
        var pairs: [FirstWord.Pair] = []
        for (phrase, short) in contractions.sorted(by: { $0.key < $1.key }) where phrase.hasPrefix(word + " ") {
            let second = String(phrase.dropFirst(word.count + 1))
            let capitalisedPhrase = Casing.capitalised.apply(to: word) + " " + second
            let capitalisedShort = Casing.capitalised.apply(to: short)
            pairs.append(FirstWord.Pair(
                second: Array(second.utf8), short: short, capitalisedShort: capitalisedShort,
                secondTakesNot: contractions[second + " not"] != nil,
                lowerText: Array(phrase.utf8), lowerReason: "contract '\(phrase)' to '\(short)'",
                capitalisedText: Array(capitalisedPhrase.utf8),
                capitalisedReason: "contract '\(capitalisedPhrase)' to '\(capitalisedShort)'"))
        }
        let form = LowercaseForm(word)
        return FirstWord(form: form, packed: packedLowercase(form.bytes[...]) ?? .max, single: single[word], pairs: pairs,
                         secondKeys: pairs.map { WordKey.of($0.second[...]) })
    }
    /// Indices of `firstWordList` by `WordKey`.
    private static let firstWordTable: WordKeyTable<Int> =
        WordKeyTable(Dictionary(grouping: firstWordList.indices) { WordKey.of(word: firstWordList[$0].form.text) })

    /// A word of at most 7 ASCII bytes, lowered and packed into an integer (with its length in the
    /// top byte); nil for longer or non-ASCII words.
    private static func packedLowercase(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        guard bytes.count < 8 else { return nil }
        var packed = UInt64(bytes.count) << 56, shift: UInt64 = 0
        for byte in bytes {
            guard byte < 0x80 else { return nil }
            packed |= UInt64(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) << shift
            shift += 8
        }
        return packed
    }

    /// The edits of `prefer` mode with every word taking the `String` path, as non-ASCII words
    /// do: tests compare it with `apply(to:)` on the same texts, so the two grammars agree.
    func contractOnStrings(_ text: RuleText) -> [Edit] { contract(text, onStrings: true) }

    private func contract(_ text: RuleText, onStrings: Bool = false) -> [Edit] {
        var edits: [Edit] = []
        var index = 0
        let words = text.words
        let bytes = text.bytes
        let table = Self.firstWordTable
        let list = Self.firstWordList
        while true {
            // Words that start no contraction (most) are passed over in one loop.
            index = words.withUnsafeBufferPointer { table.firstPossible(in: $0, from: index) }
            guard index < words.count else { break }
            let candidates = table.range(of: words[index].key)
            guard !candidates.isEmpty else { index += 1; continue }
            // Which listed word this is in lower case, if any: no other word starts a contraction.
            let firstRange = words[index].range
            let firstBytes = bytes[firstRange]
            let packed = Self.packedLowercase(firstBytes)
            var found = -1
            for c in candidates {
                let f = table.entries[c]
                if packed.map({ list[f].packed == $0 }) ?? list[f].form.matches(firstBytes) { found = f; break }
            }
            guard found >= 0 else { index += 1; continue }
            // Most listed words ("it", "is", "that") are not followed by a word that completes one
            // of their pairs: both paths below then end with no edit at the next word, which the
            // next word's key tells without looking at the bytes (a word with a one-word form,
            // "cannot", goes on).
            if list[found].single == nil
                && (index + 1 == words.count || !list[found].secondKeys.contains(words[index + 1].key)) {
                index += 1
                continue
            }
            // Words outside ASCII take the general path, where `String` comparison decides.
            if onStrings || (packed == nil && RuleText.hasNonASCII(firstBytes))
                || (index + 1 < words.count && text.wordHasNonASCII(index + 1))
                || (index + 2 < words.count && text.wordHasNonASCII(index + 2)) {
                let (edit, next) = contractGeneral(text, at: index)
                if let edit { edits.append(edit) }
                index = next
                continue
            }
            // ASCII: the same decisions on the bytes.
            let casing = Casing(of: firstBytes)
            if casing == .upper && firstRange.count > 1 { index += 1; continue }  // shouting: leave it
            if let short = list[found].single {
                if mayWrite(short) { edits.append(edit(firstRange, casing.apply(to: short), from: text.string(firstRange))) }
                index += 1
                continue
            }
            guard index + 1 < words.count, text.onlySpaceBetween(index) else { index += 1; continue }
            let secondRange = words[index + 1].range
            let secondBytes = bytes[secondRange]
            // A second word in lower case is its own lower case.
            guard Casing(of: secondBytes) == .lower,
                let pair = list[found].pairs.first(where: { secondBytes.elementsEqual($0.second) }) else { index += 1; continue }
            // Not at the end of a clause: a word must follow ("what it is." keeps "it is").
            let negation = secondBytes.elementsEqual(Self.not)
            if !negation && !nextIsWord(after: index + 1, in: text) { index += 1; continue }
            // "we will not" is "we won't", not "we'll not": leave the pronoun for the negation.
            if !negation, index + 2 < words.count, text.onlySpaceBetween(index + 1),
                bytes[words[index + 2].range].elementsEqual(Self.not), pair.secondTakesNot {
                index += 1
                continue
            }
            if secondBytes.elementsEqual(Self.have) {
                guard index + 2 < words.count, Self.participles.contains(text.word(index + 2).lowercased())
                else { index += 1; continue }
            }
            if !mayWrite(pair.short) || !clauseStart(index, text: text, firstBytes: firstBytes) { index += 1; continue }
            // An upper-case letter in the first word ("I", "We") capitalises the contraction.
            let capitalise = firstBytes.contains { $0 >= 0x41 && $0 <= 0x5A }
            let short = capitalise ? pair.capitalisedShort : pair.short
            let range = firstRange.lowerBound..<secondRange.upperBound
            let reason: String
            if !capitalise && bytes[range].elementsEqual(pair.lowerText) {
                reason = pair.lowerReason
            } else if capitalise && bytes[range].elementsEqual(pair.capitalisedText) {
                reason = pair.capitalisedReason
            } else {
                reason = "contract '\(text.string(range))' to '\(short)'"
            }
            edits.append(Edit(range: range, replacement: short, rule: "contractions", reason: reason))
            index += 2
        }
        return edits
    }

    private static let not = Array("not".utf8), have = Array("have".utf8)

    /// The contraction starting at word `index` (a word whose key starts a contraction), decided
    /// on `String`s, and the index of the next word to look at.
    private func contractGeneral(_ text: RuleText, at index: Int) -> (edit: Edit?, next: Int) {
        let lowerFirst = text.lowercasedWord(index)
        let first = text.word(index)
        let casing = Casing(of: first)
        if casing == .upper && first.count > 1 { return (nil, index + 1) }  // shouting: leave it
        if let short = Self.single[lowerFirst] {
            guard mayWrite(short) else { return (nil, index + 1) }
            return (edit(text.words[index].range, casing.apply(to: short), from: first), index + 1)
        }
        guard index + 1 < text.words.count, text.onlySpaceBetween(index) else { return (nil, index + 1) }
        let second = text.word(index + 1)
        let phrase = lowerFirst + " " + text.lowercasedWord(index + 1)
        guard Casing(of: second) == .lower, var short = Self.contractions[phrase] else { return (nil, index + 1) }
        // Not at the end of a clause: a word must follow ("what it is." keeps "it is").
        let negation = second == "not"
        if !negation && !nextIsWord(after: index + 1, in: text) { return (nil, index + 1) }
        // "we will not" is "we won't", not "we'll not": leave the pronoun for the negation.
        if !negation, index + 2 < text.words.count, text.onlySpaceBetween(index + 1),
            text.word(index + 2) == "not", Self.contractions[second.lowercased() + " not"] != nil {
            return (nil, index + 1)
        }
        if second == "have" {
            guard index + 2 < text.words.count, Self.participles.contains(text.word(index + 2).lowercased())
            else { return (nil, index + 1) }
        }
        guard mayWrite(short), clauseStart(index, text: text, firstBytes: text.bytes[text.words[index].range]) else { return (nil, index + 1) }
        if first == "I" || first.lowercased() != first { short = casing == .lower ? short : Casing.capitalised.apply(to: short) }
        let range = text.words[index].range.lowerBound..<text.words[index + 1].range.upperBound
        return (edit(range, short, from: text.string(range)), index + 2)
    }

    /// Whether the voice writes `short` (always, without a voice corpus).
    private func mayWrite(_ short: String) -> Bool { allowed.map { $0.contains(short.lowercased()) } ?? true }

    /// "here is" and "there is" contract only where "here" / "there" begins the clause ("Here's
    /// the key", "and there's more"), not after a verb ("the options listed here is the primary").
    private func clauseStart(_ index: Int, text: RuleText, firstBytes: ArraySlice<UInt8>) -> Bool {
        let lower = RuleText.lowercased(firstBytes)
        guard lower == "here" || lower == "there" else { return true }
        if index == 0 || text.startsSentence(index) { return true }
        let gap = text.bytes[text.words[index - 1].range.upperBound..<text.words[index].range.lowerBound]
        if gap.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "(") }) {
            return true
        }
        return ["and", "but", "so", "or", "because", "if", "when", "then", "now", "yet", "that", "since"].contains(text.lowercasedWord(index - 1))
    }

    private func edit(_ range: Range<Int>, _ replacement: String, from original: String) -> Edit {
        let verb = mode == .prefer ? "contract" : "expand"
        return Edit(range: range, replacement: replacement, rule: "contractions",
            reason: "\(verb) '\(original)' to '\(replacement)'")
    }

    /// True when the next token after word `index` is a word in the same clause (only spaces between).
    private func nextIsWord(after index: Int, in text: RuleText) -> Bool {
        index + 1 < text.words.count && text.onlySpaceBetween(index)
    }

    /// Contractions whose expansion does not depend on context.
    static let expansions: [String: String] = [
        "don't": "do not", "doesn't": "does not", "didn't": "did not", "isn't": "is not",
        "aren't": "are not", "wasn't": "was not", "weren't": "were not", "hasn't": "has not",
        "haven't": "have not", "hadn't": "had not", "won't": "will not", "wouldn't": "would not",
        "couldn't": "could not", "shouldn't": "should not", "can't": "cannot", "mustn't": "must not",
        "shan't": "shall not", "needn't": "need not", "i'm": "I am", "you're": "you are", "we're": "we are",
        "they're": "they are", "i'll": "I will", "you'll": "you will", "we'll": "we will",
        "they'll": "they will", "it'll": "it will", "i've": "I have", "you've": "you have",
        "we've": "we have", "they've": "they have", "let's": "let us",
    ]
    /// "'s" and "'d" forms: the pronoun, and what "'s" / "'d" stand for by default.
    static let ambiguous: Set<String> = [
        "it's", "that's", "there's", "here's", "what's", "who's", "he's", "she's", "where's",
        "i'd", "you'd", "we'd", "they'd", "he'd", "she'd", "it'd",
    ]

    /// `expansions` and `ambiguous` by `WordKey`.
    private static let contractionTable = WordKeyTable(Dictionary(grouping: Set(expansions.keys).union(ambiguous).sorted()) {
        WordKey.of(word: $0)
    }.mapValues { $0.map(LowercaseForm.init) })

    /// The lookup key of a word (lower case, "’" written "'") from its bytes when they decide it:
    /// ASCII, and "’" not followed by a combining mark; nil otherwise.
    private static func contractionKey(_ word: ArraySlice<UInt8>) -> [UInt8]? {
        var key: [UInt8] = []
        key.reserveCapacity(word.count)
        var i = word.startIndex
        while i < word.endIndex {
            let byte = word[i]
            if byte < 0x80 {
                key.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                i += 1
            } else if byte == 0xE2, i + 2 < word.endIndex, word[i + 1] == 0x80, word[i + 2] == 0x99,
                i + 3 == word.endIndex || word[i + 3] < 0x80 {
                key.append(UInt8(ascii: "'"))
                i += 3
            } else {
                return nil
            }
        }
        return key
    }

    private func expand(_ text: RuleText) -> (edits: [Edit], findings: [Finding]) {
        var edits: [Edit] = []
        var findings: [Finding] = []
        let bytes = text.bytes
        let table = Self.contractionTable
        for (index, token) in text.words.enumerated() {
            // Every contraction has an apostrophe; most words have none.
            guard bytes[token.range].contains(where: { $0 == 0x27 || $0 == 0xE2 }) else { continue }
            let key: String
            if let lowered = Self.contractionKey(bytes[token.range]) {
                // The key from the bytes: a word no table lists is no contraction.
                guard let listed = table.entries[table.range(of: token.key)].first(where: { $0.bytes == lowered }) else { continue }
                key = listed.text
            } else {
                key = String(text.string(token.range).lowercased().map { $0 == "\u{2019}" ? "'" : $0 })
            }
            let word = text.string(token.range)
            let casing = Casing(of: word)
            let next = index + 1 < text.words.count && text.onlySpaceBetween(index) ? text.word(index + 1).lowercased() : nil
            var expansion: String?
            if let plain = Self.expansions[key] {
                if key.hasSuffix("n't"), let next, Self.subjectPronouns.contains(next) {
                    // "Won't you come?": the subject follows, so "not" goes after it.
                    switch inversion(at: index, in: text) {
                    case .move:
                        edits.append(invertedExpansion(at: index, plain, key: key, casing: casing, in: text))
                    case .report:
                        let pronoun = text.word(index + 1)
                        findings.append(Finding(range: token.range.lowerBound..<text.words[index + 1].range.upperBound,
                            level: .suggestion,
                            message: "'\(word) \(pronoun)': 'not' goes after the subject when written out; write it out",
                            rule: "contractions"))
                    case .none:
                        edits.append(edit(token.range, Self.cased(plain, like: word, casing), from: word))
                    }
                    continue
                }
                expansion = plain
            } else if Self.ambiguous.contains(key) {
                let pronoun = String(key.dropLast(2))
                // What decides "is" / "has" / "had" / "would" is the verb, after any adverbs.
                var verbIndex = index + 1
                while verbIndex < text.words.count, verbIndex - index <= 3, text.onlySpaceBetween(verbIndex - 1),
                    Self.adverbs.contains(text.lowercasedWord(verbIndex)) { verbIndex += 1 }
                let verb = verbIndex < text.words.count && verbIndex > index && text.onlySpaceBetween(verbIndex - 1)
                    ? text.lowercasedWord(verbIndex) : nil
                if key.hasSuffix("'s") {
                    if let verb, Self.takesOnlyHas.contains(verb) {
                        // "it's been", "she's got": "is been" and "is got" are no English.
                        expansion = pronoun + " has"
                    } else if let verb, Self.isPastParticiple(verb) {
                        // "She's arrived" (has) but "She's tired" (is): the form does not tell.
                        findings.append(Finding(range: token.range, level: .suggestion,
                            message: "'\(word)' may stand for 'is' or 'has'; write it out", rule: "contractions"))
                    } else {
                        expansion = pronoun + " is"
                    }
                } else if next == "better" || verb.map({ Self.isPastParticiple($0) && !Self.alsoBareForm.contains($0) }) == true {
                    // "would" takes a bare verb, never a participle: "he'd gone" is "he had gone".
                    expansion = pronoun + " had"
                } else if let verb, verb == "like" || verb == "rather" || verb == "prefer" || verb == "be" || verb == "have" {
                    expansion = pronoun + " would"
                } else {
                    findings.append(Finding(range: token.range, level: .suggestion,
                        message: "'\(word)' may stand for 'would' or 'had'; write it out", rule: "contractions"))
                }
            }
            guard let expansion else { continue }
            edits.append(edit(token.range, Self.cased(expansion, like: word, casing), from: word))
        }
        return (edits, findings)
    }

    /// An expansion cased like the contraction `word` it replaces ("I" stays a capital).
    private static func cased(_ expansion: String, like word: String, _ casing: Casing) -> String {
        var expansion = expansion
        if expansion.hasPrefix("i ") { expansion = "I" + expansion.dropFirst() }
        if casing == .capitalised || (casing == .upper && word.count == 1) { expansion = Casing.capitalised.apply(to: expansion) }
        if casing == .upper && word.count > 1 { expansion = expansion.uppercased() }
        return expansion
    }

    /// Subject pronouns: after an "n't" contraction one is the subject of an inverted clause
    /// ("Isn't it red?") or the complement of a plain one ("It isn't you.").
    static let subjectPronouns: Set<String> = ["i", "you", "he", "she", "it", "we", "they", "there"]

    /// Words that introduce an inverted clause right before its verb ("Why don't you ...?",
    /// "But isn't it ...?").
    static let clauseOpeners: Set<String> = [
        "why", "what", "where", "when", "how", "who", "which", "and", "but", "or", "so", "then", "well", "oh",
    ]

    /// Adverbs that may stand between "'s" / "'d" and the verb that decides them ("she's already left").
    static let adverbs: Set<String> = [
        "not", "never", "already", "just", "always", "also", "recently", "now", "ever", "only", "still", "really", "finally",
    ]

    /// Participles after which "'s" can only be "has": "is" never takes them.
    static let takesOnlyHas: Set<String> = ["been", "got", "gotten", "had", "become", "begun", "come"]

    /// Participles that are also the bare verb, so after "'d" they may follow "would" ("he'd come").
    static let alsoBareForm: Set<String> = ["come", "become"]

    /// Words ending in "-ed" that are no participle ("red", "need", "hundred").
    static let notParticiples: Set<String> = ["hundred", "sacred", "naked", "wicked", "kindred", "rugged", "ragged", "jagged", "shed", "sled"]

    /// True when `word` (lower case) is a past participle: one listed, or a regular "-ed" form.
    static func isPastParticiple(_ word: String) -> Bool {
        if pastParticiples.contains(word) { return true }
        return word.count >= 4 && word.hasSuffix("ed") && !word.hasSuffix("eed") && !notParticiples.contains(word)
    }

    /// What to do with an "n't" contraction at word `index` followed by a subject pronoun.
    private enum Inversion { case move, report, none }

    /// `.move` when the contraction opens a question ("Won't you come?", "Why don't you stay?",
    /// "..., isn't it?"), so the subject follows it; `.report` when it opens a clause that is no
    /// question ("Don't you dare!") or sits mid-way in a question, where the order is unclear;
    /// `.none` when a subject comes before it in a statement ("It isn't you."), so it expands in place.
    private func inversion(at index: Int, in text: RuleText) -> Inversion {
        let opensClause: Bool
        if text.startsSentence(index) {
            opensClause = true
        } else if let previous = text.previousNonSpace(before: text.words[index].range.lowerBound),
            previous == UInt8(ascii: ",") || previous == UInt8(ascii: ";") || previous == UInt8(ascii: ":") {
            opensClause = true
        } else {
            opensClause = index > 0 && text.onlySpaceBetween(index - 1) && Self.clauseOpeners.contains(text.lowercasedWord(index - 1))
        }
        let question = endsInQuestionMark(after: text.words[index + 1].range.upperBound, in: text)
        // "Who isn't there?": "who" is the subject and "there" an adverb, so nothing moves.
        if index > 0, text.lowercasedWord(index + 1) == "there", ["who", "what", "which"].contains(text.lowercasedWord(index - 1)) {
            return .report
        }
        if opensClause && question { return .move }
        return opensClause || question ? .report : .none
    }

    /// True when the sentence going on at `offset` ends with "?" (before a "." or "!", a blank
    /// line, or the end of the text).
    private func endsInQuestionMark(after offset: Int, in text: RuleText) -> Bool {
        var i = offset
        var lineBreaks = 0
        while i < text.bytes.count {
            switch text.bytes[i] {
            case UInt8(ascii: "?"): return true
            case UInt8(ascii: "."), UInt8(ascii: "!"): return false
            case UInt8(ascii: "\n"):
                lineBreaks += 1
                if lineBreaks > 1 { return false }
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): break
            default: lineBreaks = 0
            }
            i += 1
        }
        return false
    }

    /// "Won't you" -> "Will you not": the auxiliary, the pronoun as written, then "not"
    /// ("Aren't I" -> "Am I not").
    private func invertedExpansion(at index: Int, _ plain: String, key: String, casing: Casing, in text: RuleText) -> Edit {
        let word = text.word(index)
        var auxiliary = plain.hasSuffix(" not") ? String(plain.dropLast(4)) : String(plain.dropLast(3))  // "cannot" -> "can"
        let pronoun = text.word(index + 1)
        if key == "aren't" && pronoun.lowercased() == "i" { auxiliary = "am" }
        var not = " not"
        if casing == .upper && word.count > 1 {
            auxiliary = auxiliary.uppercased()
            if Casing(of: pronoun) == .upper || pronoun.count == 1 { not = " NOT" }
        } else if casing == .capitalised {
            auxiliary = Casing.capitalised.apply(to: auxiliary)
        }
        let range = text.words[index].range.lowerBound..<text.words[index + 1].range.upperBound
        let gap = text.string(text.words[index].range.upperBound..<text.words[index + 1].range.lowerBound)
        return edit(range, auxiliary + gap + pronoun + not, from: text.string(range))
    }
}

/// `contractions`: `prefer` writes "don't", `avoid` writes "do not".
public enum ContractionPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    case prefer, avoid, keep
}

extension ContractionsStage: BuiltinStage {
    public enum Settings {
        public static let contractions = StageSetting<ContractionPolicy>(
            "contractions", default: .keep, summary: "prefer \"don't\", avoid it for \"do not\", or keep as written.")
    }

    public static let stageID = BuiltinStageID.contractions
    public static let settings = [Settings.contractions.erased]
    public static let defaultList: StageList? = .post
    public static let carriesRule = true
    public static let summary = "Writes or expands contractions (`contractions: prefer | avoid`)."
    public static let examples = [
        StageExample(style: "contractions: prefer", input: "We will not move it.", expected: "We won't move it."),
        StageExample(style: "contractions: prefer", input: "Do not worry: it is fast. I know what it is.",
                     expected: "Don't worry: it's fast. I know what it is."),
        StageExample(style: "contractions: avoid", input: "It's been a year; its name won't change.",
                     expected: "It has been a year; its name will not change."),
        StageExample(style: "contractions: avoid", input: "Won't you stay? It's red, isn't it?",
                     expected: "Will you not stay? It is red, is it not?"),
    ]

    public init?(style: Style, options: StageSettings, resources: Resources) throws {
        switch style.contractions {
        case .keep: return nil
        case .prefer: self.init(mode: .prefer, allowed: try Self.voiceContractions(of: style))
        case .avoid: self.init(mode: .avoid)
        }
    }

    public func apply(to input: StageInput) throws -> StageResult {
        let (edits, findings) = apply(to: input.rules)
        return StageResult(edits: edits, findings: findings)
    }
}

extension Style {
    /// `contractions`. Default: `keep`.
    public var contractions: ContractionPolicy {
        get { self[ContractionsStage.Settings.contractions] }
        set { self[ContractionsStage.Settings.contractions] = newValue }
    }
}
