import Testing
@testable import HouseStyleText

@Test(arguments: [
    "\u{FEFF}# Title\r\n\r\nText with trailing spaces   \r\n\tand a tab\r\n",
    "plain\n\n\n  indented  \n\t\n",
    "no final newline",
    "",
    "---\nkey: v\n---\n> quote `x`\n\n| a | b |\n|---|---|\n| c | d |\n",
])
func noEditsRoundTripExactly(_ text: String) throws {
    for format in DocumentFormat.allCases {
        let document = Document(text: text, format: format)
        let output = try document.applying([])
        #expect(Array(output.utf8) == Array(text.utf8))
    }
}

@Test(arguments: [
    ("docs/intro.md", DocumentFormat.markdown), ("README.MARKDOWN", .markdown), ("a/b.mdx", .markdown),
    ("notes.txt", .plain), ("Makefile", .plain), (".md", .plain), ("dir.md/file", .plain),
])
func formatFromPath(_ path: String, _ format: DocumentFormat) {
    #expect(DocumentFormat(path: path) == format)
}

@Test func locationsCountLinesAndUnicodeScalars() {
    let document = Document(text: "ab\r\ncé\tz\n", format: .plain)
    #expect(document.location(ofByte: 0) == SourceLocation(line: 1, column: 1))
    #expect(document.location(ofByte: 2) == SourceLocation(line: 1, column: 3))
    #expect(document.location(ofByte: 8) == SourceLocation(line: 2, column: 4))
    #expect(document.location(ofByte: 10) == SourceLocation(line: 3, column: 1))
    #expect(document.location(ofByte: 8).description == "2:4")
}

@Test func aByteOrderMarkIsNotAColumn() {
    let document = Document(text: "\u{FEFF}ab\n\u{FEFF}c\n", format: .plain)
    #expect(document.location(ofByte: 0) == SourceLocation(line: 1, column: 1))
    #expect(document.location(ofByte: 1) == SourceLocation(line: 1, column: 1))
    #expect(document.location(ofByte: 3) == SourceLocation(line: 1, column: 1))
    #expect(document.location(ofByte: 4) == SourceLocation(line: 1, column: 2))
    // Only a mark at the start of the text: one on a later line is a character like any other.
    #expect(document.location(ofByte: 9) == SourceLocation(line: 2, column: 2))
}

@Test func appliesEditsAndKeepsEverythingElse() throws {
    let text = "Teh `teh` colour\r\nis simply grey.\r\n"
    let document = Document(text: text, format: .markdown)
    let edits = [
        Edit(range: 30..<31, replacement: "a", rule: "spelling", reason: "en-US"),
        Edit(range: 0..<3, replacement: "The", rule: "typos", reason: "misspelt"),
        Edit(range: 21..<28, replacement: "", rule: "avoid", reason: "filler"),
        Edit(range: 10..<16, replacement: "color", rule: "spelling", reason: "en-US"),
    ]
    #expect(try document.applying(edits) == "The `teh` color\r\nis gray.\r\n")
}

@Test func insertionsNextToProtectedSpansAreAllowed() throws {
    let document = Document(text: "a `b` c", format: .markdown)
    let edits = [
        Edit(range: 2..<2, replacement: "[", rule: "r1", reason: ""),
        Edit(range: 5..<5, replacement: "]", rule: "r2", reason: ""),
    ]
    #expect(try document.applying(edits) == "a [`b`] c")
}

struct RejectedEdits: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var edits: [Edit]
    var message: String
    var testDescription: String { name }
}

let rejectedEdits: [RejectedEdits] = [
    .init(
        name: "touches a code span", text: "Use `code` here.\n",
        edits: [Edit(range: 5..<7, replacement: "x", rule: "terms", reason: "")],
        message: "edit by rule 'terms' at 1:6 (bytes 5..<7) touches a protected code span (bytes 4..<10);"
            + " edits may change prose only"),
    .init(
        name: "covers a whole URL", text: "See https://example.com now.\n",
        edits: [Edit(range: 4..<23, replacement: "it", rule: "rewrite", reason: "")],
        message: "edit by rule 'rewrite' at 1:5 (bytes 4..<23) touches a protected URL (bytes 4..<23);"
            + " edits may change prose only"),
    .init(
        name: "inserts inside a fenced code block", text: "x\n\n```\ncode\n```\n",
        edits: [Edit(range: 8..<8, replacement: "y", rule: "smart_quotes", reason: "")],
        message: "edit by rule 'smart_quotes' at 4:2 (bytes 8..<8) touches a protected fenced code block"
            + " (bytes 3..<15); edits may change prose only"),
    .init(
        name: "overlapping edits", text: "abcdefgh\n",
        edits: [
            Edit(range: 2..<5, replacement: "x", rule: "spelling", reason: ""),
            Edit(range: 0..<3, replacement: "y", rule: "terms", reason: ""),
        ],
        message: "edit by rule 'spelling' at 1:3 (bytes 2..<5) overlaps edit by rule 'terms' (bytes 0..<3);"
            + " only one of them can be applied"),
    .init(
        name: "two insertions at one offset", text: "abc\n",
        edits: [
            Edit(range: 1..<1, replacement: "x", rule: "a", reason: ""),
            Edit(range: 1..<1, replacement: "y", rule: "b", reason: ""),
        ],
        message: "edit by rule 'b' at 1:2 (bytes 1..<1) overlaps edit by rule 'a' (bytes 1..<1);"
            + " only one of them can be applied"),
    .init(
        name: "splits a character", text: "café ok\n",
        edits: [Edit(range: 4..<6, replacement: "e", rule: "normalize", reason: "")],
        message: "edit by rule 'normalize' at 1:4 (bytes 4..<6) splits a UTF-8 character at byte 4"),
    .init(
        name: "ends inside a character", text: "naïve\n",
        edits: [Edit(range: 0..<3, replacement: "x", rule: "normalize", reason: "")],
        message: "edit by rule 'normalize' at 1:3 (bytes 0..<3) splits a UTF-8 character at byte 3"),
    .init(
        name: "out of bounds", text: "short\n",
        edits: [Edit(range: 5..<20, replacement: "", rule: "x", reason: "")],
        message: "edit by rule 'x' covers bytes 5..<20 but the text has 6 bytes"),
]

@Test(arguments: rejectedEdits)
func rejectsInvalidEdits(_ example: RejectedEdits) {
    let document = Document(text: example.text, format: .markdown)
    #expect {
        _ = try document.applying(example.edits)
    } throws: { error in
        "\(error)" == example.message
    }
}

@Test func rejectionCarriesTheSpan() {
    let document = Document(text: "a `b` c\n", format: .markdown)
    let edit = Edit(range: 3..<4, replacement: "x", rule: "terms", reason: "")
    #expect(throws: DocumentError.editTouchesProtectedSpan(
        rule: "terms", range: 3..<4, location: SourceLocation(line: 1, column: 4),
        span: ProtectedSpan(range: 2..<5, kind: .codeSpan))
    ) {
        try document.applying([edit])
    }
}

@Test func findsProtectedSpansTouchingARange() {
    let document = Document(text: "`a` b `c` d `e`", format: .markdown)
    #expect(document.protectedSpans(touching: 2..<8).map(\.range) == [0..<3, 6..<9])
    #expect(document.protectedSpans(touching: 3..<6).isEmpty)
    #expect(document.protectedSpans(touching: 7..<7).map(\.range) == [6..<9])
    #expect(document.protectedSpans(touching: 6..<6).isEmpty)
}
