import Foundation
import HouseStyleText
import HouseStyleYAML

/// A style after `extends` is resolved and defaults are applied: what the pipeline runs.
///
/// Build one with `StyleLoader`. Every value here is set, either by a style file of the chain
/// or by the default documented on the property (and in docs/style-file.md).
public struct Style: Sendable, Hashable {
    /// The style file schema version this housestyle reads.
    public static let currentVersion = 1
    /// The locale of a style that sets none.
    public static let defaultLocale = "en-US"

    /// The schema version the file was written for. Always `Style.currentVersion`.
    public var version: Int
    /// The style's name: `name` if given, else the file's name without `.yaml`.
    public var name: String
    /// The style files that make this style, the loaded file first, then its parent, and so on.
    public var chain: [StyleSource]
    /// BCP 47 language tag. Default: `en-US`.
    public var locale: String
    /// Free text for people. Default: none.
    public var description: String?
    public var corpus: Corpus
    /// The settings the built-in stages declare (`terms`, `avoid`, `spelling`, `punctuation`,
    /// ...), every one set: by a file of the chain or to its default. Read one with
    /// `style[setting]`, or the named properties the stages add (`style.spelling`).
    public var settings: StageSettings
    /// How serious `check` reports the edits and findings of each rule stage, where the style
    /// says (`levels`); a `terms` or `avoid` entry's own `level` comes first. Default: none, each
    /// stage's own levels.
    public var levels: [BuiltinStageID: FindingLevel] = [:]
    /// The name a rule stage's edits and findings are reported under instead of its id, where the
    /// style says (`rules`): `contractions: Microsoft.Contractions`, which `housestyle import vale`
    /// writes for a Vale rule that became `contractions`. `--only` and `--skip` take it as well as
    /// the id. `terms` and `avoid` entries name themselves (`rule` of an entry). Default: none.
    public var ruleNames: [BuiltinStageID: String] = [:]
    /// The rules a run selects (`--only`, `--skip`; `selecting(_:)`): the `terms` and `avoid`
    /// stages run only the entries it keeps. Default: every rule.
    public var selection = RuleSelection()
    public var rewrite: RewriteSettings
    public var model: ModelSettings
    public var learned: LearnedSettings
    public var stages: Stages
    /// Text no stage changes: template syntax, maths, the style's own patterns.
    public var ignore = IgnoreSettings()
    /// The folders the style may read files from (its project and what the user allowed): set by
    /// `StyleLoader`, which refuses a style naming a file outside; `nil` for a style made in code.
    public var scope: PathScope?

    /// The folder that relative paths of the loaded style file are resolved against: the parent
    /// of the folder that holds the style file (`styles/acme.yaml` -> `.`).
    public var root: String { chain.first?.root ?? "." }
}

/// One style file of an `extends` chain.
public struct StyleSource: Sendable, Hashable, Codable {
    /// The style's name (`name`, or the file's name without `.yaml`).
    public var name: String
    /// The file's path, as found (relative to the working folder if the user gave it so).
    public var path: String
    /// The repository root its relative paths are resolved against.
    public var root: String

    public init(name: String, path: String, root: String) {
        self.name = name
        self.path = path
        self.root = root
    }
}

/// Text to learn the voice from. Globs are relative to the repository root of the style file
/// that wrote them: the folder that holds `styles/`.
public struct Corpus: Sendable, Hashable {
    /// On-voice text; required to train. Default: none.
    public var voice: [CorpusGlob]
    /// Off-voice text. Default: none.
    public var contrast: [CorpusGlob]
    /// `before<TAB>after` editor revisions. Default: none.
    public var pairs: [CorpusGlob]

    public init(voice: [CorpusGlob] = [], contrast: [CorpusGlob] = [], pairs: [CorpusGlob] = []) {
        self.voice = voice
        self.contrast = contrast
        self.pairs = pairs
    }
}

