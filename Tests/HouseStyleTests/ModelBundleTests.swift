import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

@Test func trainingTwiceGivesByteIdenticalBundles() throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    let first = try Trainer(style: style, resources: testResources).train()
    #expect(first.directory == repository.root + "/models/test")
    let bytes = try folderContents(first.directory)
    #expect(Set(bytes.keys) == ["manifest.json", "report.md", "vocabulary.txt", "lm.bin", "salience.tsv", "substitutions.tsv", "memory.tsv", "lowercase-words.txt"])
    _ = try Trainer(style: style, resources: testResources).train()
    #expect(try folderContents(first.directory) == bytes)
    // Nothing is left beside the bundle.
    #expect(try FileManager.default.contentsOfDirectory(atPath: repository.root + "/models") == ["test"])
}

@Test func bundleStatusFollowsTheStyleAndCorpus() throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    #expect(try ModelBundle.status(of: style) == .missing)
    #expect(throws: ModelError.missing(style: "test", directory: repository.root + "/models/test")) { try ModelBundle.load(style) }
    _ = try Trainer(style: style, resources: testResources).train()
    #expect(try ModelBundle.status(of: style) == .current)
    try Data("Use it well.\n".utf8).write(to: URL(fileURLWithPath: repository.root + "/voice.txt"))
    #expect(try ModelBundle.status(of: style) == .stale(reason: "voice.txt changed"))
}

@Test func aDeployedBundleWithoutItsCorpusStaysCurrent() throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    _ = try Trainer(style: style, resources: testResources).train()
    // Shipped without the corpus (as to Spark executors): only the style files decide.
    for file in ["voice.txt", "contrast.txt", "edits.tsv"] { try FileManager.default.removeItem(atPath: repository.root + "/" + file) }
    let status = try ModelBundle.status(of: style)
    #expect(status == .current, "\(status)")
    // A change to a setting that training reads still makes it stale.
    let path = style.chain[0].path
    try Data((try String(contentsOfFile: path, encoding: .utf8) + "locale: en-GB\n").utf8).write(to: URL(fileURLWithPath: path))
    let edited = try StyleLoader(checksCorpusFiles: false).load(path: path)
    #expect(try ModelBundle.status(of: edited) == .stale(reason: "styles/test.yaml: 'locale' changed"))
}

/// The tiny style with `extra` settings, loaded from `styles/test.yaml` of `repository` after rewriting it.
private func restyle(_ repository: TemporaryRepository, _ extra: String, parent: String? = nil) throws -> Style {
    let extends = parent == nil ? "" : "extends: parent\n"
    try Data(("version: 1\nname: test\n" + extends + tinyStyle + "\n" + extra).utf8)
        .write(to: URL(fileURLWithPath: repository.root + "/styles/test.yaml"))
    if let parent { try Data(("version: 1\n" + parent).utf8).write(to: URL(fileURLWithPath: repository.root + "/styles/parent.yaml")) }
    return try StyleLoader().load(path: repository.root + "/styles/test.yaml")
}

@Test(arguments: [
    // Settings that act only when rewriting: the bundle stays current.
    ("avoid: [simply]\n", nil),
    ("avoid: [{word: utilize, instead: use}]\ndescription: plainer\n", nil),
    ("punctuation: {quotes: curly}\nrewrite: {confidence: 0.95}\n", nil),
    ("learned: {never: ['utilize -> use', leverage], sources: [thesaurus, vectors]}\n", nil),
    ("# a comment\n", nil),
    // Settings that training reads: stale, saying which.
    ("terms: [{use: Acme Cloud, instead_of: [acme cloud]}]\n", "styles/test.yaml: 'terms' changed"),
    ("contractions: prefer\n", "styles/test.yaml: 'contractions' changed"),
    ("spelling: en-GB\n", "styles/test.yaml: 'spelling' changed"),
    ("model: {seed: 3}\n", "styles/test.yaml: 'model' changed"),
    ("learned: {target_precision: 0.8}\n", "styles/test.yaml: 'learned.target_precision' changed"),
    ("rewrite: {preserve: [numbers]}\n", "styles/test.yaml: 'rewrite.preserve' changed"),
    // The calibration runs the meaning guard.
    ("rewrite: {min_similarity: 0.5}\n", "styles/test.yaml: 'rewrite.min_similarity' changed"),
] as [(String, String?)])
func onlyWhatTrainingReadsMakesABundleStale(extra: String, reason: String?) throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    _ = try Trainer(style: style, resources: testResources).train()
    let changed = try restyle(repository, extra)
    #expect(try ModelBundle.status(of: changed) == (reason.map { .stale(reason: $0) } ?? .current))
}

@Test func aParentsChangeToWhatTrainingReadsMakesItsChildStale() throws {
    let (repository, _) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    let child = try restyle(repository, "", parent: "avoid: [simply]\ncontractions: avoid\n")
    _ = try Trainer(style: child, resources: testResources).train()
    #expect(try ModelBundle.status(of: child) == .current)
    let moreAvoided = try restyle(repository, "", parent: "avoid: [simply, obviously]\ncontractions: avoid\nlearned: {never: [use]}\n")
    #expect(try ModelBundle.status(of: moreAvoided) == .current)
    let contracted = try restyle(repository, "", parent: "avoid: [simply]\ncontractions: prefer\n")
    #expect(try ModelBundle.status(of: contracted) == .stale(reason: "styles/test.yaml: 'contractions' changed"))
    let termed = try restyle(repository, "", parent: "avoid: [simply]\ncontractions: avoid\nterms: [{use: CLI, instead_of: [cli]}]\n")
    #expect(try ModelBundle.status(of: termed) == .stale(reason: "styles/test.yaml: 'terms' changed"))
}

