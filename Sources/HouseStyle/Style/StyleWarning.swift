import HouseStyleYAML

/// Something in a valid style that is probably not what its author meant. Printed as
/// `path:line:column: warning: message` (or `path: warning: message` without a position);
/// it never fails a command.
public struct StyleWarning: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The style has a voice corpus, so `train` learns edits, but no stage applies them.
        case voiceCorpusWithoutLearnedStage
        /// A term whose `use` is also one of its `instead_of` values, letter for letter.
        case termMapsToItself(use: String)
        /// Two terms that replace each other: every pass would change the text back.
        case termCycle(first: String, second: String)
        /// The same `avoid` word listed twice: only the first entry acts.
        case duplicateAvoid(word: String)
        /// An `instead_of` value or `avoid` word written like a regular expression; both are literal text.
        case looksLikePattern(keyPath: String, value: String)
        /// A replacement that holds the words it replaces (`page` -> `web page`).
        case replacementContainsVariant(variant: String, replacement: String)
        /// A rule's replacement that another rule would change again (`utilize` -> `use`, then `use` -> `employ`).
        case ruleChain(from: String, to: String, then: String, rule: String)
    }

    /// The style file's path, as given or found.
    public var path: String
    public var kind: Kind
    /// Where in the file, when the warning is about one entry.
    public var mark: SourceMark?

    public init(path: String, kind: Kind, mark: SourceMark? = nil) {
        self.path = path
        self.kind = kind
        self.mark = mark
    }

    public var message: String {
        switch kind {
        case .voiceCorpusWithoutLearnedStage:
            return "the style has a voice corpus but no 'learned' stage in stages.post, so 'train' learns edits that rewrite never applies"
        case .termMapsToItself(let use):
            return "the term '\(use)' lists itself in instead_of; that entry does nothing"
        case .termCycle(let first, let second):
            return "the terms '\(first)' and '\(second)' replace each other; the text would change back and forth"
        case .duplicateAvoid(let word):
            return "'\(word)' is listed twice in avoid; only the first entry acts"
        case .looksLikePattern(let keyPath, let value):
            return "'\(keyPath)' value '\(value)' looks like a regular expression, but it is matched as literal text "
                + "(use ignore.inline for patterns, or list each word)"
        case .replacementContainsVariant(let variant, let replacement):
            return "'\(variant)' -> '\(replacement)': the replacement contains the words it replaces; text that already reads "
                + "'\(replacement)' is left alone"
        case .ruleChain(let from, let to, let then, let rule):
            return "'\(from)' -> '\(to)', but \(rule) changes '\(to)' to '\(then)': one rule feeds the other "
                + "(write '\(from)' -> '\(then)' if that is meant)"
        }
    }

    public var description: String {
        guard let mark else { return "\(path): warning: \(message)" }
        return "\(mark.path):\(mark.line):\(mark.column): warning: \(message)"
    }
}

extension Style {
    /// What in this style is valid but probably unintended.
    public var warnings: [StyleWarning] {
        let path = chain.first?.path ?? name
        var warnings: [StyleWarning] = []
        if !corpus.voice.isEmpty && !usesLearnedStage {
            warnings.append(StyleWarning(path: path, kind: .voiceCorpusWithoutLearnedStage))
        }
        return warnings + ruleWarnings(path: path)
    }

