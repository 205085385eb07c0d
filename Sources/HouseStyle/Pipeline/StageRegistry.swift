/// The built-in stages and document steps: the ids a style file's `stages` lists may name.
///
/// Stages are listed in the order they run when a style lists none (and rule stages that a
/// style configures but does not list run in this order too). Everything else about a stage
/// (its settings, options, default list, whether it carries a rule) is declared by the stage.
public struct StageRegistry: Sendable {
    public let stages: [any BuiltinStage.Type]
    /// `markdown` and `segment`: settings of how a document is read, named in `stages.pre`.
    public let documentSteps: [DocumentStep]
    /// Every id a style file may name: stages of the default `pre` list, the document steps, the
    /// other stages.
    public let ids: [BuiltinStageID]
    /// The stages that carry a rule of the style file: they run even when `stages` does not
    /// list them, so no rule is silently dropped.
    public let ruleStageIDs: [BuiltinStageID]
    /// The rule stages whose edits and findings `rules` may name (`terms` and `avoid` entries
    /// name themselves).
    public let namedRuleStageIDs: [BuiltinStageID]
    /// The stages whose level `levels` may set.
    public let leveledIDs: [BuiltinStageID]
    /// The style file keys of every stage, in registry order.
    public let settings: [AnyStageSetting]

    public static let builtin = StageRegistry(stages: [
        NormalizeStage.self,
        TermsStage.self,
        AvoidStage.self,
        SpellingStage.self,
        ContractionsStage.self,
        PunctuationStage.self,
        SmartQuotesStage.self,
        LearnedStage.self,
    ])

    public init(stages: [any BuiltinStage.Type], documentSteps: [DocumentStep] = DocumentStep.all) {
        self.stages = stages
        self.documentSteps = documentSteps
        // Closures, not key paths: key paths to static members of an existential metatype crash
        // the compiler (Swift 6.3).
        let pre = stages.filter { $0.defaultList == .pre }.map { $0.stageID }
        ids = pre + documentSteps.map { $0.id } + stages.map { $0.stageID }.filter { !pre.contains($0) }
        ruleStageIDs = stages.filter { $0.carriesRule }.map { $0.stageID }
        namedRuleStageIDs = ruleStageIDs.filter { $0 != .terms && $0 != .avoid }
        leveledIDs = stages.filter { $0.takesLevel }.map { $0.stageID }
        settings = stages.flatMap { $0.settings }
    }

    /// `stages.pre` of a style that sets none: the `pre` stages, then the document steps.
    public var defaultPre: [StageSpec] {
        stages.filter { $0.defaultList == .pre }.map { .builtin($0.stageID) } + documentSteps.map { .builtin($0.id) }
    }

    /// `stages.post` of a style that sets none.
    public var defaultPost: [StageSpec] { stages.filter { $0.defaultList == .post }.map { .builtin($0.stageID) } }

    public func type(for id: BuiltinStageID) -> (any BuiltinStage.Type)? {
        stages.first { $0.stageID == id }
    }

    /// The id named `name`, or nil when neither a stage nor a document step has it.
    public func id(named name: String) -> BuiltinStageID? { ids.first { $0.rawValue == name } }

    /// The stage for `id`, or nil when the style does not ask for its work.
    /// - Throws: `StageError.unavailable` for an id this build has no stage for.
    public func make(_ id: BuiltinStageID, style: Style, options: StageSettings?, resources: Resources) throws -> (any Stage)? {
        guard let type = type(for: id) else { throw StageError.unavailable(stage: id.rawValue) }
        return try type.init(style: style, options: options ?? StageSettings(), resources: resources)
    }
}

/// A setting of how a document is read, named in `stages.pre` like a stage, that changes no
/// text itself: `markdown` (Markdown structure is protected) and `segment` (words and
/// sentences are found with ICU, which always happens; the id is accepted and has no effect).
public struct DocumentStep: Sendable {
    public let id: BuiltinStageID
    /// One line for the docs.
    public let summary: String
    public let examples: [StageExample]

    public static let all: [DocumentStep] = [markdown, segment]

    /// Listed, `.md` and `.markdown` files (and stdin) are read as Markdown: code, front
    /// matter, URLs, link targets, HTML and table pipes become protected text that no stage
    /// edits. Unlisted, every file is plain text, where only URLs and e-mail addresses are protected.
    public static let markdown = DocumentStep(
        id: .markdown, summary: "Protects Markdown structure (code, links, front matter, HTML) from edits.",
        examples: [
            StageExample(style: "stages: { pre: [markdown] }\nterms:\n  - use: Acme Cloud\n    instead_of: [acme cloud]",
                         input: "Use acme cloud, not `acme cloud` or [acme cloud](https://acme cloud.example).",
                         expected: "Use Acme Cloud, not `acme cloud` or [Acme Cloud](https://acme cloud.example)."),
        ])

    /// Words are always segmented for the rules (ICU), listed or not; the id is kept so that
    /// styles naming it stay valid. It takes no options.
    public static let segment = DocumentStep(
        id: .segment, summary: "Words are always segmented with ICU; the id is accepted and changes nothing.",
        examples: [
            StageExample(style: "stages: { pre: [segment] }", input: "Dr. Smith met Mr. Jones.", expected: "Dr. Smith met Mr. Jones."),
        ])
}
