import HouseStyleText

/// Where an edit came from, shown by `--explain`.
public enum EditOrigin: Sendable, Hashable, Codable {
    /// A rule of the style file (terms, avoid, spelling, contractions, punctuation).
    case rule
    /// A substitution learned from editor revisions (`corpus.pairs`).
    case pair
    /// One of several ways editors change a word they change nearly everywhere, none of them
    /// precise enough to be a `pair` edit by itself (`corpus.pairs`; ParaDetox's "shit" ->
    /// deleted, "thing", "things"): the voice scorer chooses among them in context, and
    /// calibration judges them apart from the precise editors' edits.
    case pairAlternative
    /// A thesaurus substitution filtered by the voice model.
    case thesaurus
    /// A slot filled with what the nearest on-voice sentences say in the same context
    /// (delete-retrieve-fill over the voice and contrast corpora).
    case retrieval
    /// A substitution of a word the voice uses in similar contexts (corpus word vectors); such
    /// words are siblings or antonyms as often as paraphrases, so these need other evidence.
    case vectors
    /// The editors' own edits of a revision they made to a sentence nearly the same
    /// (`corpus.pairs` kept whole: `EditorsMemory`).
    case memory
    /// An external stage, by its command name.
    case external(String)

    /// The editors' own edits (`pair`, `memory`): they need no voice scorer's occlusion to say
    /// where they go, nor the voice's words on both sides of the slot.
    var isEditorsOwn: Bool { self == .pair || self == .memory }
}

/// One explicit change to a document: replace `range` of the original text with `replacement`.
///
/// Ranges are UTF-8 byte offsets into the original text, so text outside edits stays
/// byte-for-byte identical when the edits are applied.
public struct Edit: TextReplacement, Sendable, Hashable, Codable {
    /// Bytes of the original text this edit replaces (UTF-8 offsets, half-open).
    public var range: Range<Int>
    /// The new text.
    public var replacement: String
    /// Id of the rule or stage that made the edit, e.g. `terms`, `spelling`, or the `rule` of the
    /// `terms` or `avoid` entry that made it (`Microsoft.Avoid`).
    public var rule: String
    /// Why the edit was made, in words a writer understands.
    public var reason: String
    /// How sure the producer is, 0...1.
    public var confidence: Double
    /// Where the edit came from.
    public var origin: EditOrigin
    /// How serious `check` reports the edit, when the style sets a level for its rule (`level` of a
    /// `terms` or `avoid` entry, or `levels`); nil reports it by its confidence.
    public var level: FindingLevel?
    /// The id of the stage that made the edit when `rule` is an entry's own name (`terms` for
    /// `Microsoft.Terms`); nil when `rule` is the stage's id.
    public var stage: String?

    /// The id of the stage that made the edit.
    public var stageID: String { stage ?? rule }

    public init(
        range: Range<Int>, replacement: String, rule: String, reason: String,
        confidence: Double = 1, origin: EditOrigin = .rule, level: FindingLevel? = nil, stage: String? = nil
    ) {
        self.range = range
        self.replacement = replacement
        self.rule = rule
        self.reason = reason
        self.confidence = confidence
        self.origin = origin
        self.level = level
        self.stage = stage
    }
}

/// How serious a finding is. Ordered: `suggestion < warning < error`.
public enum FindingLevel: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    case suggestion, warning, error

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
