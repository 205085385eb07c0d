import Foundation
import Testing
@testable import HouseStyle
import HouseStyleText

/// A style whose editors turn "bad" into "great" and "rude" into "friendly".
private let reviewStyle = """
    corpus:
      voice: [voice.txt]
      contrast: [contrast.txt]
      pairs: [edits.tsv]
    stages:
      post: [learned]
    """

private let dishes = ["food", "soup", "pizza", "bread", "cake", "pasta", "salad", "rice"]
private let people = ["staff", "waiter", "host", "cook", "owner", "manager"]
private let reviewFiles = [
    "voice.txt": (dishes.map { "The \($0) was great.\n" } + people.map { "The \($0) was friendly.\n" }
        + zip(dishes, people).map { "The \($0) was great and the \($1) was friendly.\n" }).joined(),
    "contrast.txt": (dishes.map { "The \($0) was bad.\n" } + people.map { "The \($0) was rude.\n" }
        + zip(dishes, people).map { "The \($0) was bad and the \($1) was rude.\n" }).joined(),
    "edits.tsv": (dishes.prefix(3).map { "The \($0) was bad.\tThe \($0) was great.\n" }
        + people.prefix(3).map { "The \($0) was rude.\tThe \($0) was friendly.\n" }).joined(),
]

private func ruleText(_ string: String) throws -> RuleText {
    let bytes = Array(string.utf8)
    let words = try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words
    return RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])
}

/// A stand-in for the voice scorer: P(on-voice) by how many of "great" and "friendly" the sentence
/// has (`voice[count]`), and a similarity that falls 0.2 for each word the rewrite changed.
private func judge(_ voice: [Double]) -> ([(before: String, after: String)]) -> [NeuralVoice.Comparison] {
    { pairs in
        pairs.map { pair in
            func p(_ s: String) -> Double { voice[s.split(separator: " ").filter { $0.hasPrefix("great") || $0.hasPrefix("friendly") }.count] }
            let changed = zip(pair.before.split(separator: " "), pair.after.split(separator: " ")).filter { $0 != $1 }.count
            let (before, after) = (p(pair.before), p(pair.after))
            return NeuralVoice.Comparison(voiceBefore: before, voiceAfter: after,
                                          logitGain: log(after / (1 - after)) - log(before / (1 - before)), similarity: 1 - 0.2 * Double(changed))
        }
    }
}

@Test func twoEditsThatTogetherCarryASentenceIntoTheVoiceAreJudgedAsOneChange() throws {
    let (repository, style) = try trainingRepository(style: reviewStyle, files: reviewFiles)
    _ = repository
    _ = try Trainer(style: style, resources: Resources(styleRoot: style.root)).train()
    let rewriter = LearnedRewriter(model: try ModelBundle.load(style), preserve: style.rewrite.preserve)
    let text = try ruleText("The food was bad and the staff was rude.")
    var events: [GuardEvent] = []
    // Each edit alone keeps the sentence off-voice (P 0.02 -> 0.3) at similarity 0.8 < 0.85, which
    // the guard refuses; together they carry it into the voice (0.02 -> 0.9) at 0.6, above the
    // 0.85 × (1 − 0.88) asked of such a change: both are proposed, neither marked as refused.
    let together = rewriter.proposals(for: text, guardEvents: &events, judge: judge([0.02, 0.3, 0.9]))
    #expect(together.map(\.edit.replacement) == ["great", "friendly"])
    #expect(together.allSatisfy { !$0.meaningChanged })
    #expect(together.allSatisfy { $0.edit.reason.contains("voice") })
    // When the two together still leave it off-voice, the guard refuses the first and nothing is
    // applied; the second, chosen after it, is refused for the meaning too.
    var refusals: [Refusal]? = []
    let apart = rewriter.proposals(for: text, guardEvents: &events, refusals: &refusals, judge: judge([0.02, 0.2, 0.4]))
    #expect(apart.count == 1)
    #expect(apart.allSatisfy { $0.meaningChanged })
    #expect(refusals?.map(\.reason) == [.meaning])
    #expect(refusals?.first?.detail.contains("similarity 0.60 <") == true)
    // An edit that passes the guard alone is chosen before one that does not.
    let gentle = rewriter.proposals(for: text, guardEvents: &events, judge: { pairs in
        judge([0.02, 0.3, 0.9])(pairs).enumerated().map { index, comparison in
            var result = comparison
            if pairs[index].after.contains("friendly") && !pairs[index].after.contains("great") { result.similarity = 0.9 }
            return result
        }
    })
    #expect(gentle.map(\.edit.replacement) == ["great", "friendly"])
    #expect(gentle.allSatisfy { !$0.meaningChanged })
    #expect(gentle.map { $0.edit.reason.contains("with the sentence's other learned edits") } == [true, false])
}