@Test(arguments: [
    // The tiny corpus's editors turned "utilize" into "use" (a pair substitution).
    ("", "Teams use keys to sign requests."),
    ("learned: {never: ['utilize -> use']}\n", "Teams utilize keys to sign requests."),
    ("learned: {never: ['UTILIZE->Use']}\n", "Teams utilize keys to sign requests."),
    ("learned: {never: [use]}\n", "Teams utilize keys to sign requests."),
    ("learned: {never: [utilize]}\n", "Teams utilize keys to sign requests."),
    ("learned: {sources: [thesaurus]}\n", "Teams utilize keys to sign requests."),
    ("learned: {sources: []}\n", "Teams utilize keys to sign requests."),
    // Whole words only, and other substitutions stay vetoed one by one.
    ("learned: {never: [us, 'utilize -> used', sign]}\n", "Teams use keys to sign requests."),
    ("learned: {sources: [pairs]}\n", "Teams use keys to sign requests."),
] as [(String, String)])
func learnedSettingsActWithoutRetraining(extra: String, expected: String) throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    _ = try Trainer(style: style, resources: testResources).train()
    let configured = try restyle(repository, extra)
    #expect(try ModelBundle.status(of: configured) == .current)
    #expect(try Pipeline(style: configured, resources: testResources).rewrite(LearnedStage.examples[0].input, path: "x.md").text == expected)
}

@Test func aRestrictedModelKeepsOnlyTheAllowedSubstitutions() throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    _ = try Trainer(style: style, resources: testResources).train()
    let model = try ModelBundle.load(style)
    // The same substitutions and memory; the memory's recalled edits go to the filter as they are recalled.
    let all = model.restricted { _ in true }
    #expect(all.substitutions == model.substitutions && all.memory.count == model.memory.count && model.memory.count > 0)
    let pairs = model.restricted { $0.origin == .pair }
    #expect(!pairs.substitutions.isEmpty && pairs.substitutions.allSatisfy { $0.origin == .pair })
    #expect(pairs.vocabulary.tokens == model.vocabulary.tokens && pairs.unigramSalience == model.unigramSalience)
    withExtendedLifetime(repository) {}
}

@Test func learnedFilterMatchesWholeWordsIgnoringCase() throws {
    func substitution(_ origin: EditOrigin, _ before: String, _ after: String) -> Substitution {
        Substitution(origin: origin, before: before.split(separator: " ").map(String.init),
                     after: after.split(separator: " ").map(String.init), afterText: after, count: 1, strength: 1, example: "")
    }
    let settings = LearnedSettings(
        never: [LearnedVeto(word: "In order to"), LearnedVeto(word: "Utilize", replacement: "USE"), LearnedVeto(word: "app")])
    let filter = LearnedFilter(settings, tokenizer: try ModelTokenizer(locale: "en-US"))
    #expect(!filter.allows(substitution(.pair, "in order to", "to")))
    #expect(filter.allows(substitution(.pair, "in order", "to")))
    #expect(!filter.allows(substitution(.thesaurus, "utilize", "use")))
    #expect(filter.allows(substitution(.thesaurus, "utilize", "employ")))
    #expect(filter.allows(substitution(.retrieval, "utilize the", "use the")))
    #expect(!filter.allows(substitution(.retrieval, "application", "app")))
    #expect(filter.allows(substitution(.retrieval, "application", "apps")))
    #expect(!filter.allows(substitution(.vectors, "primary", "main")), "vectors are opt-in")
}

@Test func corruptOrForeignBundlesAreRejectedWhole() throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    let summary = try Trainer(style: style, resources: testResources).train()
    let lm = summary.directory + "/lm.bin"
    var data = try Data(contentsOf: URL(fileURLWithPath: lm))
    data[data.count - 1] ^= 0xFF
    try data.write(to: URL(fileURLWithPath: lm))
    #expect(throws: ModelError.corrupt(path: lm, reason: "its size or checksum differs from the manifest (changed or truncated)")) { try ModelBundle.load(style) }
    #expect(ModelError.corrupt(path: lm, reason: "x").description == "\(lm): broken model bundle: x; run 'housestyle train --force' to rebuild it")

    let manifest = summary.directory + "/manifest.json"
    // A manifest naming a file outside the bundle (here a device that never ends) is refused
    // before anything is read; so is a listed file that is not a regular file.
    _ = try Trainer(style: style, resources: testResources).train()
    var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifest))) as? [String: Any])
    let files = try #require(object["files"] as? [[String: Any]])
    for name in ["../../../../../../../../dev/zero", "..", ""] {
        object["files"] = files + [["name": name, "bytes": 1, "sha256": "00"]]
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: manifest))
        #expect(throws: ModelError.corrupt(path: manifest, reason: "it lists '\(name)', which is not the name of a file in the bundle folder")) {
            try ModelBundle.load(style)
        }
    }
    try FileManager.default.createDirectory(atPath: summary.directory + "/folder", withIntermediateDirectories: true)
    object["files"] = files + [["name": "folder", "bytes": 4096, "sha256": "00"]]
    try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: manifest))
    #expect(throws: ModelError.corrupt(path: summary.directory + "/folder", reason: "its size or checksum differs from the manifest (changed or truncated)")) {
        try ModelBundle.load(style)
    }

    try Data("{\"format\": \"something-else\"}".utf8).write(to: URL(fileURLWithPath: manifest))
    #expect(throws: ModelError.corrupt(path: manifest, reason: "the manifest is not valid JSON of a HouseStyle model")) { try ModelBundle.load(style) }

    // A bundle of another style.
    _ = try Trainer(style: style, resources: testResources).train()
    var other = style
    other.name = "other"
    try FileManager.default.moveItem(atPath: summary.directory, toPath: repository.root + "/models/other")
    #expect(throws: ModelError.foreign(path: repository.root + "/models/other", style: "test", expected: "other")) { try ModelBundle.load(other) }
}

