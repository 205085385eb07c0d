import HouseStyleText
import HouseStyleYAML

/// Changes spelling variants between British and American English (colour/color,
/// organise/organize, centre/center, travelled/traveled, catalogue/catalog, ...).
///
/// The table comes from SCOWL's British-only and American-only word lists paired by explicit
/// variant rules at set-up time (`scripts/build_spelling_table.py`); words whose spelling
/// depends on meaning (practice/practise, program/programme, license/licence, ...) are never in it.
public struct SpellingStage: Sendable {
    /// `keep` changes nothing.
    public let target: SpellingPolicy

    private struct Pair: Sendable {
        var source: LowercaseForm
        var target: String
        /// The edit's reason when the word as written is ASCII (its lower case is then `source`).
        var reason: String
    }

    /// Source spelling (lower case) to target spelling, by `WordKey` of the source.
    private let table: WordKeyTable<Pair>

    /// - Parameter pairs: British and American spellings of the same word, lower case.
    public init(target: SpellingPolicy, pairs: [(british: String, american: String)]) {
        self.target = target
        var table: [UInt64: [Pair]] = [:]
        for pair in pairs where target != .keep {
            let (source, goal) = target == .british ? (pair.american, pair.british) : (pair.british, pair.american)
            table[WordKey.of(word: source), default: []].append(Pair(
                source: LowercaseForm(source), target: goal,
                reason: "\(target.rawValue) spelling: '\(goal)' not '\(source)'"))
        }
        self.table = WordKeyTable(table)
    }

    public func apply(to text: RuleText) -> [Edit] {
        var edits: [Edit] = []
        let bytes = text.bytes
        var index = 0
        while true {
            // Words no pair's key may have (most) are passed over in one loop.
            index = text.words.withUnsafeBufferPointer { table.firstPossible(in: $0, from: index) }
            guard index < text.words.count else { break }
            let token = text.words[index]
            index += 1
            guard !token.isNumber else { continue }
            let candidates = table.range(of: token.key)
            guard !candidates.isEmpty else { continue }
            // Strip a possessive ('s or ’s) to look the word up; it is put back after.
            var end = token.range.upperBound
            if token.range.count > 2, bytes[end - 2] == 0x27, bytes[end - 1] | 0x20 == 0x73 {
                end -= 2
            } else if token.range.count > 4, bytes[end - 4] == 0xE2, bytes[end - 3] == 0x80, bytes[end - 2] == 0x99,
                bytes[end - 1] | 0x20 == 0x73 {
                end -= 4
            }
            let written = bytes[token.range.lowerBound..<end]
            guard let pair = table.entries[candidates].first(where: { $0.source.matches(written) }) else { continue }
            let casing = Casing(of: written)
            guard casing != .mixed else { continue }
            var replacement = casing.apply(to: pair.target)
            if end < token.range.upperBound { replacement += text.string(end..<token.range.upperBound) }
            let reason = pair.source.isASCII && !RuleText.hasNonASCII(written) ? pair.reason
                : "\(target.rawValue) spelling: '\(pair.target)' not '\(text.string(token.range.lowerBound..<end).lowercased())'"
            edits.append(Edit(range: token.range, replacement: replacement, rule: "spelling", reason: reason))
        }
        return edits
    }
}

/// `spelling`: which spelling variants to use.
public enum SpellingPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    case british = "en-GB"
    case american = "en-US"
    case keep
}

extension SpellingStage: BuiltinStage {
    public enum Settings {
        public static let spelling = StageSetting<SpellingPolicy>(
            "spelling", default: .keep, summary: "Spelling variants: en-GB (organise, colour), en-US (organize, color), or keep them as written.")
    }

    public static let stageID = BuiltinStageID.spelling
    public static let settings = [Settings.spelling.erased]
    public static let defaultList: StageList? = .post
    public static let carriesRule = true
    public static let summary = "Writes British or American spelling variants (`spelling`)."
    public static let examples = [
        StageExample(style: "spelling: en-GB", input: "Organize the color catalog.", expected: "Organise the colour catalogue."),
        StageExample(style: "spelling: en-US", input: "The centre travelled.", expected: "The center traveled."),
        StageExample(style: "spelling: en-GB", input: "Practice the program.", expected: "Practice the program."),
    ]

    public init?(style: Style, options: StageSettings, resources: Resources) throws {
        guard style.spelling != .keep else { return nil }
        self.init(target: style.spelling, pairs: try resources.spellingPairs())
    }

    public func apply(to input: StageInput) throws -> StageResult { StageResult(edits: apply(to: input.rules)) }
}

extension Style {
    /// `spelling`. Default: `keep` (spelling is not changed).
    public var spelling: SpellingPolicy {
        get { self[SpellingStage.Settings.spelling] }
        set { self[SpellingStage.Settings.spelling] = newValue }
    }
}
