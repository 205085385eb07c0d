import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

// Candidates, guards and calibration of the learned stage, on tiny synthetic data.

private func tokenizer() throws -> ModelTokenizer { try ModelTokenizer(locale: "en-US") }

private func pairs(_ lines: [(String, String)]) -> [SentencePair] {
    lines.enumerated().map { SentencePair(before: $1.0, after: $1.1, source: "edits.tsv:\($0 + 1)") }
}

/// A model over `vocabulary` whose bigram language model has seen `sentence`, with `salience`;
/// the caller removes the language model's file at `path`.
private func toyModel(_ vocabulary: Vocabulary, seen sentence: [String],
                      salience: [(ngram: String, z: Double, voice: Int, contrast: Int)] = []) throws -> (model: StyleModel, path: String) {
    let (languageModel, path) = try toyLanguageModel(vocabulary, sentences: [sentence])
    return (StyleModel(vocabulary: vocabulary, languageModel: languageModel, salience: salience, substitutions: []), path)
}

/// A style of `voice`, `contrast` and editors' pairs `edits` (statistics only, confidence 0.45),
/// trained, and its learned stage; the repository holds the files while the caller keeps it.
private func trainedStage(voice: String, contrast: String, edits: String) throws -> (TemporaryRepository, LearnedStage) {
    let (repository, style) = try trainingRepository(style: """
        corpus:
          voice: [voice.txt]
          contrast: [contrast.txt]
          pairs: [edits.tsv]
        rewrite:
          confidence: 0.45
        stages:
          post: [learned]
        """, files: ["voice.txt": voice, "contrast.txt": contrast, "edits.tsv": edits])
    _ = try Trainer(style: style, resources: Resources(styleRoot: style.root)).train()
    let stage = try #require(try LearnedStage(style: style, options: nil, resources: Resources(styleRoot: style.root, modelRecipe: .statisticsOnly)))
    return (repository, stage)
}

/// `input` (one line of prose) as the learned stage rewrites it.
private func rewritten(_ input: String, by stage: LearnedStage) throws -> String {
    let bytes = Array(input.utf8)
    let words = try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words
    var output = bytes
    for edit in stage.apply(to: RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])).edits.reversed() {
        output.replaceSubrange(edit.range, with: Array(edit.replacement.utf8))
    }
    return String(decoding: output, as: UTF8.self)
}

/// Whether `rewriter` may delete the first `word` of `sentence` (one line of prose, one sentence).
private func canDelete(_ word: String, in sentence: String, by rewriter: LearnedRewriter, editorsOwn: Bool) throws -> Bool {
    let bytes = Array(sentence.utf8)
    let words = try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words
    let text = RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])
    let index = try #require(words.firstIndex { text.string($0.range) == word })
    return rewriter.canDelete(first: index, last: index, sentence: 0..<words.count, text: text, editorsOwn: editorsOwn)
}

/// A bigram voice model of `sentences`, and the file it is in (the caller removes it).
func toyLanguageModel(_ vocabulary: Vocabulary, sentences: [[String]]) throws -> (LanguageModel, String) {
    let tables = KneserNey.estimate(sentences: sentences.map { $0.map(vocabulary.id) }, vocabularySize: vocabulary.count, order: 2,
        reference: vocabulary.tokens.map { $0 == "<s>" ? 0 : 1.0 / Double(vocabulary.count - 1) })
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lm-\(UUID().uuidString).bin").path
    try Data(tables.serialized()).write(to: URL(fileURLWithPath: path))
    return (try LanguageModel(path: path), path)
}

@Test func anEditAlwaysMadeBesideOneWordIsLearnedWithIt() throws {
    // "log in" -> "sign in" and "log out" -> "sign out", while "log files" stay: "log" -> "sign"
    // alone would be wrong half the time, so it is learned with its neighbour.
    let learned = SubstitutionLearner.fromPairs(pairs([
        ("Log in to the console.", "Sign in to the console."),
        ("You can log in with a key.", "You can sign in with a key."),
        ("Then log out of the console.", "Then sign out of the console."),
        ("The log files are kept.", "The log files are kept."),
        ("Read the log files first.", "Read the log files first."),
    ]), tokenizer: try tokenizer())
    let forms = learned.map { "\($0.before.joined(separator: " ")) -> \($0.after.joined(separator: " "))" }.sorted()
    #expect(forms == ["log in -> sign in", "log out -> sign out"])
}

@Test func anEditMadeOftenBesideManyWordsKeepsItsPlainForm() throws {
    // "utilize" -> "use" in 5 of 7 places, each beside a different word: below 0.9 it is learned
    // anchored on each neighbour, and, made 5 times at 0.71, in its plain form too. Made twice, only anchored.
    var lines = [("We utilize caching.", "We use caching."), ("They utilize queues.", "They use queues."),
                 ("You utilize tokens.", "You use tokens."), ("Apps utilize hooks.", "Apps use hooks."),
                 ("Teams utilize logs.", "Teams use logs."), ("Agents utilize locks.", "Agents utilize locks."),
                 ("Jobs utilize disks.", "Jobs utilize disks.")]
    let often = SubstitutionLearner.fromPairs(pairs(lines), tokenizer: try tokenizer())
    let plain = try #require(often.first { $0.before == ["utilize"] }, "\(often.map(\.before))")
    #expect(plain.after == ["use"] && plain.count == 5 && abs(plain.strength - 5.0 / 7.0) < 1e-9)
    #expect(often.contains { $0.before == ["utilize", "caching"] })
    lines = Array(lines.prefix(2)) + [("Agents utilize locks.", "Agents utilize locks.")]
    let twice = SubstitutionLearner.fromPairs(pairs(lines), tokenizer: try tokenizer())
    #expect(!twice.contains { $0.before == ["utilize"] }, "\(twice.map(\.before))")
}

@Test func aPairEditIsWrittenAsMostRevisionsWriteIt() throws {
    // The first revision begins a sentence with the new word in the middle of its verse.
    let learned = SubstitutionLearner.fromPairs(pairs([
        ("And he waited. Until the morning he slept.", "And he waited. Till the morning he slept."),
        ("They stayed until the evening.", "They stayed till the evening."),
        ("We sat there until noon.", "We sat there till noon."),
    ]), tokenizer: try tokenizer())
    let till = try #require(learned.first { $0.before == ["until"] })
    #expect(till.afterText == "till" && till.count == 3)
}

@Test func aCapitalTheNewWordsHaveOnlyWhereSomeoneBeginsToSpeakIsNotLearned() throws {
    // BBE opens what someone says with a capital after a comma. Each revision writes "Come
    // after" there; the corpora write "come" in lowercase mostly, so the edit's words are
    // "come after", which the rewriter capitalises where the word it replaces is ("Follow me").
    let lines = [("And he said to them, Follow me.", "And he said to them, Come after me."),
                 ("And Jesus said, Follow me, and I will teach you.", "And Jesus said, Come after me, and I will teach you."),
                 ("He said, Follow me now.", "He said, Come after me now.")]
    let (all, mostly) = Trainer.capitalisedMidSentence(lines.map(\.1) + ["They will come after the feast.", "Let him come to me.", "The day will come.", "I will come again."], tokenizer: try tokenizer())
    #expect(all.contains("Come") && !mostly.contains("Come") && mostly.contains("Jesus"))
    let learned = SubstitutionLearner.fromPairs(pairs(lines), tokenizer: try tokenizer(), properNames: all, writtenNames: mostly)
    let follow = try #require(learned.first { $0.before == ["follow"] })
    #expect(follow.afterText == "come after")
    // A name keeps its capital wherever it stands.
    #expect(SubstitutionLearner.surfaceWords("He said, Come to Jesus.", tokenizer: try tokenizer(), properNames: mostly, midLine: true)
            .filter { $0.first?.isLetter == true } == ["he", "said", "come", "to", "Jesus"])
    // Not knowing which words the corpora mostly capitalise, only the line's first capital is its place's.
    #expect(SubstitutionLearner.surfaceWords("He said, Come to Jesus.", tokenizer: try tokenizer(), properNames: [])
            .filter { $0.first?.isLetter == true } == ["he", "said", "Come", "to", "Jesus"])
}

@Test func insertionsAreAnchoredOnTheWordsAroundTheGap() throws {
    let learned = SubstitutionLearner.fromPairs(pairs([("Click Save to keep it.", "Click the Save button to keep it.")]),
                                                tokenizer: try tokenizer(), maxPhrase: 4, minPrecision: 0)
    let forms = learned.map { "\($0.before.joined(separator: " ")) -> \($0.after.joined(separator: " "))" }.sorted()
    #expect(forms == ["click save -> click the save", "save to -> save button to"])
}

@Test func oneRevisionsRewriteIsNotLearnedAsAPhraseEdit() throws {
    // Seen once, these pieces of a sentence's rewrite hold nowhere else: "Please be advised that the
    // key expires" must not become "We send the key expires", nor "Tokens should be stored in a vault"
    // "Tokens in a vault".
    let learned = SubstitutionLearner.fromPairs(pairs([
        ("Please be advised that invoices are sent on the first working day.", "We send invoices on the first working day."),
        ("Please be advised that signed links expire after 7 days.", "Signed links expire after 7 days."),
        ("The key should be stored in an environment variable.", "Store the key in an environment variable."),
        ("The restore takes approximately an hour.", "The restore takes about an hour."),
    ]), tokenizer: try tokenizer())
    let forms = learned.map { "\($0.before.joined(separator: " ")) -> \($0.after.joined(separator: " "))" }
    #expect(!forms.contains { $0.hasSuffix("-> we send") || $0.contains("stored in -> in") || $0.hasPrefix("should be stored") }, "\(forms)")
    #expect(forms.contains { $0.contains("approximately") && $0.contains("about") }, "\(forms)")
}

@Test func aWordMovedPastItsNeighbourIsOnePhraseEdit() throws {
    // The alignment sees "worshipped" -> "gave" and an inserted "worship": learned apart, the
    // first would make "they have gave them".
    let learned = SubstitutionLearner.fromPairs(pairs([
        ("And they worshipped him there.", "And they gave him worship there."),
        ("The people worshipped him greatly.", "The people gave him worship greatly."),
        ("Then the men worshipped him again.", "Then the men gave him worship again."),
    ]), tokenizer: try tokenizer())
    let forms = learned.map { "\($0.before.joined(separator: " ")) -> \($0.after.joined(separator: " "))" }
    #expect(forms.contains("worshipped him -> gave him worship"))
    #expect(!forms.contains { $0.hasPrefix("worshipped ->") })
    // Two replacements one word apart stay two edits.
    let runs = SubstitutionLearner.joiningMoves(SubstitutionLearner.diffRuns(["thou", "and", "thy"], ["you", "and", "your"]))
    #expect(runs.count == 2)
}

@Test func aRewordedPairTeachesTheRunsItsUnchangedWordsHoldInPlace() throws {
    // Changed in more than half its words, the pair is a rewrite; "thou wilt" -> "you will" sits
    // between "and if" and "walk before me", and is learned from it. "so said he" -> "and he
    // made answer" has the sentence's start on its left and "and if" on its right; the words
    // "thy fathers" -> "your fathers'" have a single kept word on their left ("of") and are not.
    let b = ["so", "said", "he", "and", "if", "thou", "wilt", "walk", "before", "me", "in", "the", "land", "of", "thy", "fathers"]
    let a = ["and", "he", "made", "answer", "and", "if", "you", "will", "walk", "before", "me", "in", "the", "country", "of", "your", "fathers", "house"]
    let (runs, evidence, reworded) = SubstitutionLearner.learnedRuns(b, a)
    #expect(reworded)
    let learned = runs.map { "\(b[$0.before].joined(separator: " ")) -> \(a[$0.after].joined(separator: " "))" }
    #expect(learned.contains("thou wilt -> you will"), "\(learned)")
    #expect(!learned.contains { $0.hasPrefix("thy") }, "\(learned)")
    // "walk before me" is evidence (a kept phrase counts against an edit that would change it); "thy" is not.
    #expect(evidence[7] && evidence[8] && !evidence[14])
    // A pair changed in few words teaches every run, and all its words are evidence.
    let light = SubstitutionLearner.learnedRuns(["thou", "art", "here"], ["you", "are", "here"])
    #expect(light.runs.count == 1 && light.evidence.allSatisfy { $0 })

    // Five reworded verses teach "thou wilt" -> "you will". A verse that keeps "thou wilt"
    // counts against it (5 of 6 places); one that rewrites it with the words around it counts neither way.
    let verses = ["walk", "go", "stand", "sit", "bow"].map { verb in
        ("So said he, and if thou wilt \(verb) before me in truth, it is well.", "And he made answer, and if you will \(verb) before me, good will come to you.")
    }
    let found = SubstitutionLearner.fromPairs(pairs(verses + [
        ("And if thou wilt keep my laws I will make thee great among the nations of the earth.", "And if thou wilt keep my laws I will make you great in all the earth."),
        ("Thou wilt not, said the Lord in anger against his servants.", "The Lord was angry with his servants, and gave them no answer."),
    ]), tokenizer: try tokenizer())
    let wilt = try #require(found.first { $0.before == ["thou", "wilt"] && $0.after == ["you", "will"] }, "\(found.map(\.before))")
    #expect(wilt.count == 5 && abs(wilt.strength - 5.0 / 6.0) < 1e-9)
    // Neighbour pairs (close sentences, not revisions) teach nothing from a reworded pair.
    let neighbours = SubstitutionLearner.fromPairs(pairs(verses), tokenizer: try tokenizer(), learnsFromRewordedPairs: false)
    #expect(neighbours.isEmpty, "\(neighbours.map(\.before))")
    // Made in one reworded pair only, an edit wants one revision more than one made in a light pair.
    let once = SubstitutionLearner.fromPairs(pairs(Array(verses.prefix(1))), tokenizer: try tokenizer())
    #expect(!once.contains { $0.before.first == "thou" }, "\(once.map(\.before))")
}

@Test func anInflectionPatternHoldsForWordsEditorsNeverChanged() throws {
    // Editors make "thou knowest" -> "you know" and four more such verbs (and "that thou mayest" ->
    // "so that you may" in a longer edit): the pattern holds for
    // "thou walkest", never seen in a pair. Not for "thou priest" -> "you pri" (the voice never
    // writes "pri"), nor for "thou contest" -> "you cont": the voice writes "contest" itself.
    let lines = [("For thou knowest the way.", "For you know the way."), ("What thou sayest is true.", "What you say is true."),
                 ("Where thou goest I will go.", "Where you go I will go."), ("That thou mayest live.", "So that you may live."),
                 ("If thou seekest him, he is near.", "If you seek him, he is near."),
                 ("What doest thou here, if thou doest well?", "What do you here, if you do well?")]
    let voice: [String: Int] = ["know": 9, "say": 9, "go": 9, "may": 9, "do": 9, "seek": 9, "walk": 4, "contest": 5, "cont": 5, "fair": 6]
    // The contrast writes the verbs' "-eth" forms; no "faireth": "thou fairest" is a superlative.
    let contrast: Set<String> = ["knoweth", "walketh", "saith", "goeth", "doeth", "seeketh"]
    func learn(_ lines: [(String, String)], words: [String], together: Set<[String]>? = nil,
               contrastWrites: @escaping (String) -> Bool = { contrast.contains($0) }) throws -> [String] {
        SubstitutionLearner.inflections(pairs(lines), tokenizer: try tokenizer(), words: words, properNames: [],
            leansOffVoice: { (voice[$0] ?? 0) == 0 }, voiceCount: { voice[$0] ?? 0 }, voiceWrites: { together?.contains($0) ?? true },
            contrastWrites: contrastWrites, writtenAfterASubject: { ["may", "say"].contains($0) })
            .map { "\($0.before.joined(separator: " ")) -> \($0.after.joined(separator: " "))" }.sorted()
    }
    let learned = try learn(lines, words: ["knowest", "walkest", "priest", "contest", "walk", "fairest"])
    #expect(learned == ["thou knowest -> you know", "thou walkest -> you walk"], "\(learned)")
    // Where the contrast wrote "faireth", "fairest" would be a verb's form too.
    #expect(try learn(lines, words: ["fairest"], contrastWrites: { _ in true }) == ["thou fairest -> you fair"])
    // Nor where the voice never writes the new words together.
    #expect(try learn(lines, words: ["knowest", "walkest"], together: [["you", "know"]]) == ["thou knowest -> you know"])
    // Made with four different words, the pattern is not learned.
    #expect(try learn(lines.filter { !$0.0.contains("seekest") }, words: ["knowest", "walkest"]).isEmpty)
    // Left unchanged where it fits more often than made, it is not learned either (6 of 21 places).
    let kept = (1...15).map { ("Then thou knowest him \($0) times.", "Then thou knowest him \($0) times.") }
    #expect(try learn(lines + kept, words: ["knowest", "walkest"]).isEmpty)
    // `--explain` shows the pattern, not a phrase's count.
    let walk = try #require(SubstitutionLearner.inflections(pairs(lines), tokenizer: try tokenizer(), words: ["walkest"], properNames: [],
        leansOffVoice: { (voice[$0] ?? 0) == 0 }, voiceCount: { voice[$0] ?? 0 }, voiceWrites: { _ in true },
        contrastWrites: { contrast.contains($0) }, writtenAfterASubject: { ["may", "say"].contains($0) }).first)
    #expect(walk.origin == .pair && walk.example.hasPrefix(SubstitutionLearner.patternPrefix + "editors make 'thou -est' -> 'you -' 6×"), "\(walk.example)")
    // The voice's nearest sentences teach a pattern as editors do (a style without pairs: the
    // BBE's nearest verses make "-eth" "-s" with many verbs); it is a `retrieval` edit, and
    // `--explain` says where it came from.
    let neighbours = lines.map { SentencePair(before: $0.0, after: $0.1, source: "") }
    let fromNeighbours = try #require(SubstitutionLearner.inflections(neighbours, tokenizer: try tokenizer(), words: ["walkest"], properNames: [],
        leansOffVoice: { (voice[$0] ?? 0) == 0 }, voiceCount: { voice[$0] ?? 0 }, voiceWrites: { _ in true },
        contrastWrites: { contrast.contains($0) }, writtenAfterASubject: { ["may", "say"].contains($0) }, origin: .retrieval).first)
    #expect(fromNeighbours.origin == .retrieval && fromNeighbours.before == ["thou", "walkest"] && fromNeighbours.after == ["you", "walk"])
    #expect(fromNeighbours.example.hasPrefix("retrieval " + SubstitutionLearner.patternPrefix
        + "the voice's nearest sentences (frozen encoder) make 'thou -est' -> 'you -' 6×"), "\(fromNeighbours.example)")
    #expect(SubstitutionLearner.inflection("cometh", "comes") == .init(from: "th", to: "s"))
    #expect(SubstitutionLearner.inflection("hand", "hands") == nil)
}