@Test func pipelineWithoutATrainedModelSaysWhatToRun() throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    #expect(throws: ModelError.missing(style: "test", directory: repository.root + "/models/test")) {
        try Pipeline(style: style, resources: testResources)
    }
    #expect(ModelError.missing(style: "test", directory: "models/test").description == "no trained model for style 'test' in models/test; run 'housestyle train test'")
}

/// A model trained on the tiny corpus, for guard tests.
private func tinyRewrite(_ input: String, preserve: [PreservedKind] = PreservedKind.allCases) throws -> (String, [Finding]) {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    return try withExtendedLifetime(repository) {
        _ = try Trainer(style: style, resources: testResources).train()
        var configured = style
        configured.rewrite.preserve = preserve
        let result = try Pipeline(style: configured, resources: testResources).rewrite(input, path: "x.md")
        return (result.text, result.findings)
    }
}

@Test(arguments: [
    ("Teams utilize keys.", "Teams use keys."),
    ("Utilize keys for apps.", "Use keys for apps."),
    ("UTILIZE keys.", "USE keys."),
    // A capitalised word mid-sentence is a name.
    ("Ask Utilize Labs.", "Ask Utilize Labs."),
    // Code and URLs are not prose.
    ("Run `utilize` or see https://x.example/utilize today.", "Run `utilize` or see https://x.example/utilize today."),
])
func learnedEditsRespectTheGuards(input: String, expected: String) throws {
    #expect(try tinyRewrite(input).0 == expected)
}

@Test func learnedEditsExplainThemselves() throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    defer { withExtendedLifetime(repository) {} }
    _ = try Trainer(style: style, resources: testResources).train()
    let result = try Pipeline(style: style, resources: testResources).rewrite("Teams utilize keys.", path: "x.md")
    let edit = try #require(result.edits.first?.edit)
    #expect(edit.origin == .pair && edit.rule == "learned" && edit.confidence >= 0.7)
    #expect(edit.reason.hasPrefix("learned: 'utilize' -> 'use': pair phrase: editors made this change 2× in corpus.pairs (100% of the times they saw it); score "))
    var strict = style
    strict.rewrite.confidence = 1.0
    let reported = try Pipeline(style: strict, resources: testResources).rewrite("Teams utilize keys.", path: "x.md")
    #expect(reported.text == "Teams utilize keys.")
    #expect(reported.findings.count == 1 && reported.findings[0].rule == "learned" && reported.findings[0].level == .suggestion)
    #expect(reported.findings[0].message.hasPrefix("consider 'use' for 'utilize' (pair, confidence "))
}

@Test func negationsAreNeverAddedOrRemoved() throws {
    let vocabulary = Vocabulary(counting: ["never": 3, "always": 3, "do": 2, "not": 2, "don't": 2, "it": 5, "except": 2, "if": 2])
    let substitutions = [
        Substitution(origin: .pair, before: ["never"], after: ["always"], afterText: "always", count: 9, strength: 1, example: ""),
        Substitution(origin: .pair, before: ["do", "not"], after: ["don't"], afterText: "don't", count: 9, strength: 1, example: ""),
        // "except ye repent" is "if ye do not repent": "except" -> "if" alone reverses it.
        Substitution(origin: .pair, before: ["except"], after: ["if"], afterText: "if", count: 9, strength: 1, example: ""),
    ]
    let (languageModel, path) = try bigramModel(of: [Array(vocabulary.tokens[4...6])], vocabulary: vocabulary)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let salience = vocabulary.tokens.map { (ngram: $0, z: $0 == "always" || $0 == "don't" ? 8.0 : -8.0, voice: 1, contrast: 1) }
    let model = StyleModel(vocabulary: vocabulary, languageModel: languageModel, salience: salience, substitutions: substitutions)
    func edits(_ text: String, _ preserve: [PreservedKind]) throws -> [String] {
        let bytes = Array(text.utf8), prose = [0..<bytes.count]
        let words = try WordTracker(bytes: bytes, prose: prose, segmenter: try WordSegmenter(locale: "en")).words
        return LearnedRewriter(model: model, preserve: preserve).proposals(for: RuleText(bytes: bytes, words: words, prose: prose)).map(\.edit.replacement)
    }
    #expect(try edits("I never do not it.", PreservedKind.allCases) == ["don't"])
    let unguarded = try edits("I never do not it.", [.numbers])
    #expect(unguarded == ["always", "don't"])
    #expect(try edits("It except it.", PreservedKind.allCases).isEmpty)
    #expect(try edits("It except it.", [.numbers]) == ["if"])
}

