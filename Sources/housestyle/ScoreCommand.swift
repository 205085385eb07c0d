import ArgumentParser
import Foundation
import HouseStyle

/// `housestyle score STYLE FILES`: the voice scorer's verdict per document and paragraph, and the
/// rules' findings per 1,000 words.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score how on-voice files are (0-100) with a style's fine-tuned voice scorer.",
        discussion: """
            A sentence's score is the fine-tuned voice scorer's probability that it is on-voice; a \
            paragraph's is the mean over its sentences weighted by their words, times 100; a \
            document's is the mean over its paragraphs weighted by their words. 50 means the scorer \
            cannot tell on-voice from off-voice; higher reads more like the style's voice corpus. \
            Paragraphs are the document's prose paragraphs (list items and quotes included; code, \
            front matter, tables, headings and markup left out), lowest score first. Findings are \
            what 'housestyle check' reports, per 1,000 words of prose. Scores are rounded to 0.1, \
            and --min compares the rounded score.

            The style needs a voice scorer: it is trained (like rewrite and check train) when the \
            model is missing or out of date; a style without corpus.voice cannot be scored.

            Exit status: 0 when every document reaches --min (or no --min), 1 when one scores below \
            it (each is named on stderr), 2 when a file or the style could not be read or the \
            arguments are wrong.
            """ + "\n\n" + FileSelection.help)

    @Argument(help: "A style name (<styles-dir>/NAME.yaml) or a style file path.")
    var style: String

    @Argument(help: "Files, folders or globs to score.")
    var paths: [String]

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(help: ArgumentHelp("Fail (exit status 1) when a document scores below this (0-100).", valueName: "score"))
    var min: Double?

    @Option(help: ArgumentHelp("List at most this many paragraphs of each document, the lowest-scoring (default: all).", valueName: "n"))
    var paragraphs: Int?

    @OptionGroup var options: RunOptions

    @OptionGroup var fileSelection: FileSelection

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        if let min, !(0...100).contains(min) { throw ValidationError("--min must be between 0 and 100, not \(Self.number(min))") }
        if let paragraphs, paragraphs < 0 { throw ValidationError("--paragraphs must be 0 or more, not \(paragraphs)") }
    }

    func run() throws {
        let runnable = try loadRunnableStyle(style, options: options)
        guard !runnable.corpus.voice.isEmpty else {
            Console.error("error: \(ModelError.noVoiceCorpusToScore(style: runnable.name))")
            throw ExitCode(Status.unusable)
        }
        let files = try fileSelection.collect(paths)
        // The score needs the model even when the style's stages do not (no `learned` stage).
        if !runnable.usesLearnedStage { try prepareModel(runnable, nameOrPath: style, train: !options.noTrain) }
        let pipeline = try loadPipeline(runnable, nameOrPath: style, options: options)
        let scorer: DocumentScorer
        do { scorer = try DocumentScorer(pipeline: pipeline, resources: Resources(styleRoot: runnable.root)) } catch {
            Console.error("error: \(error)")
            throw ExitCode(Status.unusable)
        }
        var scores: [DocumentScore] = []
        var unreadable = false
        // Every sentence goes through the encoder: a folder takes minutes, and says how far it is.
        let progress = ProgressBar(total: files.count, label: "score")
        for file in files {
            do {
                scores.append(try scorer.score(TextFile.read(file.path), path: file.path, paragraphLimit: paragraphs))
            } catch {
                unreadable = true
                Console.error(error is InputError ? "\(error)" : "\(file.path): error: \(error)")
            }
            progress.advance()
        }
        let below = min.map { minimum in scores.filter { $0.isBelow(minimum) } } ?? []
        switch format {
        case .text:
            // A blank line between documents that list paragraphs.
            Console.out(scores.map(\.formatted).joined(separator: paragraphs == 0 ? "" : "\n"))
        case .json:
            let report = Report(style: runnable.name, min: min, belowMin: below.map(\.path), documents: scores)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            Console.out(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n")
        }
        if let min {
            for document in below {
                Console.error("\(FindingReport.oneLine(document.path)): voice \(String(format: "%.1f", document.score ?? 0)) is below --min \(Self.number(min))")
            }
        }
        if unreadable { throw ExitCode(Status.unusable) }
        if !below.isEmpty { throw ExitCode(Status.failed) }
    }

    /// `--format json`: `style`, `min` (null without --min), `below_min` (the paths scoring below
    /// it) and `documents` (see `DocumentScore`).
    struct Report: Encodable {
        var style: String
        var min: Double?
        var belowMin: [String]
        var documents: [DocumentScore]

        enum CodingKeys: String, CodingKey {
            case style, min, documents
            case belowMin = "below_min"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(style, forKey: .style)
            try container.encode(min, forKey: .min)
            try container.encode(belowMin, forKey: .belowMin)
            try container.encode(documents, forKey: .documents)
        }
    }

    /// 60 as "60", 62.5 as "62.5".
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
