import Foundation
import HouseStyleNumerics

/// Finds the pre-trained encoder for a style: `model.base` (relative to the style's repository
/// root), else `HOUSESTYLE_BASE_MODEL`, else `.deps/minilm/...` in the style's root or a folder
/// above it, else in the `.deps/` that `Resources` finds (`HOUSESTYLE_DATA`, or the one above the
/// running executable: the checkout housestyle was built in, where `scripts/setup.sh` puts it).
public enum BaseEncoder {
    public static func files(for style: Style, resources: Resources,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws(ModelError) -> BaseModelFiles {
        // A style made by `StyleLoader` was refused already; one made in code has no scope.
        if let outside = style.baseOutsideScope { throw .baseModel(outside.message(keyPath: "model.base")) }
        do {
            if let path = style.basePath {
                return try BaseModelLocator(explicitDirectory: path).locate()
            }
            do {
                return try BaseModelLocator(environment: environment, startDirectory: style.root).locate()
            } catch {
                let fromEnvironment = environment[BaseModelLocator.environmentVariable].map { !$0.isEmpty } ?? false
                let relative = String(BaseModelLocator.defaultRelativePath.dropFirst(".deps/".count))
                if !fromEnvironment, let config = resources.locate(relative + "/config.json") {
                    // The checkout's .deps: where the set-up script installs the pinned package.
                    var files = try BaseModelLocator(explicitDirectory: (config as NSString).deletingLastPathComponent).locate()
                    files.isPinnedPackage = true
                    return files
                }
                throw error
            }
        } catch let error as HouseStyleNumerics.EncoderError {
            throw .baseModel(error.description)
        } catch {
            throw .baseModel("\(error)")
        }
    }
}

extension BaseEncoder {
    /// What a bundle trained with `files` records of them: their source and checksums.
    static func record(_ files: BaseModelFiles) throws(ModelError) -> ModelManifest.BaseModel {
        let checksums: [String: String]
        do { checksums = try files.checksums() } catch { throw .baseModel(error.description) }
        let entries = checksums.keys.sorted().map { name in
            let size = (try? FileManager.default.attributesOfItem(atPath: files.directory + "/" + name)[.size] as? Int) ?? nil
            return ModelManifest.FileEntry(name: name, bytes: size ?? 0, sha256: checksums[name]!)
        }
        return .init(source: files.isPinnedPackage ? BaseModelChecksums.pinnedPackage : "model.base", files: entries)
    }

    /// Checks that `files` are the encoder the bundle of `style` recorded. A bundle without a
    /// record (trained before records were kept) is accepted on the pinned package, whose own
    /// checksums the encoder checks; on another folder it is out of date.
    /// - Throws: `ModelError.baseModelChanged` naming the first file that differs.
    static func verify(_ files: BaseModelFiles, against record: ModelManifest.BaseModel?, style: Style) throws(ModelError) {
        guard let record else {
            if files.isPinnedPackage { return }
            throw .stale(style: style.name, directory: ModelBundle.directory(for: style), reason: VoiceScorerTrainer.unrecordedBase)
        }
        let now: [String: String]
        do { now = try files.checksums() } catch { throw .baseModel(error.description) }
        let trained = Dictionary(record.files.map { ($0.name, $0.sha256) }, uniquingKeysWith: { a, _ in a })
        for name in Set(now.keys).union(trained.keys).sorted() where now[name] != trained[name] {
            throw .baseModelChanged(path: files.directory + "/" + name, trained: trained[name] ?? "none (the file was not there)",
                                    actual: now[name] ?? "missing", style: style.name)
        }
    }
}

/// Fine-tunes the voice scorer during `housestyle train`: LoRA adapters (rank `model.lora_rank`,
/// alpha 2 × rank) on the encoder's query and value projections plus a logistic head, trained to
/// tell on-voice sentences (the voice corpus, the after side of pairs) from off-voice ones (the
/// contrast corpus, the before side of pairs, and `OffVoiceVariants` of the on-voice sentences).
///
/// One sentence in ten (by a seeded hash of its source sentence, so a variant stays with its
/// source) is held out, and the scorer's accuracy on it is reported. `model.max_sentences` caps the
/// training sentences by a seeded sample. With `extends`, training starts from the nearest parent
/// style's adapter (training the parent's bundle first when it is missing or stale).
public struct VoiceScorerTrainer: BundleContributor {
    public static let adapterFile = "voice-adapter.safetensors"
    public static let infoFile = "voice-scorer.json"
    public let name = "voice-scorer"
    public let version = "lora.2"
    /// Why a bundle trained on a `model.base` folder before bundles recorded its checksums is out of date.
    static let unrecordedBase = "it does not record the checksums of the base model in model.base"
    /// Held-out sentences scored for the accuracy, at most.
    public var maximumHeldOut = 2000