@Test func aPatternInflectsOnlyAVerbsForm() {
    // Ordinals, superlatives and nouns end as verbs do: "fiftieth", "thou fairest", "thou forest".
    // (The contrast writes "forth", which is no "-th" form of "for".)
    let contrast: Set<String> = ["cometh", "resteth", "fiftieth", "forth"], subjectVerbs: Set<String> = ["saw", "did"]
    func verb(_ word: String, _ from: String, _ to: String, _ result: String) -> Bool {
        SubstitutionLearner.isAVerbForm(word, .init(from: from, to: to), result,
                                        contrastWrites: { contrast.contains($0) }, writtenAfterASubject: { subjectVerbs.contains($0) })
    }
    #expect(verb("cometh", "th", "s", "comes"))
    #expect(!verb("fiftieth", "th", "s", "fifties"))
    #expect(verb("restest", "est", "", "rest"))     // the contrast writes "resteth"
    #expect(verb("sawest", "est", "", "saw"))       // the voice writes "they saw"
    #expect(verb("didst", "st", "", "did"))
    #expect(!verb("fairest", "est", "", "fair"))
    #expect(!verb("forest", "est", "", "for"))
    #expect(verb("comest", "st", "", "come"))       // a stem in "e" takes "-th": "cometh"
}

@Test func noEditProducesAContractionFragment() {
    #expect(SubstitutionLearner.producesFragment(before: ["i", "highly", "recommend"], after: ["i", "d", "suggest"]))
    #expect(!SubstitutionLearner.producesFragment(before: ["it", "s"], after: ["it", "s"]))
    #expect(!SubstitutionLearner.producesFragment(before: ["do", "not"], after: ["don't"]))
}

@Test func retrievalFillsKeepTheMarkersMeaning() throws {
    // Off-voice "assist", "tenant" and "simply" sit where on-voice text writes "help", "key" and
    // nothing: "help" is a synonym in the main senses of both (kept), "key" a sibling, not a
    // paraphrase (refused), and "simply" a filler that can go.
    guard let thesaurus = Thesaurus() else { return }  // mythes-en-us not installed: nothing to check
    let vocabulary = Vocabulary(tokens: Vocabulary.specials + ["we", "assist", "help", "users", "rotate", "the", "tenant", "key", "now", "simply", "click"])
    func ids(_ s: String) -> [UInt32] { s.split(separator: " ").map { vocabulary.id(String($0)) } }
    let contrast = ["we assist users", "we assist the tenant", "rotate the tenant now", "we simply click"].map(ids)
    let voice = ["we help users", "we help the key", "rotate the key now", "we click", "we click now"].map(ids)
    let off = ["assist", "tenant", "simply"].map { SalienceEntry(ngram: ids($0), z: -3, voiceCount: 0, contrastCount: 5) }
    let learned = SubstitutionLearner.fromRetrieval(voice: voice, contrast: contrast, offVoice: off, unigramZ: { _ in 0 },
                                                    vocabulary: vocabulary, properNames: [], thesaurus: thesaurus, minShared: 1)
    let forms = Set(learned.map { "\($0.before.joined(separator: " ")) -> \($0.after.joined(separator: " "))" })
    #expect(forms.contains("assist -> help"))
    #expect(forms.contains("simply -> "))
    #expect(!forms.contains { $0.hasPrefix("tenant ->") })
    #expect(learned.allSatisfy { $0.origin == .retrieval })
}

@Test func contextFillsTheThesaurusCannotVouchForAreVectorsCandidates() throws {
    // Off-voice "rude" sits where on-voice text writes "friendly" (an antonym: no thesaurus vouches
    // for it) and "tenant" where it writes "key". "friendly" is an on-voice marker and the corpora
    // use it in the same contexts, so it is a `vectors` candidate (opt-in, and calibrated); "key"
    // is an ordinary word, so it is none.
    let words = ["the", "staff", "was", "rude", "friendly", "today", "waiter", "a", "served", "us", "rotate", "tenant", "key", "now", "very", "so"]
    let vocabulary = Vocabulary(tokens: Vocabulary.specials + words)
    func ids(_ s: String) -> [UInt32] { s.split(separator: " ").map { vocabulary.id(String($0)) } }
    let frames = ["the staff was X today", "a X waiter served us", "the waiter was so X", "the staff was very X now"]
    let contrast = (frames.map { $0.replacingOccurrences(of: "X", with: "rude") } + ["rotate the tenant now", "the tenant was served"]).map(ids)
    let voice = (frames.map { $0.replacingOccurrences(of: "X", with: "friendly") } + ["rotate the key now", "the key was served"]).map(ids)
    let vectors = WordVectors(sentences: Array(repeating: contrast + voice, count: 5).flatMap { $0 }, vocabularySize: vocabulary.count, seed: 7)
    #expect((vectors.cosine(vocabulary.id("rude"), vocabulary.id("friendly")) ?? 0) >= SubstitutionLearner.contextFillCosine)
    let off = ["rude", "tenant"].map { SalienceEntry(ngram: ids($0), z: -3, voiceCount: 0, contrastCount: 5) }
    let z: (UInt32) -> Double = { vocabulary.tokens[Int($0)] == "friendly" ? 3 : 0 }
    let learned = SubstitutionLearner.fromRetrieval(voice: voice, contrast: contrast, offVoice: off, unigramZ: z,
                                                    vocabulary: vocabulary, properNames: [], thesaurus: Thesaurus(), vectors: vectors)
    let forms = Set(learned.map { "\($0.origin.name): \($0.before.joined(separator: " ")) -> \($0.after.joined(separator: " "))" })
    #expect(forms.contains("vectors: rude -> friendly"))
    #expect(!forms.contains { $0.contains("tenant ->") })
    // Without word vectors there is no such candidate.
    let without = SubstitutionLearner.fromRetrieval(voice: voice, contrast: contrast, offVoice: off, unigramZ: z,
                                                    vocabulary: vocabulary, properNames: [], thesaurus: Thesaurus())
    #expect(!without.contains { $0.origin == .vectors })
}

@Test func calibrationPicksTheLowestThresholdThatReachesTheTarget() throws {
    // By falling score: 9 right, then a wrong one at 2.5, then right again.
    let edits: [(score: Double, right: Bool)] = (0..<9).map { (Double(10 - $0), true) } + [(2.5, false), (2, true), (1.5, false), (1, false)]
    let chosen = try #require(Calibrator.threshold(edits, target: 0.9))
    // Down to 2: 10 of 11 right, smoothed 10.5 / 12 = 0.875, misses 0.9; down to 3: 8 of 8, 8.5 / 9 = 0.94.
    #expect(chosen.score == 3.0 && chosen.applied == 8 && chosen.right == 8)
    // Too few right edits, or never precise enough: no threshold, the source is not applied.
    #expect(Calibrator.threshold([(5, true), (4, true)], target: 0.5) == nil)
    #expect(Calibrator.threshold([(5, true), (4, false), (3, true), (2, false), (1, true)], target: 0.9) == nil)
    // Edits on on-voice text are capped: with at most one, the threshold stops above the second.
    let onVoice = edits.map { $0.score == 6 || $0.score == 4 }
    let capped = try #require(Calibrator.threshold(edits, target: 0.5, onVoice: onVoice, maximumOnVoice: 1))
    #expect(capped.score == 5.0 && capped.applied == 6)
}

@Test func theOnVoiceBudgetIsSharedAndGoesWhereItBuysTheMostRightEdits() throws {
    // Source A: 4 right edits, then an on-voice edit, then 6 more right. Source B: 3 right, an
    // on-voice edit, 1 right. Source C: an on-voice edit first, then 5 right.
    let a = (0..<4).map { (score: Double(20 - $0), right: true, onVoice: false) } + [(15.5, false, true)]
        + (0..<6).map { (score: Double(15 - $0), right: true, onVoice: false) }
    let b = (0..<3).map { (score: Double(20 - $0), right: true, onVoice: false) } + [(16.5, false, true), (16, true, false)]
    let c = [(score: 30.0, right: false, onVoice: true)] + (0..<5).map { (score: Double(20 - $0), right: true, onVoice: false) }
    // With one on-voice edit for all three, A gains 6 by it, B 1, C 5: A gets it.
    #expect(Calibrator.shareOnVoiceBudget(1, target: 0.6, sources: [a, b, c]) == [1, 0, 0])
    // With two, A and C; with none, only the edits above each source's first on-voice edit.
    #expect(Calibrator.shareOnVoiceBudget(2, target: 0.6, sources: [a, b, c]) == [1, 0, 1])
    #expect(Calibrator.shareOnVoiceBudget(0, target: 0.6, sources: [a, b, c]) == [0, 0, 0])
    // Each source alone would have taken the whole budget: the caps never sum past it.
    let caps = Calibrator.shareOnVoiceBudget(2, target: 0.6, sources: [a, b, c, a])
    #expect(caps.reduce(0, +) <= 2)
    // Counting only some right edits (those on the editors' held-out pairs): A's six after its
    // on-voice edit are on mined neighbours and count for nothing, C's five count, so C gets it.
    let countedA = (0..<5).map { _ in true } + (0..<6).map { _ in false }
    let all = { (edits: [(score: Double, right: Bool, onVoice: Bool)]) in edits.map { _ in true } }
    #expect(Calibrator.shareOnVoiceBudget(1, target: 0.6, sources: [a, b, c], counted: [countedA, all(b), all(c)]) == [0, 0, 1])
    #expect(Calibrator.shareOnVoiceBudget(1, target: 0.6, sources: [a, b, c], counted: [all(a), all(b), all(c)]) == [1, 0, 0])
}

@Test func onlyTheSourcesAStyleAllowsShareTheOnVoiceBudget() {
    // Word vectors: 8 right edits past an on-voice one; the editors' phrases: 3 past one. With one
    // on-voice edit to share, vectors would take it; a style that leaves vectors out (the default
    // `learned.sources`) gives it to the pairs, and vectors keep a threshold above their on-voice edit.
    func judged(_ origin: EditOrigin, _ edits: [(String, Double, Bool)]) -> [Calibrator.Judged] {
        edits.map { material, score, right in
            Calibrator.Judged(origin: origin, score: score, statistical: score, voiceAsWritten: nil, verdict: right ? .right : .wrong,
                example: .init(origin: origin.name, material: material, before: "b", edited: "e", answer: "a", score: score, right: right, applied: false))
        }
    }
    let edits = judged(.vectors, (0..<4).map { ("neighbours", Double(30 - $0), true) } + [("on_voice", 25.5, false)]
                                 + (0..<8).map { ("neighbours", Double(25 - $0), true) })
        + judged(.pair, (0..<4).map { ("neighbours", Double(20 - $0), true) } + [("on_voice", 15.5, false)]
                        + (0..<3).map { ("neighbours", Double(15 - $0), true) })
    let words = ["neighbours": 3000, "on_voice": 2000]
    let material = ["neighbours": 19, "on_voice": 40]
    let everything = Calibrator.fit(edits, words: words, material: material, wanted: 20, targetPrecision: 0.6)
    #expect(everything.source(.vectors)?.threshold == 18 && everything.source(.pair)?.threshold == 17)
    let defaults = Calibrator.fit(edits, words: words, material: material, wanted: 20, targetPrecision: 0.6,
                                  allowed: Set(LearnedSource.defaults.flatMap(\.origins)))
    #expect(defaults.source(.vectors)?.threshold == 27 && defaults.source(.pair)?.threshold == 13)
}

@Test func editorsEditsMadeInFewRevisionsAreCalibratedApart() throws {
    // Twelve editors' edits made often, all right, scoring 20 down to 9; twelve made in two
    // revisions scoring as high, every other one wrong. Together, 18 of 24 (0.75) and a target
    // of 0.8 would set one threshold that applies 8 of the rare ones, 4 of them wrong. Apart,
    // the often-made edits are all applied, the rare ones never reach the target.
    func judged(_ className: String?, _ edits: [(Double, Bool)]) -> [Calibrator.Judged] {
        edits.map { score, right in
            Calibrator.Judged(origin: .pair, score: score, statistical: score, voiceAsWritten: nil, verdict: right ? .right : .wrong,
                example: .init(origin: className ?? "pair", material: "pairs", before: "b", edited: "e", answer: "a", score: score, right: right, applied: false))
        }
    }
    let often = judged(nil, (0..<12).map { (Double(20 - $0), true) })
    let rare = judged(Calibration.fewRevisionsClass, (0..<12).map { (Double(20 - $0) - 0.5, $0 % 2 == 0) })
    let calibration = Calibrator.fit(often + rare, words: ["pairs": 1000], material: ["pairs": 24], wanted: 30, targetPrecision: 0.8)
    #expect(calibration.sources.map(\.origin).prefix(2) == ["pair", Calibration.fewRevisionsClass])
    #expect(calibration.source(.pair)?.applied == 12 && calibration.source(.pair, revisions: 2)?.threshold == nil)
    #expect(calibration.decide(origin: .pair, revisions: 40, score: 9.5).apply)
    #expect(!calibration.decide(origin: .pair, revisions: 2, score: 19.5).apply)
    #expect(!calibration.decide(origin: .pair, revisions: Calibration.fewRevisions - 1, score: 19.5).apply)
    #expect(calibration.decide(origin: .pair, revisions: Calibration.fewRevisions, score: 19.5).apply)
    // With no rare edits on the material the class is left out, and a bundle calibrated before
    // the classes judges every editors' edit by the one threshold.
    let before = Calibrator.fit(often, words: ["pairs": 1000], material: ["pairs": 12], wanted: 30, targetPrecision: 0.8)
    #expect(!before.sources.contains { $0.origin == Calibration.fewRevisionsClass })
    #expect(before.decide(origin: .pair, revisions: 2, score: 19.5).apply)
    // Where either class has fewer than 20 edits the answers judge, they are judged together:
    // a class of 3 right edits would never be applied.
    #expect(Calibrator.inClassesLargeEnough(often + rare).allSatisfy { $0.className == "pair" && $0.example.origin == "pair" })
    let many = judged(nil, (0..<20).map { (Double(40 - $0), true) })
    let manyRare = judged(Calibration.fewRevisionsClass, (0..<20).map { (Double(40 - $0) - 0.5, $0 % 2 == 0) })
    #expect(Calibrator.inClassesLargeEnough(many + manyRare).filter { $0.className == Calibration.fewRevisionsClass }.count == 20)
    // The report says what the class is where there is one.
    #expect(Report.calibration(calibration).contains("`pair-few`: the editors' edits made in fewer than 5 training revisions"))
    #expect(!Report.calibration(before).contains("pair-few"))
    // Together they would have been judged as one source.
    let together = Calibrator.fit(often + rare.map { var j = $0; j.example.origin = "pair"; return j }, words: ["pairs": 1000], material: ["pairs": 24],
                                  wanted: 30, targetPrecision: 0.8)
    #expect(together.source(.pair).map { $0.applied - $0.appliedRight } ?? 0 > 0)
}

@Test func calibrationChoosesTheOnVoiceGateThatAppliesTheMostRightEdits() throws {
    // (source, material, score, right, the scorer's verdict on the sentence as written).
    func judged(_ edits: [(EditOrigin, String, Double, Bool, Double?)]) -> [Calibrator.Judged] {
        edits.map { origin, material, score, right, voice in
            Calibrator.Judged(origin: origin, score: score, statistical: score, voiceAsWritten: voice, verdict: right ? .right : .wrong,
                example: .init(origin: origin.name, material: material, before: "b", edited: "e", answer: "a", score: score, right: right, applied: false))
        }
    }
    // Retrieval: ten right edits in off-voice sentences (P 0.2); two right ones, scoring low, in
    // sentences the scorer puts at 0.75; two wrong ones on on-voice text at 0.85, scoring high.
    // Three right pair edits in sentences at 0.99, which no gate touches.
    let edits = judged((0..<10).map { (.retrieval, "neighbours", Double(10 - $0), true, 0.2) }
        + [(.retrieval, "neighbours", 0.9, true, 0.75), (.retrieval, "neighbours", 0.8, true, 0.75),
           (.retrieval, "on_voice", 7.5, false, 0.85), (.retrieval, "on_voice", 6.5, false, 0.85)]
        + (0..<3).map { (.pair, "pairs", Double(5 - $0), true, 0.99) })
    // 2,000 on-voice words: one edit there at most.
    let words = ["neighbours": 5000, "on_voice": 2000, "pairs": 300]
    let chosen = Calibrator.choosingTheGate(edits, words: words, material: ["neighbours": 12, "on_voice": 40, "pairs": 3], wanted: 20, targetPrecision: 0.6)
    // Without a gate (1) the on-voice budget stops retrieval at 7 (4 right, one wrong); at 0.5–0.7
    // the on-voice edits go but so do the two right ones at 0.75; at 0.8 only the wrong ones go.
    #expect(chosen.voiceGate == 0.8)
    #expect(chosen.applied.right == 15 && chosen.applied.count == 15)
    let tried = try #require(chosen.gateBars)
    #expect(tried.filter { $0.count == 3 }.map { $0[0] } == Calibrator.gateBars)
    // Each bar below 1 is tried with the editors' own edits gated too: here that loses their three.
    #expect(tried.filter { $0.count == 4 }.map { $0[0] } == Calibrator.gateBars.filter { $0 < 1 })
    #expect(chosen.pairsGated == nil)
    // The memory's edits are the editors' own too: in place of the pair edits, the same choice.
    let recalled = edits.map { edit in
        var memory = edit
        if edit.origin == .pair { (memory.origin, memory.example.origin) = (.memory, EditOrigin.memory.name) }
        return memory
    }
    let withMemory = Calibrator.choosingTheGate(recalled, words: words, material: ["neighbours": 12, "on_voice": 40, "pairs": 3], wanted: 20, targetPrecision: 0.6)
    #expect(withMemory.voiceGate == 0.8 && withMemory.applied.right == 15 && withMemory.pairsGated == nil && withMemory.source(.memory)?.threshold == 3)
    #expect(tried.first { $0.count == 4 && $0[0] == 0.8 }?[1] == 12)
    #expect(tried.first { $0[0] == 0.5 }?[1] == 13)
    #expect(tried.first { $0[0] == 1 }.map { [$0[1], $0[2]] } == [7, 8])
    #expect(chosen.source(.retrieval)?.threshold == 0.8)
    // Right edits only in sentences at 0.92: the lowest bar that keeps them all.
    let bible = Calibrator.choosingTheGate(judged((0..<6).map { (.thesaurus, "neighbours", Double(6 - $0), true, 0.92) }),
                                           words: words, material: [:], wanted: 6, targetPrecision: 0.6)
    #expect(bible.voiceGate == 0.95 && bible.applied.right == 6)
    // Without the scorer's verdicts there is no gate to choose.
    let statistics = Calibrator.choosingTheGate(judged((0..<6).map { (.thesaurus, "neighbours", Double(6 - $0), true, nil) }),
                                                words: words, material: [:], wanted: 6, targetPrecision: 0.6)
    #expect(statistics.voiceGate == nil && statistics.gateBars == nil && statistics.applied.right == 6)
    // Only the sources the style allows choose the bar. Word vectors' four right edits in
    // sentences at 0.75 would buy the bar 0.8; left out, as by default, they buy nothing, and
    // retrieval's five, kept at every bar, leave the lowest.
    let mixed = judged((0..<5).map { (.retrieval, "neighbours", Double(10 - $0), true, 0.2) }
        + (0..<4).map { (.vectors, "neighbours", Double(10 - $0), true, 0.75) })
    let material = ["neighbours": 9, "on_voice": 40]
    #expect(Calibrator.choosingTheGate(mixed, words: words, material: material, wanted: 9, targetPrecision: 0.6).voiceGate == 0.8)
    let allowed = Set(LearnedSource.defaults.flatMap(\.origins))
    #expect(!allowed.contains(.vectors) && allowed.contains(.retrieval))
    let byDefault = Calibrator.choosingTheGate(mixed, words: words, material: material, wanted: 9, targetPrecision: 0.6, allowed: allowed)
    #expect(byDefault.voiceGate == 0.5 && byDefault.applied(among: allowed).right == 5)
    // Where the editors' phrases fire on on-voice text (sentences at 0.95), the one on-voice edit
    // the budget allows stops them at 6.5, above four right edits; gating them there too frees
    // the budget, and all eight right edits are made.
    let editors = judged((0..<4).map { (.pair, "pairs", Double(10 - $0), true, 0.2) }
        + [(.pair, "on_voice", 6.5, false, 0.95), (.pair, "on_voice", 6.2, false, 0.95)]
        + (0..<4).map { (.pair, "pairs", Double(6 - $0), true, 0.2) })
    let gated = Calibrator.choosingTheGate(editors, words: words, material: ["pairs": 8, "on_voice": 40], wanted: 8, targetPrecision: 0.6)
    #expect(gated.pairsGated == true && gated.voiceGate == 0.5 && gated.applied.right == 8)
    #expect(gated.source(.pair)?.threshold == 3)
    #expect(Report.calibration(gated).contains("the editors' own included"))
    #expect(tried.count == 13 && gated.gateBars?.first { $0.count == 3 && $0[0] == 1 }?[1] == 4)
    // The report says which bar was chosen and what each gave.
    let report = Report.calibration(chosen)
    #expect(report.contains("P ≥ 0.80") && report.contains("none 7 right of 8"))
    // A calibration from before the choice reads as one without a gate of its own.
    var old = try JSONSerialization.jsonObject(with: JSONEncoder().encode(chosen)) as! [String: Any]
    old["voiceGate"] = nil
    old["gateBars"] = nil
    let decoded = try JSONDecoder().decode(Calibration.self, from: JSONSerialization.data(withJSONObject: old))
    #expect(decoded.voiceGate == nil)
}

