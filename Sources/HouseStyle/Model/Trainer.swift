import Foundation
import HouseStyleText
import HouseStyleNumerics

/// Trains a style model by its recipe and writes `models/<style>/`.
public struct Trainer {
    public let style: Style
    public let resources: Resources
    /// What is trained; `ModelBundle.status(of:recipe:)` judges the bundle against the same value.
    public var recipe: ModelRecipe
    /// The recipe's language model order.
    public var languageModelOrder: Int {
        get { recipe.languageModelOrder }
        set { recipe.languageModelOrder = newValue }
    }
    /// The recipe's other learners whose files join the bundle (see `BundleContributor`).
    public var contributors: [any BundleContributor] {
        get { recipe.contributors }
        set { recipe.contributors = newValue }
    }

    /// - Parameter recipe: what to train; by default the statistics alone.
    public init(style: Style, resources: Resources, recipe: ModelRecipe = .statisticsOnly) {
        self.style = style
        self.resources = resources
        self.recipe = recipe
    }

    /// What a training run produced.
    public struct Summary: Sendable {
        public var directory: String
        public var manifest: ModelManifest
        public var warnings: [CorpusWarning]
    }

    /// Trains and writes the bundle atomically. The steps, in order: read the corpora, count the
    /// statistics (`countStatistics`), learn substitutions, write the statistics to a staging
    /// folder and evaluate them, train the recipe's contributors, calibrate (`calibrate`), then
    /// write the manifest and replace the bundle.
    /// - Parameter progress: called with a step name and the fraction of the run done (0...1),
    ///   each step weighted by its expected cost (`TrainingEstimate` of the corpus read), so that
    ///   time extrapolated from the fraction does not jump between steps.
    public func train(progress reportProgress: (String, Double) -> Void = { _, _ in }) throws(ModelError) -> Summary {
        var estimate: TrainingEstimate?
        /// A step of the statistics, at `fraction` of their own work: neighbour mining comes
        /// between their first 60% and the rest.
        func progress(_ step: String, _ fraction: Double) {
            guard let estimate, fraction < 1 else { return reportProgress(step, fraction >= 1 ? 1 : 0) }
            let statistics = estimate.seconds[.statistics] ?? 0, neighbours = estimate.seconds[.neighbours] ?? 0
            let position = statistics * fraction + (fraction > 0.6 ? neighbours : 0)
            reportProgress(step, estimate.total > 0 ? min(position / estimate.total, 1) : 0)
        }
        progress("reading the corpora", 0)
        let fingerprints = try ModelBundle.fingerprints(of: style)
        let corpus: TrainingCorpus
        do { corpus = try CorpusReader(seed: style.model.seed).read(style) } catch { throw .corpus(error) }
        estimate = TrainingEstimate(corpus: corpus, style: style, recipe: recipe)

        let statistics = try countStatistics(of: corpus, progress: progress)
        let (tokenizer, vocabulary, tables, referenceName) = (statistics.tokenizer, statistics.vocabulary, statistics.languageModel, statistics.referenceName)
        let (voiceIDs, contrastIDs, pairBeforeIDs, pairAfterIDs) = (statistics.voiceIDs, statistics.contrastIDs, statistics.pairBeforeIDs, statistics.pairAfterIDs)
        let (salience, onVoice, offVoice) = (statistics.salience, statistics.onVoice, statistics.offVoice)
        let markerThreshold = ModelRecipe.Tuning.markerZ

        let directory = ModelBundle.directory(for: style)
        var files: [(name: String, bytes: [UInt8])] = [
            (StyleModel.vocabularyFile, Array(vocabulary.tokens.map { $0 + "\n" }.joined().utf8)),
            (StyleModel.languageModelFile, tables.serialized()),
        ]
        let staging = try ModelBundle.stage(files: files, for: directory)
        var heldOutNeighbours: [NeighbourMiner.Mined] = []
        var neighbourPairs = 0
        var minedNeighbours = false
        var voiceAxis: VoiceAxis?
        do throws(ModelError) {
            let languageModel = try LanguageModel(path: (staging as NSString).appendingPathComponent(StyleModel.languageModelFile))

            progress("substitutions", 0.55)
            var unigramSalience: [String: SalienceEntry] = [:]
            for entry in salience where entry.ngram.count == 1 { unigramSalience[vocabulary.tokens[Int(entry.ngram[0])]] = entry }
            var unigramSalienceByID = [Float](repeating: 0, count: vocabulary.count)
            for entry in salience where entry.ngram.count == 1 { unigramSalienceByID[Int(entry.ngram[0])] = Float(entry.z) }
            let properNames = Self.capitalisedMidSentence(corpus.voice + corpus.pairs.map(\.after), tokenizer: tokenizer)
            var substitutions = SubstitutionLearner.fromPairs(corpus.pairs, tokenizer: tokenizer, properNames: properNames)
            // Neighbour pairs: needs the frozen encoder, which a bundle with a voice scorer has anyway.
            if !contributors.isEmpty && !corpus.voice.isEmpty && !corpus.contrast.isEmpty {
                progress("mining neighbour pairs with the encoder", 0.6)
                let mined = try mineNeighbours(corpus: corpus, tokenizer: tokenizer)
                heldOutNeighbours = mined.heldOut
                minedNeighbours = true
                voiceAxis = mined.axis
                if let axis = mined.axis {
                    let file = (name: VoiceAxis.file, bytes: Array(Self.json(axis)))
                    try ModelBundle.add(files: [file], to: staging)
                    files.append(file)
                }
                substitutions += SubstitutionLearner.fromNeighbours(mined.train, tokenizer: tokenizer, properNames: properNames)
                neighbourPairs = mined.train.count
            }
            progress("substitutions", 0.65)
            let vectors = WordVectors(sentences: voiceIDs + contrastIDs, vocabularySize: vocabulary.count, seed: UInt64(style.model.seed))
            let thesaurus = Thesaurus()
            if let thesaurus {
                // Synonyms of some sense of the word, that the voice model prefers in context, and that
                // the corpora use in similar contexts (when both words have vectors).
                let candidates = SubstitutionLearner.fromThesaurus(thesaurus, offVoice: Array(offVoice.prefix(ModelRecipe.Tuning.offVoiceMarkersConsidered)),
                                                                   salience: unigramSalience, vocabulary: vocabulary)
                    .filter { s in (vectors.cosine(vocabulary.id(s.before[0]), vocabulary.id(s.afterText)) ?? 0) >= ModelRecipe.Tuning.thesaurusContextCosine }
                substitutions += SubstitutionLearner.filterByLanguageModel(candidates, model: languageModel, vocabulary: vocabulary,
                    contexts: contrastIDs + pairBeforeIDs + voiceIDs)
            }
            let lowerNames = Set(properNames.map { $0.lowercased() })
            substitutions += SubstitutionLearner.fromRetrieval(voice: voiceIDs + pairAfterIDs, contrast: contrastIDs + pairBeforeIDs,
                offVoice: offVoice.filter { $0.ngram.count <= 2 }, unigramZ: { Double(unigramSalienceByID[Int($0)]) },
                vocabulary: vocabulary, properNames: lowerNames, thesaurus: thesaurus, vectors: vectors)
            substitutions += SubstitutionLearner.fromCorpora(vectors: vectors, vocabulary: vocabulary,
                offVoice: Array(offVoice.prefix(ModelRecipe.Tuning.offVoiceMarkersConsidered)),
                onVoice: Array(onVoice.prefix(ModelRecipe.Tuning.onVoiceMarkersConsidered)))
            // Learned edits act at off-voice sites only: some word of `before` must lean off-voice
            // (an editors' insertion is anchored on ordinary words and needs no such site).
            substitutions = substitutions.filter { s in
                let insertion = s.origin == .pair && s.after.count > s.before.count && s.after.first == s.before.first && s.after.last == s.before.last
                return (insertion || s.before.contains { (unigramSalience[$0]?.z ?? 0) <= -SubstitutionLearner.siteThreshold })
                    && !(s.after.isEmpty && s.before.allSatisfy(functionWords.contains))
                    && !SubstitutionLearner.producesFragment(before: s.before, after: s.after)
            }
            // One substitution per (before, after): pairs first, then neighbour pairs, thesaurus, retrieval, vectors.
            var seen = Set<[String]>()
            substitutions = substitutions.filter { seen.insert($0.before + ["→"] + $0.after).inserted }

            progress("writing the bundle", 0.8)
            let shown = salience.filter { abs($0.z) >= ModelRecipe.Tuning.listedSalienceZ }
            let learned: [(name: String, bytes: [UInt8])] = [
                (StyleModel.salienceFile, Array((["ngram\tz\tvoice\tcontrast"] + shown.map {
                    "\(vocabulary.phrase($0.ngram))\t\(String(format: "%.4f", $0.z))\t\($0.voiceCount)\t\($0.contrastCount)"
                }).map { $0 + "\n" }.joined().utf8)),
                (StyleModel.substitutionsFile, Array(([Substitution.tsvHeader] + substitutions.map(\.tsvLine)).map { $0 + "\n" }.joined().utf8)),
            ]
            try ModelBundle.add(files: learned, to: staging)
            files += learned
            let model = try StyleModel(directory: staging)
            progress("evaluating on held-out text", 0.9)
            let perplexity = model.languageModel.perplexity(corpus.voiceHeldOut.map { tokenizer.tokens($0).map(vocabulary.id) })
            let evaluation = try Self.evaluate(model, on: corpus.contrastHeldOut, style: style)
            var metrics: [String: Double] = [
                "voice_sentences": Double(corpus.voice.count), "voice_held_out_sentences": Double(corpus.voiceHeldOut.count),
                "contrast_sentences": Double(corpus.contrast.count), "contrast_held_out_sentences": Double(corpus.contrastHeldOut.count),
                "pairs": Double(corpus.pairs.count), "neighbour_pairs": Double(neighbourPairs), "vocabulary": Double(vocabulary.count),
                "on_voice_markers": Double(onVoice.count), "off_voice_markers": Double(offVoice.count),
                "substitutions_pair": Double(substitutions.filter { $0.origin == .pair }.count),
                "substitutions_thesaurus": Double(substitutions.filter { $0.origin == .thesaurus }.count),
                "substitutions_vectors": Double(substitutions.filter { $0.origin == .vectors }.count),
                "substitutions_retrieval": Double(substitutions.filter { $0.origin == .retrieval }.count),
                "held_out_contrast_edits_applied": Double(evaluation.applied), "held_out_contrast_edits_reported": Double(evaluation.reported),
                "held_out_contrast_sentences_edited": Double(evaluation.sentencesEdited),
            ]
            for n in 2...tables.order { metrics["lm_\(n)grams"] = Double(tables.keys[n - 2].count) }
            if perplexity.isFinite { metrics["voice_held_out_perplexity"] = (perplexity * 100).rounded() / 100 }
            var report = Report.markdown(style: style, vocabulary: vocabulary, onVoice: onVoice, offVoice: offVoice,
                substitutions: substitutions, metrics: metrics, evaluation: evaluation, referenceName: referenceName,
                thesaurusFound: thesaurus != nil, warnings: corpus.warnings)
            if let voiceAxis {
                report += "\n## Meaning guard\n\nThe meaning guard (`rewrite.min_similarity`) compares a sentence before and after an edit with the "
                    + "voice axis left out: the direction from the contrast corpus's mean sentence embedding to the voice corpus's (the two means are "
                    + String(format: "%.3f", voiceAxis.separation) + " apart). A move towards the voice is what an edit is for; what a sentence says "
                    + "lies across the axis and counts in full.\n"
            }
            // Other learners (the neural voice scorer) add their files and metrics to the same bundle.
            // They share the scorer's part of the progress range.
            for (index, contributor) in contributors.enumerated() {
                let weights = estimate ?? TrainingEstimate(corpus: corpus, style: style, recipe: recipe)
                let start = weights.fraction(.scorer, Double(index) / Double(contributors.count))
                let share = weights.fraction(.scorer, Double(index + 1) / Double(contributors.count)) - start
                reportProgress("training \(contributor.name)", start)
                let trained: Result<BundleContribution, any Error> = withoutActuallyEscaping(reportProgress) { escapable in
                    let context = ContributorContext(corpus: corpus, style: style, statistics: model, resources: resources) { step, fraction in
                        escapable(step, start + share * min(max(fraction, 0), 1))
                    }
                    return Result { try contributor.train(context) }
                }
                let contribution: BundleContribution
                switch trained {
                case .success(let value): contribution = value
                case .failure(let error as ModelError): throw error
                case .failure(let error): throw ModelError.contributorFailed(name: contributor.name, reason: "\(error)")
                }
                if !contribution.report.isEmpty { report += "\n" + contribution.report }
                for file in contribution.files where files.contains(where: { $0.name == file.name }) || ["manifest.json", "report.md"].contains(file.name) {
                    throw ModelError.contributorFailed(name: contributor.name, reason: "file name '\(file.name)' is already taken")
                }
                try ModelBundle.add(files: contribution.files, to: staging)
                files += contribution.files
                metrics.merge(contribution.metrics) { old, _ in old }
            }
            if !corpus.pairsHeldOut.isEmpty {
                // The held-out editor revisions, for `housestyle eval STYLE --held-out`.
                let clean = { (text: String) in text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
                let heldOut = (name: ModelBundle.heldOutPairsFile, bytes: Array(corpus.pairsHeldOut.map { clean($0.before) + "\t" + clean($0.after) + "\n" }.joined().utf8))
                try ModelBundle.add(files: [heldOut], to: staging)
                files.append(heldOut)
            }
            reportProgress("calibrating learned edits on held-out material", estimate?.fraction(.calibration, 0) ?? 0)
            if let calibration = try calibrate(staging: staging, corpus: corpus, neighbours: heldOutNeighbours, tokenizer: tokenizer,
                                               hasScorer: files.contains { $0.name == VoiceScorerTrainer.adapterFile }) {
                let calibrationFile = (name: Calibration.file, bytes: Array(Self.json(calibration)))
                try ModelBundle.add(files: [calibrationFile], to: staging)
                files.append(calibrationFile)
                metrics.merge(Self.metrics(calibration)) { old, _ in old }
                report += "\n" + Report.calibration(calibration)
            } else {
                report += "\n## Calibration of learned edits\n\nThe corpora are too small to hold any material out (40 sentences or pairs of each kind are needed), "
                    + "so learned edits are not calibrated: only editors' own revisions (pair edits) are applied, at `rewrite.confidence`; the rest are findings.\n"
            }
            // The encoder training used, to check on load that rewriting uses the same one.
            let usedEncoder = minedNeighbours || files.contains { $0.name == VoiceScorerTrainer.adapterFile }
            let baseModel = usedEncoder ? try BaseEncoder.record(BaseEncoder.files(for: style, resources: resources)) : nil
            let manifest = ModelManifest(format: ModelManifest.format, formatVersion: ModelManifest.formatVersion, style: style.name,
                codeVersion: recipe.codeVersion, fingerprints: fingerprints,
                settings: ["lm_order": String(tables.order), "seed": String(style.model.seed), "reference": referenceName,
                           "held_out_share": "1/20", "marker_z": String(markerThreshold), "confidence": String(style.rewrite.confidence),
                           "preserve": style.rewrite.preserve.map(\.rawValue).joined(separator: ",")],
                metrics: metrics,
                files: files.map { .init(name: $0.name, bytes: $0.bytes.count, sha256: SHA256.hex($0.bytes)) }, baseModel: baseModel)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let manifestData = (try? encoder.encode(manifest)) ?? Data()
            files = [("manifest.json", [UInt8](manifestData) + [10]), ("report.md", Array(report.utf8))]
            try ModelBundle.add(files: files, to: staging)
            try ModelBundle.commit(staging, to: directory)
            progress("done", 1)
            return Summary(directory: directory, manifest: manifest, warnings: corpus.warnings)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    /// The statistics of a corpus, the first step of the recipe: the vocabulary, the corpora as
    /// token ids, n-gram salience of the voice against the contrast text (or general English),
    /// the markers of either side, and the voice's language model.
    struct Statistics {
        var tokenizer: ModelTokenizer
        var vocabulary: Vocabulary
        /// Voice and contrast sentences, and each editor pair's sides, as token ids.
        var voiceIDs: [[UInt32]], contrastIDs: [[UInt32]], pairBeforeIDs: [[UInt32]], pairAfterIDs: [[UInt32]]
        /// Where the reference frequencies came from (`corpus.contrast` or general English).
        var referenceName: String
        var salience: [SalienceEntry]
        /// On-voice and off-voice markers (`ModelRecipe.Tuning.markerZ`), most salient first.
        var onVoice: [SalienceEntry], offVoice: [SalienceEntry]
        var languageModel: LanguageModelTables
    }

    /// Counts and scores the corpus (steps "tokenising" to "language model").
    func countStatistics(of corpus: TrainingCorpus, progress: (String, Double) -> Void) throws(ModelError) -> Statistics {
        progress("tokenising", 0.15)
        let tokenizer: ModelTokenizer
        do { tokenizer = try ModelTokenizer(locale: style.locale) } catch { throw .corpus(.unreadable(path: "<locale \(style.locale)>", reason: "\(error)")) }
        let voiceTokens = corpus.voice.map(tokenizer.tokens)
        let contrastTokens = corpus.contrast.map(tokenizer.tokens)
        var frequency: [String: Int] = [:]
        for sentence in voiceTokens + contrastTokens { for token in sentence { frequency[token, default: 0] += 1 } }
        for pair in corpus.pairs { for token in tokenizer.tokens(pair.before) + tokenizer.tokens(pair.after) { frequency[token, default: 0] += 1 } }
        let vocabulary = Vocabulary(counting: frequency)
        let voiceIDs = voiceTokens.map { $0.map(vocabulary.id) }
        let contrastIDs = contrastTokens.map { $0.map(vocabulary.id) }

        progress("counting n-grams", 0.3)
        // Editors' revisions count too: the before side is off-voice text, the after side on-voice.
        let pairBeforeIDs = corpus.pairs.map { tokenizer.tokens($0.before).map(vocabulary.id) }
        let pairAfterIDs = corpus.pairs.map { tokenizer.tokens($0.after).map(vocabulary.id) }
        var voiceCounts = NGramCounts(maxOrder: 3)
        for sentence in voiceIDs + pairAfterIDs { voiceCounts.add(sentence) }
        var contrastCounts: NGramCounts?
        var referenceName = "corpus.contrast"
        var reference: [Double]
        if contrastIDs.isEmpty && pairBeforeIDs.isEmpty {
            let english = try loadReference()
            referenceName = "wordfreq 3.1.1 large_en (general English)"
            reference = vocabulary.tokens.map { english.frequencies[$0] ?? 0 }
        } else {
            var counts = NGramCounts(maxOrder: 3)
            for sentence in contrastIDs + pairBeforeIDs { counts.add(sentence) }
            contrastCounts = counts
            reference = [Double](repeating: 0, count: vocabulary.count)
            for (key, count) in counts.tables[0] { reference[Int(key)] = Double(count) }
        }
        let referenceTotal = reference.reduce(0, +)  // array order: deterministic
        if referenceTotal > 0 { reference = reference.map { $0 / referenceTotal } }

        progress("salience", 0.4)
        let salience = Salience.compute(voice: voiceCounts, contrast: contrastCounts, reference: contrastCounts == nil ? reference : nil)
        let markerThreshold = ModelRecipe.Tuning.markerZ, minimumCount = ModelRecipe.Tuning.markerMinimumCount
        let onVoice = salience.filter { $0.z >= markerThreshold && $0.voiceCount >= minimumCount }
        let offVoice = salience.filter { $0.z <= -markerThreshold && $0.contrastCount >= minimumCount }.reversed().map { $0 }

        progress("language model", 0.5)
        // The unigram level falls back on half uniform, half reference, so no word has probability 0.
        let lmReference = reference.enumerated().map { id, p in
            UInt32(id) == Vocabulary.sentenceStart ? 0 : 0.5 / Double(vocabulary.count - 1) + 0.5 * p
        }
        let tables = KneserNey.estimate(sentences: voiceIDs, vocabularySize: vocabulary.count, order: languageModelOrder, reference: lmReference)

        return Statistics(tokenizer: tokenizer, vocabulary: vocabulary, voiceIDs: voiceIDs, contrastIDs: contrastIDs,
                          pairBeforeIDs: pairBeforeIDs, pairAfterIDs: pairAfterIDs, referenceName: referenceName, salience: salience,
                          onVoice: onVoice, offVoice: offVoice, languageModel: tables)
    }

    /// The precision applied learned edits must reach on the held-out material.
    static func targetPrecision(_ style: Style) -> Double { style.learned.targetPrecision }

    /// Fits `Calibration` with the staged statistics and scorer (see there).
    /// Nil when the corpora are too small to hold out any material.
    func calibrate(staging: String, corpus: TrainingCorpus, neighbours: [NeighbourMiner.Mined] = [], tokenizer: ModelTokenizer,
                   hasScorer: Bool) throws(ModelError) -> Calibration? {
        guard !corpus.voiceHeldOut.isEmpty || !corpus.pairsHeldOut.isEmpty || !neighbours.isEmpty else { return nil }
        let model = try StyleModel(directory: staging)
        var voice: NeuralVoice?
        if hasScorer {
            let path = (staging as NSString).appendingPathComponent(VoiceScorerTrainer.adapterFile)
            do {
                voice = try NeuralVoice(encoder: MiniLMEncoder(files: BaseEncoder.files(for: style, resources: resources)), adapter: Adapter(contentsOf: path), source: path,
                                        axis: VoiceAxis.load(staging))
            } catch let error as ModelError { throw error } catch { throw .baseModel("\(error)") }
        }
        let rewriter = LearnedRewriter(model: model, preserve: style.rewrite.preserve, voice: voice, minSimilarity: style.rewrite.minSimilarity)
        let spelling = style.spelling == .keep ? [] : ((try? resources.spellingPairs()) ?? [])
        // The style's rules run backwards, without learned substitutions: restoring an edit's own
        // reversal would prove nothing about it.
        let variants = OffVoiceVariants(style: style, spellingPairs: spelling, substitutions: [])
        let items = Calibrator.material(corpus: corpus, variants: variants, neighbours: neighbours, seed: UInt64(truncatingIfNeeded: style.model.seed))
        do {
            return try Calibrator.calibrate(rewriter, items: items, locale: style.locale, targetPrecision: Self.targetPrecision(style), tokenizer: tokenizer)
        } catch { throw .corpus(.unreadable(path: "<locale \(style.locale)>", reason: "\(error)")) }
    }

    /// Neighbour pairs (`NeighbourMiner`) of the training contrast sentences, to learn from, and
    /// of the held-out ones, to calibrate on; both against an index of the training voice sentences.
    func mineNeighbours(corpus: TrainingCorpus, tokenizer: ModelTokenizer) throws(ModelError)
        -> (train: [NeighbourMiner.Mined], heldOut: [NeighbourMiner.Mined], axis: VoiceAxis?) {
        let encoder: MiniLMEncoder
        do { encoder = try MiniLMEncoder(files: BaseEncoder.files(for: style, resources: resources)) } catch let error as ModelError {
            throw error
        } catch { throw .baseModel("\(error)") }
        let miner = NeighbourMiner()
        let seed = UInt64(truncatingIfNeeded: style.model.seed)
        let index = miner.index(voice: corpus.voice, encoder: encoder, tokenizer: tokenizer, seed: seed)
        var contrastMean: [Float] = []
        let train = miner.mine(contrast: corpus.contrast, index: index, tokenizer: tokenizer, seed: seed, queryMean: &contrastMean)
        let heldOut = miner.mine(contrast: corpus.contrastHeldOut, index: index, tokenizer: tokenizer, seed: seed)
        return (train, heldOut, VoiceAxis(voiceMean: index.mean, contrastMean: contrastMean))
    }

    static func json<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(value)) ?? Data()) + Data([10])
    }

