import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

/// The rewrite guarantees (idempotent, protected text kept) with learned edits: the shipped acme style and corpora, copied into a temporary
/// repository and trained there, rewrite every corpus file idempotently and keep protected text.
@Suite struct LearnedGuaranteeTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A trained copy of the repository's styles and corpora (kept for the whole run).
    static let trained: (pipeline: Pipeline, corpus: [String]) = {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("housestyle-learned-\(UUID().uuidString)")
        TestFolders.track(copy.path)
        for folder in ["styles", "corpora"] {
            try! FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
            try! FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent(folder), to: copy.appendingPathComponent(folder))
        }
        let style = try! StyleLoader().load(path: copy.appendingPathComponent("styles/acme.yaml").path)
        _ = try! Trainer(style: style, resources: testResources).train()
        let files = ((try? FileCollector().collect([copy.appendingPathComponent("corpora").path])) ?? []).map(\.path).sorted()
        return (try! Pipeline(style: style, resources: testResources), files)
    }()

    @Test func theStyleRunsTheLearnedStage() {
        #expect(Self.trained.pipeline.stages.map(\.id).contains("learned"))
        #expect(Self.trained.pipeline.repeatsUntilStable, "learned edits repeat until nothing changes")
        #expect(Self.trained.corpus.count >= 20)
    }

    @Test func rewritingWithLearnedEditsTwiceChangesNothingMore() throws {
        var learnedEdits = 0
        for path in Self.trained.corpus {
            let first = try Self.trained.pipeline.rewrite(try TextFile.read(path), path: path)
            learnedEdits += first.edits.filter { $0.parts.contains { $0.rule == "learned" } }.count
            let second = try Self.trained.pipeline.rewrite(first.text, path: path)
            #expect(second.edits.map { "\(second.document.text(in: $0.range)) -> \($0.replacement) [\($0.edit.rule)]" } == [], "\(path)")
        }
        #expect(learnedEdits > 0, "the generic corpus is off-voice: some learned edit applies")
    }

    @Test func learnedEditsKeepProtectedTextAndNumbers() throws {
        let text = "In the event that the `tenant` token expires after 30 days, see https://acme.example/tenant or ask Token Labs.\n"
        let result = try Self.trained.pipeline.rewrite(text, path: "x.md")
        #expect(result.text.contains("`tenant`") && result.text.contains("https://acme.example/tenant") && result.text.contains("30 days"))
        #expect(result.text.contains("Token Labs"))  // a name: "token" -> "key" is learned, but never here
    }
}