@Test func isotonicStepsNeverFallAsTheScoreRises() throws {
    let points: [(Double, Bool)] = [(5, true), (4, true), (3.5, true), (3, true), (2.5, false), (2, true), (1, false), (0.5, false)]
    let steps = Calibrator.isotonic(points.map { (score: $0.0, right: $0.1) })
    // The wrong edit at 2.5 pools with the right one at 2, the two wrong ones below pool, and
    // the four right ones on top pool into one step; each step is smoothed by one pseudo-edit.
    #expect(steps == [[0.5, 0.167], [2, 0.5], [3, 0.9]])
    #expect(zip(steps, steps.dropFirst()).allSatisfy { $0[1] < $1[1] && $0[0] < $1[0] })
    // Smoothing never makes a step fall: 19 right of 20, then one right edit alone (0.75 by itself).
    let tail = Calibrator.isotonic((0..<20).map { (score: Double($0), right: $0 != 3) } + [(score: 30, right: true)])
    #expect(zip(tail, tail.dropFirst()).allSatisfy { $0[1] < $1[1] })
    #expect(tail.last![1] >= 0.9)
    #expect(Calibrator.wordDistance(["a", "b", "c"], ["a", "c"]) == 1)
    #expect(Calibrator.wordDistance([], ["a"]) == 1)
}

@Test func calibratedStageAppliesOnlySourcesThatReachedTheTarget() throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    _ = repository
    _ = try Trainer(style: style, resources: Resources(styleRoot: style.root)).train()
    let model = try ModelBundle.load(style)
    let proposalText = "Teams utilize keys to sign requests."
    let bytes = Array(proposalText.utf8)
    let words = try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words
    let text = RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])
    // A calibration under which pair edits never reached the target: nothing is applied, the
    // edit becomes a finding that says why.
    let refused = Calibration(targetPrecision: 0.9, material: ["on_voice": 1],
        sources: [.init(origin: "pair", threshold: nil, proposed: 2, right: 0, applied: 0, appliedRight: 0, steps: [[0, 0.2]])],
        wantedEdits: 0, examples: [])
    let stage = LearnedStage(model: model, settings: style.rewrite, calibration: refused)
    let (edits, findings) = stage.apply(to: text)
    #expect(edits.isEmpty)
    #expect(findings.contains { $0.message.contains("pair edits did not reach the target precision on held-out text") })
    // One where they did: applied, with the calibrated confidence.
    let accepted = Calibration(targetPrecision: 0.9, material: ["pairs": 10],
        sources: [.init(origin: "pair", threshold: 0, proposed: 10, right: 10, applied: 10, appliedRight: 10, steps: [[0, 0.95]])],
        wantedEdits: 10, examples: [])
    let applied = LearnedStage(model: model, settings: style.rewrite, calibration: accepted).apply(to: text).edits
    #expect(applied.map(\.replacement) == ["use"])
    // Below the source's threshold, or with a precision below `rewrite.confidence`, a finding
    // says which bar it did not pass (a precision at its score above the confidence is not enough).
    let high = Calibration(targetPrecision: 0.9, material: ["pairs": 10],
        sources: [.init(origin: "pair", threshold: 1000, proposed: 10, right: 10, applied: 10, appliedRight: 10, steps: [[0, 0.95]])],
        wantedEdits: 10, examples: [])
    let belowThreshold = LearnedStage(model: model, settings: style.rewrite, calibration: high).apply(to: text)
    #expect(belowThreshold.edits.isEmpty)
    #expect(belowThreshold.findings.contains { $0.message.contains("held-out precision 0.95 at this score; pair edits are applied from score 1000.00") },
            "\(belowThreshold.findings.map(\.message))")
    let unsure = Calibration(targetPrecision: 0.9, material: ["pairs": 10],
        sources: [.init(origin: "pair", threshold: 0, proposed: 10, right: 5, applied: 10, appliedRight: 5, steps: [[0, 0.5]])],
        wantedEdits: 10, examples: [])
    let belowConfidence = LearnedStage(model: model, settings: style.rewrite, calibration: unsure).apply(to: text)
    #expect(belowConfidence.edits.isEmpty)
    #expect(belowConfidence.findings.contains { $0.message.contains(String(format: "below rewrite.confidence %.2f", style.rewrite.confidence)) },
            "\(belowConfidence.findings.map(\.message))")
    #expect(applied.first?.confidence == 0.95)
    // The on-voice gate is the one calibration chose, or the rewriter's own without a choice.
    #expect(LearnedStage(model: model, settings: style.rewrite, calibration: accepted).rewriter.maxVoiceToEdit == 0.9)
    var gated = accepted
    gated.voiceGate = 0.6
    #expect(LearnedStage(model: model, settings: style.rewrite, calibration: gated).rewriter.maxVoiceToEdit == 0.6)
}

@Test func wordsADocumentRepeatsAreItsTopic() throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    _ = repository
    _ = try Trainer(style: style, resources: Resources(styleRoot: style.root)).train()
    let model = try ModelBundle.load(style)
    let rewriter = LearnedRewriter(model: model, preserve: style.rewrite.preserve)
    let ids = ["tags", "group", "the", "buckets", "the", "tags"].map { model.vocabulary.id($0) }
    // "tags" recurs; "the" recurs but is a function word; the rest occur once.
    #expect(rewriter.topicWords(ids) == [model.vocabulary.id("tags")])
}

@Test func aLearnedEditMayReplaceARecurringWordOfTheContrastsManner() throws {
    // "judge thy people ... this thy so great a people": "thy" is how the verse is written (z −66),
    // "people" what it is about (z −3). Both recur, so both are topics; any learned "thy" -> "your"
    // may replace the first, and nothing replaces "people" but an editors' edit of a longer phrase.
    let vocabulary = Vocabulary(counting: ["judge": 3, "thy": 3, "people": 3, "this": 3, "so": 3, "great": 3, "a": 3, "your": 3, "folk": 3])
    var paths: [String] = []
    defer { for path in paths { try? FileManager.default.removeItem(atPath: path) } }
    func model(thy z: Double) throws -> StyleModel {
        let (model, path) = try toyModel(vocabulary, seen: ["judge", "people"], salience: [("thy", z, 10, 9000), ("people", -3.0, 400, 520)])
        paths.append(path)
        return model
    }
    let words = "judge thy people this thy so great a people".split(separator: " ").map(String.init)
    let ids = words.map { vocabulary.id($0) }
    func replaces(_ rewriter: LearnedRewriter, _ origin: EditOrigin, _ before: [String], _ after: [String]) -> Bool {
        let first = words.firstIndex(of: before[0])!
        let substitution = Substitution(origin: origin, before: before, after: after, afterText: after.joined(separator: " "), count: 9, strength: 0.5, example: "")
        return rewriter.replacesATopic(substitution, first: first, last: first + before.count - 1, ids: ids, topics: rewriter.topicWords(ids))
    }
    let rewriter = LearnedRewriter(model: try model(thy: -66.1), preserve: PreservedKind.allCases)
    #expect(rewriter.topicWords(ids) == [vocabulary.id("thy"), vocabulary.id("people")])
    #expect(!replaces(rewriter, .pair, ["thy"], ["your"]))
    #expect(!replaces(rewriter, .retrieval, ["thy"], ["your"]) && !replaces(rewriter, .thesaurus, ["thy"], ["your"]))
    #expect(replaces(rewriter, .pair, ["people"], ["folk"]) && replaces(rewriter, .retrieval, ["people"], ["folk"]))
    #expect(!replaces(rewriter, .pair, ["thy", "people"], ["your", "people"]))
    #expect(replaces(rewriter, .retrieval, ["thy", "people"], ["your", "people"]))
    // A phrase whose only topic word is of the manner may go as a whole ("thou hast" -> "you have").
    #expect(!replaces(rewriter, .retrieval, ["this", "thy"], ["this", "your"]) && !replaces(rewriter, .vectors, ["this", "thy"], ["your"]))
    #expect(!replaces(rewriter, .vectors, ["judge"], ["great"]))
    // Just inside the bar, the word is a topic like any other.
    let near = LearnedRewriter(model: try model(thy: -LearnedRewriter.mannerZ + 0.5), preserve: PreservedKind.allCases)
    #expect(replaces(near, .pair, ["thy"], ["your"]) && replaces(near, .retrieval, ["thy"], ["your"]))
    #expect(replaces(near, .retrieval, ["this", "thy"], ["this", "your"]))
}

@Test func anEditNeverCutsAContractionItBeginsIn() {
    // "i 've ever" tokenises as "i", "ve", "ever": "ve ever" -> "have ever" would leave "i 'have ever".
    #expect(SubstitutionLearner.producesFragment(before: ["ve", "ever"], after: ["have", "ever"]))
    #expect(SubstitutionLearner.producesFragment(before: ["s", "great"], after: []))
    #expect(!SubstitutionLearner.producesFragment(before: ["ve", "ever"], after: ["ve", "really", "ever"]))
}

@Test func neighbourEditsNeedSeveralPairsAndKeepTheirPlainForm() throws {
    // Three neighbour pairs make "rude" -> "friendly" beside different words: the plain form is
    // kept (calibration decides between it and the anchored ones); an edit two pairs make is not learned.
    let mined = [
        ("the staff was rude .", "the staff was friendly ."),
        ("our waiter was rude and slow .", "our waiter was friendly and slow ."),
        ("the owner is rude to everyone .", "the owner is friendly to everyone ."),
        ("the owner is rude at times .", "the owner is nice at times ."),
        ("the fries were cold .", "the fries were hot ."),
        ("my soup was cold .", "my soup was hot ."),
    ].map { NeighbourMiner.Mined(before: $0.0, after: $0.1, similarity: 0.8) }
    let learned = SubstitutionLearner.fromNeighbours(mined, tokenizer: try tokenizer(), properNames: [])
    let forms = learned.map { "\($0.before.joined(separator: " ")) -> \($0.after.joined(separator: " "))" }
    #expect(forms.contains("rude -> friendly"), "\(forms)")
    #expect(!forms.contains { $0.contains("cold") || $0.contains("nice") }, "\(forms)")
    #expect(learned.allSatisfy { $0.origin == .retrieval && $0.example.hasPrefix("retrieval: the voice's nearest sentences") })
    let plain = try #require(learned.first { $0.before == ["rude"] })
    #expect(plain.count == 3 && abs(plain.strength - 0.75) < 1e-9)
}

@Test func aNeighbourRewritesAGrammarWordOnlyWhereTheVoiceNeverWritesIt() throws {
    // Neighbours write "will" where the contrast writes "shall", and "and" where it writes "or".
    // Grammar words for grammar words change what a sentence says ("or" -> "and"), except where
    // the voice never writes the old word at all: then the neighbours' word is its manner.
    let mined = [
        ("he shall go up .", "he will go up ."),
        ("they shall see it .", "they will see it ."),
        ("we shall come back .", "we will come back ."),
        ("one or two came .", "one and two came ."),
        ("a lamb or a goat .", "a lamb and a goat ."),
        ("silver or gold .", "silver and gold ."),
        ("bread or shall come .", "bread and will come ."),
        ("wine or shall fail .", "wine and will fail ."),
        ("oil or shall run .", "oil and will run ."),
    ].map { NeighbourMiner.Mined(before: $0.0, after: $0.1, similarity: 0.8) }
    func forms(unvoiced: Set<String>) throws -> [String] {
        SubstitutionLearner.fromNeighbours(mined, tokenizer: try tokenizer(), properNames: [], unvoiced: unvoiced.contains)
            .map { "\($0.before.joined(separator: " ")) -> \($0.after.joined(separator: " "))" }
    }
    #expect(try forms(unvoiced: []).isEmpty)
    // Every word it changes must be one the voice never writes: "or shall" -> "and will" swaps "or" too.
    #expect(try forms(unvoiced: ["shall"]) == ["shall -> will"])
}

@Test func aNeighbourDeletesNoNounOrVerbAndItsSentenceStartsAreNoNames() throws {
    let thesaurus = try #require(Thesaurus(), "the thesaurus \(Thesaurus.defaultPath) is missing: run scripts/setup.sh")
    // Where the neighbour moves the verb ("after them Zadok ... was working") the alignment reads a
    // deletion of "repaired"; "literally" is dropped. Only the filler's deletion is learned.
    let mined = [
        ("after them repaired zadok over against his house .", "after them zadok over against his house ."),
        ("next unto him repaired the men of jericho .", "next unto him the men of jericho ."),
        ("and next repaired the priests .", "and next the priests ."),
        ("it was literally the best .", "it was the best ."),
        ("i literally loved it .", "i loved it ."),
        ("we literally ran there .", "we ran there ."),
    ].map { NeighbourMiner.Mined(before: $0.0, after: $0.1, similarity: 0.8) }
    let forms = SubstitutionLearner.fromNeighbours(mined, tokenizer: try tokenizer(), properNames: [], thesaurus: thesaurus)
        .map { "\($0.before.joined(separator: " ")) -> \($0.after.joined(separator: " "))" }
    #expect(forms.contains("literally -> ") && !forms.contains { $0.contains("repaired") }, "\(forms)")
    // Without a thesaurus nothing tells a verb from a filler.
    let unfiltered = SubstitutionLearner.fromNeighbours(mined, tokenizer: try tokenizer(), properNames: [])
    #expect(unfiltered.contains { $0.before.contains("repaired") && !$0.after.contains("repaired") }, "\(unfiltered.map(\.before))")
    // A word capitalised mid-line mostly where a sentence starts inside the line is no name
    // whose capital an edit keeps, though edits are not anchored on it.
    let lines = ["Come near unto me. So the Lord spoke.", "And so it was.", "He said so to the Lord.", "Then the Lord said it."]
    let names = Trainer.capitalisedMidSentence(lines, tokenizer: try tokenizer())
    #expect(names.mostly == ["Lord"] && names.all == ["Lord", "So"])
}

@Test func aNeighbourEditIsRightWhenItNearsAnyOfTheNeighbours() throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    _ = repository
    _ = try Trainer(style: style, resources: Resources(styleRoot: style.root)).train()
    let rewriter = LearnedRewriter(model: try ModelBundle.load(style), preserve: style.rewrite.preserve)
    let source = "Teams utilize keys to sign requests."
    func rightEdits(_ alternatives: [String]) throws -> Int {
        let item = CalibrationItem(material: "neighbours", source: source, answer: "Teams employ keys to sign requests.", alternatives: alternatives)
        let calibration = try Calibrator.calibrate(rewriter, items: [item], locale: "en-US", targetPrecision: 0.9, tokenizer: try tokenizer())
        #expect(calibration.sources.reduce(0) { $0 + $1.proposed } == 1)
        return calibration.sources.reduce(0) { $0 + $1.right }
    }
    #expect(try rightEdits([]) == 0)  // "use" is no closer to "employ"
    #expect(try rightEdits(["Teams use keys to sign requests."]) == 1)
}

