import Foundation
import Testing

/// A style reads files only inside its project unless `--allow-path` or `HOUSESTYLE_ALLOW_PATHS`
/// allows more, and no file reached through `extends` that is not a style ends up on stderr
/// (issue 13, item 2).
@Suite struct PathPermissionTests {
    static let secret = "sk-live-SECRET-4242"

    /// `repo/` (the project: `styles/`, `docs/a.md`) beside `outside/`: a secret `.env`, a parent
    /// style that prefers contractions, and a voice corpus. Commands run in `repo/`.
    static func layout() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write([
            "repo/styles/env.yaml": "version: 1\nextends: ../outside/secret.env\n",
            "repo/styles/shadow.yaml": "version: 1\nextends: ../outside/shadow.yaml\n",
            "repo/styles/house.yaml": "version: 1\nextends: ../outside/parent.yaml\ncorpus:\n  voice: [../outside/corpus/*.md]\n",
            "repo/docs/a.md": "Do not worry.\n",
            "outside/secret.env": "API_KEY=\(secret)\n",
            "outside/shadow.yaml": "root: \(secret)\n",
            "outside/parent.yaml": "version: 1\ncontractions: prefer\n",
            "outside/corpus/voice.md": "We don't worry about it.\n",
        ])
        return folder
    }

    /// Nothing allowed, whatever the environment of the test run says.
    static let nothingAllowed = ["HOUSESTYLE_ALLOW_PATHS": ""]

    static func repo(_ folder: TemporaryFolder) -> URL { folder.url.appendingPathComponent("repo") }

    @Test func aParentOutsideTheProjectIsRefusedByEveryCommandAndItsSecretNeverPrinted() throws {
        let folder = try Self.layout()
        let real = folder.url.resolvingSymlinksInPath().path
        let refusal = "styles/env.yaml:2:10: error: 'extends' reaches outside the project: '../outside/secret.env' leads to "
            + "'\(real)/outside/secret.env', which is not inside '\(real)/repo'; a style reads files only in its project unless "
            + "you allow more: pass --allow-path \(real)/outside or set HOUSESTYLE_ALLOW_PATHS=\(real)/outside\n"
        for (arguments, status) in [(["validate", "env"], Int32(1)), (["train", "env"], 2), (["check", "env", "docs/a.md"], 2),
                                    (["rewrite", "env", "docs/a.md", "-o", "out"], 2), (["filter", "env"], 2),
                                    (["eval", "env", "--pairs", "nosuch.tsv"], 2)] {
            let result = try CLI.run(arguments, in: Self.repo(folder), environment: Self.nothingAllowed)
            #expect(result.status == status, "\(arguments): \(result)")
            #expect(result.err == refusal, "\(arguments)")
        }
        // Allowed, it is still not a style file: refused unread.
        let allowed = try CLI.run(["validate", "env", "--allow-path", "../outside"], in: Self.repo(folder), environment: Self.nothingAllowed)
        #expect(allowed.status == 1)
        #expect(allowed.err.contains("a path to a .yaml or .yml style file"), "\(allowed)")
        #expect(!allowed.err.contains(Self.secret) && !allowed.out.contains(Self.secret))
    }

    @Test func anAllowedParentThatIsNotAStyleIsNotQuoted() throws {
        let folder = try Self.layout()
        for environment in [["HOUSESTYLE_ALLOW_PATHS": folder.url.appendingPathComponent("outside").path], Self.nothingAllowed] {
            let flags = environment == Self.nothingAllowed ? ["--allow-path", "../outside"] : []
            let result = try CLI.run(["validate", "shadow"] + flags, in: Self.repo(folder), environment: environment)
            #expect(result.status == 1)
            #expect(result.err == "styles/shadow.yaml:2:10: error: the parent style '../outside/shadow.yaml' is not a style file: "
                + "expected a mapping with 'version' at the top (line 1, column 1); nothing of its content is shown\n", "\(result)")
        }
    }

    @Test(arguments: [(["--allow-path", "../outside"], nothingAllowed), ([], ["HOUSESTYLE_ALLOW_PATHS": "/nonexistent:../outside"])])
    func aParentAndACorpusInAnAllowedFolderAreRead(flags: [String], environment: [String: String]) throws {
        let folder = try Self.layout()
        let input = Data("Do not worry.\n".utf8)
        let refused = try CLI.run(["filter", "house"], in: Self.repo(folder), stdin: input, environment: Self.nothingAllowed)
        #expect(refused.status == 2)
        #expect(refused.stdout == input)  // passed through unchanged
        #expect(refused.err.components(separatedBy: "reaches outside the project").count == 3, "\(refused)")  // extends and corpus.voice
        let allowed = try CLI.run(["filter", "house"] + flags, in: Self.repo(folder), stdin: input, environment: environment)
        #expect(allowed.status == 0, "\(allowed)")
        #expect(allowed.out == "Don't worry.\n")
    }

    @Test func everyCommandThatLoadsAStyleTakesAllowPath() throws {
        let folder = try TemporaryFolder()
        for command in ["validate", "train", "rewrite", "filter", "check", "eval", "init"] {
            let help = try CLI.run(["help", command], in: folder.url)
            #expect(help.out.contains("--allow-path <folder>"), "\(command): \(help.out)")
            #expect(help.out.contains("HOUSESTYLE_ALLOW_PATHS"), "\(command)")
        }
    }
}
