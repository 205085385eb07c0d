import Testing
@testable import HouseStyleText

/// Protected spans and prose of a document, as `kind "text"` lines, for exact comparison.
func describeSpans(_ document: Document) -> [String] {
    document.protectedSpans.map { "\($0.kind.rawValue) \(document.text(in: $0.range).debugDescription)" }
}

func describeProse(_ document: Document) -> [String] {
    document.proseRanges.map { document.text(in: $0).debugDescription }
}

struct MarkdownSnippet: CustomTestStringConvertible, Sendable {
    var name: String
    var markdown: String
    var spans: [String]
    var prose: [String]
    var testDescription: String { name }
}

let markdownSnippets: [MarkdownSnippet] = [
    .init(
        name: "front matter", markdown: "---\ntitle: A\n---\nHello.\n",
        spans: [#"frontMatter "---\ntitle: A\n---""#], prose: [#""Hello.""#]),
    .init(
        name: "unclosed front matter is a thematic break", markdown: "---\ntitle: A\n",
        spans: [#"thematicBreak "---""#], prose: [#""title: A""#]),
    .init(
        name: "ATX heading with closing hashes", markdown: "## Install it ##\n",
        spans: [###"headingMarker "## ""###, ###"headingMarker "##""###], prose: [#""Install it""#]),
    .init(
        name: "setext heading", markdown: "Title\n=====\n\nBody\n",
        spans: [#"headingMarker "=====""#], prose: [#""Title""#, #""Body""#]),
    .init(
        name: "fenced code with info string, unclosed", markdown: "Run:\n\n~~~ swift\nlet x = 1\n\nprint(x)\n",
        spans: [#"fencedCode "~~~ swift\nlet x = 1\n\nprint(x)""#], prose: [#""Run:""#]),
    .init(
        name: "backtick fence needs a longer closer", markdown: "````\n```\ncode\n````\nafter\n",
        spans: [#"fencedCode "````\n```\ncode\n````""#], prose: [#""after""#]),
    .init(
        name: "indented code after a blank line", markdown: "Text\n\n    code\n\n    more\n\nEnd\n",
        spans: [#"indentedCode "    code\n\n    more""#], prose: [#""Text""#, #""End""#]),
    .init(
        name: "indented line cannot interrupt a paragraph", markdown: "Text\n    still text\n",
        spans: [], prose: [#""Text\n    still text""#]),
    .init(
        name: "code spans with backtick runs", markdown: "Use ``a ` b`` and `c`, not ```d``.\n",
        spans: [#"codeSpan "``a ` b``""#, #"codeSpan "`c`""#], prose: [#""Use ""#, #"" and ""#, #"", not ```d``.""#]),
    .init(
        name: "inline link", markdown: "See [the guide](https://example.com/a \"Guide\") now.\n",
        spans: [#"linkMarker "[""#, #"linkDestination "](https://example.com/a \"Guide\")""#],
        prose: [#""See ""#, #""the guide""#, #"" now.""#]),
    .init(
        name: "image is protected whole", markdown: "An ![old `logo`](logo.png) here.\n",
        spans: [#"image "![old `logo`](logo.png)""#], prose: [#""An ""#, #"" here.""#]),
    .init(
        name: "reference link and definition", markdown: "Read [the docs][d] and [d].\n\n[d]: https://example.com \"Docs\"\n",
        spans: [
            // A shortcut link's text is its label: editing it would break the link.
            #"linkMarker "[""#, #"linkDestination "][d]""#, #"referenceLink "[d]""#,
            #"linkReferenceDefinition "[d]: https://example.com \"Docs\"""#,
        ],
        prose: [#""Read ""#, #""the docs""#, #"" and ""#, #"".""#]),
    .init(
        name: "undefined reference is text", markdown: "Not [a link] here.\n",
        spans: [], prose: [#""Not [a link] here.""#]),
    .init(
        name: "autolinks", markdown: "Mail <ann@example.com> or <https://example.com/x>.\n",
        spans: [#"email "<ann@example.com>""#, #"url "<https://example.com/x>""#],
        prose: [#""Mail ""#, #"" or ""#, #"".""#]),
    .init(
        name: "bare URLs drop trailing punctuation", markdown: "Go to https://example.com/a_(b). Or www.example.org/x?\n",
        spans: [#"url "https://example.com/a_(b)""#, #"url "www.example.org/x""#],
        prose: [#""Go to ""#, #"". Or ""#, #""?""#]),
    .init(
        name: "URL in parentheses", markdown: "(see https://example.com/x)\n",
        spans: [#"url "https://example.com/x""#], prose: [#""(see ""#, #"")""#]),
    .init(
        name: "bare e-mail", markdown: "Write to ann.lee+docs@example.co.uk.\n",
        spans: [#"email "ann.lee+docs@example.co.uk""#], prose: [#""Write to ""#, #"".""#]),
    .init(
        name: "inline HTML, escapes and entities", markdown: "A <span class=\"x\">b</span> \\*c\\* &amp; d&#8212;e\n",
        spans: [
            #"inlineHTML "<span class=\"x\">""#, #"inlineHTML "</span>""#, #"escape "\\*""#, #"escape "\\*""#,
            #"entity "&amp;""#, #"entity "&#8212;""#,
        ],
        prose: [#""A ""#, #""b""#, #""c""#, #"" d""#, #""e""#]),
    .init(
        name: "HTML comment block ends at -->", markdown: "<!-- note\nstill -->\nText\n",
        spans: [#"htmlBlock "<!-- note\nstill -->""#], prose: [#""Text""#]),
    .init(
        name: "HTML div block ends at a blank line", markdown: "<div>\n*hi*\n</div>\n\nText\n",
        spans: [#"htmlBlock "<div>\n*hi*\n</div>""#], prose: [#""Text""#]),
    .init(
        name: "kind 7 HTML cannot interrupt a paragraph", markdown: "Text\n<span>\n",
        spans: [#"inlineHTML "<span>""#], prose: [#""Text\n""#]),
    .init(
        name: "bullet list with nested ordered list", markdown: "- One\n- Two\n  1. Sub\n",
        spans: [#"listMarker "- ""#, #"listMarker "- ""#, #"listMarker "1. ""#],
        prose: [#""One""#, #""Two""#, #""Sub""#]),
    .init(
        name: "ordered list not starting at 1 cannot interrupt a paragraph", markdown: "The year\n1984. was good\n",
        spans: [], prose: [#""The year\n1984. was good""#]),
    .init(
        name: "list item continuation paragraph", markdown: "1. First\n\n   More text\n",
        spans: [#"listMarker "1. ""#], prose: [#""First""#, #""More text""#]),
    .init(
        name: "block quote with lazy continuation", markdown: "> Quoted `x`\nlazy line\n> > deep\n",
        spans: [
            #"blockQuoteMarker "> ""#, #"codeSpan "`x`""#, #"blockQuoteMarker "> > ""#,
        ],
        prose: [#""Quoted ""#, #""\nlazy line""#, #""deep""#]),
    .init(
        name: "fenced code inside a block quote", markdown: "> ```\n> code\n> ```\n",
        spans: [
            #"blockQuoteMarker "> ""#, #"fencedCode "```""#, #"blockQuoteMarker "> ""#, #"fencedCode "code""#,
            #"blockQuoteMarker "> ""#, #"fencedCode "```""#,
        ],
        prose: []),
    .init(
        name: "GFM table", markdown: "| Name | Use `x` |\n|:-----|------:|\n| a \\| b | c |\n\nAfter\n",
        spans: [
            #"tablePipe "|""#, #"tablePipe "|""#, #"codeSpan "`x`""#, #"tablePipe "|""#,
            #"tableDelimiterRow "|:-----|------:|""#, #"tablePipe "|""#, #"escape "\\|""#, #"tablePipe "|""#,
            #"tablePipe "|""#,
        ],
        prose: [#""Name""#, #""Use ""#, #""a ""#, #"" b""#, #""c""#, #""After""#]),
    .init(
        name: "thematic break and setext precedence", markdown: "Para\n---\n\n* * *\n",
        spans: [#"headingMarker "---""#, #"thematicBreak "* * *""#], prose: [#""Para""#]),
    .init(
        name: "CRLF and tabs", markdown: "# Title\r\n\r\nText\twith tab\r\n\r\n\tcode\r\n",
        spans: [##"headingMarker "# ""##, #"indentedCode "\tcode""#], prose: [#""Title""#, #""Text\twith tab""#]),
    .init(
        name: "byte order mark", markdown: "\u{FEFF}Hello `x`\n",
        spans: [#"codeSpan "`x`""#], prose: [#""Hello ""#]),
    .init(
        name: "unclosed openers stay prose", markdown: "a `b [c <d &e http:// f\n",
        spans: [], prose: [#""a `b [c <d &e http:// f""#]),
]

@Test(arguments: markdownSnippets)
func markdownSpans(_ snippet: MarkdownSnippet) {
    let document = Document(text: snippet.markdown, format: .markdown)
    #expect(describeSpans(document) == snippet.spans)
    #expect(describeProse(document) == snippet.prose)
}

@Test func plainTextProtectsOnlyURLsAndEmails() {
    let document = Document(text: "Use `x` at https://example.com/a.\n\nMail ann@example.com, <b>.\n", format: .plain)
    #expect(describeSpans(document) == [#"url "https://example.com/a""#, #"email "ann@example.com""#])
    #expect(describeProse(document) == [#""Use `x` at ""#, #"".""#, #""Mail ""#, #"", <b>.""#])
    #expect(document.proseBlocks.map(\.ranges.count) == [2, 2])
}

@Test func proseBlocksHaveKinds() {
    let document = Document(text: "# H\n\nP\n\n| a |\n| - |\n", format: .markdown)
    #expect(document.proseBlocks.map(\.kind) == [.heading, .paragraph, .tableCell])
}
