import Foundation
import HouseStyleNumerics
import HouseStyleText

/// Rewrites each source sentence of an evaluation set with a style's pipeline and measures the
/// result against the editors' references: corpus BLEU and chrF (sacreBLEU semantics), self-BLEU
/// against the source, the voice score before and after, meaning similarity, the share of
/// sentences edited, edit precision and recall against the editors' own edits, and the edits
/// the factual guards blocked.
public struct Evaluator {
    public let pipeline: Pipeline
    /// The style's trained model: the voice score needs it (rules-only styles have none). The guard events
    /// come from the learned stage's diagnostics in each rewrite.
    public let model: StyleModel?
    /// The frozen sentence encoder for meaning similarity; without it similarity is not reported.
    public let encoder: MiniLMEncoder?

    public init(pipeline: Pipeline, model: StyleModel?, encoder: MiniLMEncoder?) {
        self.pipeline = pipeline
        self.model = model
        self.encoder = encoder
    }

    /// Evaluates `records`, each rewritten on its own as one plain-text sentence.
    public func evaluate(_ records: [EvaluationRecord]) throws -> EvaluationReport {
        let locale = pipeline.style.locale
        let tokenizer = try ModelTokenizer(locale: locale)

        var results: [EvaluationReport.Sentence] = []
        results.reserveCapacity(records.count)
        let started = Date()
        for record in records {
            let rewrite = try pipeline.rewrite(record.source, path: nil, format: .plain)
            var sentence = EvaluationReport.Sentence(source: record.source, output: rewrite.text, references: record.references)
            sentence.appliedEdits = rewrite.edits.count
            for diagnostic in rewrite.diagnostics {
                switch diagnostic {
                case .guarded(let event): sentence.guardEvents.append(event)
                case .refused(let refusal): sentence.refusals.append(refusal)
                }
            }
            results.append(sentence)
        }
        let rewriteSeconds = Date().timeIntervalSince(started)

        // Per sentence: edits against the editors' and sentence scores.
        for index in results.indices {
            let s = results[index]
            let source = TokenEdit.tokens(s.source)
            let system = TokenEdit.diff(tokens: source, TokenEdit.tokens(s.output))
            results[index].systemEdits = system
            if !s.references.isEmpty {
                results[index].bleu = BLEU.sentence(s.output, references: s.references)
                results[index].chrF = ChrF.sentence(s.output, references: s.references)
                let references = s.references.map(TokenEdit.tokens)
                let referenceEdits = references.map { TokenEdit.diff(tokens: source, $0) }
                // The reference whose edits agree most with the system's (the fewest edits on a tie).
                var best: (matched: Int, reference: [TokenEdit])?
                for edits in referenceEdits {
                    let matched = Self.matches(system, edits)
                    if best == nil || matched > best!.matched || (matched == best!.matched && edits.count < best!.reference.count) {
                        best = (matched, edits)
                    }
                }
                results[index].referenceEdits = best!.reference
                results[index].matchedEdits = best!.matched
                // Each system edit made alone: toward when it brings the sentence closer to a
                // reference (word-level Levenshtein distance), away when it does not and changes
                // what every reference keeps. Word distance alone would call "can't" -> "can not"
                // away inside a region the reference says another way (one token made two).
                let distances = references.map { Calibrator.wordDistance(source, $0) }
                let kept = referenceEdits.map { TokenEdit.keptPlaces(sourceCount: source.count, edits: $0) }
                for edit in system {
                    let edited = edit.applied(to: source)
                    if zip(references, distances).contains(where: { Calibrator.wordDistance(edited, $0) < $1 }) {
                        results[index].editsToward += 1
                    } else if zip(kept, references).allSatisfy({ edit.touchesKept($0, targetCount: $1.count) }) {
                        results[index].editsAway += 1
                    }
                }
            }
        }

        // Voice score: the voice language model's mean log probability per token.
        if let model {
            for index in results.indices {
                let before = tokenizer.tokens(results[index].source).map(model.vocabulary.id)
                let after = tokenizer.tokens(results[index].output).map(model.vocabulary.id)
                results[index].voiceBefore = (model.languageModel.logProbability(sentence: before), before.count + 1)
                results[index].voiceAfter = (model.languageModel.logProbability(sentence: after), after.count + 1)
            }
        }

        // Meaning similarity: cosine of frozen-encoder embeddings; an unchanged sentence counts 1.
        if let encoder {
            let changed = results.indices.filter { results[$0].output != results[$0].source }
            for index in results.indices { results[index].similarity = 1 }
            let embeddings = encoder.embed(changed.map { results[$0].source } + changed.map { results[$0].output })
            for (k, index) in changed.enumerated() {
                results[index].similarity = Double(MiniLMEncoder.similarity(embeddings[k], embeddings[changed.count + k]))
            }
        }
        var report = EvaluationReport(style: pipeline.style.name, sentences: results, rewriteSeconds: rewriteSeconds)
        report.refusalsListed = pipeline.explainsRefusals
        return report
    }

    /// The prose of one sentence as the learned stage sees it.
    static func ruleText(_ text: String, segmenter: WordSegmenter) throws -> RuleText {
        let bytes = Array(text.utf8)
        let words = try segmenter.tokens(in: text).filter { $0.kind == .word || $0.kind == .number }
            .map { WordToken(range: $0.utf8Range, isNumber: $0.kind == .number, proseEnd: bytes.count, key: WordKey.of(bytes[$0.utf8Range])) }
        return RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])
    }

    /// Size of the multiset intersection of two edit lists.
    static func matches(_ a: [TokenEdit], _ b: [TokenEdit]) -> Int {
        var counts: [TokenEdit: Int] = [:]
        for edit in b { counts[edit, default: 0] += 1 }
        var matched = 0
        for edit in a where (counts[edit] ?? 0) > 0 { counts[edit]! -= 1; matched += 1 }
        return matched
    }
}
