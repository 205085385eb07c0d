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
/// With a fine-tuned voice scorer (`voice`), each edit the beam chose is then judged on its
/// sentence: the sentence with that edit alone against the sentence as written, all of a
/// document's sentences in one batched encoder call. The score becomes
/// `score + λ·(logit_after − logit_before)` with λ = `voiceWeight` (1), where the logits are the
/// scorer's log-odds of on-voice; an edit whose combined score is not positive is dropped, as a
/// statistical candidate with a score ≤ 0 is. The meaning guard compares the frozen encoder's
/// embeddings of the two sentences (the voice axis left out): below `minSimilarity` the edit is
/// marked `meaningChanged` (the stage reports it and does not apply it), or below the lower
/// similarity `NeuralVoice.Comparison.requiredSimilarity` asks of an edit that carries the
/// sentence across into the voice.
public struct LearnedRewriter: Sendable {
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
    /// The sources whose proposals the voice scorer judges (nil: all), each from a statistical
    /// score on. A source that calibration never applies, or a proposal whose statistics are
    /// below every one calibration applied, needs no encoder pass: it is a finding on its
    /// statistics alone (so this can only hold edits back, never apply more).
    public var judgedOrigins: [EditOrigin: Double]?

    public init(model: StyleModel, preserve: [PreservedKind], voice: NeuralVoice? = nil, minSimilarity: Double = 0.85) {
        self.model = model
        self.preserve = Set(preserve)
        self.voice = voice
        self.minSimilarity = minSimilarity
    }

    /// One proposed edit with its confidence.
    public struct Proposal: Sendable {
        public var edit: Edit
        public var score: Double
        /// The voice scorer's verdict on the edit's sentence (nil without a scorer).
        public var voice: NeuralVoice.Comparison?
        /// The edit changes the sentence's meaning more than `rewrite.min_similarity` allows.
        public var meaningChanged = false
        /// The score from the statistics alone, before the voice scorer's gain.
        public var statisticalScore: Double { statistical ?? score }
        var statistical: Double?
    }

    struct Candidate {
        var first: Int, last: Int          // word indices, inclusive
        var substitution: Int
        var localScore: Double            // salience + prior - cost
        var score: Double                 // with the LM change alone
        var newIDs: [UInt32]
        /// The bytes the edit replaces (a deletion also takes a space, and may re-case the next word).
        var range: Range<Int> = 0..<0
        var replacement = ""
    }

    /// Proposals for the prose words of `text`, sorted by position.
    public func proposals(for text: RuleText) -> [Proposal] {
        var ignored: [GuardEvent] = []
        return proposals(for: text, guardEvents: &ignored)
    }

    /// Proposals as above; `guardEvents` receives every learned edit that a `rewrite.preserve`
    /// guard kept from being considered (a number, a name or a negation it would have changed).
    public func proposals(for text: RuleText, guardEvents: inout [GuardEvent]) -> [Proposal] {
        let words = text.words
        guard !words.isEmpty, !model.sites.isEmpty else { return [] }
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
        let topics = topicWords(ids)
        var result: [Proposal] = []
        var sentences: [Range<Int>] = []  // the byte range of each proposal's sentence
        var start = 0
        while start < words.count {
            var end = start + 1
            while end < words.count && !Self.sentenceBreak(text, words[end - 1], words[end]) { end += 1 }
            let found = proposals(in: start..<end, text: text, ids: ids, guarded: guarded, surfaces: surfaces, topics: topics, guardEvents: &guardEvents)
            if !found.isEmpty {
                // The sentence runs to the end of its last word and the punctuation after it.
                var upper = words[end - 1].range.upperBound
                while upper < min(text.bytes.count, words[end - 1].proseEnd) && ![0x20, 0x0A, 0x09, 0x0D].contains(text.bytes[upper]) { upper += 1 }
                let range = words[start].range.lowerBound..<upper
                result += found
                sentences += found.map { _ in range }
            }
            start = end
        }
        guard let voice, !result.isEmpty else { return result }
        return judge(result, sentences: sentences, text: text, voice: voice)
    }

