/// The parts of `schema/style.schema.json` and `docs/style-file.md` that are made from the
/// stages' declared settings (`StageRegistry.settings`): the schema's top-level property of each
/// setting, and the reference table of stage settings. GeneratedReferenceTests fails when the
/// files differ from what this renders, and rewrites them with `HOUSESTYLE_UPDATE_DOCS=1`.
enum StageReference {
    /// JSON with its keys in the order written, printed like the hand-written parts of the schema.
    indirect enum JSON: Equatable {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case array([JSON])
        case object([(String, JSON)])

        static func == (a: JSON, b: JSON) -> Bool { a.text(indent: 0) == b.text(indent: 0) }

        var isScalar: Bool {
            switch self {
            case .array, .object: return false
            default: return true
            }
        }

        /// The value as the schema file writes it at `indent` spaces: scalars, lists of scalars and
        /// objects of at most two scalars on one line, other objects one key per line.
        func text(indent: Int) -> String {
            switch self {
            case .string(let value): return Self.quoted(value)
            case .int(let value): return String(value)
            case .double(let value): return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
            case .bool(let value): return value ? "true" : "false"
            case .array(let items):
                if items.allSatisfy(\.isScalar) { return "[" + items.map { $0.text(indent: 0) }.joined(separator: ", ") + "]" }
                let inner = String(repeating: " ", count: indent + 2)
                return "[\n" + items.map { inner + $0.text(indent: indent + 2) }.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent) + "]"
            case .object(let entries):
                let inline = "{ " + entries.map { "\(Self.quoted($0.0)): \($0.1.text(indent: 0))" }.joined(separator: ", ") + " }"
                if entries.count <= 2, entries.allSatisfy({ $0.1.isScalar }), inline.count <= 80 { return inline }
                let inner = String(repeating: " ", count: indent + 2)
                return "{\n" + entries.map { "\(inner)\(Self.quoted($0.0)): \($0.1.text(indent: indent + 2))" }.joined(separator: ",\n")
                    + "\n" + String(repeating: " ", count: indent) + "}"
            }
        }

        /// A JSON string literal; like the hand-written file, only what JSON requires is escaped.
        static func quoted(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20:
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
    }

    /// The top-level schema properties the stages declare, in registry order: one per setting
    /// without a dot (`spelling`), one object per shared mapping (`punctuation`).
    static func schemaProperties(of registry: StageRegistry) -> [(key: String, value: JSON)] {
        var groups: [String] = []
        for setting in registry.settings where !groups.contains(setting.group) { groups.append(setting.group) }
        return groups.map { group in
            let members = registry.settings.filter { $0.group == group }
            if members.count == 1, members[0].member == nil { return (group, schema(of: members[0])) }
            let owners = registry.stages.filter { type in type.settings.contains { $0.group == group } }.map { "`\($0.stageID.rawValue)`" }
            let description = "Settings of the \(owners.joined(separator: " and ")) stage\(owners.count == 1 ? "" : "s"). "
                + "Each key left out keeps the parent's value or the default."
            return (group, .object([
                ("description", .string(description.replacingOccurrences(of: "`", with: ""))),
                ("type", .string("object")),
                ("additionalProperties", .bool(false)),
                ("properties", .object(members.map { ($0.member ?? $0.key, schema(of: $0)) })),
            ]))
        }
    }

    /// The schema of one setting: its description (summary and default), type and default.
    static func schema(of setting: AnyStageSetting) -> JSON {
        let description = JSON.string(setting.summary + " Default: " + setting.documentedDefault.replacingOccurrences(of: "`", with: "") + ".")
        func bound(_ requirement: NumberRequirement, integer: Bool) -> [(String, JSON)] {
            func number(_ value: Double) -> JSON { integer ? .int(Int(value)) : .double(value) }
            switch requirement {
            case .between(let low, let high): return [("minimum", number(low)), ("maximum", number(high))]
            case .atLeast(let low): return [("minimum", number(low))]
            case .greaterThan(let low): return [("exclusiveMinimum", number(low))]
            case .aboveAtMost(let low, let high): return [("exclusiveMinimum", number(low)), ("maximum", number(high))]
            }
        }
        switch setting.type {
        case .choice(let values):
            let value = (setting.defaultValue.value as? any RawRepresentable)?.rawValue as? String
            return .object([("description", description), ("enum", .array(values.map(JSON.string)))] + (value.map { [("default", .string($0))] } ?? []))
        case .bool:
            return .object([("description", description), ("type", .string("boolean"))])
        case .integer(let requirement):
            let value = setting.defaultValue.value as? Int
            return .object([("description", description), ("type", .string("integer"))] + bound(requirement, integer: true)
                + (value.map { [("default", .int($0))] } ?? []))
        case .number(let requirement):
            let value = setting.defaultValue.value as? Double
            return .object([("description", description), ("type", .string("number"))] + bound(requirement, integer: false)
                + (value.map { [("default", .double($0))] } ?? []))
        case .entries(let definition, _):
            return .object([("description", description), ("type", .string("array")), ("items", .object([("$ref", .string("#/$defs/\(definition)"))]))])
        }
    }

