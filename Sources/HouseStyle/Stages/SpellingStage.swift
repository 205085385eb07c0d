import HouseStyleText
import HouseStyleYAML

/// Changes spelling variants between British and American English (colour/color,
/// organise/organize, centre/center, travelled/traveled, catalogue/catalog, ...).
///
/// The table comes from SCOWL's British-only and American-only word lists paired by explicit
/// variant rules at set-up time (`scripts/build_spelling_table.py`); words whose spelling
/// depends on meaning (practice/practise, program/programme, license/licence, ...) are never in it.
public struct SpellingStage: Sendable {
    public enum Variety: String, Sendable, CaseIterable {
        case british = "en-GB"
        case american = "en-US"
    }

    public let target: Variety
    private let table: [String: String]

    /// - Parameter pairs: British and American spellings of the same word, lower case.
    public init(target: Variety, pairs: [(british: String, american: String)]) {
        self.target = target
        var table: [String: String] = [:]
        for pair in pairs {
            switch target {
            case .british: table[pair.american] = pair.british
            case .american: table[pair.british] = pair.american
            }
        }
        self.table = table
    }

    private static let possessives = ["'s", "\u{2019}s"]

    public func apply(to text: RuleText) -> [Edit] {
        var edits: [Edit] = []
        for token in text.words where !token.isNumber {
            var word = text.string(token.range)
            var suffix = ""
            for possessive in Self.possessives where word.hasSuffix(possessive) {
                suffix = possessive
                word.removeLast(possessive.count)
            }
            let casing = Casing(of: word)
            guard casing != .mixed, let replacement = table[word.lowercased()] else { continue }
            edits.append(Edit(
                range: token.range, replacement: casing.apply(to: replacement) + suffix, rule: "spelling",
                reason: "\(target.rawValue) spelling: '\(replacement)' not '\(word.lowercased())'"))
        }
        return edits
    }
}

extension SpellingStage: BuiltinStage {
    public static let stageID = BuiltinStageID.spelling
    public static let summary = "Writes British or American spelling variants (`spelling`)."
    public static let examples = [
        StageExample(style: "spelling: en-GB", input: "Organize the color catalog.", expected: "Organise the colour catalogue."),
        StageExample(style: "spelling: en-US", input: "The centre travelled.", expected: "The center traveled."),
        StageExample(style: "spelling: en-GB", input: "Practice the program.", expected: "Practice the program."),
    ]

    public init?(style: Style, options: YAMLNode?, resources: Resources) throws {
        try rejectOptions(options, stage: Self.stageID)
        let variety: Variety
        switch style.spelling {
        case .keep: return nil
        case .british: variety = .british
        case .american: variety = .american
        }
        self.init(target: variety, pairs: try resources.spellingPairs())
    }

    public func apply(to input: StageInput) throws -> StageResult { StageResult(edits: apply(to: input.rules)) }
}
