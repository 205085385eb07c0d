import Testing
@testable import HouseStyleText

let numbers = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n"

struct DiffExample: CustomTestStringConvertible, Sendable {
    var name: String
    var original: String
    var edits: [Edit]
    var diff: String
    var testDescription: String { name }
}

func replace(_ text: String, _ old: String, _ new: String) -> Edit {
    let start = text.utf8.firstRange(of: old.utf8)!
    let lower = text.utf8.distance(from: text.utf8.startIndex, to: start.lowerBound)
    return Edit(range: lower..<lower + old.utf8.count, replacement: new, rule: "test", reason: "")
}

let diffExamples: [DiffExample] = [
    .init(name: "no change", original: numbers, edits: [], diff: ""),
    .init(
        name: "one line in the middle", original: numbers, edits: [replace(numbers, "five", "5")],
        diff: """
            --- a/n.txt
            +++ b/n.txt
            @@ -2,7 +2,7 @@
             two
             three
             four
            -five
            +5
             six
             seven
             eight

            """),
    .init(
        name: "far apart changes make two hunks", original: numbers,
        edits: [replace(numbers, "one", "1"), replace(numbers, "ten", "10")],
        diff: """
            --- a/n.txt
            +++ b/n.txt
            @@ -1,4 +1,4 @@
            -one
            +1
             two
             three
             four
            @@ -7,4 +7,4 @@
             seven
             eight
             nine
            -ten
            +10

            """),
    .init(
        name: "near changes share a hunk", original: numbers,
        edits: [replace(numbers, "two", "2"), replace(numbers, "eight", "8")],
        diff: """
            --- a/n.txt
            +++ b/n.txt
            @@ -1,10 +1,10 @@
             one
            -two
            +2
             three
             four
             five
             six
             seven
            -eight
            +8
             nine
             ten

            """),
    .init(
        name: "inserted first line", original: "a\nb\nc\nd\ne\n",
        edits: [Edit(range: 0..<0, replacement: "zero\n", rule: "test", reason: "")],
        diff: """
            --- a/n.txt
            +++ b/n.txt
            @@ -1,3 +1,4 @@
            +zero
             a
             b
             c

            """),
    .init(
        name: "joined lines", original: "a\nb\nc\n",
        edits: [Edit(range: 1..<2, replacement: " ", rule: "test", reason: "")],
        diff: """
            --- a/n.txt
            +++ b/n.txt
            @@ -1,3 +1,2 @@
            -a
            -b
            +a b
             c

            """),
    .init(
        name: "last line without newline", original: "a\nb",
        edits: [Edit(range: 2..<3, replacement: "c", rule: "test", reason: "")],
        diff: """
            --- a/n.txt
            +++ b/n.txt
            @@ -1,2 +1,2 @@
             a
            -b
            \\ No newline at end of file
            +c
            \\ No newline at end of file

            """),
    .init(
        name: "newline added at the end", original: "a\nb",
        edits: [Edit(range: 3..<3, replacement: "\n", rule: "test", reason: "")],
        diff: """
            --- a/n.txt
            +++ b/n.txt
            @@ -1,2 +1,2 @@
             a
            -b
            \\ No newline at end of file
            +b

            """),
    .init(
        name: "everything deleted", original: "a\n",
        edits: [Edit(range: 0..<2, replacement: "", rule: "test", reason: "")],
        diff: """
            --- a/n.txt
            +++ b/n.txt
            @@ -1 +0,0 @@
            -a

            """),
    .init(
        name: "CRLF lines keep their endings", original: "x\r\ny\r\n",
        edits: [Edit(range: 3..<4, replacement: "z", rule: "test", reason: "")],
        diff: "--- a/n.txt\n+++ b/n.txt\n@@ -1,2 +1,2 @@\n x\r\n-y\r\n+z\r\n"),
]

