import Foundation
import HouseStyleText
import HouseStyleNumerics

/// When learned edits are applied, decided by `housestyle train` on held-out material with a
/// known right answer, so that the applied ones reach `learned.target_precision`.
///
/// The material (never trained on):
/// - held-out editor revisions (`corpus.pairs`, one in ten): the answer is the editor's after side;
/// - neighbour pairs of held-out contrast sentences (`NeighbourMiner`): the answers are the voice
///   sentences a small edit away that the voice scorer puts in the voice (`Trainer.onVoiceAnswers`), and a replacement that removes what no neighbour keeps for an
///   on-voice marker is right too (`replacesWhatNoNeighbourKeeps`); one that puts function words
///   where no neighbour has the removed words is undetermined (`rewordsWhatNoNeighbourSays`);
/// - the restoration test: held-out on-voice sentences turned off-voice by the style run backwards
///   (`OffVoiceVariants`); the answer is the sentence as written;
/// - held-out on-voice sentences as written: nothing should change, so every edit there is wrong.
///
/// An edit is right when it brings the sentence closer to the answer (fewer word edits away).
/// Editor revisions and translations (the `pairs` material) rewrite whole regions, so there an
/// edit that neither brings the sentence closer nor takes it further is judged by where it falls:
/// on words the answer keeps as written it is wrong (the editor left them alone); inside a region
/// the answer says another way ("unto thee" -> "to you" where the answer has "to whom") it is
/// undetermined when editors make that very change elsewhere in the training pairs, and wrong
/// when they never do (`editorsChanges`). Undetermined edits (`Verdict`; on neighbour pairs,
/// `rewordsWhatNoNeighbourSays`) are left out of the precision.
/// For each source of learned edits (pair, retrieval, thesaurus, vectors) the threshold is the
/// lowest score at which the edits scoring at least that much reach the target precision, with
/// at least `minimumRight` right ones, and all sources together at most one edit per 2,000 words of on-voice
/// text (the budget goes where it buys the most right edits); a source that never does is not applied (its edits are
/// findings). An edit's confidence is the precision the material shows for its source at its
/// score (isotonic regression: it never falls as the score rises).
public struct Calibration: Codable, Sendable, Hashable {
    public static let file = "calibration.json"
    /// A source needs at least this many right edits above its threshold to be applied at all.
    public static let minimumRight = 3

    public struct Source: Codable, Sendable, Hashable {
        /// The class calibrated: an origin (`pair`, `pair-alternative`, `memory`, `retrieval`, `thesaurus`
        /// or `vectors`), or `pair-few` (`fewRevisionsClass`).
        public var origin: String
        /// Edits scoring at least this are applied; nil: none are.
        public var threshold: Double?
        /// Right and proposed edits on the material, in all and at or above the threshold.
        /// `applied` counts the edits the answers judge (right or wrong), not the undetermined.
        public var proposed: Int, right: Int
        public var applied: Int, appliedRight: Int
        /// Edits the answer could not judge (see `Verdict`), in all and at or above the threshold:
        /// they are applied with the others but left out of the precision.
        public var undetermined: Int?, appliedUndetermined: Int?
        /// (score, precision) steps of the isotonic fit, by rising score.
        public var steps: [[Double]]
        /// The lowest statistical score (before the voice scorer) of the right edits applied on
        /// the material: rewriting judges this source's proposals from there on only.
        public var judgeFrom: Double?

        public var precision: Double? { applied > 0 ? Double(appliedRight) / Double(applied) : nil }

        /// Whether an edit of this class at `score` is applied, and its calibrated confidence.
        public func decide(score: Double) -> (apply: Bool, confidence: Double) {
            var confidence = steps.first?[1] ?? 0
            for step in steps where score >= step[0] { confidence = step[1] }
            guard let threshold else { return (false, confidence) }
            return (score >= threshold, confidence)
        }
    }

    public struct Example: Codable, Sendable, Hashable {
        public var origin: String
        public var material: String
        public var before: String
        public var edited: String
        public var answer: String
        public var score: Double
        public var right: Bool
        public var applied: Bool
        /// The answer could not judge the edit (then `right` is false).
        public var undetermined: Bool?
    }

    public var targetPrecision: Double
    /// Sentences of each kind of material: `pairs`, `neighbours`, `restoration`, `on_voice`.
    public var material: [String: Int]
    public var sources: [Source]
    /// Right edits the answers call for (word edits), for recall.
    public var wantedEdits: Int
    public var examples: [Example]
    /// Per kind of material: its words, and the edits applied at the chosen thresholds (and how
    /// many were right). On `on_voice` every applied edit is wrong.
    package var byMaterial: [String: MaterialResult] = [:]
    /// A sentence the voice scorer puts in the voice with at least this probability gets no
    /// learned edit but an editor's own (`LearnedRewriter.maxVoiceToEdit`; 1: no gate), chosen
    /// on the material: the bar at which the most right edits are applied. Nil: no scorer, or a
    /// bundle from before the choice (the rewriter's default then).
    public var voiceGate: Double?
    /// Whether the gate holds the editors' own edits too (`LearnedRewriter.gatesPairs`), chosen
    /// with the bar. Nil: it does not.
    public var pairsGated: Bool?
    /// Each bar tried: (bar, right applied edits, applied edits the answers judge), and with a
    /// fourth element 1 where the gate held the editors' own edits too.
    public var gateBars: [[Double]]?
    /// Every edit of the calibration run with its verdict and whether it is applied at the chosen
    /// thresholds, for `calibration-edits.tsv` (`editsTable`); not part of `calibration.json`.
    package var edits: [Example] = []

    enum CodingKeys: String, CodingKey {
        case targetPrecision, material, sources, wantedEdits, examples, byMaterial, voiceGate, pairsGated, gateBars
    }

    /// The file that lists every edit of the calibration run (`editsTable`).
    public static let editsFile = "calibration-edits.tsv"