    static func metrics(_ calibration: Calibration) -> [String: Double] {
        var metrics: [String: Double] = ["calibration_target_precision": calibration.targetPrecision]
        for (kind, count) in calibration.material { metrics["calibration_\(kind)_sentences"] = Double(count) }
        let (applied, right) = calibration.applied
        metrics["calibration_applied_edits"] = Double(applied)
        if applied > 0 { metrics["calibration_precision"] = (Double(right) / Double(applied) * 10_000).rounded() / 10_000 }
        if calibration.wantedEdits > 0 { metrics["calibration_recall"] = (Double(right) / Double(calibration.wantedEdits) * 10_000).rounded() / 10_000 }
        for (kind, m) in calibration.byMaterial {
            metrics["calibration_\(kind)_applied"] = Double(m.applied)
            if let precision = m.precision { metrics["calibration_\(kind)_precision"] = (precision * 10_000).rounded() / 10_000 }
            if let undetermined = m.undetermined { metrics["calibration_\(kind)_undetermined"] = Double(undetermined) }
            if m.words > 0 { metrics["calibration_\(kind)_applied_per_2000_words"] = (2000 * Double(m.applied) / Double(m.words) * 1000).rounded() / 1000 }
        }
        for source in calibration.sources {
            metrics["calibration_\(source.origin)_proposed"] = Double(source.proposed)
            metrics["calibration_\(source.origin)_applied"] = Double(source.applied + (source.appliedUndetermined ?? 0))
            if let undetermined = source.undetermined { metrics["calibration_\(source.origin)_undetermined"] = Double(undetermined) }
        }
        return metrics
    }

