import ArgumentParser
import Foundation
import HouseStyle

/// `housestyle validate STYLE...`: checks style files and shows the resolved style.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check style files and show each resolved style.",
        discussion: """
            Every mistake in a style file and its parents is printed to standard error as \
            path:line:column: error: message, and what is valid but probably unintended as \
            path: warning: message. Exit status: 0 when every style is valid (with or without \
            warnings), 1 when one is invalid, 2 when a file cannot be read.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "A style name (looked up as <styles-dir>/NAME.yaml) or a path to a style file.")
    var styles: [String]

    @Option(help: "Print the resolved style as 'text' (a summary) or 'json' (every setting, keys sorted).")
    var format: Format = .text

    @Flag(help: "Do not check that every corpus glob matches a file.")
    var skipCorpusCheck = false

    @OptionGroup var styleOptions: StyleOptions

    func run() throws {
        let loader = StyleLoader(checksCorpusFiles: !skipCorpusCheck, allowedPaths: styleOptions.paths.allowed)
        var resolved: [Style] = []
        var status: Int32 = 0
        for style in styles {
            let path = styleOptions.path(of: style)
            let result = loader.validate(path: path)
            if let style = result.style, result.diagnostics.isEmpty {
                for warning in style.warnings { Console.error(warning.description) }
                resolved.append(style)
                continue
            }
            let error = StyleLoadError(diagnostics: result.diagnostics)
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            status = max(status, error.isUnreadable ? 2 : 1)
        }
        switch format {
        case .text:
            if !resolved.isEmpty { print(resolved.map(\.summary).joined(separator: "\n\n")) }
        case .json:
            if resolved.count == 1 && styles.count == 1 {
                print(resolved[0].jsonString())
            } else if !resolved.isEmpty || status == 0 {
                print("[\n" + resolved.map { indent($0.jsonString()) }.joined(separator: ",\n") + "\n]")
            }
        }
        if status != 0 { throw ExitCode(status) }
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}
