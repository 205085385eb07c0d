import Foundation
import Testing

// `housestyle init NAME --from DOCS`, end to end: the shipped corpora/acme in, a style out that
// `validate` passes and `filter` runs.

private let voiceWarning = "styles/acme.yaml: warning: the style has a voice corpus but no 'learned' stage in stages.post, so 'train' learns edits that rewrite never applies\n"

/// A temporary project holding a copy of the repository's corpora/acme.
private func projectWithAcmeCorpus() throws -> TemporaryFolder {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("corpora"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: CLI.repositoryRoot.appendingPathComponent("corpora/acme"),
                                     to: folder.url.appendingPathComponent("corpora/acme"))
    return folder
}

@Test func initOnTheAcmeCorpusWritesAStyleThatValidates() throws {
    let folder = try projectWithAcmeCorpus()
    let result = try CLI.run(["init", "acme", "--from", "corpora/acme"], in: folder.url)
    #expect(result.status == 0, "\(result)")
    #expect(result.err == voiceWarning)
    #expect(result.out.hasPrefix("styles/acme.yaml: inferred from 21 documents ("))
    #expect(result.out.contains("\n  contractions: prefer\n"))

    let text = try folder.read("styles/acme.yaml")
    // The key decisions, each with its counts in the comment above it.
    #expect(text.contains("\n  voice: [corpora/acme/**/*.md]\n"))
    #expect(text.contains("\ncontractions: prefer\n"))
    #expect(text.contains("\n  oxford_comma: true\n"))
    #expect(text.contains("\n  quotes: straight\n"))
    #expect(text.contains("\nspelling: en-GB\n"))
    #expect(text.contains("# British spellings 4 (recognise 2, centres 1, colour 1), American 0: 100% British,\n# P(share > 1/2) = 0.968\nspelling: en-GB\n"))
    #expect(text.contains("\n# model:\n"))
    // The corpus is edits.tsv-free: only Markdown and text documents are read.
    #expect(!text.contains("edits.tsv"))

    let validate = try CLI.run(["validate", "acme"], in: folder.url)
    #expect(validate.status == 0, "\(validate)")
    #expect(validate.err == voiceWarning)

    // The style rewrites with its rules straight away: nothing to train.
    let filtered = try CLI.run(["filter", "acme"], in: folder.url, stdin: Data("We do not know. It is red, green, blue and white.\n".utf8))
    #expect(filtered.status == 0, "\(filtered)")
    #expect(filtered.out == "We don't know. It's red, green, blue, and white.\n")
}

@Test func initAsksForMoreEvidenceAtAHigherConfidence() throws {
    let folder = try projectWithAcmeCorpus()
    let strict = try CLI.run(["init", "acme", "--from", "corpora/acme", "--confidence", "0.97"], in: folder.url)
    #expect(strict.status == 0, "\(strict)")
    #expect(strict.out.contains("\n  spelling: keep (too few spellings of the table's words to be sure (4): 100% British, P(share > 1/2) = 0.968, need 0.97)\n"))
    #expect(try folder.read("styles/acme.yaml").contains("\nspelling: keep\n"))
    for bad in ["0.5", "1"] {
        let refused = try CLI.run(["init", "x", "--from", "corpora/acme", "--confidence", bad], in: folder.url)
        #expect(refused.status != 0)
        #expect(refused.err.contains("--confidence must be above 0.5 and below 1, not \(bad == "1" ? "1.0" : bad)"), "\(refused)")
        #expect(!folder.exists("styles/x.yaml"))
    }
}

