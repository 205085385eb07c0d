import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

/// The rewrite guarantees, checked through `Pipeline` with the shipped `acme` style:
/// idempotence, protected text kept byte for byte, untouched text round-tripping exactly, and
/// large inputs.
@Suite struct GuaranteeTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let acme: Pipeline = {
        let path = repositoryRoot.appendingPathComponent("styles/acme.yaml").path
        // A failure here is a broken shipped style; every test below would report it.
        var style = try! StyleLoader(checksCorpusFiles: false).load(path: path)
        // The rules only: the learned stage needs a trained bundle, whose guarantees
        // LearnedGuaranteeTests checks on a copy of the repository.
        style.stages.post.removeAll { $0 == .builtin(.learned) }
        return try! Pipeline(style: style, resources: Resources(styleRoot: style.root))
    }()

    /// The example corpus shipped with the repository: real Markdown in and out of voice.
    static let corpusFiles: [String] = {
        let root = repositoryRoot.appendingPathComponent("corpora").path
        let files = (try? FileCollector().collect([root])) ?? []
        return files.map(\.path).sorted()
    }()

    // MARK: Idempotence

    @Test func corpusIsPresent() {
        #expect(Self.corpusFiles.count >= 5, "expected the example corpora under corpora/")
    }

    @Test(arguments: corpusFiles)
    func rewritingTwiceChangesNothingMore(path: String) throws {
        let first = try Self.acme.rewrite(try TextFile.read(path), path: path)
        let second = try Self.acme.rewrite(first.text, path: path)
        #expect(second.edits.map { "\(second.document.text(in: $0.range)) -> \($0.replacement) [\($0.edit.rule)]" } == [])
        #expect(second.text == first.text)
    }

    @Test(arguments: 0..<40)
    func rewritingGeneratedMarkdownTwiceChangesNothingMore(seed: Int) throws {
        var generator = GeneratedMarkdown(seed: UInt64(seed))
        let text = generator.document(blocks: 12)
        let first = try Self.acme.rewrite(text, path: "generated.md")
        #expect(first.changed, "the generator always writes words acme changes")
        let second = try Self.acme.rewrite(first.text, path: "generated.md")
        #expect(second.edits.map { "\(second.document.text(in: $0.range)) -> \($0.replacement) [\($0.edit.rule)]" } == [],
                "seed \(seed)")
    }

    // MARK: Protected spans

    @Test(arguments: 0..<60)
    func protectedSpansAreByteIdenticalAfterRewriting(seed: Int) throws {
        var generator = GeneratedMarkdown(seed: UInt64(seed))
        let text = generator.document(blocks: 16)
        let rewrite = try Self.acme.rewrite(text, path: "generated.md")
        let original = Array(text.utf8)
        let rewritten = Array(rewrite.text.utf8)
        #expect(Self.apply(rewrite.edits, to: original) == rewritten, "the text is the original with the edits applied")
        #expect(rewrite.document.protectedSpans.count > 5)
        for span in rewrite.document.protectedSpans {
            let touching = rewrite.edits.filter {
                $0.range.isEmpty ? span.range.lowerBound < $0.range.lowerBound && $0.range.lowerBound < span.range.upperBound
                    : $0.range.overlaps(span.range)
            }
            #expect(touching.isEmpty, "seed \(seed): an edit touches \(span)")
            let shift = Self.growth(of: rewrite.edits.filter { $0.range.upperBound <= span.range.lowerBound })
            let moved = (span.range.lowerBound + shift)..<(span.range.upperBound + shift)
            #expect(Array(rewritten[moved]) == Array(original[span.range]), "seed \(seed): \(span) changed")
        }
        // The words acme would change inside protected text are still there.
        for protected in ["`log in to acme cloud`", "https://acme.example/log-in?colour=organized", "<span title=\"It is organized\">"]
        where text.contains(protected) {
            #expect(rewrite.text.contains(protected), "seed \(seed): \(protected)")
        }
    }

    /// How many bytes `edits` add (negative when they remove).
    static func growth(of edits: [ComposedEdit]) -> Int {
        var total = 0
        for edit in edits { total += edit.replacement.utf8.count - edit.range.count }
        return total
    }

    /// `edits` (sorted, on `original`) applied.
    static func apply(_ edits: [ComposedEdit], to original: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var position = 0
        for edit in edits {
            result += original[position..<edit.range.lowerBound]
            result += Array(edit.replacement.utf8)
            position = edit.range.upperBound
        }
        return result + original[position...]
    }

    // MARK: Round trip

    @Test(arguments: [
        "\u{FEFF}# Title\r\n\r\nAll good here.\r\nA line with trailing spaces.   \r\n\tTabbed text.\r\n",
        "\u{FEFF}plain text\n\n\n   \n",
        "No newline at the end\t \t",
        "Mixed\r\nline\nendings\rhere.\n",
        "  - a list item\n  - another one\n\n> a quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        "",
        "\n\n\n",
        "Emoji 👩‍💻 and accents café, naïve.\u{00A0}Non-breaking space.\n",
    ])
    func documentWithoutEditsRoundTripsByteForByte(text: String) throws {
        for path in ["doc.md", "doc.txt"] {
            let rewrite = try Self.acme.rewrite(text, path: path)
            #expect(rewrite.edits.isEmpty, "\(path): \(rewrite.edits)")
            #expect(Array(rewrite.text.utf8) == Array(text.utf8), "\(path)")
        }
    }

    @Test func textOutsideEditsKeepsCRLFTabsAndTrailingSpaces() throws {
        let text = "\u{FEFF}# Acme\r\n\r\nPlease log in  \r\n\tto acme cloud.\t\r\n"
        let rewrite = try Self.acme.rewrite(text, path: "doc.md")
        #expect(rewrite.text == "\u{FEFF}# Acme\r\n\r\nPlease sign in  \r\n\tto Acme Cloud.\t\r\n")
    }

    // MARK: Large input

    /// About 1 MB (20 MB took minutes in a debug build: see BENCHMARKS.md; the benchmark covers 20 MB): completes, and the
    /// output length is the input's plus what the edits add.
    @Test func largeGeneratedInputIsProcessed() throws {
        var generator = GeneratedMarkdown(seed: 2026)
        var text = ""
        text.reserveCapacity(1_100_000)
        while text.utf8.count < 1_000_000 { text += generator.document(blocks: 50) }
        let rewrite = try Self.acme.rewrite(text, path: "large.md")
        let growth = Self.growth(of: rewrite.edits)
        #expect(rewrite.edits.count > 1_000)
        #expect(rewrite.text.utf8.count == text.utf8.count + growth)
        #expect(abs(growth) < text.utf8.count / 10)
    }
}

