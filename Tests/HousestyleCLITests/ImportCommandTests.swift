import Foundation
import Testing

/// `housestyle import vale`: writes a style that `validate` accepts and `check` runs at Vale's
/// levels, reports what it cannot convert on stderr, and never overwrites a file unasked.
@Suite struct ImportCommandTests {
    /// A Vale style `House` of three rules (written here), in a folder of its own.
    static func valeStyle(termLevel: String = "error") throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write([
            "vale/House/Terms.yml": """
                extends: substitution
                message: "Use '%s' instead of '%s'."
                level: \(termLevel)
                ignorecase: true
                swap:
                  e-mail: email
                  '\\d+ ?x': times
                """,
            "vale/House/Weasel.yml": "extends: existence\nmessage: \"'%s' is vague.\"\nlevel: suggestion\nignorecase: true\ntokens: [very]\n",
            "vale/House/Length.yml": "extends: occurrence\nmessage: Too long.\nscope: sentence\nmax: 30\ntoken: '\\b(\\w+)\\b'\n",
            "doc.md": "Send a very short e-mail.\n",
        ])
        return folder
    }

    @Test func writesAStyleThatValidatesAndReportsWhatItCannotConvert() throws {
        let folder = try Self.valeStyle()
        let result = try CLI.run(["import", "vale", "vale/House", "-o", "styles/house.yaml"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(result.out == "")
        #expect(result.err == """
            Length.yml:1:1: not converted: House.Length (occurrence): it counts occurrences in a scope (such as words per sentence); housestyle has no such rule
            Terms.yml:7:3: partly converted: House.Terms (substitution): '\\d+ ?x' is not a list of words: a character class '\\d'
            import vale: 3 rules: 1 converted, 1 partly, 1 not converted; 1 term, 1 avoid entry; wrote styles/house.yaml

            """)
        let style = try folder.read("styles/house.yaml")
        #expect(style.contains("  - {use: email, instead_of: [e-mail], level: error, rule: House.Terms}\n"))
        #expect(style.contains("  - {word: very, report_only: true, level: suggestion, rule: House.Weasel, note: \"'very' is vague.\"}\n"))
        #expect(style.contains("#   House.Length (occurrence, warning), Length.yml:1: it counts occurrences"))
        let validate = try CLI.run(["validate", "house"], in: folder.url)
        #expect(validate.status == 0, "\(validate)")
        #expect(validate.err == "")
    }

    /// The Vale rule's level decides whether `check` fails at `--fail-level error`.
    @Test(arguments: [("error", Int32(1)), ("warning", 0)])
    func valeLevelsDecideTheCheck(level: String, status: Int32) throws {
        let folder = try Self.valeStyle(termLevel: level)
        #expect(try CLI.run(["import", "vale", "vale/House", "-o", "styles/house.yaml"], in: folder.url).status == 0)
        let check = try CLI.run(["check", "house", "doc.md", "--fail-level", "error"], in: folder.url)
        #expect(check.status == status, "\(check)")
        #expect(check.out == """
            doc.md:1:8: suggestion: avoid 'very'; 'very' is vague. [House.Weasel]
            doc.md:1:19: \(level): write 'email' instead of 'e-mail': house term: use 'email' instead of 'e-mail' [House.Terms]

            """)
    }

    /// Each entry carries its Vale rule's name (`rule:`): findings, JSON and SARIF report under it,
    /// and `--only` / `--skip` select it.
    @Test func valeRuleNamesAreCarriedToFindingsAndSelectedByOnlyAndSkip() throws {
        let folder = try Self.valeStyle()
        #expect(try CLI.run(["import", "vale", "vale/House", "-o", "styles/house.yaml"], in: folder.url).status == 0)
        let weasel = "doc.md:1:8: suggestion: avoid 'very'; 'very' is vague. [House.Weasel]\n"
        let terms = "doc.md:1:19: error: write 'email' instead of 'e-mail': house term: use 'email' instead of 'e-mail' [House.Terms]\n"
        let only = try CLI.run(["check", "house", "doc.md", "--only", "House.Terms"], in: folder.url)
        #expect(only.out == terms, "\(only)")
        let skip = try CLI.run(["check", "house", "doc.md", "--skip", "House.Terms"], in: folder.url)
        #expect(skip.out == weasel, "\(skip)")
        // Naming the stage names its entries, whatever they are called.
        #expect(try CLI.run(["check", "house", "doc.md", "--only", "avoid"], in: folder.url).out == weasel)
        #expect(try CLI.run(["check", "house", "doc.md", "--skip", "terms"], in: folder.url).out == weasel)
        let unknown = try CLI.run(["check", "house", "doc.md", "--only", "House.Term"], in: folder.url)
        #expect(unknown.status == 2)
        #expect(unknown.err.hasPrefix("error: --only House.Term: no such rule; did you mean 'House.Terms'? rules: "), "\(unknown)")
        #expect(unknown.err.contains(", House.Terms, House.Weasel"), "\(unknown)")

        let json = try CLI.run(["check", "house", "doc.md", "--format", "json"], in: folder.url)
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]], "\(json)")
        #expect(findings.map { $0["rule"] as? String } == ["House.Weasel", "House.Terms"])

        let sarif = try CLI.run(["check", "house", "doc.md", "--format", "sarif"], in: folder.url)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.out.utf8)) as? [String: Any], "\(sarif)")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["ruleId"] as? String } == ["House.Weasel", "House.Terms"])
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == ["House.Terms", "House.Weasel"])
        let short = (rules[0]["shortDescription"] as? [String: Any])?["text"] as? String
        #expect(short == "The style's `terms` 1 entry named House.Terms: use 'email' instead of 'e-mail'.")
        #expect((rules[0]["defaultConfiguration"] as? [String: Any])?["level"] as? String == "error")
        #expect((rules[1]["defaultConfiguration"] as? [String: Any])?["level"] as? String == "note")
    }

    @Test func refusesToOverwriteWithoutForce() throws {
        let folder = try Self.valeStyle()
        try folder.write(["styles/house.yaml": "mine\n"])
        let refused = try CLI.run(["import", "vale", "vale/House", "-o", "styles/house.yaml"], in: folder.url)
        #expect(refused.status == 2)
        #expect(refused.err == "styles/house.yaml: already exists; pass --force to replace it\n")
        #expect(try folder.read("styles/house.yaml") == "mine\n")
        let forced = try CLI.run(["import", "vale", "vale/House", "-o", "styles/house.yaml", "--force"], in: folder.url)
        #expect(forced.status == 0, "\(forced)")
        #expect(try folder.read("styles/house.yaml").hasPrefix("# Converted from Vale by `housestyle import vale vale/House`."))
    }

    @Test func withoutOutputTheStyleGoesToStdout() throws {
        let folder = try Self.valeStyle()
        let result = try CLI.run(["import", "vale", "vale/House/Terms.yml", "--name", "terms"], in: folder.url)
        #expect(result.status == 0)
        #expect(result.out.hasPrefix("# Converted from Vale by `housestyle import vale vale/House/Terms.yml`."))
        #expect(result.out.contains("\nversion: 1\nname: terms\nterms:\n"))
        #expect(result.err.hasSuffix("import vale: 1 rule: 0 converted, 1 partly, 0 not converted; 1 term, 0 avoid entries\n"))
    }

    @Test func aBrokenRuleOrAMissingPathIsAnErrorNamingTheFile() throws {
        let folder = try TemporaryFolder()
        try folder.write(["Bad/Rule.yml": "extends: existence\nmessage: x\nlevel: loud\n"])
        let broken = try CLI.run(["import", "vale", "Bad", "-o", "styles/bad.yaml"], in: folder.url)
        #expect(broken.status == 2)
        #expect(broken.err == "Bad/Rule.yml:3:8: error: 'level' must be one of suggestion, warning, error, found 'loud'\n")
        #expect(!folder.exists("styles/bad.yaml"))
        let badName = try CLI.run(["import", "vale", "Bad", "--name", "../x"], in: folder.url)
        #expect(badName.status == 2)
        #expect(badName.err.contains("--name must be a plain name, without '/' and not '.' or '..'"), "\(badName)")
        let missing = try CLI.run(["import", "vale", "nowhere"], in: folder.url)
        #expect(missing.status == 2)
        #expect(missing.err == "nowhere: error: cannot read: no such file or folder\n")
    }
}
