/// A part of a document that stages must not change: markup structure, code, URLs, HTML.
///
/// Ranges are UTF-8 byte offsets into the original text, half-open.
public struct ProtectedSpan: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What a protected span is, in the words used by error messages.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        /// YAML (`---`) or TOML (`+++`) front matter at the start of a Markdown file.
        case frontMatter
        /// A fenced code block, fences and info string included.
        case fencedCode
        /// An indented code block (one span per run of lines).
        case indentedCode
        /// An inline code span, backticks included.
        case codeSpan
        /// A bare URL (`https://…`, `www.…`) or a URI autolink (`<https://…>`).
        case url
        /// A bare e-mail address or an e-mail autolink (`<ann@example.com>`).
        case email
        /// A path, host, file name or code identifier written as text: `/api/v1/push`,
        /// `github.com/go-redis/redis`, `config.yaml`, `snake_case`, `xk6-loki`.
        case identifier
        /// The `[` that opens an inline or reference link; the link text after it is prose.
        case linkMarker
        /// The end of a link: `](destination "title")`, `][label]` or `]`.
        case linkDestination
        /// A collapsed or shortcut reference link, `[label][]` or `[label]`: its text is the label
        /// that finds the definition, so it is protected whole.
        case referenceLink
        /// A link reference definition: `[label]: destination "title"`.
        case linkReferenceDefinition
        /// A whole image, `![alt](destination)`: the alt text is protected too.
        case image
        /// An HTML block.
        case htmlBlock
        /// An inline HTML tag, comment, processing instruction or declaration.
        case inlineHTML
        /// The `|---|:---:|` row under a table header.
        case tableDelimiterRow
        /// A `|` between table cells (the cells are prose).
        case tablePipe
        /// The `#` run of an ATX heading (with its indentation and following spaces) or a setext underline.
        case headingMarker
        /// A bullet or ordered list marker with its indentation and following spaces.
        case listMarker
        /// A `>` block quote marker with its indentation and one following space.
        case blockQuoteMarker
        /// A thematic break line (`***`, `---`, `___`).
        case thematicBreak
        /// A backslash escape such as `\*`.
        case escape
        /// An entity or numeric character reference such as `&amp;` or `&#8212;`.
        case entity
        /// Text the style's `ignore` settings or a `<!-- housestyle off -->` comment leave alone:
        /// template syntax, maths, a pattern of the style.
        case ignored

        public var description: String {
            switch self {
            case .frontMatter: "front matter"
            case .fencedCode: "fenced code block"
            case .indentedCode: "indented code block"
            case .codeSpan: "code span"
            case .url: "URL"
            case .email: "e-mail address"
            case .identifier: "path or identifier"
            case .linkMarker: "link marker"
            case .linkDestination: "link destination"
            case .referenceLink: "reference link label"
            case .linkReferenceDefinition: "link reference definition"
            case .image: "image"
            case .htmlBlock: "HTML block"
            case .inlineHTML: "inline HTML"
            case .tableDelimiterRow: "table delimiter row"
            case .tablePipe: "table pipe"
            case .headingMarker: "heading marker"
            case .listMarker: "list marker"
            case .blockQuoteMarker: "block quote marker"
            case .thematicBreak: "thematic break"
            case .escape: "backslash escape"
            case .entity: "character reference"
            case .ignored: "ignored text"
            }
        }
    }

    /// Bytes of the original text (UTF-8 offsets, half-open).
    public var range: Range<Int>
    public var kind: Kind

    public init(range: Range<Int>, kind: Kind) {
        self.range = range
        self.kind = kind
    }

    public var description: String { "\(kind) at bytes \(range.lowerBound)..<\(range.upperBound)" }
}

/// A unit of prose — a paragraph, heading or table cell — as the byte ranges of its text.
///
/// The ranges exclude protected spans and markers; sentences never cross a prose block.
public struct ProseBlock: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case paragraph, heading, tableCell
    }

    public var kind: Kind
    /// Sorted, non-overlapping, non-empty byte ranges of prose.
    public var ranges: [Range<Int>]

    public init(kind: Kind, ranges: [Range<Int>]) {
        self.kind = kind
        self.ranges = ranges
    }
}

/// A position in a text for messages such as `docs/intro.md:3:14`.
public struct SourceLocation: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// 1-based line number; lines end at `\n` (a `\r\n` pair counts as one line ending).
    public var line: Int
    /// 1-based column counted in Unicode scalars from the start of the line.
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.line, lhs.column) < (rhs.line, rhs.column) }

    public var description: String { "\(line):\(column)" }
}
