import ArgumentParser
import Foundation
import HouseStyle

/// Where the CLI writes: stdout for results, stderr for everything else.
enum Console {
    static func out(_ text: String) {
        // Written from the string's own storage: a large output is not copied into a `Data` first.
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            FileHandle.standardOutput.write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none))
        }
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

/// Loads a style by name (`<styles-dir>/NAME.yaml`) or path and builds its pipeline of the rules
/// `rules` selects, printing every mistake in the style file to stderr. A style with the `learned`
/// stage (selected) whose model is missing or stale is trained first, unless `--no-train`, which
/// makes that an error.
func loadPipeline(_ nameOrPath: String, options: RunOptions, rules: RuleSelection = RuleSelection()) throws -> Pipeline {
    try loadPipeline(loadRunnableStyle(nameOrPath, options: options, rules: rules), nameOrPath: nameOrPath, options: options, rules: rules)
}

/// Loads a style to run its stages: one with external commands is refused (status 2) unless
/// they are allowed, before anything else is read or written; so is a `--only` or `--skip` that
/// names no rule of the style. What `rules` leaves out is not set up (a learned model, a command).
func loadRunnableStyle(_ nameOrPath: String, options: RunOptions, rules: RuleSelection = RuleSelection()) throws -> Style {
    // Rewriting does not read the corpus unless the model must be trained, so a checkout without
    // the corpus can still rewrite with rules (and with a bundle that is present).
    let full = try options.style.load(nameOrPath, checksCorpusFiles: false)
    do { try rules.check(against: full) } catch {
        Console.error("error: \(error)")
        throw ExitCode(Status.unusable)
    }
    let style = full.selecting(rules)
    do { try Pipeline.checkCommands(of: style, allowed: options.commands.allowed) } catch {
        Console.error("\(style.chain.first?.path ?? nameOrPath): error: \(error)")
        throw ExitCode(Status.unusable)
    }
    return style
}

/// Builds the pipeline of a style from `loadRunnableStyle`, training its model first if needed.
func loadPipeline(_ style: Style, nameOrPath: String, options: RunOptions, rules: RuleSelection = RuleSelection()) throws -> Pipeline {
    if style.usesLearnedStage { try prepareModel(style, nameOrPath: nameOrPath, train: !options.noTrain) }
    do {
        let pipeline = try Pipeline(style: style, resources: Resources(styleRoot: style.root), allowsCommands: options.commands.allowed)
        return pipeline.selecting(rules)
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
    // Never a long run by surprise, least of all inside a pipe: say how long it will take.
    let estimate = machineEstimate(style)
    let cost = estimate.map { "this reads \($0.summary) and should take \(expectedDuration($0))" }
        ?? "this reads the corpora and can take minutes"
    Console.error("note: style '\(style.name)' needs its trained model, so it is trained first; \(cost) "
        + "(--no-train refuses instead, with status 2)")
    try train(style, reason: reason, estimate: estimate)
}

/// Progress on stderr, so that no long run is silent: on a terminal a bar redrawn in place;
/// otherwise (a log file, CI) a plain line every `interval` seconds, the first after as long, so
/// that short runs print nothing. `HOUSESTYLE_PROGRESS_SECONDS` sets the interval (default 5).
/// A step that reports nothing for a while (mining neighbours with the encoder reports once in
/// minutes) still shows it is alive: every `interval` seconds without news the last state is shown
/// again with the time elapsed and "still working", without its stale estimate of the time left.
final class ProgressLog: @unchecked Sendable {
    private let label: String
    private let terminal: Bool
    private let interval: Double
    private let start = Date()
    private var lastLine: Date
    private var lastDraw = Date.distantPast
    private let lock = NSLock()
    /// The last state reported, and when: the heartbeat shows it again when nothing new comes.
    private var last: (fraction: Double, detail: String)?
    private var lastNews = Date()
    private var finished = false
    private var heartbeat: DispatchSourceTimer?

    init(label: String, terminal: Bool = Console.stderrIsTerminal) {
        self.label = label
        self.terminal = terminal
        interval = ProcessInfo.processInfo.environment["HOUSESTYLE_PROGRESS_SECONDS"].flatMap(Double.init).map { max($0, 0) } ?? 5
        lastLine = start
        guard interval > 0 else { return }
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.beat() }
        timer.resume()
        heartbeat = timer
    }

    deinit { heartbeat?.cancel() }

    /// Reports `fraction` (0...1) done, with what is being done and, when known, the seconds left.
    func update(_ fraction: Double, _ detail: String, secondsLeft: Int? = nil) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let fraction = min(max(fraction, 0), 1)
        last = (fraction, detail)
        lastNews = now
        let left = fraction < 1 ? secondsLeft.map { "about \($0) s left" } : nil
        show(fraction, detail, left: left, at: now)
    }

    /// Shows the last state again after `interval` seconds without news.
    private func beat() {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard !finished, let last, last.fraction < 1, now.timeIntervalSince(lastNews) >= interval else { return }
        show(last.fraction, last.detail, left: nil, at: now, stillWorking: true)
    }

    /// One line (or redraw of the bar); `stillWorking`: a heartbeat, which adds the time elapsed
    /// on a terminal too and says the step is still working.
    private func show(_ fraction: Double, _ detail: String, left: String?, at now: Date, stillWorking: Bool = false) {
        let elapsed = Int(now.timeIntervalSince(start).rounded())
        if terminal {
            // At most ten redraws a second, and always the last.
            guard fraction >= 1 || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            let width = 30, filled = Int(Double(width) * fraction)
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let tail = stillWorking ? "\(elapsed) s elapsed, still working" : left
            FileHandle.standardError.write(Data("\r\u{1B}[K[\(bar)] \(Int(fraction * 100))% \(detail)\(tail.map { ", \($0)" } ?? "")".utf8))
            if fraction >= 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        } else {
            guard fraction < 1, now.timeIntervalSince(lastLine) >= interval else { return }
            lastLine = now
            let tail = stillWorking ? "still working" : left
            Console.error("\(label): \(Int(fraction * 100))% \(detail), \(elapsed) s elapsed\(tail.map { ", \($0)" } ?? "")")
        }
    }

    /// Stops the heartbeat and clears the bar (on a terminal) after the work ends, however it ends.
    func finish() {
        lock.lock()
        finished = true
        lock.unlock()
        heartbeat?.cancel()
        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// Progress over a number of files (see `ProgressLog`).
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private var done = 0
    private let lock = NSLock()
    private let log: ProgressLog
    private let start = Date()

    init(total: Int, label: String = "housestyle") {
        self.total = total
        log = ProgressLog(label: label)
    }

    func advance() {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        guard total > 1 else { return }
        let elapsed = Date().timeIntervalSince(start)
        let eta = Int((elapsed / Double(done) * Double(total - done)).rounded())
        log.update(Double(done) / Double(total), "\(done)/\(total) files", secondsLeft: eta)
    }
}
