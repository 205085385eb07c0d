import Foundation

/// Makes off-voice variants of on-voice sentences by running the style backwards: a term's
/// right form becomes its first wrong form (`Acme Cloud` -> `acme cloud`, `use` -> `utilise`),
/// contractions are expanded when the style prefers them (and written when it avoids them),
/// spelling switches variety, and learned substitutions are undone (`after` -> `before`).
/// The voice scorer learns from these that exactly what the style changes is what makes text off-voice.
///
/// Replacements act on whole words only; a word written with a capital keeps it.
package struct OffVoiceVariants: Sendable {
    /// (on-voice phrase, off-voice phrase), longest on-voice phrase first.
    public let reversals: [(onVoice: String, offVoice: String)]
    /// The reversals, by the first word of their on-voice phrase as written and capitalised: a
    /// whole-word match needs that word as a whole word of the text, so `variant(of:)` tries only
    /// the reversals of the words a sentence has (Yelp's 93,000 voice sentences against 3,800
    /// reversals took 56 s of a 5-minute training when each reversal searched each sentence).
    private let byFirstWord: [String: [Int]]
    /// Reversals whose phrase does not begin with a word character, tried in every sentence.
    private let alwaysTried: [Int]

    /// - Parameters:
    ///   - spellingPairs: British/American pairs (empty when the style keeps spelling).
    ///   - substitutions: learned substitutions; those that replace words (not deletions) are reversed.
    public init(style: Style, spellingPairs: [(british: String, american: String)], substitutions: [Substitution]) {
        var pairs: [(String, String)] = []
        for term in style.terms {
            // A case-only variant ("acme cloud") is a fine off-voice form too; the first one is used.
            if let wrong = term.insteadOf.first, wrong != term.use { pairs.append((term.use, wrong)) }
        }
        switch style.contractions {
        case .prefer:
            for (contraction, expansion) in ContractionsStage.expansions { pairs.append((contraction, expansion)) }
        case .avoid:
            for (expansion, contraction) in ContractionsStage.contractions { pairs.append((expansion, contraction)) }
        case .keep: break
        }
        switch style.spelling {
        case .british: pairs += spellingPairs.map { ($0.british, $0.american) }
        case .american: pairs += spellingPairs.map { ($0.american, $0.british) }
        case .keep: break
        }
        for substitution in substitutions where !substitution.after.isEmpty && substitution.origin != .thesaurus {
            pairs.append((substitution.afterText, substitution.before.joined(separator: " ")))
        }
        // One reversal per on-voice phrase (the first given wins); longest phrases first so that
        // "Acme Cloud" is reversed before "Cloud" could be. Sorting makes the order independent of
        // dictionary order.
        var seen = Set<String>()
        let unique = pairs.filter { !$0.0.isEmpty && $0.0 != $0.1 && seen.insert($0.0.lowercased()).inserted }
        reversals = unique.sorted { ($0.0.count, $1.0) > ($1.0.count, $0.0) }
        var byFirstWord: [String: [Int]] = [:], alwaysTried: [Int] = []
        for (index, reversal) in reversals.enumerated() {
            let first = String(reversal.onVoice.prefix { Self.isWordCharacter($0) })
            guard !first.isEmpty else { alwaysTried.append(index); continue }
            let capitalised = Self.capitalised(first)
            for form in capitalised == first ? [first] : [first, capitalised] { byFirstWord[form, default: []].append(index) }
        }
        self.byFirstWord = byFirstWord
        self.alwaysTried = alwaysTried
    }

    /// The sentence with every reversal that applies, or nil when none does.
    /// Reversals apply in `reversals`' order, each to the text the ones before it left.
    public func variant(of sentence: String) -> String? {
        var text = sentence
        var changed = false
        var candidates = reversalsToTry(in: text)[...]
        while let index = candidates.popFirst() {
            let (onVoice, offVoice) = reversals[index]
            if let replaced = Self.replaceWholeWords(onVoice, with: offVoice, in: text) {
                text = replaced
                changed = true
                // The new words may begin a later reversal's phrase.
                candidates = reversalsToTry(in: text).drop { $0 <= index }
            }
        }
        return changed && text != sentence ? text : nil
    }

    /// The indices of the reversals that can match in `text`, in order.
    private func reversalsToTry(in text: String) -> [Int] {
        var words = Set<Substring>()
        var start: String.Index?
        for index in text.indices {
            if Self.isWordCharacter(text[index]) {
                if start == nil { start = index }
            } else if let wordStart = start {
                words.insert(text[wordStart..<index])
                start = nil
            }
        }
        if let wordStart = start { words.insert(text[wordStart...]) }
        var found = alwaysTried
        for word in words { found += byFirstWord[String(word)] ?? [] }
        return Array(Set(found)).sorted()
    }

    static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "'" || c == "’" || c == "-" }

    static func capitalised(_ word: String) -> String { word.first.map { $0.uppercased() + word.dropFirst() } ?? word }

    /// Replaces whole-word occurrences of `phrase` (as written, or with its first letter
    /// capitalised) by `replacement`, capitalised to match. Nil when nothing matched.
    static func replaceWholeWords(_ phrase: String, with replacement: String, in text: String) -> String? {
        let capitalisedPhrase = capitalised(phrase)
        let forms = capitalisedPhrase == phrase ? [phrase] : [phrase, capitalisedPhrase]
        var result = text
        var matched = false
        for form in forms {
            var searchStart = result.startIndex
            while let range = result.range(of: form, range: searchStart..<result.endIndex) {
                let before = range.lowerBound == result.startIndex ? nil : result[result.index(before: range.lowerBound)]
                let after = range.upperBound == result.endIndex ? nil : result[range.upperBound]
                if before.map(isWordCharacter) == true || after.map(isWordCharacter) == true {
                    searchStart = range.upperBound
                    continue
                }
                let new = form != phrase ? Self.capitalised(replacement) : replacement
                let offset = result.distance(from: result.startIndex, to: range.lowerBound)
                result.replaceSubrange(range, with: new)
                searchStart = result.index(result.startIndex, offsetBy: offset + new.count)
                matched = true
            }
        }
        return matched ? result : nil
    }
}
