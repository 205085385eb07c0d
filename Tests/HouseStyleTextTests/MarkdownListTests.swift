import Testing
@testable import HouseStyleText

/// The prose blocks of a document, one string per block: its prose ranges, quoted, joined by `+`.
func describeBlocks(_ document: Document) -> [String] {
    document.proseBlocks.map { block in
        block.ranges.map { document.text(in: $0).debugDescription }.joined(separator: " + ")
    }
}

/// A list in Markdown, with its protected spans and the prose blocks CommonMark makes of it
/// (checked with cmark-gfm 0.29 and markdown-it-py).
struct ListSnippet: CustomTestStringConvertible, Sendable {
    var name: String
    var markdown: String
    var spans: [String]
    var blocks: [String]
    var testDescription: String { name }
}

let listSnippets: [ListSnippet] = [
    .init(
        name: "ordered items numbered after 1", markdown: "1. a\n2. b\n10. c\n",
        spans: [#"listMarker "1. ""#, #"listMarker "2. ""#, #"listMarker "10. ""#],
        blocks: [#""a""#, #""b""#, #""c""#]),
    .init(
        name: "closing parenthesis delimiters", markdown: "1) a\n2) b\n",
        spans: [#"listMarker "1) ""#, #"listMarker "2) ""#], blocks: [#""a""#, #""b""#]),
    .init(
        name: "a change of delimiter starts a new list", markdown: "1. a\n2) b\n3. c\n",
        spans: [#"listMarker "1. ""#, #"listMarker "2) ""#, #"listMarker "3. ""#],
        blocks: [#""a""#, #""b""#, #""c""#]),
    .init(
        name: "a list starting at a number other than 1", markdown: "7. a\n8. b\n",
        spans: [#"listMarker "7. ""#, #"listMarker "8. ""#], blocks: [#""a""#, #""b""#]),
    .init(
        name: "items separated by blank lines", markdown: "1. a\n\n2. b\n",
        spans: [#"listMarker "1. ""#, #"listMarker "2. ""#], blocks: [#""a""#, #""b""#]),
    .init(
        name: "ordered list nested in a bullet item", markdown: "- a\n  1. b\n  2. c\n- d\n",
        spans: [#"listMarker "- ""#, #"listMarker "1. ""#, #"listMarker "2. ""#, #"listMarker "- ""#],
        blocks: [#""a""#, #""b""#, #""c""#, #""d""#]),
    .init(
        name: "bullet list nested in an ordered item", markdown: "1. a\n   - b\n   - c\n2. d\n",
        spans: [#"listMarker "1. ""#, #"listMarker "- ""#, #"listMarker "- ""#, #"listMarker "2. ""#],
        blocks: [#""a""#, #""b""#, #""c""#, #""d""#]),
    .init(
        name: "a lazy continuation line, then the next item", markdown: "1. a\nlazy\n2. b\n",
        spans: [#"listMarker "1. ""#, #"listMarker "2. ""#], blocks: [#""a\nlazy""#, #""b""#]),
    .init(
        name: "an ordered list after a bullet list", markdown: "- a\n2. b\n",
        spans: [#"listMarker "- ""#, #"listMarker "2. ""#], blocks: [#""a""#, #""b""#]),
    .init(
        name: "an ordered list after a block quote", markdown: "> a\n2. b\n",
        spans: [#"blockQuoteMarker "> ""#, #"listMarker "2. ""#], blocks: [#""a""#, #""b""#]),
    .init(
        name: "inside an item a number under its text continues the paragraph", markdown: "1. a\n   2. b\n",
        spans: [#"listMarker "1. ""#], blocks: [#""a\n   2. b""#]),
    .init(
        name: "inside a block quote a number other than 1 continues the paragraph", markdown: "> a\n> 2. b\n",
        spans: [#"blockQuoteMarker "> ""#, #"blockQuoteMarker "> ""#], blocks: [#""a" + "2. b""#]),
    .init(
        // An item's indentation counts from where the block quote's markers end on each line.
        name: "an item's paragraph in a block quote whose marker moves", markdown: "  > 1. a\n>\n>     b\n",
        spans: [#"blockQuoteMarker "  > ""#, #"listMarker "1. ""#, #"blockQuoteMarker ">""#, #"blockQuoteMarker "> ""#],
        blocks: [#""a""#, #""b""#]),
    .init(
        name: "a number other than 1 cannot interrupt a paragraph",
        markdown: "The number of windows in my house is\n14.  The number of doors is 6.\n",
        spans: [], blocks: [#""The number of windows in my house is\n14.  The number of doors is 6.""#]),
    .init(
        name: "an empty bullet item between items", markdown: "- foo\n-\n- bar\n",
        spans: [#"listMarker "- ""#, #"listMarker "-""#, #"listMarker "- ""#], blocks: [#""foo""#, #""bar""#]),
    .init(
        name: "an empty ordered item between items", markdown: "1. a\n2.\n3. c\n",
        spans: [#"listMarker "1. ""#, #"listMarker "2.""#, #"listMarker "3. ""#], blocks: [#""a""#, #""c""#]),
    .init(
        name: "an empty item cannot interrupt a paragraph", markdown: "foo\n*\n\nfoo\n1.\n",
        spans: [], blocks: [#""foo\n*""#, #""foo\n1.""#]),
    .init(
        name: "each bullet character starts a new list", markdown: "- a\n* b\n+ c\n",
        spans: [#"listMarker "- ""#, #"listMarker "* ""#, #"listMarker "+ ""#], blocks: [#""a""#, #""b""#, #""c""#]),
]

@Test(arguments: listSnippets)
func listItemsAreParagraphsOfTheirOwn(_ snippet: ListSnippet) {
    let document = Document(text: snippet.markdown, format: .markdown)
    #expect(describeSpans(document) == snippet.spans)
    #expect(describeBlocks(document) == snippet.blocks)
    #expect(document.proseBlocks.allSatisfy { $0.kind == .paragraph })
}
