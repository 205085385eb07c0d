import Foundation
import Testing

/// `check` runs files through the batch runner `rewrite` uses: several at once, reported in the
/// order of the files, an unreadable one reported without stopping the others.
@Suite struct BatchCommandTests {
    @Test func checkReportsInFileOrderWhateverTheJobs() throws {
        let folder = try TemporaryFolder()
        var files: [String: Data] = [:]
        for index in 0..<9 { files["docs/\(index).md"] = Data("File \(index): log in to acme cloud.\n".utf8) }
        files["docs/4.md"] = Data([0x66, 0xFF, 0x0A])  // not UTF-8
        try folder.write(files)
        let one = try CLI.run(["check", CLI.acmeStyle, "docs", "--jobs", "1"], in: folder.url)
        let three = try CLI.run(["check", CLI.acmeStyle, "docs", "--jobs", "3"], in: folder.url)
        #expect(one.status == 2 && three.status == 2, "\(one)\n\(three)")
        #expect(one.out == three.out && one.err == three.err)
        let lines = one.out.split(separator: "\n")
        #expect(lines.count == 16, "\(one)")
        #expect(lines.first == "docs/0.md:1:9: warning: write 'sign in' instead of 'log in': house term: use 'sign in' instead of 'log in' [terms]", "\(one)")
        #expect(lines.map { String($0.prefix(9)) } == ["0", "0", "1", "1", "2", "2", "3", "3", "5", "5", "6", "6", "7", "7", "8", "8"].map { "docs/\($0).md" })
        #expect(one.err.hasPrefix("docs/4.md"), "\(one)")
        let bad = try CLI.run(["check", CLI.acmeStyle, "docs", "--jobs", "0"], in: folder.url)
        #expect(bad.status == 2 && bad.err.hasPrefix("Error: --jobs must be at least 1\n"), "\(bad)")
    }
}