@Test func theGateHoldsTheEditorsOwnEditsOnlyWhereCalibrationChoseSo() throws {
    let (repository, style) = try trainingRepository(style: reviewStyle, files: reviewFiles)
    _ = repository
    _ = try Trainer(style: style, resources: Resources(styleRoot: style.root)).train()
    var rewriter = LearnedRewriter(model: try ModelBundle.load(style), preserve: style.rewrite.preserve)
    rewriter.judgedOrigins = [.pair: -.infinity]
    let text = try ruleText("The food was bad and the staff was rude.")
    var events: [GuardEvent] = []
    func editorsEdits(_ voice: [Double]) -> [String] {
        rewriter.proposals(for: text, guardEvents: &events, judge: judge(voice)).filter { $0.edit.origin == .pair }.map(\.edit.replacement)
    }
    // The scorer puts the sentence as written at 0.3, past a bar of 0.25: the editors' edits are
    // made all the same, unless the gate holds them too.
    rewriter.maxVoiceToEdit = 0.25
    let made = editorsEdits([0.3, 0.5, 0.9])
    #expect(made == ["great", "friendly"])
    rewriter.gatesPairs = true
    #expect(editorsEdits([0.3, 0.5, 0.9]).isEmpty)
    // Below the bar they are made.
    rewriter.maxVoiceToEdit = 0.5
    #expect(editorsEdits([0.3, 0.5, 0.9]) == made)
}

@Test func aWordLearnedFromTheCorporaKeepsTheInflectionOfTheWordItReplaces() {
    func keeps(_ before: [String], _ after: [String], _ origin: EditOrigin = .vectors) -> Bool {
        LearnedRewriter.keepsInflection(Substitution(origin: origin, before: before, after: after, afterText: after.joined(separator: " "),
                                                     count: 1, strength: 0.5, example: ""))
    }
    #expect(!keeps(["ordered"], ["love"]))        // a past verb made present
    #expect(!keeps(["files"], ["file"]))          // a plural made singular
    #expect(keeps(["disappointed"], ["impressed"]))
    #expect(keeps(["horrible"], ["great"]))
    #expect(keeps(["never"], ["definitely"]))
    #expect(keeps(["amazing"], ["horrible"]))     // -ing and -ly make adjectives as often as verbs and adverbs
    #expect(keeps(["friendly"], ["rude"]))
    #expect(!keeps(["was"], ["is"]))              // a past made present, by irregular forms
    #expect(!keeps(["entered"], ["go"]))
    #expect(keeps(["entered"], ["went"]))
    #expect(keeps(["idiots"], ["people"]))        // an irregular plural is a plural
    #expect(!keeps(["idiot"], ["people"]))
    #expect(keeps(["cometh"], ["comes"]))         // the archaic third person is a third person
    #expect(keeps(["hath"], ["has"]))
    #expect(!keeps(["cometh"], ["came"]))
    #expect(keeps(["death"], ["end"]))            // -eath is no verb ending
    #expect(keeps(["put"], ["place"]))            // a past that is also the base tells nothing
    #expect(keeps(["laid"], ["put"]))
    #expect(keeps(["smote"], ["overcame"]))       // two irregular pasts
    #expect(keeps(["not", "good"], ["great"]))    // phrases are not checked
}

