import Foundation

/// What `housestyle eval` measured: per sentence and for the whole set.
public struct EvaluationReport: Sendable {
    public struct Sentence: Sendable {
        public var source: String
        public var output: String
        public var references: [String]
        /// Edits the pipeline applied (all stages).
        public var appliedEdits = 0
        /// Sentence BLEU (effective order) and chrF against the references; nil without references.
        public var bleu: Double?
        public var chrF: Double?
        /// Token edits source -> output, source -> the best-agreeing reference, and how many agree.
        package var systemEdits: [TokenEdit] = []
        package var referenceEdits: [TokenEdit] = []
        public var matchedEdits = 0
        /// Of the system's edits, how many, each made alone, bring the source closer to a reference
        /// (word-level Levenshtein distance over 13a tokens), and how many do not and change what
        /// every reference keeps.
        public var editsToward = 0
        public var editsAway = 0
        /// Voice language model log probability of the sentence and its token count (words + end).
        public var voiceBefore: (logProbability: Double, tokens: Int)?
        public var voiceAfter: (logProbability: Double, tokens: Int)?
        /// Cosine similarity of the source and output embeddings (1 when unchanged).
        public var similarity: Double?
        public var guardEvents: [GuardEvent] = []
        /// The learned candidates considered and not proposed, with why (`eval --refusals`).
        public var refusals: [Refusal] = []

        public init(source: String, output: String, references: [String]) {
            self.source = source
            self.output = output
            self.references = references
        }

        public var edited: Bool { output != source }
    }

    public var style: String
    public var sentences: [Sentence]
    /// Wall time of rewriting every sentence (with the guard check), in seconds.
    public var rewriteSeconds: Double
    /// Whether the learned stage listed its refusals (`eval --refusals`).
    public var refusalsListed = false

    public init(style: String, sentences: [Sentence], rewriteSeconds: Double) {
        self.style = style
        self.sentences = sentences
        self.rewriteSeconds = rewriteSeconds
    }

    /// The sentences that have at least one reference.
    var referenced: [Sentence] { sentences.filter { !$0.references.isEmpty } }

    public var bleu: Double? { referenced.isEmpty ? nil : BLEU.corpus(referenced.map(\.output), references: referenced.map(\.references)) }
    public var chrF: Double? { referenced.isEmpty ? nil : ChrF.corpus(referenced.map(\.output), references: referenced.map(\.references)) }
    /// The copy baseline (output = source) on the same references.
    public var copyBLEU: Double? { referenced.isEmpty ? nil : BLEU.corpus(referenced.map(\.source), references: referenced.map(\.references)) }
    public var copyChrF: Double? { referenced.isEmpty ? nil : ChrF.corpus(referenced.map(\.source), references: referenced.map(\.references)) }
    /// Corpus BLEU of the outputs against their sources: 100 means nothing changed.
    public var selfBLEU: Double { BLEU.corpus(sentences.map(\.output), references: sentences.map { [$0.source] }) }
    public var editedCount: Int { sentences.filter(\.edited).count }
    public var editedShare: Double { sentences.isEmpty ? 0 : Double(editedCount) / Double(sentences.count) }

    /// Mean log probability per token under the voice language model, before and after.
    public var voiceBefore: Double? { Self.perToken(sentences.map(\.voiceBefore)) }
    public var voiceAfter: Double? { Self.perToken(sentences.map(\.voiceAfter)) }
    static func perToken(_ values: [(logProbability: Double, tokens: Int)?]) -> Double? {
        let present = values.compactMap { $0 }
        guard !present.isEmpty else { return nil }
        return present.reduce(0) { $0 + $1.logProbability } / Double(present.reduce(0) { $0 + $1.tokens })
    }

