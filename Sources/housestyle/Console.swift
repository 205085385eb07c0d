import ArgumentParser
import Foundation
import HouseStyle

/// Where the CLI writes: stdout for results, stderr for everything else.
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// Exit statuses shared by the subcommands.
enum Status {
    /// Some files (or findings) failed; the others were processed.
    static let failed: Int32 = 1
    /// Nothing could run: a bad style, bad arguments, unreadable inputs.
    static let unusable: Int32 = 2
}

/// `--allow-commands` (or `HOUSESTYLE_ALLOW_COMMANDS=1`), for every subcommand that runs a style.
struct CommandPermission: ParsableArguments {
    @Flag(help: ArgumentHelp(
        "Run the external commands ({command: [...]} stages) of the style and of the styles it extends.",
        discussion: """
            Without this flag or HOUSESTYLE_ALLOW_COMMANDS=1 in the environment, a style with such a stage \
            is refused (exit status 2) before any file is read: a style file, perhaps one you downloaded, \
            must not run programs unasked. 'housestyle validate STYLE' lists every command it would run.
            """))
    var allowCommands = false

    /// Whether the style's commands may run in this invocation.
    var allowed: Bool { allowCommands || ProcessInfo.processInfo.environment["HOUSESTYLE_ALLOW_COMMANDS"] == "1" }
}

/// `--allow-path DIR` (repeatable, or `HOUSESTYLE_ALLOW_PATHS`), for every subcommand that loads a style.
struct PathPermission: ParsableArguments {
    @Option(name: .customLong("allow-path"), help: ArgumentHelp(
        "Let the style read files in this folder too: parent styles, corpora, model.base (repeatable).",
        discussion: """
            A style reads files only inside its project: the Git repository that holds the style file \
            you name (outside Git: the folder that holds its styles/ folder, or else its own folder). \
            A parent style (extends), corpus glob or model.base outside it, or reached through a \
            symbolic link that leads out of it, is refused before anything there is read, unless \
            this option or HOUSESTYLE_ALLOW_PATHS (folders separated by ':') allows its folder.
            """,
        valueName: "folder"))
    var allowPath: [String] = []

    /// The folders allowed in this invocation: the option's, then the environment's.
    var allowed: [String] { allowPath + PathScope.allowedPaths() }
}

/// Loads a style by name (`styles/NAME.yaml`) or path and builds its pipeline, printing every
/// mistake in the style file to stderr. A style with the `learned` stage whose model is missing
/// or stale is trained first, unless `train` is false, which makes that an error.
func loadPipeline(_ nameOrPath: String, train allowTraining: Bool = true, commands: CommandPermission, paths: PathPermission) throws -> Pipeline {
    try loadPipeline(loadRunnableStyle(nameOrPath, commands: commands, paths: paths), nameOrPath: nameOrPath, train: allowTraining, commands: commands)
}

/// Loads a style to run its stages: one with external commands is refused (status 2) unless
/// they are allowed, before anything else is read or written.
func loadRunnableStyle(_ nameOrPath: String, commands: CommandPermission, paths: PathPermission) throws -> Style {
    // Rewriting does not read the corpus unless the model must be trained, so a checkout without
    // the corpus can still rewrite with rules (and with a bundle that is present).
    let style = try loadStyle(nameOrPath, checksCorpusFiles: false, paths: paths)
    do { try Pipeline.checkCommands(of: style, allowed: commands.allowed) } catch {
        Console.error("\(style.chain.first?.path ?? nameOrPath): error: \(error)")
        throw ExitCode(Status.unusable)
    }
    return style
}

/// Builds the pipeline of a style from `loadRunnableStyle`, training its model first if needed.
func loadPipeline(_ style: Style, nameOrPath: String, train allowTraining: Bool, commands: CommandPermission) throws -> Pipeline {
    if style.usesLearnedStage { try prepareModel(style, nameOrPath: nameOrPath, train: allowTraining) }
    do {
        let pipeline = try Pipeline(style: style, resources: Resources(styleRoot: style.root), allowsCommands: commands.allowed)
        return pipeline
    } catch {
        Console.error("\(style.chain.first?.path ?? nameOrPath): error: \(error)")
        throw ExitCode(Status.unusable)
    }
}

/// Trains the model of `style` when it is missing or out of date, or, when `train` is false, ends
/// the command (status 2) saying how to train it.
func prepareModel(_ style: Style, nameOrPath: String, train allowTraining: Bool) throws {
    let reason: String?
    switch try modelStatus(style) {
    case .current: reason = nil
    case .missing: reason = "no model in \(ModelBundle.directory(for: style))"
    case .stale(let why): reason = "the model is out of date: \(why)"
    }
    guard let reason else { return }
    guard allowTraining else {
        Console.error("error: \(reason); run 'housestyle train \(nameOrPath)' (or drop --no-train)")
        throw ExitCode(Status.unusable)
    }
    try train(style, reason: reason)
}

/// A one-line progress bar on stderr, drawn only on a terminal.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private var done = 0
    private let lock = NSLock()
    private let enabled: Bool
    private let start = Date()

    init(total: Int) {
        self.total = total
        self.enabled = Console.stderrIsTerminal && total > 1
    }

    func advance() {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        guard enabled else { return }
        let width = 30
        let filled = total == 0 ? width : width * done / total
        let elapsed = Date().timeIntervalSince(start)
        let eta = done == 0 ? 0 : elapsed / Double(done) * Double(total - done)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) eta \(Int(eta.rounded()))s ".utf8))
        if done == total { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// What `--include` and `--exclude` globs are matched against (FileCollector).
let includeExcludeHelp = """
    --include and --exclude globs are matched against each file's path below the folder argument (for `docs`, \
    docs/sub/a.md is sub/a.md) and against its name alone (a.md); for a glob argument, against \
    the path it expanded to. An --exclude glob matching a folder's path below the argument, or \
    its name, skips that folder and everything below it. Files named as arguments are always taken.
    """

/// The files to work on for the user's path arguments; an unknown path ends the command (status 2).
/// Folders in `skipping` (an output folder) are not searched.
func collectFiles(_ paths: [String], include: [String], exclude: [String], skipping: [String] = []) throws -> [InputFile] {
    do {
        return try FileCollector(include: include, exclude: exclude, skipping: skipping).collect(paths)
    } catch {
        Console.error("error: \(error)")
        throw ExitCode(Status.unusable)
    }
}
