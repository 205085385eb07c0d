import Foundation
import Testing
@testable import HouseStyleText

/// One example of the CommonMark specification: its Markdown and the HTML it must give.
struct CommonMarkExample: CustomTestStringConvertible, Sendable {
    var number: Int
    var section: String
    var markdown: String
    var html: String
    var testDescription: String { "example \(number) (\(section))" }
}

/// The CommonMark 0.31.2 specification in `../shared/data/commonmark/` (see its SOURCE.md): it is
/// not copied into the repository, so the tests that read it are skipped where it is absent.
enum CommonMarkSpec {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data/commonmark/commonmark-spec.txt").path

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: path) }

    /// Every example, numbered as the spec numbers them; empty when the file is absent.
    static let examples: [CommonMarkExample] = {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let fence = String(repeating: "`", count: 32)
        var examples: [CommonMarkExample] = []
        var section = ""
        var markdown: [Substring]?
        var html: [Substring] = []
        var inHTML = false
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            if var lines = markdown {
                if line == fence {
                    func joined(_ lines: [Substring]) -> String {
                        lines.map { $0 + "\n" }.joined().replacingOccurrences(of: "\u{2192}", with: "\t")
                    }
                    examples.append(CommonMarkExample(
                        number: examples.count + 1, section: section, markdown: joined(lines), html: joined(html)))
                    markdown = nil
                } else if line == "." && !inHTML {
                    inHTML = true
                } else if inHTML {
                    html.append(line)
                } else {
                    lines.append(line)
                    markdown = lines
                }
            } else if line.hasPrefix(fence + " example") {
                (markdown, html, inHTML) = ([], [], false)
            } else if line.hasPrefix("#") {
                section = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            }
        }
        return examples
    }()

    static func examples(in sections: Set<String>) -> [CommonMarkExample] {
        examples.filter { sections.contains($0.section) }
    }

    /// The prose blocks of a rendering: the text of each paragraph and heading, and of a tight list
    /// item up to its first nested block, as `p: words` / `h: words`. Code, raw HTML and tag
    /// attributes (link destinations) are not prose; entities are dropped, as the scanner protects
    /// what they stand for.
    static func proseBlocks(html: String) -> [String] {
        let blockTags: Set<String> = [
            "p", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre", "div", "table",
        ]
        var blocks: [String] = []
        var text = ""
        var kind = "p"
        var codeDepth = 0
        func flush() {
            let words = Self.words(text)
            if !words.isEmpty { blocks.append("\(kind): " + words.joined(separator: " ")) }
            text = ""
        }
        var rest = html[...]
        while let first = rest.first {
            if rest.hasPrefix("<!--") {
                flush()
                rest = rest.range(of: "-->").map { rest[$0.upperBound...] } ?? ""
            } else if first == "<", let close = rest.firstIndex(of: ">") {
                let tag = rest[rest.index(after: rest.startIndex)..<close]
                let closing = tag.hasPrefix("/")
                let name = tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
                if name == "code" || name == "pre" { codeDepth += closing ? -1 : 1 }
                if blockTags.contains(name) {
                    flush()
                    kind = !closing && name.hasPrefix("h") && name.count == 2 ? "h" : "p"
                }
                rest = rest[rest.index(after: close)...]
            } else if first == "&", let semicolon = rest.prefix(12).firstIndex(of: ";") {
                rest = rest[rest.index(after: semicolon)...]
                text += " "
            } else {
                if codeDepth == 0 { text.append(first) }
                rest = rest.dropFirst()
            }
        }
        flush()
        return blocks
    }

    /// The prose blocks the scanner finds, in the form of `proseBlocks(html:)`.
    static func proseBlocks(of document: Document) -> [String] {
        document.proseBlocks.compactMap { block in
            let words = block.ranges.flatMap { Self.words(document.text(in: $0)) }
            return words.isEmpty ? nil : "\(block.kind == .heading ? "h" : "p"): " + words.joined(separator: " ")
        }
    }

    /// Runs of letters and digits.
    static func words(_ text: String) -> [String] {
        text.split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }
}

/// The scanner's paragraphs and headings are CommonMark's: every example of the spec's sections on
/// list items and lists gives the blocks of its expected HTML, with the same words in each.
@Test(.enabled(if: CommonMarkSpec.isAvailable, "the CommonMark spec is not in ../shared/data/commonmark"),
      arguments: CommonMarkSpec.examples(in: ["List items", "Lists"]))
func listExamplesGiveTheSpecsProseBlocks(_ example: CommonMarkExample) {
    let document = Document(text: example.markdown, format: .markdown)
    #expect(
        CommonMarkSpec.proseBlocks(of: document) == CommonMarkSpec.proseBlocks(html: example.html),
        "\(example.markdown.debugDescription) renders as \(example.html.debugDescription)")
}

@Test(.enabled(if: CommonMarkSpec.isAvailable, "the CommonMark spec is not in ../shared/data/commonmark"))
func theSpecIsReadWhole() {
    // 655 examples in 0.31.2 (SOURCE.md); the list sections are the ones compared above.
    #expect(CommonMarkSpec.examples.count == 655)
    #expect(CommonMarkSpec.examples(in: ["List items"]).count == 48)
    #expect(CommonMarkSpec.examples(in: ["Lists"]).count == 26)
    // The list item section starts at example 255, after the block quotes.
    #expect(CommonMarkSpec.examples[253].section == "Block quotes")
    #expect(CommonMarkSpec.examples[254].number == 255 && CommonMarkSpec.examples[254].section == "List items")
}
