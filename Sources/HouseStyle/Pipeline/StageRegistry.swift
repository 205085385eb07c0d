import HouseStyleYAML

/// The built-in stages, one explicit list sorted by id. `stages` in a style file names them.
public struct StageRegistry: Sendable {
    public let stages: [any BuiltinStage.Type]

    public static let builtin = StageRegistry(stages: [
        AvoidStage.self,
        ContractionsStage.self,
        LearnedStage.self,
        MarkdownStage.self,
        NormalizeStage.self,
        PunctuationStage.self,
        SegmentStage.self,
        SmartQuotesStage.self,
        SpellingStage.self,
        TermsStage.self,
    ])

    /// Stages that carry a rule of the style file: they run even when `stages` does not list
    /// them, so no rule is silently dropped.
    public static let ruleStageIDs: [BuiltinStageID] = [.terms, .avoid, .spelling, .contractions, .punctuation, .smartQuotes]

    public func type(for id: BuiltinStageID) -> (any BuiltinStage.Type)? {
        stages.first { $0.stageID == id }
    }

    /// The stage for `id`, or nil when the style does not ask for its work.
    /// - Throws: `StageError.unavailable` for an id this build has no stage for.
    public func make(_ id: BuiltinStageID, style: Style, options: YAMLNode?, resources: Resources) throws -> (any Stage)? {
        guard let type = type(for: id) else { throw StageError.unavailable(stage: id.rawValue) }
        return try type.init(style: style, options: options, resources: resources)
    }
}
