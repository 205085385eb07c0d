import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

// Issue 12: each kind of break seen on real documentation, as a case that failed before its fix.
// `check` (RuleStageTests.swift) also rewrites each output again and expects nothing more to change.

private let foo = "terms:\n  - use: quux\n    instead_of: [foo]"
private let example = "terms:\n  - use: sample\n    instead_of: [example]"
private let curly = "punctuation: { quotes: curly }"

/// 1. Reference links whose text is their label, and 2. URLs after non-ASCII characters.
let referenceAndURLCases: [RuleCase] = [
    RuleCase(foo, "[foo]\n\n[foo]: /url\n", "[foo]\n\n[foo]: /url\n"),
    RuleCase(foo, "See [foo][] and [Foo].\n\n[foo]: /url\n", "See [foo][] and [Foo].\n\n[foo]: /url\n"),
    // A full reference link's text is prose: its label is elsewhere.
    RuleCase(foo, "See [foo][bar].\n\n[bar]: /url\n", "See [quux][bar].\n\n[bar]: /url\n"),
    RuleCase("punctuation: { quotes: curly }\nspelling: en-GB", "[Go's reference time][] and [GitHub Flavored Markdown][]\n\n[go's reference time]: /a\n[github flavored markdown]: /b\n",
             "[Go's reference time][] and [GitHub Flavored Markdown][]\n\n[go's reference time]: /a\n[github flavored markdown]: /b\n"),
    RuleCase(example, "See “https://example.org/docs/” now.\n", "See “https://example.org/docs/” now.\n"),
    RuleCase(example, "«https://example.org» and\u{00A0}https://example.org/a, ‘www.example.org’\n",
             "«https://example.org» and\u{00A0}https://example.org/a, ‘www.example.org’\n"),
    RuleCase(foo, "Get ftp://foo.bar.baz, mailto:foo@bar.com, s3://foo/bar and file:///foo.\n",
             "Get ftp://foo.bar.baz, mailto:foo@bar.com, s3://foo/bar and file:///foo.\n"),
    RuleCase(example, "An example: é https://example.org, then example.\n", "A sample: é https://example.org, then sample.\n"),
]

@Test("reference labels and URLs are kept", arguments: referenceAndURLCases)
func referenceLabelsAndURLs(_ c: RuleCase) throws { try check(c) }

/// 3. Smart quotes that would change a link target or make markup out of text.
let markupQuoteCases: [RuleCase] = [
    RuleCase(curly, "baseURL = 'https://example.org/'\n", "baseURL = 'https://example.org/'\n"),
    RuleCase(curly, "<a href=\"hi'> <a href=hi'>\n", "<a href=\"hi'> <a href=hi'>\n"),
    RuleCase(curly, "Set type=\"note\" and say \"hi\".\n", "Set type=\"note\" and say \u{201C}hi\u{201D}.\n"),
    RuleCase(curly, "Use '30s', '1m' or the '90s.\n", "Use \u{2018}30s\u{2019}, \u{2018}1m\u{2019} or the \u{2019}90s.\n"),
    RuleCase(curly, "Quote \"`code`\" here.\n", "Quote \u{201C}`code`\u{201D} here.\n"),
]

@Test("quotes that belong to markup stay straight", arguments: markupQuoteCases)
func markupQuotes(_ c: RuleCase) throws { try check(c) }

/// 4. One pass does all a second pass would.
let idempotenceCases: [RuleCase] = [
    RuleCase("punctuation: { oxford_comma: true }", "Tea, coffee, or milk or beer and wine.\n", "Tea, coffee, or milk or beer and wine.\n"),
    RuleCase("avoid: [simply]", "Simply simply click Save.\n", "Click Save.\n"),
    RuleCase("terms:\n  - use: web page\n    instead_of: [page]", "Open the page, not the web page.\n", "Open the web page, not the web page.\n"),
]

@Test("one pass is enough", arguments: idempotenceCases)
func onePass(_ c: RuleCase) throws { try check(c) }

