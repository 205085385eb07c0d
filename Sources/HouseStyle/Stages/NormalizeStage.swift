import HouseStyleText
import HouseStyleYAML

/// Unicode normalisation of the prose to NFC, so that "é" written as e + combining accent and
/// "é" precomposed are one word to every later rule. Only the characters that change are edited.
public struct NormalizeStage: BuiltinStage {
    public static let stageID = BuiltinStageID.normalize
    public static let defaultList: StageList? = .pre
    public static let summary = "Normalises prose to Unicode NFC (composed characters)."
    public static let examples = [
        StageExample(style: "stages: { pre: [normalize] }", input: "Cafe\u{301} menu", expected: "Caf\u{E9} menu"),
        StageExample(style: "stages: { pre: [normalize] }", input: "`e\u{301}` stays", expected: "`e\u{301}` stays"),
    ]

    public init?(style: Style, options: StageSettings, resources: Resources) throws {}

    public func apply(to input: StageInput) throws -> StageResult {
        var edits: [Edit] = []
        for range in input.prose {
            let slice = input.bytes[range]
            // ASCII is always NFC: skip the ICU call for the common case.
            guard slice.withUnsafeBufferPointer(ByteSearch.hasNonASCII) else { continue }
            let text = String(decoding: slice, as: UTF8.self)
            guard try !Normalization.isNFC(text) else { continue }
            // Normalise word by word so an edit covers only what changes.
            var start = range.lowerBound
            var offset = range.lowerBound
            func flush(upTo end: Int) throws {
                guard start < end else { return }
                let piece = String(decoding: input.bytes[start..<end], as: UTF8.self)
                let normal = try Normalization.nfc(piece)
                if normal != piece {
                    edits.append(Edit(range: start..<end, replacement: normal, rule: "normalize",
                        reason: "Unicode normalisation (NFC)"))
                }
            }
            while offset < range.upperBound {
                if input.bytes[offset] == UInt8(ascii: " ") || input.bytes[offset] == UInt8(ascii: "\n") {
                    try flush(upTo: offset)
                    start = offset + 1
                }
                offset += 1
            }
            try flush(upTo: range.upperBound)
        }
        return StageResult(edits: edits)
    }
}
