import Foundation
import HouseStyleText
import HouseStyleYAML

/// One Vale rule file (`<Style>/<Rule>.yml`) as written: the keys the importer reads, each value
/// with where it is.
struct ValeRule: Sendable {
    /// A string of the rule (a token, a swap key or value, an exception) and where it is written.
    struct Text: Sendable, Hashable {
        var text: String
        var mark: SourceMark
    }

    /// The checks Vale has (`extends`).
    static let checks = [
        "existence", "substitution", "occurrence", "repetition", "consistency", "conditional", "capitalization",
        "metric", "readability", "spelling", "sequence", "script",
    ]

    /// `Style.Rule`.
    var id: String
    var path: String
    /// The top of the file.
    var mark: SourceMark
    var extends: String
    var message: String
    var link: String?
    /// Vale's default when the file sets none: `warning`.
    var level: FindingLevel
    var ignorecase: Bool
    var nonword: Bool
    /// Whether accepted vocabulary words are exceptions to the rule (Vale's default: yes).
    var vocab: Bool
    /// Default: `text`.
    var scope: [String]
    var tokens: [Text]
    var raw: [Text]
    /// In file order.
    var swap: [(key: Text, value: Text)]
    var exceptions: [Text]
    /// `action.name` (`replace`, `remove`, `edit`, `convert`, `suggest`), if any.
    var action: String?

    /// Reads the rule file at `path` (its text `source`) of style `style`.
    /// - Throws: `ImportError.yaml` for broken YAML; `.invalidRule` for a file Vale would refuse.
    init(source: String, path: String, style: String) throws(ImportError) {
        let document: YAMLDocument
        do { document = try YAMLParser.parse(source, path: path) } catch { throw .yaml(error) }
        let root = document.root
        guard let entries = root.mapping else {
            throw .invalidRule(mark: root.mark, reason: "a Vale rule is a mapping with 'extends' and 'message', found \(root.kindDescription)")
        }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        id = "\(style).\(name)"
        self.path = path
        mark = root.mark
        func value(_ key: String) -> YAMLNode? { entries.first { $0.key.scalar?.text == key }?.value }
        guard let extendsNode = value("extends"), let extends = extendsNode.scalar?.text, !extends.isEmpty else {
            throw .invalidRule(mark: root.mark, reason: "missing the required key 'extends'")
        }
        guard Self.checks.contains(extends) else {
            throw .invalidRule(mark: extendsNode.mark, reason: "'extends' must be one of \(Self.checks.joined(separator: ", ")), found '\(extends)'")
        }
        self.extends = extends
        message = value("message")?.scalar?.text ?? ""
        link = value("link")?.scalar?.text
        if let node = value("level") {
            guard let text = node.scalar?.text, let level = FindingLevel(rawValue: text) else {
                throw .invalidRule(mark: node.mark, reason: "'level' must be one of suggestion, warning, error, found \(node.scalar.map { "'\($0.text)'" } ?? node.kindDescription)")
            }
            self.level = level
        } else {
            level = .warning
        }
        func flag(_ key: String, default fallback: Bool) throws(ImportError) -> Bool {
            guard let node = value(key) else { return fallback }
            switch node.scalar?.text.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: throw .invalidRule(mark: node.mark, reason: "'\(key)' must be true or false")
            }
        }
        ignorecase = try flag("ignorecase", default: false)
        nonword = try flag("nonword", default: false)
        vocab = try flag("vocab", default: true)
        func texts(_ key: String) throws(ImportError) -> [Text] {
            guard let node = value(key) else { return [] }
            if let scalar = node.scalar { return [Text(text: scalar.text, mark: node.mark)] }
            guard let items = node.sequence else { throw .invalidRule(mark: node.mark, reason: "'\(key)' must be a list of strings") }
            var result: [Text] = []
            for item in items {
                guard let scalar = item.scalar else { throw .invalidRule(mark: item.mark, reason: "'\(key)' must be a list of strings") }
                result.append(Text(text: scalar.text, mark: item.mark))
            }
            return result
        }
        scope = try texts("scope").map(\.text)
        if scope.isEmpty { scope = ["text"] }
        tokens = try texts("tokens").filter { !$0.text.allSatisfy(\.isWhitespace) }
        raw = try texts("raw")
        exceptions = try texts("exceptions")
        swap = []
        if let node = value("swap") {
            guard let pairs = node.mapping else { throw .invalidRule(mark: node.mark, reason: "'swap' must be a mapping of 'observed: expected'") }
            for pair in pairs {
                guard let key = pair.key.scalar, let replacement = pair.value.scalar else {
                    throw .invalidRule(mark: pair.key.mark, reason: "'swap' must map strings to strings")
                }
                swap.append((Text(text: key.text, mark: pair.key.mark),
                             Text(text: replacement.value == .null ? "" : replacement.text, mark: pair.value.mark)))
            }
        }
        action = value("action")?["name"]?.scalar?.text
    }

    /// `message` with each `%s` filled from `values` in turn (Vale's format), trimmed.
    func message(with values: String...) -> String {
        var result = "", remaining = values[...]
        var rest = message[...]
        while let range = rest.range(of: "%s") {
            result += rest[..<range.lowerBound]
            result += remaining.popFirst() ?? ""
            rest = rest[range.upperBound...]
        }
        return (result + rest).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