/// A bigram language model over `vocabulary` that has seen `sentences`; the caller removes its file at `path`.
private func bigramModel(of sentences: [[String]], vocabulary: Vocabulary) throws -> (LanguageModel, path: String) {
    let tables = KneserNey.estimate(sentences: sentences.map { $0.map(vocabulary.id) }, vocabularySize: vocabulary.count, order: 2,
        reference: vocabulary.tokens.map { $0 == "<s>" ? 0 : 1.0 / Double(vocabulary.count - 1) })
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lm-\(UUID().uuidString).bin").path
    try Data(tables.serialized()).write(to: URL(fileURLWithPath: path))
    return (try LanguageModel(path: path), path)
}

@Test func aDeletionNeverLeavesAWordThatNeedsWhatFollows() throws {
    let vocabulary = Vocabulary(counting: ["we": 5, "are": 5, "stewards": 3, "not": 3, "idiots": 3, "go": 3, "away": 3, "now": 3])
    let substitutions = [Substitution(origin: .pair, before: ["idiots"], after: [], afterText: "", count: 9, strength: 1, example: "")]
    let (languageModel, path) = try bigramModel(of: [["we", "are", "stewards"], ["go", "away"], ["we", "are", "not", "now"]], vocabulary: vocabulary)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let salience = vocabulary.tokens.map { (ngram: $0, z: $0 == "idiots" ? -8.0 : 0, voice: 1, contrast: 1) }
    let model = StyleModel(vocabulary: vocabulary, languageModel: languageModel, salience: salience, substitutions: substitutions)
    func edited(_ text: String) throws -> String {
        var bytes = Array(text.utf8)
        let prose = [0..<bytes.count]
        let words = try WordTracker(bytes: bytes, prose: prose, segmenter: try WordSegmenter(locale: "en")).words
        let proposals = LearnedRewriter(model: model, preserve: [.numbers]).proposals(for: RuleText(bytes: bytes, words: words, prose: prose))
        for proposal in proposals.reversed() { bytes.replaceSubrange(proposal.edit.range, with: Array(proposal.edit.replacement.utf8)) }
        return String(decoding: bytes, as: UTF8.self)
    }
    #expect(try edited("We are stewards, not idiots.") == "We are stewards, not idiots.")
    #expect(try edited("We are idiots.") == "We are idiots.")
    #expect(try edited("Go away idiots.") == "Go away.")
    // Mid-sentence before a grammar word, the word before must stand without the deleted one.
    #expect(try edited("We are not idiots now.") == "We are not idiots now.")
    #expect(try edited("We idiots are not now.") == "We are not now.")
}

@Test func aWordASubstitutionKeepsAtItsStartOrEndStaysOutOfTheEdit() throws {
    // "this shit" -> "this thing" (a noun that needs a determiner, anchored on one) edits "shit" only,
    // "fucked up" -> "messed up" "fucked" only: the companion is no part of the change, and a judge
    // that sees the answer keep it sees no edit of it.
    let vocabulary = Vocabulary(counting: ["this": 5, "shit": 3, "thing": 3, "is": 5, "funny": 3, "it": 5, "fucked": 3, "messed": 3, "up": 5])
    let substitutions = [Substitution(origin: .pair, before: ["this", "shit"], after: ["this", "thing"], afterText: "this thing", count: 9, strength: 1, example: ""),
                         Substitution(origin: .pair, before: ["fucked", "up"], after: ["messed", "up"], afterText: "messed up", count: 9, strength: 1, example: "")]
    let (languageModel, path) = try bigramModel(of: [["this", "thing", "is", "funny"], ["it", "messed", "up"]], vocabulary: vocabulary)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let salience = vocabulary.tokens.map { (ngram: $0, z: $0 == "shit" || $0 == "fucked" ? -8.0 : 0, voice: 1, contrast: 1) }
    let model = StyleModel(vocabulary: vocabulary, languageModel: languageModel, salience: salience, substitutions: substitutions)
    for (input, original, replacement) in [("This shit is funny.", "shit", "thing"), ("THIS SHIT is funny.", "SHIT", "THING"), ("It fucked up.", "fucked", "messed")] {
        let bytes = Array(input.utf8)
        let words = try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: try WordSegmenter(locale: "en")).words
        let proposals = LearnedRewriter(model: model, preserve: [.numbers]).proposals(for: RuleText(bytes: bytes, words: words, prose: [0..<bytes.count]))
        let edit = try #require(proposals.first?.edit)
        #expect(String(decoding: bytes[edit.range], as: UTF8.self) == original && edit.replacement == replacement)
    }
}