@Test func anEditorRevisionJudgesAnEditByTheWordsItKeepsOrSaysAnotherWay() throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    _ = repository
    _ = try Trainer(style: style, resources: Resources(styleRoot: style.root)).train()
    let rewriter = LearnedRewriter(model: try ModelBundle.load(style), preserve: style.rewrite.preserve)
    func judged(_ answer: String, others: [String] = [], editorsChanges: Set<[String]> = []) throws -> [Int] {
        let item = CalibrationItem(material: "pairs", source: "Teams utilize keys to sign requests.", answer: answer, alternatives: others)
        let calibration = try Calibrator.calibrate(rewriter, items: [item], locale: "en-US", targetPrecision: 0.9, tokenizer: try tokenizer(),
                                                   editorsChanges: editorsChanges)
        #expect(calibration.sources.reduce(0) { $0 + $1.proposed } == 1)
        return [calibration.sources.reduce(0) { $0 + $1.right }, calibration.sources.reduce(0) { $0 + ($1.undetermined ?? 0) }]
    }
    #expect(try judged("Teams use keys to sign requests.") == [1, 0])      // the answer's own word
    #expect(try judged("Teams utilize keys for signing.") == [0, 0])       // the editor kept "utilize": wrong
    // Said another way: the answer cannot tell. A change the editors make elsewhere stays
    // undetermined; one they never make, where their changes are known, is wrong.
    #expect(try judged("Teams employ keys to sign requests.") == [0, 1])
    #expect(try judged("Teams employ keys to sign requests.", editorsChanges: [["utilize", "→", "use"]]) == [0, 1])
    #expect(try judged("Teams employ keys to sign requests.", editorsChanges: [["utilize", "→", "apply"]]) == [0, 0])
    // Another editor's revision of the same sentence makes that change: right.
    #expect(try judged("Teams employ keys to sign requests.", others: ["Teams use keys to sign requests."], editorsChanges: [["utilize", "→", "apply"]]) == [1, 0])
    // A revision that says the region another way leaves it undetermined though another keeps the word.
    #expect(try judged("Teams utilize keys for signing.", others: ["Teams employ keys to sign requests."], editorsChanges: [["utilize", "→", "use"]]) == [0, 1])
    // An answer that keeps little of the sentence: the word distance counts an edit's length, the
    // words the answer shares do not.
    let answer = ["well", ",", "sir", "?"]
    let source = ["i'm", "sorry", ",", "you", "were", "saying", "?"], expanded = ["i", "am"] + source.dropFirst()
    #expect(Calibrator.wordDistance(expanded, answer) > Calibrator.wordDistance(source, answer))
    #expect(Calibrator.sharedWords(source, answer) == 2 && Calibrator.sharedWords(expanded, answer) == 2)
    #expect(Calibrator.sharedWords(["a", "a", "b"], ["a", "b", "b", "a", "a"]) == 3)
    #expect(Calibrator.saysItAnotherWay(source, edited: expanded, answer: answer))
    #expect(!Calibrator.saysItAnotherWay(source, edited: source.dropLast() + ["and", "so"], answer: answer))  // the answer's "?" gone
    // Revisions of one sentence are one item; the same revision twice counts once.
    let grouped = EvaluationSet.grouping([.init(before: "a", after: "b", source: "x:1"), .init(before: "c", after: "d", source: "x:2"),
                                          .init(before: "a", after: "e", source: "x:3"), .init(before: "a", after: "b", source: "x:4")])
    #expect(grouped.map(\.source) == ["a", "c"] && grouped.map(\.references) == [["b", "e"], ["d"]])
    // `calibration-edits.tsv` lists the edit with its verdict, the sentence before and edited, and the answer.
    let item = CalibrationItem(material: "pairs", source: "Teams utilize keys to sign requests.", answer: "Teams employ keys to sign requests.")
    let table = try Calibrator.calibrate(rewriter, items: [item], locale: "en-US", targetPrecision: 0.9, tokenizer: try tokenizer()).editsTable
    let lines = table.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    #expect(lines.count == 2 && lines[0] == ["origin", "material", "score", "verdict", "applied", "before", "edited", "answer"])
    let row = lines.last ?? []
    try #require(row.count == 8 && Double(row[2]) != nil)
    #expect([row[1]] + row[3...] == ["pairs", "undetermined", "no", "Teams utilize keys to sign requests.", "Teams use keys to sign requests.",
                                     "Teams employ keys to sign requests."])
}

@Test func aChangeInARegionTheEditorSaysAnotherWayIsJudgedByTheEditorsOtherChanges() {
    // The words a change keeps at either end are not part of it.
    #expect(Calibrator.change(removed: ["this", "shit"], added: ["this", "thing"]) == ["shit", "→", "thing"])
    #expect(Calibrator.change(removed: ["fucked", "up"], added: ["messed", "up"]) == ["fucked", "→", "messed"])
    #expect(Calibrator.change(removed: ["and", "shit"], added: []) == ["and", "shit", "→"])
    #expect(Calibrator.change(removed: ["a", "a"], added: ["a"]) == ["a", "→"])
    // The training pairs' changes made at least twice: each changed run, and in a run of the same
    // length each word for the word in its place.
    func pair(_ before: String, _ after: String) -> (before: [String], after: [String]) {
        (before.split(separator: " ").map(String.init), after.split(separator: " ").map(String.init))
    }
    let changes = Calibrator.editorsChanges([pair("this shit is crap", "this thing is bad"), pair("that shit is crap", "that thing is bad"),
                                             pair("oh shit i forgot", "i forgot"), pair("oh shit you came", "you came"),
                                             pair("you bitch", "you time")])
    #expect(changes.contains(["shit", "→", "thing"]) && changes.contains(["crap", "→", "bad"]) && changes.contains(["oh", "shit", "→"]))
    #expect(changes.contains(Calibrator.change(removed: ["this", "shit"], added: ["this", "thing"])))
    // Made once: not a change editors make.
    #expect(!changes.contains(["bitch", "→", "time"]))
    #expect(Calibrator.editorsChanges([pair("you bitch", "you time")], minimumCount: 1) == [["bitch", "→", "time"]])
}

@Test func theWordsAnAnswerKeepsFollowALongestCommonSubsequence() throws {
    let source = ["then", "cometh", "the", "devil", "and", "taketh", "away", "the", "word"]
    let answer = ["then", "the", "evil", "one", "comes", "and", "takes", "away", "the", "word"]
    #expect(Calibrator.keptTokens(source, answer) == [0, 2, 4, 6, 7, 8])
    #expect(Calibrator.keptTokens([], answer).isEmpty)
    let bytes = Array("then cometh the devil".utf8)
    let cometh = Edit(range: 5..<11, replacement: "comes", rule: "learned", reason: "", origin: .pair)
    let the = Edit(range: 12..<15, replacement: "a", rule: "learned", reason: "", origin: .pair)
    let insertion = Edit(range: 5..<5, replacement: "now ", rule: "learned", reason: "", origin: .pair)
    #expect(!Calibrator.touchesKeptWords(cometh, in: bytes, kept: [0, 2], tokenizer: try tokenizer()))
    #expect(Calibrator.touchesKeptWords(the, in: bytes, kept: [0, 2], tokenizer: try tokenizer()))
    #expect(Calibrator.touchesKeptWords(insertion, in: bytes, kept: [0, 1], tokenizer: try tokenizer()))
    #expect(!Calibrator.touchesKeptWords(insertion, in: bytes, kept: [0, 2], tokenizer: try tokenizer()))
}

@Test func anArticleAgreesWithTheWordALearnedEditLeavesAfterIt() throws {
    let (repository, stage) = try trainedStage(voice: "This is a useful tool.\nBuy an expensive plan only when you need it.\nA useful key opens a bucket.\nIt is an easy task.\n",
                                               contrast: "This is a really useful tool.\nIt is a really easy task.\nWe really like buckets.\n",
                                               edits: "This is a really useful tool.\tThis is a useful tool.\nIt is a really hard task.\tIt is a hard task.\nWe really like keys.\tWe like keys.\n")
    _ = repository
    for (input, expected) in [("Buy a really expensive plan.", "Buy an expensive plan."), ("A really expensive plan.", "An expensive plan."),
                              ("Buy a really cheap plan.", "Buy a cheap plan.")] {
        #expect(try rewritten(input, by: stage) == expected)
    }
}

@Test func aSeparateNegationIsAMarkerWhoseOnlyFillIsItsDeletion() throws {
    // Text tokenised as "is n't": off-voice "n't" sits where on-voice text writes nothing, which
    // reverses what the sentence says, so its deletion is a `vectors` candidate (opt-in).
    let words = ["the", "food", "is", "was", "n't", "good", "fresh", "hot", "very", "soup"]
    let vocabulary = Vocabulary(tokens: Vocabulary.specials + words)
    func ids(_ s: String) -> [UInt32] { s.split(separator: " ").map { vocabulary.id(String($0)) } }
    let contrast = ["the food is n't good", "the soup was n't hot", "the food was n't fresh", "the soup is n't very good"].map(ids)
    let voice = ["the food is good", "the soup was hot", "the food was fresh", "the soup is very good"].map(ids)
    let vectors = WordVectors(sentences: Array(repeating: contrast + voice, count: 5).flatMap { $0 }, vocabularySize: vocabulary.count, seed: 7)
    let off = [SalienceEntry(ngram: ids("n't"), z: -5, voiceCount: 0, contrastCount: 5)]
    let learned = SubstitutionLearner.fromRetrieval(voice: voice, contrast: contrast, offVoice: off, unigramZ: { _ in 0 },
                                                    vocabulary: vocabulary, properNames: [], thesaurus: Thesaurus(), vectors: vectors, minShared: 2)
    #expect(learned.map { "\($0.origin.name): \($0.before.joined(separator: " ")) -> \($0.after.joined(separator: " "))" } == ["vectors: n't -> "])
    #expect(!SubstitutionLearner.producesFragment(before: ["n't"], after: []))
    // Without word vectors (a style that has not opted in to them) there is none.
    #expect(SubstitutionLearner.fromRetrieval(voice: voice, contrast: contrast, offVoice: off, unigramZ: { _ in 0 },
                                              vocabulary: vocabulary, properNames: [], thesaurus: Thesaurus(), minShared: 2).isEmpty)
}

@Test func theThesaurusOppositeOfAMarkerMayFillItsSlotHoweverFarTheVectorsPutIt() throws {
    // "filthy" is a satellite of "dirty", whose antonym is "clean" (WordNet's indirect antonym).
    guard let thesaurus = Thesaurus() else { return }  // mythes-en-us not installed: nothing to check
    #expect(thesaurus.antonyms(of: "filthy").contains("clean"))
    #expect(thesaurus.antonyms(of: "unprofessional") == ["professional"])
    #expect(!thesaurus.antonyms(of: "filthy").contains("filthy"))
    // Off-voice "filthy" and "tiny" sit where on-voice text writes "clean". With a cosine no pair
    // of words reaches, only the opposite is a candidate, and says why.
    let words = ["the", "room", "was", "filthy", "tiny", "clean", "bathroom", "kitchen", "a", "so", "lobby", "hall", "here"]
    let vocabulary = Vocabulary(tokens: Vocabulary.specials + words)
    func ids(_ s: String) -> [UInt32] { s.split(separator: " ").map { vocabulary.id(String($0)) } }
    let contrast = ["the room was filthy", "a filthy bathroom here", "the kitchen was so tiny", "a tiny lobby here"].map(ids)
    let voice = ["the room was clean", "a clean bathroom here", "the kitchen was so clean", "a clean lobby here", "the hall was clean"].map(ids)
    let vectors = WordVectors(sentences: contrast + voice, vocabularySize: vocabulary.count, seed: 7)
    let off = ["filthy", "tiny"].map { SalienceEntry(ngram: ids($0), z: -3, voiceCount: 0, contrastCount: 5) }
    let z: (UInt32) -> Double = { vocabulary.tokens[Int($0)] == "clean" ? 3 : 0 }
    func learned(_ thesaurus: Thesaurus?, fillCosine: Double) -> [Substitution] {
        SubstitutionLearner.fromRetrieval(voice: voice, contrast: contrast, offVoice: off, unigramZ: z, vocabulary: vocabulary,
                                          properNames: [], thesaurus: thesaurus, vectors: vectors, fillCosine: fillCosine)
    }
    func forms(_ found: [Substitution]) -> Set<String> { Set(found.map { "\($0.origin.name): \($0.before.joined(separator: " ")) -> \($0.after.joined(separator: " "))" }) }
    let strict = learned(thesaurus, fillCosine: 1.01)
    #expect(forms(strict) == ["vectors: filthy -> clean"])
    #expect(strict.first?.example.contains("the thesaurus's opposite of 'filthy'") == true)
    // With any cosine admitted, "tiny" -> "clean" is a candidate too.
    #expect(forms(learned(thesaurus, fillCosine: 0)) == ["vectors: filthy -> clean", "vectors: tiny -> clean"])
}

@Test func noLearnedEditWritesAWordTwiceInARow() throws {
    // An editors' "commanded" -> "had given orders to", learned where no "had" came before it.
    let vocabulary = Vocabulary(counting: ["as": 3, "he": 3, "had": 3, "commanded": 3, "given": 3, "orders": 3, "to": 3, "them": 3, "it": 3])
    let (model, path) = try toyModel(vocabulary, seen: ["as", "he", "commanded"])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let rewriter = LearnedRewriter(model: model, preserve: PreservedKind.allCases)
    func doubles(_ sentence: String, at word: String, _ before: [String], _ after: [String]) -> Bool {
        let ids = sentence.split(separator: " ").map { vocabulary.id($0) }
        let first = sentence.split(separator: " ").firstIndex { $0 == word }!
        let substitution = Substitution(origin: .pair, before: before, after: after, afterText: after.joined(separator: " "), count: 3, strength: 1, example: "")
        return rewriter.doublesAWord(substitution, first: first, last: first + before.count - 1, sentence: 0..<ids.count, ids: ids)
    }
    #expect(doubles("as he had commanded", at: "commanded", ["commanded"], ["had", "given", "orders", "to"]))
    #expect(!doubles("as he commanded", at: "commanded", ["commanded"], ["had", "given", "orders", "to"]))
    // At the end of the new words too; a word the text already doubled is not the edit's doing.
    #expect(doubles("he commanded to them", at: "commanded", ["commanded"], ["gave", "orders", "to"]))
    #expect(!doubles("he had had it", at: "had", ["had"], ["had"]))
    // A deletion writes no word.
    #expect(!doubles("he had commanded it", at: "commanded", ["commanded"], []))
}

@Test func noLearnedEditNegatesAVerbWithoutDo() throws {
    // "i definitely recommend" -> "i not recommend": English needs "do not" after a subject.
    let words = ["i", "we", "definitely", "highly", "recommend", "not", "only", "liked", "it", "knowing", "do", "was", "to", "go",
                 "very", "good", "food"]
    let vocabulary = Vocabulary(counting: Dictionary(uniqueKeysWithValues: words.map { ($0, 3) }))
    // The voice writes "to recommend" and "very good".
    let (model, path) = try toyModel(vocabulary, seen: ["i", "recommend", "it", "to", "recommend", "very", "good", "food"])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let rewriter = LearnedRewriter(model: model, preserve: PreservedKind.allCases)
    // The sentence as edited, with the edit's new words in brackets.
    func strands(_ edited: String) -> Bool {
        let words = edited.split(separator: " ")
        let first = words.firstIndex { $0.hasPrefix("[") }!, last = words.lastIndex { $0.hasSuffix("]") }!
        let ids = words.map { vocabulary.id($0.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))) }
        return rewriter.leavesNotWithoutDo(ids, inserted: first..<(last + 1))
    }
    #expect(strands("i [not] recommend it"))
    #expect(strands("we [not] liked it"))
    #expect(strands("i [not]"))
    // With "do", after a verb, before "only", a gerund or "to", and where the edit did not write it: English.
    #expect(!strands("i [do not] recommend it") && !strands("i [do] not recommend it"))
    #expect(!strands("it [was not] liked") && !strands("we [not] only liked it") && !strands("i [not] knowing it") && !strands("we [not] to go"))
    #expect(!strands("i not [highly] recommend it"))
    // At a sentence's start, before a verb (written after "to", never after "very"); not before an adjective.
    #expect(strands("[not] recommend it"))
    #expect(!strands("[not] good food") && !strands("[not] knowing it") && !strands("[not] to go"))
}

@Test func noSubstitutionFromTheCorporaMakesAGrammarWordAContentWord() {
    func swap(_ origin: EditOrigin, _ before: String, _ after: String) -> Bool {
        let (b, a) = (before.split(separator: " ").map(String.init), after.split(separator: " ").map(String.init))
        return Trainer.makesAGrammarWordAContentWord(Substitution(origin: origin, before: b, after: a, afterText: after, count: 3, strength: 1, example: ""))
    }
    // "still no server" -> "still good server": a determiner made an adjective.
    #expect(swap(.retrieval, "no", "good") && swap(.vectors, "the", "amazing") && swap(.thesaurus, "nothing", "everything"))
    // The adverbial negations may become adverbs; a grammar word may go or become another;
    // a content word or a phrase is not a grammar word; editors' revisions vouch for any swap.
    #expect(!swap(.retrieval, "not", "definitely") && !swap(.retrieval, "never", "always"))
    #expect(!swap(.vectors, "no", "") && !swap(.retrieval, "without", "with") && !swap(.vectors, "rude", "friendly"))
    #expect(!swap(.retrieval, "no service", "great service") && !swap(.pair, "no", "good"))
}

@Test func everyWayEditorsChangeAWordTheyAlwaysChangeIsAnAlternative() throws {
    // "darn" is changed in all 20 of its places: deleted in 9, made "very" in 6, "so" in 3, "rather"
    // in 2. The ways made at least 5 times are alternatives, each with its share of the places.
    // (Training keeps one substitution per before and after, an editors' edit first.)
    var lines: [(String, String)] = []
    let subjects = ["The cake", "The film", "The trip", "The game", "The song", "The book", "The show", "The meal", "The view", "The race"]
    for i in 0..<20 {
        let subject = subjects[i % 10]
        let after = i < 9 ? "\(subject) was good today." : i < 15 ? "\(subject) was very good today." : i < 18 ? "\(subject) was so good today." : "\(subject) was rather good today."
        lines.append(("\(subject) was darn good today.", after))
    }
    // "heck" is changed in 17 of its 20 places: editors leave it often enough that no way is an alternative.
    for i in 0..<20 {
        let subject = subjects[i % 10]
        lines.append(("\(subject) was heck of a ride.", i < 17 ? "\(subject) was of a ride." : "\(subject) was heck of a ride."))
    }
    let learned = SubstitutionLearner.alternatives(pairs(lines), tokenizer: try tokenizer())
    let ways = learned.map { "\($0.before.joined(separator: " ")) -> \($0.after.joined(separator: " ")) \($0.count)" }
    #expect(ways == ["darn ->  9", "darn -> very 6"], "\(ways)")
    #expect(learned.allSatisfy { $0.origin == .pairAlternative })
    #expect(abs(learned[0].strength - 9.0 / 20.0) < 1e-9)
    // Seen fewer than 20 times, a word is not known to be changed everywhere.
    #expect(SubstitutionLearner.alternatives(pairs(Array(lines.prefix(19))), tokenizer: try tokenizer()).isEmpty)
}

