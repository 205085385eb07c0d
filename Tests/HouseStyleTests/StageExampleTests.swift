import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

/// Folders the tests made under the temporary folder, removed when the test process exits (a
/// style must outlive the test function that made it when a pipeline keeps its path).
enum TestFolders {
    nonisolated(unsafe) private static var made: [String] = []
    private static let lock = NSLock()
    nonisolated(unsafe) private static var registered = false

    static func track(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        if !registered {
            registered = true
            atexit { TestFolders.removeAll() }
        }
        made.append(path)
    }

    static func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        for path in made { try? FileManager.default.removeItem(atPath: path) }
        made.removeAll()
    }
}

/// Writes `lines` as a style file in a fresh folder and loads it.
func makeStyle(_ lines: String, files: [String: String] = [:]) throws -> Style {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("housestyle-tests-\(UUID().uuidString)")
    TestFolders.track(root.path)
    let folder = root.appendingPathComponent("styles")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (path, text) in files {
        try Data(text.utf8).write(to: folder.deletingLastPathComponent().appendingPathComponent(path))
    }
    let file = folder.appendingPathComponent("example.yaml")
    try Data("version: 1\nname: example\n\(lines)\n".utf8).write(to: file)
    return try StyleLoader().load(path: file.path)
}

/// The repository's own data files (.deps, made by scripts/setup.sh), for bundles of the
/// statistics alone, which most tests train (`Trainer(style:resources:)` in RecipeShorthands).
let testResources = Resources(modelRecipe: .statisticsOnly)
/// The same data files, for bundles of `ModelRecipe.standard` (the statistics and the voice scorer).
let standardResources = Resources()

private let allExamples: [(String, StageExample)] = StageRegistry.builtin.stages.flatMap { type in
    type.examples.map { (type.stageID.rawValue, $0) }
} + StageRegistry.builtin.documentSteps.flatMap { step in step.examples.map { (step.id.rawValue, $0) } }

@Test("every built-in stage example rewrites as documented", arguments: allExamples.indices)
func stageExample(index: Int) throws {
    let (id, example) = allExamples[index]
    let style = try makeStyle(example.style, files: example.files)
    if style.usesLearnedStage { _ = try Trainer(style: style, resources: testResources).train() }
    let pipeline = try Pipeline(style: style, resources: testResources)
    let result = try pipeline.rewrite(example.input, path: "example.md")
    #expect(result.text == example.expected, "stage \(id)")
}

/// The registry lists stages in the order they run when a style lists none.
@Test func registryIdsAreUniqueOrderedAndDocumented() {
    let ids = StageRegistry.builtin.ids.map(\.rawValue)
    #expect(Set(ids).count == ids.count)
    #expect(ids == ["normalize", "markdown", "segment", "terms", "avoid", "spelling", "contractions", "punctuation", "smart_quotes", "learned"])
    for type in StageRegistry.builtin.stages {
        #expect(!type.examples.isEmpty, "\(type.stageID) has no examples")
        #expect(!type.summary.isEmpty)
    }
    for step in StageRegistry.builtin.documentSteps {
        #expect(!step.examples.isEmpty, "\(step.id) has no examples")
        #expect(!step.summary.isEmpty)
    }
    // Every id a style file may name is a stage or a document step.
    let missing = BuiltinStageID.allCases.filter { id in
        StageRegistry.builtin.type(for: id) == nil && !StageRegistry.builtin.documentSteps.contains { $0.id == id }
    }
    #expect(missing == [])
}

/// docs/stages.md shows every stage's examples as `examplesMarkdown(of:)` renders them.
/// After changing an example, run this test with HOUSESTYLE_UPDATE_DOCS=1 to rewrite that part.
@Test func docsShowEveryStageExample() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/stages.md").path
    let docs = try String(contentsOfFile: path, encoding: .utf8)
    let begin = "<!-- stage examples: begin (rendered by StageExampleTests.swift) -->\n"
    let end = "<!-- stage examples: end -->"
    let start = try #require(docs.range(of: begin), "docs/stages.md has no '\(begin)' marker")
    let stop = try #require(docs.range(of: end, range: start.upperBound..<docs.endIndex))
    let expected = "\n" + examplesMarkdown(of: .builtin) + "\n"
    if ProcessInfo.processInfo.environment["HOUSESTYLE_UPDATE_DOCS"] == "1" {
        try (docs[..<start.upperBound] + expected + docs[stop.lowerBound...]).write(toFile: path, atomically: true, encoding: .utf8)
    }
    #expect(String(docs[start.upperBound..<stop.lowerBound]) == expected, "docs/stages.md's stage examples are out of date: run HOUSESTYLE_UPDATE_DOCS=1 swift test --filter docsShowEveryStageExample")
}

/// Every stage of `registry` with its summary and examples, as the Markdown that docs/stages.md
/// shows between its `stage examples` markers.
private func examplesMarkdown(of registry: StageRegistry) -> String {
    var lines: [String] = []
    let entries = registry.stages.map { ($0.stageID, $0.summary, $0.examples) } + registry.documentSteps.map { ($0.id, $0.summary, $0.examples) }
    for (id, summary, examples) in entries.sorted(by: { $0.0.rawValue < $1.0.rawValue }) {
        lines += ["#### `\(id.rawValue)`", "", summary, ""]
        for example in examples {
            let style = example.style.split(separator: "\n", omittingEmptySubsequences: false)
            lines += ["- ```yaml"] + style.map { "  " + $0 } + ["  ```"]
            lines += ["  \(codeSpan(example.input)) → \(codeSpan(example.expected))"]
            if !example.files.isEmpty {
                lines += ["  (trained first on \(example.files.keys.sorted().map { "`\($0)`" }.joined(separator: ", ")))"]
            }
        }
        lines.append("")
    }
    return lines.joined(separator: "\n")
}

/// `text` as a Markdown code span, line breaks shown as `⏎`, with a fence longer than any
/// run of backticks inside.
private func codeSpan(_ text: String) -> String {
    let shown = text.replacingOccurrences(of: "\n", with: "⏎")
    var longest = 0, run = 0
    for character in shown {
        run = character == "`" ? run + 1 : 0
        longest = max(longest, run)
    }
    let fence = String(repeating: "`", count: longest + 1)
    let padded = longest > 0 || shown.hasPrefix(" ") || shown.hasSuffix(" ") ? " \(shown) " : shown
    return fence + padded + fence
}
