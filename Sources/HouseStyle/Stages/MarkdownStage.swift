import HouseStyleText
import HouseStyleYAML

/// Recognises Markdown structure in `.md` and `.markdown` files (and stdin): code, front
/// matter, URLs, link targets, HTML and table pipes become protected text that no stage edits.
/// Without this stage every file is plain text, where only URLs and e-mail addresses are protected.
public struct MarkdownStage: BuiltinStage {
    public static let stageID = BuiltinStageID.markdown
    public static let summary = "Protects Markdown structure (code, links, front matter, HTML) from edits."
    public static let examples = [
        StageExample(style: "stages: { pre: [markdown] }\nterms:\n  - use: Acme Cloud\n    instead_of: [acme cloud]",
                     input: "Use acme cloud, not `acme cloud` or [acme cloud](https://acme cloud.example).",
                     expected: "Use Acme Cloud, not `acme cloud` or [Acme Cloud](https://acme cloud.example)."),
    ]

    public init?(style: Style, options: YAMLNode?, resources: Resources) throws {
        try rejectOptions(options, stage: Self.stageID)
    }

    /// The structure is found when the document is read (`Pipeline.parsesMarkdown`); the stage
    /// itself changes nothing.
    public func apply(to input: StageInput) throws -> StageResult { StageResult() }
}

/// Sentence and word segmentation with ICU. Words are always segmented for the rules; this
/// stage sets the locale's abbreviation list used for sentences (`abbreviations` option).
public struct SegmentStage: BuiltinStage {
    public static let stageID = BuiltinStageID.segment
    public static let summary = "Splits prose into sentences and words with ICU; option `abbreviations` adds to the list."
    public static let examples = [
        StageExample(style: "stages: { pre: [segment] }", input: "Dr. Smith met Mr. Jones.", expected: "Dr. Smith met Mr. Jones."),
    ]

    public let abbreviations: [String]

    public init?(style: Style, options: YAMLNode?, resources: Resources) throws {
        guard let options else { abbreviations = []; return }
        guard let entries = options.mapping else {
            throw StageError.invalidOptions(stage: Self.stageID.rawValue, message: "options must be a mapping such as { abbreviations: [Approx.] }")
        }
        var abbreviations: [String] = []
        for entry in entries {
            guard entry.key.scalar?.text == "abbreviations", let items = entry.value.sequence else {
                throw StageError.invalidOptions(stage: Self.stageID.rawValue,
                    message: "unknown option '\(entry.key.scalar?.text ?? "?")' at line \(entry.key.mark.line), column \(entry.key.mark.column); the option is 'abbreviations'")
            }
            abbreviations += items.compactMap { $0.scalar?.text }
        }
        self.abbreviations = abbreviations
    }

    public func apply(to input: StageInput) throws -> StageResult { StageResult() }
}