@Test func aWayTooRareToHoldAnywhereIsLearnedAfterTheWordWhereEditorsMakeIt() throws {
    // "darn" is changed in all 120 of its places: deleted in 110, made "so" in 5 (all after "was",
    // 5% of those 100 places) and "whole" in 5 (all after "the", 25% of those 20 places). Neither
    // way holds anywhere (4% of the places); "whole" holds after "the".
    var lines: [(String, String)] = []
    for i in 0..<100 { lines.append(("The cake was darn good.", i < 95 ? "The cake was good." : "The cake was so good.")) }
    for i in 0..<20 { lines.append(("I ate the darn cake.", i < 5 ? "I ate the whole cake." : "I ate the cake.")) }
    let learned = SubstitutionLearner.alternatives(pairs(lines), tokenizer: try tokenizer())
    let ways = learned.map { "\($0.before.joined(separator: " ")) -> \($0.after.joined(separator: " ")) \($0.count)" }
    // (It holds before "cake" too, where the editors met "darn" only in those 20 places.)
    #expect(ways == ["darn ->  110", "the darn -> the whole 5", "darn cake -> whole cake 5"], "\(ways)")
    let anchored = try #require(learned.first { $0.before == ["the", "darn"] })
    #expect(anchored.afterText == "the whole")
    #expect(abs(anchored.strength - 5.0 / 20.0) < 1e-9)
}

@Test func aWayTooRareToHoldAnywhereIsLearnedBeforeTheWordWhereEditorsMakeIt() throws {
    // ParaDetox's editors make "fuck" "mess" in 20% of its places before "with" ("don't fuck with
    // the police"), 1% anywhere. Here "darn" is changed in all 220 of its places, made "mess" in 8
    // (all 20 before "with", after four different words; 3.6% anywhere).
    var lines: [(String, String)] = []
    for _ in 0..<200 { lines.append(("It was darn good.", "It was good.")) }
    for (i, left) in ["not", "never", "please", "just"].enumerated() {
        for j in 0..<5 { lines.append(("Do \(left) darn with me \(i).", j < 2 ? "Do \(left) mess with me \(i)." : "Do \(left) with me \(i).")) }
    }
    let learned = SubstitutionLearner.alternatives(pairs(lines), tokenizer: try tokenizer())
    let ways = learned.map { "\($0.before.joined(separator: " ")) -> \($0.after.joined(separator: " ")) \($0.count)" }
    #expect(ways == ["darn ->  212", "darn with -> mess with 8"], "\(ways)")
    #expect(learned.last?.afterText == "mess with")
    #expect(abs((learned.last?.strength ?? 0) - 8.0 / 20.0) < 1e-9)
    #expect(learned.last?.example.contains("before 'with' they make it 'mess' in 8 of 20") == true, "\(learned.last?.example ?? "")")
}

@Test func aDeletionNeverLeavesADeterminerBeforeAGrammarWord() throws {
    let vocabulary = Vocabulary(counting: ["why": 3, "the": 3, "fuck": 3, "not": 3, "car": 3, "very": 3, "best": 3])
    let (model, path) = try toyModel(vocabulary, seen: ["why", "not"])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let rewriter = LearnedRewriter(model: model, preserve: [])
    func deletable(_ sentence: String, _ word: String, editorsOwn: Bool = false) throws -> Bool {
        try canDelete(word, in: sentence, by: rewriter, editorsOwn: editorsOwn)
    }
    #expect(try !deletable("why the fuck not ?", "fuck"))
    #expect(try deletable("the fuck car", "fuck"))
    #expect(try deletable("the fuck very best", "fuck"))
    #expect(try deletable("why fuck not ?", "fuck"))
    // A verb's or noun's place before its object or particle, or before a verb that would begin the sentence.
    #expect(try !deletable("fuck him , he left", "fuck"))
    #expect(try !deletable("fuck u if u don 't agree", "fuck"))
    #expect(try !deletable("why do you fuck off", "fuck"))
    #expect(try !deletable("stop making shit up", "shit"))
    #expect(try !deletable("fucks are never given", "fucks"))
    #expect(try !deletable("fuck those family people", "fuck"))
    // Where a clause begins, the subject before a modal or a finite verb; not a word before the subject.
    #expect(try !deletable("why , anyone can see what this means .", "anyone"))
    #expect(try !deletable("oh , shit has hit the fan", "shit"))
    #expect(try !deletable("shit will hit the fan", "shit"))
    #expect(try deletable("well , shit i left", "shit"))
    #expect(try !deletable("fuck everybody because why not", "fuck"))
    #expect(try !deletable("and no one fucks with my family", "fucks"))
    #expect(try !deletable("follow us 50 bitches now", "bitches"))
    // A bare verb after "to" or a modal: its object would be left without it. A participle or an
    // adverb there may go.
    #expect(try !deletable("getting ready to fuck ukraine 's ass", "fuck"))
    #expect(try !deletable("you gonna fuck this up", "fuck"))
    #expect(try deletable("i will fucking kill you", "fucking"))
    #expect(try deletable("you need to really go", "really"))
    #expect(try deletable("shit i work all week", "shit"))
    // An interjection that opens the sentence goes with its comma where the editors delete it
    // (not where it is one way of changing a word: "Behold , I" -> "I"); elsewhere a comma stays a bar.
    #expect(try deletable("damn , i would n't even do that .", "damn", editorsOwn: true))
    #expect(try !deletable("damn , i would n't even do that .", "damn"))
    #expect(try !deletable("well , damn , i left", "damn", editorsOwn: true))  // the comma is the interjection's
    // Between two commas the editors' own deletion is a parenthesis's, and takes both (`isAParenthesis`).
    #expect(try deletable("the man , damn , left", "damn", editorsOwn: true))
    #expect(try !deletable("the man , damn , left", "damn"))
    #expect(try !deletable("and he said , damn , i left", "damn", editorsOwn: true))  // a quotation opens after "said ,"
    #expect(try !deletable("damn ; i left", "damn", editorsOwn: true))
    #expect(try !deletable("damn , , i left", "damn", editorsOwn: true))
    // Before a grammar word, a phrase's head: the word before must stand without it.
    #expect(try !deletable("legs open and shit i left", "shit"))
    #expect(try !deletable("pumping it is idiotic at best", "idiotic"))
    #expect(try !deletable("tell bitches to rear your child", "bitches"))
    #expect(try !deletable("inspire the young and dumb to violence", "dumb"))
    #expect(try !deletable("how dumb do they think we are", "dumb"))
    #expect(try deletable("fed up with you idiots and your games", "idiots"))
    #expect(try deletable("and that shit is sad", "shit"))
    #expect(try deletable("what fuck is wrong", "fuck"))
    #expect(try deletable("oh shit its from there", "shit"))
    // A negation may go from what it follows.
    #expect(try deletable("the wings was n't that good", "n't"))
    // At the end: not after a word that needs what follows, nor a determiner whose noun went.
    #expect(try !deletable("it hurts like fuck", "fuck"))
    #expect(try !deletable("noodles stuck in dick", "dick"))
    #expect(try deletable("thats some weak stuff , dick .", "dick"))
    #expect(try deletable("stuck in , dick", "dick"))
    // Only one word, and only where the sentence really ends: a code span ends a prose range,
    // and so the sentence the rewriter reads, but "changed , in order : `start`" keeps its words.
    let coded = "what earlier stages changed , dick : `start..<end` of it"
    let codedBytes = Array(coded.utf8)
    let span = try #require(coded.utf8.firstIndex(of: UInt8(ascii: "`")))
    let spanStart = coded.utf8.distance(from: coded.utf8.startIndex, to: span)
    let prose = [0..<spanStart, (spanStart + 14)..<codedBytes.count]
    let codedWords = try WordTracker(bytes: codedBytes, prose: prose, segmenter: WordSegmenter(locale: "en-US")).words
    let codedText = RuleText(bytes: codedBytes, words: codedWords, prose: prose)
    let dick = try #require(codedWords.firstIndex { codedText.string($0.range) == "dick" })
    #expect(!rewriter.canDelete(first: dick, last: dick, sentence: 0..<(dick + 1), text: codedText))
    // Nor before a code span that ends the text.
    let last = "weak stuff , dick `a.b`"
    let lastBytes = Array(last.utf8)
    let lastProse = [0..<(lastBytes.count - 6)]
    let lastWords = try WordTracker(bytes: lastBytes, prose: lastProse, segmenter: WordSegmenter(locale: "en-US")).words
    let lastText = RuleText(bytes: lastBytes, words: lastWords, prose: lastProse)
    #expect(!rewriter.canDelete(first: lastWords.count - 1, last: lastWords.count - 1, sentence: 0..<lastWords.count, text: lastText))
    #expect(try deletable("weak stuff , dick", "dick"))
    let phrase = "they ran , in order ."
    let phraseBytes = Array(phrase.utf8)
    let phraseWords = try WordTracker(bytes: phraseBytes, prose: [0..<phraseBytes.count], segmenter: WordSegmenter(locale: "en-US")).words
    let phraseText = RuleText(bytes: phraseBytes, words: phraseWords, prose: [0..<phraseBytes.count])
    #expect(!rewriter.canDelete(first: 2, last: 3, sentence: 0..<4, text: phraseText))
    #expect(try deletable("they ran , fast .", "fast"))
    #expect(try !deletable("the cameras are not going to do shit", "shit"))
    #expect(try !deletable("he looks like a complete ass", "ass"))
    #expect(try !deletable("he is a completely evil ass", "ass"))
    #expect(try !deletable("months of this bullshit", "bullshit"))
    #expect(try !deletable("the guy makes notley look ridiculous", "ridiculous"))
    #expect(try !deletable("they will steal yo shit", "shit"))
    #expect(try deletable("i saw you ass", "ass"))
    #expect(try !deletable("as a news organisation , that makes them shit .", "shit"))
    #expect(try !deletable("he called me stupid", "stupid"))
    #expect(try deletable("the men came also", "also"))
}

@Test func anEditorsExclamationThatOpensTheSentenceGoesBeforeItsClausesSubject() throws {
    let vocabulary = Vocabulary(counting: ["shit": 3, "it": 3, "feels": 3, "fuck": 3, "this": 3])
    let (model, path) = try toyModel(vocabulary, seen: ["it", "feels"])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let rewriter = LearnedRewriter(model: model, preserve: [])
    // `first` and `last` count words from the start.
    func deletable(_ sentence: String, _ first: Int, _ last: Int? = nil, editorsOwn: Bool = true) throws -> Bool {
        let bytes = Array(sentence.utf8)
        let words = try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words
        let text = RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])
        return rewriter.canDelete(first: first, last: last ?? first, sentence: 0..<words.count, text: text, editorsOwn: editorsOwn)
    }
    // Before a subject pronoun, or "it" and "this" before a finite verb; the editors' own only.
    #expect(try deletable("shit it feels like sunday .", 0))
    #expect(try !deletable("shit it feels like sunday .", 0, editorsOwn: false))
    #expect(try deletable("shit , it won 't get a vote .", 0))
    #expect(try deletable("shit this is bad .", 0))
    #expect(try deletable("fuck i would n't do that .", 0))
    // After opening interjections it opens the sentence too, comma and all.
    #expect(try deletable("awww shit i got a stalker", 1))
    #expect(try !deletable("awww shit i got a stalker", 1, editorsOwn: false))
    #expect(try deletable("sure bitch , see you later", 1))
    #expect(try !deletable("sure bitch , see you later", 1, editorsOwn: false))
    #expect(try !deletable("lmao rt awww shit i got a stalker", 3))
    #expect(try !deletable("well , damn , i left", 1))
    // Not a verb before its object: "it", "you" and "this" must be a subject.
    #expect(try !deletable("fuck it all", 0))
    #expect(try !deletable("fuck it guys", 0))  // the voice never writes "it guys"
    #expect(try deletable("holy fuck that was close", 0, 1))
    #expect(try !deletable("holy fuck man damn that was close", 0, 3))  // four words: longer than an opening phrase
    #expect(try !deletable("fuck this bus", 0))
    #expect(try !deletable("fuck you if u don 't agree", 0))
    #expect(try !deletable("bitch you going ?", 0))
    #expect(try !deletable("fuck the palace of wonders", 0))
    // A phrase of several words is no verb: before a demonstrative it goes ("fuck me" is one).
    #expect(try deletable("jesus fuck this quote needs to stop .", 0, 1))
    #expect(try deletable("fuck me that was funny", 0, 1))
    #expect(try !deletable("jesus fuck this quote needs to stop .", 1))
    #expect(try !deletable("the fuck was i thinking", 0, 1))
}

/// The learned edits `model` proposes in `sentence`, as "old -> new", where the voice scorer puts a
/// sentence with `offVoice` in it off-voice (0.1) and any other on-voice (0.9), and every edit keeps the meaning.
private func scoredEdits(_ sentence: String, model: StyleModel, offVoice: String = "shit") throws -> [String] {
    let voiceOf: ([String]) -> [Double] = { $0.map { $0.contains(offVoice) ? 0.1 : 0.9 } }
    let judge: ([(before: String, after: String)]) -> [NeuralVoice.Comparison] = { pairs in
        pairs.map { NeuralVoice.Comparison(voiceBefore: voiceOf([$0.before])[0], voiceAfter: voiceOf([$0.after])[0], logitGain: 4, similarity: 0.99) }
    }
    let bytes = Array(sentence.utf8)
    let text = RuleText(bytes: bytes, words: try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words,
                        prose: [0..<bytes.count])
    var events: [GuardEvent] = []
    return LearnedRewriter(model: model, preserve: [])
        .proposals(for: text, guardEvents: &events, judge: judge, voiceOf: voiceOf)
        .map { "\(text.string($0.edit.range)) -> \($0.edit.replacement)" }
}

@Test func anEditorsDeletionAfterOpeningInterjectionsJoinsTheSentencesStart() throws {
    // "awww shit i got a stalker": the voice never writes "awww i", but the clause begins at "i",
    // which the voice writes at a sentence's start; the editors' own deletion is a candidate.
    let words = ["awww", "shit", "i", "got", "a", "stalker", "sure", "see", "you", "later"]
    let vocabulary = Vocabulary(counting: Dictionary(uniqueKeysWithValues: words.map { ($0, 3) }))
    let (toy, path) = try toyModel(vocabulary, seen: ["i", "got", "a", "stalker"])
    defer { try? FileManager.default.removeItem(atPath: path) }
    func deletions(_ sentence: String, _ origin: EditOrigin) throws -> [String] {
        let model = StyleModel(vocabulary: vocabulary, languageModel: toy.languageModel, salience: [("shit", -8.0, 0, 300)], substitutions: [
            Substitution(origin: origin, before: ["shit"], after: [], afterText: "", count: 100, strength: 0.3, example: "shit → ")])
        return try scoredEdits(sentence, model: model)
    }
    #expect(try deletions("awww shit i got a stalker", .pairAlternative) == ["shit  -> "])
    // Not where the word after never begins a sentence in the voice, nor for a deletion that is
    // not the editors' own, nor after a word that is no interjection.
    #expect(try deletions("awww shit got a stalker", .pairAlternative).isEmpty)
    #expect(try deletions("awww shit i got a stalker", .retrieval).isEmpty)
    #expect(try deletions("stalker shit i got", .pairAlternative).isEmpty)
}

@Test func theWordThatNowOpensTheSentenceTakesACapitalOnlyFromAWriterWhoWritesOne() throws {
    // ParaDetox's chat is written in lower case: "damn when will it stop" -> "when will it stop",
    // not "When will it stop"; a sentence that opened with a capital keeps one.
    let words = ["shit", "it", "feels", "like", "sunday"]
    let vocabulary = Vocabulary(counting: Dictionary(uniqueKeysWithValues: words.map { ($0, 3) }))
    let (toy, path) = try toyModel(vocabulary, seen: ["it", "feels", "like", "sunday"])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let model = StyleModel(vocabulary: vocabulary, languageModel: toy.languageModel, salience: [("shit", -8.0, 0, 300)], substitutions: [
        Substitution(origin: .pair, before: ["shit"], after: [], afterText: "", count: 100, strength: 0.9, example: "shit it feels → it feels")])
    #expect(try scoredEdits("shit it feels like sunday .", model: model, offVoice: "hit") == ["shit it -> it"])
    #expect(try scoredEdits("Shit it feels like sunday .", model: model, offVoice: "hit") == ["Shit it -> It"])
}

@Test func anEditorsPhraseFromFiveRevisionsIsNotRefusedByTheMeaningGuard() throws {
    // The frozen encoder put "unto" -> "to" at 0.80 and "brethren" -> "brothers" at 0.84 against
    // 0.85 asked; held-out revisions judge an editors' phrase's meaning. Not one from fewer
    // revisions, nor any other source's edit.
    let words = ["he", "spoke", "unto", "them", "to"]
    let vocabulary = Vocabulary(counting: Dictionary(uniqueKeysWithValues: words.map { ($0, 3) }))
    let (toy, path) = try toyModel(vocabulary, seen: ["he", "spoke", "to", "them"])
    defer { try? FileManager.default.removeItem(atPath: path) }
    func meaningChanged(_ origin: EditOrigin, count: Int, example: String = "unto → to") throws -> [Bool] {
        let model = StyleModel(vocabulary: vocabulary, languageModel: toy.languageModel, salience: [("unto", -30.0, 0, 300)], substitutions: [
            Substitution(origin: origin, before: ["unto"], after: ["to"], afterText: "to", count: count, strength: 0.5, example: example)])
        let voiceOf: ([String]) -> [Double] = { $0.map { $0.contains("unto") ? 0.2 : 0.4 } }
        let judge: ([(before: String, after: String)]) -> [NeuralVoice.Comparison] = { pairs in
            pairs.map { _ in NeuralVoice.Comparison(voiceBefore: 0.2, voiceAfter: 0.4, logitGain: 1, similarity: 0.80) }
        }
        let sentence = "he spoke unto them"
        let bytes = Array(sentence.utf8)
        let text = RuleText(bytes: bytes, words: try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words,
                            prose: [0..<bytes.count])
        var events: [GuardEvent] = []
        return LearnedRewriter(model: model, preserve: []).proposals(for: text, guardEvents: &events, judge: judge, voiceOf: voiceOf).map(\.meaningChanged)
    }
    #expect(try meaningChanged(.pair, count: 1354) == [false])
    #expect(try meaningChanged(.pair, count: 5) == [false])
    #expect(try meaningChanged(.pair, count: 4) == [true])
    #expect(try meaningChanged(.retrieval, count: 1354) == [true])
    // Nor a word an inflection pattern makes: its count is the pattern's.
    #expect(try meaningChanged(.pair, count: 741, example: SubstitutionLearner.patternPrefix + "editors make ...") == [true])
}

