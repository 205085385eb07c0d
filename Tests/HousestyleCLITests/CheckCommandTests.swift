import Foundation
import Testing

/// `housestyle check`: findings as text and JSON, and the exit status (SARIF: CheckSARIFTests).
@Suite struct CheckCommandTests {
    static func docs() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write([
            "docs/guide.md": "Please log in to acme cloud.\nWe leverage the colour.\n",
            "docs/api/keys.txt": "It is organized.\n",
            "docs/clean.md": "All good here.\n",
            "docs/avoid.md": "Our robust tool.\n",
        ])
        return folder
    }

    static let textFindings = """
        docs/api/keys.txt:1:1: warning: write 'It’s' instead of 'It is': contract 'It is' to 'It's'; typographic apostrophe [contractions+smart_quotes]
        docs/api/keys.txt:1:7: warning: write 'organised' instead of 'organized': en-GB spelling: 'organised' not 'organized' [spelling]
        docs/avoid.md:1:5: warning: avoid 'robust' [avoid]
        docs/guide.md:1:8: warning: write 'sign in' instead of 'log in': house term: use 'sign in' instead of 'log in' [terms]
        docs/guide.md:1:18: warning: write 'Acme Cloud' instead of 'acme cloud': house term: use 'Acme Cloud' instead of 'acme cloud' [terms]
        docs/guide.md:2:4: warning: avoid 'leverage' [avoid]

        """

    @Test func textFindingsFailAtWarning() throws {
        let folder = try Self.docs()
        let result = try CLI.run(["check", CLI.acmeStyle, "docs"], in: folder.url)
        #expect(result.status == 1)
        #expect(result.out == Self.textFindings)
        #expect(result.err == "")
    }

    @Test(arguments: [("suggestion", Int32(1)), ("warning", 1), ("error", 0)])
    func failLevel(level: String, status: Int32) throws {
        let folder = try Self.docs()
        let result = try CLI.run(["check", CLI.acmeStyle, "docs", "--fail-level", level], in: folder.url)
        #expect(result.status == status)
        #expect(result.out == Self.textFindings)
    }

    /// A term's `level` decides whether its edits fail the check: the same text, the same
    /// `--fail-level`, only the level in the style differs.
    @Test(arguments: [("suggestion", Int32(0)), ("warning", 1), ("error", 1)])
    func aTermsLevelDecidesTheExitStatus(level: String, status: Int32) throws {
        let folder = try TemporaryFolder()
        try folder.write([
            "styles/lv.yaml": "version: 1\nterms:\n  - use: Acme Cloud\n    instead_of: [AcmeCloud]\n    level: \(level)\n",
            "doc.md": "Deploy to AcmeCloud.\n",
        ])
        let result = try CLI.run(["check", "lv", "doc.md", "--fail-level", "warning"], in: folder.url)
        #expect(result.status == status, "\(result)")
        #expect(result.out == "doc.md:1:11: \(level): write 'Acme Cloud' instead of 'AcmeCloud': house term: use 'Acme Cloud' instead of 'AcmeCloud' [terms]\n")
        let json = try CLI.run(["check", "lv", "doc.md", "--format", "json"], in: folder.url)
        let findings = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [[String: Any]])
        #expect(findings.map { $0["level"] as? String } == [level])
        let sarif = try CLI.run(["check", "lv", "doc.md", "--format", "sarif"], in: folder.url)
        let log = try #require(try JSONSerialization.jsonObject(with: sarif.stdout) as? [String: Any])
        let results = ((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        #expect(results.map { $0["level"] as? String } == [level == "suggestion" ? "note" : level])
        #expect(sarif.status == status)
    }

    @Test func aFileNameWithALineBreakCannotForgeALine() throws {
        let folder = try TemporaryFolder()
        try folder.write(["a\nz.md:9:9: error: forged.md": "We leverage it.\n"])
        let result = try CLI.run(["check", CLI.acmeStyle, "a\nz.md:9:9: error: forged.md"], in: folder.url)
        #expect(result.out == "a\\nz.md:9:9: error: forged.md:1:4: warning: avoid 'leverage' [avoid]\n", "\(result)")
    }

    @Test func cleanFilePasses() throws {
        let folder = try Self.docs()
        let result = try CLI.run(["check", CLI.acmeStyle, "docs/clean.md"], in: folder.url)
        #expect(result.status == 0)
        #expect(result.out == "")
        #expect(result.err == "")
    }

    @Test func unreadableFileExitsTwoAndStillReportsTheOthers() throws {
        let folder = try Self.docs()
        try folder.write(["docs/bad.md": Data([0x61, 0x0A, 0x80])])
        let result = try CLI.run(["check", CLI.acmeStyle, "docs/bad.md", "docs/avoid.md"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.out == "docs/avoid.md:1:5: warning: avoid 'robust' [avoid]\n")
        #expect(result.err == "docs/bad.md: not valid UTF-8 at byte 2\n")
    }

    @Test func jsonFindings() throws {
        let folder = try Self.docs()
        let result = try CLI.run(["check", CLI.acmeStyle, "docs/guide.md", "--format", "json"], in: folder.url)
        #expect(result.status == 1)
        try Golden.check(result.out, named: "check-guide.json")
        let findings = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]])
        #expect(findings.map { $0["rule"] as? String } == ["terms", "terms", "avoid"])
        #expect(findings.map { $0["line"] as? Int } == [1, 1, 2])
        #expect(findings.map { $0["start"] as? Int } == [7, 17, 32])
    }

    @Test func missingStyleExitsTwo() throws {
        let folder = try Self.docs()
        let result = try CLI.run(["check", "nosuchstyle", "docs"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.out == "")
        #expect(result.err.contains("nosuchstyle"), "\(result)")
    }

    @Test func aByteOrderMarkIsNotAColumn() throws {
        let folder = try TemporaryFolder()
        try folder.write(["col.md": "\u{FEFF}We leverage it.\n"])
        let result = try CLI.run(["check", CLI.acmeStyle, "col.md"], in: folder.url)
        #expect(result.status == 1, "\(result)")
        #expect(result.out == "col.md:1:4: warning: avoid 'leverage' [avoid]\n")
    }

    @Test func brokenLinkInAFolderIsAnError() throws {
        let folder = try Self.docs()
        try FileManager.default.createSymbolicLink(
            atPath: folder.url.appendingPathComponent("docs/dead.md").path, withDestinationPath: "gone.md")
        let result = try CLI.run(["check", CLI.acmeStyle, "docs", "--fail-level", "error"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.out == Self.textFindings)
        #expect(result.err == "docs/dead.md: cannot read: it is a symbolic link to 'gone.md', which does not exist\n")
    }
}