    /// `edits` as tab-separated lines under a header: origin, material, score, verdict (right,
    /// wrong or undetermined), applied (yes or no), the sentence before, edited, and the answer.
    /// By origin, then by falling score, so that each source's threshold is a line in its list.
    public var editsTable: String {
        let clean = { (text: String) in text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
        let order = Dictionary(uniqueKeysWithValues: Self.classes.enumerated().map { ($1.name, $0) })
        let sorted = edits.enumerated().sorted { a, b in
            let (x, y) = (order[a.element.origin] ?? order.count, order[b.element.origin] ?? order.count)
            if x != y { return x < y }
            if a.element.score != b.element.score { return a.element.score > b.element.score }
            return a.offset < b.offset
        }.map(\.element)
        let lines = sorted.map { e in
            let verdict = e.undetermined == true ? "undetermined" : e.right ? "right" : "wrong"
            return [e.origin, e.material, String(format: "%.3f", e.score), verdict, e.applied ? "yes" : "no",
                    clean(e.before), clean(e.edited), clean(e.answer)].joined(separator: "\t")
        }
        return (["origin\tmaterial\tscore\tverdict\tapplied\tbefore\tedited\tanswer"] + lines).map { $0 + "\n" }.joined()
    }

    package struct MaterialResult: Codable, Sendable, Hashable {
        public var words: Int
        /// All applied edits, the undetermined included.
        public var applied: Int
        public var right: Int
        /// Applied edits the answer could not judge.
        public var undetermined: Int?

        /// Right among the applied edits the answers judge; nil when they judge none.
        public var precision: Double? {
            let judged = applied - (undetermined ?? 0)
            return judged > 0 ? Double(right) / Double(judged) : nil
        }
    }

    /// Applied edits over all sources: (applied, right).
    public var applied: (count: Int, right: Int) { applied(among: nil) }

    /// Applied edits over the sources `allowed` lets rewriting use (nil: all): (applied, right).
    func applied(among allowed: Set<EditOrigin>?) -> (count: Int, right: Int) {
        let names = allowed.map { Set($0.map(\.name)) }
        return sources.filter { names?.contains($0.origin) ?? true }
            .reduce((0, 0)) { ($0.0 + $1.applied, $0.1 + $1.appliedRight) }
    }

    /// The calibration of a verified bundle folder, or nil when it has none.
    public static func load(_ directory: String) throws(ModelError) -> Calibration? {
        let path = (directory as NSString).appendingPathComponent(file)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do { return try JSONDecoder().decode(Calibration.self, from: data) } catch {
            throw .corrupt(path: path, reason: "not a calibration record: \(error)")
        }
    }

    /// Editors' edits made in fewer revisions than this are calibrated as a class of their own,
    /// `fewRevisionsClass`. At one threshold with the rest they were the wrong ones: of the pair
    /// edits applied on held-out material (statistics.53), those made 2 times in the training
    /// revisions were right 77% (ParaDetox), 80% (Shakespeare) and 91% (Bible with pairs) of the
    /// time, those made 3 or 4 times 83–94%, and those made 5 times or more 97–100%. Their
    /// statistics score as high as the others' (the words they replace are as far off the voice:
    /// Shakespeare's "Why, anyone can see" -> "Why, can see", made twice in 6 places).
    public static let fewRevisions = 5
    public static let fewRevisionsClass = "pair-few"
    /// ... where each of the two has at least this many edits the answers judge on the held-out
    /// material; else they are judged together, as one class (`pair`). A class needs 4 right
    /// edits and none wrong to be applied at all (`threshold`), so a small one holds its edits
    /// back: acme's 3 editors' edits made 5 times or more ("in order to" -> "to") were all right
    /// and none was applied.
    public static let minimumClassEdits = 20

    /// The classes calibrated, in order: each learned origin, and after `pair` its edits made in few revisions.
    public static let classes: [(name: String, origin: EditOrigin)] = LearnedSource.learnedOrigins.flatMap { origin in
        origin == .pair ? [(origin.name, origin), (fewRevisionsClass, origin)] : [(origin.name, origin)]
    }

    /// The class an edit of `origin` is calibrated in; `revisions`: how many training revisions
    /// make it (an editors' edit; nil: not known).
    public static func className(_ origin: EditOrigin, revisions: Int?) -> String {
        origin == .pair && (revisions ?? fewRevisions) < fewRevisions ? fewRevisionsClass : origin.name
    }

    public func source(_ origin: EditOrigin) -> Source? { sources.first { $0.origin == origin.name } }

    /// The calibration of an edit of `origin` made in `revisions` training revisions: its class's,
    /// or for a bundle calibrated before the classes, its origin's.
    public func source(_ origin: EditOrigin, revisions: Int?) -> Source? {
        let name = Self.className(origin, revisions: revisions)
        return sources.first { $0.origin == name } ?? source(origin)
    }

    /// The decision for one proposal: whether to apply it and the calibrated confidence.
    public func decide(origin: EditOrigin, revisions: Int? = nil, score: Double) -> (apply: Bool, confidence: Double) {
        source(origin, revisions: revisions)?.decide(score: score) ?? (false, 0)
    }
}

/// One sentence of calibration material and its answer.
struct CalibrationItem {
    var material: String
    var source: String
    var answer: String
    /// Other acceptable answers (neighbour material, and the other editors' revisions of the
    /// same held-out sentence): an edit is right when it brings the sentence closer to any answer.
    var alternatives: [String] = []
}

enum Calibrator {
    /// Held-out sentences of each kind used: a seeded sample of at least this many (all of them
    /// where there are fewer), and more while the sample holds fewer than `wordsPerKind` words.
    static let minimumPerKind = 600
    /// The words a kind's sample holds at least, where there are enough sentences. Short
    /// sentences (reviews of 8 words) would otherwise give 5,000 words of on-voice text, a budget
    /// of two edits, and about 130 proposals a source to place a threshold on: too few for the
    /// thresholds to stand still when anything upstream changes.
    static let wordsPerKind = 12_000

    /// How many of `count` held-out sentences of `meanWords` words each a kind's sample takes.
    static func sampleSize(of count: Int, meanWords: Double) -> Int {
        min(count, max(minimumPerKind, Int((Double(wordsPerKind) / max(meanWords, 1)).rounded(.up))))
    }
    /// A source's applied edits on held-out on-voice text may number one per this many words, at most.
    static let onVoiceWordsPerEdit = 2000

