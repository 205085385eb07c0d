import HouseStyleText

/// Which learned substitutions a style lets the learned stage use: those of a source listed in
/// `learned.sources` that no `learned.never` entry vetoes. Applied when the model is loaded, so
/// changing these settings needs no retraining.
struct LearnedFilter {
    /// The origins of `learned.sources`.
    let origins: Set<EditOrigin>
    /// Token sequences of `never` words: no substitution replaces or introduces them.
    let words: [[String]]
    /// `never` substitutions, as (before tokens, after tokens).
    let pairs: [(before: [String], after: [String])]

    /// - Parameter tokenizer: the tokenizer of the style's locale, which made the model's tokens,
    ///   so that `never` entries are compared token by token (whole words, lowercase).
    init(_ settings: LearnedSettings, tokenizer: ModelTokenizer) {
        origins = Set(settings.sources.flatMap(\.origins))
        var words: [[String]] = [], pairs: [([String], [String])] = []
        for veto in settings.never {
            let word = tokenizer.tokens(veto.word)
            guard !word.isEmpty else { continue }
            if let replacement = veto.replacement {
                pairs.append((word, tokenizer.tokens(replacement)))
            } else {
                words.append(word)
            }
        }
        self.words = words
        self.pairs = pairs
    }

    /// Whether the learned stage may use `substitution`.
    func allows(_ substitution: Substitution) -> Bool {
        guard origins.contains(substitution.origin) else { return false }
        for word in words where Self.contains(substitution.before, word) || Self.contains(substitution.after, word) { return false }
        return !pairs.contains { $0.before == substitution.before && $0.after == substitution.after }
    }

    /// Whether `phrase` occurs in `tokens` as a run of whole tokens.
    static func contains(_ tokens: [String], _ phrase: [String]) -> Bool {
        guard !phrase.isEmpty, phrase.count <= tokens.count else { return false }
        return (0...(tokens.count - phrase.count)).contains { start in tokens[start..<(start + phrase.count)].elementsEqual(phrase) }
    }
}
