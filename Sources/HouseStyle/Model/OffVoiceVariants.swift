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
    }

    /// The sentence with every reversal that applies, or nil when none does.
    public func variant(of sentence: String) -> String? {
        var text = sentence
        var changed = false
        for (onVoice, offVoice) in reversals {
            if let replaced = Self.replaceWholeWords(onVoice, with: offVoice, in: text) {
                text = replaced
                changed = true
            }
        }
        return changed && text != sentence ? text : nil
    }

    /// Replaces whole-word occurrences of `phrase` (as written, or with its first letter
    /// capitalised) by `replacement`, capitalised to match. Nil when nothing matched.
    static func replaceWholeWords(_ phrase: String, with replacement: String, in text: String) -> String? {
        let capitalisedPhrase = phrase.first.map { $0.uppercased() + phrase.dropFirst() } ?? phrase
        let forms = capitalisedPhrase == phrase ? [phrase] : [phrase, capitalisedPhrase]
        var result = text
        var matched = false
        for form in forms {
            var searchStart = result.startIndex
            while let range = result.range(of: form, range: searchStart..<result.endIndex) {
                let before = range.lowerBound == result.startIndex ? nil : result[result.index(before: range.lowerBound)]
                let after = range.upperBound == result.endIndex ? nil : result[range.upperBound]
                func isWordCharacter(_ c: Character?) -> Bool { c.map { $0.isLetter || $0.isNumber || $0 == "'" || $0 == "’" || $0 == "-" } ?? false }
                if isWordCharacter(before) || isWordCharacter(after) {
                    searchStart = range.upperBound
                    continue
                }
                let capitalised = form != phrase
                let new = capitalised ? (replacement.first.map { $0.uppercased() + replacement.dropFirst() } ?? "") : replacement
                let offset = result.distance(from: result.startIndex, to: range.lowerBound)
                result.replaceSubrange(range, with: new)
                searchStart = result.index(result.startIndex, offsetBy: offset + new.count)
                matched = true
            }
        }
        return matched ? result : nil
    }
}
