/// How a style's model is made: the statistics (with their tuning constants) and the learners
/// that join them in the same bundle. One value serves training, the freshness check and loading,
/// so a bundle is judged by the recipe it was trained with: `Trainer(style:resources:recipe:)`
/// writes the recipe's code version into the manifest, `ModelBundle.status(of:recipe:)` compares
/// it, and `ModelBundle.load(_:recipe:resources:)` loads the parts the recipe makes.
public struct ModelRecipe: Sendable {
    /// Other learners whose files join the bundle (see `BundleContributor`), in order.
    public var contributors: [any BundleContributor]
    /// The order of the voice's Kneser-Ney language model.
    public var languageModelOrder: Int

    public init(contributors: [any BundleContributor] = [], languageModelOrder: Int = 4) {
        self.contributors = contributors
        self.languageModelOrder = languageModelOrder
    }

    /// What `housestyle train` (and every command that trains first) makes: the statistics and the
    /// neural voice scorer.
    public static var standard: ModelRecipe { ModelRecipe(contributors: [VoiceScorerTrainer()]) }
    /// The statistics alone (no encoder needed).
    public static var statisticsOnly: ModelRecipe { ModelRecipe() }

    /// The code version a bundle trained with this recipe records, e.g. `0.1.0+statistics.10+voice-scorer.lora.2`.
    public var codeVersion: String { ModelManifest.codeVersion(contributors: contributors) }

    /// Whether the recipe fine-tunes the voice scorer, so that loading its bundle loads the scorer.
    public var hasVoiceScorer: Bool { contributors.contains { $0 is VoiceScorerTrainer } }

    /// The tuning constants of the statistics: which n-grams count as markers of the voice, and how
    /// many of them the substitution learners consider. Part of the code version: changing one
    /// changes what training writes, so bump `ModelManifest.codeVersion` with it.
    public enum Tuning {
        /// Salience compares n-grams of up to this many words.
        static let salienceOrder = 3
        /// An n-gram is a marker of the voice (or of off-voice text) at this salience z-score or beyond.
        static let markerZ = 2.0
        /// ... and seen at least this often on its side.
        static let markerMinimumCount = 2
        /// The share of the language model's unigram fallback spread evenly over the vocabulary (the
        /// rest follows the reference frequencies), so that no word has probability 0.
        static let uniformShareOfUnigramFallback = 0.5
        /// The off-voice markers whose thesaurus synonyms and corpus neighbours are considered, most salient first.
        static let offVoiceMarkersConsidered = 400
        /// The on-voice markers the corpus word-vector learner may substitute in.
        static let onVoiceMarkersConsidered = 2000
        /// Retrieval fills the slots of off-voice markers of at most this many words.
        static let retrievedPhraseWords = 2
        /// A thesaurus synonym is kept only when the corpora use it in contexts this similar (word-vector cosine).
        static let thesaurusContextCosine = 0.3
        /// A word the voice writes with a companion (a determiner before a noun, a particle after a
        /// verb) in at least this share of its places needs it (`Trainer.anchoringWordsThatNeedACompanion`).
        static let companionShare = 0.65
        /// The n-grams listed in the bundle's `salience.tsv`: those at this |z| or beyond.
        static let listedSalienceZ = 1.5
    }
}
