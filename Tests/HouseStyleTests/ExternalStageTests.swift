import Foundation
import Testing
import HouseStyleText
import HouseStyleYAML
@testable import HouseStyle

/// Tiny stage scripts beside this file: reply.sh (prints its argument), sleep.sh, sleep-child.sh,
/// detached-child.sh, fail.sh, echo-request.sh, shorten.sh.
private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/stages")
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

/// A pipeline whose only post stage is `command` (YAML flow sequence items), named `name`. The
/// default timeout is generous: a loaded CI machine can take seconds to start a script; the
/// timeout test sets its own short one.
private func pipeline(command: [String], timeout: Double = 120, name: String? = nil) throws -> Pipeline {
    let argv = command.map { "'\($0)'" }.joined(separator: ", ")
    let named = name.map { ", name: \($0)" } ?? ""
    let style = try makeStyle("stages: { pre: [markdown], post: [{ command: [\(argv)], timeout: \(timeout)\(named) }] }")
    return try Pipeline(style: style, resources: testResources, allowsCommands: true)
}

/// A pipeline whose stage replies `json` whatever it is asked.
private func replying(_ json: String) throws -> Pipeline {
    try pipeline(command: [fixture("reply.sh"), json], name: "reply")
}

/// Runs `body`, expecting `error`; returns nothing so tests also check the message.
private func expectError(_ error: StageError, message: String, _ body: () throws -> Void) {
    #expect(error.description == message)
    #expect(throws: error) { try body() }
}

@Test func houseDatesExampleRewritesDatesInProseResolvedAgainstTheStyleRoot() throws {
    // The command is relative, as a style in a repository writes it: resolved against the root
    // (the parent of styles/), wherever the process runs.
    let style = try makeStyle("stages: { post: [{ command: [examples/stages/house-dates], timeout: 120 }] }")
    let destination = URL(fileURLWithPath: style.root).appendingPathComponent("examples/stages")
    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("examples/stages/house-dates").path,
                                     toPath: destination.appendingPathComponent("house-dates").path)
    let pipeline = try Pipeline(style: style, resources: testResources, allowsCommands: true)
    let input = "Ships on November 29, 2026 — or 11/29/2026 — not `11/29/2026`, https://x.test/11/29/2026 or 05/06/2026.\n"
    let result = try pipeline.rewrite(input, path: "news.md")
    #expect(result.text == "Ships on 29 November 2026 — or 29 November 2026 — not `11/29/2026`, https://x.test/11/29/2026 or 05/06/2026.\n")
    #expect(result.edits.map(\.edit.origin) == [.external("examples/stages/house-dates"), .external("examples/stages/house-dates")])
    #expect(result.edits.map(\.edit.reason) == Array(repeating: "house date format: day month year ('29 November 2026')", count: 2))
    #expect(result.edits.map(\.edit.confidence) == [1, 0.95])
    #expect(result.findings.map(\.message) == ["'05/06/2026' reads as a US or a European date; write '6 May 2026' or '5 June 2026'"])
    #expect(result.findings.map(\.level) == [.suggestion])
    #expect(try pipeline.rewrite(result.text, path: "news.md").edits.isEmpty)
}

@Test func requestCarriesTextProtectedSpansAndProseAsByteOffsets() throws {
    let result = try pipeline(command: [fixture("echo-request.sh")], name: "echo").rewrite("Café `x` ok", path: "a.md")
    let message = try #require(result.findings.first?.message)
    let request = try JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any]
    #expect(request?["protocol"] as? Int == 1)
    #expect(request?["path"] as? String == "a.md")
    #expect(request?["text"] as? String == "Café `x` ok")
    // "Café " is 6 bytes: the code span `x` is bytes 6..<9.
    let protected = request?["protected"] as? [[String: Any]]
    #expect(protected?.count == 1)
    #expect(protected?.first?["start"] as? Int == 6)
    #expect(protected?.first?["end"] as? Int == 9)
    #expect(protected?.first?["kind"] as? String == "codeSpan")
    #expect(request?["prose"] as? [[Int]] == [[0, 6], [9, 12]])
    #expect((request?["edits"] as? [Any])?.isEmpty == true)
}

