import Foundation
import HouseStyleText

/// Proposes learned edits for a text: at each site where a learned substitution's `before`
/// phrase occurs, it scores the sentence with the edit against the sentence without it, keeps
/// the best set of non-overlapping edits found by a small beam, and returns them with a confidence.
///
/// Score of an edit (nats and salience units):
/// `0.5 × ΔLM + Δsalience − cost + prior`, where ΔLM is the change in the voice model's mean log
/// probability per token times the sentence length (so deleting words is not favoured for being
/// shorter), Δsalience the change in clipped unigram salience (z/4 in −1...1 per word), cost
/// 0.3 + 0.1 per word touched, and prior 0.5·ln(1 + count)·precision for pair edits, (cosine − 0.5)·2 for
/// corpus edits, −0.3 for thesaurus edits. Confidence = 1 / (1 + e^(−2·score)).
///
/// With a fine-tuned voice scorer (`voice`), a sentence's candidates are searched over the whole
/// sentence instead (`search`): edits are chosen one per round by their gain, `score +
/// λ·(logit_after − logit_before)` with λ = `voiceWeight` (1), where the logits are the scorer's
/// log-odds of on-voice for the sentence with and without the new edit (all of a document's
/// sentences batched: each round one scorer call, then one frozen-encoder call for the
/// candidates that gain), less κ·(1 − similarity) for the meaning it costs (`meaningWeight`). The meaning guard compares the frozen
/// encoder's embeddings of the sentence as written and with all the chosen edits (the voice axis
/// left out): below `minSimilarity`, or below the lower similarity
/// `NeuralVoice.Comparison.requiredSimilarity` asks of edits that carry the sentence across into
/// the voice, the edit is marked `meaningChanged` (the stage reports it and does not apply it);
/// not an editors' phrase that held-out revisions judge (`vouchedForByEditors`).
package struct LearnedRewriter: Sendable {
    public let model: StyleModel
    public let preserve: Set<PreservedKind>
    public var beamWidth = 4
    /// At most this many candidate edits of one sentence enter the beam (the best by their own score).
    public var maxCandidates = 12
    /// The fine-tuned voice scorer and frozen encoder; nil for a statistics-only bundle.
    public var voice: NeuralVoice?
    /// λ: weight of the voice scorer's logit gain in an edit's score.
    public var voiceWeight = 1.0
    /// The meaning guard's threshold (`rewrite.min_similarity`).
    public var minSimilarity = 0.85
    /// κ: what the search pays for meaning when it picks a sentence's next edit, per unit of
    /// similarity lost: it keeps the candidate with the best `gain − κ·(1 − similarity)`. The
    /// gain (and so the calibrated confidence) is unchanged; of fills that move the voice
    /// alike, the one that keeps more of the sentence's meaning wins (Yelp: 'how rude !' -> 'how
    /// nice !', not 'how awesome !'; 'uncomfortable' -> 'comfortable', not 'good').
    public var meaningWeight = 40.0
    /// How many candidates at one position enter a sentence's search (the best by statistics).
    public var candidatesPerPosition = 3
    /// The sources whose proposals the voice scorer judges (nil: all), each from a statistical
    /// score on. A source that calibration never applies, or a proposal whose statistics are
    /// below every one calibration applied, needs no encoder pass: it is a finding on its
    /// statistics alone (so this can only hold edits back, never apply more).
    public var judgedOrigins: [EditOrigin: Double]?

    /// The edits the editors' memory recalls for the text being rewritten (`model.memory`): their
    /// substitutions are numbered after the model's, and each sits at the words it names
    /// (`recalledSites`: first word -> last word and substitution).
    private var recalled: [Substitution] = []
    private var recalledSites: [Int: [(last: Int, index: Int)]] = [:]

    /// Substitution `index`: the model's, or after them one the memory recalled for this text.
    func learnedSubstitution(_ index: Int) -> Substitution {
        index < model.substitutions.count ? model.substitutions[index] : recalled[index - model.substitutions.count]
    }

    public init(model: StyleModel, preserve: [PreservedKind], voice: NeuralVoice? = nil, minSimilarity: Double = 0.85) {
        self.model = model
        self.preserve = Set(preserve)
        self.voice = voice
        self.minSimilarity = minSimilarity
    }

    /// One proposed edit with its confidence.
    package struct Proposal: Sendable {
        public var edit: Edit
        public var score: Double
        /// The voice scorer's verdict on the edit's sentence (nil without a scorer).
        public var voice: NeuralVoice.Comparison?
        /// The edit changes the sentence's meaning more than `rewrite.min_similarity` allows.
        public var meaningChanged = false
        /// The score from the statistics alone, before the voice scorer's gain.
        public var statisticalScore: Double { statistical ?? score }
        var statistical: Double?
        /// The scorer's probability that the edit's sentence as written is in the voice (nil: not
        /// asked). Calibration chooses `maxVoiceToEdit` from it.
        public var voiceAsWritten: Double?
        /// How many training revisions make an editors' edit (nil: another origin): calibration
        /// judges those made in few apart (`Calibration.className`).
        public var revisions: Int?
    }

    struct Candidate {
        var first: Int, last: Int          // word indices, inclusive
        var substitution: Int
        var localScore: Double            // salience + prior - cost
        var score: Double                 // with the LM change alone
        var newIDs: [UInt32]
        /// The voice corpus writes the new words next to the words on one side of the slot only.
        var oneSided = false
        /// The bytes the edit replaces (a deletion also takes a space, and may re-case the next word).
        var range: Range<Int> = 0..<0
        var replacement = ""

        /// A fill of words the voice never writes that needs no occlusion (`isAnUnvoicedFill`, both sides attested).
        var unvoicedFill = false

        /// The same substitution at the same words.
        func same(as other: Candidate) -> Bool { substitution == other.substitution && first == other.first && last == other.last }
    }

    /// Proposals for the prose words of `text`, sorted by position.
    public func proposals(for text: RuleText) -> [Proposal] {
        var ignored: [GuardEvent] = []
        return proposals(for: text, guardEvents: &ignored)
    }

    /// Proposals as above; `guardEvents` receives every learned edit that a `rewrite.preserve`
    /// guard kept from being considered (a number, a name or a negation it would have changed).
    public func proposals(for text: RuleText, guardEvents: inout [GuardEvent]) -> [Proposal] {
        var refusals: [Refusal]? = nil
        return proposals(for: text, guardEvents: &guardEvents, refusals: &refusals)
    }

    /// Proposals as above; when `refusals` is not nil, it also receives every candidate that was
    /// considered and not proposed, with why (`Refusal`).
    public func proposals(for text: RuleText, guardEvents: inout [GuardEvent], refusals: inout [Refusal]?) -> [Proposal] {
        proposals(for: text, guardEvents: &guardEvents, refusals: &refusals, judge: voice.map { voice in { voice.compare($0) } },
                  voiceOf: voice.map { voice in { voice.voiceScores($0) } })
    }

    /// Proposals as above, with `judge` in place of the voice scorer's `compare` (nil: statistics
    /// only) and `voiceOf` in place of its `voiceScores` (nil: from `judge`).
    func proposals(for text: RuleText, guardEvents: inout [GuardEvent],
                   judge: (([(before: String, after: String)]) -> [NeuralVoice.Comparison])?,
                   voiceOf: (([String]) -> [Double])? = nil) -> [Proposal] {
        var refusals: [Refusal]? = nil
        return proposals(for: text, guardEvents: &guardEvents, refusals: &refusals, judge: judge, voiceOf: voiceOf)
    }

    func proposals(for text: RuleText, guardEvents: inout [GuardEvent], refusals: inout [Refusal]?,
                   judge: (([(before: String, after: String)]) -> [NeuralVoice.Comparison])?,
                   voiceOf: (([String]) -> [Double])? = nil) -> [Proposal] {
        let words = text.words
        guard !words.isEmpty, !model.sites.isEmpty || !model.memory.isEmpty else { return [] }
        var ids = [UInt32](repeating: 0, count: words.count)
        var guarded = [Bool](repeating: false, count: words.count)
        var surfaces = [String](repeating: "", count: words.count)
        for (index, word) in words.enumerated() {
            if word.isNumber {
                ids[index] = Vocabulary.number
                guarded[index] = preserve.contains(.numbers)
                continue
            }
            let surface = text.string(word.range)
            surfaces[index] = surface
            let token = ModelTokenizer.normalize(surface[...])
            ids[index] = model.vocabulary.id(token)
        }
        let sentences = Self.sentences(of: text)
        // The memory is consulted where its edits may be applied: a source calibration never
        // applies would only add findings, at the cost of a search of the memory per sentence.
        if recalled.isEmpty && !model.memory.isEmpty && (judgedOrigins.map { $0[.memory] != nil } ?? true) {
            let (substitutions, sites) = recall(sentences, text: text, ids: ids, guarded: guarded, surfaces: surfaces)
            if !substitutions.isEmpty {
                var rewriter = self
                (rewriter.recalled, rewriter.recalledSites) = (substitutions, sites)
                return rewriter.proposals(of: sentences, text: text, ids: ids, guarded: guarded, surfaces: surfaces,
                                          guardEvents: &guardEvents, refusals: &refusals, judge: judge, voiceOf: voiceOf)
            }
        }
        return proposals(of: sentences, text: text, ids: ids, guarded: guarded, surfaces: surfaces,
                         guardEvents: &guardEvents, refusals: &refusals, judge: judge, voiceOf: voiceOf)
    }

    /// The proposals for `sentences` of `text`, whose words are `ids` (vocabulary ids), `guarded`
    /// (a number `rewrite.preserve` keeps) and `surfaces` (as written).
    private func proposals(of sentences: [Range<Int>], text: RuleText, ids: [UInt32], guarded: [Bool], surfaces: [String],
                           guardEvents: inout [GuardEvent], refusals: inout [Refusal]?,
                           judge: (([(before: String, after: String)]) -> [NeuralVoice.Comparison])?,
                           voiceOf: (([String]) -> [Double])?) -> [Proposal] {
        let words = text.words
        let topics = topicWords(ids)
        var result: [Proposal] = []
        var searches: [SentenceSearch] = []
        for sentence in sentences {
            let found = candidates(in: sentence, text: text, ids: ids, guarded: guarded, surfaces: surfaces, topics: topics,
                                   scored: judge != nil, guardEvents: &guardEvents, refusals: &refusals)
            guard !found.candidates.isEmpty, let base = found.baseline else { continue }
            // A candidate that fits one side of its slot only is for the scorer to vouch for, never a finding by itself.
            let fitting = found.candidates.filter { !$0.oneSided }
            guard judge != nil else {
                result += bestProposals(fitting, of: found.candidates, sentence: sentence, ids: ids, base: base, text: text, surfaces: surfaces, refusals: &refusals)
                continue
            }
            // With a voice scorer, the candidates calibration may apply are searched over whole
            // sentences (`search`); the rest are findings on their statistics, in the places left.
            let judged = found.candidates.filter(judgeable)
            if judged.isEmpty {
                result += bestProposals(fitting, of: found.candidates, sentence: sentence, ids: ids, base: base, text: text, surfaces: surfaces, refusals: &refusals)
                continue
            }
            // The sentence runs to the end of its last word and the punctuation after it.
            var upper = words[sentence.upperBound - 1].range.upperBound
            while upper < min(text.bytes.count, words[sentence.upperBound - 1].proseEnd) && ![0x20, 0x0A, 0x09, 0x0D].contains(text.bytes[upper]) { upper += 1 }
            let recalledHere = judged.filter { learnedSubstitution($0.substitution).origin == .memory }.count
            let shortlisted = Self.shortlist(judged, maxCandidates: maxCandidates + recalledHere, perPosition: candidatesPerPosition)
            let pool = shortlisted.compactMap { candidate in
                makeProposal(candidate, sentence: sentence, text: text, surfaces: surfaces).map { (candidate, $0) }
            }
            if refusals != nil {
                for candidate in judged where !shortlisted.contains(where: { $0.same(as: candidate) }) {
                    refusals!.append(refusal(.shortlist, candidate, text: text, detail: String(format:
                        "the search takes at most %d candidates of a sentence, %d at one place, and first at most %d sites of one substitution, by their statistics; this one (score %.2f) came after them",
                        maxCandidates + recalledHere, candidatesPerPosition, Self.sitesPerSubstitution, candidate.score)))
                }
                for candidate in found.candidates where candidate.oneSided && !judgeable(candidate) {
                    refusals!.append(refusal(.sides, candidate, text: text, detail: Self.oneSidedUnjudged))
                }
            }
            searches.append(SentenceSearch(bytes: words[sentence.lowerBound].range.lowerBound..<upper, pool: pool.map(\.1),
                                           words: pool.map { ($0.0.first, $0.0.last) }, substitutions: pool.map(\.0.substitution),
                                           oneSided: pool.map(\.0.oneSided), unvoicedFill: pool.map(\.0.unvoicedFill),
                                           rest: fitting.filter { !judgeable($0) }, sentence: sentence, base: base))
        }
        guard let judge, !searches.isEmpty else { return result }
        result += search(searches, text: text, ids: ids, surfaces: surfaces, refusals: &refusals, judge: judge,
                         voiceOf: voiceOf ?? { sentences in judge(sentences.map { ($0, $0) }).map(\.voiceAfter) })
        return result.sorted { $0.edit.range.lowerBound < $1.edit.range.lowerBound }
    }

    /// The text's sentences, as word ranges.
    static func sentences(of text: RuleText) -> [Range<Int>] {
        let words = text.words
        var result: [Range<Int>] = []
        var start = 0
        while start < words.count {
            var end = start + 1
            while end < words.count && !sentenceBreak(text, words[end - 1], words[end]) { end += 1 }
            result.append(start..<end)
            start = end
        }
        return result
    }

    /// The edits the editors' memory recalls for `sentences` (`EditorsMemory.hunks`), as
    /// substitutions numbered after the model's, and their places by first word. Each keeps the
    /// recalled revision's likeness to the sentence as its strength; the style's `learned`
    /// settings may refuse one (`StyleModel.allowsRecalled`).
    private func recall(_ sentences: [Range<Int>], text: RuleText, ids: [UInt32], guarded: [Bool], surfaces: [String])
        -> (substitutions: [Substitution], sites: [Int: [(last: Int, index: Int)]]) {
        var substitutions: [Substitution] = [], sites: [Int: [(last: Int, index: Int)]] = [:]
        let memory = model.memory
        for sentence in sentences {
            // Unknown words align with nothing (`EditorsMemory.alignment`).
            let words = Array(ids[sentence])
            guard let (entry, similarity) = memory.nearest(words) else { continue }
            let spaced = sentence.dropLast().map { text.onlySpaceBetween($0) && !Self.lineBreak(after: $0, in: text) }
            let capitalised = Set(sentence.map { surfaces[$0] }.filter { $0.first?.isUppercase == true })
            let revision = memory.entries[entry]
            let example = "memory: editors revised a sentence \(Int((similarity * 100).rounded()))% the same, '\(Self.written(revision.before))' -> '\(Self.written(revision.after))'"
            for hunk in memory.hunks(of: entry, words: words, spaced: spaced, capitalisedInSentence: capitalised) {
                let (first, last) = (sentence.lowerBound + hunk.first, sentence.lowerBound + hunk.last)
                guard !(first...last).contains(where: { guarded[$0] || text.words[$0].isNumber }) else { continue }
                let substitution = Substitution(origin: .memory, before: (first...last).map { ModelTokenizer.normalize(surfaces[$0][...]) }, after: hunk.after,
                                                afterText: hunk.afterText, count: 1, strength: similarity, example: example)
                guard model.allowsRecalled(substitution) else { continue }
                sites[first, default: []].append((last, model.substitutions.count + substitutions.count))
                substitutions.append(substitution)
            }
        }
        return (substitutions, sites)
    }

    /// A side of a recalled revision as its words, with "…" where punctuation stands.
    static func written(_ side: EditorsMemory.Side) -> String {
        var result = ""
        for (k, word) in side.surfaces.enumerated() {
            if k > 0 { result += side.spaced[k - 1] ? " " : " … " }
            result += word
        }
        return result
    }

    /// Whether the voice scorer judges this candidate: its source is one calibration applies, from
    /// a statistical score on (all candidates when there is no calibration).
    private func judgeable(_ candidate: Candidate) -> Bool {
        guard let judgedOrigins else { return true }
        return judgedOrigins[learnedSubstitution(candidate.substitution).origin].map { candidate.score >= $0 } ?? false
    }

    /// One sentence's search: its candidate edits (as proposals, with their word spans), the
    /// candidates the scorer does not judge, and the edits chosen so far with the verdict on the
    /// sentence after each.
    struct SentenceSearch {
        var bytes: Range<Int>
        var pool: [Proposal]
        var words: [(first: Int, last: Int)]
        /// Each candidate's substitution (`learnedSubstitution`: the model's, or one the memory recalled).
        var substitutions: [Int]
        var oneSided: [Bool]
        /// Whether each candidate is a fill of words the voice never writes (`Candidate.unvoicedFill`).
        var unvoicedFill: [Bool]
        var rest: [Candidate]
        /// The scorer's logit gain when a candidate's site is deleted (nil: not measured, a pair edit).
        var occlusion: [Double?] = []
        /// Whether `occlusion` is the gain of deleting the site along with the sentence's other sites.
        var jointOcclusion: [Bool] = []
        var sentence: Range<Int>
        var base: Double
        /// The scorer puts the sentence as written in the voice (`maxVoiceToEdit`).
        var onVoice = false
        var chosen: [(candidate: Int, gain: Double, comparison: NeuralVoice.Comparison, passes: Bool)] = []
        var done = false
        /// Each candidate's gain the last round it was tried (nil: never tried), for its refusal;
        /// kept only when refusals are asked for.
        var lastGain: [Double?] = []
    }

    /// At most this many edits of one sentence are chosen, one per round of the search.
    public var maxEditsPerSentence = 3
    /// A learned edit that is not an editors' own goes where deleting what it replaces moves the
    /// scorer's log-odds towards the voice by at least this much (nats) ...
    public var minOcclusion = 0.5
    /// ... and by at least this much when the voice writes its new words on one side of the slot only.
    public var minOcclusionOneSided = 1.0
    /// A sentence the scorer already puts in the voice with at least this probability gets no
    /// learned edit but the editors' own: the learned stage carries off-voice sentences into the
    /// voice, and an edit to one already there can only change what it says. Not one half: a
    /// sentence the scorer puts only just in the voice may still hold words it does not write
    /// (a KJV verse at 0.6 with "unto" and "hath"; with 0.5, Bible KJV -> BBE lost 1.3 points),
    /// and no one bar suits every style (Yelp did better with 0.5), so `train` chooses it on the
    /// held-out material (`Calibration.voiceGate`); this is the bar for a bundle without one.
    /// At 1 or more there is no gate.
    public var maxVoiceToEdit = 0.9
    /// Whether the gate holds the editors' own edits too (`Calibration.pairsGated`): where the
    /// editors' phrases also fire on text already in the voice ("wont" -> "won't" in a neutral
    /// sentence), calibration may find that gating them frees the on-voice budget for more right edits.
    public var gatesPairs = false

    /// The search over whole sentences. Each round, every sentence still open tries each of its
    /// remaining candidates on top of the edits it has chosen, all sentences of the text in one
    /// batched scorer call (and the candidates that gain in one frozen-encoder call), and keeps the one with the best utility, its gain `statistical score +
    /// λ·(logit(with it) − logit(without it))` less κ·(1 − similarity), preferring one whose
    /// sentence passes the meaning guard against the sentence as written. The guard judges the chosen edits together: their
    /// similarity, and the voice verdict that sets how much of it is asked, are those of the
    /// sentence with all of them, so two edits that together carry a sentence into the voice
    /// are judged as one change ("bad ... rude" -> "great ... friendly"). A sentence stops when
    /// no candidate gains; its edits are the longest run of chosen edits whose sentence passes
    /// the guard, and the first chosen edit after that run is reported as refused
    /// (`meaningChanged`). Each chosen edit's score is its gain when it was chosen.
    private func search(_ all: [SentenceSearch], text: RuleText, ids: [UInt32], surfaces: [String], refusals: inout [Refusal]?,
                        judge: ([(before: String, after: String)]) -> [NeuralVoice.Comparison],
                        voiceOf: ([String]) -> [Double]) -> [Proposal] {
        var searches = all
        func logit(_ p: Double) -> Double { let q = min(max(p, 1e-7), 1 - 1e-7); return log(q / (1 - q)) }
        func sentence(_ s: SentenceSearch, with edits: [Int]) -> String {
            var result = "", cursor = s.bytes.lowerBound
            for index in edits.sorted(by: { s.pool[$0].edit.range.lowerBound < s.pool[$1].edit.range.lowerBound }) {
                let edit = s.pool[index].edit
                result += text.string(cursor..<edit.range.lowerBound) + edit.replacement
                cursor = edit.range.upperBound
            }
            return result + text.string(cursor..<s.bytes.upperBound)
        }
        func compatible(_ s: SentenceSearch, _ c: Int) -> Bool {
            s.chosen.allSatisfy { chosen in
                let other = chosen.candidate
                return other != c && (s.words[c].last < s.words[other].first || s.words[c].first > s.words[other].last)
                    && (s.pool[c].edit.range.upperBound <= s.pool[other].edit.range.lowerBound || s.pool[c].edit.range.lowerBound >= s.pool[other].edit.range.upperBound)
            }
        }
        // Occlusion: how much the scorer's verdict moves towards the voice when a candidate's
        // site is deleted. A word the corpora lean off-voice on may not carry this sentence's
        // voice ("my order", "the room"); a learned edit that is not the editors' own goes only
        // where deleting what it replaces moves the sentence towards the voice.
        // (The sentences as written, then those of them off the voice with a site deleted, go
        // through `voiceOf`, the scorer alone: a sentence already in the voice gets no edit that
        // occlusion decides, and the frozen encoder's embedding of a sentence as written is
        // needed only when one of its candidates gains; the scorer's cache keeps the scores.)
        // (Every sentence searched gets its verdict as written: the gate and calibration need it,
        // and the first round asks the scorer about the same sentences, from its cache.)
        var written: [Double] = []
        if !searches.isEmpty {
            written = voiceOf(searches.map { text.string($0.bytes) })
            for (s, p) in written.enumerated() { searches[s].onVoice = maxVoiceToEdit < 1 && p >= maxVoiceToEdit }
        }
        func without(_ s: SentenceSearch, _ deleted: Set<Int>) -> String {
            var result = "", cursor = s.bytes.lowerBound, index = s.sentence.lowerBound
            while index < s.sentence.upperBound {
                guard deleted.contains(index) else { index += 1; continue }
                var last = index
                while deleted.contains(last + 1) { last += 1 }
                result += text.string(cursor..<text.words[index].range.lowerBound)
                cursor = text.words[last].range.upperBound
                index = last + 1
            }
            return result + text.string(cursor..<s.bytes.upperBound)
        }
        var occluded: [String] = [], occlusionOwners: [(s: Int, first: Int, last: Int)] = []
        for (s, search) in searches.enumerated() {
            searches[s].occlusion = Array(repeating: nil, count: search.pool.count)
            if refusals != nil { searches[s].lastGain = Array(repeating: nil, count: search.pool.count) }
            searches[s].jointOcclusion = Array(repeating: false, count: search.pool.count)
            guard !search.onVoice else { continue }
            var seen = Set<[Int]>()
            for (c, span) in search.words.enumerated() where !search.pool[c].edit.origin.isEditorsOwn && seen.insert([span.first, span.last]).inserted {
                occluded.append(without(search, Set(span.first...span.last)))
                occlusionOwners.append((s, span.first, span.last))
            }
        }
        if !occluded.isEmpty {
            for (owner, after) in zip(occlusionOwners, voiceOf(occluded)) {
                let gain = logit(after) - logit(written[owner.s])
                for (c, span) in searches[owner.s].words.enumerated() where span.first == owner.first && span.last == owner.last
                    && !searches[owner.s].pool[c].edit.origin.isEditorsOwn {
                    searches[owner.s].occlusion[c] = gain
                }
            }
        }
        // Occlusion saturates where several words carry a sentence off-voice ("the fries were
        // cold and mushy"): deleting one leaves the others, and the verdict hardly moves. A site
        // that fails alone is tried against the sentence's other sites: the sentence with every
        // site deleted, against the same with this one kept.
        // Each string is the sentence with every site deleted (span nil) or with one site kept.
        var joint: [(s: Int, kept: (first: Int, last: Int)?, text: String)] = []
        for (s, search) in searches.enumerated() {
            var spans: [(first: Int, last: Int)] = [], failing: [(first: Int, last: Int)] = []
            for (c, span) in search.words.enumerated() where search.occlusion[c] != nil && !spans.contains(where: { $0 == span }) {
                spans.append(span)
                if search.occlusion[c]! < (search.oneSided[c] ? minOcclusionOneSided : minOcclusion) { failing.append(span) }
            }
            guard spans.count >= 2, !failing.isEmpty else { continue }
            let all = spans.reduce(into: Set<Int>()) { $0.formUnion($1.first...$1.last) }
            joint.append((s, nil, without(search, all)))
            for span in failing { joint.append((s, span, without(search, all.subtracting(span.first...span.last)))) }
        }
        if !joint.isEmpty {
            let scores = voiceOf(joint.map(\.text))
            var allDeleted = 0.0
            for (entry, score) in zip(joint, scores) {
                guard let kept = entry.kept else { allDeleted = logit(score); continue }
                let gain = allDeleted - logit(score)
                for (c, span) in searches[entry.s].words.enumerated() where span == kept && searches[entry.s].occlusion[c] != nil {
                    if gain > searches[entry.s].occlusion[c]! {
                        searches[entry.s].occlusion[c] = gain
                        searches[entry.s].jointOcclusion[c] = true
                    }
                }
            }
        }
        // The scorer saturates on a sentence written wholly in the contrast's manner: a 40-word
        // verse that says "thee" five times, "thy", "behold", "unto" and "lo" stays off-voice
        // (P 0.005) with any of its sites deleted, or all of them (at most +0.30 nats), and
        // occlusion would leave every one. A site with a word the corpora mark as that manner
        // beyond doubt (z ≤ −`mannerZ`) needs no occlusion to vouch for it; nor does a settled fill
        // of a word the voice never writes (`isAnUnvoicedFill`). (These are also the only sites the
        // topic guard lets a learned edit replace where the sentence says them twice, so occlusion
        // never meets a site the sentence repeats.)
        func ofTheManner(_ span: (first: Int, last: Int)) -> Bool {
            (span.first...span.last).contains { Double(model.unigramSalience[Int(ids[$0])]) <= -Self.mannerZ }
        }
        func utility(_ gain: Double, _ comparison: NeuralVoice.Comparison) -> Double {
            gain - meaningWeight * (1 - comparison.similarity)
        }
        func eligible(_ s: SentenceSearch, _ c: Int) -> Bool {
            guard !s.pool[c].edit.origin.isEditorsOwn else { return !(gatesPairs && s.onVoice) }
            guard !s.onVoice, let occlusion = s.occlusion[c] else { return false }
            return occlusion >= (s.oneSided[c] ? minOcclusionOneSided : minOcclusion) || ofTheManner(s.words[c]) || s.unvoicedFill[c]
        }
        // A sentence takes at most `maxEditsPerSentence` edits, and besides them each edit the
        // editors' memory recalls for it: their revision of a sentence nearly the same may
        // rewrite many places ("the elders ... the heads ... the chief of the fathers").
        let limits = searches.map { search in maxEditsPerSentence + search.pool.filter { $0.edit.origin == .memory }.count }
        for _ in 0..<(limits.max() ?? 0) {
            var pairs: [(before: String, after: String)] = [], owners: [(s: Int, c: Int)] = []
            for (s, search) in searches.enumerated() where !search.done {
                let original = text.string(search.bytes)
                let open = search.chosen.count >= limits[s] ? [] : search.pool.indices.filter { eligible(search, $0) && compatible(search, $0) }
                if open.isEmpty { searches[s].done = true }
                for c in open {
                    pairs.append((original, sentence(search, with: search.chosen.map(\.candidate) + [c])))
                    owners.append((s, c))
                }
            }
            guard !pairs.isEmpty else { break }
            // The scorer first: a candidate that does not gain is never chosen, so only those that
            // gain need the frozen encoder's embeddings (`judge`) for their similarity.
            var gaining: [(pair: Int, gain: Double)] = []
            let voices = voiceOf(pairs.map(\.before) + pairs.map(\.after))
            for (i, (s, c)) in owners.enumerated() {
                let current = searches[s].chosen.last?.comparison.voiceAfter ?? voices[i]
                let gain = searches[s].pool[c].score + voiceWeight * (logit(voices[pairs.count + i]) - logit(current))
                if refusals != nil { searches[s].lastGain[c] = gain }
                if gain > 0 { gaining.append((i, gain)) }
            }
            var best: [Int: (candidate: Int, gain: Double, comparison: NeuralVoice.Comparison, passes: Bool)] = [:]
            for ((i, gain), comparison) in zip(gaining, judge(gaining.map { pairs[$0.pair] })) {
                let (s, c) = owners[i]
                // An editors' phrase vouches for its own meaning, not for the edits chosen before it.
                let passes = comparison.similarity >= comparison.requiredSimilarity(minSimilarity)
                    || (vouchedForByEditors(searches[s].substitutions[c]) && (searches[s].chosen.last?.passes ?? true))
                // Of two candidates, the search keeps the one with the better utility: its gain less
                // what it costs the sentence's meaning.
                if let known = best[s], (known.passes && !passes)
                    || (known.passes == passes && utility(known.gain, known.comparison) >= utility(gain, comparison)) { continue }
                best[s] = (c, gain, comparison, passes)
            }
            for s in searches.indices where !searches[s].done {
                if let chosen = best[s] { searches[s].chosen.append(chosen) } else { searches[s].done = true }
            }
        }
        var result: [Proposal] = []
        for (s, search) in searches.enumerated() {
            let kept = (search.chosen.lastIndex { $0.passes }).map { $0 + 1 } ?? 0
            var before = search.chosen.first?.comparison.voiceBefore ?? 0
            var applied: [Int] = []
            func annotated(_ original: Proposal, _ c: Int) -> Proposal {
                var proposal = original
                if s < written.count { proposal.voiceAsWritten = written[s] }
                guard let occlusion = search.occlusion[c] else { return proposal }
                var result = proposal
                let manner = occlusion >= (search.oneSided[c] ? minOcclusionOneSided : minOcclusion) ? ""
                    : ofTheManner(search.words[c]) ? ", but a word of the contrast's manner needs no occlusion"
                    : ", but a word the voice never writes, in a fill the voice's nearest sentences or the editors settled on, needs no occlusion"
                let oneSided = !search.oneSided[c] ? "" : search.pool[c].edit.replacement.isEmpty
                    ? " (the voice never joins the words around it, but they make a noun phrase)" : " (the voice writes the new words on one side of the slot)"
                result.edit.reason += String(format: "; %@deleting '%@' moves the voice %+.2f%@%@", search.jointOcclusion[c] ? "with the sentence's other sites deleted, " : "", text.string(text.words[search.words[c].first].range.lowerBound..<text.words[search.words[c].last].range.upperBound),
                                             occlusion, manner, oneSided)
                return result
            }
            for chosen in search.chosen.prefix(kept) {
                var proposal = annotated(judged(search.pool[chosen.candidate], gain: chosen.gain, comparison: chosen.comparison, before: before,
                                                vouched: vouchedForByEditors(search.substitutions[chosen.candidate])), chosen.candidate)
                if !chosen.passes {
                    // Refused alone, kept with the edits chosen after it.
                    let final = search.chosen[kept - 1].comparison
                    proposal.meaningChanged = false
                    proposal.edit.reason += String(format: "; with the sentence's other learned edits: voice %.2f → %.2f, similarity %.2f", final.voiceBefore, final.voiceAfter, final.similarity)
                }
                before = chosen.comparison.voiceAfter
                applied.append(chosen.candidate)
                result.append(proposal)
            }
            if kept < search.chosen.count {
                let refused = search.chosen[kept]
                result.append(annotated(judged(search.pool[refused.candidate], gain: refused.gain, comparison: refused.comparison, before: before), refused.candidate))
            }
            if refusals != nil {
                let proposed = Set(search.chosen.prefix(kept + 1).map(\.candidate))
                // Chosen after the first edit the meaning guard refused: each fails it too.
                var dropped: [Int: NeuralVoice.Comparison] = [:]
                for chosen in search.chosen.dropFirst(kept + 1) { dropped[chosen.candidate] = chosen.comparison }
                for c in search.pool.indices where !proposed.contains(c) {
                    if let comparison = dropped[c] {
                        refusals!.append(refusal(.meaning, search.substitutions[c], search.words[c].first, search.words[c].last, text: text, detail: String(format:
                            "the search chose it, but with it and the sentence's other chosen edits the meaning changed too much: similarity %.2f < %.2f",
                            comparison.similarity, comparison.requiredSimilarity(minSimilarity))))
                    } else {
                        refusals!.append(searchRefusal(search, c, text: text, written: s < written.count ? written[s] : nil,
                                                       eligible: eligible(search, c), applied: applied))
                    }
                }
            }
            // Candidates the scorer does not judge may still be findings in the places left.
            var rest: [Candidate] = []
            for candidate in search.rest {
                if applied.allSatisfy({ c in
                    (candidate.last < search.words[c].first || candidate.first > search.words[c].last)
                        && (candidate.range.upperBound <= search.pool[c].edit.range.lowerBound || candidate.range.lowerBound >= search.pool[c].edit.range.upperBound)
                }) {
                    rest.append(candidate)
                } else if refusals != nil {
                    refusals!.append(refusal(.notChosen, candidate, text: text, detail: "an edit the voice scorer chose for this sentence covers the same words (an edit, or a finding where it misses its bar)"))
                }
            }
            if !rest.isEmpty {
                result += bestProposals(rest, of: rest, sentence: search.sentence, ids: ids, base: search.base, text: text, surfaces: surfaces, refusals: &refusals)
            }
        }
        return result
    }

    /// The proposals of the best set of `candidates` by the statistics (`bestSet`); the others of
    /// `considered` go to `refusals` when it is asked for.
    private func bestProposals(_ candidates: [Candidate], of considered: [Candidate], sentence: Range<Int>, ids: [UInt32], base: Double,
                               text: RuleText, surfaces: [String], refusals: inout [Refusal]?) -> [Proposal] {
        let chosen = bestSet(candidates, sentence: sentence, ids: ids, base: base)
        if refusals != nil {
            for candidate in considered where !chosen.contains(where: { $0.same(as: candidate) }) {
                refusals!.append(candidate.oneSided
                    ? refusal(.sides, candidate, text: text, detail: voice == nil ? Self.oneSidedWithoutScorer : Self.oneSidedUnjudged)
                    : refusal(.notChosen, candidate, text: text, detail: String(format:
                        "the best set of this sentence's edits by the statistics leaves it out (its score %.2f): another edit of these words, or edits that together score higher", candidate.score)))
            }
        }
        return chosen.compactMap { makeProposal($0, sentence: sentence, text: text, surfaces: surfaces) }
    }

    static let oneSidedWithoutScorer = "the voice writes the new words beside the words on one side of the slot only, and there is no voice scorer to vouch for it"
    static let oneSidedUnjudged = "the voice writes the new words beside the words on one side of the slot only, and its statistics are below where the voice scorer judges its source"

    /// A refusal of `candidate`.
    private func refusal(_ reason: Refusal.Reason, _ candidate: Candidate, text: RuleText, detail: String) -> Refusal {
        refusal(reason, candidate.substitution, candidate.first, candidate.last, text: text, detail: detail)
    }

    /// A refusal of substitution `index` at words `first...last`.
    func refusal(_ reason: Refusal.Reason, _ index: Int, _ first: Int, _ last: Int, text: RuleText, detail: String) -> Refusal {
        let substitution = learnedSubstitution(index)
        let range = text.words[first].range.lowerBound..<text.words[last].range.upperBound
        return Refusal(range: range, before: text.string(range), after: substitution.afterText, origin: substitution.origin, reason: reason, detail: detail)
    }

    /// Why the search did not propose candidate `c` of `search`: the sentence is already in the
    /// voice (`written`: the scorer's verdict on it), its site does not carry the sentence off the
    /// voice, an edit chosen covers its words, or the scorer did not prefer it.
    private func searchRefusal(_ search: SentenceSearch, _ c: Int, text: RuleText, written: Double?, eligible: Bool, applied: [Int]) -> Refusal {
        let proposal = search.pool[c]
        let words = search.words[c]
        let range = text.words[words.first].range.lowerBound..<text.words[words.last].range.upperBound
        func refused(_ reason: Refusal.Reason, _ detail: String) -> Refusal {
            refusal(reason, search.substitutions[c], words.first, words.last, text: text, detail: detail)
        }
        if !eligible && search.onVoice {
            return refused(.onVoice, String(format: "the voice scorer puts the sentence as written in the voice (%.2f, from %.2f no learned edit is made%@)",
                                            written ?? 1, maxVoiceToEdit, proposal.edit.origin.isEditorsOwn ? " and the style's calibration gates the editors' own too" : ""))
        }
        if !eligible, let occlusion = search.occlusion[c] {
            return refused(.occlusion, String(format: "deleting '%@' moves the voice scorer %+.2f towards the voice%@, and %.2f is asked: these words do not carry the sentence off the voice",
                                              text.string(range), occlusion, search.jointOcclusion[c] ? " (with the sentence's other sites deleted)" : "",
                                              search.oneSided[c] ? minOcclusionOneSided : minOcclusion))
        }
        let overlaps = applied.contains { other in
            !(words.last < search.words[other].first || words.first > search.words[other].last)
                || !(proposal.edit.range.upperBound <= search.pool[other].edit.range.lowerBound || proposal.edit.range.lowerBound >= search.pool[other].edit.range.upperBound)
        }
        if overlaps { return refused(.notChosen, "an edit the voice scorer chose for this sentence covers the same words (an edit, or a finding where it misses its bar)") }
        if let gain = c < search.lastGain.count ? search.lastGain[c] : nil, gain <= 0 {
            return refused(.noGain, String(format: "the voice scorer does not prefer the sentence with it: its gain is %.2f (statistics %.2f, voice %+.2f)",
                                           gain, proposal.score, gain - proposal.score))
        }
        return refused(.notChosen, "the search chose other edits for this sentence (one a round, at most \(maxEditsPerSentence) and one more for each edit the editors' memory recalls): they gained more, or kept more of its meaning")
    }

    /// A proposal with the scorer's verdict: its score is the gain it was chosen (or refused) at.
    /// Whether substitution `index` is an editors' phrase learned from at least
    /// `Calibration.fewRevisions` revisions, whose meaning the held-out revisions judge: calibration
    /// measures its precision against what editors wrote. Not a word an inflection pattern makes
    /// ("thou walkest" -> "you walk"): its count is the pattern's, and editors may never have
    /// revised the word itself.
    /// The frozen encoder's meaning guard does not refuse such an edit: it took "unto" -> "to" (1354
    /// revisions) for a change of meaning at 0.80, "brethren" -> "brothers" (103) at 0.84, and "no one
    /// gives a shit" -> "no one cares" (34) at 0.69, against 0.85 asked. Nor an edit the editors'
    /// memory recalls (`EditorsMemory`): the editors made it, at the same words, in a sentence
    /// nearly the same. It still refuses every other learned edit, and an editors' phrase chosen
    /// after one it refused.
    func vouchedForByEditors(_ index: Int) -> Bool {
        let substitution = learnedSubstitution(index)
        if substitution.origin == .memory { return true }
        return substitution.origin == .pair && substitution.count >= Calibration.fewRevisions
            && !substitution.example.hasPrefix(SubstitutionLearner.patternPrefix)
    }

    private func judged(_ original: Proposal, gain: Double, comparison: NeuralVoice.Comparison, before: Double, vouched: Bool = false) -> Proposal {
        var proposal = original
        let statistical = proposal.score
        proposal.statistical = statistical
        proposal.score = gain
        proposal.voice = comparison
        let required = comparison.requiredSimilarity(minSimilarity)
        proposal.meaningChanged = comparison.similarity < required && !vouched
        proposal.edit.confidence = 1 / (1 + exp(-2 * gain))
        if let scoreRange = proposal.edit.reason.range(of: "; score ", options: .backwards) {
            proposal.edit.reason.removeSubrange(scoreRange.lowerBound...)
        }
        proposal.edit.reason += String(format: "; score %.2f (statistics %.2f, voice %+.2f); voice %.2f → %.2f, similarity %.2f",
                                       gain, statistical, gain - statistical, before, comparison.voiceAfter, comparison.similarity)
        if abs(before - comparison.voiceBefore) > 1e-9 {
            proposal.edit.reason += String(format: " (with the sentence's other learned edits; %.2f as written)", comparison.voiceBefore)
        }
        if required < minSimilarity {
            proposal.edit.reason += String(format: " (%.2f asked: the edit carries the sentence into the voice)", (required * 100).rounded(.up) / 100)
        }
        if vouched && comparison.similarity < required {
            proposal.edit.reason += String(format: " (below the %.2f asked of other learned edits: the editors' held-out revisions judge the meaning of their own phrase)",
                                           (required * 100).rounded(.up) / 100)
        }
        return proposal
    }

    /// A sentence ends between two words when the gap holds . ! ? or a blank line, or when they lie in different prose ranges.
    static func sentenceBreak(_ text: RuleText, _ a: WordToken, _ b: WordToken) -> Bool {
        if a.proseEnd != b.proseEnd { return true }
        var newlines = 0
        for byte in text.bytes[a.range.upperBound..<b.range.lowerBound] {
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"): return true
            case UInt8(ascii: "\n"): newlines += 1; if newlines > 1 { return true }
            default: continue
            }
        }
        return false
    }

    /// The topic of a document: content words it uses more than once ("standby" in a page about
    /// standby servers). What may replace one is `replacesATopic`'s: a word that shares contexts
    /// with another is as often its sibling or antonym as its paraphrase.
    func topicWords(_ ids: [UInt32]) -> Set<UInt32> {
        var counts: [UInt32: Int] = [:]
        for id in ids where id >= 4 { counts[id, default: 0] += 1 }
        var topics = Set<UInt32>()
        for (id, count) in counts where count >= 2 && !functionWords.contains(model.vocabulary.tokens[Int(id)]) { topics.insert(id) }
        return topics
    }

    /// Whether `substitution` at `first...last` replaces a topic word in a way it may not. An
    /// editors' edit may replace a longer phrase. Any learned edit may replace words the corpora
    /// mark as the contrast's own manner beyond doubt (salience z ≤ −`mannerZ`): "thy" -> "your"
    /// in "judge thy people ... this thy so great a people", "terrible" in a page of reviews that
    /// says it twice, "thou hast" -> "you have" in a verse that says "thou" twice. Such a word is
    /// how the document is written, not what it is about; so a phrase whose every topic word is
    /// one may be replaced too.
    func replacesATopic(_ substitution: Substitution, first: Int, last: Int, ids: [UInt32], topics: Set<UInt32>) -> Bool {
        let topical = (first...last).filter { topics.contains(ids[$0]) }
        guard !topical.isEmpty else { return false }
        if topical.allSatisfy({ Double(model.unigramSalience[Int(ids[$0])]) <= -Self.mannerZ }) { return false }
        return !substitution.origin.isEditorsOwn || first == last
    }

    /// The salience z beyond which an off-voice word is the contrast's manner, not a topic
    /// (`replacesATopic`). The topic nouns of the benchmark corpora stay well inside it ("house"
    /// −5.7, "porch" −5.1 in KJV against BBE), the manner words far outside ("thy" −66, "unto" −88;
    /// Yelp's "not" −74, "terrible" −25); documentation corpora of a few megabytes rarely mark a word this far.
    static let mannerZ = 20.0

    /// Whether `substitution` at `first...last` replaces a word the voice never writes (and the
    /// contrast often does: `StyleModel.unvoiced`) with what the voice's nearest sentences, or the
    /// editors, write in its place in at least `unvoicedShare` of the cases. Such a fill, where the
    /// voice writes it beside the words on both sides, needs no occlusion, and may replace the word
    /// where it recurs (`candidates(in:)`): the word is how the text is written, whatever the scorer
    /// says of the sentence. BBE never writes "city", "stead", "slept" or "throne" (KJV: 705, 78, 34
    /// and 133 times in the benchmark's training split), and its neighbours put "town", "place",
    /// "went to rest" and "high seat" in their places; the scorer, saturated on a verse written
    /// wholly in KJV's manner, moved less than 0.5 nats for any of them, so occlusion refused them.
    /// Only retrieval and the editors' alternatives: a thesaurus or word-vector sibling of an
    /// ambiguous word is no rendering of it ("hear" -> "see").
    func isAnUnvoicedFill(_ substitution: Substitution, first: Int, last: Int, ids: [UInt32]) -> Bool {
        guard substitution.origin == .retrieval || substitution.origin == .pairAlternative, substitution.strength >= Self.unvoicedShare else { return false }
        return (first...last).contains { model.unvoiced[Int(ids[$0])] }
    }

    /// The share of a word's places where its fill is written (`Substitution.strength`) from which
    /// `isAnUnvoicedFill` holds: a word rendered many ways is rendered by its sense, which the
    /// context decides ("delivered" -> "kept" in 15% of its places, and so "I was kept of a child").
    static let unvoicedShare = 0.25

    /// Whether the voice corpus writes the edited words next to the words around them: the slot
    /// "left [new words] right" must be attested on both sides (for a deletion, "left right").
    /// Sentence ends count as words. Out-of-domain text, whose words the voice never uses around
    /// the site, gets no learned edits this way.
    func attested(_ substitution: Substitution, first: Int, last: Int, sentence: Range<Int>, ids: [UInt32]) -> Bool {
        attestedSides(substitution, first: first, last: last, sentence: sentence, ids: ids) == 2
    }

    /// On how many sides (0, 1 or 2) the voice corpus writes the edited words next to the words
    /// around them (a deletion: 0 or 2). `besideNeighbourEdits`: a replacement's neighbour may be
    /// replaced too, and a side counts where the voice writes the new words beside what a learned
    /// replacement of that one word (not a word-vector sibling) would make it. Archaic grammar
    /// words come in runs the voice never writes beside anything ("upon thy throne", "unto thine
    /// own fields"): one by one each had no attested side; beside its neighbour's own edit it has
    /// ("on your", "to your").
    func attestedSides(_ substitution: Substitution, first: Int, last: Int, sentence: Range<Int>, ids: [UInt32],
                       besideNeighbourEdits: Bool = false) -> Int {
        let lm = model.languageModel
        let left = first > sentence.lowerBound ? ids[first - 1] : Vocabulary.sentenceStart
        let right = last + 1 < sentence.upperBound ? ids[last + 1] : Vocabulary.sentenceEnd
        let after = substitution.after.map { model.vocabulary.id($0) }
        guard let head = after.first, let tail = after.last else { return lm.hasBigram(left, right) ? 2 : 0 }
        var leftSide = lm.hasBigram(left, head), rightSide = lm.hasBigram(tail, right)
        if besideNeighbourEdits {
            // Whether a learned replacement of word `index` joins the new words (`joins`).
            func aReplacement(of index: Int, _ joins: (Substitution) -> Bool) -> Bool {
                guard ids[index] != Vocabulary.unknown, let matches = model.sites[UInt64(ids[index])] else { return false }
                return matches.contains { let s = learnedSubstitution($0); return !s.after.isEmpty && s.origin != .vectors && joins(s) }
            }
            if !leftSide && first > sentence.lowerBound {
                leftSide = aReplacement(of: first - 1) { lm.hasBigram(model.vocabulary.id($0.after.last!), head) }
            }
            if !rightSide && last + 1 < sentence.upperBound {
                rightSide = aReplacement(of: last + 1) { lm.hasBigram(tail, model.vocabulary.id($0.after.first!)) }
            }
        }
        return (leftSide ? 1 : 0) + (rightSide ? 1 : 0)
    }

    /// Whether deleting `first...last` leaves a noun phrase as the voice writes one, where the
    /// voice never writes the two words around the site next to each other: the word after is a
    /// noun, one the voice writes after an article or a possessive in at least `nounShare` of its
    /// places (by the voice model: the sum over those words m of p(word | m) p(m), over p(word)),
    /// and the word before opens a noun phrase ("the", "that", "some", "same") or is a noun or an
    /// adjective itself (the voice writes it after one of those, or after "very", "so" or "too"),
    /// but no word of degree ("the most pathetic excuse" -> "the most excuse") and not the word
    /// after ("hand bitch hand" -> "hand hand"), and only spaces between the three (punctuation
    /// is no word here: "the article , fuck head" -> "the article , head"). In ParaDetox "the
    /// same silly post", "a weird ass party", "that stupid wall" lose their insult; "the shit
    /// hits the fan", "do jack shit .", "kiss our ass goodby" and "how the shit works" keep
    /// theirs: "hits", "goodby" and "works" follow no article in the voice, or too seldom (a bare
    /// test of whether the voice ever writes "the works", "a like" or "my got" let through "how
    /// the works", "do no like that" and "my got fans": about half of 35 such deletions read
    /// were wrong).
    func leavesANounPhrase(first: Int, last: Int, sentence: Range<Int>, ids: [UInt32], text: RuleText) -> Bool {
        guard first > sentence.lowerBound, last + 1 < sentence.upperBound, ids[first - 1] != ids[last + 1],
              text.onlySpaceBetween(first - 1), text.onlySpaceBetween(last) else { return false }
        let tokens = model.vocabulary.tokens, lm = model.languageModel
        let left = tokens[Int(ids[first - 1])], right = tokens[Int(ids[last + 1])]
        func letters(_ word: String) -> Bool { !word.isEmpty && word.unicodeScalars.allSatisfy(CharacterSet.letters.contains) }
        func writtenAfter(_ words: [String], _ id: UInt32) -> Bool { words.contains { lm.hasBigram(model.vocabulary.id($0), id) } }
        guard !isGrammarWord(right), letters(right), afterANounMarker(ids[last + 1]) >= Self.nounShare else { return false }
        if Self.nounPhraseOpeners.contains(left) { return true }
        guard !Self.degreeWords.contains(left), !isGrammarWord(left), letters(left) else { return false }
        return writtenAfter(Self.nounMarkers + ["very", "so", "too"], ids[first - 1])
    }

    /// The share of a word's places the voice model puts after an article or a possessive.
    func afterANounMarker(_ id: UInt32) -> Double {
        let lm = model.languageModel
        let unigram = exp(lm.logProbability(id, context: []))
        guard unigram > 0 else { return 0 }
        return Self.nounMarkers.reduce(0.0) { sum, marker in
            let m = model.vocabulary.id(marker)
            guard lm.hasBigram(m, id) else { return sum }
            return sum + exp(lm.logProbability(id, context: [m][...])) * exp(lm.logProbability(m, context: []))
        } / unigram
    }

    /// How often a word must follow an article or a possessive to read as a noun
    /// (`leavesANounPhrase`). By ParaDetox's voice model "party" 0.098, "post" 0.083, "book"
    /// 0.045, "plan" 0.042; "two" 0.038, "works" 0.018, "like" 0.009, "got" 0.013. The unigram
    /// is Kneser-Ney's continuation probability, so the shares run below the counted ones
    /// ("party" follows one of those words in 25% of its places in the corpus).
    static let nounShare = 0.04

    /// The words a noun (or the adjective before it) follows: articles and possessives.
    static let nounMarkers = ["the", "a", "an", "my", "your", "his", "their", "our"]
    /// Words a noun phrase may begin with, before an adjective or a noun. Not "no": there the
    /// deleted word is as often the phrase's head ("no fucks left to give" -> "no left to give").
    static let nounPhraseOpeners = determiners.union(["his", "her", "this", "that", "these", "those", "some", "any", "another", "other",
                                                      "same", "every", "each"])
    /// Words of degree, which need the adjective after them.
    static let degreeWords: Set<String> = ["most", "more", "less", "least", "so", "very", "too", "pretty", "really", "quite", "such", "how",
                                           "as", "real", "right"]

    /// Every candidate edit of one sentence that passes the guards and has a positive statistical
    /// score, and the voice model's log probability of the sentence as written (nil: no candidates).
    private func candidates(in sentence: Range<Int>, text: RuleText, ids: [UInt32], guarded: [Bool], surfaces: [String],
                            topics: Set<UInt32>, scored: Bool, guardEvents: inout [GuardEvent],
                            refusals: inout [Refusal]?) -> (candidates: [Candidate], baseline: Double?) {
        var candidates: [Candidate] = []
        // Refusals are written only when asked for (`--explain --refusals`, `eval --refusals`).
        func refuse(_ reason: Refusal.Reason, _ index: Int, _ first: Int, _ last: Int, _ detail: @autoclosure () -> String) {
            guard refusals != nil else { return }
            refusals!.append(refusal(reason, index, first, last, text: text, detail: detail()))
        }
        let sentenceIDs = Array(ids[sentence])
        var baseline: Double?
        // One substitution at words `first...last`, among the substitutions of the same words (`matches`).
        func consider(_ index: Int, _ first: Int, _ last: Int, _ matches: [Int]) {
            let substitution = learnedSubstitution(index)
            // A negation may change form (do not -> don't) but never appear or disappear.
            if preserve.contains(.negation) && substitution.after.filter(negations.contains).count != substitution.before.filter(negations.contains).count {
                guardEvents.append(GuardEvent(.negation, text, words: first...last, substitution: substitution))
                return
            }
            let editorsOwn = substitution.after.isEmpty && editorsOwnDeletion(index, among: matches)
            if substitution.after.isEmpty && !canDelete(first: first, last: last, sentence: sentence, text: text, editorsOwn: editorsOwn) {
                refuse(.deletion, index, first, last, "deleting it would leave a word without what it needs, or the sentence without its end")
                return
            }
            // A topic word is replaced by nothing learned, except an editors' edit of a longer
            // phrase, or when it is a word of the contrast's manner, or a word the voice never
            // writes replaced by a settled fill the voice writes on both sides (checked below).
            let unvoicedFill = isAnUnvoicedFill(substitution, first: first, last: last, ids: ids)
            let topical = replacesATopic(substitution, first: first, last: last, ids: ids, topics: topics)
            if topical && !(unvoicedFill && (first...last).allSatisfy { !topics.contains(ids[$0]) || model.unvoiced[Int(ids[$0])] }) {
                refuse(.topic, index, first, last, "it is a topic of this document (it recurs), which no learned edit replaces")
                return
            }
            var oneSided = false
            if !substitution.origin.isEditorsOwn {
                // With a voice scorer, a fill the voice writes on one side of the slot
                // only is still a candidate, if the site is one the scorer says carries
                // the sentence off-voice (`search`); without one it must fit both sides.
                // So is a deletion whose join the voice never writes but that leaves a
                // noun phrase ("the same silly post" -> "the same post").
                var sides = attestedSides(substitution, first: first, last: last, sentence: sentence, ids: ids, besideNeighbourEdits: true)
                // The editors' own deletion after opening interjections leaves its clause to
                // begin where it stood: the join that counts is the sentence's start ("awww
                // shit i got a stalker" -> "awww i got a stalker": the voice writes "<s> i").
                if sides == 0 && editorsOwn && first > sentence.lowerBound && last + 1 < sentence.upperBound
                    && Self.opensTheSentence(first: first, last: last, sentence: sentence, text: text)
                    && model.languageModel.hasBigram(Vocabulary.sentenceStart, ids[last + 1]) { sides = 2 }
                let inANounPhrase = sides == 0 && scored && substitution.after.isEmpty
                    && leavesANounPhrase(first: first, last: last, sentence: sentence, ids: ids, text: text)
                if (sides == 0 && !inANounPhrase) || (sides == 1 && !scored) {
                    refuse(.sides, index, first, last, sides == 1
                        ? "the voice writes the new words beside the words on one side of the slot only, and there is no voice scorer to vouch for it"
                        : substitution.after.isEmpty ? "the voice never joins the words on either side of it"
                        : "the voice never writes '\(substitution.afterText)' beside the words on either side of it")
                    return
                }
                oneSided = sides == 1 || inANounPhrase
                if topical && sides != 2 {
                    refuse(.topic, index, first, last, "it is a topic of this document (it recurs): the voice never writes the word, but its fill may replace it only where the voice writes the fill beside the words on both sides")
                    return
                }
                // A word without number may become a plural where nothing around it asks
                // for one number ("make shit up" -> "make things up"), unless an editors'
                // phrase holds it ("a piece of shit", "and shit": theirs decides).
                if !Self.keepsInflection(substitution) && !(sides == 2 && Self.numberIsFree(substitution, first: first, last: last, sentence: sentence, text: text)
                    && !anEditorsPhraseHolds(first: first, last: last, sentence: sentence, ids: ids)) {
                    refuse(.inflection, index, first, last, "it changes the words' number, tense or person")
                    return
                }
            }
            if doublesAWord(substitution, first: first, last: last, sentence: sentence, ids: ids) { refuse(.grammar, index, first, last, "it would write a word twice in a row"); return }
            if putsAPreteriteAfterAnAuxiliary(substitution, first: first, sentence: sentence, text: text) { refuse(.grammar, index, first, last, "it would put a past form that is no participle after a form of 'be' or 'have'"); return }
            if joinsMidClause(substitution, first: first, last: last, sentence: sentence, text: text) { refuse(.grammar, index, first, last, "it would put a conjunction where no clause begins"); return }
            if comparesIrregularly(substitution, first: first, sentence: sentence, surfaces: surfaces) { refuse(.grammar, index, first, last, "it would compare with 'more' or 'most' a word that compares by a form of its own"); return }
            if Self.leavesItsObjectBehind(substitution, last: last, sentence: sentence, text: text) { refuse(.grammar, index, first, last, "it would leave what follows without its place (a verb's object, a preposition's noun)"); return }
            if Self.putsAModalBeforeAFiniteVerb(substitution, last: last, sentence: sentence, text: text) { refuse(.grammar, index, first, last, "it would put a modal before a word that cannot follow one"); return }
            if Self.putsAFiniteVerbWithoutASubject(substitution, first: first, last: last, sentence: sentence, text: text) {
                refuse(.grammar, index, first, last, "it would open a clause with a finite verb and no subject: the verb it replaces is an imperative")
                return
            }
            if Self.putsHadBeforeABareVerb(substitution, last: last, sentence: sentence, text: text) { refuse(.grammar, index, first, last, "it would make a \"'d\" that stands for \"would\" 'had' before a verb's bare form"); return }
            if Self.putsAPrepositionBeforeAFiniteVerb(substitution, last: last, sentence: sentence, text: text) { refuse(.grammar, index, first, last, "it would put a preposition before a finite verb"); return }
            if Self.putsWillInAClauseOfConditionOrTime(substitution, first: first, last: last, sentence: sentence, text: text) {
                refuse(.grammar, index, first, last, "it would make 'shall' 'will' in a clause of condition or time, where English writes the verb alone")
                return
            }
            var newIDs = Array(ids[sentence.lowerBound..<first])
            newIDs += substitution.after.map { model.vocabulary.id($0) }
            newIDs += ids[(last + 1)..<sentence.upperBound]
            if leavesNotWithoutDo(newIDs, inserted: (first - sentence.lowerBound)..<(first - sentence.lowerBound + substitution.after.count)) {
                refuse(.grammar, index, first, last, "it would write 'not' where the verb needs 'do'")
                return
            }
            let base = baseline ?? model.languageModel.logProbability(sentence: sentenceIDs)
            baseline = base
            let lm = lmChange(old: sentenceIDs, oldLogP: base, new: newIDs)
            let local = salienceChange(removed: ids[first...last], added: substitution.after) - cost(substitution, removed: last - first + 1) + prior(substitution)
            let score = 0.5 * lm + local
            if score > 0 {
                var candidate = Candidate(first: first, last: last, substitution: index, localScore: local, score: score, newIDs: newIDs, oneSided: oneSided)
                candidate.unvoicedFill = unvoicedFill && !oneSided
                guard let (range, replacement) = edit(for: candidate, sentence: sentence, text: text, surfaces: surfaces, ids: ids) else {
                    refuse(.deletion, index, first, last, "it cannot be deleted cleanly here: that would join two lines, or take the sentence's only word or punctuation with it")
                    return
                }
                (candidate.range, candidate.replacement) = (range, replacement)
                candidates.append(candidate)
            } else {
                refuse(.score, index, first, last, String(format: "its statistical score is %.2f, not above 0 (voice language model %+.2f, salience, prior and cost %+.2f)", score, 0.5 * lm, local))
            }
        }
        for first in sentence {
            var key: UInt64 = 0
            for last in first..<min(sentence.upperBound, first + model.longestSite) {
                // A learned edit stays on its line: in plain text one line may be one record.
                if last > first && (!text.onlySpaceBetween(last - 1) || Self.lineBreak(after: last - 1, in: text)) { break }
                // Unknown words are in no site (and id 0 would make a packed key ambiguous).
                if guarded[last] || ids[last] == Vocabulary.unknown {
                    if guarded[last], let matches = model.sites[key << 16 | UInt64(ids[last])] {
                        guardEvents.append(GuardEvent(.numbers, text, words: first...last, substitution: learnedSubstitution(matches[0])))
                    }
                    break
                }
                key = key << 16 | UInt64(ids[last])
                guard let matches = model.sites[key] else { continue }
                // Names: a capitalised word that does not start the sentence is left alone (`isName`).
                if preserve.contains(.entities), (first...last).contains(where: { isName($0, sentence: sentence, text: text, surfaces: surfaces, ids: ids) }) {
                    guardEvents.append(GuardEvent(.entities, text, words: first...last, substitution: learnedSubstitution(matches[0])))
                    continue
                }
                for index in matches { consider(index, first, last, matches) }
            }
            // The editors' own edits of the revision the memory recalls for this sentence.
            for (last, index) in recalledSites[first] ?? [] {
                if preserve.contains(.entities), (first...last).contains(where: { isName($0, sentence: sentence, text: text, surfaces: surfaces, ids: ids) }) {
                    guardEvents.append(GuardEvent(.entities, text, words: first...last, substitution: learnedSubstitution(index)))
                    continue
                }
                consider(index, first, last, [index])
            }
        }
        let deferring = Self.defersToALongerPhrase(candidates.map {
            (first: $0.first, last: $0.last, origin: learnedSubstitution($0.substitution).origin, count: learnedSubstitution($0.substitution).count)
        })
        if deferring.contains(true) {
            for (candidate, defers) in zip(candidates, deferring) where defers {
                refuse(.longerPhrase, candidate.substitution, candidate.first, candidate.last, "a longer phrase over these words, of the same source and seen more often, goes first")
            }
            candidates = zip(candidates, deferring).filter { !$1 }.map(\.0)
        }
        return (candidates, baseline)
    }

    /// Whether substitution `index`, a deletion, is the editors' own: learned from their pairs as
    /// a phrase, or their most frequent way of changing the word (`SubstitutionLearner.alternatives`)
    /// among the substitutions of the same words (`matches`).
    func editorsOwnDeletion(_ index: Int, among matches: [Int]) -> Bool {
        let deletion = learnedSubstitution(index)
        switch deletion.origin {
        case .pair, .memory: return true
        case .pairAlternative:
            return !matches.contains { other in
                let way = learnedSubstitution(other)
                return other != index && [.pair, .pairAlternative].contains(way.origin) && way.count > deletion.count
            }
        default: return false
        }
    }

    /// For each candidate (its words, origin and how often its substitution was seen), whether a
    /// longer candidate of the same origin covers its words and was seen more often: the longer
    /// phrase says how the corpora write these words here. Bible's retrieval learned "came to
    /// pass" -> "came about" (7 times) and, from "pass over" -> "go over", "pass" -> "go" (3
    /// times); inside "it came to pass at that time" the second won and wrote "it came to go"
    /// (5 of 600 dev verses). Only the same origin: an editors' phrase learned in one setting
    /// ("the tent of the congregation" -> "the Tent of meeting": "the congregation" -> "meeting",
    /// 28 times) would otherwise push out a word edit elsewhere ("all the congregation" -> "all meeting").
    static func defersToALongerPhrase(_ candidates: [(first: Int, last: Int, origin: EditOrigin, count: Int)]) -> [Bool] {
        candidates.map { c in
            candidates.contains { d in
                d.origin == c.origin && d.first <= c.first && d.last >= c.last && d.last - d.first > c.last - c.first && d.count > c.count
            }
        }
    }

    /// Whether `substitution` at `first...last` would write a word twice in a row where the text
    /// does not: an editors' "commanded" -> "had given orders to", learned where no "had" came
    /// before, makes "as he had commanded" "as he had had given orders to".
    func doublesAWord(_ substitution: Substitution, first: Int, last: Int, sentence: Range<Int>, ids: [UInt32]) -> Bool {
        guard let head = substitution.after.first, let tail = substitution.after.last else { return false }
        let (headID, tailID) = (model.vocabulary.id(head), model.vocabulary.id(tail))
        if headID != Vocabulary.unknown && first > sentence.lowerBound && ids[first - 1] == headID && ids[first] != headID { return true }
        return tailID != Vocabulary.unknown && last + 1 < sentence.upperBound && ids[last + 1] == tailID && ids[last] != tailID
    }

    /// Irregular pasts that are no participle ("went", not "gone"): a form of "be" or "have"
    /// cannot come before one.
    static let preteritesOnly: Set<String> = [
        "went", "came", "did", "took", "gave", "saw", "ate", "wrote", "spoke", "knew", "began", "drank", "ran", "rose",
        "drove", "chose", "broke", "stole", "threw", "grew", "flew", "drew", "wore", "tore", "shook", "forgave", "arose",
        "smote", "spake", "gat", "brake", "bare", "sware", "clave", "slew", "sang", "rang", "swam", "sank", "became",
        "forgot", "overcame",
    ]
    /// The forms of "be" and "have" a participle follows.
    static let auxiliaries: Set<String> = ["is", "are", "was", "were", "am", "be", "been", "being", "has", "have", "had", "hath", "hast",
                                           "'s", "'re", "'m", "'ve", "'d"]

    /// Finite forms of "be" and "do", which never follow a form of "be" or "have".
    static let finiteBeAndDo: Set<String> = ["is", "are", "was", "were", "am", "does", "did", "doth", "dost"]
    /// Finite forms of "have", which a learned phrase puts after a form of "have" to write the
    /// perfect twice ("I have commanded thee" -> "I have had given orders to you") or to make a
    /// verb of "have" that leaves the old verb's object behind ("the word that I have heard is
    /// good" -> "that I have had news is good"); "have had" itself is English, but no learned
    /// phrase writes it rightly here.
    static let finiteHave: Set<String> = ["has", "had", "hath", "hast"]

    /// Whether `substitution` at `first` writes a past that is no participle, or a finite form of
    /// "be" or "do", straight after a form of "be" or "have": the editors' "entered" -> "went",
    /// made where KJV writes "when he was entered into the house", gives "was went"; "had given"
    /// -> "had gave"; "appeared to" -> "was seen by" gave "as he had was seen by him"; "commanded"
    /// -> "had given orders to" gave "I have had given orders to you". Every origin is checked.
    func putsAPreteriteAfterAnAuxiliary(_ substitution: Substitution, first: Int, sentence: Range<Int>, text: RuleText) -> Bool {
        guard let head = substitution.after.first,
              Self.preteritesOnly.contains(head.lowercased()) || Self.finiteBeAndDo.contains(head.lowercased()) || Self.finiteHave.contains(head.lowercased()),
              substitution.before.first?.lowercased() != head.lowercased(), first > sentence.lowerBound, text.onlySpaceBetween(first - 1) else { return false }
        return Self.auxiliaries.contains(text.string(text.words[first - 1].range).lowercased())
    }

    /// Coordinating conjunctions: they join what stands before them to what follows, so a clause
    /// begins with one.
    static let coordinators: Set<String> = ["and", "or", "nor"]
    /// Adverbs that link a clause to the one before, and that "so" may stand for only where a clause begins.
    static let clauseLinks: Set<String> = ["therefore", "wherefore", "hence", "consequently"]
    /// "and" written short or as a symbol ("rock n roll", "me &amp; mind").
    static let writtenAnd: Set<String> = ["n", "nd", "amp", "&"]

    /// Whether `substitution` at `first...last` writes a coordinating conjunction, or "so" for
    /// "therefore", where no clause begins: not at the sentence's start nor after punctuation.
    /// Bible with pairs learned from its editors that KJV's "also" is often BBE's "and" ("Also he
    /// built altars" -> "And he made altars"), and wrote it in 22 of 600 verses where "also" is an
    /// adverb: "the kingdom also;" -> "the kingdom and;", "the altar also was rent" -> "the altar
    /// and was rent"; and "Hear thou therefore the word" -> "Hear thou so the word". (A phrase
    /// reordered round its own "and" is not checked, nor "so" at a clause's end: "do it thus." ->
    /// "do it so.", nor "so" before the word it intensifies: "busy as shit" -> "so busy"; but
    /// "therefore" is no manner: "Arise thou therefore, get thee" -> "Arise thou so, get thee" is
    /// not made.) Every origin is checked.
    func joinsMidClause(_ substitution: Substitution, first: Int, last: Int, sentence: Range<Int>, text: RuleText) -> Bool {
        guard let head = substitution.after.first?.lowercased(), first > sentence.lowerBound, text.onlySpaceBetween(first - 1) else { return false }
        let before = substitution.before.map { $0.lowercased() }
        if Self.coordinators.contains(head) {
            return !before.contains { Self.coordinators.contains($0) || Self.writtenAnd.contains($0) }
        }
        guard head == "so", substitution.after.count == 1, !before.contains("so") else { return false }
        // "therefore" made "so" is a clause's link, never its manner: "Arise thou therefore, get
        // thee" -> "Arise thou so, get thee".
        if before.contains(where: Self.clauseLinks.contains) { return true }
        return last + 1 < sentence.upperBound && text.onlySpaceBetween(last)
    }

    /// Prepositions, which a noun phrase follows ...
    static let prepositions: Set<String> = ["to", "of", "for", "unto", "with", "at", "on", "in", "into", "from", "upon", "about", "by",
                                            "after", "over", "under", "before", "toward", "towards", "through", "among", "against"]
    /// ... and those that never end a clause as an adverb ("he went in." but not "he gave praise to.").
    static let strictPrepositions: Set<String> = ["to", "of", "for", "unto", "with", "at", "into", "from", "upon", "toward", "towards",
                                                  "among", "against"]
    /// Particles that end a phrasal verb ("give up", "went away"): a pronoun object comes before them.
    static let verbParticles: Set<String> = ["up", "out", "off", "down", "away", "back"]
    /// Words that never begin a preposition's object: subject pronouns, adverbs that link or time
    /// a clause, and verbs of being.
    static let beginsNoObject: Set<String> = ["i", "he", "she", "we", "they", "thou", "ye", "now", "therefore", "then", "thus", "also",
                                              "not", "be", "is", "are", "am", "was", "were", "art", "hath", "hast", "shall", "shalt", "will", "wilt"]
    /// Informal modals, which also take an infinitive ("gonna be" -> "going to be").
    static let semiModals: Set<String> = ["gonna", "wanna", "gotta", "need", "needs", "have", "has", "had", "ought"]
    /// Pronouns that are only objects.
    static let objectPronouns: Set<String> = ["him", "her", "them", "me", "us", "thee", "it"]
    /// Words that begin a verb's object: the object pronouns, and the determiners of a noun phrase.
    static let objectStarts: Set<String> = objectPronouns.union(["the", "a", "an", "his", "their", "my", "your", "our", "thy", "thine",
                                                                 "its", "this", "these", "those", "every"])

    /// Whether a word reads as a verb: WordNet lists it, or its base, as one ("called" -> "call",
    /// "cometh" -> "come"), or it is an irregular past. Without wordnet-base only irregular pasts do.
    static func readsAsAVerb(_ word: String) -> Bool {
        if let form = irregularForms[word], form == .ed || form == .either { return true }
        if verbLemmas.contains(word) || irregularThirdPersons.contains(word) { return true }
        for ending in ["ed", "d", "es", "s", "ing", "eth"] where word.count > ending.count + 2 && word.hasSuffix(ending) {
            let stem = String(word.dropLast(ending.count))
            if verbLemmas.contains(stem) || verbLemmas.contains(stem + "e") { return true }
            if let last = stem.last, stem.count > 2, stem.dropLast().last == last, verbLemmas.contains(String(stem.dropLast())) { return true }
        }
        return false
    }

    /// Whether `substitution`, ending at `last`, leaves what followed the words it replaces
    /// without the place it had: a phrase for a verb that ends in a noun before the verb's object
    /// ("slain him" -> "put to death him", "heard the sound" -> "had news the sound"), a
    /// preposition it writes before another or before nothing ("called on" -> "sent for on",
    /// "hear of" -> "give ear to of", "commanded." -> "had given orders to."), or a particle
    /// before a pronoun object ("betrayed him" -> "given up him"). Bible with pairs learned these
    /// from its editors' phrases, which carry the object differently. Every origin is checked.
    static func leavesItsObjectBehind(_ substitution: Substitution, last: Int, sentence: Range<Int>, text: RuleText) -> Bool {
        var before = substitution.before.map { $0.lowercased() }, after = substitution.after.map { $0.lowercased() }
        guard after.count > 1, !before.isEmpty else { return false }
        // The word that follows, or nil where punctuation or the sentence's end does.
        var next: String? = last + 1 < sentence.upperBound && text.onlySpaceBetween(last) ? text.string(text.words[last + 1].range).lowercased() : nil
        // A determiner both sides end with is the object's start: "slain thy" -> "put to death your".
        while before.count > 1, after.count > 1, Self.objectStarts.contains(before.last!), Self.objectStarts.contains(after.last!) {
            next = after.removeLast()
            before.removeLast()
        }
        guard let a = after.last, let b = before.last, a != b else { return false }
        // Two prepositions in a row that the replaced words did not have: "sent for to him".
        for (x, y) in zip(after, after.dropFirst()) where Self.strictPrepositions.contains(x) && Self.prepositions.contains(y)
            && !zip(before, before.dropFirst()).contains(where: { $0 == x && $1 == y }) { return true }
        if Self.strictPrepositions.contains(a) {
            guard let next else { return true }  // punctuation or the sentence's end follows
            // A word that begins no object follows: "Hear thou" -> "Give ear to thou", "Intreat
            // now" -> "Make prayer to now", "Blessed be" -> "Gave praise to be".
            // (After a modal, "to" is an infinitive's: "will be" -> "is going to be".)
            if Self.beginsNoObject.contains(next) && !Self.strictPrepositions.contains(b)
                && !(a == "to" && ["be", "not"].contains(next) && (Self.modals.contains(b) || Self.semiModals.contains(b))) { return true }
            return Self.prepositions.contains(next) && !Self.prepositions.contains(b)
        }
        guard let next, !Self.prepositions.contains(a) else { return false }
        if Self.verbParticles.contains(a) { return !before.contains(a) && Self.objectPronouns.contains(next) }
        return Self.readsAsAVerb(b) && !Self.readsAsAVerb(a) && Self.objectStarts.contains(next)
    }

    /// The modals, which a verb's bare form follows.
    static let modals: Set<String> = ["will", "would", "can", "could", "shall", "should", "may", "might", "must", "'ll"]
    /// Words that cannot follow a modal: finite forms of "be", "have" and "do", "to", and the
    /// pasts that are no bare form (`preteritesOnly`).
    static let neverAfterAModal: Set<String> = ["is", "are", "am", "was", "were", "has", "hath", "hast", "does", "doth", "dost", "did",
                                                "'s", "'re", "'m", "to"]

    /// Whether `substitution` ending at `last` writes a modal that was not there before a word that
    /// cannot follow one: Shakespeare's editors write "wish" as "would" ("I would I were"), and
    /// learned where the modern line goes on with its verb it gave "that you wish were" -> "that
    /// you would were"; likewise "wants to" -> "would to". Every origin is checked.
    static func putsAModalBeforeAFiniteVerb(_ substitution: Substitution, last: Int, sentence: Range<Int>, text: RuleText) -> Bool {
        guard let head = substitution.after.last?.lowercased(), modals.contains(head),
              substitution.before.last?.lowercased() != head,
              last + 1 < sentence.upperBound, text.onlySpaceBetween(last) else { return false }
        let next = text.string(text.words[last + 1].range).lowercased()
        return neverAfterAModal.contains(next) || preteritesOnly.contains(next)
    }

    /// Whether `substitution` ending at `last` makes a contracted "'d" "had" before a verb's bare
    /// form, where it stands for "would": Shakespeare's editors write "I'd guessed" and "I'd
    /// rather" as "I had", and learned so it gave "I had complain", "I had go join you". Every
    /// origin is checked. (Without wordnet-base no word reads as a bare verb.)
    static func putsHadBeforeABareVerb(_ substitution: Substitution, last: Int, sentence: Range<Int>, text: RuleText) -> Bool {
        guard substitution.after.last?.lowercased() == "had", let replaced = substitution.before.last?.lowercased(),
              replaced.hasSuffix("'d") || replaced.hasSuffix("\u{2019}d"),
              last + 1 < sentence.upperBound, text.onlySpaceBetween(last) else { return false }
        let next = text.string(text.words[last + 1].range).lowercased()
        guard verbLemmas.contains(next), !["rather", "better", "best", "liefer"].contains(next) else { return false }
        if let form = irregularForms[next], form == .ed || form == .either { return false }
        return true
    }

    /// Forms of "be", "have" and "do" that are finite only: a clause puts its subject before one,
    /// or right after it in a question.
    static let finiteOnly: Set<String> = ["am", "is", "are", "was", "were", "art", "wast", "wert", "has", "hath", "hast", "does", "doth", "dost"]
    /// Words that begin a subject: the pronouns, articles, possessives and demonstratives.
    static let beginASubject: Set<String> = subjectPronouns.union([
        "thou", "ye", "u", "ya", "it", "there", "one", "who", "what", "which", "all", "some", "any", "no", "every", "each", "thy", "thine", "mine",
        "everyone", "anyone", "someone", "nobody", "everybody", "somebody", "anybody", "everything", "something", "nothing", "anything",
    ]).union(nounPhraseOpeners)

    /// Whether `substitution` at `first...last` writes a finite form of "be", "have" or "do"
    /// (`finiteOnly`) where a clause opens (its sentence's start, or a quotation's: a capital after
    /// a comma, colon or semicolon) and no subject follows it: the word it replaced, a verb's bare
    /// form there, was an imperative, which has none. The Bible's editors wrote "I know" as "I am
    /// certain", and "saying, Know for a certain" became "saying, Am certain for a certain". A
    /// replaced word that is finite ("Shall I go" -> "Am I to go", "Art thou" -> "Are you",
    /// "Weren't we" -> "Were not we") or inflected ("-s", "-eth", "-ed": its subject stands before
    /// the comma) and a question ("Is the king") pass. Every origin is checked.
    static func putsAFiniteVerbWithoutASubject(_ substitution: Substitution, first: Int, last: Int, sentence: Range<Int>, text: RuleText) -> Bool {
        guard let head = substitution.after.first?.lowercased(), finiteOnly.contains(head),
              let replaced = substitution.before.first?.lowercased().replacingOccurrences(of: "\u{2019}", with: "'"),
              !finiteOnly.contains(replaced), !auxiliaries.contains(replaced), !afterASubject.contains(replaced),  // (the modals too)
              !["do", "shalt", "wilt", "canst", "mayest", "didst"].contains(replaced),
              inflection(replaced) == .other else { return false }
        let opening = text.string(text.words[first].range)
        guard text.startsSentence(first) || (opensQuotation(first, in: text) && isCapitalised(opening)) else { return false }
        // The word after the finite form, as written: the new words' second (the model's tokens are
        // lowercase; `afterText` keeps a name's capital), or the sentence's next word.
        let next: String
        if substitution.after.count > 1 {
            let written = substitution.afterText.split(separator: " ").map(String.init)
            next = written.count == substitution.after.count ? written[1] : substitution.after[1]
        } else if last + 1 < sentence.upperBound, text.onlySpaceBetween(last) {
            next = text.string(text.words[last + 1].range)
        } else {
            return true  // punctuation or the sentence's end: no subject follows
        }
        // ("Is not the king here?": the subject comes after the negation.)
        let lower = next.lowercased()
        return !beginASubject.contains(lower) && lower != "not" && !isCapitalised(next) && !lower.contains(where: \.isNumber)
    }

    /// Finite verbs and modals: no preposition that ends no clause as an adverb (`strictPrepositions`,
    /// and "by") comes right before one.
    static let finiteVerbsAndModals: Set<String> = neverAfterAModal.subtracting(["to"]).union(modals).union(["had"])

    /// Whether `substitution` ending at `last` writes a preposition that was not there right before
    /// a finite verb or a modal. The Bible's editors wrote "the place which the Lord shall choose"
    /// as "the place marked out by the Lord" (8 times), and the phrase "place which" -> "place
    /// marked out by" gave "a place marked out by was named Gethsemane". Every origin is checked.
    static func putsAPrepositionBeforeAFiniteVerb(_ substitution: Substitution, last: Int, sentence: Range<Int>, text: RuleText) -> Bool {
        guard let tail = substitution.after.last?.lowercased(), strictPrepositions.contains(tail) || tail == "by",
              substitution.before.last?.lowercased() != tail,
              last + 1 < sentence.upperBound, text.onlySpaceBetween(last) else { return false }
        return finiteVerbsAndModals.contains(text.string(text.words[last + 1].range).lowercased())
    }

    /// Words that open a clause of condition or time, whose verb English puts in the present
    /// where the main clause would say "will" ("when he comes", "if we say") ...
    static let conditionOrTime: Set<String> = ["if", "when", "whenever", "till", "until", "unless", "lest", "wheresoever", "wherever",
                                               "whensoever", "whithersoever"]
    /// ... and the pronouns that open such a clause as its own subject, right before its verb
    /// ("whosoever shall do" is "whoever does"; in "whosoever will save his life shall lose it"
    /// the "shall" is the main clause's).
    static let indefiniteSubjects: Set<String> = ["whosoever", "whoso", "whoever"]

    /// Whether `substitution` at `first` makes "shall" (or "shalt") "will" inside a clause that
    /// opens with a word of `conditionOrTime` (with the clause's subject between: "When shall
    /// these things be?" asks, and takes "will") or of `indefiniteSubjects`: the KJV's future in
    /// such clauses is the present in modern English, not "will". Bible's neighbours taught
    /// "shall" -> "will", and wrote "when they will lead you", "if we will say", "if he will gain
    /// the whole world", "whosoever will not receive you" (12 of its 92 such edits in the 600 dev
    /// verses). The clause reaches back to the nearest punctuation. "wilt" -> "will" stays ("if
    /// you will walk before me": wilt is willing). Every origin is checked. Left as they fall: a
    /// main clause with no comma after its condition ("if he speak they shall hear") is refused,
    /// as is a relative "when" after a time ("the days come when he shall be taken"); a word
    /// between "whosoever" and the modal ("whosoever therefore shall") lets the edit through.
    static func putsWillInAClauseOfConditionOrTime(_ substitution: Substitution, first: Int, last: Int, sentence: Range<Int>, text: RuleText) -> Bool {
        guard substitution.after.contains(where: { $0.lowercased() == "will" }), substitution.before.count == last - first + 1 else { return false }
        let before = substitution.before.map { $0.lowercased() }
        guard !before.contains("will"), let position = before.firstIndex(where: { $0 == "shall" || $0 == "shalt" }) else { return false }
        // The modal's own word ("if ye shall" -> "if you will" has the subject inside the edit).
        let modal = first + position
        var index = modal - 1
        while index >= sentence.lowerBound, text.onlySpaceBetween(index) {
            let word = text.string(text.words[index].range).lowercased()
            if indefiniteSubjects.contains(word) && index == modal - 1 { return true }
            if conditionOrTime.contains(word) && index < modal - 1 { return true }
            index -= 1
        }
        return false
    }

    /// Adjectives and adverbs that compare by a word of their own ("better", "worst"), never by "more" or "most".
    static let comparedByAWordOfTheirOwn: Set<String> = ["good", "bad", "well", "badly", "far", "little", "much", "many", "ill"]

    /// Whether `substitution` at `first` writes, straight after "more", "most", "less" or
    /// "least", a word that compares by a word of its own: "the most pathetic excuse" -> "the
    /// most bad excuse".
    func comparesIrregularly(_ substitution: Substitution, first: Int, sentence: Range<Int>, surfaces: [String]) -> Bool {
        guard first > sentence.lowerBound, let head = substitution.after.first, substitution.before.first != head,
              Self.comparedByAWordOfTheirOwn.contains(head) else { return false }
        return Self.comparatives.contains(surfaces[first - 1].lowercased())
    }

    static let comparatives: Set<String> = ["more", "most", "less", "least"]

    /// Subjects after which English negates a verb with "do" ("i do not recommend"), never with a
    /// bare "not".
    static let subjectPronouns: Set<String> = ["i", "you", "we", "they", "he", "she"]

    /// Whether an edit writes "not" straight after a subject pronoun where the verb would need "do":
    /// "i definitely recommend" -> "i not recommend", or at a sentence's start before a verb:
    /// "highly recommend ." -> "not recommend ." (a verb: a word the voice writes after "to" and
    /// never after "very"; "not good food", "not worth a trip" stay). `inserted` is where the
    /// edit's new words sit in `newIDs` (the sentence as edited). "we not only", "you not
    /// knowing", "i not to" stay.
    func leavesNotWithoutDo(_ newIDs: [UInt32], inserted: Range<Int>) -> Bool {
        let vocabulary = model.vocabulary
        let not = vocabulary.id("not")
        guard not != Vocabulary.unknown else { return false }
        for index in inserted where newIDs[index] == not {
            guard index > 0 else {
                guard newIDs.count > 1, Int(newIDs[1]) < vocabulary.count else { continue }
                let next = vocabulary.tokens[Int(newIDs[1])]
                if next == "only" || next.hasSuffix("ing") || isGrammarWord(next) { continue }
                let lm = model.languageModel
                if lm.hasBigram(vocabulary.id("to"), newIDs[1]) && !lm.hasBigram(vocabulary.id("very"), newIDs[1]) { return true }
                continue
            }
            let previous = newIDs[index - 1]
            guard previous != Vocabulary.unknown, Int(previous) < vocabulary.count,
                  Self.subjectPronouns.contains(vocabulary.tokens[Int(previous)]) else { continue }
            guard index + 1 < newIDs.count, Int(newIDs[index + 1]) < vocabulary.count else { return true }
            let next = vocabulary.tokens[Int(newIDs[index + 1])]
            if next == "only" || next == "to" || next.hasSuffix("ing") { continue }
            return true
        }
        return false
    }

    /// The candidates a sentence's search starts from: the `perPosition` best (by statistical
    /// score) at each position, `maxCandidates` in the sentence.
    /// A substitution's sites beyond the first `sitesPerSubstitution` come after every other
    /// candidate: a verse that says "thee" five times would otherwise fill the shortlist with
    /// them, leaving out its "Behold" and "thy" (the pipeline's later passes reach the rest).
    static func shortlist(_ all: [Candidate], maxCandidates: Int, perPosition: Int = 2) -> [Candidate] {
        guard all.count > perPosition else { return all }
        var perStart: [Int: Int] = [:], perSubstitution: [Int: Int] = [:]
        var first: [Candidate] = [], deferred: [Candidate] = []
        for candidate in all.sorted(by: { $0.score != $1.score ? $0.score > $1.score : ($0.first, $0.substitution) < ($1.first, $1.substitution) }) {
            guard perStart[candidate.first, default: 0] < perPosition else { continue }
            perStart[candidate.first, default: 0] += 1
            perSubstitution[candidate.substitution, default: 0] += 1
            if perSubstitution[candidate.substitution]! <= sitesPerSubstitution { first.append(candidate) } else { deferred.append(candidate) }
        }
        return Array((first + deferred).prefix(maxCandidates))
    }

    /// See `shortlist`.
    static let sitesPerSubstitution = 2

    /// The best set of non-overlapping candidates of a sentence by their statistics (no voice
    /// scorer). Candidates that calibration may apply choose their places first, so that a
    /// stronger-looking candidate of a source that is never applied (a finding at most) cannot
    /// crowd one out; the rest may still fill the places left as findings.
    private func bestSet(_ candidates: [Candidate], sentence: Range<Int>, ids: [UInt32], base: Double) -> [Candidate] {
        guard judgedOrigins != nil else { return beam(candidates, sentence: sentence, ids: ids, base: base) }
        let eligible = candidates.filter(judgeable)
        guard !eligible.isEmpty && eligible.count < candidates.count else { return beam(candidates, sentence: sentence, ids: ids, base: base) }
        let first = beam(eligible, sentence: sentence, ids: ids, base: base)
        let rest = candidates.filter { candidate in
            !judgeable(candidate)
                && first.allSatisfy { candidate.last < $0.first || candidate.first > $0.last }
                && first.allSatisfy { candidate.range.upperBound <= $0.range.lowerBound || candidate.range.lowerBound >= $0.range.upperBound }
        }
        return (first + beam(rest, sentence: sentence, ids: ids, base: base)).sorted { $0.first < $1.first }
    }

    /// The best set of non-overlapping candidates of a sentence, by a small beam.
    private func beam(_ all: [Candidate], sentence: Range<Int>, ids: [UInt32], base: Double) -> [Candidate] {
        var candidates = Self.shortlist(all, maxCandidates: maxCandidates)
        guard !candidates.isEmpty else { return [] }
        let sentenceIDs = Array(ids[sentence])
        // Beam over non-overlapping candidates in order; a state's score is the sum of local
        // scores plus the LM change of the sentence with all its edits.
        struct State { var chosen: [Int]; var lastWord: Int; var lastByte: Int; var local: Double; var score: Double }
        candidates.sort { ($0.first, $0.last, $0.substitution) < ($1.first, $1.last, $1.substitution) }
        var beam = [State(chosen: [], lastWord: -1, lastByte: -1, local: 0, score: 0)]
        for (c, candidate) in candidates.enumerated() {
            var next = beam
            for state in beam where candidate.first > state.lastWord && candidate.range.lowerBound >= state.lastByte {
                let chosen = state.chosen + [c]
                let local = state.local + candidates[c].localScore
                let newIDs = apply(chosen.map { candidates[$0] }, to: ids, sentence: sentence)
                let score = 0.5 * lmChange(old: sentenceIDs, oldLogP: base, new: newIDs) + local
                next.append(State(chosen: chosen, lastWord: candidate.last, lastByte: candidate.range.upperBound, local: local, score: score))
            }
            next.sort { $0.score != $1.score ? $0.score > $1.score : $0.chosen.lexicographicallyPrecedes($1.chosen) }
            beam = Array(next.prefix(beamWidth))
        }
        guard let best = beam.first else { return [] }
        return best.chosen.map { candidates[$0] }
    }

    private func apply(_ chosen: [Candidate], to ids: [UInt32], sentence: Range<Int>) -> [UInt32] {
        var result: [UInt32] = []
        var cursor = sentence.lowerBound
        for candidate in chosen {
            result += ids[cursor..<candidate.first]
            result += learnedSubstitution(candidate.substitution).after.map { model.vocabulary.id($0) }
            cursor = candidate.last + 1
        }
        result += ids[cursor..<sentence.upperBound]
        return result
    }

    private func lmChange(old: [UInt32], oldLogP: Double, new: [UInt32]) -> Double {
        let newLogP = model.languageModel.logProbability(sentence: new)
        return (newLogP / Double(new.count + 1) - oldLogP / Double(old.count + 1)) * Double(old.count + 1)
    }

    private func salienceChange(removed: ArraySlice<UInt32>, added: [String]) -> Double {
        func clipped(_ id: UInt32) -> Double { Double(min(max(model.unigramSalience[Int(id)] / 4, -1), 1)) }
        return added.reduce(0) { $0 + clipped(model.vocabulary.id($1)) } - removed.reduce(0) { $0 + clipped($1) }
    }

    private func cost(_ substitution: Substitution, removed: Int) -> Double { 0.3 + 0.1 * Double(removed + substitution.after.count) }

    private func prior(_ substitution: Substitution) -> Double {
        switch substitution.origin {
        case .pair: return 0.5 * log(1 + Double(substitution.count)) * substitution.strength
        // As a neighbour pair's: the way is one of several, its share of the word's places small.
        case .pairAlternative: return min(0.1 * log(1 + Double(substitution.count)), 0.5) - 0.2
        case .vectors: return (substitution.strength - 0.5) * 2
        // The recalled revision's likeness to the sentence: 0.4 at the least recalled (0.6), 2 at one the same.
        case .memory: return 4 * (substitution.strength - 0.5)
        case .retrieval: return min(0.1 * log(1 + Double(substitution.count)), 0.5) - 0.2
        default: return -0.3  // a thesaurus synonym fits only some senses of the word
        }
    }

    /// How a word is inflected: a past tense or participle, a plural or third person, neither as
    /// far as the word shows, or either (a past that is also its verb's base: "put"; an irregular
    /// past that is a verb of its own: "found", "lay"). Regular forms tell by their ending (-ed;
    /// -s; the archaic third person -eth: "cometh" is "comes"), irregular ones by WordNet's
    /// exception lists (`irregularForms`). Endings that as often make adjectives (-ing:
    /// "amazing"; -ly: "friendly") tell nothing and are not classes.
    enum Inflection { case ed, s, other, either }

    /// Irregular pasts and past participles that WordNet's exception lists leave out (the King
    /// James Bible's "spake", "gat"), and that stand in for them where wordnet-base is not installed.
    static let irregularPasts: Set<String> = [
        "was", "were", "had", "did", "done", "been", "went", "gone", "came", "said", "made", "gave", "given", "took", "taken",
        "saw", "seen", "knew", "known", "told", "got", "gotten", "sent", "brought", "thought", "heard", "stood",
        "ran", "spoke", "spoken", "wrote", "written", "sat", "rose", "risen", "fallen", "ate", "eaten", "drank",
        "began", "begun", "held", "kept", "led", "met", "paid", "sold", "bought", "caught", "taught", "fought",
        "sought", "built", "spent", "lost", "won", "became", "forgot", "forgotten", "understood", "drove", "driven",
        "chose", "chosen", "broke", "broken", "stole", "stolen", "threw", "thrown", "grew", "grown", "flew", "flown",
        "drew", "drawn", "wore", "worn", "tore", "torn", "hid", "hidden", "shook", "shaken", "forgave", "forgiven",
        "arose", "arisen", "slew", "slain", "smote", "smitten", "spake", "gat", "brake", "bare", "borne", "clave",
        "wrought", "sware", "sworn", "left", "meant", "slept", "swept", "wept", "dealt", "fed", "fled", "bled",
        "sang", "sung", "rang", "rung", "swam", "swum", "sank", "sunk", "shone", "struck", "stuck", "hung", "lent",
        "bent", "laid", "lain", "shown", "overcame", "wist",
    ]

    /// Third persons too short or too old for their ending to show ...
    static let irregularThirdPersons: Set<String> = ["is", "has", "does", "hath", "doth", "saith"]
    /// ... and with them the irregular plurals.
    static let irregularPluralsAndThirdPersons: Set<String> = irregularThirdPersons.union([
        "people", "men", "women", "children", "feet", "teeth", "mice", "geese", "oxen", "brethren", "kine",
    ])

    /// Pasts that are also their verb's base ("they put it down"): they tell nothing.
    static let pastsLikeTheirBase: Set<String> = [
        "put", "set", "cut", "let", "hit", "shut", "cast", "cost", "hurt", "read", "spread", "quit", "bet", "burst",
        "thrust", "shed", "split", "upset", "beat", "bid", "rid",
    ]

    /// Every irregular form this rewriter knows and its inflection: WordNet's `verb.exc` and
    /// `noun.exc` (Debian's wordnet-base: "went go", "smote smite", "children child"; a form in -ing
    /// is no class, one in -s a third person), the lists above, and as `.either` the pasts like
    /// their base and the irregular pasts that `index.verb` lists as verbs of their own ("found"
    /// as in to found a city, "lay", "saw", "fell").
    static let irregularForms: [String: Inflection] = irregularForms(directory: Thesaurus.defaultExceptionsDirectory, verbs: verbLemmas)

    /// The verbs WordNet's `index.verb` lists (wordnet-base), by their base form; empty where it is not installed.
    static let verbLemmas: Set<String> = verbLemmas(directory: Thesaurus.defaultExceptionsDirectory)

    static func verbLemmas(directory: String) -> Set<String> {
        var verbs = Set<String>()
        if let file = FileManager.default.contents(atPath: directory + "/index.verb") {
            for line in String(decoding: file, as: UTF8.self).split(separator: "\n") where !line.hasPrefix(" ") {
                if let lemma = line.split(separator: " ", maxSplits: 1).first { verbs.insert(String(lemma)) }
            }
        }
        return verbs
    }

    /// (`verbs`: `index.verb`'s lemmas in `directory`, where the caller has read them already.)
    static func irregularForms(directory: String, verbs: Set<String>? = nil) -> [String: Inflection] {
        let verbs = verbs ?? verbLemmas(directory: directory)
        var forms: [String: Inflection] = [:]
        for (form, entries) in Thesaurus.exceptionLists(directory: directory, partsOfSpeech: ["noun", "verb"])
        where !form.contains("_") && !entries.contains(where: { $0.lemma == form }) {
            if entries.contains(where: { $0.partOfSpeech == "verb" }) {
                if !form.hasSuffix("ing") { forms[form] = form.hasSuffix("s") ? .s : .ed }
            } else if !form.hasSuffix("s") {
                forms[form] = .s
            }
        }
        for word in irregularPasts { forms[word] = .ed }  // "was" ends in -s
        for word in irregularPluralsAndThirdPersons { forms[word] = .s }
        for (form, inflection) in forms where inflection == .ed && verbs.contains(form) { forms[form] = .either }
        for word in pastsLikeTheirBase { forms[word] = .either }
        return forms
    }

    static func inflection(_ word: String) -> Inflection {
        if let form = irregularForms[word] { return form }
        guard word.count > 3 else { return .other }
        if word.hasSuffix("ed") { return .ed }
        if word.hasSuffix("s") && !word.hasSuffix("ss") && !word.hasSuffix("us") && !word.hasSuffix("is") { return .s }
        // The archaic third person: "cometh", "giveth"; not "death", "teeth", "beneath".
        if word.count > 4 && word.hasSuffix("eth") && !word.hasSuffix("eath") && !word.hasSuffix("eeth") { return .s }
        return .other
    }

    /// Whether a one-word substitution learned from the corpora keeps the word's inflection
    /// ("ordered" -> "love" turns a past verb into a present one, "files" -> "file" breaks the
    /// agreement). Editors' edits and substitutions of phrases are not checked.
    static func keepsInflection(_ substitution: Substitution) -> Bool {
        guard substitution.before.count == 1, substitution.after.count == 1 else { return true }
        let (before, after) = (inflection(substitution.before[0]), inflection(substitution.after[0]))
        return before == .either || after == .either || before == after
    }

    /// Whether the one word at `first...last`, which shows no number by its form ("shit": not a
    /// plural, not a verb's "-s"), may take the substitution's plural ("things") in this place:
    /// both sides are attested (the caller asks `sides` 2, which may count a neighbour's own edit,
    /// `attestedSides(besideNeighbourEdits:)`), and neither word around it asks for a singular or
    /// marks a verb. Before it, no singular determiner ("a", "this", "one"), subject pronoun ("i
    /// shit you not"), "to" or modal; after it, no singular finite verb ("shit was dead") and no
    /// word in "-s" ("shit jobs", "shit happens"). ParaDetox's retrieval learned "shit" ->
    /// "things", which `keepsInflection` refused everywhere: "get away with shit like that", "make
    /// shit up", "throw a lot of shit at him" take it; "piece of shit" and "and shit" are the
    /// editors' phrases (`anEditorsPhraseHolds`). A count noun passes too where the voice writes
    /// it so: the Bible's retrieval "in the sight of" -> "in the eyes of"; its calibration class
    /// judges such edits with the rest of their source's.
    static func numberIsFree(_ substitution: Substitution, first: Int, last: Int, sentence: Range<Int>, text: RuleText) -> Bool {
        func word(_ index: Int) -> String { text.string(text.words[index].range).lowercased() }
        guard first == last, substitution.before.count == 1, substitution.after.count == 1, inflection(substitution.before[0]) == .other,
              inflection(substitution.after[0]) == .s, first > sentence.lowerBound, last + 1 < sentence.upperBound,
              text.onlySpaceBetween(first - 1), text.onlySpaceBetween(last) else { return false }
        let before = word(first - 1), next = word(last + 1)
        if singularDeterminers.contains(before) || subjectPronouns.contains(before) || beforeABareVerb.contains(before) { return false }
        return !singularFiniteVerbs.contains(next) && inflection(next) != .s
    }

    /// Determiners and quantifiers of one thing, or of a mass ("much").
    static let singularDeterminers: Set<String> = ["a", "an", "this", "that", "one", "each", "every", "another", "either", "neither", "much", "dat", "dis"]
    /// The singular finite verbs and their contracted and negated forms.
    static let singularFiniteVerbs: Set<String> = ["is", "was", "has", "does", "'s", "s", "isn", "wasn", "hasn", "doesn", "isnt", "wasnt", "hasnt", "doesnt",
                                                   "isn't", "wasn't", "hasn't", "doesn't"]

    /// Whether an editors' phrase (a `pair` substitution) longer than `first...last` matches
    /// words around it in the sentence, whatever became of it there.
    func anEditorsPhraseHolds(first: Int, last: Int, sentence: Range<Int>, ids: [UInt32]) -> Bool {
        for start in max(sentence.lowerBound, last + 1 - model.longestSite)...first {
            var key: UInt64 = 0
            for end in start..<min(sentence.upperBound, start + model.longestSite) {
                if ids[end] == Vocabulary.unknown { break }
                key = key << 16 | UInt64(ids[end])
                guard end >= last, end - start > last - first, let matches = model.sites[key] else { continue }
                if matches.contains(where: { learnedSubstitution($0).origin == .pair }) { return true }
            }
        }
        return false
    }

    static func isCapitalised(_ word: String) -> Bool { word.unicodeScalars.first?.properties.isUppercase ?? false }

    /// Whether word `index` of `sentence` is a name, which the entities guard keeps: a capitalised
    /// word where no sentence starts, other than "I" and its contractions, and other than a word the corpora write in
    /// lowercase (`StyleModel.writtenInLowercase`) opening a quotation after a comma, colon or
    /// semicolon, as the King James Version writes them ("saying, Thou art the Son of God").
    func isName(_ index: Int, sentence: Range<Int>, text: RuleText, surfaces: [String], ids: [UInt32]) -> Bool {
        guard index != sentence.lowerBound, Self.isCapitalised(surfaces[index]), !Self.isFirstPerson(surfaces[index]), !text.startsSentence(index) else { return false }
        return !opensAQuotation(index, sentence: sentence, text: text, surfaces: surfaces, ids: ids)
    }

    /// Whether word `index` is a capitalised word the corpora write in lowercase that opens a
    /// quotation: after a comma, colon or semicolon (`opensQuotation`), and before more words of
    /// its sentence, the next not a number ("Friday, May 3" and "Thanks, Will." are no quotations).
    func opensAQuotation(_ index: Int, sentence: Range<Int>, text: RuleText, surfaces: [String], ids: [UInt32]) -> Bool {
        guard index > sentence.lowerBound, index + 1 < sentence.upperBound, Self.isCapitalised(surfaces[index]), !Self.isFirstPerson(surfaces[index]),
              model.writtenInLowercase[Int(ids[index])], !text.words[index + 1].isNumber else { return false }
        return Self.opensQuotation(index, in: text)
    }

    /// Whether `word` is "I" or a contraction of it ("I'm", "I’ll", "I've", "I'd"): never a name.
    static func isFirstPerson(_ word: String) -> Bool {
        word == "I" || word.hasPrefix("I'") || word.hasPrefix("I\u{2019}")
    }

    /// Whether a comma, colon or semicolon (with spaces and opening quotation marks) is all that
    /// stands between word `index` and the word before it.
    /// (A straight quotation mark counts only after a space: `"Come," Will said` closes one; a line
    /// break may stand between, as in hard-wrapped text: "saying,\nThou art".)
    static func opensQuotation(_ index: Int, in text: RuleText) -> Bool {
        guard index > 0 else { return false }
        var mark = false, afterSpace = false
        let gap = text.bytes[text.words[index - 1].range.upperBound..<text.words[index].range.lowerBound]
        var i = gap.startIndex
        while i < gap.endIndex {
            switch gap[i] {
            case UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"):
                guard !mark else { return false }
                mark = true
                afterSpace = false
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): afterSpace = true
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                guard mark, afterSpace else { return false }
            case 0xE2 where i + 2 < gap.endIndex && gap[i + 1] == 0x80 && (gap[i + 2] == 0x9C || gap[i + 2] == 0x98):  // “ and ‘
                guard mark else { return false }
                i += 2
            default: return false
            }
            i += 1
        }
        return mark
    }

    /// A deletion is safe when only spaces follow the phrase before the next word of the sentence
    /// (or it ends the sentence after a space), and it leaves no word without what it needs:
    /// - a determiner before a grammar word that cannot follow one ("why the fuck not" -> "why the not");
    /// - one deleted word, a verb's or a noun's place, before its object or particle ("fuck him" ->
    ///   "him", "fuck everybody" -> "everybody", "you fuck off" -> "you off", "making shit up" ->
    ///   "making up", "no one fucks with" -> "no one with"), before a verb or a
    ///   determiner that now begins the sentence ("fucks are never given" -> "are never given",
    ///   "fuck those people" -> "those people"), or after a number ("50 bitches !" -> "50 !");
    /// - where a clause begins (the sentence, or after punctuation), the words before a modal or a
    ///   finite verb, its subject ("Why , anyone can see" -> "Why , can see");
    /// - at the sentence's end, a word that needs what follows it ("good stewards, not idiots." ->
    ///   "good stewards, not."), or a determiner just before whose noun went ("a complete ass ?" ->
    ///   "a complete ?", "this bullshit ." -> "this ."), or a verb that links a subject to what it is
    ///   ("makes notley look ridiculous ." -> "look ."), or the object of a verb that says what its
    ///   object is or becomes ("that makes them shit ." -> "makes them .", `complementVerbs`);
    /// - before a grammar word, a phrase's head whose place the word before cannot do without
    ///   ("is idiotic at best" -> "is at best", "tell bitches to rear" -> "tell to rear"): there the
    ///   word before must be a pronoun, a demonstrative, a determiner or a question word ("you idiots think",
    ///   "that shit is", "why the fuck is"), unless what follows is a particle of the verb before
    ///   ("shut the fuck up"), the phrase is a tail ("sure as fuck isn't") or a negation, or it is
    ///   one adverb of its clause (`clauseAdverbs`: "thy wives also and thy children") after no word
    ///   of degree, hedge or negation ("almost certainly"), which may also go before a comma, a
    ///   semicolon or a colon where the word before stands as at the sentence's end (`standsAtTheEnd`).
    ///
    /// A word that ends the sentence after a comma (a vocative or a tag: "weak stuff , dick .")
    /// may go, and its comma with it (`edit(for:)`), where a full stop, "!", "?" or the line's end follows.
    ///
    /// After a possessive, where the deleted words are function words ("his own"), the word that
    /// follows must read as a noun or an adjective (`afterANounMarker`).
    ///
    /// The editors' own deletion of a parenthesis (`isAParenthesis`: words between two commas, or
    /// after a comma at the sentence's end) may go with its commas whatever the words around it.
    ///
    /// The rest hold for every learned deletion: an editors' own made elsewhere as well. Where
    /// `editorsOwn` (the editors' own deletion of the phrase, or their most frequent way of
    /// changing the word: "fuck me , we 're" -> "we 're", "shit , it won 't" -> "it won 't"), a
    /// phrase that opens the sentence, or follows only opening interjections ("sure bitch , see
    /// you later" -> "sure see you later"), may also go:
    /// - with the comma after it;
    /// - before the subject of a clause (`aSubjectFollows`): a subject pronoun ("awww shit i got a
    ///   stalker"), or "it", "you", "u", "this", "that" or "there" before a finite verb ("shit it
    ///   feels like sunday"), or, for
    ///   a phrase of several words, which cannot be a verb before its object, a demonstrative
    ///   ("jesus fuck this quote needs to stop", "fuck me that was funny").
    ///
    /// A way of changing a word they more often replace is not the editors' own ("Behold, I" ->
    /// "I" where the Bible in Basic English writes "See, I").
    func canDelete(first: Int, last: Int, sentence: Range<Int>, text: RuleText, editorsOwn: Bool = false) -> Bool {
        func word(_ index: Int) -> String { text.string(text.words[index].range).lowercased() }
        // The editors' own deletion of words set off by commas, a parenthesis, goes with its commas
        // (`edit(for:)`): "Bring me, I pray thee, a morsel" -> "Bring me a morsel", and at the
        // sentence's end with the comma before it: "Smite me, I pray thee." -> "Smite me."
        // After a possessive, deleted function words must leave it a noun (or an adjective) to
        // take, as "own" may ("his own house" -> "his house"), not when they were its noun ("and
        // his own received him not" -> "and his received him not", "unto his own ." -> "unto his
        // ."). (A content word there is a modifier the editors drop: "doing my fucking nut in".)
        if first > sentence.lowerBound, text.onlySpaceBetween(first - 1), Self.possessives.contains(word(first - 1)),
           (first...last).allSatisfy({ functionWords.contains(word($0)) }) {
            // (A word the vocabulary does not hold is a rare one, most often a noun.)
            let next = last + 1 < sentence.upperBound && text.onlySpaceBetween(last) ? model.vocabulary.id(word(last + 1)) : nil
            guard let next, next == Vocabulary.unknown || afterANounMarker(next) >= Self.nounShare else { return false }
        }
        if editorsOwn && Self.isAParenthesis(first: first, last: last, sentence: sentence, text: text) { return true }
        // An adverb that comments on its clause heads no phrase and leaves no slot: it may go before
        // a grammar word ("thy wives also and thy children" -> "thy wives and thy children", "The
        // altar also was rent", "it was definitely the best"), and before a stop with the space
        // before it (`edit(for:)`: "that I may preach there also: for" -> "preach there: for"),
        // where the word before stands without it as at the sentence's end (`standsAtTheEnd`: not
        // "do it, a friend indeed, and"). Not after a word of degree, a hedge or a negation, which
        // the adverb completes ("most definitely be", "almost certainly the", "is n't really
        // good"); where it follows only opening interjections the rules for those hold ("oh really
        // , i"). Otherwise the rules below judge it as any word.
        if first == last, last + 1 < sentence.upperBound, Self.clauseAdverbs.contains(word(first)), first > sentence.lowerBound,
           text.onlySpaceBetween(first - 1), !Self.lineBreak(after: first - 1, in: text), !text.words[first - 1].isNumber,
           !Self.opensTheSentence(first: first, last: last, sentence: sentence, text: text),
           !Self.degreeWords.contains(word(first - 1)), !Self.hedges.contains(word(first - 1)), !negations.contains(word(first - 1)),
           text.onlySpaceBetween(last) || (Self.aStopFollows(last, in: text) && standsAtTheEnd(first: first, sentence: sentence, text: text)) {
            return true
        }
        if last + 1 < sentence.upperBound {
            let opening = editorsOwn && Self.opensTheSentence(first: first, last: last, sentence: sentence, text: text)
            // An interjection that opens the sentence goes with its comma: "lmfao , he is too grown"
            // -> "he is too grown", "oh shit , it 's going to fall" -> "it 's going to fall".
            if opening && text.onlyACommaBetween(last) { return true }
            guard text.onlySpaceBetween(last) else { return false }
            if opening && aSubjectFollows(first: first, last: last, sentence: sentence, text: text) { return true }
            let next = word(last + 1)
            if first == last && Self.objectsAndParticles.contains(next) { return false }
            // A bare verb after "to" or a modal is the clause's verb, and the words after it its
            // object: "getting ready to fuck ukraine 's ass" -> "to ukraine 's ass". A participle
            // or an adverb there modifies the verb that follows ("i will fucking kill").
            if first == last && first > sentence.lowerBound && text.onlySpaceBetween(first - 1)
                && Self.beforeABareVerb.contains(word(first - 1)) && !Self.modifies(word(first)) { return false }
            if first == sentence.lowerBound && (Self.determiners.contains(next) || Self.demonstratives.contains(next) || next == "if") { return false }
            // Where a clause begins (the sentence, or after a comma or other punctuation), the
            // words before a modal or a finite verb are its subject: "Why , anyone can see" ->
            // "Why , can see", "oh , shit has hit the fan" -> "oh , has hit the fan", "fucks are
            // never given" -> "are never given".
            if (first == sentence.lowerBound || !text.onlySpaceBetween(first - 1)) && Self.finiteAfterASubject.contains(next) { return false }
            if first > sentence.lowerBound && text.words[first - 1].isNumber { return false }
            if first > sentence.lowerBound, text.onlySpaceBetween(first - 1), Self.determiners.contains(word(first - 1)) {
                if isGrammarWord(next) && !Self.afterDeterminers.contains(next) { return false }
            }
            // Before a grammar word the deleted words modified nothing that follows: they were a
            // phrase's head ("is idiotic at best", "tell bitches to", "young and dumb to").
            if isGrammarWord(next) && first > sentence.lowerBound && text.onlySpaceBetween(first - 1)
                && !Self.particles.contains(next) && !Self.tails.contains(word(first))
                && !(first == last && adverbialNegations.contains(word(first))) {  // "was n't that good" -> "was that good" (where negation is not preserved)
                let before = word(first - 1)
                // (After a determiner, the rule above has judged the deletion.)
                let standsAlone = Self.pronouns.contains(before) || Self.demonstratives.contains(before) || Self.determiners.contains(before)
                    || (Self.questionWords.contains(before) && (before != "how" || last > first))  // "how dumb do they think" is a question of degree
                if !standsAlone { return false }
            }
            return true
        }
        // After a comma the word that ends the sentence is a vocative or a tag, and goes with its
        // comma: "thats some weak stuff , dick ." -> "thats some weak stuff ." (in ParaDetox's
        // training revisions editors removed all 42 such words that they change elsewhere). One
        // word, where the sentence really ends: a code span ends a prose range too, and "what
        // earlier stages changed, in order: `start..<end`" must keep its "in order".
        if first == last && first > sentence.lowerBound && text.onlyACommaBetween(first - 1) && !Self.lineBreak(after: first - 1, in: text) {
            return Self.endsTheSentence(after: last, in: text)
        }
        return standsAtTheEnd(first: first, sentence: sentence, text: text)
    }

    /// Whether the words before word `first` of `sentence` stand without it and what follows it,
    /// where a stop comes after the deleted words (`canDelete`): a word before it, joined by
    /// spaces only, that is no number and needs nothing after it (`needsComplement`), no
    /// demonstrative, no verb's object after a verb that says what its object is or becomes, and
    /// no noun right after an indefinite article.
    func standsAtTheEnd(first: Int, sentence: Range<Int>, text: RuleText) -> Bool {
        func word(_ index: Int) -> String { text.string(text.words[index].range).lowercased() }
        guard first > sentence.lowerBound, text.onlySpaceBetween(first - 1), !Self.needsComplement.contains(word(first - 1)),
              !text.words[first - 1].isNumber else { return false }
        // After a verb's object, a verb that says what its object is or becomes needs what
        // follows: "that makes them shit ." -> "that makes them ." ("i saw you ass" is a vocative).
        if first - 2 >= sentence.lowerBound, text.onlySpaceBetween(first - 2), Self.objectsAndParticles.contains(word(first - 1)),
           Self.complementVerbs.contains(word(first - 2)) { return false }
        // (Two words back only an indefinite article: "the men also ." may lose its "also"; three
        // back, with an adverb in -ly between: "a completely evil piece of shit ." -> "a completely evil .")
        return !Self.demonstratives.contains(word(first - 1))
            && !(first - 2 >= sentence.lowerBound && ["a", "an"].contains(word(first - 2)))
            && !(first - 3 >= sentence.lowerBound && ["a", "an"].contains(word(first - 3)) && word(first - 2).hasSuffix("ly"))
    }

    /// Whether words `first...last` are set off by a comma before them and a comma after them (or
    /// the sentence's end), with only spaces between their own words and no line break by them,
    /// and the comma before is theirs: not one after a verb of saying, where a quotation opens
    /// ("Elisha said, I pray thee, let a double portion" keeps "said, Let"), nor one after opening
    /// interjections only ("well , damn , i left" keeps "well ,").
    static func isAParenthesis(first: Int, last: Int, sentence: Range<Int>, text: RuleText) -> Bool {
        guard first > sentence.lowerBound, text.onlyACommaBetween(first - 1), !lineBreak(after: first - 1, in: text),
              (first..<last).allSatisfy({ text.onlySpaceBetween($0) && !lineBreak(after: $0, in: text) }) else { return false }
        func word(_ index: Int) -> String { text.string(text.words[index].range).lowercased() }
        guard !sayingVerbs.contains(word(first - 1)), !(sentence.lowerBound..<first).allSatisfy({ openingInterjections.contains(word($0)) }) else { return false }
        return last + 1 < sentence.upperBound ? text.onlyACommaBetween(last) && !lineBreak(after: last, in: text) : endsTheSentence(after: last, in: text)
    }

    /// Adverbs that comment on their clause (addition, stance, emphasis), which a clause stands
    /// without: `canDelete` lets them go before a grammar word or a stop. Not those that complete a
    /// word or a phrase ("instead of", "or else", "too big"), nor those as often adverbs of manner
    /// or parts of idioms ("do likewise", "took it literally", "yours truly", "is there anyway").
    static let clauseAdverbs: Set<String> = ["also", "moreover", "furthermore", "indeed", "verily", "surely", "really", "actually",
                                             "absolutely", "definitely", "certainly", "obviously", "basically", "probably", "therefore"]
    /// Words that hedge the adverb after them, which then says how sure the clause is: "almost
    /// certainly", "hardly ever" (a negation before it is kept by `negations`: "is n't really").
    static let hedges: Set<String> = ["almost", "nearly", "hardly", "barely", "scarcely"]

    /// Possessive determiners, which need a noun after them.
    static let possessives: Set<String> = ["my", "your", "his", "her", "our", "their", "its", "thy", "thine", "mine"]

    /// Verbs of saying, after which a comma opens a quotation.
    static let sayingVerbs: Set<String> = ["say", "says", "said", "saying", "saith", "sayest", "spake", "spoke", "speaketh", "answered",
                                           "answering", "cried", "asked", "replied", "called", "wrote", "told", "tell", "declared"]

    /// Whether the sentence ends after word `index`: a full stop, "!", "?" or a line break comes
    /// before the next word in the word's prose (not inside a code span after it: "`start..<end`"),
    /// or the text ends, in that prose, with only spaces after it.
    static func endsTheSentence(after index: Int, in text: RuleText) -> Bool {
        let gap = gap(after: index, in: text)
        if gap.contains(where: { [UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: "\n")].contains($0) }) { return true }
        return index + 1 == text.words.count && text.words[index].proseEnd >= text.bytes.count
            && gap.allSatisfy { [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains($0) }
    }

    /// Whether punctuation that closes a phrase inside a sentence comes right after word `index`,
    /// in its prose and on its line: a comma, a semicolon, a colon, or an ASCII closing bracket or
    /// double quote ("there also:", not "really-good"; a full stop ends the sentence instead).
    static func aStopFollows(_ index: Int, in text: RuleText) -> Bool {
        guard let first = gap(after: index, in: text).first, !lineBreak(after: index, in: text) else { return false }
        return Array(",;:)]\"".utf8).contains(first)
    }

    /// The bytes between word `index` and the next word, within the word's prose (to its end where no word follows).
    static func gap(after index: Int, in text: RuleText) -> ArraySlice<UInt8> {
        let start = text.words[index].range.upperBound
        let end = min(index + 1 < text.words.count ? text.words[index + 1].range.lowerBound : text.bytes.count, text.words[index].proseEnd)
        return text.bytes[start..<max(start, end)]
    }

    /// The most words a deleted interjection that opens a sentence, comma and all, may have ("oh shit ,").
    static let openingInterjectionWords = 3
    /// Words that open a sentence as interjections, before an editors' deletion that then counts
    /// as opening it too ("awww shit i got a stalker", "sure bitch , see you later").
    static let openingInterjections: Set<String> = ["oh", "ohh", "ah", "ahh", "aw", "aww", "awww", "well", "wow", "sure", "ok", "okay",
                                                    "yeah", "yea", "yes", "yo", "hey", "lol", "lmao", "haha", "omg", "ugh", "eww", "man"]
    /// Whether the phrase `first...last` opens its sentence: it has at most
    /// `openingInterjectionWords` words, and is the sentence's first or only opening interjections
    /// come before it, with nothing but spaces between ("awww shit", "sure bitch ,").
    static func opensTheSentence(first: Int, last: Int, sentence: Range<Int>, text: RuleText) -> Bool {
        guard last - first < openingInterjectionWords, text.startsSentence(sentence.lowerBound) else { return false }
        return (sentence.lowerBound..<first).allSatisfy {
            openingInterjections.contains(text.string(text.words[$0].range).lowercased()) && text.onlySpaceBetween($0)
        }
    }
    /// Pronouns that are always a subject: the subject pronouns but "you" ("fuck you"; nor is "it": "fuck it").
    static let alwaysSubjects = subjectPronouns.subtracting(["you"])
    /// Words after a subject that show it is one: the modals and finite verbs, their contracted and
    /// negated forms ("it won 't", "that isn 't", "you 're").
    static let afterASubject: Set<String> = finiteAfterASubject.union([
        "'ll", "'d", "'ve", "wo", "won", "ca", "ain't", "aint", "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't",
        "won't", "wouldn't", "can't", "couldn't", "shouldn't", "hasn't", "haven't", "hadn't", "dont", "doesnt", "didnt", "isnt", "wasnt",
        "arent", "werent", "wont", "wouldnt", "cant", "couldnt", "shouldnt",
    ])

    /// Whether the words after `first...last` begin a clause with its subject, so that the phrase,
    /// opening the sentence, stood apart from it as an exclamation (`canDelete`): a subject
    /// pronoun; "it", "you", "u", "this", "that" or "there" before a modal or a finite form of
    /// "be", "have" or "do" ("it won 't", "that is"; "fuck you if" and "fuck this bus" are a verb
    /// and its object), or "it" before a word in "-s" the voice writes after it ("it feels"; not
    /// "fuck it guys"); after a phrase of several words, a demonstrative.
    func aSubjectFollows(first: Int, last: Int, sentence: Range<Int>, text: RuleText) -> Bool {
        func word(_ index: Int) -> String { text.string(text.words[index].range).lowercased() }
        guard last + 1 < sentence.upperBound else { return false }
        let next = word(last + 1)
        if Self.alwaysSubjects.contains(next) { return true }
        if last > first && Self.demonstratives.contains(next) { return true }
        guard ["it", "you", "u", "this", "that", "there"].contains(next), last + 2 < sentence.upperBound, text.onlySpaceBetween(last + 1) else { return false }
        let verb = word(last + 2)
        if Self.afterASubject.contains(verb) { return true }
        return next == "it" && Self.inflection(verb) == .s && model.languageModel.hasBigram(model.vocabulary.id(next), model.vocabulary.id(verb))
    }

    /// Words a verb's bare form follows: "to" and the modals.
    static let beforeABareVerb: Set<String> = modals.union(["to", "gonna", "wanna", "gotta", "'d"])

    /// Whether `word` reads as a participle or an adverb by its ending ("fucking", "damned", "really").
    static func modifies(_ word: String) -> Bool {
        word.hasSuffix("ing") || word.hasSuffix("ed") || word.hasSuffix("ly") || word.hasSuffix("in")
    }

    /// Articles and possessive determiners, which a noun phrase must follow.
    static let determiners: Set<String> = ["a", "an", "the", "my", "your", "our", "their", "its"]
    static let demonstratives: Set<String> = ["this", "that", "these", "those", "dat", "dis"]
    /// The grammar words that may follow a determiner ("the very best", "a few", "my own").
    static let afterDeterminers: Set<String> = ["very", "more", "most", "few", "other", "same", "only", "own", "much", "many"]
    /// Words that take their meaning from the verb or noun before them: objects, possessives,
    /// particles and "with" ("no one fucks with my family" -> "no one with my family").
    static let objectsAndParticles: Set<String> = ["him", "me", "them", "us", "you", "u", "ya", "it", "your", "ur", "my", "his", "their", "our",
                                                   "everybody", "everyone", "everything", "anybody", "anyone", "somebody", "someone",
                                                   "up", "off", "out", "about", "down", "away", "with"]
    /// Words that stand without the phrase after them: personal pronouns, and "oh".
    static let pronouns: Set<String> = ["i", "you", "he", "she", "it", "we", "they", "me", "him", "her", "us", "them", "u", "oh"]
    static let questionWords: Set<String> = ["what", "why", "who", "where", "when", "which", "how", "whatever", "whoever", "wherever"]
    /// Particles that join a verb across a deleted phrase ("shut the fuck up" -> "shut up").
    static let particles: Set<String> = ["up", "on", "out", "off", "over"]
    /// Words that begin a phrase's tail, which may go as a whole ("free as shit", "crying n shit").
    static let tails: Set<String> = ["as", "and", "n", "or", "&"]
    /// The forms of "be" that cannot begin a statement.
    static let finiteBe: Set<String> = ["is", "are", "was", "were", "am", "'s", "'re", "'m"]
    /// Words that follow a clause's subject: the modals and the finite forms of "be", "have" and "do".
    static let finiteAfterASubject: Set<String> = modals.union(finiteBe).union(["has", "have", "had", "hath", "hast", "does", "did", "doth", "dost"])

    /// Words that cannot end a sentence: articles and possessives, negations, prepositions,
    /// conjunctions, the forms of "be" and "do", and intensifiers.
    static let needsComplement: Set<String> = [
        "a", "an", "the", "my", "your", "our", "their", "its", "not", "no", "never", "of", "to", "for", "with", "from", "by", "at", "like", "about", "into",
        "in", "on", "onto", "upon", "over", "under", "through", "inside", "against", "toward", "towards", "do", "does", "did",
        "than", "and", "or", "but", "nor", "is", "are", "was", "were", "be", "been", "am", "most", "more", "very", "so", "such",
        // Verbs that link a subject to what it is ("makes notley look ridiculous ." -> "look ."), and
        // the possessives of chat ("steal yo shit").
        "look", "looks", "looked", "seem", "seems", "seemed", "sound", "sounds", "sounded", "become", "becomes", "became",
        "yo", "ur", "ya", "muh",
    ]

    /// Verbs whose object takes a complement after it: what it is called, made or kept ("makes
    /// them shit", "called him an idiot", "drives me crazy").
    static let complementVerbs: Set<String> = [
        "make", "makes", "made", "making", "call", "calls", "called", "calling", "keep", "keeps", "kept", "keeping",
        "leave", "leaves", "leaving", "consider", "considers", "considered", "find", "finds", "found", "name", "names", "named",
        "drive", "drives", "drove", "driving", "prove", "proves", "proved", "think", "thinks", "thought",
    ]

    /// Whether a line break separates word `index` from the next.
    static func lineBreak(after index: Int, in text: RuleText) -> Bool {
        guard index + 1 < text.words.count else { return false }
        return text.bytes[text.words[index].range.upperBound..<text.words[index + 1].range.lowerBound].contains(UInt8(ascii: "\n"))
    }

    /// The located edit that makes `candidate`: its range in the text and what replaces it; nil
    /// when it would have to join two lines (a deletion at the end of a line takes the space
    /// before it, and one with a line break on both sides is not made: plain text may hold one
    /// record a line).
    private func edit(for candidate: Candidate, sentence: Range<Int>, text: RuleText, surfaces: [String], ids: [UInt32]) -> (Range<Int>, String)? {
        let words = text.words
        let substitution = learnedSubstitution(candidate.substitution)
        // (A capital that opens a quotation after a comma or colon is kept as at a sentence's start.)
        let sentenceStart = candidate.first == sentence.lowerBound ? text.startsSentence(candidate.first)
            : opensAQuotation(candidate.first, sentence: sentence, text: text, surfaces: surfaces, ids: ids)
        var range: Range<Int>
        var replacement: String
        var start = candidate.first
        if substitution.after.isEmpty {
            let breakAfter = Self.lineBreak(after: candidate.last, in: text)
            let breakBefore = candidate.first > sentence.lowerBound && Self.lineBreak(after: candidate.first - 1, in: text)
            if candidate.last + 1 < sentence.upperBound && !breakAfter {
                let next = words[candidate.last + 1]
                if Self.isAParenthesis(first: candidate.first, last: candidate.last, sentence: sentence, text: text) {
                    // A parenthesis goes with both its commas: "me, I pray thee, a" -> "me a" (only
                    // the editors' own deletion is one, `canDelete`: others stop at a comma). A
                    // capital inside it opens no quotation: "Give me, Lord, a morsel" -> "Give me a morsel".
                    range = words[candidate.first - 1].range.upperBound..<next.range.lowerBound
                    replacement = " "
                } else if !sentenceStart, !breakBefore, candidate.first == candidate.last,
                          Self.clauseAdverbs.contains(surfaces[candidate.first].lowercased()), candidate.first > sentence.lowerBound,
                          !text.onlySpaceBetween(candidate.last), Self.aStopFollows(candidate.last, in: text),
                          text.onlySpaceBetween(candidate.first - 1),
                          !Self.opensTheSentence(first: candidate.first, last: candidate.last, sentence: sentence, text: text) {
                    // Before a stop the words go with the space before them, and the stop stays:
                    // "preach there also: for" -> "preach there: for" (`canDelete` allows a deletion
                    // before one to `clauseAdverbs` only; after only opening interjections the
                    // comma goes with the deletion, below: "oh really , i" -> "oh i").
                    range = words[candidate.first - 1].range.upperBound..<words[candidate.last].range.upperBound
                    replacement = ""
                } else if sentenceStart {
                    // The word that now opens the sentence takes its capital only from a writer who
                    // writes one there: "damn when will it stop" -> "when will it stop".
                    range = words[candidate.first].range.lowerBound..<next.range.upperBound
                    let capital = surfaces[candidate.first].first?.isUppercase ?? false
                    replacement = capital ? Casing.capitalised.apply(to: text.string(next.range)) : text.string(next.range)
                } else {
                    range = words[candidate.first].range.lowerBound..<next.range.lowerBound
                    replacement = ""
                }
            } else {
                // (Only a space may go with it, or at the sentence's end a comma: "right , shit\nok"
                // keeps its comma and its word, "weak stuff , dick ." loses both.)
                guard candidate.first > sentence.lowerBound, !breakBefore, text.onlySpaceBetween(candidate.first - 1)
                        || (candidate.last + 1 >= sentence.upperBound && text.onlyACommaBetween(candidate.first - 1)) else { return nil }
                range = words[candidate.first - 1].range.upperBound..<words[candidate.last].range.upperBound
                replacement = ""
            }
        } else {
            // Words the substitution keeps at its start or end stay out of the edit: "this shit" ->
            // "this thing" edits "shit" only, "fucked up" -> "messed up" "fucked" only.
            let (before, after) = (substitution.before, substitution.after)
            let afterWords = substitution.afterText.split(separator: " ")
            var afterText = substitution.afterText
            var end = candidate.last
            if afterWords.count == after.count {
                var (head, tail) = (0, 0)
                while head + 1 < before.count && head + 1 < after.count && before[head] == after[head]
                    && surfaces[candidate.first + head].lowercased() == after[head] { head += 1 }
                while head + tail + 1 < before.count && head + tail + 1 < after.count && before[before.count - 1 - tail] == after[after.count - 1 - tail]
                    && surfaces[candidate.last - tail].lowercased() == after[after.count - 1 - tail] { tail += 1 }
                (start, end) = (candidate.first + head, candidate.last - tail)
                afterText = afterWords[head..<(afterWords.count - tail)].joined(separator: " ")
            }
            range = words[start].range.lowerBound..<words[end].range.upperBound
            // ("I" has a capital of its own: "and I pray thee" -> "and please".)
            let casing = Self.isFirstPerson(surfaces[start]) && !(sentenceStart && start == candidate.first) ? Casing.lower : Casing(of: surfaces[start])
            let plain = Casing(of: afterText) == .lower
            replacement = plain || casing == .upper ? casing.apply(to: afterText) : afterText
            if sentenceStart && start == candidate.first && casing == .capitalised { replacement = Casing.capitalised.apply(to: replacement) }
        }
        // The article agrees with the word that now follows it: "a fucking anchor" -> "an anchor".
        if let articleRange = TermsStage.article(before: start, in: text) {
            let following = !substitution.after.isEmpty ? replacement
                : candidate.last + 1 < sentence.upperBound ? text.string(words[candidate.last + 1].range) : ""
            let current = text.string(articleRange)
            if let wanted = TermsStage.Article(before: following), current.lowercased() != wanted.rawValue {
                let article = current.first!.isUppercase ? Casing.capitalised.apply(to: wanted.rawValue) : wanted.rawValue
                replacement = article + text.string(articleRange.upperBound..<range.lowerBound) + replacement
                range = articleRange.lowerBound..<range.upperBound
            }
        }
        return (range, replacement)
    }

    private func makeProposal(_ candidate: Candidate, sentence: Range<Int>, text: RuleText, surfaces: [String]) -> Proposal? {
        let words = text.words
        let substitution = learnedSubstitution(candidate.substitution)
        let confidence = 1 / (1 + exp(-2 * candidate.score))
        let before = text.string(words[candidate.first].range.lowerBound..<words[candidate.last].range.upperBound)
        let (range, replacement) = (candidate.range, candidate.replacement)
        let what = substitution.after.isEmpty ? "delete '\(before)'" : "'\(before)' -> '\(replacement)'"
        let source: String
        switch substitution.origin {
        case .pair where substitution.example.hasPrefix(SubstitutionLearner.patternPrefix): source = "pair " + substitution.example
        case .pair: source = "pair phrase: editors made this change \(substitution.count)× in corpus.pairs (\(Int((substitution.strength * 100).rounded()))% of the times they saw it)"
        case .thesaurus: source = "thesaurus: a synonym the voice prefers (z \(String(format: "%.1f", substitution.strength)))"
        case .retrieval, .memory: source = substitution.example
        case .pairAlternative: source = "pair alternative: " + substitution.example
        default: source = substitution.after.isEmpty || substitution.example.contains("opposite") ? substitution.example : "vectors: off-voice word; the voice uses '\(substitution.afterText)' in the same contexts (cosine \(String(format: "%.2f", substitution.strength)))"
        }
        let reason = "learned: \(what): \(source); score \(String(format: "%.2f", candidate.score))"
        var proposal = Proposal(edit: Edit(range: range, replacement: replacement, rule: "learned", reason: reason,
            confidence: confidence, origin: substitution.origin), score: candidate.score)
        if substitution.origin == .pair { proposal.revisions = substitution.count }
        return proposal
    }
}
