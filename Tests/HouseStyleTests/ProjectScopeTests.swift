import Foundation
import Testing
@testable import HouseStyle

/// A style reads parent styles, corpora and `model.base` only inside its project or the folders
/// the user allows, and never quotes a file reached through `extends` that is not a style file
/// (issue 13, item 2).
@Suite struct ProjectScopeTests {
    static let secret = "sk-live-SECRET-4242"

    /// `repo/` (no Git; `styles/test.yaml` holds `style`) beside `outside/`, which holds secrets.
    /// Diagnostics come back as printed, the temporary folder written as `<tmp>`.
    final class Layout {
        let temporary: TemporaryRepository
        var repo: String { temporary.root + "/repo" }
        var outside: String { temporary.root + "/outside" }

        init(style: String, files: [String: String] = [:]) throws {
            var all = files
            all["repo/styles/test.yaml"] = style
            all["repo/corpora/voice.md"] = "We write plainly.\n"
            all["outside/secret.env"] = "API_KEY=\(ProjectScopeTests.secret)\n"
            all["outside/secret.yaml"] = "token: \(ProjectScopeTests.secret)\n"
            all["outside/parent.yaml"] = "version: 1\nlocale: en-GB\n"
            all["outside/text.md"] = "\(ProjectScopeTests.secret) is the key.\n"
            temporary = try TemporaryRepository(all)
        }

        func link(_ path: String, to target: String) throws {
            try FileManager.default.createSymbolicLink(atPath: repo + "/" + path, withDestinationPath: target)
        }

        func validate(allowedPaths: [String] = [], checksCorpusFiles: Bool = true) -> (style: Style?, diagnostics: [String]) {
            let result = StyleLoader(checksCorpusFiles: checksCorpusFiles, allowedPaths: allowedPaths)
                .validate(path: repo + "/styles/test.yaml")
            return (result.style, result.diagnostics.map { $0.description.replacingOccurrences(of: temporary.root, with: "<tmp>") })
        }
    }

    static func refusal(_ place: String, key: String, _ what: String, allow: String) -> String {
        "\(place): error: '\(key)' reaches outside the project: \(what) not inside '<tmp>/repo'; a style reads files only in its "
            + "project unless you allow more: pass --allow-path \(allow) or set HOUSESTYLE_ALLOW_PATHS=\(allow)"
    }

    // MARK: - extends

    @Test func extendsOfAFileOutsideTheProjectIsRefusedUnread() throws {
        for (target, written) in [("/etc/passwd", "'/etc/passwd' is"), ("../outside/secret.env", "'<tmp>/repo/../outside/secret.env' leads to '<tmp>/outside/secret.env', which is"),
                                  ("../outside/secret.yaml", "'<tmp>/repo/../outside/secret.yaml' leads to '<tmp>/outside/secret.yaml', which is")] {
            let layout = try Layout(style: "version: 1\nextends: \(target)\n")
            let allow = target == "/etc/passwd" ? "/etc" : "<tmp>/outside"
            let found = layout.validate().diagnostics
            #expect(found == [Self.refusal("<tmp>/repo/styles/test.yaml:2:10", key: "extends", written, allow: allow)], "\(target)")
            #expect(!found.joined().contains(Self.secret))
        }
    }

