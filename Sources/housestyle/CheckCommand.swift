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
            """ + "\n\n" + includeExcludeHelp)

    @Argument(help: "A style name (styles/NAME.yaml) or a style file path.")
    var style: String

    @Argument(help: "Files, folders or globs to check.")
    var paths: [String]

    @Option(help: "Output format: text, json or sarif.")
    var format: CheckFormat = .text

    @Option(help: "Lowest level that fails the check: suggestion, warning or error.")
    var failLevel: FindingLevel = .warning

    @Flag(help: "Fail instead of training when the style's model is missing or out of date.")
    var noTrain = false

    @OptionGroup var commands: CommandPermission

    @OptionGroup var allowedPaths: PathPermission

    @Option(help: "In folders, only files matching this glob (repeatable; default: *.md, *.markdown, *.txt).")
    var include: [String] = []

    @Option(help: "Skip files, and folders with everything in them, matching this glob (repeatable).")
    var exclude: [String] = []

    @Option(help: ArgumentHelp(
        "After a check that passes, write a one-line comment with the number of findings to this file.",
        discussion: "For build systems that need an output to know the check is up to date; the SwiftPM build-tool plugin compiles it as an empty Swift file.",
        valueName: "file"))
    var stamp: String?

    enum CheckFormat: String, ExpressibleByArgument, CaseIterable { case text, json, sarif }

    func run() throws {
        let pipeline = try loadPipeline(style, train: !noTrain, commands: commands, paths: allowedPaths)
        let files = try collectFiles(paths, include: include, exclude: exclude)
        var reports: [FindingReport] = []
        var unreadable = false
        for file in files {
            do {
                let text = try TextFile.read(file.path)
                let rewrite = try pipeline.rewrite(text, path: file.path)
                reports += rewrite.checkFindings().map { FindingReport(path: file.path, finding: $0, in: rewrite.document) }
            } catch {
                unreadable = true
                Console.error(error is InputError ? "\(error)" : "\(file.path): error: \(error)")
            }
        }
        switch format {
        case .text:
            Console.out(reports.map { $0.formatted + "\n" }.joined())
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            Console.out(String(decoding: try encoder.encode(reports), as: UTF8.self) + "\n")
        case .sarif:
            let log = SARIF.log(findings: reports, toolVersion: houseStyleVersion)
            let data = try JSONSerialization.data(withJSONObject: log, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
            Console.out(String(decoding: data, as: UTF8.self) + "\n")
        }
        if unreadable { throw ExitCode(Status.unusable) }
        if reports.contains(where: { $0.level >= failLevel }) { throw ExitCode(Status.failed) }
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