    /// Words written with a capital in the middle of a sentence: names, whose case is kept.
    static func capitalisedMidSentence(_ sentences: [String], tokenizer: ModelTokenizer) -> Set<String> {
        var names = Set<String>()
        for sentence in sentences {
            for word in tokenizer.surfaceTokens(sentence).dropFirst() where LearnedRewriter.isCapitalised(word) { names.insert(word) }
        }
        return names
    }

    private func loadReference() throws(ModelError) -> WordFrequencyReference {
        do { return try WordFrequencyReference.load(resources) } catch { throw .corpus(error) }
    }

    /// What the model would do to held-out off-voice sentences.
    public struct Evaluation: Sendable {
        public var sentences = 0, sentencesEdited = 0, applied = 0, reported = 0
        public var examples: [(before: String, after: String)] = []
    }

    static func evaluate(_ model: StyleModel, on sentences: [String], style: Style) throws(ModelError) -> Evaluation {
        var evaluation = Evaluation()
        let rewriter = LearnedRewriter(model: model, preserve: style.rewrite.preserve)
        guard let segmenter = try? WordSegmenter(locale: style.locale) else { return evaluation }
        for sentence in sentences {
            evaluation.sentences += 1
            let bytes = Array(sentence.utf8)
            let prose = [0..<bytes.count]
            guard let words = try? WordTracker(bytes: bytes, prose: prose, segmenter: segmenter).words else { continue }
            let proposals = rewriter.proposals(for: RuleText(bytes: bytes, words: words, prose: prose))
            let applied = proposals.filter { $0.edit.confidence >= style.rewrite.confidence }
            evaluation.applied += applied.count
            evaluation.reported += proposals.count - applied.count
            guard !applied.isEmpty else { continue }
            evaluation.sentencesEdited += 1
            if evaluation.examples.count < 8 {
                var text = bytes
                for proposal in applied.reversed() { text.replaceSubrange(proposal.edit.range, with: Array(proposal.edit.replacement.utf8)) }
                evaluation.examples.append((sentence, String(decoding: text, as: UTF8.self)))
            }
        }
        return evaluation
    }
}

