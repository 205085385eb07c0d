import Foundation
import Testing
@testable import HouseStyleText

/// A differential check for work on the scanners, off unless `HOUSESTYLE_SCAN_DUMP` names a file.
///
/// It writes the analysis (protected spans with kinds and ranges, prose blocks, line starts) of a
/// large varied input as both Markdown and plain text: the repository's own Markdown and text, the
/// text files under `../shared/data` (if present), documents from `MarkdownGenerator`, and random
/// soups of the bytes that start or end inline constructs. Record with the code before a change,
/// again after it, and compare the two files with `cmp`:
///
///     HOUSESTYLE_SCAN_DUMP=/tmp/before.txt swift test --filter ScanDumpTool
@Suite(.enabled(if: ProcessInfo.processInfo.environment["HOUSESTYLE_SCAN_DUMP"] != nil))
struct ScanDumpTool {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Text files under `directory`, sorted, skipping build folders and hidden folders.
    static func textFiles(under directory: URL, extensions: Set<String>) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(
            at: directory, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
        else { return [] }
        var files: [URL] = []
        for case let url as URL in enumerator {
            if url.lastPathComponent.hasPrefix(".build") || url.lastPathComponent == "bible" {
                enumerator.skipDescendants()
                continue
            }
            if extensions.contains(url.pathExtension) || (url.pathExtension.isEmpty && extensions.contains("")) {
                files.append(url)
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// A random mix of the pieces that bare URLs, e-mail addresses and inline markup are made of.
    static func soup(seed: UInt64) -> String {
        var rng = SeededGenerator(seed: seed)
        let pieces = [
            "a", "b", "x", "h", "w", "t", "1", "é", "日", " ", " ", "\n", "\n\n", "\r\n", "\t", "@", "@", ".", ".", "-", "_",
            "+", ":", "/", "//", "://", "http://", "https://", "HTTPS://", "www.", "WWW.", "ww", "htt", "(", ")", "[",
            "]", "![", "<", ">", "`", "``", "&", ";", "&amp;", "#", "\\", "!", "?", ",", "*", "~", "'", "\"", "|", "=",
            "a@b.c", "ann@example.com", "x.y+z@a-b.c_d", "example.org", "> ", "- ", "1. ", "    ", "```", "---",
            "<!--", "-->", "<a href=\"x\">", "</a>", "[d]: /u", "[d]",
        ]
        let count = Int.random(in: 1...120, using: &rng)
        return (0..<count).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    static func describe(_ document: Document) -> String {
        var lines = ["spans \(document.protectedSpans.count)"]
        for span in document.protectedSpans {
            lines.append("\(span.kind.rawValue) \(span.range.lowerBound) \(span.range.upperBound)")
        }
        lines.append("blocks \(document.proseBlocks.count)")
        for block in document.proseBlocks {
            lines.append(block.kind.rawValue + " " + block.ranges.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: " "))
        }
        lines.append("lines " + document.lineStarts.map(String.init).joined(separator: " "))
        return lines.joined(separator: "\n")
    }

    @Test func dump() throws {
        let path = try #require(ProcessInfo.processInfo.environment["HOUSESTYLE_SCAN_DUMP"])
        var inputs: [(name: String, text: String)] = []
        let root = Self.repositoryRoot
        let data = root.deletingLastPathComponent().appendingPathComponent("shared/data")
        for url in Self.textFiles(under: root, extensions: ["md", "txt", "markdown", "yaml"])
            + Self.textFiles(under: data, extensions: ["md", "txt", "tsv", "0", "1", "nltktok", "yml", ""])
        {
            guard let bytes = FileManager.default.contents(atPath: url.path) else { continue }
            inputs.append((url.path, String(decoding: bytes, as: UTF8.self)))
        }
        for seed in UInt64(0)..<3000 {
            var generator = MarkdownGenerator(seed: seed)
            inputs.append(("generated \(seed)", generator.document()))
        }
        for seed in UInt64(0)..<30000 { inputs.append(("soup \(seed)", Self.soup(seed: seed))) }

        try Data().write(to: URL(fileURLWithPath: path))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        for input in inputs {
            for format in [DocumentFormat.markdown, .plain] {
                let document = Document(text: input.text, format: format)
                handle.write(Data("## \(input.name) \(format) \(input.text.utf8.count)\n\(Self.describe(document))\n".utf8))
            }
        }
    }
}
