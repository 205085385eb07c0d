/// Renders the difference between two texts as a unified diff (`diff -u`, `git diff` style).
///
/// Lines end at `\n` and are compared byte for byte, so a changed line ending shows as a change.
/// A last line without `\n` is followed by `\ No newline at end of file`.
public enum UnifiedDiff {
    /// A run of changed lines: `oldCount` lines at `oldStart` became `newCount` lines at `newStart` (0-based).
    struct Change: Equatable {
        var oldStart: Int
        var oldCount: Int
        var newStart: Int
        var newCount: Int
        var oldEnd: Int { oldStart + oldCount }
        var newEnd: Int { newStart + newCount }
    }

    /// Line-difference computations beyond this many edit steps fall back to one coarse change.
    static let maximumEditSteps = 2_000

    /// The unified diff of `original` and `revised`, or `""` when they are equal.
    ///
    /// Lines are matched with Myers' algorithm after the common first and last lines are set aside,
    /// so the cost grows with the size of the change; prefer ``Document/unifiedDiff(applying:path:context:)``
    /// when the edits are known, which is linear.
    public static func render(original: String, revised: String, path: String, context: Int = 3) -> String {
        let old = Lines(original)
        let new = Lines(revised)
        return render(old, new, changes: changes(old, new), path: path, context: context)
    }

    /// The `---`/`+++` lines: git's `a/` and `b/` before a relative path (for `git apply` and
    /// `patch -p1`); an absolute path as it is, as `diff -u` writes it (for `patch -p0`).
    static func headers(path: String) -> String {
        path.hasPrefix("/") ? "--- \(path)\n+++ \(path)\n" : "--- a/\(path)\n+++ b/\(path)\n"
    }

    static func render(_ old: Lines, _ new: Lines, changes: [Change], path: String, context: Int) -> String {
        guard !changes.isEmpty else { return "" }
        var out: [UInt8] = Array(headers(path: path).utf8)
        var index = 0
        while index < changes.count {
            var last = index
            while last + 1 < changes.count, changes[last + 1].oldStart - changes[last].oldEnd <= 2 * context {
                last += 1
            }
            let first = changes[index]
            let final = changes[last]
            let oldFrom = max(0, first.oldStart - context)
            let oldTo = min(old.count, final.oldEnd + context)
            let newFrom = first.newStart - (first.oldStart - oldFrom)
            let newTo = final.newEnd + (oldTo - final.oldEnd)
            out.append(contentsOf: "@@ -\(header(oldFrom, oldTo - oldFrom)) +\(header(newFrom, newTo - newFrom)) @@\n".utf8)
            var line = oldFrom
            for change in changes[index...last] {
                while line < change.oldStart {
                    emit(ASCII.space, old, line, into: &out)
                    line += 1
                }
                for k in change.oldStart..<change.oldEnd { emit(ASCII.minus, old, k, into: &out) }
                for k in change.newStart..<change.newEnd { emit(ASCII.plus, new, k, into: &out) }
                line = change.oldEnd
            }
            while line < oldTo {
                emit(ASCII.space, old, line, into: &out)
                line += 1
            }
            index = last + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func header(_ start: Int, _ count: Int) -> String {
        switch count {
        case 0: "\(start),0"
        case 1: "\(start + 1)"
        default: "\(start + 1),\(count)"
        }
    }

    private static func emit(_ prefix: UInt8, _ lines: Lines, _ index: Int, into out: inout [UInt8]) {
        out.append(prefix)
        let range = lines.range(index)
        out.append(contentsOf: lines.bytes[range])
        if range.isEmpty || lines.bytes[range.upperBound - 1] != ASCII.newline {
            out.append(contentsOf: "\n\\ No newline at end of file\n".utf8)
        }
    }

    // MARK: Matching lines

    static func changes(_ old: Lines, _ new: Lines) -> [Change] {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old.line(prefix) == new.line(prefix) { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
            old.line(old.count - 1 - suffix) == new.line(new.count - 1 - suffix)
        {
            suffix += 1
        }
        let oldMiddle = prefix..<old.count - suffix
        let newMiddle = prefix..<new.count - suffix
        if oldMiddle.isEmpty && newMiddle.isEmpty { return [] }
        // Number the distinct lines so that the inner loop compares integers.
        var ids: [ArraySlice<UInt8>: Int] = [:]
        func id(_ line: ArraySlice<UInt8>) -> Int {
            if let id = ids[line] { return id }
            ids[line] = ids.count
            return ids.count - 1
        }
        let aIDs = oldMiddle.map { id(old.line($0)) }
        let bIDs = newMiddle.map { id(new.line($0)) }
        guard let matches = myers(aIDs, bIDs) else {
            return [Change(oldStart: prefix, oldCount: oldMiddle.count, newStart: prefix, newCount: newMiddle.count)]
        }
        var changes: [Change] = []
        var (x, y) = (0, 0)
        for (mx, my) in matches + [(aIDs.count, bIDs.count)] {
            if mx > x || my > y {
                changes.append(Change(oldStart: prefix + x, oldCount: mx - x, newStart: prefix + y, newCount: my - y))
            }
            (x, y) = (mx + 1, my + 1)
        }
        return changes
    }

    /// Pairs of equal elements of a longest common subsequence, in order; nil past `maximumEditSteps`.
    static func myers(_ a: [Int], _ b: [Int]) -> [(Int, Int)]? {
        let n = a.count
        let m = b.count
        let maxD = min(n + m, maximumEditSteps)
        let offset = maxD + 1
        var v = [Int](repeating: 0, count: 2 * maxD + 3)
        var trace: [[Int]] = []  // trace[d][k + d]: furthest x on diagonal k after d steps
        var found: Int?
        search: for d in 0...maxD {
            for k in stride(from: -d, through: d, by: 2) {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])
                    ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n, y >= m {
                    trace.append(Array(v[offset - d...offset + d]))
                    found = d
                    break search
                }
            }
            trace.append(Array(v[offset - d...offset + d]))
        }
        guard let steps = found else { return nil }
        var pairs: [(Int, Int)] = []
        var (x, y) = (n, m)
        for d in stride(from: steps, to: 0, by: -1) {
            let previous = trace[d - 1]
            let k = x - y
            let down = k == -d || (k != d && previous[k - 1 + d - 1] < previous[k + 1 + d - 1])
            let previousK = down ? k + 1 : k - 1
            let previousX = previous[previousK + d - 1]
            let previousY = previousX - previousK
            while x > previousX, y > previousY {
                x -= 1
                y -= 1
                pairs.append((x, y))
            }
            (x, y) = (previousX, previousY)
        }
        while x > 0, y > 0 {
            x -= 1
            y -= 1
            pairs.append((x, y))
        }
        return pairs.reversed()
    }
}

/// The lines of a text, each with its `\n`.
struct Lines {
    let bytes: [UInt8]
    /// Start of each line, plus the end of the text.
    let starts: [Int]