    public init() {}

    /// Labelled sentences: 1 on-voice, 0 off-voice.
    public struct Examples: Sendable {
        public var train: [(text: String, label: Float)] = []
        public var heldOut: [(text: String, label: Float)] = []
        public var variants = 0
        public var sampledFrom = 0
    }

    /// The training and held-out sentences for `corpus`, deterministic for a seed.
    package static func examples(corpus: TrainingCorpus, style: Style, variants: OffVoiceVariants,
                                 maximumSentences: Int, maximumHeldOut: Int) -> Examples {
        var result = Examples()
        // (text, label, key): the key decides the split.
        var all: [(String, Float, String)] = []
        var onVoice = Set<String>()
        // The corpus's held-out sentences and pairs are left out: train calibrates learned edits on them.
        for sentence in corpus.voice + corpus.pairs.map(\.after) where onVoice.insert(sentence).inserted {
            all.append((sentence, 1, sentence))
        }
        var offVoice = Set<String>()
        func addOff(_ text: String, key: String) {
            if !onVoice.contains(text) && offVoice.insert(text).inserted { all.append((text, 0, key)) }
        }
        for sentence in corpus.contrast { addOff(sentence, key: sentence) }
        for pair in corpus.pairs { addOff(pair.before, key: pair.after) }
        for sentence in corpus.voice {
            if let variant = variants.variant(of: sentence) {
                let before = offVoice.count
                addOff(variant, key: sentence)
                if offVoice.count > before { result.variants += 1 }
            }
        }
        let seed = UInt64(truncatingIfNeeded: style.model.seed)
        var train: [(text: String, label: Float)] = [], heldOut: [(text: String, label: Float)] = []
        for (text, label, key) in all {
            if all.count >= 40 && FNV1a.hash(key, seed: seed ^ 0x766F_6963_6500) % 10 == 0 {
                heldOut.append((text, label))
            } else {
                train.append((text, label))
            }
        }
        result.sampledFrom = train.count
        var generator = SeededGenerator(seed: seed ^ 0x6361_7000)
        func sample(_ items: inout [(text: String, label: Float)], _ limit: Int) {
            guard items.count > limit else { return }
            var indices = Array(items.indices)
            generator.shuffle(&indices)
            let kept = indices.prefix(limit).sorted()
            items = kept.map { items[$0] }
        }
        sample(&train, maximumSentences)
        sample(&heldOut, maximumHeldOut)
        result.train = train
        result.heldOut = heldOut
        return result
    }

