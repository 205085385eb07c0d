internal import CProcessShim
import Foundation

/// One run of an external stage's program, bounded by a deadline.
///
/// The program gets only stdin, stdout and stderr (every other descriptor of the host is closed in
/// it) and starts as the leader of its own process group. The host writes the input and reads
/// both outputs with non-blocking descriptors and `poll` until the program exits or the deadline
/// passes, whichever comes first. It never waits for an end of file: a process the stage left
/// behind (a detached `setsid sleep 20 &`) may hold the output pipes open long after the stage
/// has exited. Once the program has exited, what it wrote is its answer.
///
/// Its group is outside the terminal's reach (Ctrl-C goes to the host's group), so while it runs
/// an interrupt of the host (SIGINT, SIGTERM, SIGHUP) kills the group before the host ends
/// (`hs_process_spawn`): a hung stage does not outlive an interrupted `housestyle`.
///
/// Memory is bounded too: stdout is read up to a limit, past which the program is stopped, and
/// of stderr only the last `stderrTail` bytes are kept (messages show less than that).
struct StageProcess {
    /// How much of the end of a stage's stderr is kept.
    static let stderrTail = 64 << 10

    /// How the program ended and what it wrote.
    struct Outcome {
        /// The exit status, or the signal number when `signalled`.
        var code: Int32
        var signalled: Bool
        var stdout: Data
        var stderr: Data
    }