    @Test func aLinkInTheProjectToAStyleOutsideIsRefused() throws {
        let layout = try Layout(style: "version: 1\nextends: linked\n")
        try layout.link("styles/linked.yaml", to: "../../outside/parent.yaml")
        #expect(layout.validate().diagnostics == [Self.refusal(
            "<tmp>/repo/styles/test.yaml:2:10", key: "extends",
            "'<tmp>/repo/styles/linked.yaml' leads to '<tmp>/outside/parent.yaml', which is", allow: "<tmp>/outside")])
        let allowed = layout.validate(allowedPaths: [layout.outside])
        #expect(allowed.diagnostics == [])
        #expect(allowed.style?.locale == "en-GB")
    }

    @Test func anAllowedFolderMayHoldTheParent() throws {
        let layout = try Layout(style: "version: 1\nextends: ../outside/parent.yaml\n")
        let allowed = layout.validate(allowedPaths: [layout.outside])
        #expect(allowed.diagnostics == [])
        #expect(allowed.style?.locale == "en-GB")
        #expect(allowed.style?.scope?.roots == [layout.repo, layout.outside])
    }

    /// Allowed or not, a parent that is not a style file (no mapping with `version`) is not quoted:
    /// not its keys, not an alias name, not a duplicate key.
    @Test(arguments: [
        "root: \(secret)\nadmin: x\n",
        "\(secret)\n",
        "- \(secret)\n",
        "a: *\(secret)\n",
        "\(secret): 1\n\(secret): 2\n",
    ])
    func aParentThatIsNotAStyleIsNotQuoted(content: String) throws {
        let layout = try Layout(style: "version: 1\nextends: ../outside/shadow.yaml\n", files: ["outside/shadow.yaml": content])
        let found = layout.validate(allowedPaths: [layout.outside]).diagnostics
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix("<tmp>/repo/styles/test.yaml:2:10: error: the parent style '<tmp>/repo/../outside/shadow.yaml' is not a style file: ") == true, "\(found)")
        #expect(found.first?.hasSuffix("; nothing of its content is shown") == true, "\(found)")
        #expect(!found.joined().contains(Self.secret))
    }

    @Test func aParentThatIsNotAMappingSaysWhatAStyleIs() throws {
        let layout = try Layout(style: "version: 1\nextends: ../outside/shadow.yaml\n", files: ["outside/shadow.yaml": "root:x:0:0:\(Self.secret)\n"])
        #expect(layout.validate(allowedPaths: [layout.outside]).diagnostics == [
            "<tmp>/repo/styles/test.yaml:2:10: error: the parent style '<tmp>/repo/../outside/shadow.yaml' is not a style file: "
                + "expected a mapping with 'version' at the top (line 1, column 1); nothing of its content is shown"
        ])
    }

    /// A file with `version` claims to be a style: its mistakes are named as ever.
    @Test func aParentStyleStillGetsItsUnknownKeysNamed() throws {
        let layout = try Layout(style: "version: 1\nextends: ../outside/almost.yaml\n", files: ["outside/almost.yaml": "version: 1\nlocal: en-GB\n"])
        #expect(layout.validate(allowedPaths: [layout.outside]).diagnostics == [
            "<tmp>/repo/../outside/almost.yaml:2:1: error: unknown key 'local'; did you mean 'locale'?"
        ])
    }

    // MARK: - corpus globs

    @Test func corpusGlobsThatLookOutsideAreRefusedWithoutListingAFolder() throws {
        let style = "version: 1\ncorpus:\n  voice: ['/etc/*.conf']\n  contrast: ['../../**/*.txt']\n  pairs: [corpora/../../outside/*.tsv]\n"
        for checksCorpusFiles in [true, false] {
            let layout = try Layout(style: style)
            #expect(layout.validate(checksCorpusFiles: checksCorpusFiles).diagnostics == [
                Self.refusal("<tmp>/repo/styles/test.yaml:3:11", key: "corpus.voice", "'/etc/*.conf' looks in '/etc', which is", allow: "/etc"),
                Self.refusal("<tmp>/repo/styles/test.yaml:4:14", key: "corpus.contrast",
                             "'../../**/*.txt' looks in '\(Self.parent(of: layout.temporary.root))', which is",
                             allow: Self.parent(of: layout.temporary.root)),
                Self.refusal("<tmp>/repo/styles/test.yaml:5:11", key: "corpus.pairs",
                             "'corpora/../../outside/*.tsv' looks in '<tmp>/outside', which is", allow: "<tmp>/outside"),
            ], "checksCorpusFiles: \(checksCorpusFiles)")
        }
    }

    /// A path without wildcards names a file, which need not exist: the folder to allow is its folder.
    @Test func aCorpusFileOutsideIsRefusedWhetherItExistsOrNot() throws {
        let layout = try Layout(style: "version: 1\ncorpus:\n  voice: [../outside/text.md]\n  contrast: [../outside/none.txt]\n")
        #expect(layout.validate().diagnostics == [
            Self.refusal("<tmp>/repo/styles/test.yaml:3:11", key: "corpus.voice",
                         "'../outside/text.md' leads to '<tmp>/outside/text.md', which is", allow: "<tmp>/outside"),
            Self.refusal("<tmp>/repo/styles/test.yaml:4:14", key: "corpus.contrast",
                         "'../outside/none.txt' leads to '<tmp>/outside/none.txt', which is", allow: "<tmp>/outside"),
        ])
    }

    @Test func aCorpusFileLinkedOutsideIsRefused() throws {
        let layout = try Layout(style: "version: 1\ncorpus:\n  voice: [corpora/*.md]\n")
        try layout.link("corpora/leak.md", to: "../../outside/text.md")
        let refused = layout.validate()
        #expect(refused.diagnostics == [Self.refusal(
            "<tmp>/repo/styles/test.yaml:3:11", key: "corpus.voice",
            "'<tmp>/repo/corpora/leak.md' leads to '<tmp>/outside/text.md', which is", allow: "<tmp>/outside")])
        let allowed = layout.validate(allowedPaths: [layout.outside])
        #expect(allowed.diagnostics == [])
        #expect(try allowed.style?.corpus.voice.first?.files() == [layout.repo + "/corpora/leak.md", layout.repo + "/corpora/voice.md"])
    }

    @Test func aCorpusFolderLinkedOutsideIsNotEntered() throws {
        let layout = try Layout(style: "version: 1\ncorpus:\n  voice: [corpora/*/*.md]\n")
        try layout.link("corpora/elsewhere", to: "../../outside")
        #expect(layout.validate().diagnostics == [Self.refusal(
            "<tmp>/repo/styles/test.yaml:3:11", key: "corpus.voice",
            "'<tmp>/repo/corpora/elsewhere' leads to '<tmp>/outside', which is", allow: "<tmp>/outside")])
        #expect(layout.validate(allowedPaths: [layout.outside]).diagnostics == [])
    }

    /// `rewrite` loads without listing corpora; training must still not read a linked file.
    @Test func trainingRefusesALinkedCorpusFileTheLoaderDidNotList() throws {
        let layout = try Layout(style: "version: 1\ncorpus:\n  voice: [corpora/*.md]\n")
        try layout.link("corpora/leak.md", to: "../../outside/text.md")
        let loaded = layout.validate(checksCorpusFiles: false)
        let style = try #require(loaded.style)
        #expect(loaded.diagnostics == [])
        #expect {
            _ = try CorpusReader(seed: 0).read(style)
        } throws: { error in
            let message = "\(error)".replacingOccurrences(of: layout.temporary.root, with: "<tmp>")
            return message == Self.refusal("<tmp>/repo/styles/test.yaml:3:11", key: "corpus.voice",
                "'<tmp>/repo/corpora/leak.md' leads to '<tmp>/outside/text.md', which is", allow: "<tmp>/outside")
                .replacingOccurrences(of: ": error:", with: ":")
        }
        #expect(throws: ModelError.self) { _ = try ModelBundle.fingerprints(of: style) }
    }

    @Test func corpusFilesAreRegularAndLimitedInSize() throws {
        let layout = try Layout(style: "version: 1\n")
        let fifo = layout.repo + "/corpora/pipe.md"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: CorpusError.unreadable(path: fifo, reason: "not a regular file")) { _ = try CorpusReader.readBytes(fifo) }
        let large = layout.repo + "/corpora/large.txt"
        #expect(FileManager.default.createFile(atPath: large, contents: nil))
        #expect(truncate(large, off_t(CorpusReader.fileSizeLimit + 1)) == 0)  // sparse: nothing is written
        #expect(throws: CorpusError.tooLarge(path: large, bytes: CorpusReader.fileSizeLimit + 1, limit: CorpusReader.fileSizeLimit)) {
            _ = try CorpusReader.readBytes(large)
        }
    }

    // MARK: - model.base and name

    @Test func modelBaseOutsideIsRefused() throws {
        let layout = try Layout(style: "version: 1\nmodel:\n  base: ../outside\n")
        #expect(layout.validate().diagnostics == [Self.refusal(
            "<tmp>/repo/styles/test.yaml:3:9", key: "model.base", "'<tmp>/repo/../outside' leads to '<tmp>/outside', which is", allow: "<tmp>/outside")])
        #expect(layout.validate(allowedPaths: [layout.outside]).diagnostics == [])
    }

    @Test(arguments: ["../../outside/x", "a/b", ".."])
    func aNameIsNotAPath(name: String) throws {
        #expect(try diagnostics(for: "version: 1\nname: '\(name)'\n") == [
            "styles/test.yaml:2:7: error: 'name' must be a plain name, without '/' and not '.' or '..' (it names the folder models/NAME), found '\(name)'"
        ])
    }

    // MARK: - in the project

    @Test func stylesAndCorporaInTheProjectNeedNothing() throws {
        let layout = try Layout(style: "version: 1\nextends: shared/base.yaml\ncorpus:\n  voice: [corpora/**/*.md]\n",
                                files: ["repo/shared/base.yaml": "version: 1\nlocale: en-GB\ncorpus:\n  contrast: [corpora/*.md]\n"])
        try layout.link("corpora/again.md", to: "voice.md")  // a link that stays inside is fine
        let loaded = layout.validate()
        #expect(loaded.diagnostics == [])
        #expect(loaded.style?.locale == "en-GB")
        #expect(try loaded.style?.corpus.voice.first?.files() == [layout.repo + "/corpora/again.md", layout.repo + "/corpora/voice.md"])
    }

    @Test func theProjectIsTheGitRepositoryElseTheStylesFoldersParentElseTheFilesFolder() throws {
        let temporary = try TemporaryRepository([
            "git/.git": "gitdir: /elsewhere\n",  // a worktree's .git is a file
            "git/docs/styles/a.yaml": "version: 1\n", "git/docs/b.yaml": "version: 1\n",
            "plain/styles/c.yaml": "version: 1\n", "plain/docs/d.yaml": "version: 1\n",
        ])
        let root = PathScope.realPath(temporary.root)
        #expect(PathScope.projectRoot(ofStyleFile: temporary.root + "/git/docs/styles/a.yaml") == root + "/git")
        #expect(PathScope.projectRoot(ofStyleFile: temporary.root + "/git/docs/b.yaml") == root + "/git")
        #expect(PathScope.projectRoot(ofStyleFile: temporary.root + "/plain/styles/c.yaml") == root + "/plain")
        #expect(PathScope.projectRoot(ofStyleFile: temporary.root + "/plain/docs/d.yaml") == root + "/plain/docs")
    }

    /// In a Git repository, a style below the top may use the repository's corpora.
    @Test func aStyleDeepInAGitRepositoryReadsTheRepositorysCorpora() throws {
        let temporary = try TemporaryRepository([
            "git/.git/HEAD": "ref: refs/heads/main\n",
            "git/docs/styles/a.yaml": "version: 1\ncorpus:\n  voice: [../corpora/*.md]\n",
            "git/corpora/voice.md": "We write plainly.\n",
        ])
        let result = StyleLoader().validate(path: temporary.root + "/git/docs/styles/a.yaml")
        #expect(result.diagnostics == [])
    }

    @Test func theEnvironmentListsFoldersSeparatedByColons() {
        #expect(PathScope.allowedPaths(fromEnvironment: ["HOUSESTYLE_ALLOW_PATHS": "/data/a::../b:"]) == ["/data/a", "../b"])
        #expect(PathScope.allowedPaths(fromEnvironment: [:]) == [])
    }

    static func parent(of path: String) -> String {
        (PathScope.realPath(path) as NSString).deletingLastPathComponent
    }
}
