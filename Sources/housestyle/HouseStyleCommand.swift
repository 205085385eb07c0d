import ArgumentParser
import Foundation
import HouseStyle

@main
struct HouseStyleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "housestyle",
        abstract: "Rewrite documents into an organisation's house style.",
        version: houseStyleVersion,
        subcommands: [
            InitCommand.self, ValidateCommand.self, TrainCommand.self, RewriteCommand.self, FilterCommand.self, CheckCommand.self, ScoreCommand.self,
            EvalCommand.self, ImportCommand.self, LSPCommand.self,
        ]
    )

    /// ArgumentParser's `main`, except that bad arguments exit with status 2 (`Status.unusable`,
    /// as the README documents) rather than EX_USAGE (64). Its messages, `--help` and
    /// `--version` are unchanged.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            Console.error(fullMessage(for: error))
            Foundation.exit(Status.unusable)
        }
    }
}
