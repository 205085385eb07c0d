/// A position in a source file: the file path as given, and a 1-based line and column.
///
/// Columns count Unicode scalars (characters as libyaml sees them), not bytes.
public struct SourceMark: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file path, as it was given to the parser.
    public var path: String
    /// 1-based line number.
    public var line: Int
    /// 1-based column number.
    public var column: Int

    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    /// `path:line:column`, the prefix of a diagnostic.
    public var description: String { "\(path):\(line):\(column)" }
}
