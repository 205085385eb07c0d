import Foundation
import HouseStyleText
import HouseStyleNumerics

/// Trains a style model by its recipe and writes `models/<style>/`.
public struct Trainer {
    public let style: Style
    public let resources: Resources
    /// What is trained; `ModelBundle.status(of:recipe:)` judges the bundle against the same value.
    public var recipe: ModelRecipe
    /// The recipe's other learners whose files join the bundle (see `BundleContributor`).
    public var contributors: [any BundleContributor] {
        get { recipe.contributors }
        set { recipe.contributors = newValue }
    }

    /// - Parameter recipe: what to train: `.standard` is what `housestyle train` makes.
    public init(style: Style, resources: Resources, recipe: ModelRecipe) {
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

    /// Trains and writes the bundle atomically, in named steps: read the corpora (`readCorpora`),
    /// count the statistics (`countStatistics`) and stage them, mine neighbour pairs with the
    /// encoder (`mineNeighbours`), learn substitutions (`learnSubstitutions`), stage them and
    /// evaluate the statistics on held-out text (`evaluateStatistics`), fine-tune the recipe's
    /// contributors, the voice scorer (`trainContributors`), hold out editor revisions for `eval`
    /// (`holdOutPairs`), calibrate learned edits (`calibrate`), then write the manifest and
    /// replace the bundle (`writeBundle`).
    /// - Parameter progress: called with a step name and the fraction of the run done (0...1),
    ///   each step weighted by its expected cost (`TrainingEstimate` of the corpus read), so that
    ///   time extrapolated from the fraction does not jump between steps.
    public func train(progress reportProgress: (String, Double) -> Void = { _, _ in }) throws(ModelError) -> Summary {
        let hasContributors = !contributors.isEmpty
        var estimate: TrainingEstimate?
        /// A step at `fraction` of the statistics' own work and `mined` of neighbour mining's,
        /// which comes between the statistics' first 60% and the rest.
        func report(_ step: String, statistics fraction: Double, mined: Double) {
            guard let estimate, fraction < 1 else { return reportProgress(step, fraction >= 1 ? 1 : 0) }
            let position = (estimate.seconds[.statistics] ?? 0) * fraction + (estimate.seconds[.neighbours] ?? 0) * mined
            reportProgress(step, estimate.total > 0 ? min(position / estimate.total, 1) : 0)
        }
        func progress(_ step: String, _ fraction: Double) { report(step, statistics: fraction, mined: fraction > 0.6 ? 1 : 0) }
        progress("reading the corpora", 0)
        let fingerprints = try ModelBundle.fingerprints(of: style)
        let corpus = try readCorpora()
        let weights = TrainingEstimate(corpus: corpus, style: style, recipe: recipe)
        estimate = weights
        let statistics = try countStatistics(of: corpus, progress: progress)
        var bundle = try StagedBundle(for: ModelBundle.directory(for: style), files: statistics.files)
        do throws(ModelError) {
            let languageModel = try LanguageModel(path: bundle.path(of: StyleModel.languageModelFile))
            progress("substitutions", 0.55)
            // Neighbour pairs: needs the frozen encoder, which a bundle with a voice scorer has anyway.
            var neighbours: MinedNeighbours?
            if hasContributors && !corpus.voice.isEmpty && !corpus.contrast.isEmpty {
                let step = "mining neighbour pairs with the encoder"
                progress(step, 0.6)
                let mined = try mineNeighbours(corpus: corpus, tokenizer: statistics.tokenizer) { done in
                    report(step, statistics: 0.6, mined: done)
                }
                if let axis = mined.axis { try bundle.add([(name: VoiceAxis.file, bytes: Array(Self.json(axis)))]) }
                neighbours = mined
            }
            progress("substitutions", 0.65)
            let learned = learnSubstitutions(corpus: corpus, statistics: statistics, languageModel: languageModel, neighbours: neighbours?.train)

            progress("writing the bundle", 0.8)
            try bundle.add(statistics.learnedFiles(substitutions: learned.substitutions))
            if let memory = try memoryFile(corpus) { try bundle.add([memory]) }
            let lowercase = LowercaseWords.learn(corpus.voice + corpus.contrast + corpus.pairs.flatMap { [$0.before, $0.after] },
                                                 tokenizer: statistics.tokenizer, vocabulary: statistics.vocabulary)
            try bundle.add([(name: LowercaseWords.file, bytes: LowercaseWords.fileBytes(lowercase))])
            let model = try StyleModel(directory: bundle.staging)
            progress("evaluating on held-out text", 0.9)
            var (metrics, report) = try evaluateStatistics(model, corpus: corpus, statistics: statistics, learned: learned, neighbours: neighbours)
            try trainContributors(corpus: corpus, statistics: model, bundle: &bundle, metrics: &metrics, report: &report, weights: weights, progress: reportProgress)
            try holdOutPairs(corpus, bundle: &bundle)
            reportProgress("calibrating learned edits on held-out material", weights.fraction(.calibration, 0))
            if let calibration = try calibrate(staging: bundle.staging, corpus: corpus, neighbours: neighbours?.heldOut ?? [], tokenizer: statistics.tokenizer,
                                               hasScorer: bundle.contains(VoiceScorerTrainer.adapterFile), thesaurus: learned.thesaurus) {
                try bundle.add([(name: Calibration.file, bytes: Array(Self.json(calibration))),
                                (name: Calibration.editsFile, bytes: Array(calibration.editsTable.utf8))])
                metrics.merge(Self.metrics(calibration)) { old, _ in old }
                report += "\n" + Report.calibration(calibration)
            } else {
                report += "\n## Calibration of learned edits\n\nThe corpora are too small to hold any material out (40 sentences or pairs of each kind are needed), "
                    + "so learned edits are not calibrated: only editors' own revisions (pair edits) are applied, at `rewrite.confidence`; the rest are findings.\n"
            }
            let manifest = try writeBundle(bundle, fingerprints: fingerprints, statistics: statistics, metrics: metrics, report: report,
                                           usedEncoder: neighbours != nil || bundle.contains(VoiceScorerTrainer.adapterFile))
            progress("done", 1)
            return Summary(directory: bundle.directory, manifest: manifest, warnings: corpus.warnings)
        } catch {
            bundle.discard()
            throw error
        }
    }

    /// Reads the style's corpora, split into training and held-out material.
    func readCorpora() throws(ModelError) -> TrainingCorpus {
        do { return try corpusReader.read(style) } catch { throw .corpus(error) }
    }

    /// How the corpora are read and split (the manifest records the held-out share).
    var corpusReader: CorpusReader { CorpusReader(seed: style.model.seed) }

    /// What the substitution learners found, and the thesaurus they read (nil when it is not
    /// installed), which calibration reads again to judge parts of speech.
    struct LearnedSubstitutions {
        var substitutions: [Substitution]
        var thesaurus: Thesaurus?
        var thesaurusFound: Bool { thesaurus != nil }
    }

    /// Learns substitutions from each source, in order: editors' revisions (and the inflection
    /// patterns they make), neighbour pairs (when mined; and the inflection patterns they make),
    /// the thesaurus, retrieval, word vectors and the alternative ways editors change a word; keeps those that act at off-voice sites,
    /// and one per (before, after), the first source's.
    func learnSubstitutions(corpus: TrainingCorpus, statistics: Statistics, languageModel: LanguageModel,
                            neighbours: [NeighbourMiner.Mined]?) -> LearnedSubstitutions {
        let (tokenizer, vocabulary, salience) = (statistics.tokenizer, statistics.vocabulary, statistics.salience)
        let (voiceIDs, contrastIDs, pairBeforeIDs, pairAfterIDs) = (statistics.voiceIDs, statistics.contrastIDs, statistics.pairBeforeIDs, statistics.pairAfterIDs)
        let (onVoice, offVoice) = (statistics.onVoice, statistics.offVoice)
        var unigramSalience: [String: SalienceEntry] = [:]
        for entry in salience where entry.ngram.count == 1 { unigramSalience[vocabulary.tokens[Int(entry.ngram[0])]] = entry }
        var unigramSalienceByID = [Float](repeating: 0, count: vocabulary.count)
        for entry in salience where entry.ngram.count == 1 { unigramSalienceByID[Int(entry.ngram[0])] = Float(entry.z) }
        let (properNames, writtenNames) = Self.capitalisedMidSentence(corpus.voice + corpus.pairs.map(\.after), tokenizer: tokenizer)
        var substitutions = SubstitutionLearner.fromPairs(corpus.pairs, tokenizer: tokenizer, properNames: properNames, writtenNames: writtenNames)
        // Inflection patterns first: where one makes what an editors' edit makes, its own count and
        // precision stand ("thou goest" -> "you go": 2 pairs, but the pattern 31 and 0.56).
        // (Only words the voice and the editors mostly write with a capital are names: the
        // KJV's "Knowest" after a comma is not one.)
        let neighbourPairs = (neighbours ?? []).map { SentencePair(before: $0.before, after: $0.after, source: "") }
        let voiceCounts = {
            var counts = NGramCounts(maxOrder: 2)
            if !corpus.pairs.isEmpty || !neighbourPairs.isEmpty {
                for sentence in voiceIDs + pairAfterIDs { counts.add(sentence) }
            }
            return counts
        }()
        let words = Array(vocabulary.tokens.dropFirst(Vocabulary.specials.count))
        // The words the contrast (or the pairs' before sides) writes, for the patterns' verb test.
        let contrastWords = !corpus.pairs.isEmpty || !neighbourPairs.isEmpty
            ? (contrastIDs + pairBeforeIDs).reduce(into: Set<UInt32>()) { $0.formUnion($1) } : []
        let subjects = ["he", "she", "they"].map(vocabulary.id).filter { $0 != Vocabulary.unknown }
        func inflections(_ pairs: [SentencePair], origin: EditOrigin) -> [Substitution] {
            SubstitutionLearner.inflections(pairs, tokenizer: tokenizer, words: words,
                properNames: writtenNames, leansOffVoice: { (unigramSalience[$0]?.z ?? 0) <= -SubstitutionLearner.siteThreshold },
                voiceCount: { vocabulary.contains($0) ? voiceCounts.count([vocabulary.id($0)]) : 0 },
                voiceWrites: { words in
                    let ids = words.map(vocabulary.id)
                    return !ids.contains(Vocabulary.unknown) && zip(ids, ids.dropFirst()).allSatisfy { voiceCounts.count([$0, $1]) > 0 }
                },
                contrastWrites: { vocabulary.contains($0) && contrastWords.contains(vocabulary.id($0)) },
                writtenAfterASubject: { word in
                    let id = vocabulary.id(word)
                    return id != Vocabulary.unknown && subjects.contains { voiceCounts.count([$0, id]) > 0 }
                }, origin: origin)
        }
        if !corpus.pairs.isEmpty { substitutions = inflections(corpus.pairs, origin: .pair) + substitutions }
        let thesaurus = Thesaurus()
        // A word the voice never writes and the contrast often does (`StyleModel.unvoiced`).
        let unvoiced: (String) -> Bool = { word in
            unigramSalience[word].map { StyleModel.unvoiced(voice: $0.voiceCount, contrast: $0.contrastCount, z: $0.z) } ?? false
        }
        if let neighbours {
            // Neighbours teach inflection patterns as editors do, and before their own phrases for
            // the same reason: the BBE's nearest verses drop "thou ...est" for "you ..." and make
            // "-eth" "-s" with many verbs, each phrase too rarely to be learned by itself.
            if !neighbourPairs.isEmpty { substitutions += inflections(neighbourPairs, origin: .retrieval) }
            substitutions += SubstitutionLearner.fromNeighbours(neighbours, tokenizer: tokenizer, properNames: properNames, writtenNames: writtenNames,
                                                                thesaurus: thesaurus, unvoiced: unvoiced)
        }
        let vectors = WordVectors(sentences: voiceIDs + contrastIDs, vocabularySize: vocabulary.count, seed: UInt64(style.model.seed))
        let consideredOffVoice = Array(offVoice.prefix(ModelRecipe.Tuning.offVoiceMarkersConsidered))
        if let thesaurus {
            // Synonyms of some sense of the word, that the voice model prefers in context, and that
            // the corpora use in similar contexts (when both words have vectors).
            let candidates = SubstitutionLearner.fromThesaurus(thesaurus, offVoice: consideredOffVoice, salience: unigramSalience, vocabulary: vocabulary)
                .filter { s in (vectors.cosine(vocabulary.id(s.before[0]), vocabulary.id(s.afterText)) ?? 0) >= ModelRecipe.Tuning.thesaurusContextCosine }
            substitutions += SubstitutionLearner.filterByLanguageModel(candidates, model: languageModel, vocabulary: vocabulary,
                contexts: contrastIDs + pairBeforeIDs + voiceIDs)
        }
        let lowerNames = Set(properNames.map { $0.lowercased() })
        substitutions += SubstitutionLearner.fromRetrieval(voice: voiceIDs + pairAfterIDs, contrast: contrastIDs + pairBeforeIDs,
            offVoice: offVoice.filter { $0.ngram.count <= ModelRecipe.Tuning.retrievedPhraseWords }, unigramZ: { Double(unigramSalienceByID[Int($0)]) },
            vocabulary: vocabulary, properNames: lowerNames, thesaurus: thesaurus, vectors: vectors)
        substitutions += SubstitutionLearner.fromCorpora(vectors: vectors, vocabulary: vocabulary, offVoice: consideredOffVoice,
            onVoice: Array(onVoice.prefix(ModelRecipe.Tuning.onVoiceMarkersConsidered)))
        // Last, so that an alternative takes no edit from another source: each source is calibrated
        // as a class, and an alternative that took KJV's "shall" -> "will" and "lo" -> "see" from
        // retrieval left it the imprecise rest (Bible with pairs: retrieval's threshold 17.6, 6
        // edits applied where 244 were).
        substitutions += SubstitutionLearner.alternatives(corpus.pairs, tokenizer: tokenizer, properNames: properNames, writtenNames: writtenNames)
        // Learned edits act at off-voice sites only: some word of `before` must lean off-voice
        // (an editors' insertion is anchored on ordinary words and needs no such site).
        substitutions = substitutions.filter { s in
            let insertion = s.origin == .pair && s.after.count > s.before.count && s.after.first == s.before.first && s.after.last == s.before.last
            return (insertion || s.before.contains { (unigramSalience[$0]?.z ?? 0) <= -SubstitutionLearner.siteThreshold })
                && !Self.deletesGrammar(s, unvoiced: unvoiced)
                && !SubstitutionLearner.producesFragment(before: s.before, after: s.after)
                && !Self.makesAGrammarWordAContentWord(s)
                && !(thesaurus.map { Self.changesThePartOfSpeech(s, thesaurus: $0) } ?? false)
                && !Self.statesAGender(s)
        }
        substitutions = Self.anchoringWordsThatNeedACompanion(substitutions, voice: voiceIDs + pairAfterIDs, contrast: contrastIDs + pairBeforeIDs,
                                                               vocabulary: vocabulary)
        // One substitution per (before, after): pairs first, then neighbour pairs, thesaurus, retrieval, vectors, alternatives.
        var seen = Set<[String]>()
        substitutions = substitutions.filter { seen.insert($0.before + ["→"] + $0.after).inserted }
        return LearnedSubstitutions(substitutions: substitutions, thesaurus: thesaurus)
    }

    /// Determiners, before a noun or before the adjective before it ("this thing", "a good thing").
    static let nounDeterminers = ["a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "our", "their", "its",
                                  "any", "every", "each", "one", "some", "another", "what", "which", "whose"]
    /// The determiners a substitution is anchored on: not the indefinite ones, which before a word
    /// written bare begin idioms ("give a shit", "do some shit": "give a thing", "do some thing").
    static let definiteDeterminers = ["the", "this", "that", "these", "those", "my", "your", "his", "her", "our", "their", "its",
                                      "every", "each", "what", "which", "whose"]
    /// The particles a verb may need after it ("messed up").
    static let verbParticles = ["up", "out", "off", "down", "over", "away", "on", "about"]

    /// A word the voice writes with a companion, put where a word stood that the contrast writes
    /// without one, makes broken sentences. The companion is a determiner before a noun (or before
    /// the adjective before it), or a particle after a verb. ParaDetox's retrieval "shit" ->
    /// "thing" made "do jack thing" and "level of thing" (12 of 40 read right), its "fucked" ->
    /// "messed" "get messed soon". Such a substitution, from any source but editors' own edits, is
    /// kept only with each companion the contrast writes with the word at least 3 times: "this shit"
    /// -> "this thing" (a definite determiner), "fucked up" -> "messed up". The voice must write the
    /// word so in at least `Tuning.companionShare` of its places, and the contrast the replaced word
    /// so in fewer. A way editors make before one word (`SubstitutionLearner.alternatives`) whose
    /// new word needs such a companion is dropped ("shit was" -> "thing was").
    static func anchoringWordsThatNeedACompanion(_ substitutions: [Substitution], voice: [[UInt32]], contrast: [[UInt32]],
                                                 vocabulary: Vocabulary) -> [Substitution] {
        guard substitutions.contains(where: { ($0.origin != .pair && $0.before.count == 1 && $0.after.count == 1) || ($0.origin == .pairAlternative && $0.before.count == 2) }) else {
            return substitutions
        }
        // (Words outside the vocabulary are left out: their id is the unknown word's.)
        let determinerIDs = Set(nounDeterminers.map(vocabulary.id)).subtracting([Vocabulary.unknown])
        let particleIDs = Set(verbParticles.map(vocabulary.id)).subtracting([Vocabulary.unknown])
        struct Counts {
            var total: [Int32], determined: [Int32]
            /// (determiner, word) and (word, particle) bigrams.
            var bigrams: [UInt64: Int32] = [:]
        }
        @inline(__always) func key(_ a: UInt32, _ b: UInt32) -> UInt64 { UInt64(a) << 32 | UInt64(b) }
        func counts(_ sentences: [[UInt32]]) -> Counts {
            var counts = Counts(total: [Int32](repeating: 0, count: vocabulary.count), determined: [Int32](repeating: 0, count: vocabulary.count))
            for sentence in sentences {
                for (i, id) in sentence.enumerated() {
                    counts.total[Int(id)] += 1
                    if i + 1 < sentence.count, particleIDs.contains(sentence[i + 1]) { counts.bigrams[key(id, sentence[i + 1]), default: 0] += 1 }
                    guard i > 0 else { continue }
                    let previous = sentence[i - 1]
                    if determinerIDs.contains(previous) {
                        counts.determined[Int(id)] += 1
                        counts.bigrams[key(previous, id), default: 0] += 1
                    } else if i > 1, determinerIDs.contains(sentence[i - 2]), !isGrammarWord(vocabulary.tokens[Int(previous)]) {
                        counts.determined[Int(id)] += 1
                    }
                }
            }
            return counts
        }
        let voiceCounts = counts(voice), contrastCounts = counts(contrast)
        func share(_ counts: Counts, _ id: UInt32, _ with: Int32) -> Double { Double(with) / Double(max(counts.total[Int(id)], 1)) }
        let needed = ModelRecipe.Tuning.companionShare
        /// The companion `after` needs where the contrast writes `before` without it: a determiner
        /// (nil particle), a particle, or none (nil); nil too for a word the voice writes seldom.
        func companion(of after: UInt32, replacing before: UInt32) -> (determiner: Bool, particle: String?)? {
            guard after != Vocabulary.unknown, voiceCounts.total[Int(after)] >= 20 else { return nil }
            let determined = share(voiceCounts, after, voiceCounts.determined[Int(after)])
            if determined >= needed && share(contrastCounts, before, contrastCounts.determined[Int(before)]) < determined - 0.2 { return (true, nil) }
            let particle = verbParticles.max { voiceCounts.bigrams[key(after, vocabulary.id($0)), default: 0] < voiceCounts.bigrams[key(after, vocabulary.id($1)), default: 0] }!
            let p = vocabulary.id(particle)
            if share(voiceCounts, after, voiceCounts.bigrams[key(after, p), default: 0]) >= needed,
               share(contrastCounts, before, contrastCounts.bigrams[key(before, p), default: 0]) < needed { return (false, particle) }
            return nil
        }
        var result: [Substitution] = []
        for substitution in substitutions {
            // A way editors make before one word ("shit was" -> "thing was") puts its word where the
            // word before it stays as it was: one that needs a determiner or a particle it cannot
            // bring is dropped ("but then thing was dead").
            if substitution.origin == .pairAlternative, substitution.before.count == 2, substitution.after.count == 2,
               substitution.before[1] == substitution.after[1], !isGrammarWord(substitution.after[0]),
               let needs = companion(of: vocabulary.id(substitution.after[0]), replacing: vocabulary.id(substitution.before[0])),
               needs.determiner || needs.particle != substitution.after[1] {
                continue
            }
            guard substitution.origin != .pair, substitution.before.count == 1, substitution.after.count == 1, !isGrammarWord(substitution.after[0]) else {
                result.append(substitution)
                continue
            }
            let (before, after) = (vocabulary.id(substitution.before[0]), vocabulary.id(substitution.after[0]))
            guard let needs = companion(of: after, replacing: before) else { result.append(substitution); continue }
            var anchored: [Substitution] = []
            if needs.determiner {
                for determiner in definiteDeterminers {
                    let d = vocabulary.id(determiner)
                    guard contrastCounts.bigrams[key(d, before), default: 0] >= 3, voiceCounts.bigrams[key(d, after), default: 0] >= 1 else { continue }
                    var one = substitution
                    (one.before, one.after, one.afterText) = ([determiner] + substitution.before, [determiner] + substitution.after,
                                                              determiner + " " + substitution.afterText)
                    anchored.append(one)
                }
            } else if let particle = needs.particle, contrastCounts.bigrams[key(before, vocabulary.id(particle)), default: 0] >= 3 {
                var one = substitution
                (one.before, one.after, one.afterText) = (substitution.before + [particle], substitution.after + [particle],
                                                          substitution.afterText + " " + particle)
                anchored.append(one)
            }
            result += anchored
        }
        return result
    }

    /// Whether a substitution learned from the corpora (not an editors' own edit in place) puts
    /// one content word where another stood that cannot be the same part of speech: the
    /// thesaurus gives both words parts of speech and they share none ("horribly" -> "amazing"
    /// made "was amazing disappointed", "love" -> "unfortunately" made "unfortunately this place
    /// for breakfast", "sucked" -> "great"), or one is an adjective's comparative and the other
    /// is not ("worse" -> "excellent" made "in even excellent condition", "worse" -> "great"
    /// "great than the super"). Such pairs share contexts in the corpora as siblings do; the
    /// sentence they make is not English. Words the thesaurus does not list ("hath", "unto") and
    /// grammar words are not judged, but for a form of "be", "have" or "do" put where a word
    /// stood that the thesaurus lists and never as a verb: the BBE's nearest verses say "let his
    /// bones alone" as "let his bones be", and "alone" -> "be" made "and he alone on the land"
    /// "and he be on the land".
    static func changesThePartOfSpeech(_ substitution: Substitution, thesaurus: Thesaurus) -> Bool {
        guard substitution.origin != .pair, substitution.before.count == 1, substitution.after.count == 1 else { return false }
        let (before, after) = (substitution.before[0], substitution.after[0])
        if auxiliaryVerbForms.contains(after) && !isGrammarWord(before) {
            let was = thesaurus.partsOfSpeech(of: before)
            return !was.isEmpty && !was.contains("verb")
        }
        guard !isGrammarWord(before), !isGrammarWord(after) else { return false }
        let (was, becomes) = (thesaurus.partsOfSpeech(of: before), thesaurus.partsOfSpeech(of: after))
        if !was.isEmpty && !becomes.isEmpty && was.isDisjoint(with: becomes) { return true }
        return thesaurus.isComparative(before) != thesaurus.isComparative(after)
    }

    /// The forms of "be", "have" and "do".
    static let auxiliaryVerbForms: Set<String> = ["be", "is", "are", "am", "was", "were", "been", "being", "have", "has", "had", "having",
                                                  "do", "does", "did", "done", "doing"]

    /// Words that say whom they name is a man or a woman.
    static let genderedWords: Set<String> = [
        "he", "she", "him", "her", "his", "hers", "himself", "herself", "man", "men", "woman", "women", "boy", "boys", "girl", "girls",
        "guy", "guys", "gal", "gals", "lady", "ladies", "gentleman", "gentlemen", "male", "female", "males", "females",
        "husband", "wife", "mother", "father", "mom", "dad", "son", "daughter", "brother", "sister", "king", "queen", "sir", "madam",
        "boyfriend", "girlfriend", "mr", "mrs", "ms", "dude", "bro", "sis", "aunt", "uncle", "niece", "nephew", "widow", "widower",
        "bride", "bridegroom", "groom", "prince", "princess", "lad", "lass", "damsel", "maid", "maiden",
    ]

    /// Whether a substitution learned from the corpora (not an editors' own edit in place) writes
    /// a word that gives someone a gender where the words it replaces gave none: a fact the text
    /// did not state ("bitch" -> "girl" made "ur such a girl" and "you the girl that got me sick";
    /// "idiot" -> "guy"). A word for one gender may still become another word for it.
    static func statesAGender(_ substitution: Substitution) -> Bool {
        guard substitution.origin != .pair, substitution.after.contains(where: genderedWords.contains) else { return false }
        return !substitution.before.contains(where: genderedWords.contains)
    }

    /// Whether `substitution` deletes function words only: their use is grammar, not voice ("the",
    /// "and", "was" come and go with the sentence's construction), unless every one of them is a
    /// word the voice never writes (`unvoiced`: the contrast often does, and its absence is the
    /// voice's manner). The Bible in Basic English never writes "also" or "own" (KJV 1,565 and 534
    /// times), and its editors delete them outright: of the 485 runs of changed words that hold
    /// "own", 133 delete it alone ("his own house" -> "his house"). Whether such a deletion holds
    /// is then the statistics' to decide, as for any other edit.
    static func deletesGrammar(_ substitution: Substitution, unvoiced: (String) -> Bool) -> Bool {
        substitution.after.isEmpty && substitution.before.allSatisfy(functionWords.contains) && !substitution.before.allSatisfy(unvoiced)
    }

    /// Whether `substitution`, learned from the corpora, puts a content word where one grammar
    /// word stood ("no" -> "good": "still no server" -> "still good server"). Such a swap follows
    /// the words' contexts across parts of speech; only editors' revisions vouch for one. The
    /// negations that are adverbs may become adverbs ("not" -> "definitely"), and a grammar word
    /// may still be deleted or become another.
    static func makesAGrammarWordAContentWord(_ substitution: Substitution) -> Bool {
        guard substitution.origin != .pair, substitution.before.count == 1, let word = substitution.before.first, isGrammarWord(word),
              !adverbialNegations.contains(word) else { return false }
        return substitution.after.contains { !isGrammarWord($0) }
    }

    /// The metrics of the statistics (corpus sizes, markers, substitutions by source, what the
    /// model does to held-out contrast sentences, the voice's held-out perplexity) and the report
    /// that starts the bundle's report.md.
    func evaluateStatistics(_ model: StyleModel, corpus: TrainingCorpus, statistics: Statistics, learned: LearnedSubstitutions,
                            neighbours: MinedNeighbours?) throws(ModelError) -> (metrics: [String: Double], report: String) {
        let (tokenizer, vocabulary, tables) = (statistics.tokenizer, statistics.vocabulary, statistics.languageModel)
        let (onVoice, offVoice, substitutions) = (statistics.onVoice, statistics.offVoice, learned.substitutions)
        let perplexity = model.languageModel.perplexity(corpus.voiceHeldOut.map { tokenizer.tokens($0).map(vocabulary.id) })
        let evaluation = try Self.evaluate(model, on: corpus.contrastHeldOut, style: style)
        var metrics: [String: Double] = [
            "voice_sentences": Double(corpus.voice.count), "voice_held_out_sentences": Double(corpus.voiceHeldOut.count),
            "contrast_sentences": Double(corpus.contrast.count), "contrast_held_out_sentences": Double(corpus.contrastHeldOut.count),
            "pairs": Double(corpus.pairs.count), "neighbour_pairs": Double(neighbours?.train.count ?? 0), "vocabulary": Double(vocabulary.count),
            "on_voice_markers": Double(onVoice.count), "off_voice_markers": Double(offVoice.count),
            "substitutions_pair": Double(substitutions.filter { $0.origin == .pair }.count),
            "substitutions_pair_alternative": Double(substitutions.filter { $0.origin == .pairAlternative }.count),
            "substitutions_thesaurus": Double(substitutions.filter { $0.origin == .thesaurus }.count),
            "substitutions_vectors": Double(substitutions.filter { $0.origin == .vectors }.count),
            "substitutions_retrieval": Double(substitutions.filter { $0.origin == .retrieval }.count),
            "memory_revisions": Double(model.memory.count),
            "held_out_contrast_edits_applied": Double(evaluation.applied), "held_out_contrast_edits_reported": Double(evaluation.reported),
            "held_out_contrast_sentences_edited": Double(evaluation.sentencesEdited),
        ]
        for n in 2...tables.order { metrics["lm_\(n)grams"] = Double(tables.keys[n - 2].count) }
        if perplexity.isFinite { metrics["voice_held_out_perplexity"] = (perplexity * 100).rounded() / 100 }
        var report = Report.markdown(style: style, vocabulary: vocabulary, onVoice: onVoice, offVoice: offVoice,
            substitutions: substitutions, metrics: metrics, evaluation: evaluation, referenceName: statistics.referenceName,
            thesaurusFound: learned.thesaurusFound, warnings: corpus.warnings)
        if let voiceAxis = neighbours?.axis {
            report += "\n## Meaning guard\n\nThe meaning guard (`rewrite.min_similarity`) compares a sentence before and after an edit with the "
                + "voice axis left out: the direction from the contrast corpus's mean sentence embedding to the voice corpus's (the two means are "
                + String(format: "%.3f", voiceAxis.separation) + " apart). A move towards the voice is what an edit is for; what a sentence says "
                + "lies across the axis and counts in full.\n"
        }
        return (metrics, report)
    }

    /// Trains the recipe's other learners (the neural voice scorer), which add their files,
    /// metrics and report sections to the same bundle, in the scorer's part of the progress range
    /// (`weights`).
    func trainContributors(corpus: TrainingCorpus, statistics model: StyleModel, bundle: inout StagedBundle,
                           metrics: inout [String: Double], report: inout String, weights: TrainingEstimate,
                           progress reportProgress: (String, Double) -> Void) throws(ModelError) {
        for (index, contributor) in contributors.enumerated() {
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
            for file in contribution.files where bundle.contains(file.name) || ["manifest.json", "report.md"].contains(file.name) {
                throw ModelError.contributorFailed(name: contributor.name, reason: "file name '\(file.name)' is already taken")
            }
            try bundle.add(contribution.files)
            metrics.merge(contribution.metrics) { old, _ in old }
        }
    }

    /// Stages the held-out editor revisions, for `housestyle eval STYLE --held-out`.
    func holdOutPairs(_ corpus: TrainingCorpus, bundle: inout StagedBundle) throws(ModelError) {
        guard !corpus.pairsHeldOut.isEmpty else { return }
        let clean = { (text: String) in text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
        try bundle.add([(name: ModelBundle.heldOutPairsFile, bytes: Array(corpus.pairsHeldOut.map { clean($0.before) + "\t" + clean($0.after) + "\n" }.joined().utf8))])
    }

    /// Writes the manifest (the recipe's code version, what training read, the settings, metrics
    /// and every staged file's checksum) and the report, and replaces the bundle.
    /// - Parameter usedEncoder: whether training ran the encoder, which loading then checks is the same one.
    func writeBundle(_ bundle: StagedBundle, fingerprints: [ModelManifest.Fingerprint], statistics: Statistics, metrics: [String: Double],
                     report: String, usedEncoder: Bool) throws(ModelError) -> ModelManifest {
        let baseModel = usedEncoder ? try BaseEncoder.record(BaseEncoder.files(for: style, resources: resources)) : nil
        let manifest = ModelManifest(format: ModelManifest.format, formatVersion: ModelManifest.formatVersion, style: style.name,
            codeVersion: recipe.codeVersion, fingerprints: fingerprints,
            settings: ["lm_order": String(statistics.languageModel.order), "seed": String(style.model.seed), "reference": statistics.referenceName,
                       "held_out_share": "1/\(corpusReader.heldOutModulus)", "marker_z": String(ModelRecipe.Tuning.markerZ), "confidence": String(style.rewrite.confidence),
                       "preserve": style.rewrite.preserve.map(\.rawValue).joined(separator: ",")],
            metrics: metrics,
            files: bundle.files.map { .init(name: $0.name, bytes: $0.bytes.count, sha256: SHA256.hex($0.bytes)) }, baseModel: baseModel)
        try bundle.commit(manifest: Array(Self.json(manifest)), report: report)
        return manifest
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

        /// The files of the statistics that the rest of training reads: the vocabulary and the language model.
        var files: [(name: String, bytes: [UInt8])] {
            [(StyleModel.vocabularyFile, Array(vocabulary.tokens.map { $0 + "\n" }.joined().utf8)),
             (StyleModel.languageModelFile, languageModel.serialized())]
        }

        /// The files of what was learned from the statistics: the salient n-grams
        /// (`ModelRecipe.Tuning.listedSalienceZ`) and the substitutions.
        func learnedFiles(substitutions: [Substitution]) -> [(name: String, bytes: [UInt8])] {
            let shown = salience.filter { abs($0.z) >= ModelRecipe.Tuning.listedSalienceZ }
            return [
                (StyleModel.salienceFile, Array((["ngram\tz\tvoice\tcontrast"] + shown.map {
                    "\(vocabulary.phrase($0.ngram))\t\(String(format: "%.4f", $0.z))\t\($0.voiceCount)\t\($0.contrastCount)"
                }).map { $0 + "\n" }.joined().utf8)),
                (StyleModel.substitutionsFile, Array(([Substitution.tsvHeader] + substitutions.map(\.tsvLine)).map { $0 + "\n" }.joined().utf8)),
            ]
        }
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
        var voiceCounts = NGramCounts(maxOrder: ModelRecipe.Tuning.salienceOrder)
        for sentence in voiceIDs + pairAfterIDs { voiceCounts.add(sentence) }
        var contrastCounts: NGramCounts?
        var referenceName = "corpus.contrast"
        var reference: [Double]
        if contrastIDs.isEmpty && pairBeforeIDs.isEmpty {
            let english = try loadReference()
            referenceName = "wordfreq 3.1.1 large_en (general English)"
            reference = vocabulary.tokens.map { english.frequencies[$0] ?? 0 }
        } else {
            var counts = NGramCounts(maxOrder: ModelRecipe.Tuning.salienceOrder)
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
        // The unigram level falls back on a mixture of uniform and reference, so no word has probability 0.
        let uniform = ModelRecipe.Tuning.uniformShareOfUnigramFallback
        let lmReference = reference.enumerated().map { id, p in
            UInt32(id) == Vocabulary.sentenceStart ? 0 : uniform / Double(vocabulary.count - 1) + (1 - uniform) * p
        }
        let tables = KneserNey.estimate(sentences: voiceIDs, vocabularySize: vocabulary.count, order: recipe.languageModelOrder, reference: lmReference)

        return Statistics(tokenizer: tokenizer, vocabulary: vocabulary, voiceIDs: voiceIDs, contrastIDs: contrastIDs,
                          pairBeforeIDs: pairBeforeIDs, pairAfterIDs: pairAfterIDs, referenceName: referenceName, salience: salience,
                          onVoice: onVoice, offVoice: offVoice, languageModel: tables)
    }

    /// The editors' revisions kept whole (`EditorsMemory`): the training pairs that change
    /// something, as `memory.tsv`; nil without such pairs. Not a revision of a held-out contrast
    /// sentence, nor one that writes a held-out voice sentence: calibration rewrites those with
    /// their answers known, and the memory would hand them their answers (Bible KJV -> BBE, whose
    /// pairs are the contrast and voice corpora verse by verse).
    func memoryFile(_ corpus: TrainingCorpus) throws(ModelError) -> (name: String, bytes: [UInt8])? {
        let segmenter: WordSegmenter, sentences: SentenceSegmenter, tokenizer: ModelTokenizer
        do {
            segmenter = try WordSegmenter(locale: style.locale)
            sentences = try SentenceSegmenter(locale: style.locale)
            tokenizer = try ModelTokenizer(locale: style.locale)
        } catch { throw .corpus(.unreadable(path: "<locale \(style.locale)>", reason: "\(error)")) }
        // Held-out sentences by their words (lowercase, numbers as one token), so that one the
        // corpus reader read differently (Markdown markup, spacing, punctuation) is still found.
        let contrast = Set(corpus.contrastHeldOut.map(tokenizer.tokens).filter { !$0.isEmpty })
        let voice = Set(corpus.voiceHeldOut.map(tokenizer.tokens).filter { !$0.isEmpty })
        // Whether `text`, or a sentence of it, has the words of a sentence in `heldOut`.
        func holds(_ text: String, _ heldOut: Set<[String]>) -> Bool {
            guard !heldOut.isEmpty else { return false }
            if heldOut.contains(tokenizer.tokens(text)) { return true }
            guard let segments = try? sentences.sentences(in: text), segments.count > 1 else { return false }
            return segments.contains { heldOut.contains(tokenizer.tokens(String($0.substring(in: text)))) }
        }
        let lines = corpus.pairs.compactMap { pair in
            pair.before == pair.after || holds(pair.before, contrast) || holds(pair.after, voice) ? nil
                : EditorsMemory.line(before: pair.before, after: pair.after, segmenter: segmenter)
        }
        guard !lines.isEmpty else { return nil }
        return (EditorsMemory.file, Array(([EditorsMemory.header] + lines).map { $0 + "\n" }.joined().utf8))
    }

    /// The precision applied learned edits must reach on the held-out material.
    static func targetPrecision(_ style: Style) -> Double { style.learned.targetPrecision }

    /// Fits `Calibration` with the staged statistics and scorer (see there).
    /// Nil when the corpora are too small to hold out any material.
    func calibrate(staging: String, corpus: TrainingCorpus, neighbours: [NeighbourMiner.Mined] = [], tokenizer: ModelTokenizer,
                   hasScorer: Bool, thesaurus: Thesaurus?) throws(ModelError) -> Calibration? {
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
        let neighbours = voice.map { Self.onVoiceAnswers(neighbours, voiceOf: $0.voiceScores) } ?? neighbours
        let spelling = style.spelling == .keep ? [] : ((try? resources.spellingPairs()) ?? [])
        // The style's rules run backwards, without learned substitutions: restoring an edit's own
        // reversal would prove nothing about it.
        let variants = OffVoiceVariants(style: style, spellingPairs: spelling, substitutions: [])
        let items = Calibrator.material(corpus: corpus, variants: variants, neighbours: neighbours, seed: UInt64(truncatingIfNeeded: style.model.seed))
        do {
            return try Calibrator.calibrate(rewriter, items: items, locale: style.locale, targetPrecision: Self.targetPrecision(style), tokenizer: tokenizer,
                                             thesaurus: thesaurus,
                                             editorsChanges: Calibrator.editorsChanges(corpus.pairs.map { (tokenizer.tokens($0.before), tokenizer.tokens($0.after)) }),
                                             allowed: Set(style.learned.sources.flatMap(\.origins)))
        } catch { throw .corpus(.unreadable(path: "<locale \(style.locale)>", reason: "\(error)")) }
    }

    /// Held-out neighbour pairs with only the answers the voice scorer puts in the voice. Corpora
    /// labelled by document hold sentences of the other voice ("food was great ." in a negative
    /// review), and such a neighbour would call wrong every edit that carries the sentence into
    /// the voice. An item keeps its on-voice answers (`voiceOf`: P(on-voice) of each sentence at
    /// least one half), the nearest first, and is left out without one.
    static func onVoiceAnswers(_ mined: [NeighbourMiner.Mined], voiceOf: ([String]) -> [Double]) -> [NeighbourMiner.Mined] {
        let scores = voiceOf(mined.flatMap { [$0.after] + $0.alternatives })
        var next = 0
        return mined.compactMap { item in
            let answers = [item.after] + item.alternatives
            let kept = zip(answers, scores[next..<(next + answers.count)]).filter { $0.1 >= 0.5 }.map(\.0)
            next += answers.count
            guard let nearest = kept.first else { return nil }
            var item = item
            (item.after, item.alternatives) = (nearest, Array(kept.dropFirst()))
            return item
        }
    }

    /// Neighbour pairs of the contrast sentences and the voice axis (`mineNeighbours`).
    struct MinedNeighbours {
        /// Of the training contrast sentences, to learn substitutions from.
        var train: [NeighbourMiner.Mined]
        /// Of the held-out contrast sentences, to calibrate on.
        var heldOut: [NeighbourMiner.Mined]
        /// From the contrast corpus's mean embedding to the voice corpus's (nil without either).
        var axis: VoiceAxis?
    }

    /// Neighbour pairs (`NeighbourMiner`) of the training contrast sentences, to learn from, and
    /// of the held-out ones, to calibrate on; both against an index of the training voice sentences.
    /// - Parameter progress: called with the share of the sentences to embed that are done (0...1).
    func mineNeighbours(corpus: TrainingCorpus, tokenizer: ModelTokenizer, progress: (Double) -> Void = { _ in }) throws(ModelError) -> MinedNeighbours {
        let encoder: MiniLMEncoder
        do { encoder = try MiniLMEncoder(files: BaseEncoder.files(for: style, resources: resources)) } catch let error as ModelError {
            throw error
        } catch { throw .baseModel("\(error)") }
        let miner = NeighbourMiner()
        let seed = UInt64(truncatingIfNeeded: style.model.seed)
        // The sentences to embed, at most (the samples keep distinct sentences of usable length).
        let voice = min(corpus.voice.count, miner.maximumVoice), contrast = min(corpus.contrast.count, miner.maximumContrast)
        let total = Double(max(voice + contrast + min(corpus.contrastHeldOut.count, miner.maximumContrast), 1))
        let index = miner.index(voice: corpus.voice, encoder: encoder, tokenizer: tokenizer, seed: seed) { progress(min(Double($0) / total, 1)) }
        var contrastMean: [Float] = []
        let train = miner.mine(contrast: corpus.contrast, index: index, tokenizer: tokenizer, seed: seed, queryMean: &contrastMean) {
            progress(min(Double(voice + $0) / total, 1))
        }
        var ignored: [Float] = []
        let heldOut = miner.mine(contrast: corpus.contrastHeldOut, index: index, tokenizer: tokenizer, seed: seed, queryMean: &ignored) {
            progress(min(Double(voice + contrast + $0) / total, 1))
        }
        return MinedNeighbours(train: train, heldOut: heldOut, axis: VoiceAxis(voiceMean: index.mean, contrastMean: contrastMean))
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
        if let gate = calibration.voiceGate { metrics["calibration_voice_gate"] = gate }
        if calibration.pairsGated == true { metrics["calibration_voice_gate_pairs"] = 1 }
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

    /// Words written with a capital somewhere in the middle of a line (names, and in lines of
    /// several sentences their first words too): what learned edits never anchor on (`all`); and
    /// of those, the words so written more often than not ("Lord", not "So" or "And"), whose
    /// capital an edit's new words keep (`mostly`). One pass over the sentences gives both.
    static func capitalisedMidSentence(_ sentences: [String], tokenizer: ModelTokenizer) -> (all: Set<String>, mostly: Set<String>) {
        var capitalised: [String: Int] = [:], lower: [String: Int] = [:]
        for sentence in sentences {
            for word in tokenizer.surfaceTokens(sentence).dropFirst() {
                if LearnedRewriter.isCapitalised(word) { capitalised[word, default: 0] += 1 } else { lower[word, default: 0] += 1 }
            }
        }
        return (Set(capitalised.keys), Set(capitalised.filter { word, count in count > lower[word.lowercased(), default: 0] }.keys))
    }

    private func loadReference() throws(ModelError) -> WordFrequencyReference {
        do { return try WordFrequencyReference.load(resources) } catch { throw .corpus(error) }
    }

    /// How many held-out sentences the report shows as edited.
    static let evaluationExamples = 8

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
            if evaluation.examples.count < Self.evaluationExamples {
                var text = bytes
                for proposal in applied.reversed() { text.replaceSubrange(proposal.edit.range, with: Array(proposal.edit.replacement.utf8)) }
                evaluation.examples.append((sentence, String(decoding: text, as: UTF8.self)))
            }
        }
        return evaluation
    }
}
