import ArgumentParser
import Foundation
import HouseStyle

/// `housestyle lsp`: a language server over stdin and stdout, for editors.
struct LSPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Run a language server (LSP) on stdin and stdout: check findings and quick fixes in your editor.",
        discussion: """
            Editors start this command and speak the Language Server Protocol 3.17 to it over stdin and \
            stdout. Open Markdown and plain-text documents get what check reports as diagnostics, and each \
            change rewrite would make is a quick fix; one more action makes them all. The style is looked up \
            in the workspace the editor opens (or the current folder): --style NAME is styles/NAME.yaml \
            there, a path is relative to it, and without --style it is the style in styles/ that no other \
            style there extends. Style files are read again when they change. The server never trains: a \
            style's learned stage runs only with --learned and a model that is already trained and up to \
            date. See docs/lsp.md for editor set-up.
            """)

    @Option(help: "A style name (styles/NAME.yaml in the workspace) or a style file path (default: the style in styles/ that no other extends).")
    var style: String?

    @Flag(help: "Run the style's learned stage when its model is trained and up to date (never trains).")
    var learned = false

    @Flag(help: ArgumentHelp("Accepted and ignored: the server always speaks over stdin and stdout (some clients pass it).", visibility: .hidden))
    var stdio = false

    @OptionGroup var commands: CommandPermission

    @OptionGroup var allowedPaths: PathPermission

    func run() throws {
        // A client that goes away mid-write must end the server quietly, not with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let options = LanguageServer.Options(
            style: style, allowsCommands: commands.allowed, allowedPaths: allowedPaths.allowed, runsLearnedStage: learned)
        let status = LanguageServer.serve(options: options, input: STDIN_FILENO, output: STDOUT_FILENO)
        if status != 0 { throw ExitCode(status) }
    }
}