/// One glob of a corpus list, with the folder it is relative to.
public struct CorpusGlob: Sendable, Hashable {
    public var pattern: String
    /// The repository root of the style file that wrote the glob.
    public var root: String
    /// Where the glob was written.
    public var mark: SourceMark?
    /// The folders its files must be in: the style's project and what the user allowed. Set by
    /// `StyleLoader`; `nil` (a glob made in code) matches files anywhere.
    public var scope: PathScope?

    public init(pattern: String, root: String, mark: SourceMark? = nil, scope: PathScope? = nil) {
        self.pattern = pattern
        self.root = root
        self.mark = mark
        self.scope = scope
    }

    /// The matching files, as paths joined onto `root` (absolute globs stay absolute), sorted.
    ///
    /// - Throws: `OutsideScope` when the glob reaches outside `scope`: its fixed part (`/etc` of
    ///   `/etc/*.conf`, `../..` of `../../**/*.txt`), a folder it goes through or a file it
    ///   matches (a symbolic link out of the project). Nothing outside is ever returned.
    public func files() throws(OutsideScope) -> [String] {
        try checkFixedPart()
        let glob = Glob(pattern)
        var outside: OutsideScope?
        // Every folder the glob lists must be inside, as must every file it matches.
        let listing: ((String) -> Bool)? = scope.map { scope in
            { folder in
                guard outside == nil else { return false }
                let real = PathScope.realPath(folder)
                if scope.containsRealPath(real) { return true }
                outside = OutsideScope(path: Self.display(folder), resolved: real, folder: real, scope: scope)
                return false
            }
        }
        let matches = glob.expand(in: root, listing: listing)
        if let outside { throw outside }
        let files = glob.isAbsolute ? matches : matches.map { root == "." ? $0 : root.hasSuffix("/") ? root + $0 : root + "/" + $0 }
        guard let scope else { return files }
        for file in files {
            let real = PathScope.realPath(file)
            guard scope.containsRealPath(real) else {
                throw OutsideScope(path: file, resolved: real, folder: (real as NSString).deletingLastPathComponent, scope: scope)
            }
        }
        return files
    }

    /// Checks, without listing any folder, that the fixed part of the pattern (the leading
    /// components without a wildcard) lies inside `scope`.
    /// - Throws: `OutsideScope` naming the pattern and where it looks.
    public func checkFixedPart() throws(OutsideScope) {
        guard let scope else { return }
        let glob = Glob(pattern)
        let prefix = glob.literalPrefix
        let base = glob.isAbsolute ? prefix : prefix.isEmpty ? root : (root as NSString).appendingPathComponent(prefix)
        let real = PathScope.realPath(base)
        guard !scope.containsRealPath(real) else { return }
        // A pattern without wildcards names a file (which may not exist yet): allow its folder.
        var isDirectory: ObjCBool = false
        let isFolder = FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory) ? isDirectory.boolValue : !glob.isLiteral
        let folder = isFolder ? real : (real as NSString).deletingLastPathComponent
        throw OutsideScope(path: pattern, resolved: real, folder: folder, scope: scope, isPattern: !glob.isLiteral)
    }

    /// A path of the walk as a person reads it: without a leading `./`.
    private static func display(_ path: String) -> String {
        path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    }
}

/// `terms` entry: write `use` wherever one of `insteadOf` appears.
public struct TermRule: Sendable, Hashable {
    public var use: String
    public var insteadOf: [String]
    /// Whether `insteadOf` matches only with the same letter case. Default: `false`.
    public var caseSensitive: Bool
    /// Why, shown with the edit. Default: none.
    public var note: String?
    /// How serious `check` reports the term's edits. Default: `levels.terms`, else by confidence.
    public var level: FindingLevel?
    /// The name its edits are reported under (`Microsoft.Terms`), which `--only` and `--skip`
    /// select; see `RuleName`. Default: none, `terms`.
    public var rule: String?
    public var mark: SourceMark?

    public init(use: String, insteadOf: [String], caseSensitive: Bool = false, note: String? = nil, level: FindingLevel? = nil,
                rule: String? = nil, mark: SourceMark? = nil) {
        self.use = use
        self.insteadOf = insteadOf
        self.caseSensitive = caseSensitive
        self.note = note
        self.level = level
        self.rule = rule
        self.mark = mark
    }
}