    static func material(corpus: TrainingCorpus, variants: OffVoiceVariants, neighbours: [NeighbourMiner.Mined] = [], seed: UInt64) -> [CalibrationItem] {
        var generator = SeededGenerator(seed: seed ^ 0x6361_6C69_62)
        // The shuffled order is the same whatever the sample's size, so a larger sample keeps the
        // sentences of a smaller one.
        func sample<T>(_ items: [T], words: (T) -> String) -> [T] {
            guard items.count > minimumPerKind else { return items }
            var indices = Array(items.indices)
            generator.shuffle(&indices)
            var taken = 0, wordCount = 0
            while taken < indices.count && (taken < minimumPerKind || wordCount < wordsPerKind) {
                wordCount += words(items[indices[taken]]).split(whereSeparator: \.isWhitespace).count
                taken += 1
            }
            return indices.prefix(taken).sorted().map { items[$0] }
        }
        var items: [CalibrationItem] = []
        // A sentence several editors revised is one item with all their revisions as answers
        // (ParaDetox gives up to three per toxic sentence): an edit that one of them makes is
        // right, not wrong or undetermined beside another's answer (`EvaluationSet.grouping`).
        for revisions in sample(EvaluationSet.grouping(corpus.pairsHeldOut), words: \.source) {
            items.append(.init(material: "pairs", source: revisions.source, answer: revisions.references[0],
                               alternatives: Array(revisions.references.dropFirst())))
        }
        for pair in sample(neighbours, words: \.before) {
            items.append(.init(material: "neighbours", source: pair.before, answer: pair.after, alternatives: pair.alternatives))
        }
        let voice = sample(corpus.voiceHeldOut) { $0 }
        for sentence in voice {
            if let variant = variants.variant(of: sentence) { items.append(.init(material: "restoration", source: variant, answer: sentence)) }
        }
        for sentence in voice { items.append(.init(material: "on_voice", source: sentence, answer: sentence)) }
        return items
    }

    /// Runs `rewriter` over the material and fits the thresholds.
    /// `editorsChanges` (`editorsChanges(_:)` of the training pairs) judge the edits the held-out
    /// pairs cannot; without them such edits are undetermined.
    /// `allowed`: the origins the style's `learned.sources` let rewriting use (nil: all); only
    /// they share the on-voice budget (`fit`).
    static func calibrate(_ rewriter: LearnedRewriter, items: [CalibrationItem], locale: String, targetPrecision: Double,
                          tokenizer: ModelTokenizer, thesaurus: Thesaurus? = nil, editorsChanges: Set<[String]> = [],
                          allowed: Set<EditOrigin>? = nil) throws -> Calibration {
        let segmenter = try WordSegmenter(locale: locale)
        // Each source is calibrated as rewriting uses it once applicable: its candidates choose
        // their places first (`LearnedRewriter.judgedOrigins`), so that candidates of another
        // source cannot crowd it out of the material it is judged on. No sentence is gated as
        // already in the voice (`maxVoiceToEdit`): each edit keeps its sentence's verdict as
        // written, and `fit` works out every bar from this one run.
        var ungated = rewriter
        ungated.maxVoiceToEdit = 1
        let present = Set(rewriter.model.substitutions.map(\.origin) + (rewriter.model.memory.isEmpty ? [] : [EditOrigin.memory]))
        let passes = present.count <= 1 ? [ungated] : LearnedSource.learnedOrigins.filter(present.contains).map { origin in
            var pass = ungated
            pass.judgedOrigins = [origin: -.infinity]
            return pass
        }
        var judged: [Judged] = []
        var material: [String: Int] = [:]
        var wanted = 0
        var words: [String: Int] = [:]
        for item in items {
            material[item.material, default: 0] += 1
            let answer = tokenizer.tokens(item.answer)
            let alternatives = item.alternatives.map(tokenizer.tokens)
            let sourceTokens = tokenizer.tokens(item.source)
            words[item.material, default: 0] += sourceTokens.count
            let distances = ([answer] + alternatives).map { wordDistance(sourceTokens, $0) }
            wanted += SubstitutionLearner.diffRuns(sourceTokens, answer).count
            let bytes = Array(item.source.utf8)
            // The words each revision keeps as written.
            let kept = item.material == "pairs" ? ([answer] + alternatives).map { keptTokens(sourceTokens, $0) } : []
            let prose = [0..<bytes.count]
            let words = try WordTracker(bytes: bytes, prose: prose, segmenter: segmenter).words
            let text = RuleText(bytes: bytes, words: words, prose: prose)
            for proposal in passes.flatMap({ pass in
                pass.proposals(for: text).filter { $0.edit.origin == pass.judgedOrigins?.keys.first ?? $0.edit.origin }
            }) where !proposal.meaningChanged {
                var edited = bytes
                edited.replaceSubrange(proposal.edit.range, with: Array(proposal.edit.replacement.utf8))
                let editedText = String(decoding: edited, as: UTF8.self)
                let editedTokens = tokenizer.tokens(editedText)
                var verdict: Verdict = zip([answer] + alternatives, distances).contains { wordDistance(editedTokens, $0) < $1 } ? .right : .wrong
                if verdict == .wrong && item.material == "neighbours"
                    && replacesWhatNoNeighbourKeeps(proposal.edit, in: bytes, answers: [answer] + alternatives, rewriter: rewriter, tokenizer: tokenizer,
                                                 thesaurus: thesaurus) {
                    verdict = .right
                } else if verdict == .wrong && item.material == "neighbours"
                    && liftsANegationANeighbourLacks(proposal.edit, in: bytes, answers: [answer] + alternatives, tokenizer: tokenizer) {
                    verdict = .right
                } else if verdict == .wrong && item.material == "neighbours"
                    && rewordsWhatNoNeighbourSays(proposal.edit, in: bytes, answers: [answer] + alternatives, editedTokens: editedTokens,
                                                  distances: distances, tokenizer: tokenizer) {
                    verdict = .undetermined
                }
                if verdict == .wrong && item.material == "pairs"
                    && zip([answer] + alternatives, distances).enumerated().contains(where: { index, answer in
                        saysItAnotherWay(sourceTokens, edited: editedTokens, answer: answer.0, distance: answer.1)
                            && !touchesKeptWords(proposal.edit, in: bytes, kept: kept[index], tokenizer: tokenizer)
                    }) {
                    // In a region an answer says another way: undetermined when editors make this
                    // very change elsewhere in the training pairs (the answer cannot tell whether
                    // it fits here), wrong when they never do (`saysItAnotherWay`).
                    let change = Self.change(removed: tokenizer.tokens(String(decoding: bytes[proposal.edit.range], as: UTF8.self)),
                                             added: tokenizer.tokens(proposal.edit.replacement))
                    verdict = editorsChanges.isEmpty || editorsChanges.contains(change) ? .undetermined : .wrong
                }
                let className = Calibration.className(proposal.edit.origin, revisions: proposal.revisions)
                judged.append(Judged(origin: proposal.edit.origin, score: proposal.score, statistical: proposal.statisticalScore,
                    voiceAsWritten: proposal.voiceAsWritten, verdict: verdict,
                    example: .init(origin: className, material: item.material, before: item.source, edited: editedText,
                                   answer: item.answer, score: (proposal.score * 1000).rounded() / 1000, right: verdict == .right, applied: false,
                                   undetermined: verdict == .undetermined ? true : nil)))
            }
        }
        return choosingTheGate(judged, words: words, material: material, wanted: wanted, targetPrecision: targetPrecision, allowed: allowed)
    }

