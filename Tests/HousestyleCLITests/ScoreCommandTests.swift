import Foundation
import Testing

private let onVoice = "You can use keys to sign requests. Use tags to group your buckets."
private let offVoice = "Customers can utilize the keys in order to sign requests. It is possible to utilize tags for buckets."

private let listItems = ["Teams utilize keys", "Use tags to group your buckets."]

/// The train tests' demo repository, its scorer trained a little longer than the default (so that
/// its verdicts on this tiny corpus are clear), with documents to score and two styles that cannot be.
private let scoreFiles: [String: String] = {
    var files = trainableRepositoryFiles
    files["styles/demo.yaml"] = files["styles/demo.yaml"]! + "\nmodel:\n  epochs: 8\n  learning_rate: 0.002\n"
    // On-voice first: listing the lowest first is not document order.
    files["mixed.md"] = onVoice + "\n\n" + offVoice + "\n"
    files["on.md"] = onVoice + "\n"
    files["off.md"] = offVoice + "\n"
    // A list and its items written as paragraphs; the first item ends without a full stop.
    files["list.md"] = listItems.enumerated().map { "\($0.offset + 1). \($0.element)\n" }.joined()
    files["paragraphs.md"] = listItems.joined(separator: "\n\n") + "\n"
    files["styles/rules.yaml"] = "version: 1\nterms:\n  - use: sign in\n    instead_of: [log in]\n"
    files["styles/plain.yaml"] = "version: 1\ncorpus: {voice: [voice.txt]}\nstages:\n  post: [terms]\n"
    return files
}()

/// `scoreFiles` with the demo style trained, once for every test here that scores.
nonisolated(unsafe) private let trained: Repository = {
    let repository = try! Repository(scoreFiles)
    let train = try! housestyle(["train", "demo"], in: repository.root)
    precondition(train.status == 0, "training failed: \(train.stderr)")
    return repository
}()

/// `  path:line: score  excerpt` of the text output.
private func paragraphLine(_ line: Substring) -> (location: String, score: Double, excerpt: String)? {
    let parts = line.dropFirst(2).split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
    guard line.hasPrefix("  "), parts.count == 2 else { return nil }
    let rest = parts[1].drop { $0 == " " }
    guard let gap = rest.range(of: "  "), let score = Double(rest[..<gap.lowerBound]) else { return nil }
    return (String(parts[0]), score, String(rest[gap.upperBound...]))
}

private func scores(_ json: String) throws -> [String: Double] {
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let documents = try #require(object["documents"] as? [[String: Any]])
    return Dictionary(uniqueKeysWithValues: documents.map { ($0["path"] as! String, $0["score"] as! Double) })
}

private let needsBaseModel = Testing.ConditionTrait.enabled(if: baseModelInstalled, "the base model all-MiniLM-L6-v2 is not installed; run `bash scripts/setup.sh`")

@Test(needsBaseModel)
func scoreListsParagraphsLowestFirst() throws {
    let run = try housestyle(["score", "demo", "mixed.md", "--no-train"], in: trained.root)
    #expect(run.status == 0 && run.stderr == "", "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n")
    #expect(lines.count == 3, "\(run.stdout)")
    let header = String(lines[0])
    #expect(header.hasPrefix("mixed.md: voice "), "\(header)")
    #expect(header.contains(" (2 paragraphs, 31 words scored); ") && header.contains(" in 31 words, "), "\(header)")
    let off = try #require(paragraphLine(lines[1]), "\(lines[1])")
    let on = try #require(paragraphLine(lines[2]), "\(lines[2])")
    #expect(off.location == "mixed.md:3:" && off.excerpt == "Customers can utilize the keys in order to sign requests. It is…")
    #expect(on.location == "mixed.md:1:" && on.excerpt == onVoice)
    #expect(off.score < on.score - 5, "the off-voice paragraph scores lower: \(off.score) vs \(on.score)")
    let document = try #require(Double(header.dropFirst("mixed.md: voice ".count).prefix { $0 != " " }))
    #expect(off.score < document && document < on.score)

    let limited = try housestyle(["score", "demo", "mixed.md", "--no-train", "--paragraphs", "1"], in: trained.root)
    #expect(limited.stdout == String(lines[0]) + "\n" + String(lines[1]) + "\n", "the lowest paragraph only")
}