@Test func aCandidateCalibrationAppliesIsNotCrowdedOutByOneItNeverApplies() throws {
    // At "rude", a vectors candidate ("nice", a strong prior) outscores a retrieval one ("friendly").
    // Calibration applies retrieval only: the retrieval edit must take the place.
    let vocabulary = Vocabulary(counting: ["it": 5, "was": 5, "rude": 3, "nice": 3, "friendly": 3])
    let substitutions = [
        Substitution(origin: .vectors, before: ["rude"], after: ["nice"], afterText: "nice", count: 9, strength: 1, example: ""),
        Substitution(origin: .retrieval, before: ["rude"], after: ["friendly"], afterText: "friendly", count: 3, strength: 1, example: ""),
    ]
    let (languageModel, path) = try bigramModel(of: [["it", "was", "nice"], ["it", "was", "friendly"]], vocabulary: vocabulary)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let salience = vocabulary.tokens.map { (ngram: $0, z: $0 == "rude" ? -8.0 : $0 == "nice" || $0 == "friendly" ? 8.0 : 0, voice: 1, contrast: 1) }
    let model = StyleModel(vocabulary: vocabulary, languageModel: languageModel, salience: salience, substitutions: substitutions)
    let bytes = Array("It was rude.".utf8), prose = [0..<bytes.count]
    let text = RuleText(bytes: bytes, words: try WordTracker(bytes: bytes, prose: prose, segmenter: try WordSegmenter(locale: "en")).words, prose: prose)
    var rewriter = LearnedRewriter(model: model, preserve: PreservedKind.allCases)
    #expect(rewriter.proposals(for: text).map(\.edit.replacement) == ["nice"])
    rewriter.judgedOrigins = [.retrieval: -.infinity]
    #expect(rewriter.proposals(for: text).map(\.edit.replacement) == ["friendly"])
    // Calibration judges each source as rewriting uses it once applicable: retrieval's edit is
    // judged although the vectors candidate outscores it in the same place.
    rewriter.judgedOrigins = nil
    let item = CalibrationItem(material: "neighbours", source: "It was rude.", answer: "It was friendly.")
    let calibration = try Calibrator.calibrate(rewriter, items: [item], locale: "en-US", targetPrecision: 0.9, tokenizer: try ModelTokenizer(locale: "en-US"))
    #expect(calibration.source(.retrieval).map { ($0.proposed, $0.right) } ?? (0, 0) == (1, 1))
    #expect(calibration.source(.vectors)?.proposed == 1)
}

@Test func theMeaningGuardLeavesTheVoiceAxisOut() throws {
    // Unit vectors: u the topic, d the voice axis, v another topic, all orthogonal.
    func unit(_ v: [Float]) -> [Float] { let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot(); return v.map { $0 / n } }
    let u: [Float] = [1, 0, 0, 0], d: [Float] = [0, 1, 0, 0], v: [Float] = [0, 0, 1, 0]
    let axis = try #require(VoiceAxis(voiceMean: [0.2, 0.5, 0.1, 0], contrastMean: [0.2, 0.1, 0.1, 0]))
    #expect(axis.direction == d && abs(axis.separation - 0.4) < 1e-6)
    // The same topic, one towards the voice and one away from it: plain cosine sees a change of
    // meaning, the guard none.
    let towards = unit(zip(u, d).map { $0 + 0.8 * $1 }), away = unit(zip(u, d).map { $0 - 0.8 * $1 })
    #expect(zip(towards, away).reduce(0) { $0 + $1.0 * $1.1 } < 0.3)
    #expect(abs(axis.similarity(towards, away) - 1) < 1e-5)
    // Another topic still counts in full.
    let other = unit(zip(v, d).map { $0 + 0.8 * $1 })
    #expect(abs(axis.similarity(towards, other)) < 1e-5)
    #expect(VoiceAxis(voiceMean: [1, 0], contrastMean: [1, 0]) == nil)
}

@Test func anEditThatCarriesTheSentenceIntoTheVoiceIsAskedLessSimilarity() {
    func comparison(_ before: Double, _ after: Double) -> NeuralVoice.Comparison {
        NeuralVoice.Comparison(voiceBefore: before, voiceAfter: after, logitGain: 0, similarity: 0.5)
    }
    // "bad !" -> "great !": the verdict moves from 0.02 to 0.95, so the voice explains 93% of the change.
    #expect(abs(comparison(0.02, 0.95).requiredSimilarity(0.85) - 0.85 * 0.07) < 1e-9)
    // A verdict that stays on one side, either side, asks the style's minimum in full.
    #expect(comparison(0.02, 0.45).requiredSimilarity(0.85) == 0.85)
    #expect(comparison(0.6, 0.99).requiredSimilarity(0.85) == 0.85)
    // So does an edit that takes the sentence out of the voice.
    #expect(comparison(0.9, 0.1).requiredSimilarity(0.85) == 0.85)
    // Just across: little is explained.
    #expect(abs(comparison(0.45, 0.55).requiredSimilarity(0.85) - 0.85 * 0.9) < 1e-9)
}

@Test func aVoiceAxisFileIsCheckedBeforeUse() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("axis-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/" + VoiceAxis.file
    #expect(try VoiceAxis.load(directory) == nil)
    try Data(#"{"direction": [0.6, 0.8], "separation": 0.5}"#.utf8).write(to: URL(fileURLWithPath: path))
    #expect(try VoiceAxis.load(directory, dimension: 2)?.direction == [0.6, 0.8])
    #expect(throws: ModelError.corrupt(path: path, reason: "the voice axis has 2 entries, the encoder's embeddings 384")) {
        try VoiceAxis.load(directory, dimension: 384)
    }
    for bad in [#"{"direction": [0.6, 0.9], "separation": 0.5}"#, #"{"direction": [], "separation": 0.5}"#] {
        try Data(bad.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ModelError.corrupt(path: path, reason: "the voice axis must be a finite direction of unit length")) {
            try VoiceAxis.load(directory)
        }
    }
}

private struct FakeScorer: BundleContributor {
    var name = "fake-scorer"
    var version = "1"
    var fileName = "scorer.bin"
    func train(_ context: ContributorContext) throws -> BundleContribution {
        let corpus = context.corpus
        return BundleContribution(files: [(fileName, Array("\(corpus.voice.count) sentences".utf8))], metrics: ["scorer_sentences": Double(corpus.voice.count)])
    }
}