    /// Terms and avoid entries that contradict, repeat or feed each other.
    func ruleWarnings(path: String) -> [StyleWarning] {
        var warnings: [StyleWarning] = []
        func warn(_ kind: StyleWarning.Kind, _ mark: SourceMark?) { warnings.append(StyleWarning(path: path, kind: kind, mark: mark)) }
        for (index, term) in terms.enumerated() {
            if term.insteadOf.contains(term.use) { warn(.termMapsToItself(use: term.use), term.mark) }
            for other in terms[(index + 1)...] where other.use.lowercased() != term.use.lowercased()
                && term.insteadOf.contains(where: { $0.lowercased() == other.use.lowercased() })
                && other.insteadOf.contains(where: { $0.lowercased() == term.use.lowercased() }) {
                warn(.termCycle(first: term.use, second: other.use), other.mark)
            }
            for variant in term.insteadOf where Self.looksLikePattern(variant) {
                warn(.looksLikePattern(keyPath: "terms.instead_of", value: variant), term.mark)
            }
            for variant in term.insteadOf where variant.lowercased() != term.use.lowercased() && Self.containsWords(term.use, variant) {
                warn(.replacementContainsVariant(variant: variant, replacement: term.use), term.mark)
            }
        }
        var seen = Set<String>()
        for rule in avoid {
            if !seen.insert(rule.word.lowercased()).inserted { warn(.duplicateAvoid(word: rule.word), rule.mark) }
            if Self.looksLikePattern(rule.word) { warn(.looksLikePattern(keyPath: "avoid.word", value: rule.word), rule.mark) }
        }
        // Chains: a replacement that a term variant or an avoid word with a replacement matches.
        let replacements: [(from: String, to: String, mark: SourceMark?)] =
            terms.flatMap { term in term.insteadOf.filter { $0 != term.use }.map { ($0, term.use, term.mark) } }
            + avoid.compactMap { rule in rule.instead.map { (rule.word, $0, rule.mark) } }
        let rewriters: [(match: String, then: String, rule: String)] =
            terms.flatMap { term in term.insteadOf.map { ($0, term.use, "terms") } }
            + avoid.compactMap { rule in rule.instead.map { (rule.word, $0, "avoid") } }
        for replacement in replacements {
            for rewriter in rewriters where rewriter.then.lowercased() != replacement.to.lowercased()
                && rewriter.then.lowercased() != replacement.from.lowercased()  // a cycle, reported above
                && rewriter.match.lowercased() != replacement.from.lowercased()
                && !Self.containsWords(replacement.from, rewriter.match)
                && Self.containsWords(replacement.to, rewriter.match) {
                warn(.ruleChain(from: replacement.from, to: replacement.to, then: rewriter.then, rule: rewriter.rule), replacement.mark)
                break
            }
        }
        return warnings.sorted { ($0.mark?.line ?? 0, $0.mark?.column ?? 0) < ($1.mark?.line ?? 0, $1.mark?.column ?? 0) }
    }

    /// Whether `phrase` holds `words` as whole words, ignoring case.
    static func containsWords(_ phrase: String, _ words: String) -> Bool {
        let phrase = phrase.lowercased(), words = words.lowercased()
        guard !words.isEmpty, words.count <= phrase.count else { return false }
        var search = phrase.startIndex
        while let found = phrase.range(of: words, range: search..<phrase.endIndex) {
            let before = found.lowerBound == phrase.startIndex || !phrase[phrase.index(before: found.lowerBound)].isLetter
            let after = found.upperBound == phrase.endIndex || !phrase[found.upperBound].isLetter
            if before && after { return true }
            search = phrase.index(after: found.lowerBound)
        }
        return false
    }

    /// Text that reads as a regular expression rather than words: `\b`, `\d`, `.*`, `[a-z]`, `(a|b)`, a leading `^` or trailing `$`.
    static func looksLikePattern(_ text: String) -> Bool {
        if text.hasPrefix("^") || (text.hasSuffix("$") && text.count > 1) || text.utf8.contains(UInt8(ascii: "\\")) { return true }
        if let mark = text.firstIndex(of: "?"), mark != text.index(before: text.endIndex) { return true }  // colou?r
        // Every marker below has one of these: most words have none, and a style may list 200,000 of them.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: "|")
                                          || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]") || $0 == UInt8(ascii: ")") }) else { return false }
        for marker in ["\\b", "\\d", "\\w", "\\s", ".*", ".+", "(?", "|", "[a-z", "[A-Z", "[0-9", "]+", "]*", ")?", ")+", ")*"] where text.contains(marker) {
            return true
        }
        return false
    }
}
