/// How a document's text is marked up.
public enum DocumentFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// Plain text: only URLs and e-mail addresses are protected.
    case plain
    /// CommonMark with the GitHub extensions for tables and bare URLs.
    case markdown

    /// File extensions (lowercase, without the dot) read as Markdown.
    public static let markdownExtensions: Set<String> = ["md", "markdown", "mdown", "mkd", "mkdn", "mdwn", "mdtext", "mdx"]

    /// The format a file's extension implies: Markdown for `.md`, `.markdown`, …; plain text otherwise.
    public init(path: String) {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else {
            self = .plain
            return
        }
        let ext = name[name.index(after: dot)...].lowercased()
        self = Self.markdownExtensions.contains(ext) ? .markdown : .plain
    }
}