    /// One proposal of the calibration run and what the answer says about it.
    struct Judged {
        var origin: EditOrigin; var score: Double; var statistical: Double
        /// The scorer's verdict on the sentence as written (nil: not asked).
        var voiceAsWritten: Double?
        var verdict: Verdict
        /// Its example names the class it is calibrated in (`Calibration.className`).
        var example: Calibration.Example
        var className: String { example.origin }
        var right: Bool { verdict == .right }
        var judged: Bool { verdict != .undetermined }
    }

    /// `judged` with the editors' edits made in few revisions put back with the rest where either
    /// class has fewer than `Calibration.minimumClassEdits` edits the answers judge.
    static func inClassesLargeEnough(_ judged: [Judged]) -> [Judged] {
        let few = judged.filter { $0.className == Calibration.fewRevisionsClass && $0.judged }.count
        let often = judged.filter { $0.className == EditOrigin.pair.name && $0.judged }.count
        guard few > 0, min(few, often) < Calibration.minimumClassEdits else { return judged }
        return judged.map { edit in
            guard edit.className == Calibration.fewRevisionsClass else { return edit }
            var together = edit
            together.example.origin = EditOrigin.pair.name
            return together
        }
    }

    /// The bars of the on-voice gate calibration chooses among (`LearnedRewriter.maxVoiceToEdit`; 1: no gate).
    static let gateBars = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1]

    /// The calibration at each bar of `gateBars`, and the one that applies the most right edits
    /// on the material (on a tie, the fewest wrong ones, then the lowest bar: the one that leaves
    /// more sentences as written). At a bar, the edits that are not an editor's own in sentences
    /// the scorer puts in the voice at least that much are not made: they leave the material, and
    /// the thresholds and the on-voice budget are worked out on what is left. Exact for those
    /// sources, whose candidates the gate takes out of the search altogether; the editors' own
    /// edits (`pair`, `memory`) keep what the ungated search chose for them. Each bar is also tried with the editors' own
    /// edits gated too (`pairsGated`), which wins only with more right edits or, as many, fewer
    /// wrong ones: where the editors' phrases fire on on-voice text, the budget they take there
    /// may buy more elsewhere. Only the edits of the sources `allowed` (nil: all) are counted.
    /// Without a scorer there is no gate (nil).
    static func choosingTheGate(_ judged: [Judged], words: [String: Int], material: [String: Int], wanted: Int, targetPrecision: Double,
                                allowed: Set<EditOrigin>? = nil) -> Calibration {
        let judged = inClassesLargeEnough(judged)
        guard judged.contains(where: { $0.voiceAsWritten != nil }) else {
            return fit(judged, words: words, material: material, wanted: wanted, targetPrecision: targetPrecision, allowed: allowed)
        }
        let pairsJudged = judged.contains { $0.origin.isEditorsOwn && $0.voiceAsWritten != nil }
        var best: Calibration?
        var tried: [[Double]] = []
        for bar in gateBars {
            for gatePairs in bar < 1 && pairsJudged ? [false, true] : [false] {
                let kept = judged.filter { ($0.origin.isEditorsOwn && !gatePairs) || bar >= 1 || ($0.voiceAsWritten ?? 0) < bar }
                var calibration = fit(kept, words: words, material: material, wanted: wanted, targetPrecision: targetPrecision, allowed: allowed)
                calibration.voiceGate = bar
                calibration.pairsGated = gatePairs ? true : nil
                // Only the sources the style lets rewriting use count: a left-out source's right
                // edits are never made, so they cannot buy a bar.
                let (applied, right) = calibration.applied(among: allowed)
                tried.append([bar, Double(right), Double(applied)] + (gatePairs ? [1] : []))
                if let known = best {
                    let (knownApplied, knownRight) = known.applied(among: allowed)
                    guard right > knownRight || (right == knownRight && applied - right < knownApplied - knownRight) else { continue }
                }
                best = calibration
            }
        }
        best!.gateBars = tried
        return best!
    }

