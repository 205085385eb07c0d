import HouseStyleText

/// Something a stage noticed but did not change, reported by `check` and `--explain`.
public struct Finding: Sendable, Hashable, Codable {
    /// Bytes of the original text the finding is about (UTF-8 offsets, half-open).
    public var range: Range<Int>
    public var level: FindingLevel
    public var message: String
    /// Id of the rule or stage that reported it.
    public var rule: String
    /// For a learned edit below the confidence threshold: how sure the model was.
    public var confidence: Double?

    public init(range: Range<Int>, level: FindingLevel, message: String, rule: String, confidence: Double? = nil) {
        self.range = range
        self.level = level
        self.message = message
        self.rule = rule
        self.confidence = confidence
    }
}