    /// Adds the voice scorer's gain to each proposal's score and applies the meaning guard.
    private func judge(_ all: [Proposal], sentences allSentences: [Range<Int>], text: RuleText, voice: NeuralVoice) -> [Proposal] {
        var proposals: [Proposal] = [], sentences: [Range<Int>] = [], unjudged: [Proposal] = []
        for (proposal, sentence) in zip(all, allSentences) {
            if judgedOrigins.map({ $0[proposal.edit.origin].map { proposal.score >= $0 } ?? false }) ?? true {
                proposals.append(proposal)
                sentences.append(sentence)
            } else {
                unjudged.append(proposal)
            }
        }
        guard !proposals.isEmpty else { return unjudged }
        let pairs = zip(proposals, sentences).map { proposal, sentence in
            let edit = proposal.edit
            let before = text.string(sentence)
            let after = text.string(sentence.lowerBound..<edit.range.lowerBound) + edit.replacement + text.string(edit.range.upperBound..<sentence.upperBound)
            return (before: before, after: after)
        }
        let comparisons = voice.compare(pairs)
        var result: [Proposal] = []
        for (var proposal, comparison) in zip(proposals, comparisons) {
            let statistical = proposal.score
            proposal.statistical = statistical
            proposal.score = statistical + voiceWeight * comparison.logitGain
            guard proposal.score > 0 else { continue }
            proposal.voice = comparison
            let required = comparison.requiredSimilarity(minSimilarity)
            proposal.meaningChanged = comparison.similarity < required
            proposal.edit.confidence = 1 / (1 + exp(-2 * proposal.score))
            if let scoreRange = proposal.edit.reason.range(of: "; score ", options: .backwards) {
                proposal.edit.reason.removeSubrange(scoreRange.lowerBound...)
            }
            proposal.edit.reason += String(format: "; score %.2f (statistics %.2f, voice %+.2f); voice %.2f → %.2f, similarity %.2f",
                                           proposal.score, statistical, voiceWeight * comparison.logitGain,
                                           comparison.voiceBefore, comparison.voiceAfter, comparison.similarity)
            if required < minSimilarity {
                proposal.edit.reason += String(format: " (%.2f asked: the edit carries the sentence into the voice)", (required * 100).rounded(.up) / 100)
            }
            result.append(proposal)
        }
        guard !unjudged.isEmpty else { return result }
        return (result + unjudged).sorted { $0.edit.range.lowerBound < $1.edit.range.lowerBound }
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
    /// standby servers). Only editors' own revisions (pair edits) may replace them: a word that
    /// shares contexts with another is as often its sibling or antonym as its paraphrase.
    func topicWords(_ ids: [UInt32]) -> Set<UInt32> {
        var counts: [UInt32: Int] = [:]
        for id in ids where id >= 4 { counts[id, default: 0] += 1 }
        var topics = Set<UInt32>()
        for (id, count) in counts where count >= 2 && !functionWords.contains(model.vocabulary.tokens[Int(id)]) { topics.insert(id) }
        return topics
    }

    /// Whether the voice corpus writes the edited words next to the words around them: the slot
    /// "left [new words] right" must be attested on both sides (for a deletion, "left right").
    /// Sentence ends count as words. Out-of-domain text, whose words the voice never uses around
    /// the site, gets no learned edits this way.
    func attested(_ substitution: Substitution, first: Int, last: Int, sentence: Range<Int>, ids: [UInt32]) -> Bool {
        let lm = model.languageModel
        let left = first > sentence.lowerBound ? ids[first - 1] : Vocabulary.sentenceStart
        let right = last + 1 < sentence.upperBound ? ids[last + 1] : Vocabulary.sentenceEnd
        let after = substitution.after.map { model.vocabulary.id($0) }
        guard let head = after.first, let tail = after.last else { return lm.hasBigram(left, right) }
        return lm.hasBigram(left, head) && lm.hasBigram(tail, right)
    }

    private func proposals(in sentence: Range<Int>, text: RuleText, ids: [UInt32], guarded: [Bool], surfaces: [String],
                           topics: Set<UInt32>, guardEvents: inout [GuardEvent]) -> [Proposal] {
        var candidates: [Candidate] = []
        let sentenceIDs = Array(ids[sentence])
        var baseline: Double?
        for first in sentence {
            var key: UInt64 = 0
            for last in first..<min(sentence.upperBound, first + model.longestSite) {
                if last > first && !text.onlySpaceBetween(last - 1) { break }
                // Unknown words are in no site (and id 0 would make a packed key ambiguous).
                if guarded[last] || ids[last] == Vocabulary.unknown {
                    if guarded[last], let matches = model.sites[key << 16 | UInt64(ids[last])] {
                        guardEvents.append(GuardEvent(.numbers, text, words: first...last, substitution: model.substitutions[matches[0]]))
                    }
                    break
                }
                key = key << 16 | UInt64(ids[last])
                guard let matches = model.sites[key] else { continue }
                // Names: a capitalised word that does not start the sentence is left alone.
                if preserve.contains(.entities), (first...last).contains(where: { $0 != sentence.lowerBound && Self.isCapitalised(surfaces[$0]) && !text.startsSentence($0) }) {
                    guardEvents.append(GuardEvent(.entities, text, words: first...last, substitution: model.substitutions[matches[0]]))
                    continue
                }
                for index in matches {
                    let substitution = model.substitutions[index]
                    // A negation may change form (do not -> don't) but never appear or disappear.
                    if preserve.contains(.negation) && substitution.after.filter(negations.contains).count != substitution.before.filter(negations.contains).count {
                        guardEvents.append(GuardEvent(.negation, text, words: first...last, substitution: substitution))
                        continue
                    }
                    if substitution.after.isEmpty && !canDelete(first: first, last: last, sentence: sentence, text: text) { continue }
                    // A topic word is replaced by nothing learned, except an editors' edit of a longer phrase.
                    if (substitution.origin != .pair || first == last) && (first...last).contains(where: { topics.contains(ids[$0]) }) { continue }
                    if substitution.origin != .pair {
                        if !attested(substitution, first: first, last: last, sentence: sentence, ids: ids) { continue }
                    }
                    var newIDs = Array(ids[sentence.lowerBound..<first])
                    newIDs += substitution.after.map { model.vocabulary.id($0) }
                    newIDs += ids[(last + 1)..<sentence.upperBound]
                    let base = baseline ?? model.languageModel.logProbability(sentence: sentenceIDs)
                    baseline = base
                    let lm = lmChange(old: sentenceIDs, oldLogP: base, new: newIDs)
                    let local = salienceChange(removed: ids[first...last], added: substitution.after) - cost(substitution, removed: last - first + 1) + prior(substitution)
                    let score = 0.5 * lm + local
                    if score > 0 {
                        var candidate = Candidate(first: first, last: last, substitution: index, localScore: local, score: score, newIDs: newIDs)
                        (candidate.range, candidate.replacement) = edit(for: candidate, sentence: sentence, text: text, surfaces: surfaces)
                        candidates.append(candidate)
                    }
                }
            }
        }
        guard !candidates.isEmpty, let base = baseline else { return [] }
        // Candidates that calibration may apply choose their places first, so that a stronger-looking
        // candidate of a source that is never applied (a finding at most) cannot crowd one out;
        // the rest may still fill the places left as findings.
        if let judgedOrigins {
            func applicable(_ candidate: Candidate) -> Bool {
                judgedOrigins[model.substitutions[candidate.substitution].origin].map { candidate.score >= $0 } ?? false
            }
            let eligible = candidates.filter(applicable)
            if !eligible.isEmpty && eligible.count < candidates.count {
                let first = bestSet(eligible, sentence: sentence, ids: ids, sentenceIDs: sentenceIDs, base: base)
                let rest = candidates.filter { candidate in
                    !applicable(candidate)
                        && first.allSatisfy { candidate.last < $0.first || candidate.first > $0.last }
                        && first.allSatisfy { candidate.range.upperBound <= $0.range.lowerBound || candidate.range.lowerBound >= $0.range.upperBound }
                }
                let chosen = (first + bestSet(rest, sentence: sentence, ids: ids, sentenceIDs: sentenceIDs, base: base)).sorted { $0.first < $1.first }
                return chosen.compactMap { makeProposal($0, sentence: sentence, text: text, surfaces: surfaces) }
            }
        }
        return bestSet(candidates, sentence: sentence, ids: ids, sentenceIDs: sentenceIDs, base: base)
            .compactMap { makeProposal($0, sentence: sentence, text: text, surfaces: surfaces) }
    }

    /// The best set of non-overlapping candidates of a sentence, by a small beam.
    private func bestSet(_ all: [Candidate], sentence: Range<Int>, ids: [UInt32], sentenceIDs: [UInt32], base: Double) -> [Candidate] {
        var candidates = all
        guard !candidates.isEmpty else { return [] }
        // Keep the beam small: the two best candidates at each position, twelve in the sentence.
        if candidates.count > 2 {
            candidates.sort { $0.score != $1.score ? $0.score > $1.score : ($0.first, $0.substitution) < ($1.first, $1.substitution) }
            var perStart: [Int: Int] = [:]
            candidates = candidates.filter { candidate in
                perStart[candidate.first, default: 0] += 1
                return perStart[candidate.first]! <= 2
            }
            candidates = Array(candidates.prefix(maxCandidates))
        }
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
            result += model.substitutions[candidate.substitution].after.map { model.vocabulary.id($0) }
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
        case .vectors: return (substitution.strength - 0.5) * 2
        case .retrieval: return min(0.1 * log(1 + Double(substitution.count)), 0.5) - 0.2
        default: return -0.3  // a thesaurus synonym fits only some senses of the word
        }
    }

