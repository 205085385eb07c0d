import HouseStyleText
import HouseStyleYAML

/// What a stage sees: the text as earlier stages left it, with its structure.
///
/// All ranges are UTF-8 byte offsets into `bytes`. Protected spans never move under a stage's
/// edits (no edit may touch one), so rules can rely on them.
public struct StageInput: Sendable {
    /// The document's path, when it has one (for messages).
    public let path: String?
    /// The current text.
    public let bytes: [UInt8]
    /// Markup that is not prose: code, URLs, link targets, front matter, HTML.
    public let protectedSpans: [ProtectedSpan]
    /// The prose, outside protected spans, sorted.
    public let prose: [Range<Int>]
    /// The words and numbers of the prose, in order, from ICU word segmentation.
    public let rules: RuleText
    /// What earlier stages changed, with ranges of `bytes` (where each replacement now sits).
    /// Filled for external stages, which receive it as `edits`; empty for built-in ones.
    public var earlierEdits: [EarlierEdit] = []
    /// Whether the stage should also report what it considered and did not do, and why
    /// (`StageDiagnostic.refused`; `rewrite --explain --refusals`). It costs time, so only when asked.
    public var explainsRefusals = false

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// A change an earlier stage made: `range` of the current text replaced `original`.
public struct EarlierEdit: Sendable, Hashable {
    public var range: Range<Int>
    /// The original text it replaced.
    public var original: String
    /// The rule ids that made it, joined by `+` (e.g. `contractions+smart_quotes`).
    public var rule: String
    public var reason: String

    public init(range: Range<Int>, original: String, rule: String, reason: String) {
        self.range = range
        self.original = original
        self.rule = rule
        self.reason = reason
    }
}

/// What a stage returns. Stages never print and never exit.
public struct StageResult: Sendable {
    /// Edits on `StageInput.bytes`, sorted, non-overlapping.
    public var edits: [Edit]
    public var findings: [Finding]
    /// What the stage reports about its own work for tools (`housestyle eval`), not for the writer.
    public var diagnostics: [StageDiagnostic]

    public init(edits: [Edit] = [], findings: [Finding] = [], diagnostics: [StageDiagnostic] = []) {
        self.edits = edits
        self.findings = findings
        self.diagnostics = diagnostics
    }
}

/// Something a stage reports about its own work that is neither an edit nor a finding.
public enum StageDiagnostic: Sendable, Hashable {
    /// A learned edit that a factual guard (`rewrite.preserve`) kept out of the rewrite.
    case guarded(GuardEvent)
    /// A learned candidate edit that was considered and not proposed, with why (only when
    /// `StageInput.explainsRefusals`).
    case refused(Refusal)

    /// The same diagnostic with its range of the text moved by `transform` (to the original text).
    func mapRange(_ transform: (Range<Int>) -> Range<Int>) -> Self {
        switch self {
        case .guarded(var event):
            event.range = transform(event.range)
            return .guarded(event)
        case .refused(var refusal):
            refusal.range = transform(refusal.range)
            return .refused(refusal)
        }
    }

    var range: Range<Int> {
        switch self {
        case .guarded(let event): event.range
        case .refused(let refusal): refusal.range
        }
    }
}

/// An example of a stage at work: documentation that a test runs.
public struct StageExample: Sendable {
    /// Style file lines that configure the stage, e.g. `spelling: en-GB`.
    public var style: String
    public var input: String
    public var expected: String
    /// Files the example needs beside the style (path relative to the repository root -> text),
    /// e.g. the corpora a `learned` example is trained on first.
    public var files: [String: String]

    public init(style: String, input: String, expected: String, files: [String: String] = [:]) {
        self.style = style
        self.input = input
        self.expected = expected
        self.files = files
    }
}

/// One step of the pipeline. Built-in stages are listed in `StageRegistry`; external stages are
/// executables speaking the JSON protocol of docs/stages.md.
public protocol Stage: Sendable {
    /// The name the style file uses for the stage.
    var id: String { get }
    /// Whether the stage is told what earlier stages changed (`StageInput.earlierEdits`), which
    /// costs a pass over the composed edits. Default: false.
    var seesEarlierEdits: Bool { get }
    /// Whether the stage reads the prose words (`RuleText.words`). A stage that does not is given
    /// none, and the pipeline does not keep the word list up to date for it (a pass over every
    /// word after each stage with edits). Default: true.
    var readsWords: Bool { get }
    /// The trained model the stage runs on (the `learned` stage's), so that a tool beside the
    /// pipeline reads the same one (`score` uses its voice scorer). Default: nil.
    var learnedModel: LearnedModel? { get }
    func apply(to input: StageInput) throws -> StageResult
}

extension Stage {
    public var seesEarlierEdits: Bool { false }
    public var readsWords: Bool { true }
    public var learnedModel: LearnedModel? { nil }
}

/// Which `stages` list a built-in stage is in when the style file sets none.
public enum StageList: Sendable, Hashable {
    case pre, post
}

/// A built-in stage: made from the style (and its options in `stages`), with examples.
///
/// A stage declares everything about itself here: the style file keys it reads (`settings`),
/// the options of its entry in `stages` (`options`), where it runs by default and whether it
/// carries a rule. The decoder, `extends` merging, the style's JSON, the JSON Schema and the
/// reference docs are made from these, so a new stage is its own file plus one line in
/// `StageRegistry.builtin`.
public protocol BuiltinStage: Stage {
    static var stageID: BuiltinStageID { get }
    /// One line for `--help` and the docs.
    static var summary: String { get }
    static var examples: [StageExample] { get }
    /// The style file keys this stage reads (`spelling`, `punctuation.dashes`). Default: none.
    static var settings: [AnyStageSetting] { get }
    /// The options of its entry in a `stages` list (`{id: {option: value}}`). Default: none.
    static var options: [AnyStageSetting] { get }
    /// The list it is in when the style sets none. Default: neither.
    static var defaultList: StageList? { get }
    /// Whether it carries a rule of the style file, and so runs even when `stages` does not list
    /// it (nothing is silently dropped). Default: false.
    static var carriesRule: Bool { get }
    /// Whether `levels` may set the level of its edits and findings. Default: `carriesRule`.
    static var takesLevel: Bool { get }
    /// Nil when the style does not ask for this stage's work (e.g. `spelling: keep`).
    /// - Parameter options: the options of its entry in `stages`, checked when the style was read.
    init?(style: Style, options: StageSettings, resources: Resources) throws
}

extension BuiltinStage {
    public var id: String { Self.stageID.rawValue }
    public static var settings: [AnyStageSetting] { [] }
    public static var options: [AnyStageSetting] { [] }
    public static var defaultList: StageList? { nil }
    public static var carriesRule: Bool { false }
    public static var takesLevel: Bool { carriesRule }

    /// The stage without options (`options: nil`).
    public init?(style: Style, options: StageSettings?, resources: Resources) throws {
        try self.init(style: style, options: options ?? StageSettings(), resources: resources)
    }
}
