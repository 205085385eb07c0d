import Foundation
import Testing

/// A tiny trainable repository: a style with the learned stage, its corpus and a draft.
let trainableRepositoryFiles: [String: String] = [
    "styles/demo.yaml": """
        version: 1
        corpus:
          voice: [voice.txt]
          contrast: [contrast.txt]
          pairs: [edits.tsv]
        stages:
          post: [learned]
        """,
    "voice.txt": "You can use tags to group buckets.\nUse the CLI to upload files.\nTeams use one workspace for their buckets.\nWe use keys to sign requests.\nUse a key for each app.\n",
    "contrast.txt": "Customers can utilize tags in order to group buckets.\nIt is possible to utilize the CLI for uploads.\nTeams utilize a workspace for buckets.\n",
    "edits.tsv": "Utilize tags to group buckets.\tUse tags to group buckets.\nYou can utilize the CLI.\tYou can use the CLI.\n",
    "draft.md": "Teams utilize keys.\n",
]

@Test func noTrainRefusesAMissingModelAndNamesTheCommand() throws {
    let repository = try Repository(trainableRepositoryFiles)
    let run = try housestyle(["rewrite", "demo", "draft.md", "--no-train"], in: repository.root)
    #expect(run.status == 2)
    #expect(run.stderr == "error: no model in ./models/demo; run 'housestyle train demo' (or drop --no-train)\n")
}

@Test func trainWritesABundleAndRewriteUsesIt() throws {
    let repository = try Repository(trainableRepositoryFiles)
    let train = try housestyle(["train", "demo"], in: repository.root)
    #expect(train.status == 0)
    #expect(train.stdout.hasPrefix("./models/demo: trained on 5 voice, 3 contrast sentences, 2 pairs\n"))
    for name in ["manifest.json", "report.md", "lm.bin", "vocabulary.txt", "salience.tsv", "substitutions.tsv"] {
        #expect(FileManager.default.fileExists(atPath: repository.root + "/models/demo/" + name), "\(name)")
    }
    let again = try housestyle(["train", "demo"], in: repository.root)
    #expect(again.stderr == "./models/demo is up to date; give --force to train again\n")
    let rewrite = try housestyle(["rewrite", "demo", "draft.md", "--no-train", "--explain"], in: repository.root)
    #expect(rewrite.status == 0)
    #expect(rewrite.stdout.hasPrefix("draft.md:1:7: 'utilize' -> 'use' [learned, pair, confidence "))
}

@Test func rewriteTrainsAStaleModelFirst() throws {
    let repository = try Repository(trainableRepositoryFiles)
    #expect(try housestyle(["train", "demo"], in: repository.root).status == 0)
    try Data("Use tags.\nUse keys.\n".utf8).write(to: URL(fileURLWithPath: repository.root + "/voice.txt"))
    let stale = try housestyle(["filter", "demo", "--no-train"], in: repository.root)
    #expect(stale.stderr == "error: the model is out of date: voice.txt changed; run 'housestyle train demo' (or drop --no-train)\n")
    let run = try housestyle(["check", "demo", "draft.md"], in: repository.root)
    #expect(run.stderr.range(of: #"^note: style 'demo' needs its trained model, so it is trained first; "#
        + #"this reads \d+ bytes of corpora \(about \d+ sentences, 2 pairs\) and should take about \d+ s[^\n]* \(--no-train refuses instead, with status 2\)\n"#
        + #"training the model of style 'demo' \(the model is out of date: voice.txt changed\): \d+ bytes of corpora"#,
        options: .regularExpression) != nil, "\(run.stderr)")
}

@Test func trainWarnsWhenNoStageAppliesWhatItLearns() throws {
    var files = trainableRepositoryFiles
    files["styles/demo.yaml"] = "version: 1\ncorpus: {voice: [voice.txt], contrast: [contrast.txt], pairs: [edits.tsv]}\nstages:\n  post: [terms]\n"
    let repository = try Repository(files)
    let train = try housestyle(["train", "demo"], in: repository.root)
    #expect(train.status == 0)
    #expect(train.stderr.hasPrefix("styles/demo.yaml: warning: the style has a voice corpus but no 'learned' stage in stages.post, "
        + "so 'train' learns edits that rewrite never applies\n"))
    #expect(FileManager.default.fileExists(atPath: repository.root + "/models/demo/manifest.json"))
}

@Test func explainWithRefusalsListsTheLearnedEditsLeftOutAndWhy() throws {
    var files = trainableRepositoryFiles
    files["draft.md"] = "Teams utilize keys.\n\nTeams at Utilize Labs sign requests.\n\n<!-- housestyle off learned -->\nWe at Utilize Labs agree.\n<!-- housestyle on learned -->\n"
    let repository = try Repository(files)
    #expect(try housestyle(["train", "demo"], in: repository.root).status == 0)
    // The draft says "utilize" twice, which makes it a topic of the draft that no learned edit
    // replaces; and the second is in a name, which rewrite.preserve keeps. --refusals says so.
    // (Where the draft turns the learned stage off, it reports nothing.)
    let run = try housestyle(["rewrite", "demo", "draft.md", "--no-train", "--explain", "--refusals"], in: repository.root)
    #expect(run.status == 0)
    #expect(run.stdout == """
        draft.md:1:7: refused: 'utilize' -> 'use' [learned, pair, topic] it is a topic of this document (it recurs), which no learned edit replaces
        draft.md:3:10: refused: 'Utilize' -> 'use' [learned, pair, preserve] rewrite.preserve keeps entities

        """)
    // Without --refusals, --explain lists only what was done and found: here nothing.
    let plain = try housestyle(["rewrite", "demo", "draft.md", "--no-train", "--explain"], in: repository.root)
    #expect(plain.status == 0 && plain.stdout == "")
    let json = try housestyle(["rewrite", "demo", "draft.md", "--no-train", "--format", "json", "--refusals"], in: repository.root)
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let refusals = ((object?["files"] as? [[String: Any]])?.first?["refusals"] as? [[String: Any]]) ?? []
    #expect(refusals.map { $0["reason"] as? String } == ["topic", "preserve"])
    #expect(refusals.map { $0["line"] as? Int } == [1, 3])
}

@Test func evalWithRefusalsCountsWhyTheLearnedStageLeftSentencesAlone() throws {
    var files = trainableRepositoryFiles
    // The second sentence says "utilize" twice: a topic of it, which no learned edit replaces.
    files["src.txt"] = "Teams utilize keys.\nWe utilize the CLI and utilize keys.\n"
    let repository = try Repository(files)
    #expect(try housestyle(["train", "demo"], in: repository.root).status == 0)
    let run = try housestyle(["eval", "demo", "--source", "src.txt", "--refusals"], in: repository.root)
    #expect(run.status == 0)
    #expect(run.stdout.hasSuffix("learned candidates refused: 2 (topic 2)\n  in unchanged sentences: 2 (topic 2)\n"))
    let json = try housestyle(["eval", "demo", "--source", "src.txt", "--refusals", "--format", "json"], in: repository.root)
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    #expect((object?["summary"] as? [String: Any])?["refusals_by_reason"] as? [String: Int] == ["topic": 2])
    let sentences = object?["sentences"] as? [[String: Any]] ?? []
    #expect(sentences.map { ($0["refusals"] as? [[String: Any]])?.count } == [0, 2])
    // Without the flag, nothing is said of refusals.
    let plain = try housestyle(["eval", "demo", "--source", "src.txt"], in: repository.root)
    #expect(plain.status == 0 && !plain.stdout.contains("refused"))
}
