internal import CYAML

/// Builds a `YAMLDocument` from the events of libyaml's parser (`yaml_parser_parse`), keeping
/// the position of every node.
public enum YAMLParser {
    /// Aliases may expand the document to at most this many nodes.
    public static let maximumNodeCount = 1_000_000
    /// Sequences and mappings may nest at most this deep.
    public static let maximumDepth = 256

    /// Parses the text of a file.
    ///
    /// - Parameters:
    ///   - text: the whole file.
    ///   - path: the file's path as it should appear in positions and messages.
    /// - Throws: `YAMLError` for a syntax error (with libyaml's problem text and position), an
    ///   empty file, a second document, an undefined alias, or a document too large or deep.
    ///   Duplicate keys do not throw; they are listed in `YAMLDocument.duplicateKeys`.
    public static func parse(_ text: String, path: String) throws(YAMLError) -> YAMLDocument {
        try parse(bytes: Array(text.utf8), path: path)
    }

    /// Parses raw bytes (UTF-8, or UTF-16 with a byte order mark, as libyaml accepts).
    public static func parse(bytes: [UInt8], path: String) throws(YAMLError) -> YAMLDocument {
        guard !bytes.isEmpty else { throw .empty(path: path) }
        var builder = TreeBuilder(path: path)
        let result: Result<YAMLDocument, YAMLError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                preconditionFailure("libyaml could not allocate a parser")
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    return .failure(syntaxError(parser, bytes: buffer, path: path))
                }
                defer { yaml_event_delete(&event) }
                do throws(YAMLError) {
                    if let document = try builder.handle(event) { return .success(document) }
                } catch {
                    return .failure(error)
                }
            }
        }
        return try result.get()
    }

    private static func syntaxError(_ parser: yaml_parser_t, bytes: UnsafeBufferPointer<UInt8>, path: String) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        if parser.error == YAML_READER_ERROR {
            // Reader errors (bad encoding) carry a byte offset instead of a mark.
            let offset = min(Int(parser.problem_offset), bytes.count)
            let mark = mark(ofOffset: offset, in: bytes, path: path)
            let value = parser.problem_value
            let context = value >= 0 ? "byte 0x\(String(value, radix: 16, uppercase: true)) at offset \(offset)" : "at offset \(offset)"
            return .syntax(problem: problem, at: mark, context: context, contextMark: nil)
        }
        let mark = SourceMark(parser.problem_mark, path: path)
        var context = parser.context.map { String(cString: $0) }
        if character(at: mark, in: bytes) == "\t" {
            // libyaml's words do not say the culprit is a tab, the commonest cause.
            context = "YAML indents with spaces, not tabs; a tab is here"
            return .syntax(problem: problem, at: mark, context: context, contextMark: nil)
        }
        return .syntax(
            problem: problem, at: mark, context: context,
            contextMark: context == nil ? nil : SourceMark(parser.context_mark, path: path))
    }

    /// The character at a 1-based line and column of the text, if there is one.
    private static func character(at mark: SourceMark, in bytes: UnsafeBufferPointer<UInt8>) -> Character? {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard mark.line <= lines.count else { return nil }
        let line = String(decoding: lines[mark.line - 1], as: UTF8.self)
        let scalars = Array(line.unicodeScalars)
        guard mark.column <= scalars.count else { return nil }
        return Character(scalars[mark.column - 1])
    }

    private static func mark(ofOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>, path: String) -> SourceMark {
        let prefix = bytes[..<offset]
        let line = prefix.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        let lineStart = (prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
        return SourceMark(path: path, line: line, column: column)
    }
}

extension SourceMark {
    /// libyaml marks are 0-based; ours are 1-based.
    fileprivate init(_ mark: yaml_mark_t, path: String) {
        self.init(path: path, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }
}

/// Turns the event stream into a tree with an explicit stack (no recursion).
private struct TreeBuilder {
    /// A collection being built.
    private struct Frame {
        var mark: SourceMark
        var tag: String?
        var anchor: String?
        var isMapping: Bool
        var items: [YAMLNode] = []
        var entries: [YAMLMappingEntry] = []
        var pendingKey: YAMLNode?
        var pendingKeyIsDuplicate = false
        /// Scalar keys seen so far and where.
        var scalarKeys: [YAMLValue: SourceMark] = [:]
        /// Nodes inside, counting alias expansions.
        var size = 1
    }