@Test func irregularFormsComeFromWordNetsExceptionLists() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hs-wordnet-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    func write(_ name: String, _ text: String) throws { try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    try write("verb.exc", "beheld behold\nforsook forsake\nfound find\nlying lie\nhas have\n")
    try write("noun.exc", "cherubim cherub\ncorpora corpus\nwives wife\n")
    try write("index.verb", "  1 this line is the licence header\nfound v 3 3 @ ~ + 3 2 02427103\nbehold v 1 1 @ 1 0 02131279\n")
    let forms = LearnedRewriter.irregularForms(directory: directory.path)
    #expect(forms["beheld"] == .ed)
    #expect(forms["forsook"] == .ed)
    #expect(forms["found"] == .either)            // also a verb of its own ("to found a city")
    #expect(forms["lying"] == nil)                // -ing is no class
    #expect(forms["has"] == .s)
    #expect(forms["cherubim"] == .s)
    #expect(forms["corpora"] == .s)
    #expect(forms["wives"] == nil)                // the -s ending tells already
    #expect(forms["put"] == .either)              // from the lists of this file, with or without WordNet
    #expect(forms["spake"] == .ed)
    // Where WordNet is not installed the lists alone remain.
    let bare = LearnedRewriter.irregularForms(directory: directory.appendingPathComponent("absent").path)
    #expect(bare["beheld"] == nil && bare["went"] == .ed && bare["people"] == .s && bare["found"] == nil)
}

/// The review style trained, with its editors' edits ("bad" -> "great", "rude" -> "friendly")
/// relabelled as if the corpora alone had taught them (word vectors): only such edits are checked
/// by deleting what they replace. The repository is returned to keep its folder while the rewriter is used.
private func reviewEditsAsIfFromVectors() throws -> (TemporaryRepository, LearnedRewriter) {
    let (repository, style) = try trainingRepository(style: reviewStyle, files: reviewFiles)
    _ = try Trainer(style: style, resources: Resources(styleRoot: style.root)).train()
    let directory = ModelBundle.directory(for: style)
    let file = (directory as NSString).appendingPathComponent(StyleModel.substitutionsFile)
    let table = try String(contentsOfFile: file, encoding: .utf8)
    try #require(table.contains("\npair\tbad\t") && table.contains("\npair\trude\t"))
    try table.replacingOccurrences(of: "\npair\t", with: "\nvectors\t").write(toFile: file, atomically: true, encoding: .utf8)
    return (repository, LearnedRewriter(model: try StyleModel(directory: directory), preserve: style.rewrite.preserve))
}

@Test func aLearnedEditGoesOnlyWhereDeletingWhatItReplacesMovesTheVoice() throws {
    let (repository, trained) = try reviewEditsAsIfFromVectors()
    _ = repository
    var rewriter = trained
    let text = try ruleText("The food was bad and the staff was rude.")
    // A stand-in scorer for which "rude" makes a sentence off-voice and "bad" does not (in this
    // sentence the scorer does not hold the food against it), while "great" and "friendly" both
    // make it on-voice: log-odds −4 + 3 per "great", "friendly" or missing "rude".
    let judge: ([(before: String, after: String)]) -> [NeuralVoice.Comparison] = { pairs in
        func p(_ s: String) -> Double {
            let words = s.split(whereSeparator: { $0 == " " || $0 == "." })
            let logit = -4.0 + 3 * Double(words.filter { $0 == "great" || $0 == "friendly" }.count + (words.contains("rude") ? 0 : 1))
            return 1 / (1 + exp(-logit))
        }
        return pairs.map { pair in
            let (before, after) = (p(pair.before), p(pair.after))
            return NeuralVoice.Comparison(voiceBefore: before, voiceAfter: after, logitGain: log(after / (1 - after)) - log(before / (1 - before)), similarity: 0.95)
        }
    }
    var events: [GuardEvent] = []
    let proposals = rewriter.proposals(for: text, guardEvents: &events, judge: judge)
    #expect(proposals.map(\.edit.replacement) == ["friendly"])
    #expect(proposals.allSatisfy { $0.edit.origin == .vectors && $0.edit.reason.contains("deleting 'rude' moves the voice +3.00") })
    // Without the check, "bad" -> "great" gains by itself and is chosen too.
    rewriter.minOcclusion = -.infinity
    #expect(rewriter.proposals(for: text, guardEvents: &events, judge: judge).map(\.edit.replacement) == ["great", "friendly"])
}