@Test func theEditorsOwnDeletionIsTheirPhraseOrTheirMostFrequentWay() throws {
    let vocabulary = Vocabulary(counting: ["behold": 3, "see": 3, "shit": 3, "thing": 3])
    func way(_ origin: EditOrigin, _ before: String, _ after: [String], _ count: Int) -> Substitution {
        Substitution(origin: origin, before: [before], after: after, afterText: after.joined(separator: " "), count: count, strength: 0.5, example: "")
    }
    let substitutions = [way(.pairAlternative, "behold", [], 10), way(.pair, "behold", ["see"], 40),
                         way(.pairAlternative, "shit", [], 100), way(.pairAlternative, "shit", ["thing"], 20), way(.retrieval, "shit", [], 300),
                         way(.pair, "see", [], 2)]
    let (toy, path) = try toyModel(vocabulary, seen: ["see"])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let model = StyleModel(vocabulary: vocabulary, languageModel: toy.languageModel, salience: [], substitutions: substitutions)
    let rewriter = LearnedRewriter(model: model, preserve: [])
    #expect(!rewriter.editorsOwnDeletion(0, among: [0, 1]))
    #expect(rewriter.editorsOwnDeletion(2, among: [2, 3, 4]))
    #expect(!rewriter.editorsOwnDeletion(4, among: [2, 3, 4]))
    #expect(rewriter.editorsOwnDeletion(5, among: [5]))
}

@Test func aWordOfTheContrastsMannerNeedsNoOcclusionWhereTheScorerIsSaturated() throws {
    // A verse the scorer holds off-voice whatever is deleted (P 0.005 always): deleting "thee"
    // moves nothing, so occlusion vouches for no site. "thee" far off-voice (z −42) is the
    // contrast's manner and is edited all the same; a word barely off-voice (z −3) is not.
    let vocabulary = Vocabulary(counting: ["i": 3, "have": 3, "given": 3, "thee": 3, "you": 3, "a": 3, "heart": 3])
    var paths: [String] = []
    defer { for path in paths { try? FileManager.default.removeItem(atPath: path) } }
    let text = try {
        let bytes = Array("I have given thee a heart.".utf8)
        let words = try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words
        return RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])
    }()
    let voiceOf: ([String]) -> [Double] = { $0.map { _ in 0.005 } }
    let judge: ([(before: String, after: String)]) -> [NeuralVoice.Comparison] = { pairs in
        pairs.map { _ in NeuralVoice.Comparison(voiceBefore: 0.005, voiceAfter: 0.005, logitGain: 0, similarity: 0.99) }
    }
    func proposals(thee z: Double, minOcclusion: Double = 0.5) throws -> [String] {
        // (The voice writes "thee" now and then: never writing it would vouch for the edit too.)
        let (toy, path) = try toyModel(vocabulary, seen: ["i", "have", "given", "you", "a", "heart"], salience: [("thee", z, 5, 3000)])
        paths.append(path)
        let model = StyleModel(vocabulary: toy.vocabulary, languageModel: toy.languageModel, salience: [("thee", z, 5, 3000)], substitutions: [
            Substitution(origin: .retrieval, before: ["thee"], after: ["you"], afterText: "you", count: 50, strength: 0.3, example: "thee → you"),
        ])
        var events: [GuardEvent] = []
        var rewriter = LearnedRewriter(model: model, preserve: [])
        rewriter.minOcclusion = minOcclusion
        return rewriter.proposals(for: text, guardEvents: &events, judge: judge, voiceOf: voiceOf)
            .map { "\(text.string($0.edit.range)) -> \($0.edit.replacement)" }
    }
    #expect(try proposals(thee: -42) == ["thee -> you"])
    #expect(try proposals(thee: -3).isEmpty)
    // (It is occlusion that holds it back: asked nothing of occlusion, the edit is made.)
    #expect(try proposals(thee: -3, minOcclusion: -1) == ["thee -> you"])
}

@Test func aWordTheVoiceNeverWritesNeedsNoOcclusionWhereItsRenderingIsSettled() throws {
    // BBE never writes "city" (KJV: 705 times), and its nearest sentences put "town" in its place
    // in most of them; a verse the scorer holds off-voice whatever is deleted (P 0.005 always)
    // gets the edit all the same, though "city" is barely off-voice by its z (−3 here). Where
    // the city recurs it is no topic that holds the edit back: it is how the verse is written.
    let vocabulary = Vocabulary(counting: ["they": 3, "came": 3, "to": 3, "the": 3, "city": 3, "town": 3, "and": 3, "left": 3, "gate": 3])
    var paths: [String] = []
    defer { for path in paths { try? FileManager.default.removeItem(atPath: path) } }
    func ruleText(_ string: String) throws -> RuleText {
        let bytes = Array(string.utf8)
        let words = try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words
        return RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])
    }
    let voiceOf: ([String]) -> [Double] = { $0.map { _ in 0.005 } }
    let judge: ([(before: String, after: String)]) -> [NeuralVoice.Comparison] = { pairs in
        pairs.map { _ in NeuralVoice.Comparison(voiceBefore: 0.005, voiceAfter: 0.005, logitGain: 0, similarity: 0.99) }
    }
    /// The edits made, or else why the one candidate was refused.
    func proposals(_ sentence: String = "they came to the city.", voice: Int = 0, contrast: Int = 705, origin: EditOrigin = .retrieval,
                   share: Double = 0.7) throws -> [String] {
        let salience: [(ngram: String, z: Double, voice: Int, contrast: Int)] = [("city", -3, voice, contrast)]
        let (toy, path) = try toyModel(vocabulary, seen: ["they", "came", "to", "the", "town", "and", "left", "the", "town"], salience: salience)
        paths.append(path)
        let model = StyleModel(vocabulary: toy.vocabulary, languageModel: toy.languageModel, salience: salience, substitutions: [
            Substitution(origin: origin, before: ["city"], after: ["town"], afterText: "town", count: 49, strength: share, example: "city → town"),
        ])
        var events: [GuardEvent] = []
        var refusals: [Refusal]? = []
        let text = try ruleText(sentence)
        let made = LearnedRewriter(model: model, preserve: []).proposals(for: text, guardEvents: &events, refusals: &refusals, judge: judge, voiceOf: voiceOf)
            .map { "\(text.string($0.edit.range)) -> \($0.edit.replacement)" }
        return made.isEmpty ? (refusals ?? []).map(\.reason.rawValue) : made
    }
    #expect(try proposals() == ["city -> town"])
    #expect(try proposals("they came to the city and left the city.") == ["city -> town", "city -> town"])
    // A word the voice writes at all, or the contrast seldom, is left to occlusion ...
    #expect(try proposals(voice: 1) == ["occlusion"])
    #expect(try proposals(contrast: 29) == ["occlusion"])
    // ... and so is a rendering among many, or one that is no rendering (a thesaurus sibling).
    #expect(try proposals(share: 0.2) == ["occlusion"])
    #expect(try proposals(origin: .thesaurus) == ["occlusion"])
    // A fill the voice writes on one side of the slot only ("town gate" it never writes) is left to occlusion too.
    #expect(try proposals("they came to the city gate.") == ["occlusion"])
    // And where the city recurs without that settled rendering, it is a topic: nothing learned replaces it.
    #expect(try proposals("they came to the city and left the city.", share: 0.2) == ["topic", "topic"])
    // Where it recurs, each place is judged by its own sides: "the city gate" keeps its word.
    #expect(try proposals("they came to the city gate and left the city.") == ["city -> town"])
}

@Test func oneSubstitutionsManySitesLeaveRoomForTheSentencesOtherCandidates() {
    // Five sites of one substitution outscore another's one: of three places, the first two go
    // to the best two of the five and the third to the other substitution.
    func candidate(_ first: Int, _ substitution: Int, _ score: Double) -> LearnedRewriter.Candidate {
        LearnedRewriter.Candidate(first: first, last: first, substitution: substitution, localScore: score, score: score, newIDs: [])
    }
    let all = (0..<5).map { candidate($0 * 2, 0, 8 - Double($0) * 0.1) } + [candidate(11, 1, 5)]
    let chosen = LearnedRewriter.shortlist(all, maxCandidates: 3, perPosition: 3)
    #expect(chosen.map { [$0.first, $0.substitution] } == [[0, 0], [2, 0], [11, 1]])
    // With room for all, all are kept.
    #expect(LearnedRewriter.shortlist(all, maxCandidates: 12, perPosition: 3).count == 6)
}

@Test func aWordThatNeedsACompanionReplacesAWordWrittenWithoutOneOnlyWithIt() {
    // The voice writes "thing" after a determiner (or a determiner and an adjective) in all its
    // places; the contrast writes "shit" bare in most ("do jack shit", "level of shit"), after
    // "this" 5 times and after "a" 4 times. The voice writes "messed" before "up" always, the
    // contrast "fucked" in 4 of its 14 places ("get fucked soon").
    let vocabulary = Vocabulary(counting: ["this": 9, "thing": 9, "a": 9, "good": 9, "is": 9, "funny": 9, "shit": 9, "do": 9, "jack": 9,
                                           "level": 9, "of": 9, "the": 9, "to": 9, "unto": 9, "said": 9, "them": 9,
                                           "it": 9, "messed": 9, "fucked": 9, "up": 9, "get": 9, "soon": 9, "things": 9, "are": 9])
    func ids(_ sentence: String) -> [UInt32] { sentence.split(separator: " ").map { vocabulary.id(String($0)) } }
    let voice = Array(repeating: ids("this thing is funny"), count: 12) + Array(repeating: ids("a good thing is funny"), count: 10)
        + Array(repeating: ids("said to them"), count: 25) + Array(repeating: ids("it messed up"), count: 20)
        + Array(repeating: ids("things are funny"), count: 20)
    let contrast = Array(repeating: ids("do jack shit"), count: 10) + Array(repeating: ids("level of shit"), count: 10)
        + Array(repeating: ids("this shit is funny"), count: 5) + Array(repeating: ids("a shit"), count: 4)
        + Array(repeating: ids("said unto them"), count: 25) + Array(repeating: ids("it fucked up"), count: 4) + Array(repeating: ids("get fucked soon"), count: 10)
    func substitution(_ origin: EditOrigin, _ before: String, _ after: String) -> Substitution {
        Substitution(origin: origin, before: [before], after: [after], afterText: after, count: 30, strength: 0.3, example: "")
    }
    let learned = Trainer.anchoringWordsThatNeedACompanion(
        [substitution(.retrieval, "shit", "thing"), substitution(.pair, "shit", "thing"), substitution(.retrieval, "unto", "to"),
         substitution(.vectors, "fucked", "messed")],
        voice: voice, contrast: contrast, vocabulary: vocabulary)
    let ways = learned.map { "\($0.origin.name): \($0.before.joined(separator: " ")) -> \($0.afterText)" }
    // Only after "this" (seen 3 times or more; "a" begins idioms) and before "up"; editors' own
    // edit and a word that needs no companion stay as they are.
    #expect(ways == ["retrieval: this shit -> this thing", "pair: shit -> thing", "retrieval: unto -> to", "vectors: fucked up -> messed up"], "\(ways)")
    // A way editors make before one word cannot bring the companion: "shit is" -> "thing is"
    // ("but then thing is dead") and "fucked soon" -> "messed soon" go; "fucked up" -> "messed up"
    // (the particle is its anchor) and "shit is" -> "things is" (the voice writes "things" bare)
    // stay. A plain way stays too.
    func before(_ pair: String, _ after: String) -> Substitution {
        Substitution(origin: .pairAlternative, before: pair.split(separator: " ").map(String.init), after: after.split(separator: " ").map(String.init),
                     afterText: after, count: 9, strength: 0.3, example: "")
    }
    let ways2 = Trainer.anchoringWordsThatNeedACompanion(
        [before("shit is", "thing is"), before("fucked soon", "messed soon"), before("fucked up", "messed up"), before("shit is", "things is"),
         Substitution(origin: .pairAlternative, before: ["shit"], after: [], afterText: "", count: 9, strength: 0.3, example: "")],
        voice: voice, contrast: contrast, vocabulary: vocabulary).map { "\($0.before.joined(separator: " ")) -> \($0.afterText)" }
    #expect(ways2 == ["fucked up -> messed up", "shit is -> things is", "shit -> "], "\(ways2)")
}

@Test func noSubstitutionFromTheCorporaChangesAWordsPartOfSpeech() throws {
    let thesaurus = try #require(Thesaurus(), "the thesaurus \(Thesaurus.defaultPath) is missing: run scripts/setup.sh")
    func changes(_ origin: EditOrigin, _ before: String, _ after: String) -> Bool {
        let (b, a) = (before.split(separator: " ").map(String.init), after.split(separator: " ").map(String.init))
        return Trainer.changesThePartOfSpeech(Substitution(origin: origin, before: b, after: a, afterText: after, count: 3, strength: 1, example: ""),
                                              thesaurus: thesaurus)
    }
    // Yelp's vectors: an adverb made an adjective ("was amazing disappointed"), a verb an adverb,
    // a verb an adjective.
    #expect(changes(.vectors, "horribly", "amazing") && changes(.vectors, "love", "unfortunately") && changes(.vectors, "sucked", "great"))
    #expect(changes(.retrieval, "horribly", "amazing") && changes(.thesaurus, "horribly", "amazing") && changes(.pairAlternative, "horribly", "amazing"))
    // A comparative for a plain adjective, either way ("in even excellent condition"), regular or irregular.
    #expect(changes(.vectors, "worse", "excellent") && changes(.vectors, "nicer", "great") && changes(.vectors, "good", "bigger"))
    #expect(thesaurus.isComparative("worse") && thesaurus.isComparative("bigger") && thesaurus.isComparative("happier"))
    #expect(!thesaurus.isComparative("worst") && !thesaurus.isComparative("customer") && !thesaurus.isComparative("matter"))
    // The same part of speech, the same degree: kept.
    #expect(!changes(.vectors, "rude", "friendly") && !changes(.vectors, "worse", "better") && !changes(.vectors, "worst", "best"))
    #expect(!changes(.retrieval, "horribly", "amazingly") && !changes(.retrieval, "idiot", "person"))
    // Words the thesaurus does not list, grammar words, phrases, editors' own edits: not judged.
    #expect(!changes(.retrieval, "hath", "has") && !changes(.retrieval, "concerning", "about"))
    #expect(!changes(.retrieval, "horribly disappointed", "amazing") && !changes(.pair, "horribly", "amazing"))
    // A word that is never a verb made a form of "be", "have" or "do" ("let his bones alone" ->
    // "let his bones be" taught "alone" -> "be"); a verb may become one ("begat" -> "had", "live" -> "be").
    #expect(changes(.retrieval, "alone", "be") && changes(.retrieval, "quickly", "did"))
    #expect(!changes(.retrieval, "begat", "had") && !changes(.thesaurus, "live", "be") && !changes(.retrieval, "hath", "has"))
}

@Test func aLearnedEditNeverJoinsTwoLines() throws {
    // Plain text may hold one record a line, so no learned edit takes a line break with it. A
    // word deleted at the end of a line takes the space before it; one alone on its line, or a
    // phrase across a line break, is not edited.
    let vocabulary = Vocabulary(counting: ["this": 3, "is": 3, "so": 3, "fucking": 3, "good": 3, "oh": 3, "well": 3, "really": 3])
    let salience: [(ngram: String, z: Double, voice: Int, contrast: Int)] = [("fucking", -8, 0, 300), ("fucking good", -8, 0, 300)]
    let (toy, path) = try toyModel(vocabulary, seen: ["this", "is", "so", "good", "oh", "well", "really", "good"], salience: salience)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let deletion = Substitution(origin: .pair, before: ["fucking"], after: [], afterText: "", count: 40, strength: 0.95, example: "")
    let phrase = Substitution(origin: .pair, before: ["fucking", "good"], after: ["really", "good"], afterText: "really good", count: 40, strength: 0.95, example: "")
    var rewriter = LearnedRewriter(model: StyleModel(vocabulary: toy.vocabulary, languageModel: toy.languageModel, salience: salience,
                                                     substitutions: [deletion]), preserve: [])
    func edited(_ input: String) throws -> String {
        let bytes = Array(input.utf8)
        let words = try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words
        let text = RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])
        var events: [GuardEvent] = []
        var output = bytes
        for proposal in rewriter.proposals(for: text, guardEvents: &events, judge: nil).reversed() {
            output.replaceSubrange(proposal.edit.range, with: Array(proposal.edit.replacement.utf8))
        }
        return String(decoding: output, as: UTF8.self)
    }
    func check(_ input: String, _ expected: String) throws {
        let output = try edited(input)
        #expect(output == expected, "\(input.debugDescription) -> \(output.debugDescription)")
    }
    // On one line the edits are made (the control: they are candidates at all).
    try check("this is so fucking good", "this is so good")
    try check("this is so fucking oh well", "this is so oh well")
    // At a line's end the deletion keeps the line break; alone on its line, the word stays.
    try check("this is so fucking\noh well", "this is so\noh well")
    try check("this is so\nfucking oh well", "this is so\noh well")
    try check("this is so\nfucking\noh well", "this is so\nfucking\noh well")
    // Only a space goes with it: a comma before it stays, and so does the word; but at the
    // sentence's end the word goes with its comma.
    try check("this is so , fucking\noh well", "this is so , fucking\noh well")
    try check("this is so good , fucking .", "this is so good .")
    try check("this is so good , fucking\n\noh well", "this is so good\n\noh well")
    // A phrase across a line break is not replaced.
    rewriter = LearnedRewriter(model: StyleModel(vocabulary: toy.vocabulary, languageModel: toy.languageModel, salience: salience,
                                                 substitutions: [phrase]), preserve: [])
    try check("this is so fucking good", "this is so really good")
    try check("this is so fucking\ngood", "this is so fucking\ngood")
}

