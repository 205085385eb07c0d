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
    var terms: [TermRule]?
    var avoid: [AvoidRule]?
    var levels: [BuiltinStageID: FindingLevel]?
    var spelling: SpellingPolicy?
    var contractions: ContractionPolicy?
    var quotes: QuoteStyle?
    var oxfordComma: Bool?
    var dashes: DashStyle?
    var ellipsis: EllipsisStyle?
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

    /// This file's settings laid over `parent`'s, following the merge rules of `StyleLoader`.
    func merged(over parent: StyleFile) -> StyleFile {
        var merged = self
        merged.locale = locale ?? parent.locale
        merged.voice = voice ?? parent.voice
        merged.contrast = contrast ?? parent.contrast
        merged.pairs = pairs ?? parent.pairs
        merged.terms = Self.mergeTerms(parent.terms, terms)
        merged.avoid = Self.mergeAvoid(parent.avoid, avoid)
        // Key by key: the child's level for a stage replaces the parent's, the parent's others stay.
        merged.levels = parent.levels.map { $0.merging(levels ?? [:]) { _, child in child } } ?? levels
        merged.spelling = spelling ?? parent.spelling
        merged.contractions = contractions ?? parent.contractions
        merged.quotes = quotes ?? parent.quotes
        merged.oxfordComma = oxfordComma ?? parent.oxfordComma
        merged.dashes = dashes ?? parent.dashes
        merged.ellipsis = ellipsis ?? parent.ellipsis
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

    /// Parent terms in their order, a child term replacing the parent's term with the same
    /// `use` in place; new child terms after them.
    private static func mergeTerms(_ parent: [TermRule]?, _ child: [TermRule]?) -> [TermRule]? {
        guard let parent else { return child }
        guard let child else { return parent }
        var merged = parent
        for term in child {
            if let index = merged.firstIndex(where: { $0.use == term.use }) {
                merged[index] = term
            } else {
                merged.append(term)
            }
        }
        return merged
    }

    /// The union of both lists by `word`: parent words first, a child entry replacing the
    /// parent's entry for the same word in place.
    private static func mergeAvoid(_ parent: [AvoidRule]?, _ child: [AvoidRule]?) -> [AvoidRule]? {
        guard let parent else { return child }
        guard let child else { return parent }
        var merged = parent
        for rule in child {
            if let index = merged.firstIndex(where: { $0.word == rule.word }) {
                merged[index] = rule
            } else {
                merged.append(rule)
            }
        }
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
    func resolved(chain: [StyleSource]) -> Style {
        let punctuation = Punctuation(), rewrite = RewriteSettings(), model = ModelSettings(), learned = LearnedSettings()
        return Style(
            version: Style.currentVersion,
            name: styleName,
            chain: chain,
            locale: locale ?? Style.defaultLocale,
            description: description,
            corpus: Corpus(voice: voice ?? [], contrast: contrast ?? [], pairs: pairs ?? []),
            terms: terms ?? [],
            avoid: avoid ?? [],
            levels: levels ?? [:],
            spelling: spelling ?? .keep,
            contractions: contractions ?? .keep,
            punctuation: Punctuation(
                quotes: quotes ?? punctuation.quotes, oxfordComma: oxfordComma ?? punctuation.oxfordComma,
                dashes: dashes ?? punctuation.dashes, ellipsis: ellipsis ?? punctuation.ellipsis),
            rewrite: RewriteSettings(
                confidence: confidence ?? rewrite.confidence, minSimilarity: minSimilarity ?? rewrite.minSimilarity,
                preserve: preserve ?? rewrite.preserve),
            model: ModelSettings(
                base: base ?? model.base, epochs: epochs ?? model.epochs, loraRank: loraRank ?? model.loraRank,
                learningRate: learningRate ?? model.learningRate, batchSize: batchSize ?? model.batchSize,
                seed: seed ?? model.seed, maxSentences: maxSentences ?? model.maxSentences),
            learned: LearnedSettings(
                sources: sources ?? learned.sources, never: never ?? learned.never,
                targetPrecision: targetPrecision ?? learned.targetPrecision),
            stages: Stages(pre: pre ?? Stages.defaultPre, post: post ?? Stages.defaultPost),
            ignore: IgnoreSettings(presets: ignorePresets ?? IgnoreSettings.defaultPresets, inline: ignoreInline ?? [],
                                   blocks: ignoreBlocks ?? [])
        )
    }
}