@Test func aStageThatRunsPastItsTimeoutIsStopped() throws {
    let pipeline = try pipeline(command: [fixture("sleep.sh")], timeout: 0.5, name: "sleeper")
    expectError(.timedOut(stage: "sleeper", seconds: 0.5),
                message: "stage 'sleeper' did not finish within 0.5 s and was stopped; raise its 'timeout' or fix the command") {
        _ = try pipeline.rewrite("Some text.", path: "a.md")
    }
}

@Test func aStageIsStoppedWithTheChildrenItWaitsOn() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("housestyle-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let pidFile = folder.appendingPathComponent("child.pid").path
    let pipeline = try pipeline(command: [fixture("sleep-child.sh"), pidFile], timeout: 0.5, name: "parent")
    let started = ContinuousClock.now
    #expect(throws: StageError.timedOut(stage: "parent", seconds: 0.5)) { _ = try pipeline.rewrite("Some text.", path: "a.md") }
    // The child sleeps for 60 s: returning long before that means the host did not wait for it.
    #expect(ContinuousClock.now - started < .seconds(30))
    let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    var state = "?"
    for _ in 0..<50 {  // SIGKILL is delivered at once; the kernel may take a moment to tear down
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { state = "gone"; break }
        state = String(stat.split(separator: ")").last?.split(separator: " ").first ?? "?")
        if state == "Z" { break }
        usleep(100_000)
    }
    #expect(state == "gone" || state == "Z", "the stage's child \(pid) is still running (state \(state))")
}

/// Runs `body` with the path of a file for detached-child.sh's pid, then kills that child, which
/// no kill of the stage's process group reaches (it is in a session of its own).
private func withDetachedChild(_ body: (_ pidFile: String) throws -> Void) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("housestyle-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let pidFile = folder.appendingPathComponent("detached.pid").path
    defer {
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
           let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8), command.hasPrefix("sleep\0") {
            kill(pid, SIGKILL)
        }
        try? FileManager.default.removeItem(at: folder)
    }
    try body(pidFile)
}

