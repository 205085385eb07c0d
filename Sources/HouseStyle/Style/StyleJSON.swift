import Foundation
import HouseStyleYAML

/// A resolved style encodes with the keys of the style file (snake_case), every setting
/// present (`null` where unset), so the JSON is itself a complete description of the style.
/// `chain` and `root` say where it came from, and `commands` lists every external stage with the
/// file, line and column that declared it (as `validate`'s text does), for review before
/// `--allow-commands`. Other source positions are not encoded.
extension Style: Encodable {
    private enum Keys: String, CodingKey {
        case version, name, chain, root, locale, description, corpus, levels, rules, rewrite, model, learned, stages, ignore, commands
    }

    /// One external stage for review: `{"name", "command", "command_line", "timeout", "declared_at"}`.
    private struct CommandReview: Encodable {
        var name: String
        var command: [String]
        var commandLine: String
        var timeout: Double
        var declaredAt: SourceMark?
        enum CodingKeys: String, CodingKey { case name, command, commandLine = "command_line", timeout, declaredAt = "declared_at" }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(command, forKey: .command)
            try container.encode(commandLine, forKey: .commandLine)
            try container.encode(timeout, forKey: .timeout)
            try container.encode(declaredAt, forKey: .declaredAt)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(version, forKey: .version)
        try container.encode(name, forKey: .name)
        try container.encode(chain, forKey: .chain)
        try container.encode(root, forKey: .root)
        try container.encode(locale, forKey: .locale)
        try container.encode(description, forKey: .description)
        try container.encode(corpus, forKey: .corpus)
        // Every stage `levels` may name, `null` where the style sets none.
        var levelsContainer = container.nestedContainer(keyedBy: StageKey.self, forKey: .levels)
        for id in BuiltinStageID.leveled {
            try levelsContainer.encode(levels[id], forKey: StageKey(stringValue: id.rawValue))
        }
        // Every stage `rules` may name, `null` where the style names none.
        var rulesContainer = container.nestedContainer(keyedBy: StageKey.self, forKey: .rules)
        for id in StageRegistry.builtin.namedRuleStageIDs {
            try rulesContainer.encode(ruleNames[id], forKey: StageKey(stringValue: id.rawValue))
        }
        try container.encode(rewrite, forKey: .rewrite)
        try container.encode(model, forKey: .model)
        try container.encode(learned, forKey: .learned)
        try container.encode(stages, forKey: .stages)
        try container.encode(ignore, forKey: .ignore)
        try container.encode(stages.commands.map {
            CommandReview(name: $0.displayName, command: $0.argv, commandLine: $0.commandLine, timeout: $0.timeout, declaredAt: $0.mark)
        }, forKey: .commands)
        // The stages' settings under their own keys: `spelling`, `punctuation: {dashes, ...}`.
        var settingsContainer = encoder.container(keyedBy: StageKey.self)
        var groups: [String: [String: SettingValue]] = [:]
        for (key, value) in settings.values {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                groups[parts[0], default: [:]][parts[1]] = value
            } else {
                try settingsContainer.encode(value, forKey: StageKey(stringValue: key))
            }
        }
        for (group, members) in groups {
            try settingsContainer.encode(members, forKey: StageKey(stringValue: group))
        }
    }

    /// The style as JSON with sorted keys, pretty-printed.
    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every value is a string, number, bool, list or mapping with string keys: this cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self)
    }
}

extension Corpus: Encodable {
    private enum Keys: String, CodingKey { case voice, contrast, pairs }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(voice.map(\.pattern), forKey: .voice)
        try container.encode(contrast.map(\.pattern), forKey: .contrast)
        try container.encode(pairs.map(\.pattern), forKey: .pairs)
    }
}

extension TermRule: Encodable {
    private enum Keys: String, CodingKey {
        case use, insteadOf = "instead_of", caseSensitive = "case_sensitive", note, level, rule
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(use, forKey: .use)
        try container.encode(insteadOf, forKey: .insteadOf)
        try container.encode(caseSensitive, forKey: .caseSensitive)
        try container.encode(note, forKey: .note)
        try container.encode(level, forKey: .level)
        try container.encode(rule, forKey: .rule)
    }
}

extension AvoidRule: Encodable {
    private enum Keys: String, CodingKey {
        case word, instead, note, caseSensitive = "case_sensitive", reportOnly = "report_only", level, rule
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(word, forKey: .word)
        try container.encode(instead, forKey: .instead)
        try container.encode(note, forKey: .note)
        try container.encode(caseSensitive, forKey: .caseSensitive)
        try container.encode(reportOnly, forKey: .reportOnly)
        try container.encode(level, forKey: .level)
        try container.encode(rule, forKey: .rule)
    }
}

/// A key of `levels` (a stage id), or of a stage's setting.
private struct StageKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension RewriteSettings: Encodable {
    private enum Keys: String, CodingKey { case confidence, minSimilarity = "min_similarity", preserve }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(minSimilarity, forKey: .minSimilarity)
        try container.encode(preserve, forKey: .preserve)
    }
}

extension ModelSettings: Encodable {
    private enum Keys: String, CodingKey {
        case base, epochs, loraRank = "lora_rank", learningRate = "learning_rate", batchSize = "batch_size", seed
        case maxSentences = "max_sentences", loraLayers = "lora_layers"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(base, forKey: .base)
        try container.encode(epochs, forKey: .epochs)
        try container.encode(loraRank, forKey: .loraRank)
        try container.encode(learningRate, forKey: .learningRate)
        try container.encode(batchSize, forKey: .batchSize)
        try container.encode(seed, forKey: .seed)
        try container.encode(maxSentences, forKey: .maxSentences)
        // Only when set: the bundles of styles without it (every layer adapted) stay current.
        try container.encodeIfPresent(loraLayers, forKey: .loraLayers)
    }
}

/// `never` entries as written: `word` or `word -> replacement`.
extension LearnedSettings: Encodable {
    private enum Keys: String, CodingKey { case sources, never, targetPrecision = "target_precision" }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(sources, forKey: .sources)
        try container.encode(never.map(\.text), forKey: .never)
        try container.encode(targetPrecision, forKey: .targetPrecision)
    }
}

extension IgnoreSettings: Encodable {
    private enum Keys: String, CodingKey { case presets, inline, blocks }
    private struct Block: Encodable { var start: String, end: String }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(presets.map(\.rawValue), forKey: .presets)
        try container.encode(inline.map(\.pattern), forKey: .inline)
        try container.encode(blocks.map { Block(start: $0.start.pattern, end: $0.end.pattern) }, forKey: .blocks)
    }
}

extension Stages: Encodable {
    private enum Keys: String, CodingKey { case pre, post }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(pre, forKey: .pre)
        try container.encode(post, forKey: .post)
    }
}

/// As written in a style file: `"normalize"`, `{"markdown": {options}}`, or
/// `{"command": [...], "timeout": 5, "name": ...}`.
extension StageSpec: Encodable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .builtin(let id, nil):
            var container = encoder.singleValueContainer()
            try container.encode(id.rawValue)
        case .builtin(let id, let options?):
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(options, forKey: Key(id.rawValue))
        case .command(let command):
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(command.argv, forKey: Key("command"))
            try container.encode(command.timeout, forKey: Key("timeout"))
            try container.encode(command.name, forKey: Key("name"))
        }
    }
}