    public func train(_ context: ContributorContext) throws -> BundleContribution {
        let style = context.style
        let encoder = try MiniLMEncoder(files: try BaseEncoder.files(for: style, resources: context.resources))
        let parent = try parentAdapter(of: style, resources: context.resources)

        let spelling = style.spelling == .keep ? [] : ((try? context.resources.spellingPairs()) ?? [])
        let variants = OffVoiceVariants(style: style, spellingPairs: spelling, substitutions: context.statistics.substitutions)
        let examples = Self.examples(corpus: context.corpus, style: style, variants: variants,
                                     maximumSentences: style.model.maxSentences, maximumHeldOut: maximumHeldOut)
        var configuration = TrainingConfiguration()
        configuration.rank = style.model.loraRank
        configuration.alpha = Float(2 * style.model.loraRank)
        configuration.epochs = style.model.epochs
        configuration.batchSize = style.model.batchSize
        configuration.learningRate = Float(style.model.learningRate)
        configuration.seed = UInt64(truncatingIfNeeded: style.model.seed)
        configuration.adaptedLayers = style.model.loraLayers
        if let parent, parent.adapter.rank != configuration.rank {
            throw ModelError.incompatibleParent(style: style.name, parent: parent.style,
                reason: "its adapter has LoRA rank \(parent.adapter.rank) but this style asks for \(configuration.rank)")
        }

        let started = Date()
        var recent: [Float] = []
        let adapter = try AdapterTrainer(encoder: encoder).train(
            onVoice: examples.train.filter { $0.label == 1 }.map(\.text),
            offVoice: examples.train.filter { $0.label == 0 }.map(\.text),
            configuration: configuration, initialAdapter: parent?.adapter
        ) { step in
            recent.append(step.loss)
            if recent.count > 20 { recent.removeFirst() }
            let elapsed = Date().timeIntervalSince(started)
            let loss = recent.reduce(0, +) / Float(recent.count)
            // Sentences seen so far (the last batch of an epoch may be short), per second; the time
            // left is the whole run's, which the progress line adds from the fraction done.
            let seen = min(step.step * configuration.batchSize, examples.train.count * configuration.epochs)
            let rate = elapsed > 0 ? Double(seen) / elapsed : 0
            context.progress(String(format: "voice scorer: epoch %d/%d, step %d/%d, %.0f sentences/s, loss %.3f",
                                    step.epoch + 1, configuration.epochs, step.step, step.totalSteps, rate, loss),
                             Double(step.step) / Double(step.totalSteps))
        }

        var metrics: [String: Double] = [
            "voice_scorer_train_sentences": Double(examples.train.count),
            "voice_scorer_train_on_voice": Double(examples.train.filter { $0.label == 1 }.count),
            "voice_scorer_off_voice_variants": Double(examples.variants),
            "voice_scorer_held_out_sentences": Double(examples.heldOut.count),
        ]
        let stepsPerEpoch = max(1, (examples.train.count + configuration.batchSize - 1) / configuration.batchSize)
        let lastEpoch = adapter.trainingLosses.suffix(stepsPerEpoch)
        if !lastEpoch.isEmpty { metrics["voice_scorer_last_epoch_loss"] = Self.rounded(Double(lastEpoch.reduce(0, +)) / Double(lastEpoch.count)) }
        var accuracy: Double?
        if !examples.heldOut.isEmpty {
            context.progress("voice scorer: held-out accuracy", 1)
            let scorer = try VoiceScorer(encoder: encoder, adapter: adapter, precision: NeuralVoice.inferencePrecision)
            let scores = scorer.scores(examples.heldOut.map(\.text))
            let correct = zip(scores, examples.heldOut).filter { ($0 >= 0.5) == ($1.label == 1) }.count
            accuracy = Self.rounded(Double(correct) / Double(examples.heldOut.count))
            metrics["voice_scorer_held_out_accuracy"] = accuracy
        }

        let adapterBytes = adapter.serialized()
        var info: [String: String] = [
            "base_model": BaseModelLocator.modelID, "lora_rank": String(configuration.rank), "lora_alpha": "\(configuration.alpha)",
            "lora_targets": "query,value", "epochs": String(configuration.epochs), "batch_size": String(configuration.batchSize),
            "learning_rate": "\(configuration.learningRate)", "seed": String(configuration.seed),
            "max_sentences": String(style.model.maxSentences), "adapter_sha256": SHA256.hex(Data(adapterBytes)),
        ]
        if let layers = configuration.adaptedLayers { info["lora_layers"] = String(layers) }
        if let parent {
            info["parent_style"] = parent.style
            info["parent_adapter_sha256"] = parent.sha256
        }
        let encoderJSON = JSONEncoder()
        encoderJSON.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let infoBytes = [UInt8]((try? encoderJSON.encode(info)) ?? Data()) + [10]

        var report = "## Voice scorer (fine-tuned \(BaseModelLocator.modelID))\n\n"
        report += "LoRA rank \(configuration.rank) on the query and value projections of "
            + (configuration.adaptedLayers.map { "the top \($0) layer(s)" } ?? "every layer") + ", plus a logistic head; "
        report += "\(configuration.epochs) epoch(s), batch \(configuration.batchSize), learning rate \(configuration.learningRate), seed \(configuration.seed).\n"
        report += parent.map { "Started from the adapter of the parent style '\($0.style)' (SHA-256 \($0.sha256.prefix(12))…).\n" } ?? "Started from the pre-trained encoder.\n"
        report += "\n- training sentences: \(examples.train.count) (\(Int(metrics["voice_scorer_train_on_voice"]!)) on-voice)"
        if examples.sampledFrom > examples.train.count { report += ", a seeded sample of \(examples.sampledFrom) (model.max_sentences)" }
        report += "\n- off-voice variants of voice sentences (the style's rules and learned substitutions reversed): \(examples.variants)\n"
        report += "- held-out sentences: \(examples.heldOut.count); accuracy: \(accuracy.map { String(format: "%.3f", $0) } ?? "n/a (corpus too small to hold any out)")\n"
        if let loss = metrics["voice_scorer_last_epoch_loss"] { report += "- mean training loss in the last epoch: \(String(format: "%.3f", loss))\n" }
        return BundleContribution(files: [(Self.adapterFile, adapterBytes), (Self.infoFile, infoBytes)], metrics: metrics, report: report)
    }

    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    /// A child style's scorer is out of date when the parent it would start from now is another
    /// one, is out of date itself, or has another adapter than the one it started from.
    public func staleness(of style: Style, bundle directory: String) throws -> String? {
        let path = (directory as NSString).appendingPathComponent(Self.infoFile)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }  // no scorer in this bundle
        if style.basePath != nil, try ModelBundle.readManifest(in: directory).baseModel == nil { return Self.unrecordedBase }
        let info = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        let recordedParent = info["parent_style"] as? String
        guard let parent = try nearestParentWithVoice(of: style, checksCorpusFiles: false) else {
            return recordedParent.map { "its scorer started from the adapter of '\($0)', which is no longer a parent with a voice corpus" }
        }
        guard let recordedParent else { return "the parent style '\(parent.name)' has a voice corpus now" }
        guard recordedParent == parent.name else { return "its parent style with a voice corpus is now '\(parent.name)', not '\(recordedParent)'" }
        switch try ModelBundle.status(of: parent, recipe: ModelRecipe(contributors: [self])) {
        case .missing:
            // A deployed child bundle (models/<child>/ shipped without the parent's model or
            // corpus, as to Spark executors) carries its own adapter and is complete.
            if try CorpusReader.expand(parent.corpus.voice, role: .voice).isEmpty { return nil }
            return "the parent style '\(parent.name)' has no model"
        case .stale(let reason): return "the parent style '\(parent.name)' is out of date: \(reason)"
        case .current: break
        }
        let manifest = try ModelBundle.readManifest(in: ModelBundle.directory(for: parent))
        guard manifest.files.first(where: { $0.name == Self.adapterFile })?.sha256 == info["parent_adapter_sha256"] as? String else {
            return "the adapter of the parent style '\(parent.name)' changed"
        }
        return nil
    }