@Test func noLearnedEditWritesMoreOrMostBeforeAWordThatComparesByItsOwnWord() throws {
    // "the most pathetic excuse" -> "the most bad excuse": English says "the worst excuse".
    let vocabulary = Vocabulary(counting: ["the": 3, "most": 3, "more": 3, "a": 3, "pathetic": 3, "bad": 3, "sad": 3, "excuse": 3])
    let (model, path) = try toyModel(vocabulary, seen: ["the", "most", "pathetic", "excuse"])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let rewriter = LearnedRewriter(model: model, preserve: [])
    func compares(_ sentence: String, _ after: String) -> Bool {
        let surfaces = sentence.split(separator: " ").map(String.init)
        let first = surfaces.firstIndex(of: "pathetic")!
        let substitution = Substitution(origin: .vectors, before: ["pathetic"], after: [after], afterText: after, count: 3, strength: 1, example: "")
        return rewriter.comparesIrregularly(substitution, first: first, sentence: 0..<surfaces.count, surfaces: surfaces)
    }
    #expect(compares("the most pathetic excuse", "bad"))
    #expect(compares("a More pathetic excuse", "bad"))
    #expect(!compares("the most pathetic excuse", "sad"))
    #expect(!compares("a pathetic excuse", "bad"))
}

/// `sentence` as a rule text, and a substitution of `before` (its first word found without
/// regard to case) by `after` at its place.
private func learnedSite(in sentence: String, _ before: String, _ after: String, _ origin: EditOrigin) throws
    -> (text: RuleText, first: Int, last: Int, sentence: Range<Int>, substitution: Substitution) {
    let bytes = Array(sentence.utf8)
    let words = try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words
    let text = RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])
    let head = before.split(separator: " ").map(String.init)
    let first = try #require(words.firstIndex { text.string($0.range).lowercased() == head[0] }, "\(sentence)")
    let substitution = Substitution(origin: origin, before: head, after: after.split(separator: " ").map(String.init),
                                    afterText: after, count: 3, strength: 1, example: "")
    return (text, first, first + head.count - 1, 0..<words.count, substitution)
}

/// Whether `check`, a grammar refusal that reads what follows a learned edit, refuses `before` ->
/// `after` in `sentence`.
private func refuses(_ check: (Substitution, Int, Range<Int>, RuleText) -> Bool, _ sentence: String, _ before: String, _ after: String,
                     _ origin: EditOrigin) throws -> Bool {
    let site = try learnedSite(in: sentence, before, after, origin)
    return check(site.substitution, site.last, site.sentence, site.text)
}

@Test func noLearnedEditPutsAPastThatIsNoParticipleAfterBeOrHave() throws {
    // Bible with pairs: the editors' "entered" -> "went", made in "when he was entered into the
    // house", gave "when he was went into the house"; "had given" -> "had gave".
    let vocabulary = Vocabulary(counting: ["he": 3, "was": 3, "had": 3, "entered": 3, "went": 3, "gone": 3, "given": 3, "gave": 3])
    let (model, path) = try toyModel(vocabulary, seen: ["he", "went"])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let rewriter = LearnedRewriter(model: model, preserve: [])
    func puts(_ sentence: String, _ before: String, _ after: String, _ origin: EditOrigin = .pair) throws -> Bool {
        let site = try learnedSite(in: sentence, before, after, origin)
        return rewriter.putsAPreteriteAfterAnAuxiliary(site.substitution, first: site.first, sentence: site.sentence, text: site.text)
    }
    #expect(try puts("when he was entered into the house", "entered", "went"))
    #expect(try puts("he had given it", "given", "gave", .retrieval))
    #expect(try puts("he Was entered in", "entered", "went into"))
    #expect(try puts("as he had appeared to him", "appeared to", "was seen by"))
    #expect(try !puts("as he appeared to him", "appeared to", "was seen by"))
    // A participle, a past after a subject, and a comma between are fine.
    #expect(try !puts("when he was entered into the house", "entered", "gone"))
    #expect(try !puts("when he entered the house", "entered", "went"))
    #expect(try !puts("it was , entered at last", "entered", "went"))
}

@Test func aLearnedConjunctionBeginsAClause() throws {
    // Bible with pairs: the editors' "Also he built" -> "And he made", learned as a way to change
    // "also", made "the kingdom and;" and "the altar and was rent"; "therefore" -> "so" made
    // "Hear thou so the word".
    let vocabulary = Vocabulary(counting: ["also": 3, "and": 3, "so": 3, "therefore": 3, "the": 3, "altar": 3])
    let (model, path) = try toyModel(vocabulary, seen: ["and", "the", "altar"])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let rewriter = LearnedRewriter(model: model, preserve: [])
    func joins(_ sentence: String, _ before: String, _ after: String, _ origin: EditOrigin = .pairAlternative) throws -> Bool {
        let site = try learnedSite(in: sentence, before, after, origin)
        return rewriter.joinsMidClause(site.substitution, first: site.first, last: site.last, sentence: site.sentence, text: site.text)
    }
    #expect(try joins("ask for him the kingdom also ; for he is mine", "also", "and"))
    #expect(try joins("The altar also was rent", "also", "and", .pair))
    #expect(try joins("Hear thou therefore the word", "therefore", "so", .retrieval))
    #expect(try joins("Arise thou therefore , get thee", "therefore", "so", .retrieval))
    // Where a clause begins, a conjunction may stand.
    #expect(try !joins("Also he built altars", "also", "and"))
    #expect(try !joins("all the house : also the whole altar", "also", "and"))
    #expect(try !joins("he said , therefore the king went", "therefore", "so"))
    // A phrase reordered round its own "and", "and" for its short spelling, "so" at a clause's end
    // or before the word it intensifies.
    #expect(try !joins("an hundred fifty and three", "fifty and", "and fifty", .retrieval))
    #expect(try !joins("rock n roll", "n", "and", .retrieval))
    #expect(try !joins("do it thus .", "thus", "so", .retrieval))
    #expect(try !joins("i am busy as shit", "busy as shit", "so busy"))
}

@Test func aLearnedPhraseForAVerbKeepsItsObjectsPlace() throws {
    // Bible with pairs: its editors' phrases carry the object differently, and learned where KJV
    // has one they wrote "and put to death him", "had news the sound", "sent for to him the
    // twelve", "give ear to of your great", "had given orders to." and "given up him".
    func leaves(_ sentence: String, _ before: String, _ after: String, _ origin: EditOrigin = .pair) throws -> Bool {
        try refuses(LearnedRewriter.leavesItsObjectBehind(_:last:sentence:text:), sentence, before, after, origin)
    }
    #expect(try leaves("and slain him by the", "slain", "put to death"))
    #expect(try leaves("when he heard the sound of", "heard", "had news", .retrieval))
    #expect(try leaves("and slain thy prophets", "slain thy", "put to death your"))
    #expect(try leaves("he called on the name", "called", "sent for"))
    #expect(try leaves("he called unto him the twelve", "called unto", "sent for to"))
    #expect(try leaves("they will hear of your great name", "hear", "give ear to"))
    #expect(try leaves("as the Lord commanded .", "commanded", "had given orders to"))
    #expect(try leaves("he blessed , and brake it", "blessed", "gave praise to"))
    #expect(try leaves("which also betrayed him :", "betrayed", "given up"))
    // Before a word that begins no object: a subject, an adverb, a verb of being.
    #expect(try leaves("he said , Hear thou therefore the word", "hear", "give ear to"))
    #expect(try leaves("said , Intreat now the face of the Lord", "intreat", "make prayer to", .retrieval))
    #expect(try leaves("the king , Blessed be the Lord", "blessed", "gave praise to", .retrieval))
    #expect(try !leaves("he said , Hear you the word", "hear", "give ear to"))
    // After a modal, "to" is an infinitive's.
    #expect(try !leaves("it will be fine", "will", "is going to"))
    #expect(try !leaves("it is gonna be fine", "gonna", "going to"))
    // The object keeps its place: after a preposition, a verb or a particle; a phrase for a word
    // without an object; a phrase that ends in a preposition an adverb may be.
    #expect(try !leaves("and he called them", "called", "sent for"))
    #expect(try !leaves("as the Lord commanded him", "commanded", "had given orders to"))
    #expect(try !leaves("and followed him", "followed", "went after"))
    #expect(try !leaves("they did eat of the cakes", "eat", "take food"))
    #expect(try !leaves("and he slept with his fathers", "slept", "went to rest"))
    #expect(try !leaves("immediately the leprosy departed", "immediately", "straight away"))
    #expect(try !leaves("when he entered .", "entered", "went in"))
    #expect(try !leaves("and yielded the ghost", "yielded", "gave up"))
}

@Test func aContractedWouldIsNotMadeHadBeforeABareVerb() throws {
    // Shakespeare's editors write "I'd guessed" and "I'd rather" as "I had"; learned so, the edit
    // gave "I had complain" and "I had go join you".
    func madeHad(_ sentence: String) throws -> Bool {
        try refuses(LearnedRewriter.putsHadBeforeABareVerb(_:last:sentence:text:), sentence, "i'd", "i had", .pair)
    }
    #expect(try madeHad("if this were a play , i'd complain it was unrealistic"))
    #expect(try madeHad("i'd go join you there"))
    #expect(try !madeHad("if i'd guessed he was so brave"))
    #expect(try !madeHad("no , i'd rather you stayed here"))
    #expect(try !madeHad("i'd better go"))
    #expect(try !madeHad("i'd , perhaps , come"))
}

@Test func anImperativeIsNotMadeAFiniteVerbWithoutASubject() throws {
    // The Bible's editors wrote "I know" as "I am certain"; at a quotation's opening, where "Know"
    // is an imperative, the edit gave "saying, Am certain for a certain".
    func opens(_ sentence: String, _ before: String, _ after: String) throws -> Bool {
        let site = try learnedSite(in: sentence, before, after, .pair)
        return LearnedRewriter.putsAFiniteVerbWithoutASubject(site.substitution, first: site.first, last: site.last, sentence: site.sentence, text: site.text)
    }
    #expect(try opens("And he protested , saying , Know for a certain that thou shalt die", "know", "am certain"))
    #expect(try opens("Know for a certain that thou shalt die", "know", "am certain"))
    #expect(try opens("Go up , and see", "go", "is"))
    #expect(try opens("Come", "come", "is"))                                          // nothing after it
    // With a subject before it, or after it in a question, the finite verb has one.
    #expect(try !opens("saying , I know for a certain", "know", "am certain"))
    #expect(try !opens("Shall I go against Ramothgilead ?", "shall", "am"))           // it replaces a modal
    #expect(try !opens("Art thou he that should come ?", "art thou", "are you"))
    #expect(try !opens("Weren't we both born under Taurus ?", "weren't", "were not"))
    #expect(try !opens("Behold the king is here", "behold", "is"))                    // a subject follows
    #expect(try !opens("Behold Elijah is here", "behold", "is"))                      // a name follows
    #expect(try !opens("they know for a certain", "know", "am certain"))              // no clause opens there
    #expect(try !opens("he said , know for a certain", "know", "am certain"))         // no capital: no quotation opens
    #expect(try opens("Come , the hour is at hand", "come", "is"))                    // punctuation after it: no subject
    #expect(try !opens("Know not the way", "know", "is"))                             // "Is not the way ...?"
    #expect(try !opens("Know 3 ways", "know", "are"))
    #expect(try !opens("Know the truth", "know", "is God"))                           // a name in the new words
    // A replaced word that is finite or inflected has its subject before it.
    #expect(try !opens("Hath spoken", "hath", "has"))
    #expect(try !opens("Did go there", "did", "was"))
    #expect(try !opens("Shall go up", "shall", "is"))
    #expect(try !opens("Weren't going", "weren't", "was"))
    #expect(try !opens("this guy is an idiot , Sucks at everything", "sucks", "is bad"))
    #expect(try !opens("Cometh quickly", "cometh", "is"))
}

@Test func aWordEditDefersToALongerPhraseOfItsSourceSeenMoreOften() {
    // "it came to pass at": retrieval's "came to pass" -> "came about" (7) covers "pass" -> "go" (3).
    let candidates: [(first: Int, last: Int, origin: EditOrigin, count: Int)] = [
        (1, 3, .retrieval, 7),   // came to pass -> came about
        (3, 3, .retrieval, 3),   // pass -> go: defers
        (3, 3, .vectors, 3),     // another source: does not
        (2, 3, .retrieval, 9),   // to pass -> about: shorter than the first, seen more: does not defer
        (5, 5, .retrieval, 1),   // outside the phrase
        (3, 4, .retrieval, 2),   // overlaps, not inside
    ]
    #expect(LearnedRewriter.defersToALongerPhrase(candidates) == [false, true, false, false, false, false])
    // Seen as often: the word edit stays a candidate.
    #expect(LearnedRewriter.defersToALongerPhrase([(1, 3, .pair, 3), (3, 3, .pair, 3)]) == [false, false])
}

@Test func shallInAClauseOfConditionOrTimeIsNotMadeWill() throws {
    // Bible's neighbours taught "shall" -> "will", which wrote "when they will lead you" and "if we
    // will say": in such a clause modern English writes the verb alone.
    func refuses(_ sentence: String, _ before: String, _ after: String, _ origin: EditOrigin = .retrieval) throws -> Bool {
        let site = try learnedSite(in: sentence, before, after, origin)
        return LearnedRewriter.putsWillInAClauseOfConditionOrTime(site.substitution, first: site.first, last: site.last, sentence: site.sentence, text: site.text)
    }
    #expect(try refuses("But when they shall lead you", "shall", "will"))
    #expect(try refuses("saying , If we shall say , From heaven", "shall", "will"))
    #expect(try refuses("what is a man profited , if he shall gain the whole world", "shall", "will", .pair))
    #expect(try refuses("But if ye shall at all turn", "ye shall", "you will"))      // the subject inside the edit
    #expect(try refuses("And whosoever shall not receive you", "shall", "will"))
    #expect(try refuses("until thou shalt see it", "thou shalt", "you will"))
    // A main clause, a question, a clause after the punctuation that ends the condition, and "wilt".
    #expect(try !refuses("the stars of heaven shall fall", "shall", "will"))
    #expect(try !refuses("When shall these things be ?", "shall", "will"))
    #expect(try !refuses("if he speak , they shall hear", "shall", "will"))
    #expect(try !refuses("if thou wilt walk before me", "thou wilt", "you will"))
    #expect(try !refuses("For whosoever will save his life shall lose it", "shall", "will"))
    // As the rule falls where no punctuation marks the clause: a relative "when" after a time is
    // refused too, and a word between "whosoever" and the modal lets the edit through.
    #expect(try refuses("the days will come , when the bridegroom shall be taken", "shall", "will"))
    #expect(try !refuses("Whosoever therefore shall humble himself", "shall", "will"))
    #expect(try !refuses("when they shall lead you", "shall", "may"))
}

@Test func aLearnedModalIsFollowedByABareVerb() throws {
    // Shakespeare's editors write "wish" and "wants to" as "would"; a modal then needs a bare verb after it.
    func breaks(_ sentence: String, _ before: String, _ after: String, _ origin: EditOrigin = .pair) throws -> Bool {
        try refuses(LearnedRewriter.putsAModalBeforeAFiniteVerb(_:last:sentence:text:), sentence, before, after, origin)
    }
    #expect(try breaks("I know that you wish were here", "wish", "would"))
    #expect(try breaks("if he wants to go", "wants", "would", .retrieval))
    #expect(try breaks("I hope that you wish went well", "wish", "would"))
    #expect(try breaks("she thinks is right", "thinks", "will"))
    #expect(try !breaks("I wish I were there", "wish", "would"))         // a subject follows: "I would I were"
    #expect(try !breaks("if he wants to go", "wants to", "would"))     // the phrase takes its "to" along
    #expect(try !breaks("he wants to be crowned", "wants to", "would"))
    #expect(try !breaks("you can go now", "can", "may"))               // a modal for a modal
    #expect(try !breaks("I wish .", "wish", "would"))                  // punctuation follows
}

@Test func aLearnedPrepositionIsFollowedByNoFiniteVerb() throws {
    // The Bible's editors wrote "the place which the Lord shall choose" as "the place marked out by
    // the Lord"; the phrase must not write "a place marked out by was named".
    func breaks(_ sentence: String, _ before: String, _ after: String, _ origin: EditOrigin = .pair) throws -> Bool {
        try refuses(LearnedRewriter.putsAPrepositionBeforeAFiniteVerb(_:last:sentence:text:), sentence, before, after, origin)
    }
    #expect(try breaks("they came to a place which was named Gethsemane", "place which", "place marked out by"))
    #expect(try breaks("the house which shall be built", "which", "made by", .retrieval))
    #expect(try !breaks("the place which the Lord shall choose", "place which", "place marked out by"))  // a noun phrase follows
    #expect(try !breaks("he went unto them", "unto", "to"))                                            // a pronoun follows
    #expect(try !breaks("the time passed by was long", "passed by", "went by"))                         // the same preposition was there
    #expect(try !breaks("the place which was named", "which", "that"))                                 // no preposition
}

@Test func trainingLearnsInflectionPatternsFromNeighbourPairs() throws {
    // A style without editors' pairs: its neighbour pairs drop "thou ...est" for "you ..." with
    // five verbs, so "thou walkest", in no pair, becomes "you walk" (a retrieval pattern).
    let verbs = ["know", "say", "go", "seek", "keep"]
    // (The voice writes each verb after "they" too: a pattern inflects a verb's form, `isAVerbForm`.)
    let voice = (verbs + ["walk"]).flatMap { verb in (1...3).map { "Then you \(verb) the way \($0) times." } + ["They \(verb) it."] }
    let contrast = (verbs + ["walk"]).flatMap { verb in (1...3).map { "Then thou \(verb)est the way \($0) times." } }
    let (repository, style) = try trainingRepository(style: "corpus:\n  voice: [voice.txt]\n  contrast: [contrast.txt]\nstages:\n  post: [learned]",
        files: ["voice.txt": voice.joined(separator: "\n") + "\n", "contrast.txt": contrast.joined(separator: "\n") + "\n"])
    _ = repository
    let trainer = Trainer(style: style, resources: Resources(styleRoot: style.root))
    let corpus = try trainer.readCorpora()
    let statistics = try trainer.countStatistics(of: corpus) { _, _ in }
    let (languageModel, path) = try toyLanguageModel(statistics.vocabulary, sentences: [["you", "walk"]])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let neighbours = verbs.map { NeighbourMiner.Mined(before: "Then thou \($0)est the way 1 times.", after: "Then you \($0) the way 1 times.", similarity: 0.9) }
    func learned(_ neighbours: [NeighbourMiner.Mined]?) -> [Substitution] {
        trainer.learnSubstitutions(corpus: corpus, statistics: statistics, languageModel: languageModel, neighbours: neighbours).substitutions
            .filter { $0.before == ["thou", "walkest"] }
    }
    let walk = try #require(learned(neighbours).first, "\(learned(neighbours))")
    #expect(walk.origin == .retrieval && walk.after == ["you", "walk"] && walk.example.hasPrefix("retrieval " + SubstitutionLearner.patternPrefix))
    // Without neighbour pairs, nothing teaches it.
    #expect(learned(nil).isEmpty)
}