/// 6. Lines are kept: a term across a line break, a hard break.
let lineCases: [RuleCase] = [
    RuleCase("terms:\n  - use: the amount\n    instead_of: [the value]", "We use the\nvalue here.\n", "We use the\namount here.\n"),
    RuleCase("terms:\n  - use: the amount\n    instead_of: [the value]", "We use the\r\nvalue here.\r\n", "We use the\r\namount here.\r\n"),
    RuleCase("terms:\n  - use: the total amount\n    instead_of: [the value]", "Use the  \nvalue.\n", "Use the total  \namount.\n"),
    RuleCase("terms:\n  - use: to\n    instead_of: [in order to]", "Go in order\nto win.\n", "Go in order\nto win.\n",
             findings: ["not applied: 'in order to' -> 'to' would join two lines: house term: use 'to' instead of 'in order to'"]),
    // A line start inside a sentence is no sentence start.
    RuleCase("terms:\n  - use: use\n    instead_of: [utilize]", "You can\nutilize it. We\n\nutilize it.\n\n- utilize it\n",
             "You can\nuse it. We\n\nUse it.\n\n- Use it\n"),
]

@Test("line structure is kept", arguments: lineCases)
func lineStructure(_ c: RuleCase) throws { try check(c) }

/// 7. Word forms: plurals, initialisms, articles, case-sensitive terms.
let wordFormCases: [RuleCase] = [
    RuleCase("terms:\n  - use: address\n    instead_of: [URL]", "URLs and a URL. URL's host, the URLs' hosts.\n",
             "Addresses and an address. Address's host, the addresses' hosts.\n"),
    RuleCase("terms:\n  - use: self-managed\n    instead_of: [on-premise]", "Run on-premises servers.\n", "Run self-managed servers.\n"),
    RuleCase("terms:\n  - use: parameter\n    instead_of: [argument]", "Pass an argument. An argument is a value.\n",
             "Pass a parameter. A parameter is a value.\n"),
    RuleCase("terms:\n  - use: marker\n    instead_of: [mark]\n    case_sensitive: true", "Ask Mark about the mark. Mark it.\n",
             "Ask Mark about the marker. Marker it.\n"),
    RuleCase("terms:\n  - use: policy\n    instead_of: [rule]", "Two rules, TWO RULES.\n", "Two policies, TWO POLICIES.\n"),
]

@Test("word forms follow the replaced word", arguments: wordFormCases)
func wordForms(_ c: RuleCase) throws { try check(c) }

/// 5. CR-only line endings get the protection and the positions that LF and CRLF get.
@Test func carriageReturnLineEndingsAreLines() throws {
    let style = try makeStyle("terms:\n  - use: workspace\n    instead_of: [tenant]\n  - use: sign in\n    instead_of: [log in]")
    let pipeline = try Pipeline(style: style, resources: testResources)
    let lf = "---\ntenant: a\n---\n\n    code: log in\n\nThe tenant can\nlog in.\n"
    var outputs: [String] = [], positions: [[String]] = []
    for ending in ["\n", "\r\n", "\r"] {
        let text = lf.replacingOccurrences(of: "\n", with: ending)
        let result = try pipeline.rewrite(text, path: "doc.md")
        outputs.append(result.text.replacingOccurrences(of: ending, with: "\n"))
        positions.append(result.edits.map { "\(result.document.location(ofByte: $0.range.lowerBound)) \($0.replacement)" })
    }
    #expect(outputs[0] == "---\ntenant: a\n---\n\n    code: log in\n\nThe workspace can\nsign in.\n")
    #expect(outputs[1] == outputs[0])
    #expect(outputs[2] == outputs[0])
    #expect(positions[0] == ["7:5 workspace", "8:1 sign in"])
    #expect(positions[1] == positions[0])
    #expect(positions[2] == positions[0])
}