    /// The nearest style up the `extends` chain that has a voice corpus (whose files must exist
    /// when `checksCorpusFiles`).
    func nearestParentWithVoice(of style: Style, checksCorpusFiles: Bool = true) throws -> Style? {
        for source in style.chain.dropFirst() {
            // In the child's scope: the parent's files are read for the child's run.
            var loader = StyleLoader(checksCorpusFiles: checksCorpusFiles)
            loader.scope = style.scope
            let parent = try loader.load(path: source.path)
            if !parent.corpus.voice.isEmpty { return parent }
        }
        return nil
    }

    /// The adapter of the nearest style up the `extends` chain that has a voice corpus, trained
    /// first if its bundle is missing or stale. Nil when no parent has a voice corpus.
    func parentAdapter(of style: Style, resources: Resources) throws -> (style: String, adapter: Adapter, sha256: String)? {
        guard let parent = try nearestParentWithVoice(of: style) else { return nil }
        // The parent is trained by the recipe of this scorer alone (its statistics and its scorer).
        let recipe = ModelRecipe(contributors: [self])
        if try ModelBundle.status(of: parent, recipe: recipe) != .current {
            _ = try Trainer(style: parent, resources: Resources(styleRoot: parent.root), recipe: recipe).train()
        }
        let directory = ModelBundle.directory(for: parent)
        let manifest = try ModelBundle.readManifest(in: directory)
        try ModelBundle.verify(manifest, in: directory)
        guard let entry = manifest.files.first(where: { $0.name == Self.adapterFile }) else {
            throw ModelError.corrupt(path: (directory as NSString).appendingPathComponent("manifest.json"), reason: "it does not list \(Self.adapterFile)")
        }
        let adapter = try Adapter(contentsOf: (directory as NSString).appendingPathComponent(Self.adapterFile))
        return (parent.name, adapter, entry.sha256)
    }
}

