import HouseStyleText
import HouseStyleYAML

/// Edits learned by `housestyle train`: at off-voice sites, substitutions and deletions learned
/// from editor revisions, the thesaurus and the corpora, scored by the voice model. Those at or
/// above `rewrite.confidence` are applied; the rest are reported as findings with their confidence.
/// Numbers, names, negations (and code and URLs, which are never prose) are never changed, as
/// `rewrite.preserve` asks. When the bundle has a fine-tuned voice scorer, its verdict joins each
/// edit's score and edits that change the meaning more than `rewrite.min_similarity` allows are
/// reported, not applied (see `LearnedRewriter`). Only substitutions of the sources in
/// `learned.sources` that no `learned.never` entry vetoes are proposed.
public struct LearnedStage: Sendable {
    package private(set) var rewriter: LearnedRewriter
    public let threshold: Double
    /// Which sources are applied from which score, fitted by `train` on held-out material; nil
    /// for a bundle without it (too little held-out text), where only editors' own revisions
    /// (pair edits) are applied.
    public let calibration: Calibration?

    public init(model: StyleModel, settings: RewriteSettings, voice: NeuralVoice? = nil, calibration: Calibration? = nil) {
        rewriter = LearnedRewriter(model: model, preserve: settings.preserve, voice: voice, minSimilarity: settings.minSimilarity)
        threshold = settings.confidence
        self.calibration = calibration
        // Only proposals that may be applied go through the encoder.
        if let calibration {
            var judged: [EditOrigin: Double] = [:]
            for source in calibration.sources where source.threshold != nil {
                guard let origin = Calibration.classes.first(where: { $0.name == source.origin })?.origin else { continue }
                judged[origin] = min(judged[origin] ?? .infinity, source.judgeFrom ?? -.infinity)
            }
            rewriter.judgedOrigins = judged
            if let gate = calibration.voiceGate {
                rewriter.maxVoiceToEdit = gate
                rewriter.gatesPairs = calibration.pairsGated ?? false
            }
        } else {
            rewriter.judgedOrigins = [.pair: -.infinity]
        }
    }

    /// Whether `proposal` is applied, with its confidence (calibrated where the bundle has a calibration).
    func decide(_ proposal: LearnedRewriter.Proposal) -> (apply: Bool, edit: Edit) {
        var edit = proposal.edit
        guard let calibration else {
            return (edit.origin == .pair && edit.confidence >= threshold, edit)
        }
        let source = calibration.source(edit.origin, revisions: proposal.revisions)
        let (apply, confidence) = source?.decide(score: proposal.score) ?? (false, 0)
        edit.confidence = confidence
        edit.reason += String(format: "; held-out precision %.2f at this score", confidence)
        let what = source?.origin == Calibration.fewRevisionsClass
            ? "editors' edits made in fewer than \(Calibration.fewRevisions) revisions" : "\(edit.origin.name) edits"
        if !apply, source?.threshold == nil {
            edit.reason += "; \(what) did not reach the target precision on held-out text, so none is applied"
        } else if !apply, let from = source?.threshold {
            // A precision at this score above `rewrite.confidence` does not apply an edit below the
            // source's threshold, which also keeps the edits on held-out on-voice text within their budget.
            edit.reason += String(format: "; %@ are applied from score %.2f, where held-out edits reach the target precision and stay within the on-voice budget", what, from)
        } else if confidence < threshold {
            edit.reason += String(format: "; below rewrite.confidence %.2f", threshold)
        }
        return (apply && confidence >= threshold, edit)
    }

    public func apply(to text: RuleText) -> (edits: [Edit], findings: [Finding]) {
        var ignored: [GuardEvent] = []
        return apply(to: text, guardEvents: &ignored)
    }

    /// Edits and findings as above; `guardEvents` receives the learned edits a factual guard kept out.
    func apply(to text: RuleText, guardEvents: inout [GuardEvent]) -> (edits: [Edit], findings: [Finding]) {
        var refusals: [Refusal]? = nil
        return apply(to: text, guardEvents: &guardEvents, refusals: &refusals)
    }

