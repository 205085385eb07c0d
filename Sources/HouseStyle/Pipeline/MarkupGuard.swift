import HouseStyleText

/// Keeps edits from turning prose into Markdown syntax: a deletion that leaves a line starting
/// with a list, heading or block-quote marker ("Simply 1. Open" -> "1. Open" is a list), or an
/// edit that takes the spaces out of what would then be a link destination or a reference
/// definition (`[](simply l)` -> `[](l)`, `[f]:foo bar` -> `[f]:widget`). Such an edit is not
/// applied but reported.
enum MarkupGuard {
    static func keep(_ edits: [Edit], in bytes: [UInt8]) -> (edits: [Edit], refused: [Finding]) {
        // By index, and the list copied only when an edit is refused (rarely): copying an edit
        // retains its four strings.
        var refused: [Finding] = [], refusedIndices: [Int] = []
        for index in edits.indices {
            if let why = danger(of: edits[index], in: bytes) {
                let edit = edits[index]
                let original = String(decoding: bytes[edit.range], as: UTF8.self)
                refused.append(Finding(range: edit.range, level: edit.level ?? .suggestion,
                    message: "not applied: '\(original)' -> '\(edit.replacement)' would \(why): \(edit.reason)",
                    rule: edit.rule, confidence: edit.confidence))
                refusedIndices.append(index)
            }
        }
        guard !refusedIndices.isEmpty else { return (edits, refused) }
        var kept: [Edit] = []
        kept.reserveCapacity(edits.count - refusedIndices.count)
        var next = 0
        for index in edits.indices {
            if next < refusedIndices.count && refusedIndices[next] == index { next += 1 } else { kept.append(edits[index]) }
        }
        return (kept, refused)
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    private static func danger(of edit: Edit, in bytes: [UInt8]) -> String? {
        // Whether only indentation and block-quote markers stand between the line start and the edit.
        var content = edit.range.lowerBound
        while content > 0, isSpace(bytes[content - 1]) || bytes[content - 1] == UInt8(ascii: ">") { content -= 1 }
        if content == 0 || bytes[content - 1] == 0x0A || bytes[content - 1] == 0x0D {
            let before = blockMarker(Array(bytes[edit.range.lowerBound..<min(bytes.count, edit.range.upperBound + 12)]))
            var after = Array(edit.replacement.utf8)
            after += bytes[edit.range.upperBound..<min(bytes.count, edit.range.upperBound + 12)]
            if let marker = blockMarker(after), before == nil { return "start the line with '\(marker)', a Markdown block marker" }
        }
        // Fewer spaces after a `](` or `]:` that no `)` or line end closes before the edit (at most 256 bytes back).
        let spacesBefore = bytes[edit.range].reduce(0) { $0 + (isSpace($1) ? 1 : 0) }
        guard spacesBefore > 0, edit.replacement.utf8.reduce(0, { $0 + (isSpace($1) ? 1 : 0) }) < spacesBefore else { return nil }
        var k = edit.range.lowerBound - 1
        while k > 0, edit.range.lowerBound - k < 256 {
            let byte = bytes[k]
            if byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ")") { return nil }
            if byte == UInt8(ascii: "(") || byte == UInt8(ascii: ":"), bytes[k - 1] == UInt8(ascii: "]") {
                return "join words after '\(String(decoding: [bytes[k - 1], byte], as: UTF8.self))', making a link target of text"
            }
            k -= 1
        }
        return nil
    }

    /// The block marker `text` starts with, if any: `1.` `1)` `-` `+` `*` `#`…`######` `>` followed by a space or the line's end.
    static func blockMarker(_ text: [UInt8]) -> String? {
        guard let first = text.first else { return nil }
        func endsMarker(at k: Int) -> Bool { k == text.count || isSpace(text[k]) || text[k] == 0x0A || text[k] == 0x0D }
        if first >= 0x30 && first <= 0x39 {
            var k = 0
            while k < text.count, k < 9, text[k] >= 0x30 && text[k] <= 0x39 { k += 1 }
            if k < text.count, text[k] == UInt8(ascii: ".") || text[k] == UInt8(ascii: ")"), endsMarker(at: k + 1) {
                return String(decoding: text[...k], as: UTF8.self)
            }
            return nil
        }
        if [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "*"), UInt8(ascii: ">")].contains(first), endsMarker(at: 1) || first == UInt8(ascii: ">") {
            return String(UnicodeScalar(first))
        }
        if first == UInt8(ascii: "#") {
            var k = 0
            while k < text.count, text[k] == UInt8(ascii: "#") { k += 1 }
            if k <= 6, endsMarker(at: k) { return String(repeating: "#", count: k) }
        }
        return nil
    }
}
