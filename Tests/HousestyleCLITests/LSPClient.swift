import Foundation
import Testing

/// A scripted Language Server Protocol client: starts the built `housestyle lsp` and speaks to it
/// over its stdin and stdout, with its own Content-Length framing (independent of the server's).
/// Every wait has a timeout, so a silent or crashed server fails the test instead of hanging it.
final class LSPClient {
    let process = Process()
    private let input: FileHandle
    private let output: Int32
    private let errorFile: URL
    private var buffer: [UInt8] = []
    private var nextID = 1
    /// Notifications received while waiting for something else, oldest first.
    private(set) var notifications: [[String: Any]] = []

    struct Failure: Error, CustomStringConvertible { var description: String }

    init(arguments: [String], in folder: URL) throws {
        // A test must not die of SIGPIPE when a server it writes to has crashed: the write throws instead.
        signal(SIGPIPE, SIG_IGN)
        let stdin = Pipe(), stdout = Pipe()
        errorFile = folder.appendingPathComponent(".lsp-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["lsp"] + arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "HOUSESTYLE_ALLOW_COMMANDS")
        process.environment = environment
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading.fileDescriptor
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// What the server wrote to stderr so far (shown when a test fails).
    var stderr: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    // MARK: - Sending

    func sendRaw(_ bytes: Data) throws {
        try input.write(contentsOf: bytes)
    }

    func send(_ message: [String: Any]) throws {
        let content = try JSONSerialization.data(withJSONObject: message, options: [.sortedKeys])
        try sendRaw(Data("Content-Length: \(content.count)\r\n\r\n".utf8) + content)
    }

    func notify(_ method: String, _ params: [String: Any]) throws {
        try send(["jsonrpc": "2.0", "method": method, "params": params])
    }

    /// Sends a request and waits for its response (notifications meanwhile are kept).
    func request(_ method: String, _ params: [String: Any]) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        try send(["jsonrpc": "2.0", "id": id, "method": method, "params": params])
        return try response(id: id)
    }

    func response(id: Int) throws -> [String: Any] {
        while true {
            let message = try next()
            if message["method"] == nil, message["id"] as? Int == id { return message }
            if message["method"] != nil { notifications.append(message) }
        }
    }

    // MARK: - Receiving

    /// The next message from the server.
    func next(timeout: TimeInterval = 120) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let message = try takeMessage() { return message }
            var request = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard left > 0, poll(&request, 1, left) > 0 else {
                throw Failure(description: "no message from the server within \(timeout) s; stderr:\n\(stderr)")
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let count = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure(description: "the server closed its output; stderr:\n\(stderr)") }
            buffer += chunk[0..<count]
        }
    }

    private func takeMessage() throws -> [String: Any]? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard buffer.count >= 4, let end = (0...(buffer.count - 4)).first(where: { Array(buffer[$0..<$0 + 4]) == separator }) else { return nil }
        let header = String(decoding: buffer[..<end], as: UTF8.self)
        let prefix = "Content-Length: "
        guard header.hasPrefix(prefix), !header.contains("\r\n"), let length = Int(header.dropFirst(prefix.count)) else {
            throw Failure(description: "bad header from the server: \(header.debugDescription)")
        }
        guard buffer.count >= end + 4 + length else { return nil }
        let content = Data(buffer[(end + 4)..<(end + 4 + length)])
        buffer.removeSubrange(0..<(end + 4 + length))
        guard let message = try JSONSerialization.jsonObject(with: content) as? [String: Any] else {
            throw Failure(description: "a message that is not a JSON object: \(String(decoding: content, as: UTF8.self))")
        }
        #expect(message["jsonrpc"] as? String == "2.0")
        return message
    }

    /// Waits for a notification `method` matching `predicate` (looking first at those already
    /// received), and removes it from `notifications`.
    func notification(_ method: String, where predicate: ([String: Any]) -> Bool = { _ in true }) throws -> [String: Any] {
        func matches(_ message: [String: Any]) -> Bool {
            message["method"] as? String == method && predicate((message["params"] as? [String: Any]) ?? [:])
        }
        if let index = notifications.firstIndex(where: matches) {
            return notifications.remove(at: index)["params"] as? [String: Any] ?? [:]
        }
        while true {
            let message = try next()
            if matches(message) { return message["params"] as? [String: Any] ?? [:] }
            if message["method"] != nil { notifications.append(message) }
        }
    }

    /// The next `textDocument/publishDiagnostics` for `uri`, as (range, severity, code, message) rows.
    func diagnostics(for uri: String, version: Int? = nil) throws -> (version: Int?, rows: [Diagnostic]) {
        let params = try notification("textDocument/publishDiagnostics") {
            $0["uri"] as? String == uri && (version == nil || $0["version"] as? Int == version)
        }
        let rows = (params["diagnostics"] as? [[String: Any]] ?? []).map(Diagnostic.init)
        #expect(rows.allSatisfy { $0.source == "housestyle" })
        return (params["version"] as? Int, rows)
    }

    /// `window/logMessage` texts received so far.
    var logMessages: [String] {
        notifications.filter { $0["method"] as? String == "window/logMessage" }
            .compactMap { ($0["params"] as? [String: Any])?["message"] as? String }
    }

    /// Ends the session as an editor does; returns the exit status.
    func shutdown() throws -> Int32 {
        let response = try request("shutdown", [:])
        #expect(response["result"] is NSNull)
        try notify("exit", [:])
        return waitForExit()
    }

    func waitForExit(timeout: TimeInterval = 60) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        guard !process.isRunning else {
            process.terminate()
            return -1
        }
        return process.terminationStatus
    }

    /// One published diagnostic, flattened for comparison.
    struct Diagnostic: Hashable, CustomStringConvertible {
        var range: TextRange
        var severity: Int
        var code: String
        var source: String
        var message: String

        init(_ json: [String: Any]) {
            range = TextRange(json["range"])
            severity = json["severity"] as? Int ?? 0
            code = json["code"] as? String ?? ""
            source = json["source"] as? String ?? ""
            message = json["message"] as? String ?? ""
        }

        var description: String { "\(range) \(severity) \(code): \(message)" }
    }
}

