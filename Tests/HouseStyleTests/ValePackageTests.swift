import Foundation
import Testing
import HouseStyleText
import HouseStyleYAML
@testable import HouseStyle

/// `../shared/data/vale`, beside the repository.
private let valePackagesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/vale").path
private let valePackagesAvailable = FileManager.default.fileExists(atPath: valePackagesFolder + "/MANIFEST.tsv")

/// The six Vale packages of ../shared/data/vale (Microsoft, Google, write-good, proselint, alex,
/// Joblint), converted: each style loads, and finds and rewrites what its Vale rules say.
///
/// The packages ship without their test fixtures, so the rules' own words are the examples: every
/// literal swap key of a substitution rule, put in a sentence, must be rewritten to its swap value at
/// the rule's level, and every literal token of an existence rule must be reported (or rewritten)
/// at its rule's level, each under the rule's own name (`Microsoft.Avoid`), or else the import's
/// report must name that key or token. The rules are read
/// here with the YAML parser alone, not with the importer. Skipped when ../shared is absent.
@Suite(.enabled(if: valePackagesAvailable, "no Vale packages: ../shared/data/vale is absent"))
struct ValePackageTests {
    static let folder = valePackagesFolder
    static let packages = ["Microsoft", "Google", "write-good", "proselint", "alex", "Joblint"]

    /// A rule file as written: its check, level (Vale's default: warning), case and literal examples.
    struct RuleSource {
        var id: String
        var extends: String
        var level: FindingLevel
        var ignorecase: Bool
        var swaps: [(key: String, value: String)]
        var tokens: [String]

        init(path: String, style: String) throws {
            let root = try YAMLParser.parse(String(contentsOfFile: path, encoding: .utf8), path: path).root
            id = style + "." + ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            extends = root["extends"]?.scalar?.text ?? ""
            level = root["level"]?.scalar.flatMap { FindingLevel(rawValue: $0.text) } ?? .warning
            ignorecase = root["ignorecase"]?.scalar?.value == .bool(true)
            swaps = (root["swap"]?.mapping ?? []).compactMap { entry in
                guard let key = entry.key.scalar?.text, let value = entry.value.scalar?.text else { return nil }
                return (key, value)
            }
            tokens = extends == "existence" ? (root["tokens"]?.sequence ?? []).compactMap { $0.scalar?.text } : []
            if root["raw"] != nil || root["scope"]?.scalar.map({ $0.text != "text" && $0.text != "sentence" }) == true { tokens = [] }
        }

        /// Text with nothing a regular expression reads specially, starting and ending with a letter.
        static func isLiteral(_ text: String) -> Bool {
            !text.contains { "\\[]()?*+{}|^$.%".contains($0) } && text.first?.isLetter == true && text.last?.isLetter == true
        }
    }

    @Test(arguments: packages)
    func packageConvertsLoadsAndDoesWhatItsRulesSay(_ package: String) throws {
        let styleFolder = "\(Self.folder)/\(package)/\(package)"
        let converted = try ValeImporter().convert(path: styleFolder, name: package.lowercased())
        #expect(converted.check(path: "styles/x.yaml").diagnostics.isEmpty)
        let repository = try TemporaryRepository(["styles/\(converted.name).yaml": converted.styleFile()])
        let style = try StyleLoader().load(path: repository.root + "/styles/\(converted.name).yaml")
        #expect(style.terms.count == converted.terms.count && style.avoid.count == converted.avoid.count)
        let pipeline = try Pipeline(style: style, resources: testResources)

        let files = try FileManager.default.contentsOfDirectory(atPath: styleFolder).filter { $0.hasSuffix(".yml") }.sorted()
        let sources = try files.map { try RuleSource(path: "\(styleFolder)/\($0)", style: package) }
        #expect(converted.rules.map(\.rule) == sources.map(\.id), "every rule file is in the report, once")
        let reports = Dictionary(uniqueKeysWithValues: converted.rules.map { ($0.rule, $0) })
        /// Whether the report of `rule` names `text` (why it is not converted, or where it went instead).
        func explained(_ text: String, _ rule: String) -> Bool {
            reports[rule]?.issues.contains { $0.text.lowercased().contains("'\(text.lowercased())") } ?? false
        }

        var rewritten = 0, reported = 0, explainedOnly = 0, unexplained: [String] = []
        for source in sources {
            for (key, value) in source.swaps where RuleSource.isLiteral(key) && !value.isEmpty && !value.contains("|")
                && !value.contains("(s)") && !value.contains("$") {
                let sentence = "They saw \(key) there."
                let result = try pipeline.rewrite(sentence, path: "doc.md")
                // Reported under the Vale rule's own name: the entry's `rule`, or for a contraction the
                // name `rules` gives the contractions stage (the first Vale rule that asked for it),
                // never under the bare stage id.
                let contractionRule = converted.contractions.map { ValeImport.ruleName($0.rules[0]) }
                let at = result.checkFindings().first { $0.range.lowerBound == 9 && ($0.rule == source.id || $0.rule == contractionRule) }
                #expect(!result.checkFindings().contains { $0.rule.split(separator: "+").contains("contractions") }, "\(source.id): '\(key)'")
                // A contraction is written by the contractions stage at the level of its rules (under
                // the first rule's name, which may also name that rule's own term entries).
                let levels = at?.rule == contractionRule ? [source.level, converted.contractions?.level] : [source.level]
                if result.text != sentence && result.text.contains(value) && at.map({ levels.contains($0.level) }) == true {
                    rewritten += 1
                } else if explained(key, source.id) {
                    explainedOnly += 1
                } else {
                    unexplained.append("\(source.id): '\(key)' -> '\(value)' gave '\(result.text)' at \(at.map { "\($0.level)" } ?? "no level")")
                }
            }
            for token in source.tokens where RuleSource.isLiteral(token) {
                let sentence = "They saw \(token) there."
                let result = try pipeline.rewrite(sentence, path: "doc.md")
                let found = result.checkFindings().filter { $0.range.lowerBound <= 9 && $0.range.upperBound > 9 }
                if found.contains(where: { $0.level >= source.level && $0.rule.split(separator: "+").contains(Substring(source.id)) }) {
                    reported += 1
                } else if explained(token, source.id) {
                    explainedOnly += 1
                } else {
                    unexplained.append("\(source.id): '\(token)' gave \(found.map { "\($0.rule) \($0.level)" })")
                }
            }
        }
        #expect(unexplained.isEmpty, "\(unexplained.count) rule examples neither done nor explained:\n\(unexplained.prefix(20).joined(separator: "\n"))")
        // Every package has word-list rules: nearly all of their examples must work, not only be explained.
        #expect(rewritten + reported >= 20, "only \(rewritten) swaps rewritten and \(reported) tokens reported")
        #expect(explainedOnly * 20 <= rewritten + reported, "\(explainedOnly) examples only explained, \(rewritten + reported) done")
        print("\(package): \(rewritten) literal swaps rewritten, \(reported) literal tokens reported, \(explainedOnly) explained; "
              + "rules \(converted.count(.full)) converted, \(converted.count(.partial)) partly, \(converted.count(.none)) not")
    }
}