extension ModelBundle {
    /// A fresh temporary folder beside `directory` holding `files`.
    static func stage(files: [(name: String, bytes: [UInt8])], for directory: String) throws(ModelError) -> String {
        let parent = (directory as NSString).deletingLastPathComponent
        recoverInterruptedTraining(of: directory)
        let staging = (parent as NSString).appendingPathComponent(".\((directory as NSString).lastPathComponent).training-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try? FileManager.default.removeItem(atPath: staging)
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch { throw .unwritable(path: staging, reason: error.localizedDescription) }
        try add(files: files, to: staging)
        return staging
    }

    static func add(files: [(name: String, bytes: [UInt8])], to staging: String) throws(ModelError) {
        for file in files {
            let path = (staging as NSString).appendingPathComponent(file.name)
            do { try Data(file.bytes).write(to: URL(fileURLWithPath: path)) } catch { throw .unwritable(path: path, reason: error.localizedDescription) }
        }
    }

    /// Replaces `directory` by the staged folder: rename the old bundle aside, rename the new one in, delete the old.
    static func commit(_ staging: String, to directory: String) throws(ModelError) {
        let manager = FileManager.default
        let old = staging.replacingOccurrences(of: ".training-", with: ".old-")
        let exists = manager.fileExists(atPath: directory)
        if exists && rename(directory, old) != 0 { throw .unwritable(path: directory, reason: String(cString: strerror(errno))) }
        if rename(staging, directory) != 0 {
            let reason = String(cString: strerror(errno))
            if exists { _ = rename(old, directory) }
            throw .unwritable(path: directory, reason: reason)
        }
        if exists { try? manager.removeItem(atPath: old) }
    }
}

/// What another learner adds to a bundle: files (listed with checksums in the manifest, so a
/// damaged one makes the whole bundle refused) and metrics for the manifest.
public struct BundleContribution: Sendable {
    public var files: [(name: String, bytes: [UInt8])]
    public var metrics: [String: Double]
    /// A Markdown section appended to the bundle's report.md (empty for none).
    public var report: String