/// An LSP range as `line:character-line:character`.
struct TextRange: Hashable, CustomStringConvertible {
    var startLine, startCharacter, endLine, endCharacter: Int

    init(_ startLine: Int, _ startCharacter: Int, _ endLine: Int, _ endCharacter: Int) {
        (self.startLine, self.startCharacter, self.endLine, self.endCharacter) = (startLine, startCharacter, endLine, endCharacter)
    }

    init(_ json: Any?) {
        let range = json as? [String: Any] ?? [:]
        let start = range["start"] as? [String: Any] ?? [:], end = range["end"] as? [String: Any] ?? [:]
        self.init(start["line"] as? Int ?? -1, start["character"] as? Int ?? -1, end["line"] as? Int ?? -1, end["character"] as? Int ?? -1)
    }

    var description: String { "\(startLine):\(startCharacter)-\(endLine):\(endCharacter)" }

    var json: [String: Any] {
        ["start": ["line": startLine, "character": startCharacter], "end": ["line": endLine, "character": endCharacter]]
    }
}

/// Applies LSP text edits to a text as an editor does: positions are UTF-16 code units within
/// lines that end at `\n`, `\r\n` or `\r`; all ranges refer to the text before any edit.
func applying(_ edits: [[String: Any]], to text: String) -> String {
    var units = Array(text.utf16)
    var lineStarts = [0]
    var index = 0
    while index < units.count {
        if units[index] == 13, index + 1 < units.count, units[index + 1] == 10 { index += 1 }
        if units[index] == 10 || units[index] == 13 { lineStarts.append(index + 1) }
        index += 1
    }
    func offset(_ line: Int, _ character: Int) -> Int { lineStarts[line] + character }
    let ranges = edits.map { edit -> (Range<Int>, String) in
        let range = TextRange(edit["range"])
        return (offset(range.startLine, range.startCharacter)..<offset(range.endLine, range.endCharacter), edit["newText"] as? String ?? "")
    }
    for (range, newText) in ranges.sorted(by: { $0.0.lowerBound > $1.0.lowerBound }) {
        units.replaceSubrange(range, with: Array(newText.utf16))
    }
    return String(decoding: units, as: UTF16.self)
}