/// The fine-tuned voice scorer and the frozen encoder, as rewriting uses them: how on-voice a
/// sentence is, and how close in meaning two sentences are.
public final class NeuralVoice: Sendable {
    public let encoder: MiniLMEncoder
    public let scorer: VoiceScorer
    /// The direction that separates the voice from the contrast in the frozen encoder's space;
    /// the meaning guard leaves it out (nil: a bundle without one, where similarity is plain cosine).
    package let axis: VoiceAxis?

    /// The precision of the scorer's and the frozen encoder's products with the pre-trained weights.
    package let precision: ProjectionPrecision

    /// What rewriting, `score`, `check` and `train`'s calibration run: int8 (`ProjectionPrecision.int8`,
    /// twice the learned stage's bf16 rate on AVX512-VNNI; BENCHMARKS, session 58). A bundle is
    /// calibrated with these scores, so no setting changes it; only `housestyle-bench learned
    /// --precision bf16` sets it, before loading a bundle, to time the bf16 peer.
    nonisolated(unsafe) package static var inferencePrecision: ProjectionPrecision = .int8

    package init(encoder: MiniLMEncoder, adapter: Adapter, source: String, axis: VoiceAxis? = nil,
                 precision: ProjectionPrecision = NeuralVoice.inferencePrecision) throws {
        self.encoder = encoder
        self.precision = precision
        scorer = try VoiceScorer(encoder: encoder, adapter: adapter, source: source, precision: precision)
        self.axis = axis
    }

    /// The scorer of a bundle that has one, or nil for a statistics-only bundle. Only
    /// `ModelBundle.load(_:recipe:resources:)` calls it, after checking the bundle's recipe and files.
    /// - Throws: `ModelError.baseModel` when the bundle has a scorer but the base encoder is not installed.
    static func load(_ style: Style, resources: Resources) throws(ModelError) -> NeuralVoice? {
        let directory = ModelBundle.directory(for: style)
        let manifest = try ModelBundle.readManifest(in: directory)
        guard manifest.files.contains(where: { $0.name == VoiceScorerTrainer.adapterFile }) else { return nil }
        let files: BaseModelFiles
        do { files = try BaseEncoder.files(for: style, resources: resources) } catch {
            throw .voiceScorerNeedsBaseModel(style: style.name, reason: error.description)
        }
        try BaseEncoder.verify(files, against: manifest.baseModel, style: style)
        let path = (directory as NSString).appendingPathComponent(VoiceScorerTrainer.adapterFile)
        do {
            let encoder = try MiniLMEncoder(files: files)
            let axis = manifest.files.contains { $0.name == VoiceAxis.file } ? try VoiceAxis.load(directory, dimension: encoder.dimension) : nil
            return try NeuralVoice(encoder: encoder, adapter: Adapter(contentsOf: path), source: path, axis: axis)
        } catch let error as ModelError {
            throw error
        } catch let error as HouseStyleNumerics.EncoderError {
            throw .baseModel(error.description)
        } catch {
            throw .baseModel("\(error)")
        }
    }

    /// What the scorer and the encoder say about rewriting `before` as `after`.
    public struct Comparison: Sendable, Hashable {
        /// P(on-voice) of each sentence.
        public var voiceBefore: Double, voiceAfter: Double
        /// logit(after) − logit(before): the voice gain in nats.
        public var logitGain: Double
        /// Cosine similarity of the frozen encoder's embeddings with the voice axis left out
        /// (`VoiceAxis.similarity`): how close the two are in what they say, not in how they sound.
        public var similarity: Double

        /// The similarity the meaning guard asks of this edit when the style asks `minimum`.
        /// An edit that by itself carries the sentence across into the voice (the scorer's
        /// P(on-voice) from below one half to at least one half) changes how the sentence sounds,
        /// and the frozen encoder's embedding moves with that change in more directions than the
        /// one axis left out ("bad !" -> "great !" keeps 0.45): the share of the verdict it moves,
        /// `voiceAfter − voiceBefore`, is the share of the change the voice explains, and the guard
        /// asks `minimum × (1 − that share)` of the rest. An edit that leaves the verdict on the
        /// same side (a topic swap the scorer hardly notices: "they deserve a star" -> "a price")
        /// must keep `minimum` itself.
        public func requiredSimilarity(_ minimum: Double) -> Double {
            guard voiceBefore < 0.5, voiceAfter >= 0.5 else { return minimum }
            return minimum * (1 - (voiceAfter - voiceBefore))
        }
    }