    public var meanSimilarity: Double? {
        let values = sentences.compactMap(\.similarity)
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
    /// Mean similarity over the edited sentences only.
    public var meanSimilarityEdited: Double? {
        let values = sentences.filter(\.edited).compactMap(\.similarity)
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// Edit precision (share of the system's token edits that an editor made too) and recall
    /// (share of the editors' edits the system made), over the sentences with references.
    public var editCounts: (system: Int, reference: Int, matched: Int) {
        referenced.reduce((0, 0, 0)) { ($0.0 + $1.systemEdits.count, $0.1 + $1.referenceEdits.count, $0.2 + $1.matchedEdits) }
    }
    public var editPrecision: Double? { let c = editCounts; return c.system == 0 ? nil : Double(c.matched) / Double(c.system) }
    public var editRecall: Double? { let c = editCounts; return c.reference == 0 ? nil : Double(c.matched) / Double(c.reference) }
    /// An editor who rewrites a wider region than the system edits makes no edit the system's
    /// equals: "will commence" -> "start" where the system made "commence" -> "start". So each
    /// system edit is also judged by where it takes the sentence: made alone, closer to a
    /// reference (toward), or, not toward, changing what every reference keeps (away): a token the
    /// alignment keeps, or a place between two kept tokens that stay side by side. An edit inside a
    /// region some reference says another way is neither.
    public var directionCounts: (toward: Int, away: Int) {
        referenced.reduce((0, 0)) { ($0.0 + $1.editsToward, $0.1 + $1.editsAway) }
    }
    /// The share of the system's edits that bring the sentence closer to a reference.
    public var towardShare: Double? { let c = editCounts; return c.system == 0 ? nil : Double(directionCounts.toward) / Double(c.system) }

    public var guardEvents: [(sentence: Int, event: GuardEvent)] {
        sentences.enumerated().flatMap { index, sentence in sentence.guardEvents.map { (index, $0) } }
    }

    /// How many refusals of each reason, over every sentence and over those left unchanged
    /// (where the refusals say why the style did not move them).
    public var refusalCounts: (all: [String: Int], unchanged: [String: Int]) {
        var all: [String: Int] = [:], unchanged: [String: Int] = [:]
        for sentence in sentences {
            for refusal in sentence.refusals {
                all[refusal.reason.rawValue, default: 0] += 1
                if !sentence.edited { unchanged[refusal.reason.rawValue, default: 0] += 1 }
            }
        }
        return (all, unchanged)
    }
}

extension EvaluationReport {
    /// A JSON object with the summary, every guard event and every sentence.
    public func jsonObject() -> [String: Any] {
        func number(_ value: Double?) -> Any { value.map { ($0 * 1e6).rounded() / 1e6 } ?? NSNull() }
        let counts = editCounts
        var kinds: [String: Int] = [:]
        for (_, event) in guardEvents { kinds[event.kind.rawValue, default: 0] += 1 }
        let summary: [String: Any] = [
            "sentences": sentences.count,
            "sentences_with_references": referenced.count,
            "bleu": number(bleu), "chrf": number(chrF),
            "copy_bleu": number(copyBLEU), "copy_chrf": number(copyChrF),
            "self_bleu": number(selfBLEU),
            "edited": editedCount, "edited_share": number(editedShare),
            "voice_before": number(voiceBefore), "voice_after": number(voiceAfter),
            "voice_score": "voice language model (Kneser-Ney) mean log probability per token",
            "meaning_similarity": number(meanSimilarity), "meaning_similarity_edited": number(meanSimilarityEdited),
            "edit_precision": number(editPrecision), "edit_recall": number(editRecall),
            "system_edits": counts.system, "reference_edits": counts.reference, "matched_edits": counts.matched,
            "edits_toward_reference": directionCounts.toward, "edits_away_from_references": directionCounts.away,
            "edit_share_toward_reference": number(towardShare),
            "guard_events": guardEvents.count, "guard_events_by_kind": kinds,
            "rewrite_seconds": number(rewriteSeconds),
        ]
        let refusals = refusalCounts
        let events: [[String: Any]] = guardEvents.map { index, event in
            ["sentence": index + 1, "kind": event.kind.rawValue, "before": event.before, "after": event.after,
             "origin": event.origin.name, "start": event.range.lowerBound, "end": event.range.upperBound]
        }
        var object: [String: Any] = ["style": style, "guard_events": events]
        object["sentences"] = sentences.map { s -> [String: Any] in
            var row: [String: Any] = ["source": s.source, "output": s.output, "references": s.references, "edited": s.edited,
             "bleu": number(s.bleu), "chrf": number(s.chrF), "similarity": number(s.similarity),
             "system_edits": s.systemEdits.map(\.description), "reference_edits": s.referenceEdits.map(\.description),
             "matched_edits": s.matchedEdits, "edits_toward_reference": s.editsToward, "edits_away_from_references": s.editsAway,
             "guard_events": s.guardEvents.count]
            if refusalsListed {
                row["refusals"] = s.refusals.map { ["reason": $0.reason.rawValue, "before": $0.before, "after": $0.after,
                                                    "origin": $0.origin.name, "detail": $0.detail] }
            }
            return row
        }
        var fullSummary = summary
        if refusalsListed {
            fullSummary["refusals_by_reason"] = refusals.all
            fullSummary["refusals_by_reason_unchanged"] = refusals.unchanged
        }
        object["summary"] = fullSummary
        return object
    }

    /// The summary for people, one measure a line, then the guard events.
    public func text() -> String {
        func f(_ value: Double?, _ digits: Int = 2) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "n/a" }
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", 100 * $0) } ?? "n/a" }
        let counts = editCounts
        var lines = [
            "style: \(style)",
            "sentences: \(sentences.count) (\(referenced.count) with references)",
            "BLEU: \(f(bleu)) (copy baseline \(f(copyBLEU)))",
            "chrF: \(f(chrF)) (copy baseline \(f(copyChrF)))",
            "self-BLEU vs source: \(f(selfBLEU))",
            "edited: \(editedCount) of \(sentences.count) (\(percent(editedShare)))",
            "voice score (LM log-prob per token): \(f(voiceBefore, 3)) -> \(f(voiceAfter, 3))",
            "meaning similarity: \(f(meanSimilarity, 3)) (edited sentences: \(f(meanSimilarityEdited, 3)))",
            "edit precision: \(percent(editPrecision)) (\(counts.matched) of \(counts.system) system edits)",
            "edit recall: \(percent(editRecall)) (\(counts.matched) of \(counts.reference) editor edits)",
            "edits toward a reference: \(percent(towardShare)) (\(directionCounts.toward) of \(counts.system) system edits, each made alone, "
                + "bring the sentence closer to a reference; \(directionCounts.away) change what every reference keeps)",
            "guard events: \(guardEvents.count)",
        ]
        for (index, event) in guardEvents {
            lines.append("  sentence \(index + 1): \(event.kind.rawValue): kept '\(event.before)' (\(event.origin.name) edit proposed '\(event.after)')")
        }
        if refusalsListed {
            let counts = refusalCounts
            func listed(_ counts: [String: Int]) -> String {
                counts.isEmpty ? "none" : counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            }
            lines.append("learned candidates refused: \(counts.all.values.reduce(0, +)) (\(listed(counts.all)))")
            lines.append("  in unchanged sentences: \(counts.unchanged.values.reduce(0, +)) (\(listed(counts.unchanged)))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
