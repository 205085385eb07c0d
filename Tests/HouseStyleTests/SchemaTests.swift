import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

/// `schema/style.schema.json` is kept in step with `StyleFileDecoder` and `docs/style-file.md`.
/// (scripts/schema-test.py checks the other direction: shipped styles and decoder verdicts
/// against the schema, with an independent validator.)
@Suite struct SchemaTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    nonisolated(unsafe) static let schema: [String: Any] = {
        let url = repository.appendingPathComponent("schema/style.schema.json")
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { preconditionFailure("cannot read \(url.path) as a JSON object") }
        return object
    }()

    /// The object at a path of keys and list indexes, separated by `/`: `$defs/avoidEntry/oneOf/1`.
    static func node(_ path: String) -> [String: Any]? {
        var current: Any = schema
        for step in path.split(separator: "/").map(String.init) {
            if let object = current as? [String: Any], let next = object[step] {
                current = next
            } else if let index = Int(step), let list = current as? [Any], list.indices.contains(index) {
                current = list[index]
            } else {
                return nil
            }
        }
        return current as? [String: Any]
    }

    /// Where each mapping of the style file is described in the schema, and the keys the decoder knows there.
    static let mappings: [(name: String, path: String, keys: [String])] = [
        ("top level", "", StyleFileDecoder.topKeys),
        ("corpus", "properties/corpus", StyleFileDecoder.corpusKeys),
        ("terms entry", "$defs/term", StyleFileDecoder.termKeys),
        ("avoid entry", "$defs/avoidEntry/oneOf/1", StyleFileDecoder.avoidKeys),
        ("punctuation", "properties/punctuation", StyleFileDecoder.punctuationKeys),
        ("rewrite", "properties/rewrite", StyleFileDecoder.rewriteKeys),
        ("model", "properties/model", StyleFileDecoder.modelKeys),
        ("learned", "properties/learned", StyleFileDecoder.learnedKeys),
        ("stages", "properties/stages", StyleFileDecoder.stagesKeys),
        ("ignore", "properties/ignore", StyleFileDecoder.ignoreKeys),
        ("levels", "properties/levels", StyleFileDecoder.levelsKeys),
        ("ignore block", "properties/ignore/properties/blocks/items", StyleFileDecoder.ignoreBlockKeys),
        ("command stage", "$defs/commandStage", StyleFileDecoder.commandKeys),
    ]

    @Test func schemaIsDraft202012() {
        #expect(Self.schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(Self.schema["required"] as? [String] == ["version"])
    }

    @Test(arguments: mappings.indices)
    func schemaKeysAreTheDecoderKeys(_ index: Int) throws {
        let mapping = Self.mappings[index]
        let node = try #require(Self.node(mapping.path), "no schema node for \(mapping.name)")
        let properties = try #require(node["properties"] as? [String: Any], "\(mapping.name) has no properties")
        #expect(Set(properties.keys) == Set(mapping.keys), "\(mapping.name)")
        #expect(node["additionalProperties"] as? Bool == false, "\(mapping.name) must reject unknown keys")
        for (key, value) in properties {
            let description = (value as? [String: Any])?["description"] as? String
            #expect(description?.isEmpty == false, "\(mapping.name).\(key) has no description")
        }
    }

    @Test func requiredKeysMatchTheDecoder() {
        #expect(Self.node("$defs/term")?["required"] as? [String] == ["use", "instead_of"])
        #expect(Self.node("$defs/avoidEntry/oneOf/1")?["required"] as? [String] == ["word"])
        #expect(Self.node("$defs/commandStage")?["required"] as? [String] == ["command", "timeout"])
    }

    static let enums: [(path: String, values: [String])] = [
        ("properties/spelling", SpellingPolicy.allCases.map(\.rawValue)),
        ("properties/contractions", ContractionPolicy.allCases.map(\.rawValue)),
        ("properties/punctuation/properties/quotes", QuoteStyle.allCases.map(\.rawValue)),
        ("properties/punctuation/properties/dashes", DashStyle.allCases.map(\.rawValue)),
        ("properties/punctuation/properties/ellipsis", EllipsisStyle.allCases.map(\.rawValue)),
        ("properties/rewrite/properties/preserve/items", PreservedKind.allCases.map(\.rawValue)),
        ("properties/learned/properties/sources/items", LearnedSource.allCases.map(\.rawValue)),
        ("$defs/builtinStage", BuiltinStageID.allCases.map(\.rawValue)),
        ("$defs/level", FindingLevel.allCases.map(\.rawValue)),
    ]

    @Test(arguments: enums.indices)
    func schemaEnumsAreTheSwiftCases(_ index: Int) throws {
        let entry = Self.enums[index]
        let node = try #require(Self.node(entry.path), "no schema node at \(entry.path)")
        #expect(node["enum"] as? [String] == entry.values, "\(entry.path)")
    }

    @Test func defaultsAreTheResolvedDefaults() throws {
        let style = StyleFile(path: "styles/x.yaml", root: ".").resolved(chain: [])
        func value(_ path: String) -> Any? { Self.node(path)?["default"] }
        let model = "properties/model/properties/", rewrite = "properties/rewrite/properties/"
        #expect(value("properties/locale") as? String == style.locale)
        #expect(value("properties/spelling") as? String == style.spelling.rawValue)
        #expect(value("properties/contractions") as? String == style.contractions.rawValue)
        #expect(value("properties/punctuation/properties/quotes") as? String == style.punctuation.quotes.rawValue)
        #expect(value("properties/punctuation/properties/dashes") as? String == style.punctuation.dashes.rawValue)
        #expect(value("properties/punctuation/properties/ellipsis") as? String == style.punctuation.ellipsis.rawValue)
        #expect(value(rewrite + "confidence") as? Double == style.rewrite.confidence)
        #expect(value(rewrite + "min_similarity") as? Double == style.rewrite.minSimilarity)
        #expect(value(rewrite + "preserve") as? [String] == style.rewrite.preserve.map(\.rawValue))
        #expect(value(model + "epochs") as? Int == style.model.epochs)
        #expect(value(model + "lora_rank") as? Int == style.model.loraRank)
        #expect(value(model + "learning_rate") as? Double == style.model.learningRate)
        #expect(value(model + "batch_size") as? Int == style.model.batchSize)
        #expect(value(model + "seed") as? Int == style.model.seed)
        #expect(value(model + "max_sentences") as? Int == style.model.maxSentences)
        let learned = "properties/learned/properties/"
        #expect(value(learned + "sources") as? [String] == style.learned.sources.map(\.rawValue))
        #expect(value(learned + "never") as? [String] == style.learned.never.map(\.text))
        #expect(value(learned + "target_precision") as? Double == style.learned.targetPrecision)
        #expect(value("properties/stages/properties/pre") as? [String] == style.stages.pre.map(\.displayName))
        #expect(value("properties/stages/properties/post") as? [String] == style.stages.post.map(\.displayName))
    }

    /// Every key of the schema has a row in the key table of docs/style-file.md (keys of list
    /// entries appear in their section's example instead), so the reference cannot drift.
    @Test func referenceDocumentsEverySchemaKey() throws {
        let doc = try String(contentsOf: Self.repository.appendingPathComponent("docs/style-file.md"), encoding: .utf8)
        let topLevel = try #require(Self.schema["properties"] as? [String: Any])
        var documented: [String] = []
        for (key, value) in topLevel {
            let nested = (value as? [String: Any])?["properties"] as? [String: Any]
            documented += nested.map { $0.keys.map { "\(key).\($0)" } } ?? [key]
        }
        for path in documented.sorted() {
            #expect(doc.contains("| `\(path)` |"), "docs/style-file.md has no table row for '\(path)'")
        }
        for (name, path, _) in Self.mappings.filter({ $0.path.hasPrefix("$defs") }) {
            let properties = try #require(Self.node(path)?["properties"] as? [String: Any])
            for key in properties.keys.sorted() {
                #expect(doc.contains("\(key):") || doc.contains("`\(key)`"), "docs/style-file.md does not mention '\(key)' of a \(name)")
            }
        }
    }
}