    /// Thresholds, on-voice budget, examples and results by material for the edits `judged`.
    static func fit(_ judged: [Judged], words: [String: Int], material: [String: Int], wanted: Int, targetPrecision: Double,
                    allowed: Set<EditOrigin>? = nil) -> Calibration {
        var sources: [Calibration.Source] = []
        var examples: [Calibration.Example] = []
        let classes = Calibration.classes
        // On-voice text should stay as written: all sources together may edit it at most once per
        // `onVoiceWordsPerEdit` words. The budget goes to the sources where it buys the most right
        // edits (the material from other sources must not lower a threshold past it): right edits
        // on the editors' held-out pairs, where the style has them. Neighbour pairs are mined, not
        // written as answers to these sentences, and judged leniently (another on-voice word of
        // the same part of speech is right): on them a source of sibling swaps can buy more
        // "right" edits than the editors' own phrases do. (ParaDetox, with them counted and before
        // `editorsChanges` judged the undetermined: word vectors took the budget for 282 right edits
        // on neighbours, with 712 undetermined on the pairs; the editors' phrases lost 64 of their
        // 375, and vectors made no edit on the dev set.)
        // Only the sources the style lets rewriting use share it: the learned stage drops the
        // others' substitutions when it loads the model (`LearnedFilter`), and a share given to
        // one would buy nothing. (ParaDetox leaves out word vectors, as `learned.sources` does by
        // default; they took the budget there in the case above.) A source allowed later without
        // retraining keeps a threshold under which it edits no on-voice text.
        let countedMaterial: Set<String> = (material["pairs"] ?? 0) > 0 ? ["pairs"] : ["neighbours", "restoration", "pairs"]
        let sharing = classes.map { c in allowed?.contains(c.origin) ?? true ? judged.filter { $0.className == c.name && $0.judged } : [] }
        let onVoiceCaps = shareOnVoiceBudget((words["on_voice"] ?? 0) / Calibrator.onVoiceWordsPerEdit, target: targetPrecision,
            sources: sharing.map { $0.map { ($0.score, $0.right, $0.example.material == "on_voice") } },
            counted: sharing.map { $0.map { countedMaterial.contains($0.example.material) } })
        for (classIndex, c) in classes.enumerated() {
            let all = judged.filter { $0.className == c.name }.sorted { $0.score > $1.score }
            // A bundle's classes are those it has edits of, and each origin's.
            if all.isEmpty && c.name != c.origin.name { continue }
            // The thresholds and confidences come from the edits the answers judge.
            let mine = all.filter(\.judged)
            var source = Calibration.Source(origin: c.name, threshold: nil, proposed: all.count,
                                            right: mine.filter(\.right).count, applied: 0, appliedRight: 0, steps: isotonic(mine.map { ($0.score, $0.right) }))
            let undetermined = all.filter { !$0.judged }
            if !undetermined.isEmpty { (source.undetermined, source.appliedUndetermined) = (undetermined.count, 0) }
            if let chosen = threshold(mine.map { ($0.score, $0.right) }, target: targetPrecision,
                                      onVoice: mine.map { $0.example.material == "on_voice" }, maximumOnVoice: onVoiceCaps[classIndex]) {
                (source.threshold, source.applied, source.appliedRight) = (chosen.score, chosen.applied, chosen.right)
            }
            if let threshold = source.threshold {
                source.judgeFrom = mine.filter { $0.right && $0.score >= threshold }.map(\.statistical).min().map { ($0 * 1000).rounded(.down) / 1000 }
                if source.undetermined != nil { source.appliedUndetermined = undetermined.filter { $0.score >= threshold }.count }
            }
            sources.append(source)
            for var example in all.map(\.example) {
                example.applied = source.threshold.map { example.score >= ($0 * 1000).rounded() / 1000 } ?? false
                examples.append(example)
            }
        }
        // Ten applied and ten refused examples, spread over the scores.
        func spread(_ list: [Calibration.Example]) -> [Calibration.Example] {
            guard list.count > 10 else { return list }
            return (0..<10).map { list[$0 * list.count / 10] }
        }
        let chosen = spread(examples.filter(\.applied).sorted { $0.score > $1.score })
            + spread(examples.filter { !$0.applied }.sorted { $0.score > $1.score })
        var byMaterial: [String: Calibration.MaterialResult] = [:]
        for (kind, count) in words { byMaterial[kind] = .init(words: count, applied: 0, right: 0) }
        for edit in judged {
            guard let threshold = sources.first(where: { $0.origin == edit.className })?.threshold, edit.score >= threshold else { continue }
            byMaterial[edit.example.material, default: .init(words: 0, applied: 0, right: 0)].applied += 1
            if edit.right { byMaterial[edit.example.material]!.right += 1 }
            if !edit.judged { byMaterial[edit.example.material]!.undetermined = (byMaterial[edit.example.material]!.undetermined ?? 0) + 1 }
        }
        var calibration = Calibration(targetPrecision: targetPrecision, material: material, sources: sources, wantedEdits: wanted, examples: chosen)
        calibration.byMaterial = byMaterial
        calibration.edits = examples
        return calibration
    }

    /// What the answer says about an edit.
    enum Verdict { case right, wrong, undetermined }

    /// An edit's change as the words it removes and the words it puts in their place, without
    /// the words it keeps at either end: "this shit" -> "this thing" is ["shit", "→", "thing"].
    static func change(removed: [String], added: [String]) -> [String] {
        var (head, tail) = (0, 0)
        while head < removed.count && head < added.count && removed[head] == added[head] { head += 1 }
        while tail < removed.count - head && tail < added.count - head && removed[removed.count - 1 - tail] == added[added.count - 1 - tail] { tail += 1 }
        return Array(removed[head..<(removed.count - tail)]) + ["→"] + Array(added[head..<(added.count - tail)])
    }

    /// The changes editors make in the training pairs, as `change` gives them: each run of words
    /// an editor changed (`SubstitutionLearner.diffRuns`) and, in a run that keeps its length,
    /// each word for the word in its place; those made at least `minimumCount` times. The
    /// held-out pairs are not among them.
    ///
    /// Where an edit neither brings a held-out sentence closer to the editor's nor takes it
    /// further, in a region the editor wrote another way, these tell a change editors make
    /// ("crap" -> "stuff" where this editor wrote "things": undetermined, since the answer cannot
    /// tell whether it fits here) from one they never make ("bitch" -> "time", "fucking" ->
    /// "wrong", "ass" -> "back": word vectors' siblings, wrong). Before, both were left out of the
    /// precision, and ParaDetox's word-vector source was applied with 493 such edits beside 214
    /// judged ones; now with 23 beside 33.
    static func editorsChanges(_ pairs: [(before: [String], after: [String])], minimumCount: Int = 2) -> Set<[String]> {
        var counts: [[String]: Int] = [:]
        for (before, after) in pairs {
            for run in SubstitutionLearner.diffRuns(before, after) {
                let (removed, added) = (Array(before[run.before]), Array(after[run.after]))
                counts[change(removed: removed, added: added), default: 0] += 1
                if removed.count == added.count && removed.count > 1 {
                    for (old, new) in zip(removed, added) where old != new { counts[[old, "→", new], default: 0] += 1 }
                }
            }
        }
        return Set(counts.filter { $0.value >= minimumCount }.keys)
    }

    /// The indices of `source`'s tokens that a longest common subsequence with `answer` keeps:
    /// the words the editor (or translator) left as written.
    static func keptTokens(_ source: [String], _ answer: [String]) -> Set<Int> {
        let n = source.count, m = answer.count
        guard n > 0, m > 0 else { return [] }
        // lengths[i][j]: the longest common subsequence of source[i...] and answer[j...].
        var lengths = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i][j] = source[i] == answer[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var kept: Set<Int> = [], i = 0, j = 0
        while i < n && j < m {
            if source[i] == answer[j] { kept.insert(i); i += 1; j += 1 } else if lengths[i + 1][j] >= lengths[i][j + 1] { i += 1 } else { j += 1 }
        }
        return kept
    }

