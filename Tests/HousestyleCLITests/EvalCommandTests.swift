import Foundation
import Testing

/// `housestyle eval`: measures a style's rewrites against editors' references.
@Suite struct EvalCommandTests {
    @Test func reportsScoresAgainstReferencesAsJSON() throws {
        let folder = try TemporaryFolder()
        try folder.write(["src.txt": "Please log in to acme cloud.\nThe report is ready.\n",
                          "ref.txt": "Please sign in to Acme Cloud.\nThe report is ready.\n"])
        let result = try CLI.run(["eval", CLI.acmeStyle, "--source", "src.txt", "--reference", "ref.txt",
                                  "--format", "json", "--output", "out.txt"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["sentences"] as? Int == 2)
        #expect(summary["edited"] as? Int == 1)
        #expect(summary["bleu"] as? Double == 100)
        #expect(summary["edit_precision"] as? Double == 1)
        #expect(summary["edit_recall"] as? Double == 1)
        #expect(summary["system_edits"] as? Int == 2)
        #expect(summary["guard_events"] as? Int == 0)
        #expect(summary["voice_before"] is NSNull)  // a rules-only style has no voice model
        #expect(try folder.read("out.txt") == "Please sign in to Acme Cloud.\nThe report is ready.\n")
    }

    /// An editor who rewrote a wider region ("will commence" -> "start") made no edit equal to the
    /// system's ("commence" -> "start"), but the system's edit still brings the sentence closer to
    /// the reference; one the editor did not make ("log in" -> "sign in" where the reference keeps
    /// "log in") changes what the reference keeps.
    @Test func judgesEachEditByWhereItTakesTheSentence() throws {
        let folder = try TemporaryFolder()
        try folder.write(["styles/plain.yaml": "version: 1\nterms: [{use: start, instead_of: [commence]}, {use: sign in, instead_of: [log in]}]\n",
                          "src.txt": "Uploads will commence soon.\nPlease log in now.\nThe report is ready.\n",
                          "ref.txt": "Uploads start soon.\nPlease log in now.\nThe report is ready.\n"])
        let json = try CLI.run(["eval", "styles/plain.yaml", "--source", "src.txt", "--reference", "ref.txt", "--format", "json"], in: folder.url)
        #expect(json.status == 0, "\(json)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["system_edits"] as? Int == 2)
        #expect(summary["matched_edits"] as? Int == 0)
        #expect(summary["edit_precision"] as? Double == 0)
        #expect(summary["edits_toward_reference"] as? Int == 1)
        #expect(summary["edits_away_from_references"] as? Int == 1)
        #expect(summary["edit_share_toward_reference"] as? Double == 0.5)
        let sentences = try #require(object["sentences"] as? [[String: Any]])
        #expect(sentences.map { $0["edits_toward_reference"] as? Int } == [1, 0, 0])
        #expect(sentences.map { $0["edits_away_from_references"] as? Int } == [0, 1, 0])
        let text = try CLI.run(["eval", "styles/plain.yaml", "--source", "src.txt", "--reference", "ref.txt"], in: folder.url)
        #expect(text.out.contains("edits toward a reference: 50.0% (1 of 2 system edits, each made alone, bring the sentence closer to a reference; 1 change what every reference keeps)"), "\(text.out)")
        // With a second reference: an edit is toward when it nears any reference, and away only
        // where every reference keeps what it changes ("You must authenticate now." keeps no "log in").
        try folder.write(["src2.txt": "Please log in now.\nPlease log in today.\n",
                          "ref1.txt": "Please log in now.\nPlease log in today.\n",
                          "ref2.txt": "You must authenticate now.\nPlease sign in today.\n"])
        let two = try CLI.run(["eval", "styles/plain.yaml", "--source", "src2.txt", "--reference", "ref1.txt", "--reference", "ref2.txt",
                               "--format", "json"], in: folder.url)
        #expect(two.status == 0, "\(two)")
        let twoSummary = try #require((try JSONSerialization.jsonObject(with: Data(two.out.utf8)) as? [String: Any])?["summary"] as? [String: Any])
        #expect(twoSummary["system_edits"] as? Int == 2)
        #expect(twoSummary["edits_toward_reference"] as? Int == 1)
        #expect(twoSummary["edits_away_from_references"] as? Int == 0)
    }

    @Test func meaningSimilarityUsesTheStylesOwnEncoder() throws {
        // `model.base` names the encoder, as for train and rewrite: a folder without one is reported,
        // not replaced by the one in .deps.
        let folder = try TemporaryFolder()
        try folder.write(["styles/own.yaml": "version: 1\nterms: [{use: Acme Cloud, instead_of: [acme cloud]}]\nmodel: {base: no-encoder-here}\n",
                          "src.txt": "Use acme cloud.\n", "ref.txt": "Use Acme Cloud.\n"])
        let result = try CLI.run(["eval", "styles/own.yaml", "--source", "src.txt", "--reference", "ref.txt"], in: folder.url)
        #expect(result.status == 0, "\(result)")
        #expect(result.err.contains("note: meaning similarity not measured") && result.err.contains("no-encoder-here"), "\(result.err)")
    }

    @Test(arguments: [
        (["--source", "src.txt", "--reference", "short.txt"], "error: short.txt: has 1 lines but src.txt has 2; a reference file has one line per source line\n"),
        (["--pairs", "missing.tsv"], "error: missing.tsv: cannot read: no such file\n"),
    ])
    func badInputExitsTwoNamingTheFile(arguments: [String], expected: String) throws {
        let folder = try TemporaryFolder()
        try folder.write(["src.txt": "one\ntwo\n", "short.txt": "One\n"])
        let result = try CLI.run(["eval", CLI.acmeStyle] + arguments, in: folder.url)
        #expect(result.status == 2)
        #expect(result.out == "")
        #expect(result.err == expected)
    }

    /// Arguments that do not go together are found by `validate()`, before the style is read:
    /// ArgumentParser's message with the usage, status 2.
    @Test(arguments: [
        (["--pairs", "src.txt", "--source", "src.txt"], "Error: give one of --pairs, --source with --reference, or --held-out\n"),
        (["--pairs", "src.txt", "--held-out"], "Error: give one of --pairs, --source with --reference, or --held-out\n"),
        ([], "Error: give --pairs FILE, or --source FILE (with --reference FILE for the reference measures), or --held-out\n"),
    ])
    func argumentsThatDoNotGoTogetherAreRefusedWithTheUsage(arguments: [String], expected: String) throws {
        let folder = try TemporaryFolder()
        let result = try CLI.run(["eval", "no-such-style"] + arguments, in: folder.url)
        #expect(result.status == 2, "\(result)")
        #expect(result.out == "")
        #expect(result.err.hasPrefix(expected + "Usage: housestyle eval "), "\(result)")
    }
}