@Test func contributorsAddChecksummedFilesToTheSameBundle() throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    var trainer = Trainer(style: style, resources: testResources)
    trainer.contributors = [FakeScorer()]
    let summary = try trainer.train()
    #expect(try String(contentsOfFile: summary.directory + "/scorer.bin", encoding: .utf8) == "5 sentences")
    #expect(summary.manifest.files.map(\.name).contains("scorer.bin") && summary.manifest.metrics["scorer_sentences"] == 5)
    #expect(summary.manifest.codeVersion == ModelManifest.codeVersion + "+fake-scorer.1")
    #expect(try ModelBundle.status(of: style, contributors: [FakeScorer()]) == .current)
    #expect(try ModelBundle.status(of: style) == .stale(reason: "trained by housestyle \(ModelManifest.codeVersion)+fake-scorer.1"))
    try Data("tampered".utf8).write(to: URL(fileURLWithPath: summary.directory + "/scorer.bin"))
    #expect(throws: ModelError.corrupt(path: summary.directory + "/scorer.bin", reason: "its size or checksum differs from the manifest (changed or truncated)")) {
        try ModelBundle.load(style, recipe: ModelRecipe(contributors: [FakeScorer()]))
    }
    trainer.contributors = [FakeScorer(fileName: "lm.bin")]
    #expect(throws: ModelError.contributorFailed(name: "fake-scorer", reason: "file name 'lm.bin' is already taken")) { try trainer.train() }
    // The failed run left the previous bundle and nothing else.
    #expect(try FileManager.default.contentsOfDirectory(atPath: repository.root + "/models") == ["test"])
}

/// A bundle is loaded only by the recipe it was trained with: the statistics of a bundle with a
/// scorer are not run as if they were a bundle of the statistics alone, nor a statistics-only
/// bundle as if it had the standard recipe's scorer.
@Test func loadingRefusesABundleTrainedWithAnotherRecipe() throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    let directory = repository.root + "/models/test"
    var trainer = Trainer(style: style, resources: testResources)
    trainer.contributors = [FakeScorer()]
    _ = try trainer.train()
    let trained = ModelManifest.codeVersion + "+fake-scorer.1"
    #expect(throws: ModelError.otherRecipe(style: "test", directory: directory, trained: trained, expected: ModelManifest.codeVersion)) {
        try ModelBundle.load(style, recipe: .statisticsOnly, resources: testResources)
    }
    #expect(throws: Never.self) { try ModelBundle.load(style, recipe: ModelRecipe(contributors: [FakeScorer()]), resources: testResources) }

    // The learned stage loads by the recipe its resources name: `.standard` unless told otherwise.
    _ = try Trainer(style: style, resources: testResources).train()
    let standard = ModelRecipe.standard.codeVersion
    #expect(throws: ModelError.otherRecipe(style: "test", directory: directory, trained: ModelManifest.codeVersion, expected: standard)) {
        try Pipeline(style: style, resources: Resources())
    }
    #expect(throws: Never.self) { try Pipeline(style: style, resources: Resources(modelRecipe: .statisticsOnly)) }
    #expect(ModelError.otherRecipe(style: "test", directory: directory, trained: ModelManifest.codeVersion, expected: standard).description
        == "the model in \(directory) was trained by housestyle \(ModelManifest.codeVersion), and this needs one trained by \(standard); "
        + "run 'housestyle train test'")
}

@Test func theReportSaysHowToVetoALearnedSubstitution() throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    let summary = try Trainer(style: style, resources: testResources).train()
    let report = try String(contentsOfFile: summary.directory + "/report.md", encoding: .utf8)
    #expect(report.contains("veto it with `learned: {never: [\"before -> after\"]}`"))
    #expect(report.contains("leave it out of `learned: {sources: [...]}`"))
    #expect(!report.contains("add the word to `avoid`"))
    withExtendedLifetime(repository) {}
}

/// A `train` killed between the commit's two renames left no bundle but a complete staged one: the
/// next look at the bundle finishes the commit; a killed training's staging folder is removed.
@Test func anInterruptedCommitIsCompletedAndLeftoversRemoved() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("housestyle-commit-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let directory = root + "/models/acme"
    let dead = "999999"  // above the default pid_max of many systems, and not this process
    for (folder, file) in [("/models/.acme.old-\(dead)", "old.txt"), ("/models/.acme.training-\(dead)", "manifest.json"),
                           ("/models/.other.training-\(dead)", "x")] {
        try FileManager.default.createDirectory(atPath: root + folder, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + folder + "/" + file))
    }
    ModelBundle.recoverInterruptedTraining(of: directory)
    #expect(FileManager.default.fileExists(atPath: directory + "/manifest.json"), "the staged bundle is moved in")
    #expect(!FileManager.default.fileExists(atPath: root + "/models/.acme.old-\(dead)"))
    #expect(!FileManager.default.fileExists(atPath: root + "/models/.acme.training-\(dead)"))
    #expect(FileManager.default.fileExists(atPath: root + "/models/.other.training-\(dead)"), "another style's folder is left alone")
    // A leftover staging folder beside a bundle is removed.
    try FileManager.default.createDirectory(atPath: root + "/models/.acme.training-\(dead)", withIntermediateDirectories: true)
    ModelBundle.recoverInterruptedTraining(of: directory)
    #expect(!FileManager.default.fileExists(atPath: root + "/models/.acme.training-\(dead)"))
    #expect(FileManager.default.fileExists(atPath: directory + "/manifest.json"))
}