    /// Whether `edit` changes a word the answer keeps as written, or (an insertion) goes between
    /// two kept words.
    static func touchesKeptWords(_ edit: Edit, in bytes: [UInt8], kept: Set<Int>, tokenizer: ModelTokenizer) -> Bool {
        let start = tokenizer.tokens(String(decoding: bytes[..<edit.range.lowerBound], as: UTF8.self)).count
        let removed = tokenizer.tokens(String(decoding: bytes[edit.range], as: UTF8.self)).count
        if removed == 0 { return kept.contains(start - 1) && kept.contains(start) }
        return (start..<(start + removed)).contains { kept.contains($0) }
    }

    /// A neighbour is one right answer among many: where it says "pristine" the edit "awful" ->
    /// "great" is right too. So on neighbour material a replacement also counts as right when no
    /// neighbour keeps any word it removes, every content word it adds is an on-voice marker of
    /// the corpora (unigram salience z ≥ 2), and (the thesaurus listing both) every word it adds
    /// can be the same part of speech as a word it removes: "awful" -> "great" is right where the
    /// neighbour says "pristine" (or "not awful": a neighbour that has a removed word only under a
    /// negation the source lacks there does not keep it), but "said unto him" -> "said gave him" (a preposition made a
    /// verb) or "horrible" -> "love" is not, however on-voice the new word; nor is an edit that
    /// removes only grammar words ("no" -> "good"; a negation that is an adverb counts as one).
    /// Without a thesaurus,
    /// or for words it does not list, only bringing the sentence closer makes an edit right. A
    /// deletion must bring the sentence closer.
    static func replacesWhatNoNeighbourKeeps(_ edit: Edit, in bytes: [UInt8], answers: [[String]], rewriter: LearnedRewriter,
                                             tokenizer: ModelTokenizer, thesaurus: Thesaurus?) -> Bool {
        guard let thesaurus else { return false }
        let removed = tokenizer.tokens(String(decoding: bytes[edit.range], as: UTF8.self))
        let added = tokenizer.tokens(edit.replacement)
        let kept = Set(removed).intersection(added)
        let gone = removed.filter { !kept.contains($0) }, new = added.filter { !kept.contains($0) && !functionWords.contains($0) }
        guard !gone.isEmpty, !new.isEmpty else { return false }
        // Grammar words have no part of speech to match but their own: WordNet lists "no" as an
        // adjective, yet "still no server" -> "still good server" replaces no adjective; "not"
        // and "never" are adverbs ("not a good place" -> "definitely a good place").
        func parts(_ word: String) -> Set<String> {
            if adverbialNegations.contains(word) { return ["adv"] }
            return isGrammarWord(word) ? [] : thesaurus.partsOfSpeech(of: word)
        }
        let goneParts = gone.reduce(into: Set<String>()) { $0.formUnion(parts($1)) }
        guard !goneParts.isEmpty else { return false }
        // A neighbour keeps a removed word when it has it other than under a negation the source
        // lacks there: where it says "food is not that good", "food is really good" -> "food is
        // really bad" says the same the other common way.
        let sourceNegated = tokenizer.tokens(String(decoding: bytes[..<edit.range.lowerBound], as: UTF8.self)).suffix(negationReach).contains(where: negations.contains)
        func keeps(_ answer: [String], _ word: String) -> Bool {
            answer.indices.contains { answer[$0] == word && (sourceNegated || !answer[max(0, $0 - negationReach)..<$0].contains(where: negations.contains)) }
        }
        let model = rewriter.model
        return gone.allSatisfy { word in answers.allSatisfy { !keeps($0, word) } }
            && new.allSatisfy { model.unigramSalience[Int(model.vocabulary.id($0))] >= 2 }
            && new.allSatisfy { !thesaurus.partsOfSpeech(of: $0).isDisjoint(with: goneParts) }
    }

    /// Word distance cannot see a negation lifted: "was n't impressed" -> "was impressed" is no
    /// closer to the neighbour "i was very impressed" than the sentence was (a substitution costs
    /// what a deletion does). So on neighbour material a deletion of "not", "n't" or "never" is
    /// also right when the first word it governs (the next word that is not a grammar word, within
    /// `negationReach`) is in a neighbour with no negation in the words before it there: the
    /// sentence now says what the neighbour says. Not where a word after the site needs the
    /// negation ("was n't good either" -> "was good either"), nor where nothing but grammar words
    /// and punctuation follow.
    static func liftsANegationANeighbourLacks(_ edit: Edit, in bytes: [UInt8], answers: [[String]], tokenizer: ModelTokenizer) -> Bool {
        let removed = tokenizer.tokens(String(decoding: bytes[edit.range], as: UTF8.self))
        guard edit.replacement.isEmpty, !removed.isEmpty, removed.allSatisfy(adverbialNegations.contains) else { return false }
        let after = tokenizer.tokens(String(decoding: bytes[edit.range.upperBound...], as: UTF8.self))
        guard after.allSatisfy({ !negativePolarityWords.contains($0) }),
              // Punctuation is no grammar word, so "not , but" stops at the comma: it governs nothing.
              let governed = after.prefix(negationReach).first(where: { !isGrammarWord($0) }),
              governed.unicodeScalars.contains(where: CharacterSet.letters.contains) else { return false }
        return answers.contains { answer in
            answer.indices.contains { answer[$0] == governed && !answer[max(0, $0 - negationReach)..<$0].contains(where: negations.contains) }
        }
    }

    /// Words that need a negation before them: lifting the negation leaves them wrong.
    static let negativePolarityWords: Set<String> = ["either", "any", "anymore", "anything", "anyone", "anybody", "anywhere", "yet"]

