import HouseStyleText
import HouseStyleYAML

/// One style file as written, before `extends` is resolved: a setting is `nil` when the file
/// does not set it.
struct StyleFile: Sendable {
    var path: String
    /// The repository root its relative paths are resolved against.
    var root: String
    var version: Int?
    var name: String?
    var extends: (name: String, mark: SourceMark)?
    var locale: String?
    var description: String?
    var voice: [CorpusGlob]?
    var contrast: [CorpusGlob]?
    var pairs: [CorpusGlob]?
    /// The stage settings this file sets (`StageRegistry.settings`), by key.
    var settings = StageSettings()
    var levels: [BuiltinStageID: FindingLevel]?
    var ruleNames: [BuiltinStageID: String]?
    var confidence: Double?
    var minSimilarity: Double?
    var preserve: [PreservedKind]?
    var base: String?
    /// Where `model.base` is written.
    var baseMark: SourceMark?
    var epochs: Int?
    var loraRank: Int?
    var learningRate: Double?
    var batchSize: Int?
    var seed: Int?
    var maxSentences: Int?
    var loraLayers: Int?
    var sources: [LearnedSource]?
    var never: [LearnedVeto]?
    var targetPrecision: Double?
    var pre: [StageSpec]?
    var post: [StageSpec]?
    var ignorePresets: [IgnoreRules.Preset]?
    var ignoreInline: [IgnorePattern]?
    var ignoreBlocks: [IgnoreBlock]?

    init(path: String, root: String) {
        self.path = path
        self.root = root
    }

    /// The style's name: `name`, or the file name without its extension.
    var styleName: String {
        if let name { return name }
        let file = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".yaml", ".yml"] where file.hasSuffix(suffix) { return String(file.dropLast(suffix.count)) }
        return file
    }

    /// This file's settings laid over `parent`'s, following the merge rules of `StyleLoader`;
    /// each stage setting by its own `merge`.
    func merged(over parent: StyleFile, registry: StageRegistry = .builtin) -> StyleFile {
        var merged = self
        merged.locale = locale ?? parent.locale
        merged.voice = voice ?? parent.voice
        merged.contrast = contrast ?? parent.contrast
        merged.pairs = pairs ?? parent.pairs
        for setting in registry.settings {
            switch (parent.settings.values[setting.key], settings.values[setting.key]) {
            case (let parentValue?, let childValue?): merged.settings.values[setting.key] = setting.merge(parentValue, childValue)
            case (let parentValue?, nil): merged.settings.values[setting.key] = parentValue
            default: break
            }
        }
        // Key by key: the child's level for a stage replaces the parent's, the parent's others stay.
        merged.levels = parent.levels.map { $0.merging(levels ?? [:]) { _, child in child } } ?? levels
        merged.ruleNames = parent.ruleNames.map { $0.merging(ruleNames ?? [:]) { _, child in child } } ?? ruleNames
        merged.confidence = confidence ?? parent.confidence
        merged.minSimilarity = minSimilarity ?? parent.minSimilarity
        merged.preserve = preserve ?? parent.preserve
        merged.base = base ?? parent.base
        merged.baseMark = base != nil ? baseMark : parent.baseMark
        merged.epochs = epochs ?? parent.epochs
        merged.loraRank = loraRank ?? parent.loraRank
        merged.learningRate = learningRate ?? parent.learningRate
        merged.batchSize = batchSize ?? parent.batchSize
        merged.seed = seed ?? parent.seed
        merged.maxSentences = maxSentences ?? parent.maxSentences
        merged.loraLayers = loraLayers ?? parent.loraLayers
        merged.sources = sources ?? parent.sources
        merged.never = Self.mergeNever(parent.never, never)
        merged.targetPrecision = targetPrecision ?? parent.targetPrecision
        merged.pre = pre ?? parent.pre
        merged.post = post ?? parent.post
        merged.ignorePresets = ignorePresets ?? parent.ignorePresets
        // Patterns add up: a child cannot take back what its parent leaves alone.
        merged.ignoreInline = parent.ignoreInline.map { $0 + (ignoreInline ?? []) } ?? ignoreInline
        merged.ignoreBlocks = parent.ignoreBlocks.map { $0 + (ignoreBlocks ?? []) } ?? ignoreBlocks
        return merged
    }

    /// The union of both lists, parent entries first; an entry the parent already has (by its
    /// text, ignoring case) is not repeated.
    private static func mergeNever(_ parent: [LearnedVeto]?, _ child: [LearnedVeto]?) -> [LearnedVeto]? {
        guard let parent else { return child }
        guard let child else { return parent }
        var seen = Set(parent.map { $0.text.lowercased() })
        return parent + child.filter { seen.insert($0.text.lowercased()).inserted }
    }

    /// The effective style: settings of this (already merged) file, defaults for the rest.
    func resolved(chain: [StyleSource], registry: StageRegistry = .builtin) -> Style {
        var settings = StageSettings()
        for setting in registry.settings { settings.values[setting.key] = self.settings.values[setting.key] ?? setting.defaultValue }
        let rewrite = RewriteSettings(), model = ModelSettings(), learned = LearnedSettings()
        return Style(
            version: Style.currentVersion,
            name: styleName,
            chain: chain,
            locale: locale ?? Style.defaultLocale,
            description: description,
            corpus: Corpus(voice: voice ?? [], contrast: contrast ?? [], pairs: pairs ?? []),
            settings: settings,
            levels: levels ?? [:],
            ruleNames: ruleNames ?? [:],
            rewrite: RewriteSettings(
                confidence: confidence ?? rewrite.confidence, minSimilarity: minSimilarity ?? rewrite.minSimilarity,
                preserve: preserve ?? rewrite.preserve),
            model: ModelSettings(
                base: base ?? model.base, epochs: epochs ?? model.epochs, loraRank: loraRank ?? model.loraRank,
                learningRate: learningRate ?? model.learningRate, batchSize: batchSize ?? model.batchSize,
                seed: seed ?? model.seed, maxSentences: maxSentences ?? model.maxSentences,
                loraLayers: loraLayers ?? model.loraLayers),
            learned: LearnedSettings(
                sources: sources ?? learned.sources, never: never ?? learned.never,
                targetPrecision: targetPrecision ?? learned.targetPrecision),
            stages: Stages(pre: pre ?? registry.defaultPre, post: post ?? registry.defaultPost),
            ignore: IgnoreSettings(presets: ignorePresets ?? IgnoreSettings.defaultPresets, inline: ignoreInline ?? [],
                                   blocks: ignoreBlocks ?? [])
        )
    }
}