    static func isCapitalised(_ word: String) -> Bool { word.unicodeScalars.first?.properties.isUppercase ?? false }

    /// A deletion is safe when only spaces follow the phrase before the next word of the sentence
    /// (or it ends the sentence after a space).
    private func canDelete(first: Int, last: Int, sentence: Range<Int>, text: RuleText) -> Bool {
        if last + 1 < sentence.upperBound { return text.onlySpaceBetween(last) }
        // Deleting a sentence's last words must not leave a word that needs what follows it
        // ("good stewards, not idiots." -> "good stewards, not.").
        return first > sentence.lowerBound && text.onlySpaceBetween(first - 1)
            && !Self.needsComplement.contains(text.string(text.words[first - 1].range).lowercased())
    }

    /// Words that cannot end a sentence: articles and possessives, negations, prepositions,
    /// conjunctions, the forms of "be" and intensifiers.
    static let needsComplement: Set<String> = [
        "a", "an", "the", "my", "your", "our", "their", "not", "no", "never", "of", "to", "for", "with", "from", "by", "at",
        "than", "and", "or", "but", "nor", "is", "are", "was", "were", "be", "been", "am", "most", "more", "very", "so", "such",
    ]

    private func edit(for candidate: Candidate, sentence: Range<Int>, text: RuleText, surfaces: [String]) -> (Range<Int>, String) {
        let words = text.words
        let substitution = model.substitutions[candidate.substitution]
        let sentenceStart = candidate.first == sentence.lowerBound && text.startsSentence(candidate.first)
        var range: Range<Int>
        var replacement: String
        if substitution.after.isEmpty {
            if candidate.last + 1 < sentence.upperBound {
                let next = words[candidate.last + 1]
                if sentenceStart {
                    range = words[candidate.first].range.lowerBound..<next.range.upperBound
                    replacement = Casing.capitalised.apply(to: text.string(next.range))
                } else {
                    range = words[candidate.first].range.lowerBound..<next.range.lowerBound
                    replacement = ""
                }
            } else {
                range = words[candidate.first - 1].range.upperBound..<words[candidate.last].range.upperBound
                replacement = ""
            }
        } else {
            range = words[candidate.first].range.lowerBound..<words[candidate.last].range.upperBound
            let casing = Casing(of: surfaces[candidate.first])
            let plain = Casing(of: substitution.afterText) == .lower
            replacement = plain || casing == .upper ? casing.apply(to: substitution.afterText) : substitution.afterText
            if sentenceStart && casing == .capitalised { replacement = Casing.capitalised.apply(to: replacement) }
        }
        // The article agrees with the word that now follows it: "a fucking anchor" -> "an anchor".
        if let articleRange = TermsStage.article(before: candidate.first, in: text) {
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
        let substitution = model.substitutions[candidate.substitution]
        let confidence = 1 / (1 + exp(-2 * candidate.score))
        let before = text.string(words[candidate.first].range.lowerBound..<words[candidate.last].range.upperBound)
        let (range, replacement) = (candidate.range, candidate.replacement)
        let what = substitution.after.isEmpty ? "delete '\(before)'" : "'\(before)' -> '\(replacement)'"
        let source: String
        switch substitution.origin {
        case .pair: source = "pair phrase: editors made this change \(substitution.count)× in corpus.pairs (\(Int((substitution.strength * 100).rounded()))% of the times they saw it)"
        case .thesaurus: source = "thesaurus: a synonym the voice prefers (z \(String(format: "%.1f", substitution.strength)))"
        case .retrieval: source = substitution.example
        default: source = "vectors: off-voice word; the voice uses '\(substitution.afterText)' in the same contexts (cosine \(String(format: "%.2f", substitution.strength)))"
        }
        let reason = "learned: \(what): \(source); score \(String(format: "%.2f", candidate.score))"
        return Proposal(edit: Edit(range: range, replacement: replacement, rule: "learned", reason: reason,
            confidence: confidence, origin: substitution.origin), score: candidate.score)
    }
}
