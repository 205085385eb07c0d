import HouseStyleText

/// Which rules run: `--only RULE` and `--skip RULE` of `rewrite`, `check` and `filter`.
///
/// A rule is named by the id of the stage that makes its edits, which is also the `rule` those edits
/// and findings carry (`terms`, `smart_quotes`, `learned`, an external stage's name), or by the
/// `rule` of `terms` and `avoid` entries (`Microsoft.Avoid`) or a stage's name in `rules`
/// (`Microsoft.Contractions`), which their edits and findings carry instead. Naming a stage names
/// all its entries; naming an entry rule names only the entries that carry it (`--only
/// Microsoft.Avoid` runs those entries and nothing else, `--skip Microsoft.Avoid` runs everything
/// else). `markdown` and `segment` are not rules: they say what is prose, and always run.
public struct RuleSelection: Sendable, Hashable {
    /// When not empty, only these rules run.
    public var only: [String]
    /// These rules do not run (even when `only` names them).
    public var skip: [String]

    public init(only: [String] = [], skip: [String] = []) {
        self.only = only
        self.skip = skip
    }

    /// Whether every rule runs.
    public var isEverything: Bool { only.isEmpty && skip.isEmpty }

    /// Whether the rule `id` runs.
    public func selects(_ id: String) -> Bool { (only.isEmpty || only.contains(id)) && !skip.contains(id) }

    /// Whether an entry of the stage `stage` with the rule name `rule` (nil: none) runs: neither
    /// the stage nor the name is skipped, and `only`, when not empty, names one of them.
    public func selectsEntry(named rule: String?, of stage: BuiltinStageID) -> Bool {
        guard let rule else { return selects(stage.rawValue) }
        return !skip.contains(stage.rawValue) && !skip.contains(rule) && (only.isEmpty || only.contains(stage.rawValue) || only.contains(rule))
    }

    /// The built-in stages that make edits or findings, and so may be named.
    static let builtinRules: [BuiltinStageID] = BuiltinStageID.allCases.filter { $0 != .markdown && $0 != .segment }

    /// The names `only` and `skip` may hold for `style`: the built-in rules, the `rule` names of
    /// its `terms` and `avoid` entries, the names `rules` gives stages, then its external stages.
    public static func rules(of style: Style) -> [String] {
        var names = builtinRules.map(\.rawValue)
        for name in style.entryRules.map(\.name) where !names.contains(name) { names.append(name) }
        for id in builtinRules { if let name = style.ruleNames[id], !names.contains(name) { names.append(name) } }
        for command in style.stages.commands where !names.contains(command.displayName) { names.append(command.displayName) }
        return names
    }

    /// Throws when `only` or `skip` names something that is not a rule of `style`.
    public func check(against style: Style) throws(RuleSelectionError) {
        let known = Self.rules(of: style)
        for (option, names) in [("--only", only), ("--skip", skip)] {
            for name in names where !known.contains(name) {
                throw .unknownRule(name: name, option: option, known: known, suggestion: closestMatch(to: name, among: known))
            }
        }
    }
}

/// A `--only` or `--skip` that names no rule.
public enum RuleSelectionError: Error, CustomStringConvertible, Equatable {
    case unknownRule(name: String, option: String, known: [String], suggestion: String?)

    public var description: String {
        switch self {
        case .unknownRule(let name, let option, let known, let suggestion):
            let hint = suggestion.map { "did you mean '\($0)'? " } ?? ""
            return "\(option) \(name): no such rule; \(hint)rules: \(known.joined(separator: ", "))"
        }
    }
}

extension Style {
    /// The style without the stages that `selection` leaves out and that would otherwise be set up
    /// before anything runs: the `learned` stage (whose model would be loaded, or trained) and
    /// external stages (whose programs would be started); its `terms` and `avoid` stages run only
    /// the entries `selection` keeps (`selectedTerms`, `selectedAvoid`). Rule stages are left out of
    /// the pipeline by ``Pipeline/selecting(_:)``.
    ///
    /// `terms` and `avoid` themselves stay whole: the learned model is trained from the whole style
    /// (its terms are among what training reads), so a run with `--skip SomeTerm` or `--only
    /// learned` must load that model, not find it stale and train another from fewer terms.
    public func selecting(_ selection: RuleSelection) -> Style {
        guard !selection.isEverything else { return self }
        func kept(_ spec: StageSpec) -> Bool {
            switch spec {
            case .builtin(let id, _): return id != .learned || selection.selects(id.rawValue)
            case .command(let command): return selection.selects(command.displayName)
            }
        }
        var style = self
        style.stages.pre = stages.pre.filter(kept)
        style.stages.post = stages.post.filter(kept)
        style.selection = selection
        return style
    }

    /// The `terms` entries the style's selection runs (all, without one).
    public var selectedTerms: [TermRule] { terms.filter { selection.selectsEntry(named: $0.rule, of: .terms) } }
    /// The `avoid` entries the style's selection runs (all, without one).
    public var selectedAvoid: [AvoidRule] { avoid.filter { selection.selectsEntry(named: $0.rule, of: .avoid) } }

    /// The `rule` names of the style's `terms` and `avoid` entries, each once, in the order first
    /// listed (terms first), with the stage whose entries carry it (a name on entries of both
    /// stages is listed once, under `terms`).
    public var entryRules: [(name: String, stage: BuiltinStageID)] {
        var seen = Set<String>()
        var result: [(name: String, stage: BuiltinStageID)] = []
        for (name, stage) in terms.compactMap({ $0.rule.map { ($0, BuiltinStageID.terms) } })
            + avoid.compactMap({ $0.rule.map { ($0, BuiltinStageID.avoid) } }) where seen.insert(name).inserted {
            result.append((name, stage))
        }
        return result
    }
}

extension Pipeline {
    /// The pipeline without the stages of the rules `selection` leaves out (`markdown` and
    /// `segment`, which say what is prose, always stay; `terms` and `avoid` stay while an entry
    /// of theirs is selected). Build it from `style.selecting(selection)` so that a learned model
    /// or an external program that is not selected is never loaded, and only the selected entries
    /// of `terms` and `avoid` run.
    public func selecting(_ selection: RuleSelection) -> Pipeline {
        guard !selection.isEverything else { return self }
        var pipeline = self
        let structural: Set<String> = [BuiltinStageID.markdown.rawValue, BuiltinStageID.segment.rawValue]
        func hasSelectedEntry(_ id: String) -> Bool {
            switch id {
            case BuiltinStageID.terms.rawValue: return style.terms.contains { selection.selectsEntry(named: $0.rule, of: .terms) }
            case BuiltinStageID.avoid.rawValue: return style.avoid.contains { selection.selectsEntry(named: $0.rule, of: .avoid) }
            default: return false
            }
        }
        // A stage named by `rules` is selected by its id or its name.
        pipeline.stages = stages.filter {
            structural.contains($0.id) || selection.selectsEntry(named: style.ruleNames[BuiltinStageID($0.id)], of: BuiltinStageID($0.id))
                || hasSelectedEntry($0.id)
        }
        pipeline.repeatsUntilStable = repeatsUntilStable && pipeline.stages.contains { $0.id == BuiltinStageID.learned.rawValue }
        return pipeline
    }
}
