import Testing
@testable import HouseStyleText

/// Bare URLs and e-mail addresses next to punctuation, inside words and inside each other: the
/// places where the inline scanner decides where a link may start.
struct BareLinkCase: CustomTestStringConvertible, Sendable {
    var text: String
    var spans: [String]
    var testDescription: String { text.debugDescription }
}

let bareLinkCases: [BareLinkCase] = [
    .init(text: "(ann@example.com).", spans: [#"email "ann@example.com""#]),
    .init(text: "ann@example.com.", spans: [#"email "ann@example.com""#]),
    .init(text: "\"ann@example.com\",", spans: [#"email "ann@example.com""#]),
    .init(text: "Mail:ann@example.com", spans: []),
    .init(text: "path/ann@example.com", spans: []),
    .init(text: "日ann@example.com", spans: []),
    .init(text: "ann@example", spans: []),
    .init(text: "ann@example.com-", spans: []),
    .init(text: "ann@-example.com", spans: [#"email "ann@-example.com""#]),
    .init(text: "a@b.c@d.e", spans: [#"email "a@b.c""#]),
    .init(text: "first @-@ class", spans: []),
    .init(text: "x@", spans: []),
    // A URL may start after `+` or `_` inside a would-be local part, unless the address wins.
    .init(text: "x_www.example.com@example.org", spans: [#"email "x_www.example.com@example.org""#]),
    .init(text: "x+www.example.com now", spans: [#"url "www.example.com""#]),
    .init(text: "a+www.example.com@b", spans: [#"url "www.example.com@b""#]),
    // Any `scheme://` is protected wherever it starts (GitHub would not link these; editing them still breaks them).
    .init(text: "see:https://example.com/a", spans: [#"url "https://example.com/a""#]),
    .init(text: "ftp://foo.bar.baz, s3://b/k and file:///etc/x", spans: [#"url "ftp://foo.bar.baz""#, #"url "s3://b/k""#, #"url "file:///etc/x""#]),
    .init(text: "mailto:foo@bar.com and _mailto:foo@bar.com-_", spans: [#"url "mailto:foo@bar.com""#, #"url "mailto:foo@bar.com-""#]),
    // After non-ASCII punctuation or a no-break space a URL starts; after a letter `www.` does not.
    .init(text: "“https://example.org/docs/” «www.example.org» \u{00A0}www.example.org é www.example.org", spans: [
        #"url "https://example.org/docs/""#, #"url "www.example.org""#, #"url "www.example.org""#, #"url "www.example.org""#,
    ]),
    .init(text: "caféwww.example.org", spans: []),
    .init(text: "(https://example.com/a).", spans: [#"url "https://example.com/a""#]),
    .init(text: "HTTPS://Example.com/A?", spans: [#"url "HTTPS://Example.com/A""#]),
    .init(text: "*www.example.com*", spans: [#"url "www.example.com""#]),
    .init(text: "awww.example.com whttp://x.y", spans: [#"url "whttp://x.y""#]),
    .init(text: "www.example ww.example.com htp://x.y", spans: [#"url "www.example""#, #"url "htp://x.y""#]),
    .init(text: "https://example.com/ann@example.com", spans: [#"url "https://example.com/ann@example.com""#]),
]

@Test(arguments: bareLinkCases, DocumentFormat.allCases)
func bareLinks(_ example: BareLinkCase, format: DocumentFormat) {
    let document = Document(text: example.text, format: format)
    // Paths and identifiers (`path/ann@example.com`) are protected too; MarkdownSafetyTests checks those.
    #expect(describeSpans(document).filter { !$0.hasPrefix("identifier ") } == example.spans)
}
