/// The ids of the built-in stages, as written in a style file's `stages` lists.
///
/// The pipeline backs each id with one stage type; this list is what a style file is checked
/// against, so an unknown id is an error with a suggestion.
public enum BuiltinStageID: String, CaseIterable, Sendable, Hashable, Codable {
    /// Unicode normalisation (NFC) and line endings.
    case normalize
    /// Markdown structure becomes protected spans (code, URLs, front matter, HTML, ...).
    case markdown
    /// Sentence and word segmentation of the prose.
    case segment
    /// `terms`: enforced terminology.
    case terms
    /// `avoid`: words to avoid, with replacements where given.
    case avoid
    /// `spelling`: British or American spelling variants.
    case spelling
    /// `contractions`: prefer or avoid contractions.
    case contractions
    /// `punctuation`: Oxford comma, dashes, ellipsis.
    case punctuation
    /// Curly quotes and apostrophes.
    case smartQuotes = "smart_quotes"
    /// Edits proposed by the trained style model.
    case learned
}

extension BuiltinStageID {
    /// The stages whose edits and findings `levels` may set the level of: the rule stages and `learned`.
    public static let leveled: [BuiltinStageID] = [.terms, .avoid, .spelling, .contractions, .punctuation, .smartQuotes, .learned]
}