@Test func aSentenceTheScorerAlreadyPutsInTheVoiceGetsNoLearnedEdit() throws {
    let (repository, trained) = try reviewEditsAsIfFromVectors()
    _ = repository
    var rewriter = trained
    let text = try ruleText("The food was bad and the staff was rude.")
    // Log-odds `base`, +3 for each "great" or "friendly" and for a missing "rude".
    func judge(base: Double) -> ([(before: String, after: String)]) -> [NeuralVoice.Comparison] {
        { pairs in
            func p(_ s: String) -> Double {
                let words = s.split(whereSeparator: { $0 == " " || $0 == "." })
                return 1 / (1 + exp(-(base + 3 * Double(words.filter { $0 == "great" || $0 == "friendly" }.count + (words.contains("rude") ? 0 : 1)))))
            }
            return pairs.map { pair in
                let (before, after) = (p(pair.before), p(pair.after))
                return NeuralVoice.Comparison(voiceBefore: before, voiceAfter: after, logitGain: log(after / (1 - after)) - log(before / (1 - before)), similarity: 0.95)
            }
        }
    }
    var events: [GuardEvent] = []
    // Off-voice as written (P 0.02): "rude" -> "friendly" carries it into the voice.
    #expect(rewriter.proposals(for: text, guardEvents: &events, judge: judge(base: -4)).map(\.edit.replacement) == ["friendly"])
    // The same edit gains as much where the scorer puts the sentence only just in the voice (P 0.62): it is made ...
    let justIn = rewriter.proposals(for: text, guardEvents: &events, judge: judge(base: 0.5))
    #expect(justIn.map(\.edit.replacement) == ["friendly"])
    // Each proposal carries that verdict, from which calibration chooses the bar.
    #expect(abs((justIn.first?.voiceAsWritten ?? 0) - 1 / (1 + exp(-0.5))) < 1e-9)
    // ... but not where the scorer puts it firmly there (P 0.92).
    #expect(rewriter.proposals(for: text, guardEvents: &events, judge: judge(base: 2.5)).isEmpty)
    // Nor is what deleting its sites would do asked of the scorer: only the sentence as written.
    var scored: [String] = []
    let voiceOf: ([String]) -> [Double] = { sentences in
        scored += sentences
        return judge(base: 2.5)(sentences.map { ($0, $0) }).map(\.voiceAfter)
    }
    #expect(rewriter.proposals(for: text, guardEvents: &events, judge: judge(base: 2.5), voiceOf: voiceOf).isEmpty)
    #expect(scored == ["The food was bad and the staff was rude."])
    rewriter.maxVoiceToEdit = 1
    #expect(rewriter.proposals(for: text, guardEvents: &events, judge: judge(base: 2.5)).map(\.edit.replacement) == ["friendly"])
}

@Test func aSiteThatCarriesTheVoiceWithAnotherIsFoundByDeletingThemTogether() throws {
    let (repository, rewriter) = try reviewEditsAsIfFromVectors()
    _ = repository
    let text = try ruleText("The food was bad and the staff was rude.")
    // A scorer that holds either word against the sentence as much as both (log-odds −4 while
    // "bad" or "rude" remains, +2 once neither does; +1 for each "great" or "friendly"):
    // deleting one alone moves nothing, so only deleting them together shows each carries it.
    var scored: [String] = []
    let voiceOf: ([String]) -> [Double] = { sentences in
        scored += sentences
        return sentences.map { s in
            let words = s.split(whereSeparator: { $0 == " " || $0 == "." })
            let logit = (words.contains("bad") || words.contains("rude") ? -4.0 : 2.0) + Double(words.filter { $0 == "great" || $0 == "friendly" }.count)
            return 1 / (1 + exp(-logit))
        }
    }
    let judge: ([(before: String, after: String)]) -> [NeuralVoice.Comparison] = { pairs in
        let (before, after) = (voiceOf(pairs.map(\.before)), voiceOf(pairs.map(\.after)))
        return zip(before, after).map { b, a in
            NeuralVoice.Comparison(voiceBefore: b, voiceAfter: a, logitGain: log(a / (1 - a)) - log(b / (1 - b)), similarity: 0.95)
        }
    }
    var events: [GuardEvent] = []
    let proposals = rewriter.proposals(for: text, guardEvents: &events, judge: judge, voiceOf: voiceOf)
    #expect(proposals.map(\.edit.replacement) == ["great", "friendly"])
    #expect(proposals.map { $0.edit.reason.contains("with the sentence's other sites deleted, deleting '\($0.edit.replacement == "great" ? "bad" : "rude")' moves the voice +6.00") } == [true, true])
    // The scorer saw the sentence with both sites deleted, and with each kept.
    #expect(scored.contains { $0.split(separator: " ") == ["The", "food", "was", "and", "the", "staff", "was", "."] })
}