@Test func noSubstitutionFromTheCorporaGivesSomeoneAGender() {
    func states(_ origin: EditOrigin, _ before: String, _ after: String) -> Bool {
        let (b, a) = (before.split(separator: " ").map(String.init), after.split(separator: " ").map(String.init))
        return Trainer.statesAGender(Substitution(origin: origin, before: b, after: a, afterText: after, count: 3, strength: 1, example: ""))
    }
    // ParaDetox's retrieval: "ur such a bitch" -> "ur such a girl"; "a sociopathic idiot" -> "guy".
    #expect(states(.retrieval, "bitch", "girl") && states(.vectors, "idiot", "guy") && states(.pairAlternative, "moron", "he"))
    // A word for someone that says no gender, one gendered word for another, a deletion, and the
    // editors' own edit in place stay.
    #expect(!states(.retrieval, "idiot", "person") && !states(.retrieval, "dude", "guy") && !states(.retrieval, "bitch", ""))
    #expect(!states(.pair, "bitch", "girl"))
}

@Test func aDeletionTheVoiceNeverJoinsIsMadeOnlyInsideANounPhrase() throws {
    // ParaDetox: editors delete "silly" or "ass" in some of the places they change it, but the
    // voice never writes "same post" or "weird party", so every such deletion was refused
    // (attestation). One inside a noun phrase is a candidate: the word after is a noun (the
    // voice writes it after an article) and the word before opens the phrase or is an
    // adjective (written after "very"). Not after a word of degree, nor before a verb or an end.
    let words = ["i", "read", "the", "same", "silly", "post", "again", "a", "weird", "ass", "party", "most", "pathetic", "excuse",
                 "shit", "hits", "fan", "do", "jack", "very", "an"]
    let vocabulary = Vocabulary(counting: Dictionary(uniqueKeysWithValues: words.map { ($0, 3) }))
    let (model, path) = try toyModel(vocabulary, seen: ["the", "post", "a", "party", "very", "weird", "an", "excuse", "the", "fan", "hits", "i", "read",
                                                          "again", "do", "jack", "most", "pathetic", "silly", "same", "ass", "shit", "hits", "again"])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let rewriter = LearnedRewriter(model: model, preserve: [])
    func leaves(_ sentence: String, _ word: String) throws -> Bool {
        let site = try learnedSite(in: sentence, word, "", .pairAlternative)
        let ids = site.text.words.map { model.vocabulary.id(site.text.string($0.range).lowercased()) }
        return rewriter.leavesANounPhrase(first: site.first, last: site.last, sentence: site.sentence, ids: ids, text: site.text)
    }
    #expect(try leaves("i read the same silly post again", "silly"))
    #expect(try leaves("a weird ass party", "ass"))
    #expect(try !leaves("the most pathetic excuse", "pathetic"))
    #expect(try !leaves("the shit hits the fan", "shit"))
    #expect(try !leaves("do jack shit .", "shit"))
    #expect(try !leaves("do jack shit", "shit"))
    #expect(try !leaves("silly post", "silly"))
    #expect(try !leaves("a post silly post", "silly"))
    #expect(try !leaves("the same , silly post", "silly"))
    #expect(try !leaves("the same silly , post", "silly"))
    // A noun follows an article or a possessive in a good share of its places: "post" here in
    // one of its two, "hits" in none of its two (though the voice writes "the fan").
    #expect(rewriter.afterANounMarker(model.vocabulary.id("post")) >= LearnedRewriter.nounShare)
    #expect(rewriter.afterANounMarker(model.vocabulary.id("hits")) < LearnedRewriter.nounShare)
    // With a scorer that says the sentence leaves the contrast without the word, the deletion is
    // made; without a scorer, or where the phrase is no noun phrase, it is not.
    let salience = [("silly", -8.0, 0, 300), ("pathetic", -8.0, 0, 300)]
    let scored = StyleModel(vocabulary: model.vocabulary, languageModel: model.languageModel, salience: salience, substitutions: [
        Substitution(origin: .pairAlternative, before: ["silly"], after: [], afterText: "", count: 20, strength: 0.3, example: "silly → "),
        Substitution(origin: .pairAlternative, before: ["pathetic"], after: [], afterText: "", count: 20, strength: 0.3, example: "pathetic → "),
    ])
    let voiceOf: ([String]) -> [Double] = { $0.map { $0.contains("silly") || $0.contains("pathetic") ? 0.1 : 0.9 } }
    let judge: ([(before: String, after: String)]) -> [NeuralVoice.Comparison] = { pairs in
        pairs.map { NeuralVoice.Comparison(voiceBefore: voiceOf([$0.before])[0], voiceAfter: voiceOf([$0.after])[0], logitGain: 4, similarity: 0.99) }
    }
    func deletions(_ sentence: String, scorer: Bool = true) throws -> [String] {
        let bytes = Array(sentence.utf8)
        let text = RuleText(bytes: bytes, words: try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words,
                            prose: [0..<bytes.count])
        var events: [GuardEvent] = []
        return LearnedRewriter(model: scored, preserve: [])
            .proposals(for: text, guardEvents: &events, judge: scorer ? judge : nil, voiceOf: scorer ? voiceOf : nil)
            .map { "\(text.string($0.edit.range)) -> \($0.edit.replacement)" }
    }
    let made = try deletions("i read the same silly post again")
    #expect(made == ["silly  -> "])
    #expect(try deletions("i read the same silly post again", scorer: false).isEmpty)
    #expect(try deletions("i read the most pathetic excuse again").isEmpty)
}

@Test func aWordWithoutNumberTakesAPluralWhereNothingAroundItAsksForOne() throws {
    // Retrieval's "shit" -> "things" changes the number `keepsInflection` sees; where the voice
    // writes "things" beside both neighbours and neither asks for a singular, it is a candidate.
    let sentences = [["they", "steal", "things", "like", "that"], ["make", "things", "up"], ["then", "things", "was", "dead"],
                     ["this", "things", "like"], ["lots", "of", "things", "too"], ["sold", "things", "jobs"]]
    let words = Set(sentences.flatMap { $0 } + ["shit", "a", "piece"])
    let vocabulary = Vocabulary(counting: Dictionary(uniqueKeysWithValues: words.map { ($0, 3) }))
    let (languageModel, path) = try toyLanguageModel(vocabulary, sentences: sentences)
    defer { try? FileManager.default.removeItem(atPath: path) }
    func edits(_ sentence: String, editorsPhrase: Bool = false) throws -> [String] {
        var substitutions = [Substitution(origin: .retrieval, before: ["shit"], after: ["things"], afterText: "things", count: 140, strength: 0.3, example: "")]
        if editorsPhrase {
            substitutions.append(Substitution(origin: .pair, before: ["piece", "of", "shit"], after: [], afterText: "", count: 14, strength: 0.3, example: ""))
        }
        return try scoredEdits(sentence, model: StyleModel(vocabulary: vocabulary, languageModel: languageModel,
                                                             salience: [("shit", -8.0, 0, 300)], substitutions: substitutions))
    }
    #expect(try edits("they steal shit like that") == ["shit -> things"])
    #expect(try edits("make shit up") == ["shit -> things"])
    #expect(try edits("lots of shit too") == ["shit -> things"])
    // A singular finite verb after it, a word in "-s" (the word as a modifier), a singular
    // determiner before it: the number is asked for.
    #expect(try edits("then shit was dead").isEmpty)
    #expect(try edits("sold shit jobs").isEmpty)
    #expect(try edits("this shit like").isEmpty)
    // An editors' phrase that holds the word decides for it, whatever it makes there.
    #expect(try edits("a piece of shit too") == ["shit -> things"])
    #expect(try edits("a piece of shit too", editorsPhrase: true).isEmpty)
}

@Test func aReplacementBesideAnArchaicNeighbourCountsTheNeighboursOwnEdit() throws {
    // "upon thy throne": the voice never writes "upon your" nor "your throne", but it writes
    // "on your", and "upon" -> "on" is learned: the left side of "thy" -> "your" counts.
    let sentences = [["on", "your", "seat"], ["the", "throne"], ["sat", "upon"]]
    let words = Set(sentences.flatMap { $0 } + ["thy", "set"])
    let vocabulary = Vocabulary(counting: Dictionary(uniqueKeysWithValues: words.map { ($0, 3) }))
    let (languageModel, path) = try toyLanguageModel(vocabulary, sentences: sentences)
    defer { try? FileManager.default.removeItem(atPath: path) }
    func edits(_ sentence: String, neighbour: EditOrigin?) throws -> [String] {
        var substitutions = [Substitution(origin: .retrieval, before: ["thy"], after: ["your"], afterText: "your", count: 50, strength: 0.3, example: "")]
        if let neighbour {
            substitutions.append(Substitution(origin: neighbour, before: ["upon"], after: ["on"], afterText: "on", count: 50, strength: 0.3, example: ""))
        }
        return try scoredEdits(sentence, model: StyleModel(vocabulary: vocabulary, languageModel: languageModel,
                                                           salience: [("thy", -8.0, 0, 300), ("upon", -8.0, 0, 300)], substitutions: substitutions),
                               offVoice: "thy")
    }
    #expect(try edits("set upon thy throne", neighbour: .retrieval).contains("thy -> your"))
    // Not without the neighbour's edit, nor beside a word-vector sibling.
    #expect(try edits("set upon thy throne", neighbour: nil).isEmpty)
    #expect(try !edits("set upon thy throne", neighbour: .vectors).contains("thy -> your"))
}

@Test func aLearnedPhraseDoesNotWriteThePerfectTwice() throws {
    // Retrieval's "commanded" -> "had given orders to", after "have": "have had given orders to".
    let vocabulary = Vocabulary(counting: ["i": 3, "have": 3, "commanded": 3, "had": 3, "given": 3, "orders": 3, "to": 3, "he": 3])
    let (model, path) = try toyModel(vocabulary, seen: ["i", "have"])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let rewriter = LearnedRewriter(model: model, preserve: [])
    func doubles(_ sentence: String) throws -> Bool {
        let bytes = Array(sentence.utf8)
        let words = try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words
        let text = RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])
        let index = try #require(words.firstIndex { text.string($0.range) == "commanded" })
        let substitution = Substitution(origin: .retrieval, before: ["commanded"], after: ["had", "given", "orders", "to"],
                                        afterText: "had given orders to", count: 5, strength: 0.3, example: "")
        return rewriter.putsAPreteriteAfterAnAuxiliary(substitution, first: index, sentence: 0..<words.count, text: text)
    }
    #expect(try doubles("i have commanded thee"))
    #expect(try doubles("he hath commanded thee"))
    #expect(try doubles("he has commanded thee"))
    #expect(try !doubles("as he commanded thee"))
}

@Test func aFunctionWordIsDeletedOnlyWhereTheVoiceNeverWritesIt() throws {
    // The Bible in Basic English never writes "also" (KJV 1,565 times), and its editors delete it
    // outright; they delete "the" too, in some places, but the voice writes "the": its use is
    // grammar, and no deletion of it is learned however often the editors make one.
    let voice = (1...40).map { "He went home on day \($0)." } + (1...3).map { "She saw the ship \($0)." }
    let contrast = (1...40).map { "He also went home on day \($0)." } + (1...40).map { "She saw the ship on day \($0)." }
    let pairs = (1...12).map { "He also went home on day \($0).\tHe went home on day \($0)." }
        + (1...12).map { "She saw the ship on day \($0).\tShe saw ship on day \($0)." }
    let (repository, style) = try trainingRepository(style: "corpus:\n  voice: [voice.txt]\n  contrast: [contrast.txt]\n  pairs: [edits.tsv]\nstages:\n  post: [learned]",
        files: ["voice.txt": voice.joined(separator: "\n") + "\n", "contrast.txt": contrast.joined(separator: "\n") + "\n",
                "edits.tsv": pairs.joined(separator: "\n") + "\n"])
    _ = repository
    let trainer = Trainer(style: style, resources: Resources(styleRoot: style.root))
    let corpus = try trainer.readCorpora()
    let statistics = try trainer.countStatistics(of: corpus) { _, _ in }
    let (languageModel, path) = try toyLanguageModel(statistics.vocabulary, sentences: [["he", "went"]])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let deletions = trainer.learnSubstitutions(corpus: corpus, statistics: statistics, languageModel: languageModel, neighbours: nil).substitutions
        .filter { $0.after.isEmpty }.map { "\($0.origin.name): \($0.before.joined(separator: " "))" }
    #expect(deletions.contains("pair: also"), "\(deletions)")
    #expect(!deletions.contains { $0.hasSuffix(": the") }, "\(deletions)")
    // The predicate itself: every deleted word must be one the voice never writes.
    func deletesGrammar(_ before: String, unvoiced: Set<String>) -> Bool {
        let words = before.split(separator: " ").map(String.init)
        return Trainer.deletesGrammar(Substitution(origin: .pair, before: words, after: [], afterText: "", count: 3, strength: 1, example: ""),
                                      unvoiced: unvoiced.contains)
    }
    #expect(!deletesGrammar("also", unvoiced: ["also"]))
    #expect(deletesGrammar("also", unvoiced: []))
    #expect(deletesGrammar("also the", unvoiced: ["also"]))
    #expect(!deletesGrammar("also own", unvoiced: ["also", "own"]))
    #expect(!deletesGrammar("ship", unvoiced: []))  // a content word's deletion is no grammar's
}

@Test func theEditorsDeletionOfAParenthesisTakesItsCommas() throws {
    // The Bible's editors delete "I pray thee" between commas, and at the sentence's end after one.
    let (repository, stage) = try trainedStage(voice: (1...6).map { "Give me water \($0).\nHelp me \($0).\n" }.joined(),
                                               contrast: (1...6).map { "Give me, I pray thee, water \($0).\nHelp me, I pray thee.\n" }.joined(),
                                               edits: (1...6).map { "Give me, I pray thee, water \($0).\tGive me water \($0).\nHelp me, I pray thee \($0).\tHelp me \($0).\n" }.joined())
    _ = repository
    for (input, expected) in [("Give me, I pray thee, water.", "Give me water."), ("Help me, I pray thee.", "Help me."),
                              // After a verb of saying the comma opens a quotation, and stays with the parenthesis.
                              ("He said, I pray thee, water.", "He said, I pray thee, water.")] {
        #expect(try rewritten(input, by: stage) == expected)
    }
}

@Test func aClauseAdverbGoesBeforeAGrammarWordOrAStop() throws {
    let vocabulary = Vocabulary(counting: ["thy": 3, "wives": 3, "also": 3, "and": 3, "children": 3, "ship": 3, "altar": 3, "was": 3, "rent": 3])
    let (model, path) = try toyModel(vocabulary, seen: ["thy", "wives"])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let rewriter = LearnedRewriter(model: model, preserve: [])
    func deletable(_ sentence: String, _ word: String, editorsOwn: Bool = false) throws -> Bool {
        try canDelete(word, in: sentence, by: rewriter, editorsOwn: editorsOwn)
    }
    // An adverb of its clause heads no phrase: it may go before a grammar word, where a phrase's head may not.
    #expect(try deletable("thy wives also and thy children", "also"))
    #expect(try !deletable("thy wives ship and thy children", "ship"))
    #expect(try deletable("the altar also was rent", "also"))
    #expect(try deletable("there were also with him other ships", "also"))
    #expect(try deletable("it was definitely the best", "definitely"))
    // Not after a word of degree, a hedge or a negation, which it completes.
    #expect(try !deletable("I will most definitely be there", "definitely"))
    #expect(try !deletable("it is almost certainly the best", "certainly"))
    #expect(try !deletable("it is not really a fan", "really"))
    // Before a comma, a semicolon or a colon, where the word before stands as at the sentence's end.
    #expect(try deletable("that I may preach there also: for", "also"))
    #expect(try deletable("the kingdom also; for he is", "also"))
    #expect(try !deletable("do it, a friend indeed, and go", "indeed"))
    #expect(try !deletable("it was the most certainly , and", "certainly"))
    // Not across a line break, and after only opening interjections the rules for those hold
    // (the editors' own deletion goes with its comma; another's stops at it).
    #expect(try !deletable("he went there\nalso, to me", "also"))
    #expect(try deletable("oh really , i think so", "really", editorsOwn: true))
    #expect(try !deletable("oh really , i think so", "really"))

    // Trained on editors who delete "also" (which the voice never writes), the stage deletes it
    // before a stop with the space before it, and keeps the stop.
    let (repository, stage) = try trainedStage(
        voice: (1...6).map { "He went home on day \($0).\nHis wives and his sons came on day \($0).\nHe spoke there: on day \($0).\n" }.joined(),
        contrast: (1...12).map { "He also went home on day \($0).\nHis wives also and his sons came on day \($0).\nHe spoke there also: on day \($0).\n" }.joined(),
        edits: (1...6).map { "He also went home on day \($0).\tHe went home on day \($0).\nHis wives also and his sons came on day \($0).\tHis wives and his sons came on day \($0).\n" }.joined())
    _ = repository
    for (input, expected) in [("He spoke there also: on day 9.", "He spoke there: on day 9."),
                              ("His wives also and his sons came on day 9.", "His wives and his sons came on day 9."),
                              // Across a line break nothing is deleted (plain text may hold one record a line).
                              ("He spoke there\nalso: on day 9.", "He spoke there\nalso: on day 9.")] {
        #expect(try rewritten(input, by: stage) == expected)
    }
}

@Test func aDeletionAfterAPossessiveLeavesItANoun() throws {
    // The voice writes "house" after "his" and "the"; "received" after neither. "his own house" ->
    // "his house", but "and his own received him not" must not become "and his received him not".
    let vocabulary = Vocabulary(counting: ["and": 3, "his": 3, "own": 3, "house": 3, "received": 3, "him": 3, "the": 3, "not": 3, "unto": 3])
    let (languageModel, path) = try toyLanguageModel(vocabulary, sentences: [["his", "house"], ["the", "house"], ["and", "received", "him"]])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let rewriter = LearnedRewriter(model: StyleModel(vocabulary: vocabulary, languageModel: languageModel, salience: [], substitutions: []), preserve: [])
    func deletable(_ sentence: String, _ word: String) throws -> Bool {
        try canDelete(word, in: sentence, by: rewriter, editorsOwn: true)
    }
    #expect(try deletable("and his own house", "own"))
    #expect(try !deletable("and his own received him not", "own"))
    #expect(try !deletable("unto his own .", "own"))
    #expect(try deletable("and his own mule", "own"))  // a word the vocabulary does not hold is most often a noun
    // A content word after a possessive is a modifier the editors drop, whatever follows it.
    #expect(try deletable("and his damn received him", "damn"))
}