@Test func aStageThatAnsweredIsNotWaitedForWhileADetachedChildHoldsItsOutput() throws {
    try withDetachedChild { pidFile in
        // A generous timeout: the stage answers at once, and that answer is what counts.
        let pipeline = try pipeline(command: [fixture("detached-child.sh"), pidFile, "answer"], timeout: 60, name: "detached")
        let started = ContinuousClock.now
        let result = try pipeline.rewrite("Some text.", path: "a.md")
        #expect(result.findings.map(\.message) == ["answered"])
        // The detached child keeps the stage's stdout and stderr open for 30 s; the bound is loose
        // so that a loaded machine cannot fail it.
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}

@Test func theTimeoutBoundsTheWaitWhenADetachedChildHoldsTheOutput() throws {
    try withDetachedChild { pidFile in
        let pipeline = try pipeline(command: [fixture("detached-child.sh"), pidFile, "hang"], timeout: 1, name: "detached")
        let started = ContinuousClock.now
        #expect(throws: StageError.timedOut(stage: "detached", seconds: 1)) { _ = try pipeline.rewrite("Some text.", path: "a.md") }
        // A 1 s timeout, a child holding the output for 30 s: well under 30 s means the timeout held.
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}

@Test func aStageThatWritesMoreThanItsOutputLimitIsStoppedWithItsGroup() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("housestyle-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let pidFile = folder.appendingPathComponent("writer.pid").path
    // 80 MB of zeros, past the 64 MiB limit for a small request, then a minute's wait: without a
    // limit the host would read it all and wait for the timeout.
    let script = #"sleep 60 & echo $! > "$1"; head -c 80000000 /dev/zero; wait"#
    let pipeline = try pipeline(command: ["sh", "-c", script, "writer", pidFile], timeout: 30, name: "flood")
    #expect(ExternalStage.outputLimit(requestBytes: 1000) == 64 << 20)
    let started = ContinuousClock.now
    expectError(.outputTooLarge(stage: "flood", limit: 64 << 20),
                message: "stage 'flood' wrote more than 67108864 bytes (64 MiB) to stdout, its limit, and was stopped; "
                    + "a stage answers with one JSON object of edits and findings, not the text") {
        _ = try pipeline.rewrite("Some text.", path: "a.md")
    }
    #expect(ContinuousClock.now - started < .seconds(20))
    // The group went with it: the `sleep` the stage started is not left running.
    let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    var state = "?"
    for _ in 0..<50 {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { state = "gone"; break }
        state = String(stat.split(separator: ")").last?.split(separator: " ").first ?? "?")
        if state == "Z" { break }
        usleep(100_000)
    }
    #expect(state == "gone" || state == "Z", "the stage's child \(pid) is still running (state \(state))")
}

@Test func theOutputLimitGrowsWithTheRequest() {
    #expect(ExternalStage.outputLimit(requestBytes: 0) == 64 << 20)
    #expect(ExternalStage.outputLimit(requestBytes: 100 << 20) == 400 << 20)
    #expect(ExternalStage.outputLimit(requestBytes: .max) == .max)
}

@Test func onlyTheEndOfAStagesStderrIsKept() throws {
    // 10 MB of stderr: the host keeps its end, not all of it.
    let script = #"head -c 10000000 /dev/zero | tr '\0' x >&2; echo the end >&2; exit 3"#
    let outcome = try #require(try StageProcess.run(path: "/bin/sh", argv: ["sh", "-c", script], directory: "/", input: Data(),
                                                    timeout: 120, outputLimit: 1 << 20, stage: "noisy"))
    #expect(outcome.code == 3 && !outcome.signalled)
    #expect(outcome.stderr.count >= StageProcess.stderrTail && outcome.stderr.count <= 2 * StageProcess.stderrTail)
    #expect(String(decoding: outcome.stderr.suffix(11), as: UTF8.self) == "xxxthe end\n")
}

@Test func aStageGetsNoDescriptorButStdinStdoutAndStderr() throws {
    // The shell lists its own descriptors with a glob (no other process, no redirection); the
    // directory the glob reads is open while it reads, and gone when `-e` looks.
    let script = #"fds=; for f in /proc/self/fd/*; do [ -e "$f" ] && fds="$fds${fds:+ }${f##*/}"; done; "#
        + #"printf "{\"protocol\": 1, \"findings\": [{\"start\": 0, \"end\": 4, \"message\": \"%s\"}]}" "$fds""#
    let result = try pipeline(command: ["sh", "-c", script], name: "descriptors").rewrite("Some text.", path: "a.md")
    #expect(result.findings.map(\.message) == ["0 1 2"])
}

@Test func aStageStartsWithNoSignalIgnoredOrBlocked() throws {
    // The host ignores SIGPIPE; a stage must not inherit that (`yes | head -1` would never end).
    // Signals 1-31 only: glibc's posix_spawn leaves its own two internal signals (32, 33) ignored
    // in every child, and no API can ask otherwise.
    let script = #"while read -r key value; do case $key in SigBlk:) blocked=$((0x$value));; SigIgn:) ignored=$((0x$value & 0x7fffffff));; esac; "#
        + #"done < /proc/self/status; "#
        + #"printf "{\"protocol\": 1, \"findings\": [{\"start\": 0, \"end\": 4, \"message\": \"%s\"}]}" "blocked $blocked, ignored $ignored""#
    let result = try pipeline(command: ["sh", "-c", script], name: "signals").rewrite("Some text.", path: "a.md")
    #expect(result.findings.map(\.message) == ["blocked 0, ignored 0"])
}

