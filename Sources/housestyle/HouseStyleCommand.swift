import ArgumentParser
import HouseStyle

@main
struct HouseStyleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "housestyle",
        abstract: "Rewrite documents into an organisation's house style.",
        version: houseStyleVersion,
        subcommands: [ValidateCommand.self, TrainCommand.self, RewriteCommand.self, FilterCommand.self, CheckCommand.self, EvalCommand.self]
    )
}