@Test(needsBaseModel)
func minFailsForTheDocumentsBelowItAndNamesThem() throws {
    let json = try housestyle(["score", "demo", "on.md", "off.md", "--no-train", "--format", "json"], in: trained.root)
    #expect(json.status == 0)
    let scored = try scores(json.stdout)
    let (on, off) = (try #require(scored["on.md"]), try #require(scored["off.md"]))
    #expect(off < on - 5, "\(off) vs \(on)")
    let minimum = ((on + off) / 2).rounded()
    let failing = try housestyle(["score", "demo", "on.md", "off.md", "--no-train", "--min", String(Int(minimum))], in: trained.root)
    #expect(failing.status == 1)
    #expect(failing.stderr == "off.md: voice \(String(format: "%.1f", off)) is below --min \(Int(minimum))\n")
    #expect(failing.stdout.hasPrefix("on.md: voice ") && failing.stdout.contains("\n\noff.md: voice "), "both are reported")
    // The printed score is what is compared: exactly at the minimum passes.
    let passing = try housestyle(["score", "demo", "on.md", "off.md", "--no-train", "--min", String(off)], in: trained.root)
    #expect(passing.status == 0 && passing.stderr == "", "\(passing.stderr)")
    let noMinimum = try housestyle(["score", "demo", "off.md", "--no-train"], in: trained.root)
    #expect(noMinimum.status == 0)
}

@Test(needsBaseModel)
func jsonHasStableFields() throws {
    let run = try housestyle(["score", "demo", "mixed.md", "--no-train", "--format", "json", "--min", "100"], in: trained.root)
    #expect(run.status == 1)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(Set(object.keys) == ["style", "min", "below_min", "documents"])
    #expect(object["style"] as? String == "demo" && object["min"] as? Double == 100)
    #expect(object["below_min"] as? [String] == ["mixed.md"])
    let document = try #require((object["documents"] as? [[String: Any]])?.first)
    #expect(Set(document.keys) == ["path", "score", "words", "scored_words", "findings", "findings_by_level", "findings_per_1000_words",
                                   "paragraph_count", "paragraphs"])
    #expect(document["words"] as? Int == 31 && document["scored_words"] as? Int == 31 && document["paragraph_count"] as? Int == 2)
    #expect(Set((document["findings_by_level"] as? [String: Int] ?? [:]).keys) == ["error", "warning", "suggestion"])
    let paragraphs = try #require(document["paragraphs"] as? [[String: Any]])
    #expect(paragraphs.map { Set($0.keys) } == Array(repeating: ["line", "column", "start", "end", "score", "words", "sentences", "findings", "excerpt"], count: 2))
    #expect(paragraphs.map { $0["line"] as? Int } == [3, 1], "lowest first")
    let values = paragraphs.compactMap { $0["score"] as? Double }
    #expect(values.count == 2 && values[0] < values[1])
    #expect(paragraphs.map { $0["words"] as? Int } == [18, 13] && paragraphs.map { $0["sentences"] as? Int } == [2, 2])
    #expect(paragraphs[1]["start"] as? Int == 0 && paragraphs[1]["end"] as? Int == onVoice.utf8.count)

    let plain = try housestyle(["score", "demo", "on.md", "--no-train", "--format", "json"], in: trained.root)
    let unlimited = try #require(try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any])
    #expect(unlimited["min"] is NSNull && unlimited["below_min"] as? [String] == [])
}

@Test(needsBaseModel)
func anUnreadableFileIsNamedAndTheOthersAreStillScored() throws {
    let name = "bad-\(UUID().uuidString).md"
    try Data([0xFF, 0xFE, 0x41, 0x00]).write(to: URL(fileURLWithPath: trained.root + "/" + name))
    let run = try housestyle(["score", "demo", name, "on.md", "--no-train"], in: trained.root)
    #expect(run.status == 2)
    #expect(run.stderr.hasPrefix(name + ": "), "\(run.stderr)")
    #expect(run.stdout.hasPrefix("on.md: voice "))
}

