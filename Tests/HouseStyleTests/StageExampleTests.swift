import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

/// Writes `lines` as a style file in a fresh folder and loads it.
func makeStyle(_ lines: String) throws -> Style {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("housestyle-tests-\(UUID().uuidString)/styles")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("example.yaml")
    try Data("version: 1\nname: example\n\(lines)\n".utf8).write(to: file)
    return try StyleLoader().load(path: file.path)
}

/// The repository's own data files (.deps, made by scripts/setup.sh).
let testResources = Resources()

private let allExamples: [(String, StageExample)] = StageRegistry.builtin.stages.flatMap { type in
    type.examples.map { (type.stageID.rawValue, $0) }
}

@Test("every built-in stage example rewrites as documented", arguments: allExamples.indices)
func stageExample(index: Int) throws {
    let (id, example) = allExamples[index]
    let style = try makeStyle(example.style)
    let pipeline = try Pipeline(style: style, resources: testResources)
    let result = try pipeline.rewrite(example.input, path: "example.md")
    #expect(result.text == example.expected, "stage \(id)")
}

@Test func registryIdsAreUniqueSortedAndDocumented() {
    let ids = StageRegistry.builtin.stages.map { $0.stageID.rawValue }
    #expect(Set(ids).count == ids.count)
    #expect(ids == ids.sorted())
    for type in StageRegistry.builtin.stages {
        #expect(!type.examples.isEmpty, "\(type.stageID) has no examples")
        #expect(!type.summary.isEmpty)
    }
    // Every id a style file may name has a stage, except `learned`, which needs a trained model.
    let missing = BuiltinStageID.allCases.filter { id in !StageRegistry.builtin.stages.contains { $0.stageID == id } }
    #expect(missing == [.learned])
}
