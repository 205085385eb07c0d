import Foundation
import Testing
@testable import HouseStyle

/// The files made from the stages' declared settings (`StageReference`) are up to date. After
/// changing a stage's settings, run
/// `HOUSESTYLE_UPDATE_DOCS=1 swift test --skip HouseStyleNumericsTests --filter GeneratedReferenceTests`
/// to rewrite them (that run fails, so nothing is accepted unread), then review the diff.
@Suite struct GeneratedReferenceTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let command = "HOUSESTYLE_UPDATE_DOCS=1 swift test --skip HouseStyleNumericsTests --filter GeneratedReferenceTests"

    /// Compares `path`'s text with `expected`, rewriting the file when asked.
    func check(_ path: String, current: String, expected: String) throws {
        guard current != expected else { return }
        if ProcessInfo.processInfo.environment["HOUSESTYLE_UPDATE_DOCS"] == "1" {
            try expected.write(to: Self.repository.appendingPathComponent(path), atomically: true, encoding: .utf8)
            Issue.record("rewrote \(path); review it, then run again without HOUSESTYLE_UPDATE_DOCS")
        } else {
            Issue.record("\(path) is out of date with the stages' declared settings: run \(Self.command)")
        }
    }

    @Test func schemaHasEveryStageSetting() throws {
        let path = "schema/style.schema.json"
        let current = try String(contentsOf: Self.repository.appendingPathComponent(path), encoding: .utf8)
        try check(path, current: current, expected: StageReference.updatedSchema(current, registry: .builtin))
    }

    @Test func referenceTableHasEveryStageSetting() throws {
        let path = "docs/style-file.md"
        let current = try String(contentsOf: Self.repository.appendingPathComponent(path), encoding: .utf8)
        let begin = "<!-- stage settings: begin (rendered by StageReference.settingsTable) -->\n"
        let end = "<!-- stage settings: end -->"
        let start = try #require(current.range(of: begin), "\(path) has no '\(begin)' marker")
        let stop = try #require(current.range(of: end, range: start.upperBound..<current.endIndex))
        let expected = current[..<start.upperBound] + StageReference.settingsTable(of: .builtin) + "\n" + current[stop.lowerBound...]
        try check(path, current: current, expected: String(expected))
    }

    /// The check can fail: a changed summary makes the rendered schema differ.
    @Test func aChangedDeclarationMakesTheSchemaStale() throws {
        let current = try String(contentsOf: Self.repository.appendingPathComponent("schema/style.schema.json"), encoding: .utf8)
        #expect(StageReference.updatedSchema(current, registry: .withExclamations) != current)
        let updated = StageReference.updatedSchema(current, registry: .withExclamations)
        #expect(updated.contains("\n    \"exclamations\": {\n      \"description\": \"calm: a run of '!' becomes '.'. Default: keep.\",\n"))
        // The new stage's id, its level and its place in the default post list are added too.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(updated.utf8)) as? [String: Any])
        let definitions = try #require(object["$defs"] as? [String: Any])
        #expect(((definitions["builtinStage"] as? [String: Any])?["enum"] as? [String])?.last == "exclamations")
        let properties = try #require(object["properties"] as? [String: Any])
        #expect(((properties["levels"] as? [String: Any])?["properties"] as? [String: Any])?["exclamations"] != nil)
        let post = ((properties["stages"] as? [String: Any])?["properties"] as? [String: Any])?["post"] as? [String: Any]
        #expect((post?["default"] as? [String])?.last == "exclamations")
        // Still JSON, and idempotent.
        #expect(try JSONSerialization.jsonObject(with: Data(updated.utf8)) is [String: Any])
        #expect(StageReference.updatedSchema(updated, registry: .withExclamations) == updated)
    }
}
