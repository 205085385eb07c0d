import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

/// What a stage's declared settings and options give it without any other change: the test
/// stage `ExclamationsStage` is read, checked, merged, run, encoded and documented.
@Suite struct StageSettingTests {
    /// The diagnostics of `source` as `styles/test.yaml`, read with `registry`.
    func diagnostics(_ source: String, registry: StageRegistry = .withExclamations) throws -> [String] {
        let repository = try TemporaryRepository(["styles/test.yaml": source])
        return StyleLoader(registry: registry).validate(path: repository.root + "/styles/test.yaml").diagnostics.map {
            $0.description.replacingOccurrences(of: repository.root + "/", with: "")
        }
    }

    func load(_ files: [String: String], _ path: String = "styles/test.yaml") throws -> Style {
        let repository = try TemporaryRepository(files)
        return try StyleLoader(registry: .withExclamations).load(path: repository.root + "/" + path)
    }

    @Test func aNewStageRunsFromItsOwnSetting() throws {
        let style = try load(["styles/test.yaml": "version: 1\nexclamations: calm\n"])
        #expect(style[ExclamationsStage.Settings.exclamations] == .calm)
        let pipeline = try Pipeline(style: style, resources: testResources, registry: .withExclamations)
        // Not listed in `stages`: it carries a rule, so it runs after the default post stages.
        #expect(pipeline.stepNames.last == "exclamations")
        #expect(try pipeline.rewrite("Great!! Fine!", path: "a.md").text == "Great. Fine.")
        // validate's text summary shows it too.
        #expect(style.summary.contains("\n  exclamations: calm\n  rewrite: "))
    }

    @Test func itsOptionIsReadFromItsStagesEntry() throws {
        let style = try load(["styles/test.yaml": "version: 1\nexclamations: calm\nstages: {post: [{exclamations: {allow: 1}}]}\n"])
        let pipeline = try Pipeline(style: style, resources: testResources, registry: .withExclamations)
        #expect(try pipeline.rewrite("Great!! Fine!", path: "a.md").text == "Great. Fine!")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(style.jsonString().utf8)) as? [String: Any])
        let post = try #require((json["stages"] as? [String: Any])?["post"] as? [Any])
        #expect((post.first as? [String: Any])?["exclamations"] as? [String: Int] == ["allow": 1])
        #expect(json["exclamations"] as? String == "calm")
    }

    @Test func aChildOverridesItsParentsSettingAndTheJSONShowsIt() throws {
        let style = try load([
            "styles/base.yaml": "version: 1\nexclamations: calm\nspelling: en-GB\n",
            "styles/test.yaml": "version: 1\nextends: base\nexclamations: keep\n",
        ])
        #expect(style[ExclamationsStage.Settings.exclamations] == .keep)
        #expect(style.spelling == .british)
        #expect(style.jsonString().contains(#""exclamations" : "keep""#))
    }

    @Test func badSettingsAndOptionsAreReportedWhereTheyAreWritten() throws {
        #expect(try diagnostics("version: 1\nexclamations: loud\n") == [
            "styles/test.yaml:2:15: error: invalid value 'loud' for 'exclamations'; expected one of: calm, keep",
        ])
        #expect(try diagnostics("version: 1\nstages:\n  post: [{exclamations: {alow: 1}}]\n") == [
            "styles/test.yaml:3:26: error: unknown key 'alow' in 'stages.post[0].exclamations'; did you mean 'allow'?",
        ])
        #expect(try diagnostics("version: 1\nstages:\n  post: [{exclamations: {allow: -1}}]\n") == [
            "styles/test.yaml:3:33: error: 'stages.post[0].exclamations.allow' must be at least 0, found -1",
        ])
    }

    /// A built-in stage that declares no options rejects them when the style is read (it used to
    /// be only when the first file was rewritten, so `validate` passed such a style).
    @Test func optionsOfAStageThatTakesNoneAreAnErrorWhenTheStyleIsRead() throws {
        #expect(try diagnostics("version: 1\nstages:\n  pre: [normalize, {markdown: {front_matter: true}}]\n  post: [{terms: {x: 1}}]\n",
                                registry: .builtin) == [
            "styles/test.yaml:3:31: error: stage 'markdown' takes no options; write it as 'markdown' in 'stages.pre[1]'",
            "styles/test.yaml:4:18: error: stage 'terms' takes no options; write it as 'terms' in 'stages.post[0]'",
        ])
    }

    @Test func withoutTheRegistryLineTheSettingIsUnknown() throws {
        #expect(try diagnostics("version: 1\nexclamations: calm\n", registry: .builtin) == [
            "styles/test.yaml:2:1: error: unknown key 'exclamations'; expected one of: "
                + (StyleFileDecoder.topKeys).joined(separator: ", "),
        ])
    }

    @Test func theRegistryDerivesIdsListsAndKeys() {
        let registry = StageRegistry.withExclamations
        #expect(registry.ids.last == ExclamationsStage.stageID)
        #expect(registry.ruleStageIDs.last == ExclamationsStage.stageID)
        #expect(registry.leveledIDs.contains(ExclamationsStage.stageID))
        #expect(registry.defaultPost.last == .builtin(ExclamationsStage.stageID))
        #expect(StyleFileDecoder.topKeys(of: registry).contains("exclamations"))
        #expect(StageReference.settingsTable(of: registry).hasSuffix(
            "| `exclamations` | `calm` \\| `keep` | `keep` | `exclamations` | calm: a run of '!' becomes '.'. |"))
        #expect(StageReference.schemaProperties(of: registry).last?.key == "exclamations")
    }
}
