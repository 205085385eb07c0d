import Foundation

extension Style {
    /// A short human description of the resolved style, one setting per line, for
    /// `housestyle validate`. Corpus lines count the files each list matches now; every external
    /// command is shown in full with where it was declared.
    public var summary: String {
        func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }
        func corpusLine(_ globs: [CorpusGlob]) -> String {
            guard !globs.isEmpty else { return "none" }
            // A glob reaching outside the project was refused when the style was loaded.
            let files = Set(globs.flatMap { (try? $0.files()) ?? [] }).count
            return "\(globs.map(\.pattern).joined(separator: ", ")) (\(files) file\(files == 1 ? "" : "s"))"
        }
        func stageLine(_ stages: [StageSpec]) -> String {
            guard !stages.isEmpty else { return "none" }
            return stages.map { stage in
                switch stage {
                case .builtin(let id, nil): return id.rawValue
                case .builtin(let id, _?): return "\(id.rawValue) (with options)"
                case .command(let command): return "\(stage.displayName) (command, timeout \(number(command.timeout)) s)"
                }
            }.joined(separator: ", ")
        }
        var lines = ["style \(name) (\(chain.first?.path ?? name))"]
        if chain.count > 1 {
            lines.append("  extends: \(chain.dropFirst().map { "\($0.name) (\($0.path))" }.joined(separator: " -> "))")
        }
        if let description { lines.append("  description: \(description)") }
        lines += [
            "  locale: \(locale)",
            "  corpus voice: \(corpusLine(corpus.voice))",
            "  corpus contrast: \(corpusLine(corpus.contrast))",
            "  corpus pairs: \(corpusLine(corpus.pairs))",
            "  terms: \(terms.count), avoid: \(avoid.count)",
        ]
        if !levels.isEmpty {
            lines.append("  levels: " + BuiltinStageID.leveled.compactMap { id in levels[id].map { "\(id.rawValue) \($0.rawValue)" } }.joined(separator: ", "))
        }
        if !ruleNames.isEmpty {
            lines.append("  rules: " + StageRegistry.builtin.namedRuleStageIDs.compactMap { id in ruleNames[id].map { "\(id.rawValue) \($0)" } }.joined(separator: ", "))
        }
        lines += [
            "  spelling: \(spelling.rawValue), contractions: \(contractions.rawValue)",
            "  punctuation: quotes \(punctuation.quotes.rawValue), oxford comma "
                + "\(punctuation.oxfordComma.map { $0 ? "yes" : "no" } ?? "keep"), dashes \(punctuation.dashes.rawValue), "
                + "ellipsis \(punctuation.ellipsis.rawValue)",
        ]
        // Settings of stages the lines above do not name (a stage added to the registry), as JSON values.
        let named: Set = ["terms", "avoid", "spelling", "contractions", "punctuation"]
        for (key, value) in settings.values.sorted(by: { $0.key < $1.key }) where !named.contains(String(key.prefix { $0 != "." })) {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let text = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
            lines.append("  \(key): \(text.hasPrefix("\"") && text.hasSuffix("\"") ? String(text.dropFirst().dropLast()) : text)")
        }
        lines += [
            "  rewrite: confidence \(number(rewrite.confidence)), min similarity \(number(rewrite.minSimilarity)), "
                + "preserve \(rewrite.preserve.isEmpty ? "nothing" : rewrite.preserve.map(\.rawValue).joined(separator: ", "))",
            "  model: base \(model.base ?? "(default encoder)"), epochs \(model.epochs), lora rank \(model.loraRank), "
                + "learning rate \(number(model.learningRate)), batch size \(model.batchSize), seed \(model.seed), "
                + "max sentences \(model.maxSentences)" + (model.loraLayers.map { ", lora layers \($0)" } ?? ""),
            "  learned: sources \(learned.sources.isEmpty ? "none" : learned.sources.map(\.rawValue).joined(separator: ", ")), "
                + "never \(learned.never.isEmpty ? "none" : learned.never.map { "'\($0.text)'" }.joined(separator: ", ")), "
                + "target precision \(number(learned.targetPrecision))",
            "  ignore: presets \(ignore.presets.isEmpty ? "none" : ignore.presets.map(\.rawValue).joined(separator: ", ")), "
                + "\(ignore.inline.count) inline pattern\(ignore.inline.count == 1 ? "" : "s"), \(ignore.blocks.count) block pattern\(ignore.blocks.count == 1 ? "" : "s")",
            "  stages pre: \(stageLine(stages.pre))",
            "  stages post: \(stageLine(stages.post))",
        ]
        // In full, so that a reader can review what --allow-commands would let the style run.
        lines += stages.commands.map { command in
            "  command \(command.displayName): \(command.commandLine) (timeout \(number(command.timeout)) s"
                + (command.mark.map { ", declared at \($0)" } ?? "") + ")"
        }
        return lines.joined(separator: "\n")
    }
}