@Test func onNeighbourMaterialAnotherOnVoiceWordIsRightOnlyAsTheSamePartOfSpeech() throws {
    // Needs the thesaurus that scripts/setup.sh installs (mythes-en-us).
    let thesaurus = try #require(Thesaurus(), "the thesaurus \(Thesaurus.defaultPath) is missing: run scripts/setup.sh")
    #expect(thesaurus.partsOfSpeech(of: "awful").contains("adj") && thesaurus.partsOfSpeech(of: "great").contains("adj"))
    #expect(thesaurus.partsOfSpeech(of: "unto").isEmpty)
    // Inflected forms have their lemma's parts of speech, as the inflection allows (WordNet's morphy).
    #expect(thesaurus.partsOfSpeech(of: "arose") == ["verb"] && thesaurus.partsOfSpeech(of: "got").contains("verb"))
    #expect(thesaurus.partsOfSpeech(of: "cometh") == ["verb"] && thesaurus.partsOfSpeech(of: "knowest") == ["verb"])
    #expect(thesaurus.partsOfSpeech(of: "greater").contains("adj") && !thesaurus.partsOfSpeech(of: "greater").contains("verb"))
    #expect(thesaurus.partsOfSpeech(of: "churches").contains("noun") && thesaurus.partsOfSpeech(of: "walked") == ["verb"])
    let vocabulary = Vocabulary(counting: ["it": 5, "was": 5, "awful": 3, "great": 3, "love": 3, "said": 3, "unto": 3, "gave": 3, "him": 3,
                                           "arose": 3, "got": 3, "stood": 3, "no": 3, "good": 3, "not": 3, "definitely": 3])
    let salience = vocabulary.tokens.map { token in
        (ngram: token, z: ["awful", "unto", "arose"].contains(token) ? -8.0 : ["great", "love", "gave", "got", "good", "definitely"].contains(token) ? 8.0 : 0,
         voice: 1, contrast: 1)
    }
    let tables = KneserNey.estimate(sentences: [["it", "was", "great"]].map { $0.map(vocabulary.id) }, vocabularySize: vocabulary.count, order: 2,
        reference: vocabulary.tokens.map { $0 == "<s>" ? 0 : 1.0 / Double(vocabulary.count - 1) })
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lm-\(UUID().uuidString).bin").path
    try Data(tables.serialized()).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let model = StyleModel(vocabulary: vocabulary, languageModel: try LanguageModel(path: path), salience: salience, substitutions: [])
    let rewriter = LearnedRewriter(model: model, preserve: PreservedKind.allCases)
    let tokenizer = try ModelTokenizer(locale: "en-US")
    func right(_ source: String, _ removed: String, _ replacement: String, answer: String, thesaurus: Thesaurus?) -> Bool {
        let bytes = Array(source.utf8)
        let range = source.range(of: removed)!
        let lower = source.utf8.distance(from: source.utf8.startIndex, to: range.lowerBound)
        let edit = Edit(range: lower..<(lower + removed.utf8.count), replacement: replacement, rule: "learned", reason: "")
        return Calibrator.replacesWhatNoNeighbourKeeps(edit, in: bytes, answers: [tokenizer.tokens(answer)], rewriter: rewriter,
                                                       tokenizer: tokenizer, thesaurus: thesaurus)
    }
    // The neighbour says "pristine": "great" is another right answer, an adjective for an adjective.
    #expect(right("It was awful.", "awful", "great", answer: "It was pristine.", thesaurus: thesaurus))
    // A noun or verb for the adjective, a verb for a preposition: on-voice words, but wrong.
    #expect(!right("It was awful.", "awful", "love", answer: "It was pristine.", thesaurus: thesaurus))
    #expect(!right("It said unto him.", "unto", "gave", answer: "It said in answer.", thesaurus: thesaurus))
    // An inflected verb for an inflected verb, neither of which the thesaurus lists itself.
    #expect(right("It arose.", "arose", "got", answer: "It stood.", thesaurus: thesaurus))
    // Without a thesaurus nothing tells the kinds apart, so only a closer sentence is right.
    #expect(!right("It was awful.", "awful", "great", answer: "It was pristine.", thesaurus: nil))
    // WordNet lists "no" as an adjective, but a grammar word is no adjective to replace; "not" is an adverb.
    #expect(thesaurus.partsOfSpeech(of: "no").contains("adj"))
    #expect(!right("Still no answer.", "no", "good", answer: "It was pristine.", thesaurus: thesaurus))
    #expect(right("It was not good.", "not", "definitely", answer: "It was pristine.", thesaurus: thesaurus))
    // A neighbour that has the removed word only under a negation says it the other way round:
    // "not awful" where the edit says "great". Without the negation, or where the source has it
    // too, the neighbour keeps the word and the replacement is wrong.
    #expect(right("It was really awful.", "awful", "great", answer: "It was not that awful.", thesaurus: thesaurus))
    #expect(!right("It was really awful.", "awful", "great", answer: "It was awful again.", thesaurus: thesaurus))
    #expect(!right("It was not awful.", "awful", "great", answer: "It was not that awful.", thesaurus: thesaurus))
    #expect(!right("It was really awful.", "awful", "great", answer: "Not for me: it was so very awful.", thesaurus: thesaurus))
}