/// `avoid` entry: a word or phrase to avoid, and optionally what to write instead.
public struct AvoidRule: Sendable, Hashable {
    public var word: String
    /// The replacement; without one the word is reported, or deleted where it is a filler.
    public var instead: String?
    /// Why, shown with the edit or finding. Default: none.
    public var note: String?
    /// Whether `word` matches only with the same letter case (a lower-case word also in its
    /// sentence-capitalised form). Default: `false`.
    public var caseSensitive: Bool
    /// Whether the word is only reported: never replaced by `instead`, never deleted. Default: `false`.
    public var reportOnly: Bool
    /// How serious `check` reports the entry's edits and findings. Default: `levels.avoid`, else
    /// the stage's own (warning; a deletion below 0.8 confidence, a suggestion).
    public var level: FindingLevel?
    /// The name its edits and findings are reported under (`Microsoft.Avoid`), which `--only` and
    /// `--skip` select; see `RuleName`. Default: none, `avoid`.
    public var rule: String?
    public var mark: SourceMark?

    public init(word: String, instead: String? = nil, note: String? = nil, caseSensitive: Bool = false, reportOnly: Bool = false,
                level: FindingLevel? = nil, rule: String? = nil, mark: SourceMark? = nil) {
        self.word = word
        self.instead = instead
        self.note = note
        self.caseSensitive = caseSensitive
        self.reportOnly = reportOnly
        self.level = level
        self.rule = rule
        self.mark = mark
    }
}

/// What the rewriter must leave unchanged unless a rule of the style targets it.
public enum PreservedKind: String, Sendable, Hashable, Codable, CaseIterable {
    case numbers, urls, code, entities, negation
}

/// `rewrite` settings for learned edits.
public struct RewriteSettings: Sendable, Hashable {
    /// Learned edits below this confidence are reported, not applied. 0...1, default 0.7.
    public var confidence: Double
    /// A rewritten sentence must keep at least this meaning similarity. 0...1, default 0.85.
    public var minSimilarity: Double
    /// Default: all of `PreservedKind`.
    public var preserve: [PreservedKind]

    public init(confidence: Double = 0.7, minSimilarity: Double = 0.85, preserve: [PreservedKind] = PreservedKind.allCases) {
        self.confidence = confidence
        self.minSimilarity = minSimilarity
        self.preserve = preserve
    }
}

/// `model` settings for `housestyle train`.
public struct ModelSettings: Sendable, Hashable {
    /// Folder of the pre-trained encoder, relative to the repository root. Default: `nil`, the
    /// all-MiniLM-L6-v2 encoder installed by the set-up script (or the parent style's model).
    public var base: String?
    /// Passes over the voice corpus, >= 1. Default: 3.
    public var epochs: Int
    /// Rank of the LoRA adapters, 1...64. Default: 8.
    public var loraRank: Int
    /// AdamW learning rate, > 0. Default: 0.0005.
    public var learningRate: Double
    /// Sentences per step, >= 1. Default: 16.
    public var batchSize: Int
    /// Seed of every random choice, >= 0. Default: 0.
    public var seed: Int
    /// At most this many training sentences are used, >= 1. Default: 20000.
    public var maxSentences: Int
    /// LoRA adapters are trained in this many of the encoder's layers, the top ones; the layers
    /// below are only run forward, which makes a training step cheaper (2 of 6: 8 layer passes
    /// instead of 12). 1...64, at most the encoder's layer count. Default: `nil`, every layer.
    public var loraLayers: Int?

    public init(
        base: String? = nil, epochs: Int = 3, loraRank: Int = 8, learningRate: Double = 0.0005,
        batchSize: Int = 16, seed: Int = 0, maxSentences: Int = 20_000, loraLayers: Int? = nil
    ) {
        self.base = base
        self.epochs = epochs
        self.loraRank = loraRank
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.seed = seed
        self.maxSentences = maxSentences
        self.loraLayers = loraLayers
    }
}