/// 8. Paths, hosts and identifiers written as text; maths and ranges are no clauses.
let identifierCases: [RuleCase] = [
    RuleCase("terms:\n  - use: Loki\n    instead_of: [loki]\n  - use: Redis\n    instead_of: [redis]",
             "See [xk6-loki](https://x.test), /loki/api/v1/push, github.com/go-redis/redis/v8 and loki_config.yaml; loki and redis.\n",
             "See [xk6-loki](https://x.test), /loki/api/v1/push, github.com/go-redis/redis/v8 and loki_config.yaml; Loki and Redis.\n"),
    RuleCase("terms:\n  - use: sample\n    instead_of: [example]", "Open example.com, ./example/run and ~/example, e.g. an example and/or example.\n",
             "Open example.com, ./example/run and ~/example, e.g. a sample and/or sample.\n"),
    RuleCase("punctuation: { dashes: em }", "Take x - 1 on pages 10 - 20, then a - b. Fast - and cheap.\n",
             "Take x - 1 on pages 10 - 20, then a - b. Fast\u{2014}and cheap.\n"),
]

@Test("paths and identifiers are kept", arguments: identifierCases)
func identifiers(_ c: RuleCase) throws { try check(c) }

/// 9. Template syntax, maths, the style's own patterns and the document's own comments.
private let quux = "terms:\n  - use: quux\n    instead_of: [foo]\npunctuation: { quotes: curly }\n"
let ignoreCases: [RuleCase] = [
    // Hugo, Liquid and maths are left alone by default.
    RuleCase(quux, "A foo {{< figure src=\"/foo.png\" alt=\"foo\" >}} {{% note %}}foo{{% /note %}}.\n",
             "A quux {{< figure src=\"/foo.png\" alt=\"foo\" >}} {{% note %}}quux{{% /note %}}.\n"),
    RuleCase(quux, "A foo {% include foo.html %} and {{ page.foo }} {# foo #}.\n", "A quux {% include foo.html %} and {{ page.foo }} {# foo #}.\n"),
    RuleCase(quux + "ignore: { presets: [] }", "A {{ foo }}.\n", "A {{ quux }}.\n"),
    RuleCase(quux, "Let $\\log{foo}$ and $$\nfoo\n$$ cost $5 and $10 foo.\n",
             "Let $\\log{foo}$ and $$\nfoo\n$$ cost $5 and $10 quux.\n"),
    RuleCase(quux + "ignore: { presets: [mdx] }", "import Foo from './foo'\n\n<Tabs groupId={foo}>\n\nA foo {props.foo}.\n",
             "import Foo from './foo'\n\n<Tabs groupId={foo}>\n\nA quux {props.foo}.\n"),
    RuleCase(quux + "ignore:\n  inline: ['FOO-\\d+']\n  blocks: [{start: '^:::', end: '^:::$'}]",
             "Fix FOO-12 foo.\n\n::: note\nfoo \"x\"\n:::\n\nfoo\n", "Fix FOO-12 quux.\n\n::: note\nfoo \"x\"\n:::\n\nQuux\n"),
    RuleCase(quux, "A foo <!-- housestyle off --> foo \"q\" <!-- housestyle on --> foo.\n",
             "A quux <!-- housestyle off --> foo \"q\" <!-- housestyle on --> quux.\n"),
    RuleCase(quux, "<!-- housestyle off-next-line -->\nA foo.\nA foo.\n", "<!-- housestyle off-next-line -->\nA foo.\nA quux.\n"),
    RuleCase(quux, "<!-- housestyle off smart_quotes -->\n\"foo\"\n<!-- housestyle on smart_quotes -->\n\"foo\"\n",
             "<!-- housestyle off smart_quotes -->\n\"quux\"\n<!-- housestyle on smart_quotes -->\n\u{201C}quux\u{201D}\n"),
    RuleCase(quux, "<!-- housestyle off-next-line terms, bogus -->\nfoo \"x\"\n", "<!-- housestyle off-next-line terms, bogus -->\nfoo \u{201C}x\u{201D}\n",
             findings: ["'<!-- housestyle ... bogus -->' names no rule; rules here: normalize, markdown, segment, terms, smart_quotes"]),
]

@Test("ignore rules and housestyle comments", arguments: ignoreCases)
func ignoreRules(_ c: RuleCase) throws { try check(c) }

