import Foundation
import HouseStyleText

/// Errors of stages and of the pipeline that runs them.
public enum StageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A data file a stage needs is not installed.
    case missingResource(name: String, searched: [String])
    case corruptResource(path: String, reason: String)
    /// The style names a stage this build cannot run.
    case unavailable(stage: String)
    /// A stage returned an edit that touches protected text (code, a URL, ...).
    case editTouchesProtectedSpan(stage: String, edit: Range<Int>, span: ProtectedSpan.Kind)
    /// A stage returned edits that overlap each other.
    case overlappingEdits(stage: String, first: Range<Int>, second: Range<Int>)
    /// A stage returned an edit outside the text or inside a UTF-8 character.
    case invalidEditRange(stage: String, edit: Range<Int>, textLength: Int)
    /// An external stage could not be started.
    case launchFailed(stage: String, reason: String)
    /// An external stage ran longer than its timeout and was stopped.
    case timedOut(stage: String, seconds: Double)
    /// An external stage exited with a non-zero status.
    case failed(stage: String, status: Int32, stderr: String)
    /// An external stage was killed by a signal (a crash, or killed from outside).
    case signalled(stage: String, signal: Int32, stderr: String)
    /// An external stage wrote more than `limit` bytes to stdout and was stopped.
    case outputTooLarge(stage: String, limit: Int)
    /// An external stage wrote something that is not the protocol's JSON.
    case malformedOutput(stage: String, reason: String)
    /// The style has external stages (its own or a parent's) and the pipeline was not allowed to
    /// run commands: a style file, perhaps downloaded, must not run programs unasked.
    case commandsNotAllowed([CommandStage])

    public var description: String {
        switch self {
        case .missingResource(let name, let searched):
            return "data file '\(name)' not found (looked in \(searched.joined(separator: ", "))); run 'bash scripts/setup.sh'"
        case .corruptResource(let path, let reason):
            return "\(path): \(reason); run 'bash scripts/setup.sh' to rebuild it"
        case .unavailable(let stage):
            return "stage '\(stage)' is not available in this build of housestyle"
        case .editTouchesProtectedSpan(let stage, let edit, let span):
            return "stage '\(stage)' tried to edit protected \(span) text (bytes \(edit.lowerBound)..<\(edit.upperBound)); the edit was rejected"
        case .overlappingEdits(let stage, let first, let second):
            return "stage '\(stage)' returned overlapping edits (bytes \(first.lowerBound)..<\(first.upperBound) and \(second.lowerBound)..<\(second.upperBound))"
        case .invalidEditRange(let stage, let edit, let length):
            return "stage '\(stage)' returned an edit at bytes \(edit.lowerBound)..<\(edit.upperBound), which is not on character boundaries of the \(length)-byte text"
        case .launchFailed(let stage, let reason):
            return "stage '\(stage)' could not be started: \(reason)"
        case .timedOut(let stage, let seconds):
            return "stage '\(stage)' did not finish within \(formatSeconds(seconds)) s and was stopped; raise its 'timeout' or fix the command"
        case .failed(let stage, let status, let stderr):
            let detail = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "stage '\(stage)' exited with status \(status)" + (detail.isEmpty ? "" : ": \(detail)")
        case .signalled(let stage, let signal, let stderr):
            let names: [Int32: String] = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE",
                                          9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM"]
            let detail = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "stage '\(stage)' was killed by signal \(signal)" + (names[signal].map { " (\($0))" } ?? "") + (detail.isEmpty ? "" : ": \(detail)")
        case .outputTooLarge(let stage, let limit):
            return "stage '\(stage)' wrote more than \(formatBytes(limit)) to stdout, its limit, and was stopped; "
                + "a stage answers with one JSON object of edits and findings, not the text"
        case .malformedOutput(let stage, let reason):
            return "stage '\(stage)' wrote output that is not HouseStyle stage protocol JSON: \(reason)"
        case .commandsNotAllowed(let commands):
            let listed = commands.map { command in
                "stage '\(command.displayName)' would run `\(command.commandLine)`" + (command.mark.map { " (declared at \($0))" } ?? "")
            }.joined(separator: "; ")
            let them = commands.count == 1 ? "it" : "them"
            return "\(listed); commands in style files run only when allowed: review \(them), then pass --allow-commands "
                + "or set HOUSESTYLE_ALLOW_COMMANDS=1"
        }
    }
}

/// `67108864 bytes (64 MiB)`; the MiB only where they are whole.
private func formatBytes(_ bytes: Int) -> String {
    bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes) bytes (\(bytes >> 20) MiB)" : "\(bytes) bytes"
}

private func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
}