@Test func requestCarriesTheEditsOfEarlierStages() throws {
    let style = try makeStyle("""
        terms:
          - use: occupant
            instead_of: [tenant]
        stages: { pre: [markdown], post: [terms, { command: ['\(fixture("echo-request.sh"))'], timeout: 120, name: echo }] }
        """)
    let result = try Pipeline(style: style, resources: testResources, allowsCommands: true).rewrite("Café tenant ok", path: "a.md")
    #expect(result.text == "Café occupant ok")
    let message = try #require(result.findings.first?.message)
    let request = try JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any]
    #expect(request?["text"] as? String == "Café occupant ok")
    let edits = try #require(request?["edits"] as? [[String: Any]])
    #expect(edits.count == 1)
    // "Café " is 6 bytes: "occupant" now sits at 6..<14, where "tenant" was.
    #expect(edits.first?["start"] as? Int == 6)
    #expect(edits.first?["end"] as? Int == 14)
    #expect(edits.first?["original"] as? String == "tenant")
    #expect(edits.first?["rule"] as? String == "terms")
    #expect((edits.first?["reason"] as? String)?.isEmpty == false)
}

@Test func repeatingUntilStableMakesRewritingIdempotent() throws {
    var pipeline = try pipeline(command: [fixture("shorten.sh")], name: "shorten")
    #expect(!pipeline.repeatsUntilStable, "only pipelines with the learned stage repeat by default")
    #expect(try pipeline.rewrite("x aaaa y", path: "a.md").text == "x aaa y")
    pipeline.repeatsUntilStable = true
    // "aaaaa" takes all three rounds (5 -> 4 -> 3 -> 2 a's), "aaaa" two.
    let result = try pipeline.rewrite("x aaaa y aaaaa", path: "a.md")
    #expect(result.text == "x aa y aa")
    #expect(try pipeline.rewrite(result.text, path: "a.md").edits.isEmpty)
    // The rounds' edits are composed onto the original: one edit each, made of every round's part.
    #expect(result.edits.map(\.range) == [2..<6, 9..<14])
    #expect(result.edits.map(\.replacement) == ["aa", "aa"])
    #expect(result.edits.map(\.parts.count) == [2, 3])
}

@Test func aFailingStageIsReportedWithItsStderr() throws {
    let path = fixture("fail.sh")
    let pipeline = try pipeline(command: [path])
    expectError(.failed(stage: path, status: 3, stderr: "fail.sh: dictionary /nonexistent/words not found\n"),
                message: "stage '\(path)' exited with status 3: fail.sh: dictionary /nonexistent/words not found") {
        _ = try pipeline.rewrite("Some text.", path: "a.md")
    }
}

@Test func aCommandThatCannotStartIsReportedBeforeAnyFile() throws {
    // Once, when the pipeline is built (the CLI's exit 2), not once per file.
    let style = try makeStyle("stages: { post: [{ command: [tools/missing], timeout: 5 }] }")
    #expect {
        _ = try Pipeline(style: style, resources: testResources, allowsCommands: true)
    } throws: { error in
        guard case .launchFailed(let stage, let reason)? = error as? StageError else { return false }
        return stage == "tools/missing" && reason == style.root + "/tools/missing: no such executable file"
    }
    let byName = try makeStyle("stages: { post: [{ command: [no-such-housestyle-stage], timeout: 5 }] }")
    #expect(throws: StageError.launchFailed(stage: "no-such-housestyle-stage", reason: "no-such-housestyle-stage: not found in PATH")) {
        _ = try Pipeline(style: byName, resources: testResources, allowsCommands: true)
    }
}

@Test func aStageKilledByASignalIsSaidToBe() throws {
    let style = try makeStyle("stages: { post: [{ command: [sh, -c, 'kill -SEGV $$'], timeout: 5, name: crash }] }")
    let pipeline = try Pipeline(style: style, resources: testResources, allowsCommands: true)
    #expect(throws: StageError.signalled(stage: "crash", signal: 11, stderr: "")) { _ = try pipeline.rewrite("Some text.", path: "a.md") }
    #expect(StageError.signalled(stage: "crash", signal: 11, stderr: "").description == "stage 'crash' was killed by signal 11 (SIGSEGV)")
}

