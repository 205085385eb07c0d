import Foundation
import Testing

/// An external stage leads a process group of its own, which a terminal's Ctrl-C (sent to
/// `housestyle`'s group) does not reach: when `housestyle` is interrupted, it kills the stage's
/// group itself and then ends by the signal, leaving nothing running (issue 13).
@Suite struct StageInterruptTests {
    /// Whether `pid` is a live process (not gone, not a zombie waiting for its new parent to reap it).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
        return state != "Z" && state != "X"
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func anInterruptKillsTheRunningStageAndItsChildren(signal: Int32) throws {
        let folder = try TemporaryFolder()
        // The stage starts a child in its group, says both pids, and waits far past the test.
        try folder.write([
            "styles/house.yaml": "version: 1\nstages:\n  post: [{command: [sh, tools/hang.sh], timeout: 300, name: hang}]\n",
            "tools/hang.sh": "sleep 300 &\necho \"$$ $!\" > pids.tmp\nmv pids.tmp pids\nwait\n",
            "input.md": "Hello world.\n",
        ])
        // Started with no signal blocked, as from a shell: Foundation's Process passes on the test
        // runner's mask, in which SIGINT is blocked (and an interrupt would wait for the timeout).
        let script = "cd \"$1\" && exec \"$2\" filter house --allow-commands < input.md > /dev/null 2>&1"
        let arguments = ["/bin/sh", "-c", script, "sh", folder.url.path, CLI.binary]
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), interrupts = sigset_t()
        sigemptyset(&none)
        sigemptyset(&interrupts)
        sigaddset(&interrupts, SIGINT)
        sigaddset(&interrupts, SIGTERM)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &interrupts)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var housestyle: pid_t = 0
        try #require(posix_spawn(&housestyle, "/bin/sh", nil, &attributes, argv, environ) == 0)
        var exited = false, status: Int32 = 0
        /// Reaps housestyle if it has ended, waiting up to `seconds`.
        func reap(within seconds: Double) {
            let start = Date()
            while !exited {
                if waitpid(housestyle, &status, WNOHANG) == housestyle { exited = true; return }
                if Date().timeIntervalSince(start) > seconds { return }
                usleep(20_000)
            }
        }

        var pids: [Int32] = []
        // Whatever happens below, nothing of the test is left running.
        defer {
            if !exited { kill(housestyle, SIGKILL); reap(within: 10) }
            for pid in pids { kill(pid, SIGKILL) }
        }
        let start = Date()
        while pids.count < 2 && Date().timeIntervalSince(start) < 60 {
            if folder.exists("pids") { pids = try folder.read("pids").split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }
            if pids.count < 2 { usleep(20_000) }
        }
        try #require(pids.count == 2, "the stage did not start within 60 s")
        #expect(pids.allSatisfy(Self.isRunning))

        kill(housestyle, signal)
        reap(within: 30)
        // It ends by the signal, as it would without a stage running.
        try #require(exited, "housestyle still ran 30 s after the signal")
        #expect(status & 0x7f == signal, "wait status \(status)")
        // The stage and its child are gone (SIGKILL is immediate, but the kernel may take a moment).
        let stopped = Date()
        while pids.contains(where: Self.isRunning) && Date().timeIntervalSince(stopped) < 5 { usleep(20_000) }
        #expect(!pids.contains(where: Self.isRunning), "stage \(pids[0]) or its child \(pids[1]) outlived the interrupted housestyle")
    }
}