@Test func stylesThatCannotBeScoredAndBadArgumentsExitWithTwo() throws {
    let repository = try Repository(scoreFiles)
    // Said before the files are looked at (nosuch.md would be an error of its own) and nothing is trained.
    let rules = try housestyle(["score", "rules", "on.md", "nosuch.md"], in: repository.root)
    #expect(rules.status == 2)
    #expect(rules.stderr == "error: style 'rules' has no voice scorer to score with: it lists no on-voice text to train one from; "
        + "add corpus.voice (e.g. corpus: {voice: [corpora/rules/**/*.md]}) and run 'housestyle train rules'\n")
    // A style without the learned stage still needs its model to be scored, and --no-train refuses to train it.
    let plain = try housestyle(["score", "plain", "on.md", "--no-train"], in: repository.root)
    #expect(plain.status == 2)
    #expect(plain.stderr == "error: no model in ./models/plain; run 'housestyle train plain' (or drop --no-train)\n")
    let missing = try housestyle(["score", "demo", "nothere.md", "--no-train"], in: repository.root)
    #expect(missing.status == 2 && missing.stderr == "error: nothere.md: no such file or folder\n", "\(missing.stderr)")
    let range = try housestyle(["score", "demo", "on.md", "--min", "101"], in: repository.root)
    #expect(range.status == 2 && range.stderr.hasPrefix("Error: --min must be between 0 and 100, not 101\n"), "\(range.stderr)")
    #expect(!FileManager.default.fileExists(atPath: repository.root + "/models"), "nothing was trained")
}

/// The items of a list are paragraphs of their own (CommonMark): a list scores and rewrites as its
/// items written as paragraphs do, the number of an item no word of the sentence before it.
@Test(needsBaseModel)
func aListScoresAndRewritesAsItsItemsWrittenAsParagraphs() throws {
    let run = try housestyle(["score", "demo", "list.md", "paragraphs.md", "--no-train", "--format", "json"], in: trained.root)
    #expect(run.status == 0 && run.stderr == "", "\(run.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let documents = try #require(object["documents"] as? [[String: Any]])
    #expect(documents.count == 2)
    // What does not depend on where the text stands in its file.
    func verdict(_ document: [String: Any]) -> String {
        let paragraphs = (document["paragraphs"] as? [[String: Any]] ?? []).map { paragraph in
            ["score", "words", "sentences", "findings", "excerpt"].map { "\(paragraph[$0] ?? "nil")" }.joined(separator: " ")
        }
        return (["score", "words", "scored_words", "findings", "paragraph_count"].map { "\($0) \(document[$0] ?? "nil")" } + paragraphs)
            .joined(separator: "\n")
    }
    #expect(documents.first.map(verdict) == documents.last.map(verdict))
    #expect(documents.last?["paragraph_count"] as? Int == 2)

    func explained(_ path: String) throws -> [Substring] {
        let rewrite = try housestyle(["rewrite", "demo", path, "--no-train", "--explain"], in: trained.root)
        #expect(rewrite.status == 0, "\(rewrite.stderr)")
        // `path:line:column: ` differs; the edit, its confidence and its reason must not.
        return rewrite.stdout.split(separator: "\n").map { line in
            line.firstRange(of: #/^[^:]+:\d+:\d+: /#).map { line[$0.upperBound...] } ?? line
        }
    }
    let paragraphs = try explained("paragraphs.md")
    #expect(paragraphs.contains { $0.hasPrefix("'utilize' -> 'use' [learned") }, "\(paragraphs)")
    #expect(try explained("list.md") == paragraphs)
}

/// Scoring a folder is never silent in a log (issue 15, item 5): a line every interval, with the
/// files done; stdout holds the scores alone.
@Test(needsBaseModel)
func scoringSeveralFilesPrintsProgressLines() throws {
    let root = URL(fileURLWithPath: trained.root)
    let run = try CLI.run(["score", "demo", "on.md", "off.md", "mixed.md", "--no-train", "--paragraphs", "0"], in: root,
                          environment: ["HOUSESTYLE_PROGRESS_SECONDS": "0"])
    #expect(run.status == 0, "\(run.err)")
    let lines = run.err.split(separator: "\n").map(String.init)
    #expect(lines.count == 2, "\(run.err)")
    #expect(lines.first?.hasPrefix("score: 33% 1/3 files, ") == true, "\(run.err)")
    #expect(lines.last?.hasPrefix("score: 66% 2/3 files, ") == true, "\(run.err)")
    #expect(run.out.split(separator: "\n").count == 3 && !run.out.contains("files"), "\(run.out)")
    let quiet = try CLI.run(["score", "demo", "on.md", "off.md", "--no-train"], in: root, environment: ["HOUSESTYLE_PROGRESS_SECONDS": "600"])
    #expect(quiet.err == "", "a short run prints nothing")
}
