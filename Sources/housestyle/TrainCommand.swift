import ArgumentParser
import Foundation
import HouseStyle

/// `housestyle train STYLE`: learns from the style's corpora and writes models/<style>/.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Learn a style's voice from its corpora; writes models/STYLE/ and a report.",
        discussion: """
            Reads corpus.voice, corpus.contrast and corpus.pairs of the style, and writes \
            models/NAME/ under the style's repository root atomically: manifest.json, the learned \
            statistics, the fine-tuned voice scorer (LoRA adapter and head of all-MiniLM-L6-v2, \
            installed by `bash scripts/setup.sh`; see model.base and HOUSESTYLE_BASE_MODEL) and \
            report.md. A bundle that is already up to date is kept unless --force.
            """)

    @Argument(help: "A style name (<styles-dir>/NAME.yaml) or a style file path.")
    var style: String

    @Flag(help: "Train even when the bundle is up to date.")
    var force = false

    @OptionGroup var styleOptions: StyleOptions

    func run() throws {
        let style = try styleOptions.load(self.style)
        for warning in style.warnings { Console.error(warning.description) }
        if !force, case .current = try modelStatus(style) {
            Console.error("\(ModelBundle.directory(for: style)) is up to date; give --force to train again")
            return
        }
        let summary = try train(style, reason: nil)
        let m = summary.manifest.metrics
        func n(_ key: String) -> String { m[key].map { String(Int($0)) } ?? "-" }
        Console.out("""
            \(summary.directory): trained on \(n("voice_sentences")) voice, \(n("contrast_sentences")) contrast sentences, \(n("pairs")) pairs
            substitutions: \(n("substitutions_pair")) from pairs (\(n("substitutions_pair_alternative")) more as alternatives), \(n("substitutions_thesaurus")) from the thesaurus, \(n("substitutions_retrieval")) by retrieval, \(n("substitutions_vectors")) from word vectors
            held-out voice perplexity: \(m["voice_held_out_perplexity"].map { String(format: "%.1f", $0) } ?? "n/a (corpus too small)")
            voice scorer: \(n("voice_scorer_train_sentences")) training sentences, held-out accuracy \(m["voice_scorer_held_out_accuracy"].map { String(format: "%.3f", $0) } ?? "n/a (corpus too small)")
            report: \(summary.directory)/report.md

            """)
    }
}

func modelStatus(_ style: Style) throws -> ModelStatus {
    do { return try ModelBundle.status(of: style, recipe: .standard) } catch {
        Console.error("error: \(error)")
        throw ExitCode(Status.unusable)
    }
}

/// Trains a style's model with progress on stderr (a bar with the time left on a terminal),
/// after a line that says what it reads and how long it should take (`estimate`, else scanned here).
@discardableResult
func train(_ style: Style, reason: String?, estimate: TrainingEstimate? = nil) throws -> Trainer.Summary {
    let estimate = estimate ?? machineEstimate(style)
    let expected = estimate.map { ": \($0.summary); estimated \(expectedDuration($0)) (\($0.breakdown))" } ?? ""
    Console.error("training the model of style '\(style.name)'\(reason.map { " (\($0))" } ?? "")\(expected)")
    let started = Date()
    let progress = ProgressLog(label: "train \(style.name)")
    do {
        let trainer = Trainer(style: style, resources: Resources(styleRoot: style.root), recipe: .standard)
        let summary = try trainer.train { step, fraction in
            let elapsed = Date().timeIntervalSince(started)
            let left = estimate.map { $0.secondsLeft(elapsed: elapsed, fraction: fraction) } ?? TrainingEstimate.extrapolated(elapsed: elapsed, fraction: fraction)
            progress.update(fraction, step, secondsLeft: left.map { Int($0.rounded()) })
        }
        progress.finish()
        for warning in summary.warnings { Console.error(warning.description) }
        Console.error(String(format: "trained %@ in %.1f s", summary.directory, Date().timeIntervalSince(started)))
        return summary
    } catch {
        progress.finish()
        Console.error("error: \(error)")
        throw ExitCode(Status.unusable)
    }
}


/// The estimate of training `style` here and now (see `TrainingEstimate.scan`), its seconds
/// stretched by the share of a core the run can expect on this machine now (processors over the
/// one-minute load average); nil when the corpus cannot be scanned (training will say why).
func machineEstimate(_ style: Style) -> TrainingEstimate? {
    guard let estimate = try? TrainingEstimate.scan(style, recipe: .standard) else { return nil }
    return estimate.atShare(coreShare().share)
}

/// The share of a core this run can expect, with the load average and processors it comes from.
func coreShare() -> (share: Double, load: Double, processors: Int) {
    var loads = [Double](repeating: 0, count: 1)
    let load = getloadavg(&loads, 1) == 1 ? loads[0] : 0
    let processors = ProcessInfo.processInfo.activeProcessorCount
    return (TrainingEstimate.coreShare(load: load, processors: processors), load, processors)
}

/// "about 6 min", with why when the machine is busy: "about 6 min (about 1 min on an idle machine; the
/// machine is busy: load 9.0 on 2 processors)".
func expectedDuration(_ estimate: TrainingEstimate) -> String {
    let (share, load, processors) = coreShare()
    let wall = TrainingEstimate.duration(estimate.total)
    guard share < 0.8 else { return wall }
    return wall + " (\(TrainingEstimate.duration(estimate.total * share)) on an idle machine; the machine is busy: load "
        + String(format: "%.1f", load) + " on \(processors) processor\(processors == 1 ? "" : "s"))"
}