    /// Edits and findings as above; `refusals`, when not nil, receives the candidates considered and not proposed.
    func apply(to text: RuleText, guardEvents: inout [GuardEvent], refusals: inout [Refusal]?) -> (edits: [Edit], findings: [Finding]) {
        var edits: [Edit] = [], findings: [Finding] = []
        for proposal in rewriter.proposals(for: text, guardEvents: &guardEvents, refusals: &refusals) {
            if proposal.meaningChanged, let voice = proposal.voice {
                let lowered = voice.requiredSimilarity(rewriter.minSimilarity)
                let required = lowered < rewriter.minSimilarity ? (lowered * 100).rounded(.up) / 100 : rewriter.minSimilarity
                let edit = proposal.edit
                let what = edit.replacement.isEmpty ? "deleting '\(text.string(edit.range))'" : "'\(text.string(edit.range))' -> '\(edit.replacement)'"
                findings.append(Finding(range: edit.range, level: .suggestion,
                    // The similarity rounded down and a lowered requirement up, so that a similarity
                    // just below the threshold never reads "0.85 < 0.85".
                    message: "not applied: \(what): meaning changed too much: similarity "
                        + String(format: "%.2f < %.2f", (voice.similarity * 100).rounded(.down) / 100, required) + ": \(edit.reason)",
                    rule: "learned", confidence: edit.confidence))
                continue
            }
            let (apply, edit) = decide(proposal)
            if apply {
                edits.append(edit)
            } else {
                let suggestion = edit.replacement.isEmpty ? "consider deleting '\(text.string(edit.range))'" : "consider '\(edit.replacement)' for '\(text.string(edit.range))'"
                findings.append(Finding(range: edit.range, level: .suggestion,
                    message: "\(suggestion) (\(edit.origin.name), confidence \(String(format: "%.2f", edit.confidence)), not applied): \(edit.reason)",
                    rule: "learned", confidence: edit.confidence))
            }
        }
        return (edits, findings)
    }
}

extension LearnedStage: BuiltinStage {
    public static let stageID = BuiltinStageID.learned
    public static let takesLevel = true
    public static let summary = "Applies substitutions and deletions learned by `housestyle train` where they make a sentence more on-voice."

    /// A tiny synthetic corpus for the examples (the tests train on it too).
    static let exampleStyle = """
        corpus:
          voice: [voice.txt]
          contrast: [contrast.txt]
          pairs: [edits.tsv]
        stages:
          post: [learned]
        """
    static let exampleFiles = [
        "voice.txt": "You can use tags to group buckets.\nUse the CLI to upload files.\nTeams use one workspace for their buckets.\nWe use keys to sign requests.\nUse a key for each app.\n",
        "contrast.txt": "Customers can utilize tags in order to group buckets.\nIt is possible to utilize the CLI for uploads.\nTeams utilize a workspace for buckets.\n",
        "edits.tsv": "Utilize tags to group buckets.\tUse tags to group buckets.\nYou can utilize the CLI.\tYou can use the CLI.\n",
    ]
    public static let examples = [
        StageExample(style: exampleStyle, input: "Teams utilize keys to sign requests.", expected: "Teams use keys to sign requests.", files: exampleFiles),
        // "Utilize" is capitalised mid-sentence: a name, which a learned edit never changes.
        StageExample(style: exampleStyle, input: "Teams at Utilize Labs sign requests.", expected: "Teams at Utilize Labs sign requests.", files: exampleFiles),
    ]

    public init?(style: Style, options: StageSettings, resources: Resources) throws {
        // `learned.sources` and `learned.never` act here, on the loaded model: no retraining.
        let filter = LearnedFilter(style.learned, tokenizer: try ModelTokenizer(locale: style.locale))
        let model = try ModelBundle.load(style, recipe: resources.modelRecipe, resources: resources)
        self.init(model: model.statistics.restricted(to: { filter.allows($0) }), settings: style.rewrite, voice: model.voice, calibration: model.calibration)
    }

    /// The model the stage runs on (its statistics restricted by `learned.sources` and `learned.never`).
    public var learnedModel: LearnedModel? { LearnedModel(statistics: rewriter.model, voice: rewriter.voice, calibration: calibration) }

    public func apply(to input: StageInput) throws -> StageResult {
        var events: [GuardEvent] = []
        var refusals: [Refusal]? = input.explainsRefusals ? [] : nil
        let (edits, findings) = apply(to: input.rules, guardEvents: &events, refusals: &refusals)
        return StageResult(edits: edits, findings: findings,
                           diagnostics: events.map(StageDiagnostic.guarded) + (refusals ?? []).map(StageDiagnostic.refused))
    }
}
