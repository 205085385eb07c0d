/// The id of a built-in stage or document setting, as written in a style file's `stages` lists.
///
/// The ids a style file may name are those of `StageRegistry.builtin` (`allCases`): a stage
/// declares its own id, so a new stage needs no change here.
public struct BuiltinStageID: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Any id; a style file's ids are checked against the registry when it is read.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// An id of `StageRegistry.builtin`, or nil.
    public init?(rawValue: String) {
        guard StageRegistry.builtin.ids.contains(where: { $0.rawValue == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = Self(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown stage '\(text)'"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static let normalize = BuiltinStageID("normalize")
    public static let markdown = BuiltinStageID("markdown")
    public static let segment = BuiltinStageID("segment")
    public static let terms = BuiltinStageID("terms")
    public static let avoid = BuiltinStageID("avoid")
    public static let spelling = BuiltinStageID("spelling")
    public static let contractions = BuiltinStageID("contractions")
    public static let punctuation = BuiltinStageID("punctuation")
    public static let smartQuotes = BuiltinStageID("smart_quotes")
    public static let learned = BuiltinStageID("learned")

    /// Every id a style file may name, in the order of `StageRegistry.builtin`.
    public static var allCases: [BuiltinStageID] { StageRegistry.builtin.ids }
    /// The stages whose edits and findings `levels` may set the level of: the rule stages and `learned`.
    public static var leveled: [BuiltinStageID] { StageRegistry.builtin.leveledIDs }
}
