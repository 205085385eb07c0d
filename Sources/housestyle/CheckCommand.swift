import ArgumentParser
import Foundation
import HouseStyle
import HouseStyleText

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report where files depart from a house style, without changing them.",
        discussion: """
            Prints path:line:column: level: message [rule] for every change rewrite would make and \
            every finding. Exit status: 0 when nothing reaches --fail-level, 1 when something does, \
            2 when a file or the style could not be read or the arguments are wrong.
            """ + "\n\n" + FileSelection.help)

    @Argument(help: "A style name (<styles-dir>/NAME.yaml) or a style file path.")
    var style: String

    @Argument(help: "Files, folders or globs to check.")
    var paths: [String]

    @Option(help: ArgumentHelp(
        "Output format: text, json or sarif.",
        discussion: """
            sarif writes SARIF 2.1.0 for GitHub code scanning and SARIF viewers: paths relative to the root \
            of the git work tree holding the current folder (else to the current folder), columns in Unicode \
            code points, a fix for every change rewrite would make, and a notification for every file that \
            could not be checked.
            """))
    var format: CheckFormat = .text

    @Option(help: "Lowest level that fails the check: suggestion, warning or error.")
    var failLevel: FindingLevel = .warning

    @OptionGroup var rules: RuleOptions

    @OptionGroup var options: RunOptions

    @Option(help: ArgumentHelp("Files to check at once (default: the number of processors).", valueName: "n"))
    var jobs: Int?

    @OptionGroup var fileSelection: FileSelection

    @Option(help: ArgumentHelp(
        "After a check that passes, write a one-line comment with the number of findings to this file.",
        discussion: "For build systems that need an output to know the check is up to date; the SwiftPM build-tool plugin compiles it as an empty Swift file.",
        valueName: "file"))
    var stamp: String?

    enum CheckFormat: String, ExpressibleByArgument, CaseIterable { case text, json, sarif }

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let pipeline = try loadPipeline(style, options: options, rules: rules.selection)
        let files = try fileSelection.collect(paths)
        var reports: [FindingReport] = []
        var sarif = format == .sarif ? SARIFReport(toolVersion: houseStyleVersion, levels: pipeline.style.levels,
                                                     entryRules: SARIFReport.entryRules(of: pipeline.style)) : nil
        var unreadable = false
        let progress = ProgressBar(total: files.count, label: "check")
        let results = BatchRunner(pipeline: pipeline, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount).run(files) { progress.advance() }
        for (file, result) in zip(files, results) {
            switch result {
            case .success(let rewrite):
                reports += rewrite.checkFindings().map { FindingReport(path: file.path, finding: $0, in: rewrite.document) }
                sarif?.add(rewrite, path: file.path)
            case .failure(let error):
                unreadable = true
                Console.error(error is InputError ? "\(error)" : "\(file.path): error: \(error)")
                sarif?.addNotChecked(path: file.path, error: error)
            }
        }
        let status = unreadable ? Status.unusable : reports.contains(where: { $0.level >= failLevel }) ? Status.failed : 0
        switch format {
        case .text:
            Console.out(reports.map { $0.formatted + "\n" }.joined())
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            Console.out(String(decoding: try encoder.encode(reports), as: UTF8.self) + "\n")
        case .sarif:
            Console.out(String(decoding: try sarif?.json(exitCode: status) ?? Data(), as: UTF8.self) + "\n")
        }
        if status != 0 { throw ExitCode(status) }
        if let stamp {
            do {
                try Data("// housestyle check: \(reports.count) findings\n".utf8).write(to: URL(fileURLWithPath: stamp), options: .atomic)
            } catch {
                Console.error("\(stamp): error: cannot write the stamp file: \(error.localizedDescription)")
                throw ExitCode(Status.unusable)
            }
        }
    }
}

extension FindingLevel: ExpressibleByArgument {}
