import HouseStyleText

/// Keeps a document's lines where an edit spans a line break ("the\nvalue" -> "the amount"):
/// the edit's replacement takes the original's whitespace, line breaks, indentation and hard-break
/// spaces included, at its own word gaps, so no two lines are joined and no `<br>` is lost. An edit
/// whose replacement has too few word gaps to hold the line breaks is not applied but reported.
enum LineBreaks {
    /// `edits` (sorted, of `bytes`) with line breaks kept, and a finding for each edit that could not keep them.
    static func keep(_ edits: [Edit], in bytes: [UInt8]) -> (edits: [Edit], refused: [Finding]) {
        guard edits.contains(where: { bytes[$0.range].contains(where: isLineBreak) }) else { return (edits, []) }
        var kept: [Edit] = [], refused: [Finding] = []
        kept.reserveCapacity(edits.count)
        for var edit in edits {
            let original = bytes[edit.range]
            guard original.contains(where: isLineBreak) else { kept.append(edit); continue }
            let replacement = Array(edit.replacement.utf8)
            let breaksBefore = original.filter { $0 == 0x0A }.count, breaksAfter = replacement.filter { $0 == 0x0A }.count
            if breaksAfter == breaksBefore && !original.contains(0x0D) { kept.append(edit); continue }
            guard let joined = rejoin(replacement, gapsOf: Array(original)) else {
                refused.append(Finding(range: edit.range, level: edit.level ?? .suggestion,
                    message: "not applied: '\(String(decoding: original, as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " "))' -> '\(edit.replacement)' would join two lines: \(edit.reason)",
                    rule: edit.rule, confidence: edit.confidence))
                continue
            }
            edit.replacement = String(decoding: joined, as: UTF8.self)
            kept.append(edit)
        }
        return (kept, refused)
    }

    private static func isLineBreak(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// The whitespace runs of `bytes`, in order, with whether each is leading, inner or trailing.
    private static func gaps(_ bytes: [UInt8]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            guard isSpace(bytes[i]) else { i += 1; continue }
            var end = i
            while end < bytes.count, isSpace(bytes[end]) { end += 1 }
            result.append(i..<end)
            i = end
        }
        return result
    }

    /// `replacement` with the original's gaps that hold a line break put in place of its own gaps:
    /// all of them when both have as many gaps, else each line-breaking gap at the replacement's
    /// gap in the same relative place. Leading and trailing gaps stay at the ends. Nil when the
    /// replacement has no gap to hold a line break.
    static func rejoin(_ replacement: [UInt8], gapsOf original: [UInt8]) -> [UInt8]? {
        var mine = gaps(replacement), theirs = gaps(original)
        var prefix: [UInt8] = [], suffix: [UInt8] = []
        // Leading and trailing whitespace of the original (a deletion that takes the line's end) stays.
        if let first = theirs.first, first.lowerBound == 0 {
            if mine.first?.lowerBound == 0 { mine.removeFirst() }
            prefix = Array(original[first])
            theirs.removeFirst()
        }
        if let last = theirs.last, last.upperBound == original.count {
            if mine.last?.upperBound == replacement.count { mine.removeLast() }
            suffix = Array(original[last])
            theirs.removeLast()
        }
        let body = Array(replacement.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
        let offset = replacement.prefix(while: isSpace).count
        mine = mine.map { ($0.lowerBound - offset)..<($0.upperBound - offset) }.filter { $0.lowerBound >= 0 && $0.upperBound <= body.count }
        var chosen: [Int: [UInt8]] = [:]  // replacement gap index -> the original gap that goes there
        if mine.count == theirs.count {
            for (index, gap) in theirs.enumerated() { chosen[index] = Array(original[gap]) }
        } else {
            let breaking = theirs.enumerated().filter { original[$0.element].contains(where: isLineBreak) }
            guard breaking.count <= mine.count else { return nil }
            var next = 0
            for (position, gap) in breaking {
                // The same relative place, after the gaps already used.
                let wanted = Int((Double(position) + 0.5) / Double(theirs.count) * Double(mine.count))
                let index = max(next, min(wanted, mine.count - (breaking.count - chosen.count)))
                chosen[index] = Array(original[gap])
                next = index + 1
            }
        }
        guard chosen.values.filter({ $0.contains(where: isLineBreak) }).count
            == theirs.filter({ original[$0].contains(where: isLineBreak) }).count else { return nil }
        var result = prefix
        var cursor = 0
        for (index, gap) in mine.enumerated() {
            result += body[cursor..<gap.lowerBound]
            result += chosen[index] ?? Array(body[gap])
            cursor = gap.upperBound
        }
        result += body[cursor...]
        return result + suffix
    }
}