@Test func invalidIgnorePatternIsReportedWithItsLine() throws {
    let found = try diagnostics(for: "version: 1\nignore:\n  inline: ['(unclosed']\n  blocks: [{start: '^:::'}]\n")
    #expect(found.contains { $0.contains("styles/test.yaml:3") && $0.contains("'ignore.inline[0]' is not a valid regular expression") }, "\(found)")
    #expect(found.contains { $0.contains("styles/test.yaml:4") && $0.contains("end") }, "\(found)")
}

/// 10. One rule never rewrites another's output in the same pass; the first edit waits instead.
let chainCases: [RuleCase] = [
    RuleCase("avoid:\n  - word: i.e.\n    instead: that is\ncontractions: prefer", "Cats, i.e. small lions, purr. It is fine.\n",
             "Cats, i.e. small lions, purr. It's fine.\n",
             findings: ["not applied: 'i.e.' -> 'that is': another rule would change the result again in the same pass: avoid 'i.e.': use 'that is'"]),
    // Typography follows any rule: "you will" -> "you'll" -> "you’ll" is one edit.
    RuleCase("contractions: prefer\npunctuation: { quotes: curly }", "You will see.\n", "You\u{2019}ll see.\n"),
]

@Test("rules do not feed each other in a pass", arguments: chainCases)
func ruleChains(_ c: RuleCase) throws { try check(c) }

/// 11. What validate says about rules that contradict, repeat or feed each other.
@Test func ruleWarnings() throws {
    let style = try makeStyle("""
        terms:
          - use: Postgres
            instead_of: [PostgreSQL]
          - use: PostgreSQL
            instead_of: [Postgres]
          - use: web page
            instead_of: [page]
          - use: same
            instead_of: [same]
          - use: employ
            instead_of: [use]
          - use: colour
            instead_of: ['colou?r', '\\bhue\\b']
        avoid:
          - word: utilize
            instead: use
          - simply
          - simply
        """)
    #expect(style.warnings.map { "\($0.mark?.line ?? 0): \($0.message)" } == [
        "6: the terms 'Postgres' and 'PostgreSQL' replace each other; the text would change back and forth",
        "8: 'page' -> 'web page': the replacement contains the words it replaces; text that already reads 'web page' is left alone",
        "10: the term 'same' lists itself in instead_of; that entry does nothing",
        "14: 'terms.instead_of' value 'colou?r' looks like a regular expression, but it is matched as literal text (use ignore.inline for patterns, or list each word)",
        "14: 'terms.instead_of' value '\\bhue\\b' looks like a regular expression, but it is matched as literal text (use ignore.inline for patterns, or list each word)",
        "17: 'utilize' -> 'use', but terms changes 'use' to 'employ': one rule feeds the other (write 'utilize' -> 'employ' if that is meant)",
        "20: 'simply' is listed twice in avoid; only the first entry acts",
    ])
    // The shipped styles say nothing.
    for name in ["acme", "plain-english"] {
        let shipped = try StyleLoader(checksCorpusFiles: false).load(path: GuaranteeTests.repositoryRoot.appendingPathComponent("styles/\(name).yaml").path)
        #expect(shipped.warnings.isEmpty, "\(name): \(shipped.warnings)")
    }
}

/// 10. Contractions the voice writes, and only where the clause allows them.
@Test func contractionsFollowTheVoiceCorpus() throws {
    let style = try makeStyle("corpus:\n  voice: [voice.md]\ncontractions: prefer",
                              files: ["voice.md": "We don't guess. It’s simple. Here's how.\n"])
    let pipeline = try Pipeline(style: style, resources: testResources)
    let result = try pipeline.rewrite("We do not know. You must not go. It is here. Here is the key. The options listed here is the primary.\n",
                                      path: "doc.md")
    // "mustn't" is not in the voice; "listed here is" is no clause start.
    #expect(result.text == "We don't know. You must not go. It's here. Here's the key. The options listed here is the primary.\n")
    // Without a voice corpus every listed form may be written.
    let open = try Pipeline(style: try makeStyle("contractions: prefer"), resources: testResources)
    #expect(try open.rewrite("You must not go. Then there is more.\n", path: "doc.md").text == "You mustn't go. Then there's more.\n")
}
