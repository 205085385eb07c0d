import HouseStyleText
import HouseStyle

/// A rule stage written outside the library, to show what adding one takes: this file, plus
/// the one registry line below. Its setting (`exclamations`) and option (`allow`) are read,
/// checked, merged, encoded and documented from the declarations here alone.
///
/// `exclamations: calm` writes a run of `!` as a full stop, unless the run is at most `allow`
/// long (an option of its `stages` entry: `{exclamations: {allow: 1}}`).
struct ExclamationsStage: BuiltinStage {
    enum Mode: String, Sendable, Hashable, Encodable, CaseIterable {
        case calm, keep
    }

    enum Settings {
        static let exclamations = StageSetting<Mode>("exclamations", default: .keep, summary: "calm: a run of '!' becomes '.'.")
    }

    enum Options {
        static let allow = StageSetting<Int>("allow", default: 0, range: .atLeast(0), summary: "Runs of at most this many '!' stay.")
    }

    static let stageID = BuiltinStageID("exclamations")
    static let summary = "Calms exclamation marks (`exclamations: calm`)."
    static let examples = [StageExample(style: "exclamations: calm", input: "Great!! Fine!", expected: "Great. Fine.")]
    static let settings = [Settings.exclamations.erased]
    static let options = [Options.allow.erased]
    static let defaultList: StageList? = .post
    static let carriesRule = true

    let allow: Int

    init?(style: Style, options: StageSettings, resources: Resources) throws {
        guard style[Settings.exclamations] == .calm else { return nil }
        allow = options[Options.allow]
    }

    func apply(to input: StageInput) throws -> StageResult {
        var edits: [Edit] = []
        for prose in input.prose {
            var offset = prose.lowerBound
            while offset < prose.upperBound {
                guard input.bytes[offset] == UInt8(ascii: "!") else { offset += 1; continue }
                var end = offset
                while end < prose.upperBound, input.bytes[end] == UInt8(ascii: "!") { end += 1 }
                if end - offset > allow {
                    edits.append(Edit(range: offset..<end, replacement: ".", rule: Self.stageID.rawValue, reason: "calm exclamation"))
                }
                offset = end
            }
        }
        return StageResult(edits: edits)
    }
}

extension StageRegistry {
    /// The registry line: the built-in stages and the test stage.
    static let withExclamations = StageRegistry(stages: StageRegistry.builtin.stages + [ExclamationsStage.self])
}
