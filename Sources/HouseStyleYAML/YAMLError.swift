/// Why a YAML file could not be turned into a node tree.
public enum YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// libyaml rejected the text. `problem` is libyaml's own text; `context` is what it was
    /// doing (e.g. `while scanning a simple key`) and where it started, when libyaml says so.
    case syntax(problem: String, at: SourceMark, context: String?, contextMark: SourceMark?)
    /// The file holds no YAML document (it is empty or only comments).
    case empty(path: String)
    /// The file holds a second document (`---`); only one document per file is read.
    case multipleDocuments(at: SourceMark)
    /// An alias (`*name`) refers to an anchor that is not defined before it.
    case undefinedAlias(name: String, at: SourceMark)
    /// Aliases expand to more nodes than `YAMLParser.maximumNodeCount` (a "billion laughs" file).
    case tooManyNodes(limit: Int, at: SourceMark)
    /// Collections nest deeper than `YAMLParser.maximumDepth`.
    case tooDeep(limit: Int, at: SourceMark)
    /// A mapping holds the same key twice; `first` is where it was first defined.
    case duplicateKey(key: String, at: SourceMark, first: SourceMark)

    /// Where the problem is; for an empty file, line 1 column 1.
    public var mark: SourceMark {
        switch self {
        case .syntax(_, let mark, _, _), .multipleDocuments(let mark), .undefinedAlias(_, let mark),
            .tooManyNodes(_, let mark), .tooDeep(_, let mark), .duplicateKey(_, let mark, _):
            return mark
        case .empty(let path):
            return SourceMark(path: path, line: 1, column: 1)
        }
    }

    /// The message without its location, lowercase and actionable.
    public var message: String {
        switch self {
        case .syntax(let problem, _, let context, let contextMark):
            guard let context else { return "invalid YAML: \(problem)" }
            if let contextMark {
                return "invalid YAML: \(problem) (\(context) at line \(contextMark.line), column \(contextMark.column))"
            }
            return "invalid YAML: \(problem) (\(context))"
        case .empty:
            return "the file is empty; it holds no YAML document"
        case .multipleDocuments:
            return "a second YAML document starts here; keep one document per file"
        case .undefinedAlias(let name, _):
            return "alias '*\(name)' refers to no anchor defined before it; define '&\(name)' first"
        case .tooManyNodes(let limit, _):
            return "aliases expand to more than \(limit) nodes; write the values out instead"
        case .tooDeep(let limit, _):
            return "collections nest deeper than \(limit) levels"
        case .duplicateKey(let key, _, let first):
            return "duplicate key '\(key)' (first defined at line \(first.line), column \(first.column))"
        }
    }

    /// `path:line:column: error: message`.
    public var description: String { "\(mark): error: \(message)" }
}
