/// Shows a rewrite's changes inside their lines, as `git diff --word-diff` does: `[-old-]{+new+}`.
///
/// A one-word change in a long paragraph is one marked word, not the paragraph twice. Unlike a
/// unified diff it is for people, not for `patch`: `--diff` stays the format to apply. The edits
/// are known, so nothing is guessed: each composed edit is marked exactly where it applies, and the
/// text between edits is the original, byte for byte.
public enum WordDiff {
    /// How changes are marked: brackets alone, or brackets coloured for a terminal (red removals,
    /// green insertions; the brackets stay so that the output reads the same when copied).
    public enum Marks: Sendable {
        case plain, color

        var deletedStart: String { self == .color ? "\u{1B}[31m[-" : "[-" }
        var deletedEnd: String { self == .color ? "-]\u{1B}[m" : "-]" }
        var insertedStart: String { self == .color ? "\u{1B}[32m{+" : "{+" }
        var insertedEnd: String { self == .color ? "+}\u{1B}[m" : "+}" }
    }

    /// One line of the marked text, and the original and rewritten line numbers it starts at.
    struct Row {
        var bytes: [UInt8] = []
        var oldLine: Int
        var newLine: Int
        var changed = false
    }

    /// The word diff of `rewrite`: `--- a/PATH`/`+++ b/PATH` headers (as `--diff` writes them), then
    /// for each group of changed lines an `@@ -old +new @@` header and the lines with their changes
    /// marked, with `context` unchanged lines around them. `""` when nothing changed.
    public static func render(_ rewrite: Rewrite, path: String, context: Int = 1, marks: Marks = .plain) -> String {
        guard rewrite.changed else { return "" }
        let (rows, oldEnd, newEnd) = self.rows(original: Array(rewrite.original.utf8), edits: rewrite.edits, marks: marks)
        let original = rewrite.original.utf8
        // A last line without a line feed still counts as a line.
        let unterminated = !original.isEmpty && original.last != 0x0A
        let rewrittenUnterminated = !rewrite.text.utf8.isEmpty && rewrite.text.utf8.last != 0x0A
        func oldStart(_ i: Int) -> Int { i < rows.count ? rows[i].oldLine : oldEnd + (unterminated ? 1 : 0) }
        func newStart(_ i: Int) -> Int { i < rows.count ? rows[i].newLine : newEnd + (rewrittenUnterminated ? 1 : 0) }

        var out = path.hasPrefix("/") ? "--- \(path)\n+++ \(path)\n" : "--- a/\(path)\n+++ b/\(path)\n"
        let changed = rows.indices.filter { rows[$0].changed }
        var index = 0
        while index < changed.count {
            var last = index
            while last + 1 < changed.count, changed[last + 1] - changed[last] <= 2 * context + 1 { last += 1 }
            let from = max(0, changed[index] - context)
            let to = min(rows.count, changed[last] + context + 1)
            out += "@@ -\(header(oldStart(from), oldStart(to) - oldStart(from))) +\(header(newStart(from), newStart(to) - newStart(from))) @@\n"
            for row in rows[from..<to] {
                out += String(decoding: row.bytes, as: UTF8.self)
                if row.bytes.last != 0x0A { out += "\n" }
            }
            index = last + 1
        }
        return out
    }

    /// `start,count` of a hunk header (`start` alone for one line; the line before for none).
    private static func header(_ start: Int, _ count: Int) -> String {
        switch count {
        case 0: "\(start - 1),0"
        case 1: "\(start)"
        default: "\(start),\(count)"
        }
    }

    /// The original split into lines with every edit marked in place. A row ends after each line
    /// feed of the marked text, whether it is kept, removed or inserted.
    /// Also returns the line numbers after the last line feed of the original and of the rewrite.
    static func rows(original: [UInt8], edits: [ComposedEdit], marks: Marks) -> (rows: [Row], oldLine: Int, newLine: Int) {
        var rows: [Row] = []
        var row = Row(oldLine: 1, newLine: 1)
        var oldLine = 1, newLine = 1

        /// Appends text; `inside` is the colour of the marker the text is in (nil for kept text),
        /// which is closed before a line feed and opened again after it (pagers reset it per line).
        func append(_ bytes: some Collection<UInt8>, old: Bool, new: Bool, inside color: String? = nil) {
            for byte in bytes {
                guard byte == 0x0A else {
                    row.bytes.append(byte)
                    continue
                }
                if old { oldLine += 1 }
                if new { newLine += 1 }
                if color != nil, marks == .color { row.bytes += Array("\u{1B}[m".utf8) }
                row.bytes.append(0x0A)
                if color != nil { row.changed = true }
                rows.append(row)
                row = Row(oldLine: oldLine, newLine: newLine, changed: color != nil)
                if let color, marks == .color { row.bytes += Array(color.utf8) }
            }
        }

        var cursor = 0
        for edit in edits {
            append(original[cursor..<edit.range.lowerBound], old: true, new: true)
            row.changed = true
            if !edit.range.isEmpty {
                row.bytes += Array(marks.deletedStart.utf8)
                append(original[edit.range], old: true, new: false, inside: "\u{1B}[31m")
                row.bytes += Array(marks.deletedEnd.utf8)
            }
            if !edit.replacement.isEmpty {
                row.bytes += Array(marks.insertedStart.utf8)
                append(Array(edit.replacement.utf8), old: false, new: true, inside: "\u{1B}[32m")
                row.bytes += Array(marks.insertedEnd.utf8)
            }
            row.changed = true
            cursor = edit.range.upperBound
        }
        append(original[cursor...], old: true, new: true)
        if !row.bytes.isEmpty || row.changed { rows.append(row) }
        return (rows, oldLine, newLine)
    }

    /// One edit in its line, marked, for reviewing it alone (`rewrite --interactive`): the line (or
    /// lines) that hold it, cut to about `width` bytes of text either side at a space, with `…` where
    /// text was left out.
    public static func excerpt(of edit: ComposedEdit, in original: String, width: Int = 80, marks: Marks = .plain) -> String {
        let bytes = Array(original.utf8)
        var start = edit.range.lowerBound
        while start > 0 && bytes[start - 1] != 0x0A { start -= 1 }
        var end = edit.range.upperBound
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        var prefix = "", suffix = ""
        if edit.range.lowerBound - start > width {
            // Cut at a space, so that no word (and no UTF-8 sequence) is split.
            var cut = edit.range.lowerBound - width
            while cut < edit.range.lowerBound && bytes[cut] != 0x20 { cut += 1 }
            if cut < edit.range.lowerBound { start = cut + 1; prefix = "…" }
        }
        if end - edit.range.upperBound > width {
            var cut = edit.range.upperBound + width
            while cut > edit.range.upperBound && bytes[cut] != 0x20 { cut -= 1 }
            if cut > edit.range.upperBound { end = cut; suffix = "…" }
        }
        var shifted = edit
        shifted.range = (edit.range.lowerBound - start)..<(edit.range.upperBound - start)
        let marked = rows(original: Array(bytes[start..<end]), edits: [shifted], marks: marks).rows
        return prefix + marked.map { String(decoding: $0.bytes, as: UTF8.self) }.joined() + suffix
    }
}
