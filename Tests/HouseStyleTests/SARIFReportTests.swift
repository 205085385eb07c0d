import Foundation
import HouseStyleText
import Testing
@testable import HouseStyle

/// The positions, URIs and rule metadata of `SARIFReport` (the CLI tests check whole logs).
@Suite struct SARIFReportTests {
    /// The text of the SARIF specification's region examples: four lines, each ending in CRLF.
    static let specText = "abcd\r\nefg\r\nhijk\r\nlmn\r\n"

    static func region(_ range: Range<Int>, in text: String) -> String {
        let region = SARIFReport.region(of: range, in: Document(text: text, format: .plain))
        return "\(region.startLine):\(region.startColumn)-\(region.endLine):\(region.endColumn)"
    }

    @Test(arguments: [
        (1..<3, "1:2-1:4"),  // "bc" (the specification's example 1)
        (0..<0, "1:1-1:1"),  // an insertion point at the start
        (6..<9, "2:1-2:4"),  // "efg"
        (6..<11, "2:1-3:1"),  // "efg\r\n": a line with its break ends at column 1 of the next
        (22..<22, "4:6-4:6"),  // the end of the file: after the last line break, on the last line (example 8)
        (17..<22, "4:1-4:6"),  // "lmn\r\n", the last line with its break
    ])
    func regionsCountAsTheSpecificationDoes(range: Range<Int>, expected: String) {
        #expect(Self.region(range, in: Self.specText) == expected)
    }

    @Test func columnsAreCodePointsAndAByteOrderMarkIsNone() {
        // U+FEFF (3 bytes), then "🚀" (4 bytes, one code point, two UTF-16 code units), then "é" (2 bytes).
        let text = "\u{FEFF}🚀é x\n"
        #expect(Self.region(3..<7, in: text) == "1:1-1:2")
        #expect(Self.region(9..<10, in: text) == "1:3-1:4")  // the space
        #expect(Self.region(10..<11, in: text) == "1:4-1:5")  // "x"
        #expect(Self.region(12..<12, in: text) == "1:6-1:6")  // the end, after "\n"
        // A lone "\r" ends no line in SARIF's default newlineSequences.
        #expect(Self.region(2..<3, in: "a\rb") == "1:3-1:4")
        // Without a final line break the end is on the last line, as usual.
        #expect(Self.region(2..<3, in: "a\nb") == "2:1-2:2")
    }

    @Test(arguments: [
        ("docs/guide.md", "docs/guide.md"),
        ("docs/my notes #1 café.md", "docs/my%20notes%20%231%20caf%C3%A9.md"),
        ("a:b?c%d[e]f+g=h&i'j.md", "a%3Ab%3Fc%25d%5Be%5Df%2Bg%3Dh%26i%27j.md"),
        ("~user/x-y_z.txt", "~user/x-y_z.txt"),
        ("日本.md", "%E6%97%A5%E6%9C%AC.md"),
    ])
    func pathsArePercentEncodedUTF8(path: String, uri: String) {
        #expect(SARIFReport.percentEncoded(path) == uri)
    }

    @Test func theSourceRootIsTheNearestFolderWithGit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sarif-root-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let inner = folder.appendingPathComponent("repo/sub/deeper")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        #expect(SARIFReport.sourceRoot(containing: inner.path) == inner.path)
        // A work tree of `git worktree` has a .git file, not a folder.
        try Data("gitdir: elsewhere\n".utf8).write(to: folder.appendingPathComponent("repo/.git"))
        #expect(SARIFReport.sourceRoot(containing: inner.path) == folder.appendingPathComponent("repo").path)
    }

    @Test func codeSpansHoldBackticks() {
        #expect(SARIFReport.codeSpan("a b") == "`a b`")
        #expect(SARIFReport.codeSpan("use `x` here") == "``use `x` here``")
        #expect(SARIFReport.codeSpan("`x`") == "`` `x` ``")
    }

    @Test func everyBuiltinStageHasRuleMetadataWithItsExamples() {
        for stage in StageRegistry.builtin.stages {
            let rule = SARIFReport.descriptor(ofRule: stage.stageID.rawValue, registry: .builtin)
            #expect(rule.shortDescription.text == stage.summary)
            for example in stage.examples {
                #expect(rule.help.text.contains(example.input + " -> " + example.expected), "\(stage.stageID)")
            }
        }
        let external = SARIFReport.descriptor(ofRule: "house-dates", registry: .builtin)
        #expect(external.shortDescription.text.contains("external stage"))
        #expect(external.help.markdown == external.fullDescription.text)
    }

    /// An entry rule (`rule:` of terms and avoid entries) is described by its entries, within the
    /// 1,024 characters GitHub code scanning takes, at the most serious of their levels.
    @Test func anEntryRuleIsDescribedByItsEntries() throws {
        let style = try makeStyle("""
            terms:
            \((0..<200).map { "  - {use: word\($0), instead_of: [variant\($0)], rule: House.Terms}" }.joined(separator: "\n"))
            avoid:
              - {word: robust, rule: House.Weasel, level: suggestion}
              - {word: simply, rule: House.Weasel, level: error}
            """)
        let rules = SARIFReport.entryRules(of: style)
        let terms = SARIFReport.descriptor(ofRule: "House.Terms", registry: .builtin, entryRules: rules)
        #expect(terms.shortDescription.text.hasPrefix("The style's `terms` 200 entries named House.Terms: use 'word0' instead of 'variant0'; "))
        #expect(terms.shortDescription.text.hasSuffix(" more."))
        #expect(terms.shortDescription.text.count <= 1024 && terms.fullDescription.text.count <= 1024)
        #expect(terms.defaultConfiguration.level == "warning")
        let weasel = SARIFReport.descriptor(ofRule: "House.Weasel", registry: .builtin, entryRules: rules)
        #expect(weasel.shortDescription.text == "The style's `avoid` 2 entries named House.Weasel: avoid 'robust'; avoid 'simply'.")
        #expect(weasel.defaultConfiguration.level == "error")
    }

    /// A stage named by `rules` is described by the stage, with its examples, under the name, at
    /// the stage's level; results carry the name.
    @Test func aStageNamedByRulesIsDescribedByTheStage() throws {
        let style = try makeStyle("""
            contractions: prefer
            levels: {contractions: error}
            rules: {contractions: House.Contractions}
            terms:
              - {use: how's, instead_of: [how is], rule: House.Contractions, level: suggestion}
            """)
        let rules = SARIFReport.entryRules(of: style)
        #expect(rules["House.Contractions"]?.namedStage == .contractions)
        let rule = SARIFReport.descriptor(ofRule: "House.Contractions", registry: .builtin, entryRules: rules)
        #expect(rule.shortDescription.text == "The style's `contractions` stage, under the name House.Contractions: \(ContractionsStage.summary) "
            + "The style's `terms` 1 entry named House.Contractions: use 'how's' instead of 'how is'.")
        #expect(rule.defaultConfiguration.level == "error")
        for example in ContractionsStage.examples { #expect(rule.help.text.contains(example.input + " -> " + example.expected)) }
        var report = SARIFReport(toolVersion: "test", levels: style.levels, entryRules: rules)
        report.add(try Pipeline(style: style, resources: testResources).rewrite("We do not know.\n", path: "doc.md"), path: "doc.md")
        let log = String(decoding: try report.json(exitCode: 1), as: UTF8.self)
        #expect(log.contains("\"ruleId\" : \"House.Contractions\""))
        #expect(!log.contains("\"ruleId\" : \"contractions\""))
    }
}