    init(_ text: String) {
        bytes = Array(text.utf8)
        var starts = [0]
        for (k, byte) in bytes.enumerated() where byte == ASCII.newline { starts.append(k + 1) }
        if starts.last != bytes.count { starts.append(bytes.count) }
        self.starts = starts
    }

    var count: Int { starts.count - 1 }
    func range(_ index: Int) -> Range<Int> { starts[index]..<starts[index + 1] }
    func line(_ index: Int) -> ArraySlice<UInt8> { bytes[range(index)] }

    /// The index of the line that starts at `offset`, which must be a line start or the end.
    func index(ofLineStart offset: Int) -> Int {
        var low = 0
        var high = starts.count - 1
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] < offset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The index of the line containing `offset` (the line count for the end of a text ending in `\n`).
    func index(containing offset: Int) -> Int {
        var low = 0
        var high = starts.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if starts[mid] <= offset { low = mid } else { high = mid }
        }
        guard offset >= bytes.count else { return low }
        // The end of a text without a final line ending is still inside its last line.
        return bytes.last == ASCII.newline || bytes.isEmpty ? count : count - 1
    }
}

extension Document {
    /// The unified diff of applying `edits`, computed from the edits' ranges in linear time.
    ///
    /// Each run of lines touched by edits becomes one change (lines that come out equal are kept as
    /// context), so the hunks match what `diff -u` prints for the same texts in the usual cases.
    /// - Throws: `DocumentError` as ``validated(_:)`` does.
    public func unifiedDiff(applying edits: [any TextReplacement], path: String, context: Int = 3) throws(DocumentError) -> String {
        let sorted = try validated(edits)
        let revised = try applying(sorted)
        let old = Lines(text)
        let new = Lines(revised)
        var changes: [Change] = []
        var byteDelta = 0
        var index = 0
        while index < sorted.count {
            // Lines touched by this edit and every following edit that shares one of them.
            let firstLine = min(old.index(containing: sorted[index].range.lowerBound), old.count)
            var endLine = min(old.index(containing: sorted[index].range.upperBound) + 1, old.count)
            var groupDelta = 0
            var last = index
            while true {
                let edit = sorted[last]
                groupDelta += edit.replacement.utf8.count - edit.range.count
                guard last + 1 < sorted.count, old.index(containing: sorted[last + 1].range.lowerBound) < endLine
                else { break }
                last += 1
                endLine = max(endLine, min(old.index(containing: sorted[last].range.upperBound) + 1, old.count))
            }
            let oldStartByte = old.starts[firstLine]
            let oldEndByte = old.starts[endLine]
            var oldFrom = firstLine
            var oldTo = endLine
            var newFrom = new.index(ofLineStart: oldStartByte + byteDelta)
            var newTo = new.index(ofLineStart: oldEndByte + byteDelta + groupDelta)
            while oldFrom < oldTo, newFrom < newTo, old.line(oldFrom) == new.line(newFrom) {
                oldFrom += 1
                newFrom += 1
            }
            while oldFrom < oldTo, newFrom < newTo, old.line(oldTo - 1) == new.line(newTo - 1) {
                oldTo -= 1
                newTo -= 1
            }
            if oldFrom < oldTo || newFrom < newTo {
                changes.append(
                    Change(oldStart: oldFrom, oldCount: oldTo - oldFrom, newStart: newFrom, newCount: newTo - newFrom))
            }
            byteDelta += groupDelta
            index = last + 1
        }
        return UnifiedDiff.render(old, new, changes: changes, path: path, context: context)
    }

    private typealias Change = UnifiedDiff.Change
}
