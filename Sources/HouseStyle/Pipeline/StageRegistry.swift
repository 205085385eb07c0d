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

extension StageRegistry {
    /// Every built-in stage with its summary and examples, as the Markdown that docs/stages.md
    /// shows between its `stage examples` markers (a test keeps the two the same).
    public func examplesMarkdown() -> String {
        var lines: [String] = []
        for type in stages {
            lines += ["#### `\(type.stageID.rawValue)`", "", type.summary, ""]
            for example in type.examples {
                let style = example.style.split(separator: "\n", omittingEmptySubsequences: false)
                lines += ["- ```yaml"] + style.map { "  " + $0 } + ["  ```"]
                lines += ["  \(Self.codeSpan(example.input)) → \(Self.codeSpan(example.expected))"]
                if !example.files.isEmpty {
                    lines += ["  (trained first on \(example.files.keys.sorted().map { "`\($0)`" }.joined(separator: ", ")))"]
                }
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// `text` as a Markdown code span, line breaks shown as `⏎`, with a fence longer than any
    /// run of backticks inside.
    static func codeSpan(_ text: String) -> String {
        let shown = text.replacingOccurrences(of: "\n", with: "⏎")
        var longest = 0, run = 0
        for character in shown {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = longest > 0 || shown.hasPrefix(" ") || shown.hasSuffix(" ") ? " \(shown) " : shown
        return fence + padded + fence
    }
}
