/// A learned candidate edit the rewriter considered and did not propose, and why: what
/// `housestyle rewrite --explain --refusals` lists beside the edits and findings, so that a writer
/// (or whoever tunes a style) can see why a word the style dislikes was left as it is.
/// (Candidates that `rewrite.preserve` keeps out are `GuardEvent`s, listed with them.)
public struct Refusal: Sendable, Hashable, Codable {
    /// Why, as a stable code (`housestyle eval` counts them by it).
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        /// Deleting the words would leave a word without what it needs, or end the sentence badly.
        case deletion
        /// The words are a topic of the document (they recur in it), which only an editors' edit of
        /// a longer phrase, a word of the contrast's manner or a settled fill of a word the voice
        /// never writes may replace.
        case topic
        /// The voice never writes the new words beside the words around the slot (or on one side
        /// only, with no voice scorer to vouch for the edit).
        case sides
        /// The new words change the number, tense or person of the old.
        case inflection
        /// The edit would break the sentence's grammar (a word twice, a past form after an
        /// auxiliary, an object left behind, …): `detail` says which.
        case grammar
        /// The voice language model and the edit's statistics score it at or below zero.
        case score
        /// A longer phrase over the same words, of the same source and seen more often, goes first.
        case longerPhrase = "longer-phrase"
        /// The sentence has more candidates than the search takes, and this one scored lower.
        case shortlist
        /// The voice scorer already puts the sentence in the voice (the on-voice gate).
        case onVoice = "on-voice"
        /// Deleting the words does not move the voice scorer towards the voice enough: they do
        /// not carry the sentence off the voice.
        case occlusion
        /// The voice scorer does not prefer the sentence with the edit.
        case noGain = "no-gain"
        /// The search chose the edit, but with it the sentence's meaning changed more than
        /// `rewrite.min_similarity` allows (the first such edit is a finding; those after it are these).
        case meaning
        /// Other edits of the sentence were chosen: they cover the same words, or score higher.
        case notChosen = "not-chosen"
    }

    /// UTF-8 byte range of the words the edit would change, in the text the rewriter saw.
    public var range: Range<Int>
    /// The words as written, and what the candidate would write (empty: a deletion).
    public var before: String
    public var after: String
    public var origin: EditOrigin
    public var reason: Reason
    /// The reason in words, with its figures.
    public var detail: String

    public init(range: Range<Int>, before: String, after: String, origin: EditOrigin, reason: Reason, detail: String) {
        self.range = range
        self.before = before
        self.after = after
        self.origin = origin
        self.reason = reason
        self.detail = detail
    }
}
