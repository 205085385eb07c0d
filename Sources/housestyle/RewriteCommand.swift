import ArgumentParser
import Foundation
import HouseStyle
import HouseStyleText

struct RewriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewrite",
        abstract: "Rewrite files and folders into a house style.",
        discussion: """
            Folders are searched recursively for .md, .markdown and .txt files. Give -o DIR to write \
            the rewritten files under DIR (mirroring the folders), --in-place to replace the files, or \
            --diff / --word-diff / --explain to only show what would change. With one file and none of \
            these, the rewritten text goes to stdout. With --interactive (and -o DIR or --in-place), \
            each edit is shown and applied only if you accept it. Writes are atomic; a file that fails is left untouched; \
            a symbolic link's target is rewritten and the link kept. An -o folder inside an input \
            folder is not searched.
            """ + "\n\n" + FileSelection.help)

    @Argument(help: "A style name (<styles-dir>/NAME.yaml) or a style file path.")
    var style: String

    @Argument(help: "Files, folders or globs to rewrite.")
    var paths: [String]

    @Option(name: .shortAndLong, help: "Write rewritten files under this folder.")
    var output: String?

    @Flag(help: "Replace each file with its rewrite.")
    var inPlace = false

    @Option(help: "With --in-place: keep the original as FILE+SUFFIX (FILE+SUFFIX.1, .2, ... when that exists: an earlier backup is never replaced).")
    var backup: String?

    @Flag(help: "With --in-place: also rewrite read-only files, and files with several hard links (written into the same inode).")
    var force = false

    @Flag(help: "Print a unified diff of each change (for patch and git apply).")
    var diff = false

    @Flag(help: ArgumentHelp(
        "Print each change inside its line, marked [-old-]{+new+} as git diff --word-diff does.",
        discussion: "For reading rather than applying: a one-word change in a long paragraph is one marked word. Coloured on a terminal (see --color)."))
    var wordDiff = false

    @Option(help: ArgumentHelp("Colour --word-diff and --interactive: auto (on a terminal, unless NO_COLOR is set), always or never.", valueName: "when"))
    var color: ColorChoice = .auto

    @Flag(help: ArgumentHelp(
        "Ask about each edit (y, n, a: this and the rest of the file, q: quit) and write only those accepted.",
        discussion: "Needs a terminal on stdin, and -o DIR or --in-place; files are written atomically as without it, one after another."))
    var interactive = false

    @Flag(help: "Print every edit with its rule, reason and confidence.")
    var explain = false

    @Flag(help: ArgumentHelp(
        "With --explain (or --format json), also list the learned edits that were considered and not proposed, and why.",
        discussion: "Each with its place, the words it would have written, its source and the reason: preserve (a number, name or negation), topic (a word the document repeats), sides (a word the voice never writes there), deletion (it would leave a word without what it needs), inflection (a change of number or tense), grammar, score (statistics not above 0), longer-phrase, shortlist, on-voice (a sentence already in the voice), occlusion (words that do not carry the sentence off the voice), no-gain, meaning or not-chosen. README.md explains each. Rewriting takes longer."))
    var refusals = false

    @Option(help: "Report format: text or json.")
    var format: ReportFormat = .text

    @OptionGroup var rules: RuleOptions

    @OptionGroup var options: RunOptions

    @Option(help: ArgumentHelp("Files to rewrite at once (default: the number of processors).", valueName: "n"))
    var jobs: Int?

    @OptionGroup var fileSelection: FileSelection

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        if output != nil && inPlace { throw ValidationError("give either -o DIR or --in-place, not both") }
        if backup != nil && !inPlace { throw ValidationError("--backup goes with --in-place") }
        if refusals && !explain && format != .json { throw ValidationError("--refusals goes with --explain or --format json") }
        if force && !inPlace { throw ValidationError("--force goes with --in-place") }
        // An empty suffix would name the file itself: no backup would be made.
        if let backup, backup.isEmpty || backup.contains("/") { throw ValidationError("--backup needs a suffix such as .orig (not empty, no '/')") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if interactive {
            if output == nil && !inPlace { throw ValidationError("--interactive needs -o DIR or --in-place: where to write the accepted edits") }
            if diff || wordDiff || explain || format != .text { throw ValidationError("--interactive shows each edit itself: leave out --diff, --word-diff, --explain and --format") }
        }
    }

    func run() throws {
        // Refused before anything is loaded or trained: there is nobody to answer.
        if interactive && isatty(STDIN_FILENO) != 1 {
            Console.error("error: --interactive needs a terminal on stdin to ask about each edit; review with --word-diff or --diff, then rewrite without --interactive")
            throw ExitCode(Status.unusable)
        }
        let started = Date()
        var pipeline = try loadPipeline(style, options: options, rules: rules.selection)
        pipeline.explainsRefusals = refusals
        // An output folder inside an input folder holds the last run's output, not inputs.
        let files = try fileSelection.collect(paths, skipping: output.map { [$0] } ?? [])
        let toStdout = output == nil && !inPlace && !diff && !wordDiff && !explain && format == .text
        if toStdout && files.count != 1 {
            Console.error("error: \(files.count) files to rewrite: give -o DIR, --in-place, --diff, --word-diff or --explain")
            throw ExitCode(Status.unusable)
        }
        let plan = OutputPlan(outputFolder: output, inPlace: inPlace, backupSuffix: backup, force: force)
        do {
            try plan.check(files)
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(Status.unusable)
        }

        if interactive { return try review(files, pipeline: pipeline, plan: plan, started: started) }

        let progress = ProgressBar(total: files.count, label: "rewrite")
        let runner = BatchRunner(pipeline: pipeline, plan: toStdout ? nil : plan, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let results = runner.run(files) { progress.advance() }

        var edits = 0, findings = 0, failed = 0
        var records: [[String: Any]] = []
        for (file, result) in zip(files, results) {
            switch result {
            case .failure(let error):
                failed += 1
                Console.error(Self.message(error, path: file.path))
                records.append(["path": file.path, "error": Self.message(error, path: file.path)])
            case .success(let rewrite):
                edits += rewrite.edits.count
                findings += rewrite.findings.count
                if toStdout { Console.out(rewrite.text) }
                if diff { Console.out(UnifiedDiff.render(original: rewrite.original, revised: rewrite.text, path: file.path)) }
                if wordDiff { Console.out(WordDiff.render(rewrite, path: file.path, marks: color.marks(terminal: isatty(STDOUT_FILENO) == 1))) }
                if explain && format == .text { Console.out(Explanation.text(of: rewrite, path: file.path, refusals: refusals)) }
                if format == .json { records.append(Explanation.json(of: rewrite, path: file.path, refusals: refusals)) }
            }
        }
        if format == .json {
            let data = try JSONSerialization.data(withJSONObject: ["files": records], options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
            Console.out(String(decoding: data, as: UTF8.self) + "\n")
        }
        let seconds = Date().timeIntervalSince(started)
        Console.error("rewrote \(files.count - failed) of \(files.count) file\(files.count == 1 ? "" : "s"): \(edits) edit\(edits == 1 ? "" : "s"), \(findings) finding\(findings == 1 ? "" : "s")" + (failed > 0 ? ", \(failed) failed" : "") + String(format: " (%.2f s)", seconds))
        if failed > 0 { throw ExitCode(Status.failed) }
    }

    /// `--interactive`: asks about each edit of each file in turn (on stderr, answers from stdin)
    /// and writes the accepted edits, as the other modes write, before the next file.
    func review(_ files: [InputFile], pipeline: Pipeline, plan: OutputPlan, started: Date) throws {
        var review = EditReview(marks: color.marks(terminal: Console.stderrIsTerminal))
        var failed = 0, written = 0, offered = 0
        for file in files {
            do {
                let rewrite = try pipeline.rewrite(try TextFile.read(file.path), path: file.path)
                offered += rewrite.edits.count
                let accepted = review.review(rewrite, path: file.path) { question in
                    FileHandle.standardError.write(Data(question.utf8))
                    return readLine(strippingNewline: true)
                }
                try plan.write(accepted, for: file)
                if accepted.changed { written += 1 }
            } catch {
                failed += 1
                Console.error(Self.message(error, path: file.path))
            }
            if review.quit { break }
        }
        Console.error("accepted \(review.accepted) of \(offered) edit\(offered == 1 ? "" : "s")\(review.quit ? " (quit)" : ""); wrote \(written) file\(written == 1 ? "" : "s")"
            + (failed > 0 ? ", \(failed) failed" : "") + String(format: " (%.2f s)", Date().timeIntervalSince(started)))
        if failed > 0 { throw ExitCode(Status.failed) }
    }

    /// What a file's failure prints: the error (which names the file), or for a stage's failure
    /// `path: error: ...`.
    static func message(_ error: any Error, path: String) -> String {
        error is StageError ? "\(path): error: \(error)" : "\(error)"
    }
}

/// `--color`: whether changes are marked with colour too.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    /// `auto` colours a terminal unless NO_COLOR is set (https://no-color.org).
    func marks(terminal: Bool) -> WordDiff.Marks {
        switch self {
        case .always: .color
        case .never: .plain
        case .auto: terminal && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty ? .color : .plain
        }
    }
}