@Test func anEditInsideProtectedTextIsRejectedNamingTheStage() throws {
    // "Run `code` now.": the code span is bytes 4..<10.
    let pipeline = try replying(#"{"protocol": 1, "edits": [{"start": 5, "end": 9, "replacement": "x", "reason": "r"}]}"#)
    expectError(.editTouchesProtectedSpan(stage: "reply", edit: 5..<9, span: .codeSpan),
                message: "stage 'reply' tried to edit protected code span text (bytes 5..<9); the edit was rejected") {
        _ = try pipeline.rewrite("Run `code` now.", path: "a.md")
    }
}

@Test func overlappingEditsAreRejected() throws {
    let pipeline = try replying(#"{"protocol": 1, "edits": [{"start": 0, "end": 3, "replacement": "a", "reason": "r"}, {"start": 2, "end": 5, "replacement": "b", "reason": "r"}]}"#)
    expectError(.overlappingEdits(stage: "reply", first: 0..<3, second: 2..<5),
                message: "stage 'reply' returned overlapping edits (bytes 0..<3 and 2..<5)") {
        _ = try pipeline.rewrite("Some text.", path: "a.md")
    }
}

@Test func anEditInsideACharacterIsRejected() throws {
    // "é" is bytes 3..<5 of "Café now".
    let pipeline = try replying(#"{"protocol": 1, "edits": [{"start": 4, "end": 5, "replacement": "e", "reason": "r"}]}"#)
    expectError(.invalidEditRange(stage: "reply", edit: 4..<5, textLength: 9),
                message: "stage 'reply' returned an edit at bytes 4..<5, which is not on character boundaries of the 9-byte text") {
        _ = try pipeline.rewrite("Café now", path: "a.md")
    }
}

@Test(arguments: [
    ("not json", "not valid JSON"),
    ("", "it wrote nothing; a stage must write one JSON object to stdout"),
    (#"{"edits": []}"#, "missing key 'protocol'"),
    (#"{"protocol": 2}"#, "protocol 2 is not the supported version 1"),
    (#"{"protocol": 1, "edits": [{"start": 0, "end": 1, "replacement": "x"}]}"#, "missing key 'reason' in 'edits[0]'"),
    (#"{"protocol": 1, "edits": [{"start": "0", "end": 1, "replacement": "x", "reason": "r"}]}"#, "'edits[0].start' should be an integer"),
    (#"{"protocol": 1, "findings": [{"start": 0, "end": 1, "message": "m", "level": "fatal"}]}"#, "invalid value at 'findings[0].level'"),
    (#"{"protocol": 1, "edits": [{"start": 0, "end": 4, "replacement": "So\u0000", "reason": "r"}]}"#,
     "the replacement of the edit at 0..<4 holds a NUL character"),
    (#"{"protocol": 1, "edits": [{"start": 10, "end": 5, "replacement": "So", "reason": "r"}]}"#, "an edit ends (5) before it starts (10)"),
    (#"{"protocol": 1, "edits": [{"start": 1.5, "end": 5, "replacement": "So", "reason": "r"}]}"#, "'edits[0].start' should be an integer"),
    (#"{"protocol": 1, "edits": [{"start": 0, "end": 4, "replacement": "So", "reason": "r", "confidence": 7}]}"#,
     "the edit at 0..<4 has confidence 7.0; it must be between 0 and 1"),
])
func malformedOutputIsReported(output: String, reason: String) throws {
    // A style cannot pass an empty argument: without one, reply.sh writes nothing.
    let pipeline = output.isEmpty ? try pipeline(command: [fixture("reply.sh")], name: "reply") : try replying(output)
    let error = StageError.malformedOutput(stage: "reply", reason: reason)
    #expect(error.description == "stage 'reply' wrote output that is not HouseStyle stage protocol JSON: \(reason)")
    #expect(throws: error) { _ = try pipeline.rewrite("Some text.", path: "a.md") }
}

@Test func theInputIsNeverLostWhenAStageFails() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("housestyle-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("doc.md").path
    let original = "Ships on November 29, 2026.\n"
    try TextFile.writeAtomically(original, to: file)
    let pipeline = try pipeline(command: [fixture("fail.sh")])
    // What `housestyle rewrite --in-place` does: read, rewrite, and write only if the rewrite succeeded.
    #expect(throws: StageError.self) {
        let rewrite = try pipeline.rewrite(try TextFile.read(file), path: file)
        try TextFile.writeAtomically(rewrite.text, to: file)
    }
    #expect(try TextFile.read(file) == original)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["doc.md"])
}

// MARK: - Commands run only when allowed

/// The reply of the stage in `commandStyle`: one finding, so that a run shows that it ran.
private let noteReply = #"{"protocol": 1, "findings": [{"start": 0, "end": 4, "message": "ran"}]}"#

/// `styles/example.yaml` with a `reply` command stage declared in it (line 3), or inherited from
/// `styles/base.yaml` (line 2), which it extends.
private func commandStyle(inherited: Bool) throws -> Style {
    let declaration = "stages: {post: [terms, {command: ['\(fixture("reply.sh"))', '\(noteReply)'], timeout: 120, name: reply}]}"
    if inherited { return try makeStyle("extends: base", files: ["styles/base.yaml": "version: 1\n\(declaration)\n"]) }
    return try makeStyle(declaration)
}

@Test(arguments: [false, true])
func aCommandStageRunsOnlyWhenCommandsAreAllowed(inherited: Bool) throws {
    let style = try commandStyle(inherited: inherited)
    let declared = inherited ? SourceMark(path: style.root + "/styles/base.yaml", line: 2, column: 24)
                             : SourceMark(path: style.root + "/styles/example.yaml", line: 3, column: 24)
    let refusal = StageError.commandsNotAllowed([
        CommandStage(argv: [fixture("reply.sh"), noteReply], timeout: 120, name: "reply", mark: declared),
    ])
    expectError(refusal, message: "stage 'reply' would run `\(fixture("reply.sh")) '\(noteReply)'` (declared at \(declared.path):\(declared.line):24); "
                    + "commands in style files run only when allowed: review it, then pass --allow-commands or set HOUSESTYLE_ALLOW_COMMANDS=1") {
        _ = try Pipeline(style: style, resources: testResources)
    }
    let result = try Pipeline(style: style, resources: testResources, allowsCommands: true).rewrite("Some text.", path: "a.md")
    #expect(result.findings.map(\.message) == ["ran"])
    #expect(result.findings.map(\.rule) == ["reply"])
}

@Test func everyCommandIsNamedAndTheRefusalComesBeforeLookingForThePrograms() throws {
    // A missing program is not reported (nor looked for) while commands are not allowed.
    let style = try makeStyle("stages: {pre: [{command: [tools/missing], timeout: 5}], post: [{command: [sh, -c, 'rm -rf ~'], timeout: 5, name: wipe}]}")
    let error = try #require(throws: StageError.self) { _ = try Pipeline(style: style, resources: testResources) }
    #expect(error.description == "stage 'tools/missing' would run `tools/missing` (declared at \(style.root)/styles/example.yaml:3:16); "
                + "stage 'wipe' would run `sh -c 'rm -rf ~'` (declared at \(style.root)/styles/example.yaml:3:64); "
                + "commands in style files run only when allowed: review them, then pass --allow-commands or set HOUSESTYLE_ALLOW_COMMANDS=1")
    #expect(throws: StageError.launchFailed(stage: "tools/missing", reason: style.root + "/tools/missing: no such executable file")) {
        _ = try Pipeline(style: style, resources: testResources, allowsCommands: true)
    }
}

@Test(arguments: [
    (["house-dates"], "house-dates"),
    (["./tools/x", "--strict", "a=b,c:d@e%f+g/h.i_j-k"], "./tools/x --strict a=b,c:d@e%f+g/h.i_j-k"),
    (["sh", "-c", "rm -rf ~"], "sh -c 'rm -rf ~'"),
    (["echo", "it's", ""], #"echo 'it'\''s' ''"#),
    (["echo", "$HOME", "a;b", "x\ny", "café"], "echo '$HOME' 'a;b' 'x\ny' 'café'"),
])
func aCommandLineIsQuotedAsAShellWouldReadIt(argv: [String], expected: String) {
    #expect(CommandStage(argv: argv, timeout: 1).commandLine == expected)
}