    /// A neighbour is a free rewording, so it cannot judge the grammar words an edit puts where it
    /// says something else: "Ye shall keep my sabbaths" -> "You will keep my sabbaths" is neither
    /// closer to nor further from "Keep my Sabbaths". Such an edit is undetermined when it moves
    /// no answer closer or further, every word it removes is absent from every answer, and every
    /// word it adds is a function word and not a negation. A content word it adds ("said unto
    /// him" -> "said gave him") stays for `replacesWhatNoNeighbourKeeps` to judge, and is wrong
    /// otherwise; so is a deletion that brings no answer closer.
    static func rewordsWhatNoNeighbourSays(_ edit: Edit, in bytes: [UInt8], answers: [[String]], editedTokens: [String], distances: [Int],
                                           tokenizer: ModelTokenizer) -> Bool {
        let removed = tokenizer.tokens(String(decoding: bytes[edit.range], as: UTF8.self))
        let added = tokenizer.tokens(edit.replacement)
        guard !removed.isEmpty, !added.isEmpty, zip(answers, distances).allSatisfy({ wordDistance(editedTokens, $0) == $1 }) else { return false }
        // `ModelTokenizer` gives its tokens in lower case.
        let answerWords = answers.map(Set.init)
        return removed.allSatisfy { word in answerWords.allSatisfy { !$0.contains(word) } }
            && added.allSatisfy { functionWords.contains($0) && !negations.contains($0) }
    }

    /// The lowest score at which the edits scoring at least that much reach `target` precision,
    /// smoothed ((right + ½) / (applied + 1): a handful of right edits is weak evidence) and with
    /// at least `Calibration.minimumRight` right ones; nil when no score does.
    static func threshold(_ edits: [(score: Double, right: Bool)], target: Double, onVoice: [Bool]? = nil,
                          maximumOnVoice: Int = .max) -> (score: Double, applied: Int, right: Int)? {
        let order = edits.indices.sorted { edits[$0].score > edits[$1].score }
        let sorted = order.map { edits[$0] }
        var chosen: (score: Double, applied: Int, right: Int)?
        var right = 0, onVoiceEdits = 0
        for (index, edit) in sorted.enumerated() {
            if edit.right { right += 1 }
            if onVoice?[order[index]] ?? false { onVoiceEdits += 1 }
            if onVoiceEdits > maximumOnVoice { break }
            guard index + 1 == sorted.count || sorted[index + 1].score < edit.score else { continue }
            if (Double(right) + 0.5) / Double(index + 2) >= target && right >= Calibration.minimumRight {
                chosen = (edit.score, index + 1, right)
            }
        }
        return chosen
    }

    /// Splits a budget of edits on on-voice text among the sources: the caps (one per source,
    /// summing to at most `budget`) under which the sources' thresholds apply the most right edits
    /// in all (on a tie, the split found first, which gives the earlier sources less).
    /// Each source's edits are (score, right, on on-voice text); with `counted` (one flag per
    /// edit), the right edits it flags count first, and the rest only between splits that apply
    /// as many of those (the thresholds still come from all the edits).
    static func shareOnVoiceBudget(_ budget: Int, target: Double, sources: [[(score: Double, right: Bool, onVoice: Bool)]],
                                   counted: [[Bool]]? = nil) -> [Int] {
        let budget = max(budget, 0)
        // right[s][c]: the right edits source s applies when it may edit on-voice text c times.
        let scale = sources.reduce(1) { $0 + $1.count }  // more than all the right edits together
        let right = sources.indices.map { s in
            let edits = sources[s]
            return (0...budget).map { cap in
                guard let chosen = threshold(edits.map { ($0.score, $0.right) }, target: target, onVoice: edits.map(\.onVoice), maximumOnVoice: cap) else { return 0 }
                guard let counted = counted?[s] else { return chosen.right }
                // The flagged right edits first, then (to break ties, and so that a budget none
                // of them needs is still spent) all the right edits.
                return edits.indices.filter { edits[$0].right && counted[$0] && edits[$0].score >= chosen.score }.count * scale + chosen.right
            }
        }
        // best[s][b]: the most right edits sources s... apply with b on-voice edits left, and the cap of s there.
        var best = [[(total: Int, cap: Int)]](repeating: [(total: Int, cap: Int)](repeating: (0, 0), count: budget + 1), count: sources.count + 1)
        for s in stride(from: sources.count - 1, through: 0, by: -1) {
            for left in 0...budget {
                var chosen = (total: -1, cap: 0)
                for cap in 0...left where right[s][cap] + best[s + 1][left - cap].total > chosen.total {
                    chosen = (right[s][cap] + best[s + 1][left - cap].total, cap)
                }
                best[s][left] = chosen
            }
        }
        var caps: [Int] = [], left = budget
        for s in sources.indices {
            caps.append(best[s][left].cap)
            left -= best[s][left].cap
        }
        return caps
    }

    /// Pool-adjacent-violators over (score, right), by rising score: steps of rising precision,
    /// each smoothed towards one half by one pseudo-edit. The pooling compares the smoothed
    /// precisions, so that a step of one right edit (0.75) never follows one of 19 in 20 (0.93),
    /// and pools steps of equal precision, whose evidence adds up (four right edits: 0.9, not 0.75 each).
    static func isotonic(_ points: [(score: Double, right: Bool)]) -> [[Double]] {
        let sorted = points.sorted { $0.score < $1.score }
        var blocks: [(start: Double, right: Double, count: Double)] = []
        func smoothed(_ block: (start: Double, right: Double, count: Double)) -> Double { (block.right + 0.5) / (block.count + 1) }
        for point in sorted {
            blocks.append((point.score, point.right ? 1 : 0, 1))
            while blocks.count > 1 {
                let b = blocks[blocks.count - 1], a = blocks[blocks.count - 2]
                guard smoothed(a) >= smoothed(b) else { break }
                blocks.removeLast(2)
                blocks.append((a.start, a.right + b.right, a.count + b.count))
            }
        }
        return blocks.map { [($0.start * 1000).rounded() / 1000, (smoothed($0) * 1000).rounded() / 1000] }
    }

    /// A negation reaches this many words ahead: "not that good", "is n't a great place".
    static let negationReach = 3

    /// Whether an edit (`source` -> `edited`, which brings no answer closer) works where `answer`
    /// says the words another way: it takes the sentence no further from the answer by the word
    /// distance, or it takes none of the answer's words away (`sharedWords`). The second is for an
    /// answer that keeps so little of the sentence that the word distance counts the edit's
    /// length: "I'm sorry , you were saying ?" -> "I am sorry" is one word further from
    /// Shakespeare's "Well , sir ?", and the answer can no more tell it than "I'm" -> "I was".
    /// The caller also asks that the edit touch no word the answer keeps. `distance`: the
    /// sentence's word distance to the answer, where the caller has it.
    static func saysItAnotherWay(_ source: [String], edited: [String], answer: [String], distance: Int? = nil) -> Bool {
        wordDistance(edited, answer) == (distance ?? wordDistance(source, answer)) || sharedWords(edited, answer) >= sharedWords(source, answer)
    }

