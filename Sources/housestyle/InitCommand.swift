import ArgumentParser
import Foundation
import HouseStyle

/// `housestyle init NAME --from DOCS`: writes styles/NAME.yaml inferred from documents.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Infer a style from documents and write it as styles/NAME.yaml.",
        discussion: """
            Counts the habits of the documents (Markdown read as Markdown, so code blocks, inline \
            code, URLs, HTML and front matter are not counted): British or American spelling (the \
            spelling stage's table), contractions, straight or curly quotation marks, dashes, \
            ellipses, serial commas, and terms written in more than one way (email / e-mail, \
            Acme Cloud / AcmeCloud). A setting is decided when --min-share of its sites go one \
            way and the counts make it probable, at --confidence, that this way holds more than \
            half of such sites (P(share > 1/2) with a uniform prior: at 0.95, 4 sites all one way \
            decide and 3 do not); otherwise it is 'keep' (or left out), and the comment above it \
            says why. Every decision has its counts and that probability in a comment. corpus.voice \
            lists the documents; a model section is there, commented out. Without --from, the \
            documents are those in corpora/NAME beside the styles folder, where a style keeps its \
            voice corpus; when that folder does not exist, nothing is written.

            The file is written atomically, only if it validates, and never over an existing one \
            unless --force. See docs/init.md.

            Exit status: 0 written, 2 nothing written (a missing or unreadable document, no \
            documents, an existing style file, bad arguments).
            """)

    @Argument(help: "The style's name: the file is <styles-dir>/NAME.yaml.")
    var name: String

    @Option(name: .customLong("from"), parsing: .upToNextOption,
            help: ArgumentHelp("Folders, files or globs of Markdown and text documents (.md, .markdown, .txt); default: corpora/NAME.", valueName: "docs"))
    var sources: [String] = []

    @Option(name: .customLong("styles-dir"), help: "The folder the style file is written to; its parent is the folder corpus globs are relative to.")
    var stylesDirectory = "styles"

    @Flag(help: "Replace an existing style file.")
    var force = false

    @Option(name: .customLong("confidence"), help: ArgumentHelp("P(share > 1/2) a setting needs before it is decided, above 0.5 and below 1; higher asks for more sites.", valueName: "p"))
    var confidence = InferenceThresholds().confidence

    @Option(name: .customLong("min-share"), help: ArgumentHelp("Share of the sites (0.5 to 1) one way needs.", valueName: "share"))
    var minimumShare = InferenceThresholds().minimumShare

    @OptionGroup var allowedPaths: PathPermission

    func validate() throws {
        guard confidence > 0.5 && confidence < 1 else { throw ValidationError("--confidence must be above 0.5 and below 1, not \(confidence)") }
        guard minimumShare > 0.5 && minimumShare <= 1 else {
            throw ValidationError("--min-share must be above 0.5 and at most 1, not \(minimumShare)")
        }
    }

    func run() throws {
        var thresholds = InferenceThresholds()
        thresholds.confidence = confidence
        thresholds.minimumShare = minimumShare
        let initializer = StyleInitializer(name: name, sources: sources, stylesDirectory: stylesDirectory, force: force,
                                           allowedPaths: allowedPaths.allowed, thresholds: thresholds)
        let command = (["housestyle", "init", name, "--from"] + (sources.isEmpty ? [initializer.defaultCorpus] : sources)).joined(separator: " ")
        let result: StyleInitializer.Result
        do { result = try initializer.run(command: command) } catch {
            Console.error("error: \(error)")
            throw ExitCode(Status.unusable)
        }
        for warning in result.warnings { Console.error(warning) }
        let s = result.style
        func line(_ key: String, _ value: String, _ setting: InferredSetting<some Sendable & Hashable>) -> String {
            "  \(key): \(value)\(setting.undecided.map { " (\($0))" } ?? "")"
        }
        Console.out("""
            \(result.path): inferred from \(s.counts.documents) document\(s.counts.documents == 1 ? "" : "s") (\(InferredStyle.grouped(s.counts.words)) words of prose)
            \(line("spelling", s.spelling.value.rawValue, s.spelling))
            \(line("contractions", s.contractions.value.rawValue, s.contractions))
            \(line("quotes", s.quotes.value.rawValue, s.quotes))
            \(line("oxford_comma", s.oxfordComma.value.map(String.init) ?? "not set", s.oxfordComma))
            \(line("dashes", s.dashes.value.rawValue, s.dashes))
            \(line("ellipsis", s.ellipsis.value.rawValue, s.ellipsis))
              terms: \(s.terms.count)\(s.terms.isEmpty ? "" : " (" + s.terms.prefix(5).map(\.use).joined(separator: ", ") + (s.terms.count > 5 ? ", ..." : "") + ")")\(s.termNotes.isEmpty ? "" : "; variants left to the writer are listed in the file")

            """)
    }
}