@Test func calibrationTakesOnlyTheNeighboursTheScorerPutsInTheVoice() {
    // A corpus labelled by document holds sentences of the other voice: a neighbour the scorer
    // calls off-voice is no answer; the nearest on-voice one takes its place, and an item with none is left out.
    let mined = [
        NeighbourMiner.Mined(before: "the food was bad .", after: "the food was great .", similarity: 0.9),
        NeighbourMiner.Mined(before: "the soup was cold .", after: "the soup was cold again .", similarity: 0.9,
                             alternatives: ["the soup was lovely .", "the soup was hot and great ."]),
        NeighbourMiner.Mined(before: "the staff was rude .", after: "the staff was rude to us .", similarity: 0.9),
    ]
    var asked: [String] = []
    let kept = Trainer.onVoiceAnswers(mined) { sentences in
        asked += sentences
        return sentences.map { $0.contains("great") || $0.contains("lovely") ? 0.9 : 0.1 }
    }
    #expect(asked.count == 5)
    #expect(kept.map(\.before) == ["the food was bad .", "the soup was cold ."])
    #expect(kept.map(\.after) == ["the food was great .", "the soup was lovely ."])
    #expect(kept.map(\.alternatives) == [[], ["the soup was hot and great ."]])
}

@Test func onNeighbourMaterialFunctionWordsWhereNoNeighbourHasTheOldWordsAreUndetermined() throws {
    let tokenizer = try ModelTokenizer(locale: "en-US")
    func undetermined(_ source: String, _ removed: String, _ replacement: String, answers: [String]) -> Bool {
        let bytes = Array(source.utf8)
        let range = source.range(of: removed)!
        let lower = source.utf8.distance(from: source.utf8.startIndex, to: range.lowerBound)
        let edit = Edit(range: lower..<(lower + removed.utf8.count), replacement: replacement, rule: "learned", reason: "")
        var edited = bytes
        edited.replaceSubrange(edit.range, with: Array(replacement.utf8))
        let answerTokens = answers.map(tokenizer.tokens)
        let sourceTokens = tokenizer.tokens(source)
        return Calibrator.rewordsWhatNoNeighbourSays(edit, in: bytes, answers: answerTokens,
                                                     editedTokens: tokenizer.tokens(String(decoding: edited, as: UTF8.self)),
                                                     distances: answerTokens.map { Calibrator.wordDistance(sourceTokens, $0) }, tokenizer: tokenizer)
    }
    // The neighbour says it another way: which grammar words replace "Ye shall" it cannot tell.
    #expect(undetermined("Ye shall keep my sabbaths.", "Ye shall", "You will", answers: ["Keep my Sabbaths."]))
    // A neighbour that has an old word says it should stay.
    #expect(!undetermined("Ye shall keep my sabbaths.", "Ye shall", "You will", answers: ["Keep my Sabbaths.", "Ye shall rest."]))
    // A content word, a negation or a deletion is not a grammar word to leave undetermined.
    #expect(!undetermined("It said unto him.", "unto", "gave", answers: ["It said in answer."]))
    #expect(!undetermined("The food was good.", "was", "was not", answers: ["The meal is great."]))
    #expect(!undetermined("Ye shall keep my sabbaths.", "Ye shall ", "", answers: ["Keep my Sabbaths."]))
    // An edit that moves the sentence closer or further is judged by that, not left undetermined.
    #expect(!undetermined("Ye shall keep my sabbaths.", "Ye", "You", answers: ["Ye keep my Sabbaths."]))
}

@Test func onNeighbourMaterialLiftingANegationTheNeighbourLacksIsRight() throws {
    let tokenizer = try ModelTokenizer(locale: "en-US")
    func lifts(_ source: String, _ removed: String, _ replacement: String = "", answers: [String]) -> Bool {
        let range = source.range(of: removed)!
        let lower = source.utf8.distance(from: source.utf8.startIndex, to: range.lowerBound)
        let edit = Edit(range: lower..<(lower + removed.utf8.count), replacement: replacement, rule: "learned", reason: "")
        return Calibrator.liftsANegationANeighbourLacks(edit, in: Array(source.utf8), answers: answers.map(tokenizer.tokens), tokenizer: tokenizer)
    }
    // Word distance calls these no closer: "n't" -> "very" costs what deleting "n't" does.
    let source = "was n't impressed .", answer = "i was very impressed ."
    #expect(Calibrator.wordDistance(tokenizer.tokens("was impressed ."), tokenizer.tokens(answer))
            == Calibrator.wordDistance(tokenizer.tokens(source), tokenizer.tokens(answer)))
    #expect(lifts(source, "n't ", answers: [answer]))
    // The governed word is the first that is not a grammar word ("very" is one).
    #expect(lifts("the gal at the store was not very helpful .", "not ", answers: ["the women at the store were nice and very helpful ."]))
    // Not when the neighbour negates it too, or lacks it, or says it only under a negation.
    #expect(!lifts(source, "n't ", answers: ["i was not very impressed ."]))
    #expect(!lifts("customer service does not exist here .", "not ", answers: ["customer service is very good here ."]))
    // Not when a word after the site needs the negation, or nothing but punctuation follows.
    #expect(!lifts("the customer service was n't good either .", "n't ", answers: ["the customer service was also good ."]))
    #expect(!lifts("most likely absolutely not .", " not", answers: ["most likely ."]))
    // Only a deletion of "not", "n't" or "never": not "no", not a replacement.
    #expect(!lifts("there was no service .", "no ", answers: ["there was service ."]))
    #expect(!lifts(source, "n't", "really", answers: [answer]))
}
