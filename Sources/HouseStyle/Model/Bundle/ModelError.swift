/// Problems with a style's trained model bundle (`models/<style>/`).
public enum ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No bundle yet.
    case missing(style: String, directory: String)
    /// The style file, a corpus file or housestyle changed since training.
    case stale(style: String, directory: String, reason: String)
    /// The bundle was trained with another recipe (or by another housestyle) than the one it is
    /// loaded with: `trained` and `expected` are the two code versions.
    case otherRecipe(style: String, directory: String, trained: String, expected: String)
    /// A bundle file is damaged, truncated or of another format version.
    case corrupt(path: String, reason: String)
    /// A bundle made for another style.
    case foreign(path: String, style: String, expected: String)
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    /// Training could not read the corpora.
    case corpus(CorpusError)
    /// A `BundleContributor` failed or broke the bundle's rules.
    case contributorFailed(name: String, reason: String)
    /// The pre-trained encoder is missing or unreadable; `reason` says where it was looked for and what to run.
    case baseModel(String)
    /// A file of the base model differs from the one the bundle was trained with (`actual` is
    /// `missing` for a file that is gone).
    case baseModelChanged(path: String, trained: String, actual: String, style: String)
    /// A bundle with a fine-tuned voice scorer cannot rewrite without the pre-trained encoder.
    case voiceScorerNeedsBaseModel(style: String, reason: String)
    /// `score` needs a fine-tuned voice scorer, and the style has no on-voice text to train one from.
    case noVoiceCorpusToScore(style: String)
    /// `score` needs a fine-tuned voice scorer, and the style's bundle was trained without one.
    case noVoiceScorer(style: String, directory: String)
    /// The parent style's adapter cannot be the starting point of this style's.
    case incompatibleParent(style: String, parent: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let style, let directory):
            return "no trained model for style '\(style)' in \(directory); run 'housestyle train \(style)'"
        case .stale(let style, let directory, let reason):
            return "the model in \(directory) is out of date (\(reason)); run 'housestyle train \(style)'"
        case .otherRecipe(let style, let directory, let trained, let expected):
            return "the model in \(directory) was trained by housestyle \(trained), and this needs one trained by \(expected); "
                + "run 'housestyle train \(style)'"
        case .corrupt(let path, let reason):
            return "\(path): broken model bundle: \(reason); run 'housestyle train --force' to rebuild it"
        case .foreign(let path, let style, let expected):
            return "\(path): this bundle was trained for style '\(style)', not '\(expected)'; run 'housestyle train \(expected) --force'"
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .unwritable(let path, let reason): return "\(path): cannot write: \(reason)"
        case .corpus(let error): return error.description
        case .contributorFailed(let name, let reason): return "training \(name) failed: \(reason)"
        case .baseModel(let reason): return reason
        case .baseModelChanged(let path, let trained, let actual, let style):
            return "\(path): SHA-256 \(actual) is not \(trained), the checksum recorded when the model of style '\(style)' was trained "
                + "on it; the base model changed: restore the files it was trained on or run 'housestyle train \(style) --force'"
        case .voiceScorerNeedsBaseModel(let style, let reason):
            return "the model of style '\(style)' includes a fine-tuned voice scorer, so rewriting needs the pre-trained encoder: \(reason)"
        case .noVoiceCorpusToScore(let style):
            return "style '\(style)' has no voice scorer to score with: it lists no on-voice text to train one from; "
                + "add corpus.voice (e.g. corpus: {voice: [corpora/\(style)/**/*.md]}) and run 'housestyle train \(style)'"
        case .noVoiceScorer(let style, let directory):
            return "style '\(style)' has no voice scorer to score with: the model in \(directory) was trained without one; "
                + "run 'housestyle train \(style) --force'"
        case .incompatibleParent(let style, let parent, let reason):
            return "style '\(style)' cannot start from the voice scorer of its parent '\(parent)': \(reason); give both the same model.lora_rank"
        }
    }
}