    /// Runs `path` with `argv` (its first element the name the program sees itself by) in
    /// `directory`, writes `input` to its stdin and collects its output.
    /// - Returns: the outcome, or nil when the program was still running at the deadline: it and
    ///   its process group were then killed with SIGKILL.
    /// - Throws: `StageError.launchFailed` when the program could not be started;
    ///   `StageError.outputTooLarge` when it wrote more than `outputLimit` bytes to stdout: it and
    ///   its process group were then killed with SIGKILL.
    static func run(path: String, argv: [String], directory: String, input: Data, timeout: Double,
                    outputLimit: Int, stage: String) throws -> Outcome? {
        // A stage that exits without reading its input must not kill the host with SIGPIPE.
        _ = ignoreSIGPIPE
        // Far-future deadlines (`timeout: .inf`) are clamped to what Duration holds.
        let deadline = ContinuousClock.now + .seconds(min(timeout, 1e9))

        var descriptors = Descriptors()
        defer { descriptors.closeAll() }
        func makePipe() throws -> (read: Int32, write: Int32) {
            var ends: [Int32] = [-1, -1]
            let status = hs_process_pipe(&ends)
            guard status == 0 else { throw StageError.launchFailed(stage: stage, reason: "cannot make a pipe: \(String(cString: strerror(status)))") }
            descriptors.open += ends
            return (ends[0], ends[1])
        }
        let toChild = try makePipe(), fromChild = try makePipe(), errorsFromChild = try makePipe()

        var pid: Int32 = 0
        let status = withCStrings(argv) { argv in
            hs_process_spawn(path, argv, directory, toChild.read, fromChild.write, errorsFromChild.write, &pid)
        }
        guard status == 0 else { throw StageError.launchFailed(stage: stage, reason: "\(path): \(String(cString: strerror(status)))") }
        // The child's ends are the child's alone: the host holding one would never see an end of file.
        descriptors.close(toChild.read)
        descriptors.close(fromChild.write)
        descriptors.close(errorsFromChild.write)
        for fd in [toChild.write, fromChild.read, errorsFromChild.read] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        // Readable once the child exits; without one (old kernels), poll wakes on a timer to look.
        let exitDescriptor = hs_process_exit_descriptor(pid)
        if exitDescriptor >= 0 { descriptors.open.append(exitDescriptor) }

        var stdin = toChild.write, stdout = fromChild.read, stderr = errorsFromChild.read
        var written = 0
        var output: [UInt8] = [], errors: [UInt8] = []
        if input.isEmpty { descriptors.close(stdin); stdin = -1 }

        while true {
            let exited = hs_process_has_exited(pid)
            precondition(exited >= 0, "stage \(stage): waitid failed (\(String(cString: strerror(errno)))); something else reaped the host's child")
            if exited == 1 {
                // Everything it wrote is in the pipes now; a process it left behind may keep them
                // open, so read what is there and stop.
                if stdin >= 0 { descriptors.close(stdin); stdin = -1 }
                while stdout >= 0 && output.count <= outputLimit && ContinuousClock.now < deadline {
                    if !drain(&stdout, into: &output, limit: outputLimit, descriptors: &descriptors) { break }
                }
                while stderr >= 0 && ContinuousClock.now < deadline { if !drain(&stderr, into: &errors, keepingLast: stderrTail, descriptors: &descriptors) { break } }
                var code: Int32 = 0, signalled: Int32 = 0
                if output.count > outputLimit {
                    // Its output is not read to the end; whatever the group still runs goes too.
                    kill(-pid, SIGKILL)
                }
                let reaped = hs_process_reap(pid, &code, &signalled)
                precondition(reaped == 0, "stage \(stage): waitpid failed (\(String(cString: strerror(reaped))))")
                guard output.count <= outputLimit else { throw StageError.outputTooLarge(stage: stage, limit: outputLimit) }
                return Outcome(code: code, signalled: signalled != 0, stdout: Data(output), stderr: Data(errors))
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { break }
            var waitFor: [pollfd] = []
            if stdin >= 0 { waitFor.append(pollfd(fd: stdin, events: Int16(POLLOUT), revents: 0)) }
            for fd in [stdout, stderr, exitDescriptor] where fd >= 0 { waitFor.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            var milliseconds = Int32(clamping: Int((remaining / .milliseconds(1)).rounded(.up)))
            if exitDescriptor < 0 { milliseconds = min(milliseconds, 20) }
            if poll(&waitFor, nfds_t(waitFor.count), milliseconds) < 0 && errno != EINTR {
                usleep(10_000)  // out of memory for a moment (ENOMEM): look again soon, until the deadline
            }
            if stdin >= 0 { feed(input, from: &written, to: &stdin, descriptors: &descriptors) }
            if stdout >= 0 { _ = drain(&stdout, into: &output, limit: outputLimit, descriptors: &descriptors) }
            if stderr >= 0 { _ = drain(&stderr, into: &errors, keepingLast: stderrTail, descriptors: &descriptors) }
            if output.count > outputLimit {
                // A stage writing without end (`yes`, a loop printing the text back) must not take
                // the host's memory: stop it now, as at the deadline.
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                var code: Int32 = 0, signalled: Int32 = 0
                _ = hs_process_reap(pid, &code, &signalled)
                throw StageError.outputTooLarge(stage: stage, limit: outputLimit)
            }
        }
        // Past the deadline and still running: stop the group, so that a script's children (a
        // `sleep` in a shell script) go with it. The child is not reaped yet, so its pid and group
        // id cannot belong to another process.
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        var code: Int32 = 0, signalled: Int32 = 0
        _ = hs_process_reap(pid, &code, &signalled)
        return nil
    }

    /// Reads what `fd` holds now into `buffer`; at an end of file (or an error) closes it and sets
    /// it to -1. Stops once `buffer` holds more than `limit` bytes; with `keepingLast`, keeps only
    /// about that many of the last bytes read instead, however much there is.
    /// Returns whether it read anything.
    private static func drain(_ fd: inout Int32, into buffer: inout [UInt8], limit: Int = .max, keepingLast tail: Int? = nil,
                              descriptors: inout Descriptors) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        var readAny = false
        while buffer.count <= limit {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer += chunk[..<count]
                if let tail, buffer.count > 2 * tail { buffer.removeFirst(buffer.count - tail) }
                readAny = true
                continue
            }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return readAny }
            descriptors.close(fd)
            fd = -1
            return readAny
        }
        return readAny
    }

    /// Writes as much of `input` after `written` as `fd` takes now; closes it (and sets it to -1)
    /// once all is written, or when the stage stopped reading.
    private static func feed(_ input: Data, from written: inout Int, to fd: inout Int32, descriptors: inout Descriptors) {
        while written < input.count {
            let count = input.withUnsafeBytes { write(fd, $0.baseAddress! + written, min($0.count - written, 65536)) }
            if count > 0 { written += count; continue }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            break  // EPIPE: the stage closed its stdin; what it does with the input is its own business
        }
        descriptors.close(fd)
        fd = -1
    }

    /// Calls `body` with `strings` as a NULL-terminated array of C strings.
    private static func withCStrings<Result>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result) -> Result {
        let copies = strings.map { strdup($0) } + [nil]
        defer { copies.forEach { free($0) } }
        return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    private static let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN) }()
}

/// The descriptors a run holds, closed when it ends whatever happens.
private struct Descriptors {
    var open: [Int32] = []

    mutating func close(_ fd: Int32) {
        guard let index = open.firstIndex(of: fd) else { return }
        open.remove(at: index)
        closeDescriptor(fd)
    }

    mutating func closeAll() {
        for fd in open { closeDescriptor(fd) }
        open = []
    }
}

/// `close(2)`, out of the way of the methods named `close`.
private func closeDescriptor(_ fd: Int32) { _ = close(fd) }