/// `learned` settings: what the learned stage may use, and what it must never do. They act
/// when a trained model is loaded, so changing `sources` or `never` needs no retraining.
public struct LearnedSettings: Sendable, Hashable {
    /// Where learned edits may come from. Default: `LearnedSource.defaults` (all but `vectors`).
    public var sources: [LearnedSource]
    /// Words a learned edit never replaces or introduces, and substitutions it never makes,
    /// parents' entries first. Default: none.
    public var never: [LearnedVeto]
    /// The precision `train` calibrates the confidence of learned edits for. (0, 1], default 0.9.
    public var targetPrecision: Double

    public init(sources: [LearnedSource] = LearnedSource.defaults, never: [LearnedVeto] = [], targetPrecision: Double = 0.9) {
        self.sources = sources
        self.never = never
        self.targetPrecision = targetPrecision
    }
}

/// `learned.sources` entry: one kind of candidate the learned stage may propose.
public enum LearnedSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// Substitutions from editors' revisions (`corpus.pairs`), and their own edits of a sentence
    /// nearly the same as one they revised (`memory`).
    case pairs
    /// Slots filled with what the nearest on-voice sentences say (delete-retrieve-fill).
    case retrieval
    /// Thesaurus synonyms the voice uses.
    case thesaurus
    /// Words the voice uses in similar contexts (word vectors): siblings and antonyms as often as
    /// paraphrases, hence opt-in.
    case vectors

    /// Every source but `vectors`.
    public static let defaults: [LearnedSource] = [.pairs, .retrieval, .thesaurus]

    /// The origins of the edits this source makes: editors' revisions make precise edits, the
    /// alternatives among which the voice scorer chooses, and the edits of the revision of a
    /// nearly identical sentence (each calibrated apart).
    public var origins: [EditOrigin] {
        switch self {
        case .pairs: return [.pair, .pairAlternative, .memory]
        case .retrieval: return [.retrieval]
        case .thesaurus: return [.thesaurus]
        case .vectors: return [.vectors]
        }
    }

    /// Every origin of a learned edit, in the order calibration works through them.
    public static let learnedOrigins: [EditOrigin] = allCases.flatMap(\.origins)
}

/// `learned.never` entry: `word` (a word or phrase) that a learned edit must never replace or
/// introduce, or with `replacement`, the one substitution `word -> replacement` that it must
/// never make. Matched case-insensitively, as whole words.
public struct LearnedVeto: Sendable, Hashable {
    public var word: String
    public var replacement: String?
    public var mark: SourceMark?

    public init(word: String, replacement: String? = nil, mark: SourceMark? = nil) {
        self.word = word
        self.replacement = replacement
        self.mark = mark
    }

    /// Reads `word` or `word -> replacement` (spaces around the arrow optional); nil when a side
    /// of the arrow is blank or there is more than one arrow.
    public init?(parsing text: String, mark: SourceMark? = nil) {
        let sides = text.components(separatedBy: "->").map { $0.trimmingCharacters(in: .whitespaces) }
        guard sides.count <= 2, !sides.contains(where: \.isEmpty) else { return nil }
        self.init(word: sides[0], replacement: sides.count == 2 ? sides[1] : nil, mark: mark)
    }

    /// As written in a style file: `word` or `word -> replacement`.
    public var text: String { replacement.map { "\(word) -> \($0)" } ?? word }
}

/// The stages run before (`pre`) and after (`post`) the learned rewrite.
public struct Stages: Sendable, Hashable {
    public var pre: [StageSpec]
    public var post: [StageSpec]

    /// Default `pre` (normalize, markdown, segment): see `StageRegistry.defaultPre`.
    public static var defaultPre: [StageSpec] { StageRegistry.builtin.defaultPre }
    /// Default `post` (terms, avoid, spelling, contractions, punctuation): the stages that declare
    /// `defaultList` `.post`.
    public static var defaultPost: [StageSpec] { StageRegistry.builtin.defaultPost }

    public init(pre: [StageSpec] = Stages.defaultPre, post: [StageSpec] = Stages.defaultPost) {
        self.pre = pre
        self.post = post
    }

