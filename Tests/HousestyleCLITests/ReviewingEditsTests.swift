import Foundation
import Testing

/// Reviewing edits from the command line (issue 15, item 6): `--word-diff`, `--only`/`--skip`,
/// `--interactive`, and the level learned edits fail `check` at.
@Suite struct ReviewingEditsTests {
    static let guide = "# Guide\n\nPlease log in to acme cloud. It is organized.\n"

    func folder() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write(["docs/guide.md": Self.guide])
        return folder
    }

    @Test func wordDiffMarksTheChangedWords() throws {
        let folder = try folder()
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs/guide.md", "--word-diff"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(result.out == """
            --- a/docs/guide.md
            +++ b/docs/guide.md
            @@ -2,2 +2,2 @@

            Please [-log in-]{+sign in+} to [-acme cloud-]{+Acme Cloud+}. [-It is-]{+It’s+} [-organized-]{+organised+}.

            """)
        // Nothing is written; --diff keeps its unified format beside it.
        #expect(try folder.read("docs/guide.md") == Self.guide)
        let both = try CLI.run(["rewrite", CLI.acmeStyle, "docs/guide.md", "--word-diff", "--diff", "--color", "always"], in: folder.url)
        #expect(both.out.contains("-Please log in to acme cloud. It is organized.\n+Please sign in to Acme Cloud. It’s organised.\n"), "\(both)")
        #expect(both.out.contains("Please \u{1B}[31m[-log in-]\u{1B}[m\u{1B}[32m{+sign in+}\u{1B}[m to"), "\(both)")
    }

    @Test func onlyAndSkipChooseRulesInRewriteCheckAndFilter() throws {
        let folder = try folder()
        let only = try CLI.run(["rewrite", CLI.acmeStyle, "docs/guide.md", "--only", "terms"], in: folder.url)
        #expect(only.out == "# Guide\n\nPlease sign in to Acme Cloud. It is organized.\n", "\(only)")
        let skip = try CLI.run(["check", CLI.acmeStyle, "docs", "--skip", "terms,smart_quotes", "--skip", "spelling"], in: folder.url)
        #expect(skip.out == "docs/guide.md:3:30: warning: write 'It's' instead of 'It is': contract 'It is' to 'It's' [contractions]\n", "\(skip)")
        let filter = try CLI.run(["filter", CLI.acmeStyle, "--only", "spelling"], in: folder.url, stdin: Data(Self.guide.utf8))
        #expect(filter.out == "# Guide\n\nPlease log in to acme cloud. It is organized.\n".replacingOccurrences(of: "organized", with: "organised"), "\(filter)")
    }

    @Test(arguments: [
        (["rewrite", "--only", "term"], "error: --only term: no such rule; did you mean 'terms'? rules: "),
        (["check", "--skip", "markdown"], "error: --skip markdown: no such rule; rules: "),
        (["filter", "--only", "nothing"], "error: --only nothing: no such rule; rules: "),
    ])
    func anUnknownRuleIsAnErrorListingTheRules(arguments: [String], message: String) throws {
        let folder = try folder()
        var command = [arguments[0], CLI.acmeStyle] + arguments.dropFirst()
        if arguments[0] != "filter" { command.append("docs") }
        let result = try CLI.run(command, in: folder.url)
        #expect(result.status == 2, "\(result)")
        #expect(result.err.hasPrefix(message + "normalize, terms, avoid, spelling, contractions, punctuation, smart_quotes, learned\n"), "\(result)")
    }

    @Test func interactiveNeedsATerminalAndADestination() throws {
        let folder = try folder()
        let piped = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "--interactive", "--in-place"], in: folder.url, stdin: Data("y\n".utf8))
        #expect(piped.status == 2, "\(piped)")
        #expect(piped.err == "error: --interactive needs a terminal on stdin to ask about each edit; review with --word-diff or --diff, then rewrite without --interactive\n")
        #expect(try folder.read("docs/guide.md") == Self.guide)
        let nowhere = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "--interactive"], in: folder.url)
        #expect(nowhere.status == 2 && nowhere.err.hasPrefix("Error: --interactive needs -o DIR or --in-place: where to write the accepted edits\n"), "\(nowhere)")
        let diff = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "--interactive", "-o", "out", "--word-diff"], in: folder.url)
        #expect(diff.status == 2 && diff.err.hasPrefix("Error: --interactive shows each edit itself"), "\(diff)")
    }

    /// On a pseudo-terminal (util-linux `script`, which passes its stdin on), the replies choose the
    /// edits, and only those are written.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func interactiveOnATerminalWritesTheAcceptedEdits() throws {
        let folder = try folder()
        let command = "'\(CLI.binary)' rewrite '\(CLI.acmeStyle)' docs --interactive --in-place --color never"
        // log in -> sign in: yes; acme cloud: no; It is: yes; organized: no.
        let result = try CLI.run(["-qec", command, "/dev/null"], in: folder.url, stdin: Data("y\nn\ny\nn\n".utf8), executable: "/usr/bin/script")
        #expect(result.status == 0, "\(result)")
        #expect(result.out.contains("docs/guide.md:3:8: edit 1 of 4 [terms, rule, confidence 1.00]"), "\(result)")
        #expect(result.out.contains("Please [-log in-]{+sign in+} to acme cloud. It is organized.\r\napply this edit [y,n,a,q,?]? "), "\(result)")
        #expect(result.out.contains("accepted 2 of 4 edits; wrote 1 file ("), "\(result)")
        #expect(try folder.read("docs/guide.md") == "# Guide\n\nPlease sign in to acme cloud. It’s organized.\n")
    }

    /// `--fail-level` is `warning` unless given: what the learned model proposes is a suggestion
    /// (EditReviewTests checks the level), so it does not fail a check; a suggestion the style's
    /// `levels` asks for does not either, until `--fail-level suggestion`.
    @Test func suggestionsDoNotFailTheDefaultCheck() throws {
        let folder = try TemporaryFolder()
        try folder.write(["styles/soft.yaml": "version: 1\nterms: [{use: Acme Cloud, instead_of: [acme cloud]}]\nlevels: {terms: suggestion}\n",
                          "a.md": "Use acme cloud.\n"])
        let passing = try CLI.run(["check", "soft", "a.md"], in: folder.url)
        #expect(passing.status == 0, "\(passing)")
        #expect(passing.out == "a.md:1:5: suggestion: write 'Acme Cloud' instead of 'acme cloud': house term: use 'Acme Cloud' instead of 'acme cloud' [terms]\n")
        let failing = try CLI.run(["check", "soft", "a.md", "--fail-level", "suggestion"], in: folder.url)
        #expect(failing.status == 1, "\(failing)")
    }

    @Test func stylesDirectoryIsAnOptionOfEveryCommandThatLoadsAStyle() throws {
        let folder = try TemporaryFolder()
        try folder.write(["house/soft.yaml": "version: 1\nterms: [{use: Acme Cloud, instead_of: [acme cloud]}]\n", "a.md": "Use acme cloud.\n"])
        let rewrite = try CLI.run(["rewrite", "soft", "a.md", "--styles-dir", "house"], in: folder.url)
        #expect(rewrite.out == "Use Acme Cloud.\n", "\(rewrite)")
        let check = try CLI.run(["check", "--styles-dir", "house", "soft", "a.md"], in: folder.url)
        #expect(check.status == 1 && check.out.hasPrefix("a.md:1:5: warning:"), "\(check)")
        let missing = try CLI.run(["rewrite", "soft", "a.md"], in: folder.url)
        #expect(missing.status == 2 && missing.err.contains("styles/soft.yaml"), "\(missing)")
    }
}
