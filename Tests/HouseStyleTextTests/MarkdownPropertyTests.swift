import Testing
@testable import HouseStyleText

/// SplitMix64: a small seeded generator so that every failure can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds random Markdown and remembers the byte ranges that must end up protected.
struct MarkdownGenerator {
    var rng: SeededGenerator
    var bytes: [UInt8] = []
    var mustProtect: [Range<Int>] = []
    let newline: String

    static let words = ["alpha", "beta", "colour", "über", "naïve", "日本語", "data", "the", "model", "Zoë", "x"]
    static let asciiWords = ["alpha", "beta", "data", "model", "docs", "team"]

    init(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
        newline = seed % 3 == 0 ? "\r\n" : "\n"
    }

    mutating func emit(_ text: String, protected: Bool = false) {
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        if protected { mustProtect.append(start..<bytes.count) }
    }

    mutating func pick(_ options: [String]) -> String { options.randomElement(using: &rng)! }
    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &rng) < percent }

    mutating func words(_ count: ClosedRange<Int>) -> String {
        (0..<Int.random(in: count, using: &rng)).map { _ in pick(Self.words) }.joined(separator: " ")
    }

    /// One line of inline content (no line ending).
    mutating func inline(allowPipes: Bool = true) {
        emit(words(1...3))
        for _ in 0..<Int.random(in: 0...5, using: &rng) {
            emit(" ")
            switch Int.random(in: 0..<11, using: &rng) {
            case 0: emit("`\(pick(Self.words)) [x](y)`", protected: true)
            case 1: emit("``a ` b``", protected: true)
            case 2:
                emit("[")
                emit(words(1...2))
                emit("](https://example.com/\(pick(Self.asciiWords)) \"T\")", protected: true)
            case 3:
                emit("https://example.com/\(pick(Self.asciiWords))?q=1", protected: true)
                if chance(50) { emit(".") }
            case 4: emit("\(pick(Self.asciiWords)).\(pick(Self.asciiWords))@example.org", protected: true)
            case 5: emit("&amp;", protected: true)
            case 6:
                emit("<em class=\"k\">", protected: true)
                emit(pick(Self.words))
                emit("</em>", protected: true)
            case 7: emit("![\(pick(Self.words))](img/\(pick(Self.asciiWords)).png)", protected: true)
            case 8: emit("\\*", protected: true)
            case 9: emit("<https://example.net/a>", protected: true)
            default: emit(words(1...4))
            }
            emit(" ")
            emit(pick(Self.words))
        }
        if chance(30) { emit(pick([".", "!", "?", ","])) }
    }

    mutating func blankLine() { emit(newline) }

    mutating func block(depth: Int = 0) {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0:
            emit(String(repeating: "#", count: Int.random(in: 1...6, using: &rng)) + " ")
            inline()
            emit(newline)
        case 1:
            let fence = pick(["```", "~~~", "````"])
            emit(fence, protected: true)
            let info = pick(["", "swift", "yaml title"])
            emit(info)
            emit(newline)
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                emit(pick(["let x = `y`", "*not* [a](b)", "<div>", "  indented", "https://example.com"]), protected: true)
                emit(newline)
            }
            emit(fence, protected: true)
            emit(newline)
        case 2:
            // A paragraph first ends any list, so that the indentation makes code.
            emit("para\(newline)\(newline)")
            emit("    \(pick(["code()", "[x]: y", "# not heading"]))", protected: true)
            emit(newline)
        case 3:
            emit("<div class=\"note\">", protected: true)
            emit(newline)
            emit("*\(pick(Self.words))* text", protected: true)
            emit(newline)
            emit("</div>", protected: true)
            emit(newline)
        case 4:
            let columns = Int.random(in: 1...3, using: &rng)
            emit("|")
            for _ in 0..<columns {
                emit(" \(pick(Self.words)) |")
            }
            emit(newline)
            emit((0..<columns).map { _ in "|:---" }.joined() + "|", protected: true)
            emit(newline)
            for _ in 0..<Int.random(in: 0...2, using: &rng) {
                emit("|")
                for _ in 0..<columns {
                    emit(" \(pick(Self.words)) `c|` |")
                }
                emit(newline)
            }
        case 5 where depth < 2:
            let ordered = chance(50)
            for index in 0..<Int.random(in: 1...3, using: &rng) {
                emit(String(repeating: " ", count: depth * 3))
                emit(ordered ? "\(index + 1). " : "-  ")
                inline()
                emit(newline)
            }
        case 6 where depth < 2:
            emit("> ")
            inline()
            emit(newline)
            emit("> ")
            inline()
            emit(newline)
        case 7:
            emit(pick(["***", "---", "___"]))
            emit(newline)
        default:
            for line in 0..<Int.random(in: 1...3, using: &rng) {
                if line > 0 { emit(newline) }
                inline()
            }
            if chance(20) { emit("  ") }
            emit(newline)
        }
    }

    mutating func document() -> String {
        if chance(30) {
            emit("---\(newline)title: \"x: y\"\(newline)tags: [a, b]\(newline)---", protected: true)
            emit(newline)
        }
        for index in 0..<Int.random(in: 1...25, using: &rng) {
            if index > 0 { blankLine() }
            block()
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Checks the invariants of a document's spans and prose.
func checkStructure(_ document: Document, mustProtect: [Range<Int>], seed: UInt64) {
    let bytes = Array(document.text.utf8)
    var previousEnd = 0
    for span in document.protectedSpans {
        #expect(span.range.lowerBound >= previousEnd && !span.range.isEmpty, "seed \(seed): \(span)")
        #expect(span.range.upperBound <= bytes.count)
        for offset in [span.range.lowerBound, span.range.upperBound] where offset < bytes.count {
            #expect(bytes[offset] & 0xC0 != 0x80, "seed \(seed): \(span) splits a character")
        }
        previousEnd = span.range.upperBound
    }
    previousEnd = 0
    for range in document.proseRanges {
        #expect(range.lowerBound >= previousEnd && !range.isEmpty, "seed \(seed): prose \(range)")
        #expect(document.protectedSpans(touching: range).isEmpty, "seed \(seed): prose \(range) is protected")
        previousEnd = range.upperBound
    }
    // Every byte the generator marked as protected lies in some protected span.
    var covered = [Bool](repeating: false, count: bytes.count)
    for span in document.protectedSpans { for k in span.range { covered[k] = true } }
    for range in mustProtect {
        let uncovered = range.filter { !covered[$0] }
        #expect(
            uncovered.isEmpty,
            "seed \(seed): \(document.text(in: range).debugDescription) not protected in \(document.text.debugDescription)")
    }
}

/// Random non-overlapping edits inside prose ranges, on character boundaries.
func randomProseEdits(_ document: Document, using rng: inout SeededGenerator) -> [Edit] {
    let bytes = Array(document.text.utf8)
    func boundary(_ k: Int, in range: Range<Int>) -> Int {
        var k = k
        while k < range.upperBound, k < bytes.count, bytes[k] & 0xC0 == 0x80 { k += 1 }
        return k
    }
    var edits: [Edit] = []
    for range in document.proseRanges where Int.random(in: 0..<3, using: &rng) == 0 {
        let a = boundary(Int.random(in: range, using: &rng), in: range)
        let b = boundary(Int.random(in: a...range.upperBound, using: &rng), in: range)
        let replacement = ["", "X", "naïve", " ", "日本", "`", "["].randomElement(using: &rng)!
        edits.append(Edit(range: a..<b, replacement: replacement, rule: "random", reason: "property test"))
    }
    edits.shuffle(using: &rng)
    return edits
}

@Test(arguments: 0..<300)
func editsInsideProseKeepProtectedSpansAndOtherText(seed: Int) throws {
    let seed = UInt64(seed)
    var generator = MarkdownGenerator(seed: seed)
    let text = generator.document()
    let document = Document(text: text, format: .markdown)
    checkStructure(document, mustProtect: generator.mustProtect, seed: seed)

    var rng = SeededGenerator(seed: seed &+ 1_000)
    let edits = randomProseEdits(document, using: &rng)
    let output = Array(try document.applying(edits).utf8)
    let original = Array(text.utf8)
    let sorted = edits.sorted { $0.range.lowerBound < $1.range.lowerBound }

    // New offset of an original offset outside every edit.
    func shifted(_ offset: Int) -> Int {
        var delta = 0
        for edit in sorted where edit.range.upperBound <= offset {
            delta += edit.replacement.utf8.count - edit.range.count
        }
        return offset + delta
    }
    for span in document.protectedSpans {
        let start = shifted(span.range.lowerBound)
        #expect(Array(output[start..<start + span.range.count]) == Array(original[span.range]), "seed \(seed): \(span)")
    }
    // Text between edits is unchanged, and the length adds up.
    var cursor = 0
    for edit in sorted + [Edit(range: original.count..<original.count, replacement: "", rule: "", reason: "")] {
        let start = shifted(cursor)
        #expect(Array(output[start..<start + edit.range.lowerBound - cursor]) == Array(original[cursor..<edit.range.lowerBound]))
        cursor = edit.range.upperBound
    }
    #expect(output.count == original.count + edits.reduce(0) { $0 + $1.replacement.utf8.count - $1.range.count })

    // Both diff renderers describe the change exactly.
    let revised = String(decoding: output, as: UTF8.self)
    #expect(patch(text, with: try document.unifiedDiff(applying: edits, path: "doc.md")) == revised, "seed \(seed)")
    #expect(patch(text, with: UnifiedDiff.render(original: text, revised: revised, path: "doc.md")) == revised)
}

@Test(arguments: 0..<100)
func editsTouchingProtectedSpansAreRejected(seed: Int) {
    var generator = MarkdownGenerator(seed: UInt64(seed))
    let document = Document(text: generator.document(), format: .markdown)
    guard !document.protectedSpans.isEmpty else { return }
    var rng = SeededGenerator(seed: UInt64(seed) &+ 7)
    let span = document.protectedSpans.randomElement(using: &rng)!
    let bytes = Array(document.text.utf8)
    var inside = Int.random(in: span.range, using: &rng)
    while bytes[inside] & 0xC0 == 0x80 { inside -= 1 }
    var end = inside + 1
    while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
    let probe = Edit(range: inside..<end, replacement: "", rule: "probe", reason: "")
    #expect(throws: DocumentError.self) { try document.applying([probe]) }
    do {
        _ = try document.applying([probe])
    } catch {
        if case .editTouchesProtectedSpan(let rule, _, _, let touched) = error {
            #expect(rule == "probe")
            #expect(touched == span)
        } else {
            Issue.record("seed \(seed): unexpected \(error)")
        }
    }
}

@Test func plainTextEditsKeepURLs() throws {
    for seed in UInt64(0)..<50 {
        var generator = MarkdownGenerator(seed: seed)
        let text = generator.document()
        let document = Document(text: text, format: .plain)
        checkStructure(document, mustProtect: [], seed: seed)
        var rng = SeededGenerator(seed: seed)
        let edits = randomProseEdits(document, using: &rng)
        let output = try document.applying(edits)
        for span in document.protectedSpans where span.kind == .url {
            #expect(output.contains(document.text(in: span.range)))
        }
    }
}

/// Scaling sanity only (no timing): a large generated document scans and round-trips.
@Test func largeDocumentScans() throws {
    var generator = MarkdownGenerator(seed: 42)
    var text = generator.document()
    while text.utf8.count < 2_000_000 { text += "\n" + text }
    let document = Document(text: text, format: .markdown)
    #expect(!document.protectedSpans.isEmpty && !document.proseRanges.isEmpty)
    #expect(try document.applying([]) == text)
    // Pathological openers that never close must not change the outcome either.
    let openers = "``" + String(repeating: "a [b <!-- c <d e=\"f &g ", count: 20_000)
    let pathological = Document(text: openers, format: .markdown)
    #expect(pathological.protectedSpans.isEmpty)
    #expect(pathological.proseRanges == [0..<openers.utf8.count])
}
