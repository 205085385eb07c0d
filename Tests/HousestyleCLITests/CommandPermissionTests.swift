import Foundation
import Testing

/// External commands of a style run only with `--allow-commands` or `HOUSESTYLE_ALLOW_COMMANDS=1`;
/// without, every command that runs a style stops with status 2 before it reads or writes a file.
@Suite struct CommandPermissionTests {
    /// `styles/house.yaml` inherits a command stage from `styles/base.yaml` (line 3). The stage
    /// leaves `ran.txt` in the style root and reports its last argument as a finding.
    static func repository() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write([
            "styles/base.yaml": "version: 1\nstages:\n  post: [terms, {command: [sh, tools/note.sh, --note, \"it's here\"], timeout: 120, name: notes}]\n",
            "styles/house.yaml": "version: 1\nextends: base\n",
            "tools/note.sh": #"""
                cat >/dev/null
                touch ran.txt
                printf '{"protocol": 1, "findings": [{"start": 0, "end": 5, "message": "%s", "level": "warning"}]}' "$2"

                """#,
            "docs/a.md": "Hello world.\n",
            "pairs.tsv": "Hello world.\tHello, world.\n",
        ])
        return folder
    }

    static let refusal = "styles/house.yaml: error: stage 'notes' would run `sh tools/note.sh --note 'it'\\''s here'` "
        + "(declared at styles/base.yaml:3:17); commands in style files run only when allowed: review it, "
        + "then pass --allow-commands or set HOUSESTYLE_ALLOW_COMMANDS=1\n"

    /// Not allowed, whatever the environment of the test run says.
    static let notAllowed = ["HOUSESTYLE_ALLOW_COMMANDS": ""]

    @Test func checkRefusesBeforeReadingOrWritingAnyFile() throws {
        let folder = try Self.repository()
        let before = folder.files()
        // nosuch.md would be an error of its own (status 2) if the files were looked at.
        let result = try CLI.run(["check", "house", "docs/a.md", "nosuch.md", "--stamp", "stamp.txt"], in: folder.url,
                                 environment: Self.notAllowed)
        #expect(result.status == 2, "\(result)")
        #expect(result.out == "")
        #expect(result.err == Self.refusal)
        #expect(folder.files() == before)  // no ran.txt, no stamp
    }

    @Test(arguments: [(["--allow-commands"], notAllowed), ([], ["HOUSESTYLE_ALLOW_COMMANDS": "1"])])
    func checkRunsTheCommandWhenAllowed(flags: [String], environment: [String: String]) throws {
        let folder = try Self.repository()
        let result = try CLI.run(["check", "house", "docs/a.md", "--fail-level", "error", "--stamp", "stamp.txt"] + flags,
                                 in: folder.url, environment: environment)
        #expect(result.status == 0, "\(result)")
        #expect(result.out == "docs/a.md:1:1: warning: it's here [notes]\n")
        #expect(result.err == "")
        #expect(folder.exists("ran.txt"))
        #expect(try folder.read("stamp.txt") == "// housestyle check: 1 findings\n")
    }

    @Test func onlyTheValueOneAllowsCommands() throws {
        let folder = try Self.repository()
        let result = try CLI.run(["check", "house", "docs/a.md"], in: folder.url, environment: ["HOUSESTYLE_ALLOW_COMMANDS": "0"])
        #expect(result.status == 2)
        #expect(result.err == Self.refusal)
        #expect(!folder.exists("ran.txt"))
    }

    @Test func filterPassesTheInputThroughAndExitsTwo() throws {
        let folder = try Self.repository()
        let input = Data("Hello world.\n".utf8)
        let refused = try CLI.run(["filter", "house"], in: folder.url, stdin: input, environment: Self.notAllowed)
        #expect(refused.status == 2)
        #expect(refused.stdout == input)
        #expect(refused.err == Self.refusal)
        #expect(!folder.exists("ran.txt"))
        let allowed = try CLI.run(["filter", "house", "--allow-commands"], in: folder.url, stdin: input, environment: Self.notAllowed)
        #expect(allowed.status == 0, "\(allowed)")
        #expect(allowed.stdout == input)
        #expect(folder.exists("ran.txt"))
    }

    @Test func rewriteEvalAndScoreRefuseBeforeTouchingAFile() throws {
        let folder = try Self.repository()
        let before = folder.files()
        for arguments in [["rewrite", "house", "docs/a.md", "-o", "out"], ["rewrite", "house", "docs/a.md", "--in-place", "--backup", ".orig"],
                          ["eval", "house", "--pairs", "nosuch.tsv", "--output", "out.txt"], ["score", "house", "docs/a.md", "nosuch.md"]] {
            let result = try CLI.run(arguments, in: folder.url, environment: Self.notAllowed)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.out == "")
            #expect(result.err == Self.refusal, "\(arguments)")
        }
        #expect(folder.files() == before)
        let allowed = try CLI.run(["rewrite", "house", "docs/a.md", "-o", "out", "--allow-commands"], in: folder.url, environment: Self.notAllowed)
        #expect(allowed.status == 0, "\(allowed)")
        #expect(try folder.read("out/a.md") == "Hello world.\n")
        #expect(folder.exists("ran.txt"))
    }

    @Test func validateListsTheCommandInFullWithWhereItIsDeclared() throws {
        let folder = try Self.repository()
        let result = try CLI.run(["validate", "house"], in: folder.url, environment: Self.notAllowed)
        #expect(result.status == 0, "\(result)")
        #expect(result.out.hasSuffix("""
              stages post: terms, notes (command, timeout 120 s)
              command notes: sh tools/note.sh --note 'it'\\''s here' (timeout 120 s, declared at styles/base.yaml:3:17)

            """), "\(result.out)")
        #expect(!folder.exists("ran.txt"))
    }
}