    let path: String
    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var root: YAMLNode?
    private var sawDocument = false
    private var nodeCount = 0
    private var duplicateKeys: [YAMLError] = []

    init(path: String) { self.path = path }

    /// Handles one event; returns the document when the stream ends.
    mutating func handle(_ event: yaml_event_t) throws(YAMLError) -> YAMLDocument? {
        let mark = SourceMark(event.start_mark, path: path)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            if sawDocument { throw .multipleDocuments(at: mark) }
            sawDocument = true
        case YAML_STREAM_END_EVENT:
            guard let root else { throw .empty(path: path) }
            return YAMLDocument(root: root, duplicateKeys: duplicateKeys)
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: data.value, count: Int(data.length)), as: UTF8.self)
            let scalar = YAMLScalar(text: text, style: Self.style(data.style), tag: Self.string(data.tag))
            try add(YAMLNode(.scalar(scalar), mark: mark), size: 1, anchor: Self.string(data.anchor))
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let anchored = anchors[name] else { throw .undefinedAlias(name: name, at: mark) }
            var node = anchored.node
            node.mark = mark
            try add(node, size: anchored.size, anchor: nil)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            try push(Frame(mark: mark, tag: Self.string(data.tag), anchor: Self.string(data.anchor), isMapping: false))
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            try push(Frame(mark: mark, tag: Self.string(data.tag), anchor: Self.string(data.anchor), isMapping: true))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            let content: YAMLNode.Content = frame.isMapping ? .mapping(frame.entries) : .sequence(frame.items)
            nodeCount -= 1  // counted when pushed; `add` counts it again with its size
            try add(YAMLNode(content, mark: frame.mark, tag: frame.tag), size: frame.size, anchor: frame.anchor)
        default:
            break  // stream start, document end
        }
        return nil
    }

    private mutating func push(_ frame: Frame) throws(YAMLError) {
        guard stack.count < YAMLParser.maximumDepth else { throw .tooDeep(limit: YAMLParser.maximumDepth, at: frame.mark) }
        nodeCount += 1
        stack.append(frame)
    }

    private mutating func add(_ node: YAMLNode, size: Int, anchor: String?) throws(YAMLError) {
        nodeCount += size
        guard nodeCount <= YAMLParser.maximumNodeCount else {
            throw .tooManyNodes(limit: YAMLParser.maximumNodeCount, at: node.mark)
        }
        if let anchor { anchors[anchor] = (node, size) }
        guard !stack.isEmpty else {
            root = node
            return
        }
        stack[stack.count - 1].size += size
        if !stack[stack.count - 1].isMapping {
            stack[stack.count - 1].items.append(node)
            return
        }
        guard let key = stack[stack.count - 1].pendingKey else {
            stack[stack.count - 1].pendingKey = node
            stack[stack.count - 1].pendingKeyIsDuplicate = isDuplicate(key: node)
            return
        }
        if !stack[stack.count - 1].pendingKeyIsDuplicate {
            stack[stack.count - 1].entries.append(YAMLMappingEntry(key: key, value: node))
        }
        stack[stack.count - 1].pendingKey = nil
    }

    /// Records `key` in the current mapping, or reports it when the mapping already has it.
    private mutating func isDuplicate(key: YAMLNode) -> Bool {
        let frame = stack[stack.count - 1]
        var first: SourceMark?
        if let scalar = key.scalar {
            first = frame.scalarKeys[scalar.value]
            if first == nil { stack[stack.count - 1].scalarKeys[scalar.value] = key.mark }
        } else {
            first = frame.entries.first { $0.key.scalar == nil && $0.key.hasSameContent(as: key) }?.key.mark
        }
        guard let first else { return false }
        duplicateKeys.append(.duplicateKey(key: key.scalar?.text ?? key.kindDescription, at: key.mark, first: first))
        return true
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }
}
