import ArgumentParser
import Foundation
import HouseStyle

/// How a style named on the command line is found and what it may read: for every command that
/// loads a style.
struct StyleOptions: ParsableArguments {
    @Option(name: .customLong("styles-dir"), help: ArgumentHelp(
        "The folder a style name is looked up in: NAME is FOLDER/NAME.yaml (a path is used as it is).", valueName: "folder"))
    var stylesDirectory = "styles"

    @OptionGroup var paths: PathPermission

    /// The style file a name or path on the command line stands for.
    func path(of nameOrPath: String) -> String {
        StyleLoader.path(forNameOrPath: nameOrPath, stylesDirectory: stylesDirectory)
    }

    /// Loads a style, printing its mistakes; any mistake ends the command (status 2).
    func load(_ nameOrPath: String, checksCorpusFiles: Bool = true) throws -> Style {
        do {
            return try StyleLoader(checksCorpusFiles: checksCorpusFiles, allowedPaths: paths.allowed).load(path: path(of: nameOrPath))
        } catch {
            for diagnostic in error.diagnostics { Console.error(diagnostic.description) }
            throw ExitCode(Status.unusable)
        }
    }
}

/// The options of every command that runs a style's stages: how the style is found, whether its
/// model may be trained, and whether its external commands may run.
struct RunOptions: ParsableArguments {
    @OptionGroup var style: StyleOptions

    @Flag(help: "Fail instead of training when the style's model is missing or out of date.")
    var noTrain = false

    @OptionGroup var commands: CommandPermission
}

/// `--include` and `--exclude`: which files of the folders given are taken.
struct FileSelection: ParsableArguments {
    @Option(help: ArgumentHelp("In folders, only files matching this glob (repeatable; default: *.md, *.markdown, *.txt).", valueName: "glob"))
    var include: [String] = []

    @Option(help: ArgumentHelp("Skip files, and folders with everything in them, matching this glob (repeatable).", valueName: "glob"))
    var exclude: [String] = []

    /// What the globs are matched against (FileCollector), for each command's discussion.
    static let help = """
        --include and --exclude globs are matched against each file's path below the folder argument (for `docs`, \
        docs/sub/a.md is sub/a.md) and against its name alone (a.md); for a glob argument, against \
        the path it expanded to. An --exclude glob matching a folder's path below the argument, or \
        its name, skips that folder and everything below it. Files named as arguments are always taken.
        """

    /// The files to work on for the user's path arguments; an unknown path ends the command
    /// (status 2). Folders in `skipping` (an output folder) are not searched.
    func collect(_ paths: [String], skipping: [String] = []) throws -> [InputFile] {
        do {
            return try FileCollector(include: include, exclude: exclude, skipping: skipping).collect(paths)
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(Status.unusable)
        }
    }
}

/// `--only RULE` and `--skip RULE`: which rules of the style run (rewrite, check, filter).
struct RuleOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Run only this rule (repeatable, or comma-separated).",
        discussion: """
            A rule is the stage that makes an edit, as --explain and check name it: normalize, terms, \
            avoid, spelling, contractions, punctuation, smart_quotes, learned, an external stage's \
            name, or the `rule` name of terms and avoid entries (Microsoft.Avoid: the entries of that \
            name alone). A rule that is not run is not set up: with --skip learned no model is loaded or \
            trained, and a skipped external stage is not started. An unknown name is an error that lists \
            the style's rules.
            """,
        valueName: "rule"))
    var only: [String] = []

    @Option(help: ArgumentHelp("Do not run this rule (repeatable, or comma-separated).", valueName: "rule"))
    var skip: [String] = []

    var selection: RuleSelection {
        func names(_ values: [String]) -> [String] {
            values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
        }
        return RuleSelection(only: names(only), skip: names(skip))
    }

    func validate() throws {
        if let empty = (only + skip).first(where: { $0.split(separator: ",").allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }) {
            throw ValidationError("--only and --skip need a rule name, not '\(empty)'")
        }
    }
}
