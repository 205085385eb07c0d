import Foundation
import HouseStyleYAML

/// A `.vale.ini` as written: its global keys and its sections (`[*.md]`), each key with where it is.
struct ValeConfig: Sendable {
    struct Entry: Sendable, Hashable {
        var key: String
        var value: String
        /// Where the key is.
        var mark: SourceMark
    }

    struct Section: Sendable, Hashable {
        /// The glob between the brackets (`*.{md,txt}`), or `formats`.
        var name: String
        var mark: SourceMark
        var entries: [Entry]
    }

    var path: String
    /// The keys before the first section.
    var global: [Entry]
    var sections: [Section]

    /// - Throws: `ImportError.invalidConfig` at the first line that is neither a comment, a
    ///   `[section]` nor `key = value`.
    init(source: String, path: String) throws(ImportError) {
        self.path = path
        var global: [Entry] = [], sections: [Section] = []
        for (number, rawLine) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            let text = line.trimmingCharacters(in: .whitespaces)
            let mark = SourceMark(path: path, line: number + 1, column: indent + 1)
            if text.isEmpty || text.hasPrefix("#") || text.hasPrefix(";") { continue }
            if text.hasPrefix("[") {
                guard text.hasSuffix("]"), text.count > 2 else {
                    throw .invalidConfig(mark: mark, reason: "a section header is '[glob]', found '\(text)'")
                }
                sections.append(Section(name: String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces), mark: mark, entries: []))
                continue
            }
            guard let equals = text.firstIndex(of: "=") else {
                throw .invalidConfig(mark: mark, reason: "expected 'key = value' or '[section]', found '\(text)'")
            }
            let key = text[..<equals].trimmingCharacters(in: .whitespaces)
            var value = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard !key.isEmpty else { throw .invalidConfig(mark: mark, reason: "a key is missing before '='") }
            let entry = Entry(key: key, value: value, mark: mark)
            if sections.isEmpty { global.append(entry) } else { sections[sections.count - 1].entries.append(entry) }
        }
        self.global = global
        self.sections = sections
    }

    /// A comma-separated value as its items, trimmed, empty ones left out.
    static func list(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The globs a section glob stands for, with `{a,b}` alternatives expanded (`*.{md,txt}` ->
    /// `*.md`, `*.txt`).
    static func expandBraces(_ glob: String) -> [String] {
        guard let open = glob.firstIndex(of: "{"), let close = glob[open...].firstIndex(of: "}") else { return [glob] }
        let head = glob[..<open], tail = String(glob[glob.index(after: close)...])
        return glob[glob.index(after: open)..<close].split(separator: ",", omittingEmptySubsequences: false).flatMap { option in
            expandBraces(tail).map { head + option + $0 }
        }
    }
}