@Test func ofTwoEditsThatMoveTheVoiceAlikeTheSearchKeepsTheOneThatKeepsTheMeaning() throws {
    // The editors turn "bad" into "great" four times and into "good" three times.
    let files = [
        "voice.txt": (dishes.map { "The \($0) was great.\n" } + dishes.map { "The \($0) was good.\n" }).joined(),
        "contrast.txt": dishes.map { "The \($0) was bad.\n" }.joined(),
        "edits.tsv": (dishes.prefix(4).map { "The \($0) was bad.\tThe \($0) was great.\n" }
            + dishes.suffix(3).map { "The \($0) was bad.\tThe \($0) was good.\n" }).joined(),
    ]
    let (repository, style) = try trainingRepository(style: reviewStyle, files: files)
    _ = repository
    _ = try Trainer(style: style, resources: Resources(styleRoot: style.root)).train()
    var rewriter = LearnedRewriter(model: try ModelBundle.load(style), preserve: style.rewrite.preserve)
    let text = try ruleText("The soup was bad.")
    // Both carry the sentence into the voice alike; "good" keeps more of its meaning (0.95 against 0.86).
    let judge: ([(before: String, after: String)]) -> [NeuralVoice.Comparison] = { pairs in
        pairs.map { pair in
            func p(_ s: String) -> Double { s.contains("great") || s.contains("good") ? 0.9 : 0.02 }
            let (before, after) = (p(pair.before), p(pair.after))
            return NeuralVoice.Comparison(voiceBefore: before, voiceAfter: after, logitGain: log(after / (1 - after)) - log(before / (1 - before)),
                                          similarity: pair.after.contains("good") ? 0.95 : pair.after.contains("great") ? 0.86 : 1)
        }
    }
    var events: [GuardEvent] = []
    // Without a price on meaning, the edit the editors made more often wins...
    rewriter.meaningWeight = 0
    // (The editors' "was bad" -> "was great" edits "bad" only: "was" stays out of the edit.)
    #expect(rewriter.proposals(for: text, guardEvents: &events, judge: judge).map(\.edit.replacement) == ["great"])
    // ... with it, the one that keeps the meaning, at the same gain as it had.
    rewriter.meaningWeight = 40
    let kept = rewriter.proposals(for: text, guardEvents: &events, judge: judge)
    #expect(kept.map(\.edit.replacement) == ["good"])
    #expect(kept.allSatisfy { !$0.meaningChanged })
}