    public init(files: [(name: String, bytes: [UInt8])], metrics: [String: Double] = [:], report: String = "") {
        self.files = files
        self.metrics = metrics
        self.report = report
    }
}

/// What a `BundleContributor` trains from: the corpus, the style, and the statistical model
/// just learned (its substitutions, for instance).
public struct ContributorContext {
    public var corpus: TrainingCorpus
    public var style: Style
    public var statistics: StyleModel
    public var resources: Resources
    /// Reports a step (shown as is) and the fraction of this contributor's work done (0...1).
    public var progress: (String, Double) -> Void

    public init(corpus: TrainingCorpus, style: Style, statistics: StyleModel, resources: Resources,
                progress: @escaping (String, Double) -> Void = { _, _ in }) {
        (self.corpus, self.style, self.statistics, self.resources, self.progress) = (corpus, style, statistics, resources, progress)
    }
}

/// Something else a training run learns into the same bundle, e.g. the neural voice scorer.
/// Its output must depend only on the corpus, the style and its own code (bundles are
/// deterministic); bump `version` whenever that output would change, so old bundles go stale.
public protocol BundleContributor: Sendable {
    /// Shown in progress and errors, e.g. `voice-scorer`.
    var name: String { get }
    /// Part of the bundle's code version, e.g. `lora.1`.
    var version: String { get }
    func train(_ context: ContributorContext) throws -> BundleContribution
    /// Why a bundle whose own fingerprints match is out of date all the same (it was trained from
    /// something outside the style's files, such as a parent style's model, that has changed),
    /// or nil when it is not.
    func staleness(of style: Style, bundle directory: String) throws -> String?
}

extension BundleContributor {
    public func staleness(of style: Style, bundle directory: String) throws -> String? { nil }
}
