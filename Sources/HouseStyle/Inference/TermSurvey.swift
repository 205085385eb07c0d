import HouseStyleText

/// The forms a corpus writes its terms in: closed (email), hyphenated (e-mail) or spaced
/// (e mail), and, for names, in which letter case (Acme Cloud, Acme cloud, AcmeCloud).
///
/// Forms belong together when they have the same letters: the *key* of a form is its words in
/// lower case with spaces and hyphens taken out ("Acme Cloud" and "AcmeCloud" are `acmecloud`).
/// The survey takes two passes over the corpus. The first (`TermVocabulary`) notes which keys
/// occur in more than one way of joining their words, and which look like names (a word with
/// capitals inside, such as GitHub or API, or two to four capitalised words in a row, such as
/// Acme Cloud, where letter case tells), keeping a count per key; the second (`TermOccurrences`)
/// counts every form and every letter case of just those keys, so only they get tables of forms.
struct TermSurvey {
    /// The longest compound looked at, in words.
    static let maximumWords = 4

    /// Pass one over a document.
    static func vocabulary(of document: SurveyedDocument) -> TermVocabulary {
        let text = document.rules
        var vocabulary = TermVocabulary()
        let lower = text.words.indices.map { isAlphabetic(text, $0) ? text.lowercasedWord($0) : nil }
        var index = 0
        while index < text.words.count {
            defer { index += 1 }
            guard let word = lower[index] else { continue }
            vocabulary.closed[word, default: 0] += 1
            // A hyphenated compound starting here (not inside one: its first word starts it).
            if index == 0 || gap(text, index - 1) != .hyphen || lower[index - 1] == nil {
                var key = word, parts = 1
                while index + parts < text.words.count, parts < maximumWords, gap(text, index + parts - 1) == .hyphen,
                    let next = lower[index + parts] {
                    key += next
                    parts += 1
                }
                if parts > 1 { vocabulary.hyphenated[key, default: 0] += 1 }
            }
            // Two words apart: "e mail", "log in" (not "s aid" from "'s aid": one letter is no word here).
            if index + 1 < text.words.count, gap(text, index) == .space, let next = lower[index + 1], word.count > 1, next.count > 1 {
                vocabulary.spaced[word + next, default: 0] += 1
            }
            guard document.caseTells[index] else { continue }
            // How each word is written where its case tells: a word mostly capitalised is a proper name's.
            if hasCapital(text, index) { vocabulary.capitalised[word, default: 0] += 1 } else { vocabulary.lowercase[word, default: 0] += 1 }
            // A name: capitals inside one word, or capitalised words in a row ("Acme Cloud"), without
            // the function words a title starts or ends with ("The New Zealanders").
            guard hasCapital(text, index), !continuesName(document, index) else { continue }
            var run = [word]
            while index + run.count < text.words.count, run.count < maximumWords, gap(text, index + run.count - 1) == .space,
                let next = lower[index + run.count], hasCapital(text, index + run.count) {
                run.append(next)
            }
            let innerCapitals = ![.lower, .capitalised].contains(Casing(of: text.bytes[text.words[index].range]))
            while let first = run.first, TermDecisions.isFunctionWord(first) { run.removeFirst() }
            while let last = run.last, TermDecisions.isFunctionWord(last) { run.removeLast() }
            if run.count > 1 || (run == [word] && innerCapitals) {
                vocabulary.names[run.joined(), default: 0] += 1
            }
        }
        return vocabulary
    }

    /// Pass two over a document: every form of the keys in `candidates`.
    static func occurrences(in document: SurveyedDocument, of candidates: Set<String>) -> TermOccurrences {
        var occurrences = TermOccurrences()
        guard !candidates.isEmpty else { return occurrences }
        let text = document.rules
        let count = text.words.count
        for index in 0..<count where isAlphabetic(text, index) {
            var key = "", shape = "", surface = ""
            for n in 1...maximumWords {
                let k = index + n - 1
                guard k < count, isAlphabetic(text, k) else { break }
                if n > 1 {
                    let separator: String
                    switch gap(text, k - 1) {
                    case .hyphen: separator = "-"
                    case .space: separator = " "
                    case .other: separator = ""
                    }
                    // One letter is no word of a spaced form ("s aid" is "'s aid").
                    guard !separator.isEmpty, separator == "-" || (text.words[k - 1].range.count > 1 && text.words[k].range.count > 1) else { break }
                    shape += separator
                    surface += separator
                }
                let word = text.word(k)
                key += text.lowercasedWord(k)
                shape += text.lowercasedWord(k)
                surface += word
                guard candidates.contains(key) else { continue }
                occurrences.shapes[key, default: [:]][shape, default: 0] += 1
                // Letter case counts where it tells, and where the form is not part of a longer
                // name ("Acme Cloud Frankfurt" says nothing about "acme cloud").
                let extendedAfter = k + 1 < count && gap(text, k) == .space && isAlphabetic(text, k + 1) && hasCapital(text, k + 1)
                if document.caseTells[index] && !continuesName(document, index) && !extendedAfter {
                    occurrences.surfaces[key, default: [:]][surface, default: 0] += 1
                }
            }
        }
        return occurrences
    }