    /// The words `a` and `b` have in common, counted with their repeats.
    static func sharedWords(_ a: [String], _ b: [String]) -> Int {
        var counts: [String: Int] = [:]
        for word in a { counts[word, default: 0] += 1 }
        var shared = 0
        for word in b where counts[word, default: 0] > 0 {
            counts[word]! -= 1
            shared += 1
        }
        return shared
    }

    /// Word-level Levenshtein distance.
    static func wordDistance(_ a: [String], _ b: [String]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count), current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension Report {
    /// The report's section on calibration: precision and recall on the held-out material, the
    /// threshold of each source, and ten applied and ten refused examples with their scores.
    static func calibration(_ calibration: Calibration) -> String {
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var lines = ["## Calibration of learned edits", ""]
        let material = calibration.material
        lines.append("Held-out material (never trained on): \(material["pairs"] ?? 0) editor revisions, \(material["neighbours"] ?? 0) held-out "
            + "contrast sentences with their nearest voice sentences a small edit away (neighbour pairs), \(material["restoration"] ?? 0) on-voice "
            + "sentences turned off-voice by the style run backwards (the restoration test), \(material["on_voice"] ?? 0) on-voice sentences "
            + "as written (any edit there is wrong). An edit is right when it brings the sentence closer to the answer (for a neighbour pair, "
            + "to any of the close neighbours; or, for a replacement, when no neighbour keeps a word it removes and every content word it adds "
            + "is an on-voice marker; for an editor revision, an edit that neither brings the sentence closer nor takes it further is "
            + "wrong on words the answer keeps; inside a region the answer says another way it is undetermined when editors make that "
            + "very change elsewhere in the training revisions and wrong when they never do; on a neighbour pair, function words put "
            + "where no neighbour has the removed words are undetermined too: undetermined edits are "
            + "applied with the rest but left out of the precision). Target precision " + String(format: "%.2f", calibration.targetPrecision) + " (`learned.target_precision`).")
        lines.append("")
        let (applied, right) = calibration.applied
        let undetermined = calibration.sources.reduce(0) { $0 + ($1.appliedUndetermined ?? 0) }
        if applied > 0 {
            lines.append(String(format: "At the chosen thresholds: %d edits applied, %d of them undetermined; precision %.3f (of the %d the answers judge), recall %.3f (of %d word edits the answers call for).",
                                applied + undetermined, undetermined, Double(right) / Double(applied), applied,
                                calibration.wantedEdits > 0 ? Double(right) / Double(calibration.wantedEdits) : 0, calibration.wantedEdits))
        } else {
            lines.append("No source of learned edits reached the target on this material, so learned edits are reported as findings and none is applied.")
        }
        if let gate = calibration.voiceGate {
            let bar = gate >= 1 ? "no gate: any sentence may get learned edits"
                : String(format: "a sentence the voice scorer puts in the voice with P ≥ %.2f gets no learned edit", gate) + (calibration.pairsGated == true ? ", the editors' own included" : " but an editor's own")
            let tried = (calibration.gateBars ?? []).map { String(format: "%@%@ %d right of %d", $0[0] >= 1 ? "none" : String(format: "%.2f", $0[0]),
                                                                  $0.count > 3 && $0[3] == 1 ? " (editors' edits too)" : "", Int($0[1]), Int($0[2])) }
            lines += ["", "On-voice gate: \(bar) (chosen on this material as the bar that applies the most right edits"
                + (tried.isEmpty ? ")." : "; bar: right of applied edits the answers judge: " + tried.joined(separator: ", ") + ").")]
        }
        lines += ["", "| material | words | applied edits | right | undetermined | precision | per 2,000 words |", "|---|---:|---:|---:|---:|---:|---:|"]
        for kind in ["pairs", "neighbours", "restoration", "on_voice"] {
            guard let m = calibration.byMaterial[kind] else { continue }
            let precision = m.precision.map { String(format: "%.3f", $0) } ?? "—"
            let rate = m.words > 0 ? String(format: "%.2f", 2000 * Double(m.applied) / Double(m.words)) : "—"
            lines.append("| \(kind) | \(m.words) | \(m.applied) | \(m.right) | \(m.undetermined ?? 0) | \(precision) | \(rate) |")
        }
        lines += ["", "| source | proposed | right | undetermined | threshold (score) | applied | of them undetermined | precision |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for source in calibration.sources {
            let threshold = source.threshold.map { String(format: "%.3f", $0) } ?? "not applied"
            let precision = source.precision.map { String(format: "%.3f", $0) } ?? "—"
            lines.append("| \(source.origin) | \(source.proposed) | \(source.right) | \(source.undetermined ?? 0) | \(threshold) | "
                + "\(source.applied + (source.appliedUndetermined ?? 0)) | \(source.appliedUndetermined ?? 0) | \(precision) |")
        }
        if calibration.sources.contains(where: { $0.origin == Calibration.fewRevisionsClass }) {
            lines += ["", "`\(Calibration.fewRevisionsClass)`: the editors' edits made in fewer than \(Calibration.fewRevisions) training revisions, "
                + "calibrated apart from the rest (`pair`): they are right less often at the same score."]
        }
        for (title, applied) in [("Applied", true), ("Refused (reported as findings)", false)] {
            let examples = calibration.examples.filter { $0.applied == applied }
            guard !examples.isEmpty else { continue }
            lines += ["", "\(title) on the held-out material:", "", "| source | material | before | after | answer | score | right |", "|---|---|---|---|---|---:|---|"]
            for e in examples {
                lines.append("| \(e.origin) | \(e.material) | \(cell(e.before)) | \(cell(e.edited)) | \(cell(e.answer)) | \(String(format: "%.2f", e.score)) | \(e.undetermined == true ? "undetermined" : e.right ? "yes" : "no") |")
            }
        }
        lines.append("")
        lines.append("To stop a source or a substitution without retraining: `learned: {sources: [pairs]}` or `learned: {never: [\"word\", \"old -> new\"]}`.")
        return lines.joined(separator: "\n") + "\n"
    }
}
