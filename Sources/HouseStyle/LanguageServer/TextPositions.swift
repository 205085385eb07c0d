/// Converts between UTF-8 byte offsets of a text (as edits and findings give them) and the
/// positions of the Language Server Protocol: a 0-based line and a 0-based character counted in
/// UTF-16 code units within the line (so an astral character such as an emoji is two).
///
/// Lines end at `\n`, `\r\n` or a lone `\r`, as LSP says; a line's characters do not include its
/// line break. A byte order mark is a character like any other: the client's text has it.
struct TextPositions: Sendable {
let text: String
    /// The byte offset where each line starts; the first is 0.
    private let lineStarts: [Int]
    private let bytes: [UInt8]

init(_ text: String) {
        self.text = text
        let bytes = Array(text.utf8)
        var starts = [0]
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case 0x0A:
                starts.append(index + 1)
            case 0x0D:
                if index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
                starts.append(index + 1)
            default:
                break
            }
            index += 1
        }
        self.bytes = bytes
        lineStarts = starts
    }

var lineCount: Int { lineStarts.count }

    /// The position of a byte offset (`0...byteCount`). An offset inside a character gets that
    /// character's position.
func position(ofByte offset: Int) -> Position {
        precondition(offset >= 0 && offset <= bytes.count, "offset \(offset) outside 0...\(bytes.count)")
        var low = 0
        var high = lineStarts.count
        while high - low > 1 {
            let mid = (low + high) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid }
        }
        var end = offset
        while end > lineStarts[low] && end < bytes.count && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        var units = 0
        for index in lineStarts[low]..<end {
            units += Self.utf16Units(leadByte: bytes[index])
        }
        return Position(line: low, character: units)
    }

    /// The byte offset of a position. As LSP asks, a character past the end of its line means the
    /// end of the line (before its line break), and a line past the last means the end of the
    /// text; a character in the middle of a surrogate pair means the start of that character.
func byteOffset(of position: Position) -> Int {
        guard position.line >= 0 else { return 0 }
        guard position.line < lineStarts.count else { return bytes.count }
        let end = lineContentEnd(position.line)
        var index = lineStarts[position.line]
        var units = 0
        while index < end {
            let width = Self.utf16Units(leadByte: bytes[index])
            if units + width > position.character { break }
            units += width
            index += 1
            while index < end && bytes[index] & 0xC0 == 0x80 { index += 1 }
        }
        return index
    }

    /// The byte offset where line `line`'s characters end: before its line break.
    private func lineContentEnd(_ line: Int) -> Int {
        guard line + 1 < lineStarts.count else { return bytes.count }
        var end = lineStarts[line + 1]
        if end > 0 && bytes[end - 1] == 0x0A { end -= 1 }
        if end > lineStarts[line] && bytes[end - 1] == 0x0D { end -= 1 }
        return end
    }

func range(ofBytes range: Range<Int>) -> LSPRange {
        LSPRange(start: position(ofByte: range.lowerBound), end: position(ofByte: range.upperBound))
    }

func byteRange(of range: LSPRange) -> Range<Int> {
        let start = byteOffset(of: range.start)
        return start..<max(start, byteOffset(of: range.end))
    }

    /// UTF-16 code units of the character whose UTF-8 encoding starts with `byte`: 2 for a
    /// four-byte (astral) character, 0 for a continuation byte, 1 otherwise.
    private static func utf16Units(leadByte byte: UInt8) -> Int {
        byte & 0xC0 == 0x80 ? 0 : byte >= 0xF0 ? 2 : 1
    }
}
