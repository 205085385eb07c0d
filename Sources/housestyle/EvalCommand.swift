import ArgumentParser
import Foundation
import HouseStyle
import HouseStyleNumerics

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure how close a style's rewrites come to editors' revisions.",
        discussion: """
            Rewrites each source sentence and reports corpus BLEU and chrF against the references \
            (sacreBLEU semantics: 13a tokens, exp smoothing; chrF n=6, beta=2) beside the copy baseline, \
            self-BLEU against the source, the voice score before and after (the voice language model's \
            log probability per token), meaning similarity (cosine of frozen MiniLM sentence embeddings), \
            the share of sentences edited, edit precision and recall against the editors' token edits, the \
            share of edits that, each made alone, bring the sentence closer to a reference (an editor who \
            rewrote a wider region made no edit equal to the system's) and how many instead change what \
            every reference keeps, and every edit a factual guard (rewrite.preserve) blocked.
            """)

    @Argument(help: "A style name (<styles-dir>/NAME.yaml) or a style file path.")
    var style: String

    @Option(help: "Editor revisions in the corpus.pairs format (before<TAB>after .tsv, or .jsonl).")
    var pairs: String?

    @Flag(help: "Use the editor revisions that train held out of corpus.pairs (never trained on).")
    var heldOut = false

    @Option(help: "Source sentences, one a line (with --reference).")
    var source: String?

    @Option(help: "Reference rewrites, one a line, aligned with --source (repeatable; an empty line: no reference for that sentence).")
    var reference: [String] = []

    @Option(help: "Write the rewritten sentences here, one a line.")
    var output: String?

    @Option(help: "text or json.")
    var format: Format = .text

    @Flag(help: ArgumentHelp(
        "Also count the learned candidates that were considered and not proposed, by why.",
        discussion: "The reasons (sides, deletion, inflection, grammar, score, on-voice, occlusion, no-gain, ...) over every sentence and over those left unchanged; with --format json, each sentence's refusals too. Rewriting takes longer."))
    var refusals = false

    @OptionGroup var options: RunOptions

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        let given = [pairs != nil, source != nil || !reference.isEmpty, heldOut].filter { $0 }.count
        if given > 1 { throw ValidationError("give one of --pairs, --source with --reference, or --held-out") }
        if given == 0 { throw ValidationError("give --pairs FILE, or --source FILE (with --reference FILE for the reference measures), or --held-out") }
    }

    func run() throws {
        // Commands the style is not allowed to run are refused before any file is read.
        let runnable = try loadRunnableStyle(style, options: options)
        var records: [EvaluationRecord] = []
        do {
            if !heldOut { records = try pairs.map { try EvaluationSet.pairs($0) } ?? EvaluationSet.files(source: source!, references: reference) }
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(Status.unusable)
        }
        var pipeline = try loadPipeline(runnable, nameOrPath: style, options: options)
        pipeline.explainsRefusals = refusals
        if heldOut {
            let path = (ModelBundle.directory(for: pipeline.style) as NSString).appendingPathComponent(ModelBundle.heldOutPairsFile)
            guard FileManager.default.fileExists(atPath: path) else {
                Console.error("error: '\(pipeline.style.name)' has no held-out editor revisions: train holds out one in ten when corpus.pairs has at least 40")
                throw ExitCode(Status.unusable)
            }
            do { records = try EvaluationSet.pairs(path) } catch {
                Console.error("error: \(error)")
                throw ExitCode(Status.unusable)
            }
        }
        let resources = Resources(styleRoot: pipeline.style.root)
        // The voice score reads the language model of the learned stage's statistics.
        let model = pipeline.learnedModel?.statistics
        var encoder: MiniLMEncoder?
        // The style's own encoder (`model.base`, the style root's .deps), as train and rewrite find it.
        do { encoder = try MiniLMEncoder(files: BaseEncoder.files(for: pipeline.style, resources: resources)) } catch {
            Console.error("note: meaning similarity not measured: \(error)")
        }
        let report = try Evaluator(pipeline: pipeline, model: model, encoder: encoder).evaluate(records)
        if let output {
            do {
                try Data(report.sentences.map { $0.output.replacingOccurrences(of: "\n", with: " ") + "\n" }.joined().utf8)
                    .write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                Console.error("\(output): error: cannot write: \(error.localizedDescription)")
                throw ExitCode(Status.unusable)
            }
        }
        switch format {
        case .text: Console.out(report.text())
        case .json:
            let data = try JSONSerialization.data(withJSONObject: report.jsonObject(), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            Console.out(String(decoding: data, as: UTF8.self) + "\n")
        }
    }
}