    /// Compares each pair; all sentences go through the encoder in one batched call per model.
    public func compare(_ pairs: [(before: String, after: String)]) -> [Comparison] {
        guard !pairs.isEmpty else { return [] }
        return onOneBLASThread { compareLocked(pairs) }
    }

    private func compareLocked(_ pairs: [(before: String, after: String)]) -> [Comparison] {
        // Sentences seen before (a rewrite's later passes, a sentence repeated across files, one
        // `voiceScores` scored) come from the cache; the rest go through the encoder in one batch
        // per model: the frozen encoder for the sentences without an embedding, the scorer for
        // those without a score. Each sentence's result does not depend on the batch it is in.
        var known: [String: Judged] = [:]
        var missing: [String] = [], queued = Set<String>()
        for pair in pairs {
            for sentence in [pair.before, pair.after] where known[sentence] == nil {
                if let cached = cache[sentence], cached.embedding != nil {
                    known[sentence] = cached
                } else if queued.insert(sentence).inserted {
                    missing.append(sentence)
                }
            }
        }
        if !missing.isEmpty {
            let embeddings = encoder.embed(missing, precision: precision)
            let unscored = missing.filter { cache[$0] == nil }
            var scored: [String: Double] = [:]
            for (sentence, score) in zip(unscored, scorer.scores(unscored)) { scored[sentence] = Double(score) }
            let voices = missing.map { scored[$0] ?? cache[$0]!.voice }
            remember(missing.count)
            for (i, sentence) in missing.enumerated() {
                let judged = Judged(embedding: embeddings[i], voice: voices[i])
                known[sentence] = judged
                cache[sentence] = judged
            }
        }
        func logit(_ p: Double) -> Double { let q = min(max(p, 1e-7), 1 - 1e-7); return log(q / (1 - q)) }
        return pairs.map { pair in
            let (b, a) = (known[pair.before]!, known[pair.after]!)
            let (before, after) = (b.embedding!, a.embedding!)
            return Comparison(voiceBefore: b.voice, voiceAfter: a.voice, logitGain: logit(a.voice) - logit(b.voice),
                              similarity: Double(axis.map { $0.similarity(before, after) } ?? MiniLMEncoder.similarity(before, after)))
        }
    }

    /// P(on-voice) of each sentence, in 0...1. Sentences `compare` or this judged before come from
    /// the cache; the others go through the scorer once each, in one batched call, on one BLAS
    /// thread as in `compare` so that a score does not depend on the machine. No embeddings are
    /// computed: `compare` computes a sentence's embedding when it first needs it, and reuses the score.
    public func voiceScores(_ sentences: [String]) -> [Double] {
        guard !sentences.isEmpty else { return [] }
        return onOneBLASThread {
            var known: [String: Double] = [:]
            var missing: [String] = [], queued = Set<String>()
            for sentence in sentences {
                if let cached = cache[sentence] { known[sentence] = cached.voice } else if queued.insert(sentence).inserted { missing.append(sentence) }
            }
            let scores = scorer.scores(missing)
            remember(missing.count)
            for (sentence, score) in zip(missing, scores) {
                known[sentence] = Double(score)
                cache[sentence] = Judged(embedding: nil, voice: Double(score))
            }
            return sentences.map { known[$0]! }
        }
    }

    /// Makes room in the cache for `count` new sentences (it is emptied when full). Holding `blasLock`.
    private func remember(_ count: Int) {
        if cache.count + count > Self.cacheCapacity { cache.removeAll(keepingCapacity: true) }
    }

    /// Runs `body` holding `blasLock`, with OpenBLAS on one thread. OpenBLAS splits a product
    /// differently for different thread counts, which changes the last bits of its results; a
    /// rewrite or a score must not depend on where it runs (a laptop, a Spark executor with
    /// OMP_NUM_THREADS=1), so the scorer's products run on one thread.
    private func onOneBLASThread<T>(_ body: () -> T) -> T {
        Self.blasLock.lock()
        let threads = BLAS.threadCount
        BLAS.threadCount = 1
        defer {
            BLAS.threadCount = threads
            Self.blasLock.unlock()
        }
        return body()
    }

    private struct Judged { var embedding: [Float]?; var voice: Double }
    /// Sentence -> voice score and, once `compare` needed it, the frozen encoder's embedding; guarded by `blasLock`.
    nonisolated(unsafe) private var cache: [String: Judged] = [:]
    private static let cacheCapacity = 20_000
    private static let blasLock = NSLock()
}