/// Seeded random Markdown mixing prose the acme style changes with code spans, fenced and
/// indented code, URLs, links, images and HTML that contain the same words.
struct GeneratedMarkdown {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    /// SplitMix64.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    static let triggers = [
        "log in to acme cloud", "it is organized", "we leverage synergies", "utilize the AcmeConsole",
        "the color of the tenant", "do not log out", "you will see \"quotes\"", "we cannot", "an e-mail",
        "the API token", "single sign on", "wait...", "apples, pears and plums",
    ]
    static let plain = ["the service", "your team", "every workspace", "a new release", "this page", "the bucket"]

    mutating func sentence() -> String {
        var words: [String] = []
        for _ in 0..<(2 + next() % 4) {
            words.append(next() % 2 == 0 ? pick(Self.triggers) : pick(Self.plain))
        }
        let body = words.joined(separator: " ")
        return body.prefix(1).uppercased() + body.dropFirst() + "."
    }

    mutating func inline() -> String {
        pick([
            sentence(),
            "Run `log in to acme cloud` first.",
            "See https://acme.example/log-in?colour=organized for more.",
            "Read [how to log in](https://acme.example/log in/acme cloud) today.",
            "An image ![acme cloud logo](img/acme cloud.png \"It is organized\") here.",
            "Some <span title=\"It is organized\">inline HTML</span> text.",
            "Mail <support@acme.example> or visit <https://acme.example/utilize>.",
            "Use &copy; and \\*log in\\* here.",
        ])
    }

    mutating func block() -> String {
        switch next() % 8 {
        case 0: return "```sh\nacme cloud log in --color organized\nIt is organized...\n```\n"
        case 1: return "    indented code: log in to acme cloud\n    it is organized\n"
        case 2: return "<div class=\"note\">\nWe leverage the tenant color.\n</div>\n"
        case 3: return "# \(sentence())\n"
        case 4: return "- \(inline())\n- \(inline())\n"
        case 5: return "> \(inline()) \(sentence())\n"
        default: return "\(inline()) \(sentence()) \(inline())\n"
        }
    }

    mutating func document(blocks: Int) -> String {
        var parts: [String] = []
        for _ in 0..<blocks { parts.append(block()) }
        return parts.joined(separator: "\n")
    }
}

/// A rewritten file replaces the old one in one step (a temporary file renamed over it): a reader
/// that opened the old file keeps reading the old text whole, never a mix.
@Test func writesReplaceTheFileInOneStep() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("housestyle-atomic-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("doc.md").path
    let old = String(repeating: "old text. ", count: 10_000)
    try TextFile.writeAtomically(old, to: path)
    let reader = try #require(FileHandle(forReadingAtPath: path))
    defer { try? reader.close() }
    try TextFile.writeAtomically("new text.\n", to: path)
    #expect(String(decoding: try reader.readToEnd() ?? Data(), as: UTF8.self) == old, "the open file was changed in place")
    #expect(try TextFile.read(path) == "new text.\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["doc.md"], "no temporary file is left")
}
