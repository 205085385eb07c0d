/// A style's trained model as rewriting and scoring use it, loaded from its bundle by
/// `ModelBundle.load(_:recipe:resources:)`: the statistics, and what the recipe's other learners
/// made.
public struct LearnedModel: Sendable {
    /// The vocabulary, language model, salience and substitutions.
    public var statistics: StyleModel
    /// The fine-tuned voice scorer with its frozen encoder; nil when the recipe has none or the
    /// bundle was trained without one.
    public var voice: NeuralVoice?
    /// Which learned edits are applied from which score; nil when the corpora were too small to hold material out.
    public var calibration: Calibration?

    public init(statistics: StyleModel, voice: NeuralVoice? = nil, calibration: Calibration? = nil) {
        self.statistics = statistics
        self.voice = voice
        self.calibration = calibration
    }
}