@Test(arguments: diffExamples)
func diffFromEdits(_ example: DiffExample) throws {
    let document = Document(text: example.original, format: .plain)
    #expect(try document.unifiedDiff(applying: example.edits, path: "n.txt") == example.diff)
}

@Test(arguments: diffExamples)
func diffFromTexts(_ example: DiffExample) throws {
    let revised = try Document(text: example.original, format: .plain).applying(example.edits)
    #expect(UnifiedDiff.render(original: example.original, revised: revised, path: "n.txt") == example.diff)
}

@Test func diffWithLessContext() throws {
    let document = Document(text: numbers, format: .plain)
    let diff = try document.unifiedDiff(applying: [replace(numbers, "five", "5")], path: "n.txt", context: 1)
    #expect(diff == "--- a/n.txt\n+++ b/n.txt\n@@ -4,3 +4,3 @@\n four\n-five\n+5\n six\n")
}

@Test func myersFindsALongestCommonSubsequence() {
    let pairs = UnifiedDiff.myers([1, 2, 3, 4, 5], [1, 3, 9, 4, 5, 6])
    #expect(pairs?.map { [$0.0, $0.1] } == [[0, 0], [2, 1], [3, 3], [4, 4]])
}

/// Applies a unified diff to `original`; nil if the diff does not fit (a test oracle for both renderers).
func patch(_ original: String, with diff: String) -> String? {
    if diff.isEmpty { return original }
    let old = Lines(original)
    let oldLines = (0..<old.count).map { Array(old.line($0)) }
    let lines = Lines(diff)
    var entries: [(op: UInt8, bytes: [UInt8], from: Int)] = []
    for index in 2..<lines.count {
        let line = Array(lines.line(index))
        if line.starts(with: Array("@@ -".utf8)) {
            let header = String(decoding: line, as: UTF8.self).dropFirst(4).prefix { $0 != " " }
            let parts = header.split(separator: ",").map { Int($0)! }
            let from = parts.count == 2 && parts[1] == 0 ? parts[0] : parts[0] - 1
            entries.append((ASCII.at, [], from))
        } else if line.starts(with: Array("\\ No newline at end of file".utf8)) {
            guard entries.last?.bytes.last == ASCII.newline else { return nil }
            entries[entries.count - 1].bytes.removeLast()
        } else {
            entries.append((line[0], Array(line.dropFirst()), 0))
        }
    }
    var output: [[UInt8]] = []
    var cursor = 0
    for entry in entries {
        switch entry.op {
        case ASCII.at:
            guard entry.from >= cursor, entry.from <= oldLines.count else { return nil }
            output.append(contentsOf: oldLines[cursor..<entry.from])
            cursor = entry.from
        case ASCII.space, ASCII.minus:
            guard cursor < oldLines.count, oldLines[cursor] == entry.bytes else { return nil }
            if entry.op == ASCII.space { output.append(entry.bytes) }
            cursor += 1
        case ASCII.plus:
            output.append(entry.bytes)
        default:
            return nil
        }
    }
    output.append(contentsOf: oldLines[cursor...])
    return String(decoding: output.joined(), as: UTF8.self)
}

@Test(arguments: diffExamples)
func patchingReproducesTheRevision(_ example: DiffExample) throws {
    let document = Document(text: example.original, format: .plain)
    let revised = try document.applying(example.edits)
    #expect(patch(example.original, with: try document.unifiedDiff(applying: example.edits, path: "n.txt")) == revised)
}

@Test func absolutePathsHaveNoGitPrefixes() {
    let diff = UnifiedDiff.render(original: "a\n", revised: "b\n", path: "/tmp/n.txt")
    #expect(diff == "--- /tmp/n.txt\n+++ /tmp/n.txt\n@@ -1 +1 @@\n-a\n+b\n")
    #expect(UnifiedDiff.render(original: "a\n", revised: "b\n", path: "docs/n.txt").hasPrefix("--- a/docs/n.txt\n+++ b/docs/n.txt\n"))
}