    /// `schema` (the text of schema/style.schema.json) with what `registry` declares: each stage
    /// property (a property the file lacks is added before `rewrite`), the ids of
    /// `$defs/builtinStage`, the keys of `levels` (a written description is kept) and the default
    /// `stages` lists.
    static func updatedSchema(_ schema: String, registry: StageRegistry) -> String {
        var lines = schema.components(separatedBy: "\n")
        /// Replaces the first line starting with `prefix` within 8 lines after the line `anchor`,
        /// keeping its trailing comma.
        func replace(after anchor: String, _ prefix: String, with text: String) {
            guard let start = lines.firstIndex(of: anchor),
                let index = lines[(start + 1)..<min(lines.count, start + 9)].firstIndex(where: { $0.hasPrefix(prefix) }) else { return }
            lines[index] = prefix + text + (lines[index].hasSuffix(",") ? "," : "")
        }
        let ids = registry.ids.map(\.rawValue)
        replace(after: "    \"builtinStage\": {", "      \"description\": ", with: JSON.quoted(
            "A built-in stage or document step: \(ids.joined(separator: ", ")). See docs/stages.md."))
        replace(after: "    \"builtinStage\": {", "      \"enum\": ", with: JSON.array(ids.map(JSON.string)).text(indent: 0))
        for (list, when, specs) in [("pre", "before", registry.defaultPre), ("post", "after", registry.defaultPost)] {
            let names = specs.map(\.displayName)
            replace(after: "        \"\(list)\": {", "          \"description\": ", with: JSON.quoted(
                "Stages run \(when) the learned rewrite. Default: [\(names.joined(separator: ", "))]."))
            replace(after: "        \"\(list)\": {", "          \"default\": ", with: JSON.array(names.map(JSON.string)).text(indent: 0))
        }
        // `levels`: one line per stage that takes a level.
        if let levels = lines.firstIndex(of: "    \"levels\": {"),
            let open = lines[levels...].firstIndex(of: "      \"properties\": {"),
            let close = lines[open...].firstIndex(of: "      }") {
            var written: [String: String] = [:]
            for line in lines[(open + 1)..<close] {
                let body = line.hasSuffix(",") ? String(line.dropLast()) : line
                if let key = body.split(separator: "\"", maxSplits: 2).dropFirst().first { written[String(key)] = body }
            }
            let entries = registry.leveledIDs.map { id in
                written[id.rawValue] ?? "        \(JSON.quoted(id.rawValue)): { \"description\": \"Level of the \(id.rawValue) stage's edits and findings.\", \"$ref\": \"#/$defs/level\" }"
            }
            lines.replaceSubrange((open + 1)..<close, with: entries.enumerated().map { $0.offset < entries.count - 1 ? $0.element + "," : $0.element })
        }
        for (key, value) in schemaProperties(of: registry) {
            let opening = "    \(JSON.quoted(key)): "
            let rendered = (opening + value.text(indent: 4)).components(separatedBy: "\n")
            if let start = lines.firstIndex(where: { $0.hasPrefix(opening) }) {
                // The property ends at the first line closing at its indentation.
                var end = start
                if !lines[start].hasSuffix(",") && lines[start].hasSuffix("{") {
                    end = lines[(start + 1)...].firstIndex { $0.hasPrefix("    }") } ?? start
                }
                let comma = lines[end].hasSuffix(",") ? "," : ""
                lines.replaceSubrange(start...end, with: rendered.dropLast() + [rendered.last! + comma])
            } else if let before = lines.firstIndex(where: { $0.hasPrefix("    \"rewrite\": ") }) {
                lines.insert(contentsOf: rendered.dropLast() + [rendered.last! + ","], at: before)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The reference table of the stages' settings, as docs/style-file.md shows it.
    static func settingsTable(of registry: StageRegistry) -> String {
        var rows = ["| Key | Type | Default | Stage | Meaning |", "|---|---|---|---|---|"]
        for type in registry.stages {
            for setting in type.settings {
                rows.append("| `\(setting.key)` | \(documented(setting.type)) | \(setting.documentedDefault) | `\(type.stageID.rawValue)` | "
                    + setting.summary.replacingOccurrences(of: "|", with: "\\|") + " |")
            }
        }
        return rows.joined(separator: "\n")
    }

    /// The type as the reference table writes it.
    static func documented(_ type: SettingType) -> String {
        switch type {
        case .choice(let values): return values.map { "`\($0)`" }.joined(separator: " \\| ")
        case .bool: return "`true` \\| `false`"
        case .integer(let requirement): return "whole number, \(requirement)"
        case .number(let requirement): return "number, \(requirement)"
        case .entries(_, let documented): return documented
        }
    }
}
