import Foundation
import HouseStyleText

/// `models/<style>/report.md`: what training learned, for people.
enum Report {
    static func markdown(style: Style, vocabulary: Vocabulary, onVoice: [SalienceEntry], offVoice: [SalienceEntry],
                         substitutions: [Substitution], metrics: [String: Double], evaluation: Trainer.Evaluation,
                         referenceName: String, thesaurusFound: Bool, warnings: [CorpusWarning]) -> String {
        func int(_ key: String) -> Int { Int(metrics[key] ?? 0) }
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        var lines: [String] = []
        lines.append("# What housestyle learned for '\(style.name)'")
        lines.append("")
        lines.append("Trained on \(int("voice_sentences")) voice sentences (\(int("voice_held_out_sentences")) more held out), "
            + "\(int("contrast_sentences")) contrast sentences (\(int("contrast_held_out_sentences")) held out) and \(int("pairs")) editor revisions. "
            + "Compared against: \(referenceName). Vocabulary: \(int("vocabulary")) tokens.")
        lines.append("")
        lines.append("## Voice language model")
        lines.append("")
        if let perplexity = metrics["voice_held_out_perplexity"] {
            lines.append("Interpolated modified Kneser-Ney, order 4. Perplexity on the held-out voice sentences: **\(String(format: "%.1f", perplexity))** (lower means the model predicts the voice better).")
        } else {
            lines.append("Interpolated modified Kneser-Ney, order 4. The voice corpus is too small to hold sentences out, so no perplexity is reported; add text to corpus.voice.")
        }
        lines.append("")
        for (title, entries, explanation) in [("On-voice markers", onVoice, "used more by the voice"), ("Off-voice markers", offVoice, "used more by the contrast text: where learned edits look")] {
            lines.append("## \(title)")
            lines.append("")
            lines.append("Words and phrases \(explanation) (log-odds z-score with an informative Dirichlet prior; |z| ≥ 2 is significant). \(entries.count) in all; the top 20:")
            lines.append("")
            lines.append("| phrase | z | voice | contrast |")
            lines.append("|---|---:|---:|---:|")
            for entry in entries.prefix(20) {
                lines.append("| \(cell(vocabulary.phrase(entry.ngram))) | \(String(format: "%.1f", entry.z)) | \(entry.voiceCount) | \(entry.contrastCount) |")
            }
            if entries.isEmpty { lines.append("| (none) | | | |") }
            lines.append("")
        }
        lines.append("## Learned substitutions")
        lines.append("")
        lines.append("\(int("substitutions_pair")) from editor revisions, \(int("substitutions_pair_alternative")) alternative ways editors change a word, \(int("substitutions_thesaurus")) from the thesaurus\(thesaurusFound ? "" : " (not installed: install mythes-en-us)"), \(int("substitutions_retrieval")) from on-voice sentences in the same context, \(int("substitutions_vectors")) from word vectors; \(int("memory_revisions")) editor revisions kept whole in the editors' memory (memory.tsv), whose own edits a sentence nearly the same gets. The rewrite applies one only where it raises the sentence's voice score (language model and salience) enough to reach rewrite.confidence (\(style.rewrite.confidence)).")
        lines.append("")
        for (origin, name) in [(EditOrigin.pair, "From editor revisions (corpus.pairs)"), (.pairAlternative, "Alternative ways editors change a word they change nearly everywhere (corpus.pairs)"), (.thesaurus, "From the thesaurus"), (.retrieval, "From on-voice sentences in the same context (retrieval)"), (.vectors, "From the corpora (word vectors)")] {
            let subset = substitutions.filter { $0.origin == origin }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.before.lexicographicallyPrecedes($1.before) }
            guard !subset.isEmpty else { continue }
            lines.append("### \(name)")
            lines.append("")
            lines.append("| before | after | count | example |")
            lines.append("|---|---|---:|---|")
            for s in subset.prefix(30) {
                lines.append("| \(cell(s.before.joined(separator: " "))) | \(s.after.isEmpty ? "(delete)" : cell(s.afterText)) | \(s.count) | \(cell(s.example)) |")
            }
            if subset.count > 30 { lines.append("") ; lines.append("…and \(subset.count - 30) more in substitutions.tsv.") }
            lines.append("")
        }
        lines.append("## On held-out contrast text")
        lines.append("")
        lines.append("On \(evaluation.sentences) held-out off-voice sentences the statistics alone (before the voice scorer and the calibration below, which decide what is applied) "
            + "score \(evaluation.applied) candidate edits (in \(evaluation.sentencesEdited) sentences) at or above `rewrite.confidence` and \(evaluation.reported) below it.")
        if !evaluation.examples.isEmpty {
            lines.append("")
            for example in evaluation.examples {
                lines.append("- \(example.before)")
                lines.append("  → \(example.after)")
            }
        }
        lines.append("")
        if !warnings.isEmpty {
            lines.append("## Warnings")
            lines.append("")
            for warning in warnings { lines.append("- \(warning.description)") }
            lines.append("")
        }
        lines.append("## What to do")
        lines.append("")
        lines.append("- A substitution that is wrong for your voice: veto it with `learned: {never: [\"before -> after\"]}`, or a word it must never replace or introduce with `learned: {never: [word]}`; or fix the corpus text it comes from. Vetoes act when the model is loaded: no retraining.")
        lines.append("- A whole source that misleads (e.g. the thesaurus): leave it out of `learned: {sources: [...]}` (default: pairs, retrieval, thesaurus; `vectors` is opt-in).")
        lines.append("- A word you want written another way everywhere: a `terms` rule (`use`, `instead_of`).")
        lines.append("- Too few edits: add editor revisions to corpus.pairs, or more on-voice text. Too many: raise rewrite.confidence.")
        return lines.joined(separator: "\n") + "\n"
    }
}
