import Foundation
import Testing

/// `housestyle rewrite`, run as a subprocess on temporary folders.
@Suite struct RewriteCommandTests {
    static let guide = "Please log in to acme cloud.\nWe leverage the colour.\n"
    static let guideRewritten = "Please sign in to Acme Cloud.\nWe leverage the colour.\n"
    static let keys = "It is organized.\n"
    static let keysRewritten = "It\u{2019}s organised.\n"
    static let clean = "All good here.\n"

    /// docs/ with two files that change, one that does not, and a file rewrite does not pick up.
    static func docs() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write([
            "docs/guide.md": guide,
            "docs/api/keys.txt": keys,
            "docs/clean.markdown": clean,
            "docs/data.json": "{\"log in\": 1}\n",
        ])
        return folder
    }

    /// On a terminal (a pseudo-terminal from util-linux `script`), stderr shows a progress bar;
    /// into a file or pipe, it does not.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func progressBarOnlyOnATerminal() throws {
        let folder = try Self.docs()
        let command = "'\(CLI.binary)' rewrite '\(CLI.acmeStyle)' docs -o out --jobs 1"
        let terminal = try CLI.run(["-qec", command, "/dev/null"], in: folder.url, executable: "/usr/bin/script")
        #expect(terminal.status == 0, "\(terminal)")
        #expect(terminal.out.contains("\r\u{1B}[K[##############################] 100% 3/3 files\r\u{1B}[K"), "the bar is drawn, and cleared at the end: \(terminal)")
        let piped = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "-o", "out2"], in: folder.url)
        #expect(piped.status == 0)
        #expect(!piped.err.contains("["), "\(piped)")
    }

    @Test func twoJobsWriteWhatOneJobWrites() throws {
        let folder = try Self.docs()
        var files: [String: String] = [:]
        for index in 0..<12 { files["many/\(index).md"] = "Doc \(index): simply log in to acme cloud.\n" + Self.guide }
        try folder.write(files)
        for jobs in ["1", "2"] {
            let result = try CLI.run(["rewrite", CLI.acmeStyle, "many", "docs", "-o", "out\(jobs)", "--jobs", jobs], in: folder.url)
            #expect(result.status == 0, "\(result)")
        }
        let one = folder.files().filter { $0.hasPrefix("out1/") }.sorted()
        #expect(one.count == 15)
        for path in one {
            let other = "out2/" + path.dropFirst("out1/".count)
            #expect(try folder.read(path) == folder.read(other), "\(path)")
        }
        #expect(folder.files().filter { $0.hasPrefix("out2/") }.count == one.count)
    }

    @Test func outputFolderMirrorsFoldersAndWritesOnlyTextFiles() throws {
        let folder = try Self.docs()
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "-o", "out"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(result.out == "")
        #expect(result.err == "rewrote 3 of 3 files: 4 edits, 1 finding (TIME)\n")
        #expect(folder.files(under: "out") == ["api/keys.txt", "clean.markdown", "guide.md"])
        #expect(try folder.read("out/guide.md") == Self.guideRewritten)
        #expect(try folder.read("out/api/keys.txt") == Self.keysRewritten)
        #expect(try folder.read("out/clean.markdown") == Self.clean)
        #expect(try folder.read("docs/guide.md") == Self.guide)
    }

    @Test(arguments: [
        (["--include", "*.json"], ["data.json"]),
        (["--exclude", "api/**"], ["clean.markdown", "guide.md"]),
        (["--include", "*.md", "--include", "*.txt"], ["api/keys.txt", "guide.md"]),
        (["--exclude", "*.md", "--exclude", "clean.*"], ["api/keys.txt"]),
        // A folder's name or its path below the argument excludes everything in it.
        (["--exclude", "api"], ["clean.markdown", "guide.md"]),
        (["--exclude", "a?i"], ["clean.markdown", "guide.md"]),
        (["--include", "api/*.txt"], ["api/keys.txt"]),
    ])
    func includeAndExclude(flags: [String], written: [String]) throws {
        let folder = try Self.docs()
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "-o", "out"] + flags, in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(folder.files(under: "out") == written)
    }

    @Test func refusesToWriteOverInputsWithoutInPlace() throws {
        let folder = try Self.docs()
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "-o", "docs"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.out == "")
        #expect(result.err == ""
            + "error: docs/api/keys.txt: the output would overwrite an input; use --in-place to rewrite files where they are\n")
        #expect(try folder.read("docs/guide.md") == Self.guide)
        #expect(try folder.read("docs/api/keys.txt") == Self.keys)
        #expect(folder.files(under: "docs").count == 4)
    }

    @Test func outputAndInPlaceTogetherIsAUsageError() throws {
        let folder = try Self.docs()
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "-o", "out", "--in-place"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.err.hasPrefix("Error: give either -o DIR or --in-place, not both\n"), "\(result)")
        #expect(!folder.exists("out"))
    }

    @Test func inPlaceWithBackupKeepsOriginalsOfChangedFiles() throws {
        let folder = try Self.docs()
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "--in-place", "--backup", ".orig"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(result.out == "")
        #expect(folder.files(under: "docs") == [
            "api/keys.txt", "api/keys.txt.orig", "clean.markdown", "data.json", "guide.md", "guide.md.orig",
        ])
        #expect(try folder.read("docs/guide.md") == Self.guideRewritten)
        #expect(try folder.read("docs/guide.md.orig") == Self.guide)
        #expect(try folder.read("docs/api/keys.txt") == Self.keysRewritten)
        #expect(try folder.read("docs/api/keys.txt.orig") == Self.keys)
        #expect(try folder.read("docs/clean.markdown") == Self.clean)
        #expect(folder.files().allSatisfy { !$0.hasSuffix(".tmp") })
    }

    @Test func aSecondBackupRunKeepsTheFirstBackup() throws {
        let folder = try Self.docs()
        var result = try CLI.run(["rewrite", CLI.acmeStyle, "docs/guide.md", "--in-place", "--backup", ".orig"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        // A new draft of the file, rewritten again: its original goes to .orig.1, the first stays.
        let secondDraft = Self.guide + "\nA second draft.\n"
        try folder.write(["docs/guide.md": secondDraft])
        result = try CLI.run(["rewrite", CLI.acmeStyle, "docs/guide.md", "--in-place", "--backup", ".orig"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(try folder.read("docs/guide.md.orig") == Self.guide)
        #expect(try folder.read("docs/guide.md.orig.1") == secondDraft)
        #expect(try folder.read("docs/guide.md") != secondDraft)
    }

    @Test func singleFileGoesToStdout() throws {
        let folder = try Self.docs()
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs/guide.md"], in: folder.url)
        #expect(result.status == 0)
        #expect(result.out == Self.guideRewritten)
        #expect(result.err == "rewrote 1 of 1 file: 2 edits, 1 finding (TIME)\n")
    }

    @Test func severalFilesWithoutDestinationIsRefused() throws {
        let folder = try Self.docs()
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.out == "")
        #expect(result.err == "error: 3 files to rewrite: give -o DIR, --in-place, --diff, --word-diff or --explain\n")
    }

    @Test func diffShowsChangesAndWritesNothing() throws {
        let folder = try Self.docs()
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "--diff"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        try Golden.check(result.out, named: "rewrite-diff.txt")
        #expect(try folder.read("docs/guide.md") == Self.guide)
        #expect(folder.files() == ["docs/api/keys.txt", "docs/clean.markdown", "docs/data.json", "docs/guide.md"])
    }

    @Test func explainListsEveryEditAndFinding() throws {
        let folder = try Self.docs()
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "--explain"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(result.out == """
            docs/api/keys.txt:1:1: 'It is' -> 'It’s' [contractions+smart_quotes, rule, confidence 1.00, warning] contract 'It is' to 'It's'; typographic apostrophe
            docs/api/keys.txt:1:7: 'organized' -> 'organised' [spelling, rule, confidence 1.00, warning] en-GB spelling: 'organised' not 'organized'
            docs/guide.md:1:8: 'log in' -> 'sign in' [terms, rule, confidence 1.00, warning] house term: use 'sign in' instead of 'log in'
            docs/guide.md:1:18: 'acme cloud' -> 'Acme Cloud' [terms, rule, confidence 1.00, warning] house term: use 'Acme Cloud' instead of 'acme cloud'
            docs/guide.md:2:4: warning: avoid 'leverage' [avoid]

            """)
        #expect(result.err == "rewrote 3 of 3 files: 4 edits, 1 finding (TIME)\n")
    }

    @Test func jsonReportHasEveryFileWithEditsAndFindings() throws {
        let folder = try Self.docs()
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "-o", "out", "--format", "json"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        try Golden.check(result.out, named: "rewrite-report.json")
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let files = try #require(report["files"] as? [[String: Any]])
        #expect(files.map { $0["path"] as? String } == ["docs/api/keys.txt", "docs/clean.markdown", "docs/guide.md"])
        #expect(files.map { $0["changed"] as? Bool } == [true, false, true])
        #expect(files.map { ($0["edits"] as? [Any])?.count } == [2, 0, 2])
        #expect(try folder.read("out/guide.md") == Self.guideRewritten)
    }

    @Test func badFilesAreReportedAndGoodFilesStillWritten() throws {
        let folder = try Self.docs()
        try folder.write([
            "docs/broken.md": Data("bad ".utf8) + [0xFF] + Data(" here\n".utf8),
            "docs/sub/image.txt": Data([0x62, 0x69, 0x6E, 0x00, 0x61, 0x72, 0x79]),
        ])
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "-o", "out"], in: folder.url)
        #expect(result.status == 1)
        #expect(result.out == "")
        #expect(result.err == """
            docs/broken.md: not valid UTF-8 at byte 4
            docs/sub/image.txt: binary file, not text (NUL byte at byte 3)
            rewrote 3 of 5 files: 4 edits, 1 finding, 2 failed (TIME)

            """)
        #expect(folder.files(under: "out") == ["api/keys.txt", "clean.markdown", "guide.md"])
        #expect(try folder.read("out/guide.md") == Self.guideRewritten)
    }

    @Test func badFileInPlaceIsLeftUntouched() throws {
        let folder = try Self.docs()
        let bytes = Data([0x6C, 0x6F, 0x67, 0x20, 0x69, 0x6E, 0xC3, 0x28])
        try folder.write(["docs/broken.md": bytes])
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "--in-place"], in: folder.url)
        #expect(result.status == 1)
        #expect(result.err.contains("docs/broken.md: not valid UTF-8 at byte 6\n"), "\(result)")
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("docs/broken.md")) == bytes)
        #expect(try folder.read("docs/guide.md") == Self.guideRewritten)
    }

    @Test func missingPathIsAnError() throws {
        let folder = try Self.docs()
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "nowhere", "-o", "out"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.err == "error: nowhere: no such file or folder\n")
        #expect(!folder.exists("out"))
    }

    @Test func twoInputsWithTheSameOutputAreRefusedBeforeWriting() throws {
        let folder = try TemporaryFolder()
        try folder.write(["x/n.md": Self.guide, "y/n.md": Self.keys, "a/ok.md": Self.clean])
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "a/ok.md", "x/n.md", "y/n.md", "-o", "o2"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.out == "")
        #expect(result.err == "error: x/n.md and y/n.md would both be written to o2/n.md; rewrite them in separate runs or with different -o folders\n")
        #expect(!folder.exists("o2"))
    }

    @Test func inPlaceOnASymbolicLinkRewritesItsTargetAndKeepsPermissions() throws {
        let folder = try Self.docs()
        let manager = FileManager.default
        let target = folder.url.appendingPathComponent("docs/guide.md").path
        let link = folder.url.appendingPathComponent("link.md").path
        try manager.setAttributes([.posixPermissions: 0o640], ofItemAtPath: target)
        try manager.createSymbolicLink(atPath: link, withDestinationPath: "docs/guide.md")
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "link.md", "--in-place", "--backup", ".orig"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(try manager.destinationOfSymbolicLink(atPath: link) == "docs/guide.md")
        #expect(try folder.read("docs/guide.md") == Self.guideRewritten)
        #expect(try manager.attributesOfItem(atPath: target)[.posixPermissions] as? Int == 0o640)
        #expect(try folder.read("link.md.orig") == Self.guide)
        #expect(try manager.attributesOfItem(atPath: link + ".orig")[.posixPermissions] as? Int == 0o640)
        #expect(folder.files().allSatisfy { !$0.hasSuffix(".tmp") })
    }

    @Test func aLinkInTheOutputFolderIsReplacedNotWrittenThrough() throws {
        let folder = try Self.docs()
        try folder.write(["elsewhere.md": "Keep me.\n"])
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("out"), withIntermediateDirectories: true)
        let link = folder.url.appendingPathComponent("out/guide.md").path  // where docs/guide.md goes
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "../elsewhere.md")
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "-o", "out"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(try folder.read("elsewhere.md") == "Keep me.\n")
        #expect(try folder.read("out/guide.md") == Self.guideRewritten)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil)
    }

    @Test func backupKeepsTheOriginalsPermissions() throws {
        let folder = try Self.docs()
        let path = folder.url.appendingPathComponent("docs/guide.md").path
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs/guide.md", "--in-place", "--backup", ".orig"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(try FileManager.default.attributesOfItem(atPath: path + ".orig")[.posixPermissions] as? Int == 0o640)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o640)
    }

    @Test func inPlaceKeepsOwnerAndRefusesReadOnlyAndHardLinkedFilesUnlessForced() throws {
        let folder = try Self.docs()
        let path = folder.url.appendingPathComponent("docs/guide.md").path
        // Owner and group stay (as root, the file of another user stays theirs).
        if getuid() == 0 { _ = chown(path, 1234, 5678) }
        var result = try CLI.run(["rewrite", CLI.acmeStyle, "docs/guide.md", "--in-place"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        var status = stat()
        _ = stat(path, &status)
        if getuid() == 0 { #expect(status.st_uid == 1234 && status.st_gid == 5678) }
        // Read-only: refused (no backup left behind), then rewritten with --force, still read-only.
        try folder.write(["docs/guide.md": Self.guide])
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        result = try CLI.run(["rewrite", CLI.acmeStyle, "docs/guide.md", "--in-place", "--backup", ".orig"], in: folder.url)
        #expect(result.status == 1, "\(result)")
        #expect(result.err.contains("docs/guide.md: error: cannot write: the file is read-only; make it writable or pass --force")
            || result.err.contains("the file is read-only"), "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: path + ".orig"))
        result = try CLI.run(["rewrite", CLI.acmeStyle, "docs/guide.md", "--in-place", "--force"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(try folder.read("docs/guide.md") == Self.guideRewritten)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o444)
        // Hard links: refused, then written into the same inode, so both names see the rewrite.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try folder.write(["docs/guide.md": Self.guide])
        let twin = folder.url.appendingPathComponent("twin.md").path
        #expect(link(path, twin) == 0)
        result = try CLI.run(["rewrite", CLI.acmeStyle, "docs/guide.md", "--in-place"], in: folder.url)
        #expect(result.status == 1 && result.err.contains("hard links"), "\(result)")
        result = try CLI.run(["rewrite", CLI.acmeStyle, "docs/guide.md", "--in-place", "--force"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(try folder.read("twin.md") == Self.guideRewritten)
    }

    @Test func noWriteGoesThroughALinkOutOfTheNamedFolders() throws {
        let folder = try Self.docs()
        try folder.write(["victim/secret.md": "Please log in.\n", "in/a.md": "Please log in.\n"])
        let manager = FileManager.default
        // In place: a link in in/ to a file outside it is refused, the file is left alone.
        try manager.createSymbolicLink(atPath: folder.url.appendingPathComponent("in/b.md").path, withDestinationPath: "../victim/secret.md")
        var result = try CLI.run(["rewrite", CLI.acmeStyle, "in/a.md", "in/b.md", "--in-place"], in: folder.url)
        #expect(result.status == 1, "\(result)")
        #expect(result.err.contains("in/b.md: cannot write: it is a symbolic link to "), "\(result.err)")
        #expect(try folder.read("victim/secret.md") == "Please log in.\n")
        #expect(try folder.read("in/a.md") == "Please sign in.\n")
        // Under -o: a link among the output's folders is not written through.
        try folder.write(["src/sub/c.md": "Please log in.\n"])
        try manager.createDirectory(at: folder.url.appendingPathComponent("out"), withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: folder.url.appendingPathComponent("out/sub").path, withDestinationPath: "../victim")
        result = try CLI.run(["rewrite", CLI.acmeStyle, "src", "-o", "out"], in: folder.url)
        #expect(result.status == 1, "\(result)")
        #expect(result.err.contains("out/sub is a symbolic link; not writing through it"), "\(result.err)")
        #expect(!manager.fileExists(atPath: folder.url.appendingPathComponent("victim/c.md").path))
    }

    @Test func temporariesOfAKilledRunAreRemovedByTheNext() throws {
        let folder = try Self.docs()
        // 999999: above the default pid_max of many systems, so no live process has it.
        try folder.write(["docs/.guide.md.housestyle-999999-42.tmp": "half", "docs/.keep.tmp": "mine"])
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs/guide.md", "--in-place"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("docs/.guide.md.housestyle-999999-42.tmp").path))
        #expect(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("docs/.keep.tmp").path))
    }

    @Test func inPlaceRefusesAFileNamedTwiceThroughALink() throws {
        let folder = try Self.docs()
        try FileManager.default.createSymbolicLink(atPath: folder.url.appendingPathComponent("link.md").path, withDestinationPath: "docs/guide.md")
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs/guide.md", "link.md", "--in-place"], in: folder.url)
        #expect(result.status == 2, "\(result)")
        #expect(result.err.contains("error: docs/guide.md and link.md are the same file ("), "\(result.err)")
        #expect(try folder.read("docs/guide.md") == Self.guide, "nothing is written")
    }

    @Test func outputFolderInsideTheInputFolderIsNotAnInput() throws {
        let folder = try Self.docs()
        for _ in 0..<2 {
            let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "-o", "docs/out"], in: folder.url)
            #expect(result.status == 0, "\(result)")
            #expect(result.err == "rewrote 3 of 3 files: 4 edits, 1 finding (TIME)\n")
        }
        #expect(folder.files(under: "docs/out") == ["api/keys.txt", "clean.markdown", "guide.md"])
        #expect(try folder.read("docs/out/guide.md") == Self.guideRewritten)
    }

    @Test func brokenLinkInAFolderIsReportedAndTheOthersWritten() throws {
        let folder = try Self.docs()
        try FileManager.default.createSymbolicLink(
            atPath: folder.url.appendingPathComponent("docs/dead.md").path, withDestinationPath: "gone.md")
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "docs", "-o", "out"], in: folder.url)
        #expect(result.status == 1)
        #expect(result.err == """
            docs/dead.md: cannot read: it is a symbolic link to 'gone.md', which does not exist
            rewrote 3 of 4 files: 4 edits, 1 finding, 1 failed (TIME)

            """)
        #expect(folder.files(under: "out") == ["api/keys.txt", "clean.markdown", "guide.md"])
    }

    @Test func explainDoesNotCountAByteOrderMarkAsAColumn() throws {
        let folder = try TemporaryFolder()
        try folder.write(["col.md": "\u{FEFF}Please log in to acme cloud.\n"])
        let result = try CLI.run(["rewrite", CLI.acmeStyle, "col.md", "--explain"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(result.out == """
            col.md:1:8: 'log in' -> 'sign in' [terms, rule, confidence 1.00, warning] house term: use 'sign in' instead of 'log in'
            col.md:1:18: 'acme cloud' -> 'Acme Cloud' [terms, rule, confidence 1.00, warning] house term: use 'Acme Cloud' instead of 'acme cloud'

            """)
    }

    @Test(arguments: [
        (["check", CLI.acmeStyle, "docs", "--fail-level", "bogus"], "Error: The value 'bogus' is invalid for '--fail-level <fail-level>'. Please provide one of 'suggestion', 'warning' or 'error'.\n"),
        (["rewrite", CLI.acmeStyle, "docs", "--jobs", "0"], "Error: --jobs must be at least 1\n"),
        (["rewrite", CLI.acmeStyle, "docs", "--backup", ".orig"], "Error: --backup goes with --in-place\n"),
        (["rewrite", CLI.acmeStyle, "docs", "--in-place", "--backup", ""], "Error: --backup needs a suffix such as .orig (not empty, no '/')\n"),
        (["rewrite", CLI.acmeStyle, "docs", "--refusals"], "Error: --refusals goes with --explain or --format json\n"),
        (["rewrite", CLI.acmeStyle], "Error: Missing expected argument '<paths> ...'\n"),
        (["check", CLI.acmeStyle, "docs", "--no-such-option"], "Error: Unknown option '--no-such-option'\n"),
    ])
    func badArgumentsExitWithStatus2(arguments: [String], message: String) throws {
        let folder = try Self.docs()
        let result = try CLI.run(arguments, in: folder.url)
        #expect(result.status == 2, "\(result)")
        #expect(result.out == "")
        #expect(result.err.hasPrefix(message), "\(result)")
        #expect(result.err.contains("Usage: housestyle"), "\(result)")
    }

    @Test(arguments: [["--help"], ["--version"], ["rewrite", "--help"], ["help", "check"]])
    func helpAndVersionExitWithStatus0(arguments: [String]) throws {
        let folder = try TemporaryFolder()
        let result = try CLI.run(arguments, in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(!result.out.isEmpty)
        #expect(result.err == "")
    }
}