@Test func initRefusesToReplaceAStyleWithoutForce() throws {
    let folder = try projectWithAcmeCorpus()
    try folder.write(["styles/acme.yaml": "version: 1\n"])
    let refused = try CLI.run(["init", "acme", "--from", "corpora/acme/support"], in: folder.url)
    #expect(refused.status == 2)
    #expect(refused.err == "error: styles/acme.yaml: already exists; pass --force to replace it\n")
    #expect(refused.out == "")
    #expect(try folder.read("styles/acme.yaml") == "version: 1\n")

    let forced = try CLI.run(["init", "acme", "--from", "corpora/acme/support", "--force"], in: folder.url)
    #expect(forced.status == 0, "\(forced)")
    #expect(try folder.read("styles/acme.yaml").contains("\n  voice: [corpora/acme/support/**/*.md]\n"))
    #expect(folder.files(under: "styles") == ["acme.yaml"])
}

@Test func initNamesTheFileThatStopsIt() throws {
    let folder = try projectWithAcmeCorpus()
    try folder.write(["drafts/bad.md": Data([0x48, 0x69, 0x0A, 0xC3, 0x28, 0x0A])])
    let bad = try CLI.run(["init", "drafts", "--from", "drafts"], in: folder.url)
    #expect(bad.status == 2)
    #expect(bad.err == "error: drafts/bad.md: not valid UTF-8 at byte 3\n", "\(bad)")
    #expect(!folder.exists("styles/drafts.yaml"))

    let missing = try CLI.run(["init", "x", "--from", "nowhere"], in: folder.url)
    #expect(missing.status == 2)
    #expect(missing.err == "error: nowhere: no such file or folder\n")

    try folder.write(["images/logo.svg": "<svg/>"])
    let empty = try CLI.run(["init", "x", "--from", "images"], in: folder.url)
    #expect(empty.status == 2)
    #expect(empty.err == "error: images: no Markdown or text files (.md, .markdown, .txt) to infer a style from\n")

    // Without --from, init reads corpora/NAME; when there is none, it says where it looked.
    let noFrom = try CLI.run(["init", "x"], in: folder.url)
    #expect(noFrom.status == 2)
    #expect(noFrom.err == "error: no documents to infer the style from: give them with --from DOCS (folders, files or globs), "
        + "or put them in corpora/x/, which init reads without --from (housestyle init x --from corpora/x)\n", "\(noFrom)")
    #expect(folder.files(under: "styles") == [])
}

@Test func initWithoutFromReadsTheStylesOwnCorpusFolder() throws {
    let folder = try projectWithAcmeCorpus()
    let result = try CLI.run(["init", "acme"], in: folder.url)
    #expect(result.status == 0, "\(result)")
    #expect(result.out.hasPrefix("styles/acme.yaml: inferred from 21 documents ("))
    let text = try folder.read("styles/acme.yaml")
    #expect(text.contains("\n  voice: [corpora/acme/**/*.md]\n"))
    #expect(text.contains("`housestyle init acme --from corpora/acme`"), "\(text.prefix(400))")
    // From a folder below the project, the corpus folder is found beside the styles folder given.
    let below = try CLI.run(["init", "acme", "--styles-dir", "../styles", "--force"], in: folder.url.appendingPathComponent("corpora"))
    #expect(below.status == 0, "\(below)")
    #expect(try folder.read("styles/acme.yaml").contains("\n  voice: [corpora/acme/**/*.md]\n"))
}

@Test func initRefusesDocumentsOutsideTheProjectUnlessAllowed() throws {
    let project = try TemporaryFolder()
    try project.write(["styles/.keep": ""])
    let acme = CLI.repositoryRoot.appendingPathComponent("corpora/acme/support").path
    let refused = try CLI.run(["init", "x", "--from", acme], in: project.url)
    #expect(refused.status == 2)
    #expect(refused.err.hasPrefix("error: styles/x.yaml: not written: 'corpus.voice' reaches outside the project: "), "\(refused)")
    #expect(refused.err.contains("pass --allow-path \(acme)"))
    let allowed = try CLI.run(["init", "x", "--from", acme, "--allow-path", acme], in: project.url)
    #expect(allowed.status == 0, "\(allowed)")
    #expect(try project.read("styles/x.yaml").contains("\n  voice: [\(acme)/**/*.md]\n"))
}
