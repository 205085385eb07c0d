/// A set of edits that cannot be applied to a document.
public enum DocumentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An edit reaches past the end of the text.
    case editOutOfBounds(rule: String, range: Range<Int>, textLength: Int)
    /// An edit starts or ends inside a multi-byte UTF-8 character.
    case editSplitsCharacter(rule: String, range: Range<Int>, offset: Int, location: SourceLocation)
    /// An edit changes bytes of a protected span (code, URL, markup, …).
    case editTouchesProtectedSpan(rule: String, range: Range<Int>, location: SourceLocation, span: ProtectedSpan)
    /// Two edits change the same bytes (or insert at the same place).
    case overlappingEdits(
        firstRule: String, firstRange: Range<Int>, secondRule: String, secondRange: Range<Int>,
        location: SourceLocation)

    public var description: String {
        switch self {
        case let .editOutOfBounds(rule, range, length):
            "edit by rule '\(rule)' covers bytes \(Self.bytes(range)) but the text has \(length) bytes"
        case let .editSplitsCharacter(rule, range, offset, location):
            "edit by rule '\(rule)' at \(location) (bytes \(Self.bytes(range))) splits a UTF-8 character at byte \(offset)"
        case let .editTouchesProtectedSpan(rule, range, location, span):
            "edit by rule '\(rule)' at \(location) (bytes \(Self.bytes(range))) touches a protected \(span.kind)"
                + " (bytes \(Self.bytes(span.range))); edits may change prose only"
        case let .overlappingEdits(firstRule, firstRange, secondRule, secondRange, location):
            "edit by rule '\(secondRule)' at \(location) (bytes \(Self.bytes(secondRange))) overlaps edit by rule"
                + " '\(firstRule)' (bytes \(Self.bytes(firstRange))); only one of them can be applied"
        }
    }

    private static func bytes(_ range: Range<Int>) -> String { "\(range.lowerBound)..<\(range.upperBound)" }
}