    /// The external stages, `pre` then `post`: the programs the style would run.
    public var commands: [CommandStage] {
        (pre + post).compactMap { if case .command(let command) = $0 { command } else { nil } }
    }
}

/// One entry of a `stages` list.
public enum StageSpec: Sendable, Hashable {
    /// A built-in stage with its options (checked against the stage's `options` when the style
    /// was read), or `nil` for none.
    case builtin(BuiltinStageID, options: StageSettings? = nil)
    /// An external stage: an executable speaking the stage protocol on stdin/stdout.
    case command(CommandStage)

    /// `normalize`, or the command's `name`, or its program.
    public var displayName: String {
        switch self {
        case .builtin(let id, _): return id.rawValue
        case .command(let command): return command.displayName
        }
    }
}

/// `{command: [argv...], timeout: seconds, name: ...}`.
public struct CommandStage: Sendable, Hashable {
    /// The program and its arguments; a relative program path is relative to the repository root.
    public var argv: [String]
    /// Seconds after which the stage is stopped, > 0.
    public var timeout: Double
    /// Shown in messages; default: the program.
    public var name: String?
    public var mark: SourceMark?

    public init(argv: [String], timeout: Double, name: String? = nil, mark: SourceMark? = nil) {
        self.argv = argv
        self.timeout = timeout
        self.name = name
        self.mark = mark
    }

    /// The `name`, or the program.
    public var displayName: String { name ?? argv.first ?? "command" }

    /// `argv` as a POSIX shell would take it, for a reader to review: an argument with anything
    /// but letters, digits and `@%+=:,./_-` is single-quoted (`sh -c 'rm -rf ~'`).
    public var commandLine: String {
        argv.map { argument in
            let plain = !argument.isEmpty && argument.unicodeScalars.allSatisfy {
                ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "@%+=:,./_-".unicodeScalars.contains($0)
            }
            return plain ? argument : "'" + argument.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
        }.joined(separator: " ")
    }
}

/// `ignore` settings: text that is not prose although it is not Markdown markup.
public struct IgnoreSettings: Sendable, Hashable {
    /// Built-in syntaxes to leave alone. Default: `hugo`, `liquid` and `math` (template tags and
    /// formulas are never prose).
    public var presets: [IgnoreRules.Preset]
    /// Regular expressions (ICU syntax); what they match is left alone. Default: none.
    public var inline: [IgnorePattern]
    /// Regions from a line matching `start` to the next line matching `end`. Default: none.
    public var blocks: [IgnoreBlock]

    public static let defaultPresets: [IgnoreRules.Preset] = [.hugo, .liquid, .math]

    public init(presets: [IgnoreRules.Preset] = IgnoreSettings.defaultPresets, inline: [IgnorePattern] = [], blocks: [IgnoreBlock] = []) {
        self.presets = presets
        self.inline = inline
        self.blocks = blocks
    }

    /// The compiled rules (the patterns were checked when the style was read).
    public func rules() -> IgnoreRules {
        IgnoreRules(presets: Set(presets), inline: inline.compactMap { try? $0.compiled() },
                    blocks: blocks.compactMap { block in
                        guard let start = try? block.start.compiled(), let end = try? block.end.compiled() else { return nil }
                        return IgnoreRules.Block(start: start, end: end)
                    })
    }
}

/// A regular expression of `ignore`, with where it was written.
public struct IgnorePattern: Sendable, Hashable {
    public var pattern: String
    public var mark: SourceMark?

    public init(pattern: String, mark: SourceMark? = nil) {
        self.pattern = pattern
        self.mark = mark
    }

    public func compiled() throws -> NSRegularExpression { try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]) }

    public static func == (a: Self, b: Self) -> Bool { a.pattern == b.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}

/// An `ignore.blocks` entry.
public struct IgnoreBlock: Sendable, Hashable {
    public var start: IgnorePattern
    public var end: IgnorePattern

    public init(start: IgnorePattern, end: IgnorePattern) {
        self.start = start
        self.end = end
    }
}