    /// True when word `index` follows a capitalised word that is part of a name, not capitalised
    /// for starting a sentence ("in Acme Cloud": "Cloud" continues a name; "Try AcmeCloud": no).
    static func continuesName(_ document: SurveyedDocument, _ index: Int) -> Bool {
        let text = document.rules
        return index > 0 && gap(text, index - 1) == .space && document.caseTells[index - 1] && isAlphabetic(text, index - 1)
            && hasCapital(text, index - 1)
    }

    /// What stands between word `index` and the next one.
    enum Gap { case hyphen, space, other }

    static func gap(_ text: RuleText, _ index: Int) -> Gap {
        guard index + 1 < text.words.count else { return .other }
        let between = text.bytes[text.words[index].range.upperBound..<text.words[index + 1].range.lowerBound]
        if between.count == 1 && between.first == UInt8(ascii: "-") { return .hyphen }
        return !between.isEmpty && text.onlySpaceBetween(index) ? .space : .other
    }

    /// True when word `index` is letters only (no digits, apostrophes or underscores) and no
    /// contraction's or possessive's tail ("s" of "'s", "re" of "'re": an apostrophe right before it).
    static func isAlphabetic(_ text: RuleText, _ index: Int) -> Bool {
        let token = text.words[index]
        guard !token.isNumber else { return false }
        let start = token.range.lowerBound
        if start > 0, text.bytes[start - 1] == UInt8(ascii: "'") { return false }
        if start > 2, text.bytes[start - 3] == 0xE2, text.bytes[start - 2] == 0x80, text.bytes[start - 1] == 0x99 { return false }
        let bytes = text.bytes[token.range]
        if !RuleText.hasNonASCII(bytes) { return bytes.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A } }
        return text.string(token.range).allSatisfy(\.isLetter)
    }

    static func hasCapital(_ text: RuleText, _ index: Int) -> Bool {
        let bytes = text.bytes[text.words[index].range]
        if !RuleText.hasNonASCII(bytes) { return bytes.contains { $0 >= 0x41 && $0 <= 0x5A } }
        return text.string(text.words[index].range).contains(where: \.isUppercase)
    }
}

/// Pass one of `TermSurvey`: keys by how their words are joined, and the keys of names. Counts
/// add up across documents (`+=`).
struct TermVocabulary: Sendable, Hashable {
    /// One word, letters only, by lower case.
    var closed: [String: Int] = [:]
    /// Words joined by hyphens, by key.
    var hyphenated: [String: Int] = [:]
    /// Two words with a space between, by key.
    var spaced: [String: Int] = [:]
    /// Names seen where their case tells, by key.
    var names: [String: Int] = [:]
    /// Words (lower case) written with a capital, and all in lower case, where case tells.
    var capitalised: [String: Int] = [:]
    var lowercase: [String: Int] = [:]

    /// True when `word` (lower case) is written with a capital in at least `share` of the places
    /// where its case tells: a proper name's word ("acme", "zealand"), not a common one ("air").
    /// The share alone, without the posterior of `InferenceThresholds`: this says what a word is,
    /// not a habit, and it can only keep a name from becoming a term; asking for four sites here
    /// would make every rare word of a name a common one.
    func isProper(_ word: String, share: Double) -> Bool {
        let capitals = capitalised[word] ?? 0, lower = lowercase[word] ?? 0
        return capitals > 0 && Double(capitals) >= share * Double(capitals + lower)
    }

    /// Keys written in more than one way of joining their words, and the keys of names.
    var candidates: Set<String> {
        var keys = Set(names.keys)
        for key in hyphenated.keys where closed[key] != nil || spaced[key] != nil { keys.insert(key) }
        for key in spaced.keys where closed[key] != nil { keys.insert(key) }
        return keys
    }

    static func += (lhs: inout TermVocabulary, rhs: TermVocabulary) {
        lhs.closed.merge(rhs.closed, uniquingKeysWith: +)
        lhs.hyphenated.merge(rhs.hyphenated, uniquingKeysWith: +)
        lhs.spaced.merge(rhs.spaced, uniquingKeysWith: +)
        lhs.names.merge(rhs.names, uniquingKeysWith: +)
        lhs.capitalised.merge(rhs.capitalised, uniquingKeysWith: +)
        lhs.lowercase.merge(rhs.lowercase, uniquingKeysWith: +)
    }
}

/// Pass two of `TermSurvey`: for each candidate key, how often each form occurs. Counts add up
/// across documents (`+=`).
struct TermOccurrences: Sendable, Hashable {
    /// Key -> form in lower case ("e-mail", "email") -> occurrences anywhere in the prose.
    var shapes: [String: [String: Int]] = [:]
    /// Key -> form as written ("Acme cloud") -> occurrences where letter case tells.
    var surfaces: [String: [String: Int]] = [:]

    static func += (lhs: inout TermOccurrences, rhs: TermOccurrences) {
        lhs.shapes.merge(rhs.shapes) { $0.merging($1, uniquingKeysWith: +) }
        lhs.surfaces.merge(rhs.surfaces) { $0.merging($1, uniquingKeysWith: +) }
    }
}
