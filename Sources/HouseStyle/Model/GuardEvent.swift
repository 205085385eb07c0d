import HouseStyleText

/// A learned edit that a factual guard (`rewrite.preserve`) kept out of a rewrite: it would have
/// changed a number, a name or a negation. `housestyle eval` reports them.
public struct GuardEvent: Sendable, Hashable, Codable {
    /// What the guard protected: `.numbers`, `.entities` or `.negation`.
    public var kind: PreservedKind
    /// UTF-8 byte range of the protected words in the text the rewriter saw.
    public var range: Range<Int>
    /// The words as written, and the replacement the learned edit proposed (empty: a deletion).
    public var before: String
    public var after: String
    public var origin: EditOrigin

    public init(kind: PreservedKind, range: Range<Int>, before: String, after: String, origin: EditOrigin) {
        self.kind = kind
        self.range = range
        self.before = before
        self.after = after
        self.origin = origin
    }

    init(_ kind: PreservedKind, _ text: RuleText, words: ClosedRange<Int>, substitution: Substitution) {
        let range = text.words[words.lowerBound].range.lowerBound..<text.words[words.upperBound].range.upperBound
        self.init(kind: kind, range: range, before: text.string(range), after: substitution.afterText, origin: substitution.origin)
    }
}