@Test func everyCandidateTheSearchLeavesOutIsListedWithWhy() throws {
    let (repository, trained) = try reviewEditsAsIfFromVectors()
    _ = repository
    var rewriter = trained
    let text = try ruleText("The food was bad and the staff was rude.")
    // Log-odds `base`, +3 for a missing "rude", `great` for each "great" and +3 for each "friendly".
    func judge(base: Double, great: Double = 3) -> ([(before: String, after: String)]) -> [NeuralVoice.Comparison] {
        { pairs in
            func p(_ s: String) -> Double {
                let words = s.split(whereSeparator: { $0 == " " || $0 == "." })
                let logit = base + great * Double(words.filter { $0 == "great" }.count)
                    + 3 * Double(words.filter { $0 == "friendly" }.count + (words.contains("rude") ? 0 : 1))
                return 1 / (1 + exp(-logit))
            }
            return pairs.map { pair in
                let (before, after) = (p(pair.before), p(pair.after))
                return NeuralVoice.Comparison(voiceBefore: before, voiceAfter: after, logitGain: log(after / (1 - after)) - log(before / (1 - before)), similarity: 0.95)
            }
        }
    }
    func run(_ judge: @escaping ([(before: String, after: String)]) -> [NeuralVoice.Comparison]) -> (proposals: [String], refusals: [Refusal]) {
        var events: [GuardEvent] = []
        var refusals: [Refusal]? = []
        let asked = rewriter.proposals(for: text, guardEvents: &events, refusals: &refusals, judge: judge)
        // Asking why changes nothing that is proposed.
        var none: [Refusal]? = nil
        let plain = rewriter.proposals(for: text, guardEvents: &events, refusals: &none, judge: judge)
        #expect(asked.map(\.edit) == plain.map(\.edit))
        #expect(asked.map { [$0.score, $0.voice?.similarity ?? -1, $0.meaningChanged ? 1 : 0] } == plain.map { [$0.score, $0.voice?.similarity ?? -1, $0.meaningChanged ? 1 : 0] })
        return (asked.map(\.edit.replacement), refusals ?? [])
    }
    func reasons(_ refusals: [Refusal]) -> [String] { refusals.map { "\($0.before)->\($0.after): \($0.reason.rawValue)" }.sorted() }
    // Deleting "bad" leaves the scorer where it was: "bad" does not carry the sentence off the voice.
    let occluded = run(judge(base: -4))
    #expect(occluded.proposals == ["friendly"])
    #expect(reasons(occluded.refusals) == ["bad->great: occlusion"])
    #expect(occluded.refusals.first?.detail.hasPrefix("deleting 'bad' moves the voice scorer +0.00 towards the voice, and 0.50 is asked") == true)
    #expect(occluded.refusals.first.map { text.string($0.range) } == "bad")
    // A sentence the scorer puts firmly in the voice: neither edit is made, and both say why.
    let onVoice = run(judge(base: 2.5))
    #expect(onVoice.proposals.isEmpty)
    #expect(reasons(onVoice.refusals) == ["bad->great: on-voice", "rude->friendly: on-voice"])
    // Where "great" moves the scorer away from the voice, the search never prefers it.
    rewriter.minOcclusion = -.infinity
    let against = run(judge(base: -4, great: -20))
    #expect(against.proposals == ["friendly"])
    #expect(reasons(against.refusals) == ["bad->great: no-gain"])
}

@Test func withoutAScorerACandidateTheVoiceWritesOnOneSideOnlyIsRefusedForItsSides() throws {
    let (repository, rewriter) = try reviewEditsAsIfFromVectors()
    _ = repository
    // The voice writes "was great" but never "great said".
    let text = try ruleText("The soup was bad said the cook.")
    var events: [GuardEvent] = []
    var refusals: [Refusal]? = []
    #expect(rewriter.proposals(for: text, guardEvents: &events, refusals: &refusals, judge: nil).isEmpty)
    let refused = refusals ?? []
    #expect(refused.map(\.reason) == [.sides])
    #expect(refused.first?.before == "bad" && refused.first?.after == "great" && refused.first?.origin == .vectors)
    #expect(refused.first?.detail.contains("one side of the slot only, and there is no voice scorer") == true)
}

@Test func aRefusalALaterRoundMakesGoodIsNoRefusal() {
    let refusal = Refusal(range: 10..<15, before: "shall", after: "will", origin: .retrieval, reason: .shortlist, detail: "")
    let event = GuardEvent(kind: .numbers, range: 10..<12, before: "12", after: "", origin: .retrieval)
    let diagnostics: [StageDiagnostic] = [.refused(refusal), .guarded(event)]
    #expect(Pipeline.standing(diagnostics, laterEdits: []) == diagnostics)
    #expect(Pipeline.standing(diagnostics, laterEdits: [20..<25]) == diagnostics)
    // An edit over its words, or an insertion inside them, makes it good; guard events stay.
    #expect(Pipeline.standing(diagnostics, laterEdits: [12..<20]) == [.guarded(event)])
    #expect(Pipeline.standing(diagnostics, laterEdits: [12..<12]) == [.guarded(event)])
    #expect(Pipeline.standing(diagnostics, laterEdits: [15..<15]) == diagnostics)
}
