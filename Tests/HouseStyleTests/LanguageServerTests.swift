import Foundation
import Testing
@testable import HouseStyle

/// The language server's parts in process: Content-Length framing, UTF-16 positions, and
/// JSON-RPC errors. (HousestyleCLITests/LSPCommandTests drives the built `housestyle lsp`.)
@Suite struct MessageFramerTests {
    static func framed(_ json: String) -> [UInt8] { Array(MessageFramer.frame(Data(json.utf8))) }

    @Test func aMessageSplitAcrossReadsComesOutWhole() {
        // Split inside the header name, inside the blank line, and inside a two-byte character.
        let json = #"{"jsonrpc":"2.0","method":"x","params":{"text":"café"}}"#
        let bytes = Self.framed(json)
        let accent = bytes.firstIndex(of: 0xC3)!
        let cuts = [3, bytes.firstIndex(of: 0x0D)! + 3, accent + 1, bytes.count]
        var framer = MessageFramer()
        var from = 0
        var frames: [MessageFramer.Frame] = []
        for cut in cuts {
            framer.append(bytes[from..<cut])
            from = cut
            while let frame = framer.next() { frames.append(frame) }
            if cut < bytes.count { #expect(frames.isEmpty, "a message came out after \(cut) of \(bytes.count) bytes") }
        }
        #expect(frames == [.message(Data(json.utf8))])
        #expect(!framer.hasPartialMessage)
    }

    @Test func aMessageFedByteByByteComesOutOnce() {
        let json = #"{"id":1}"#
        var framer = MessageFramer()
        var frames: [MessageFramer.Frame] = []
        for byte in Self.framed(json) {
            framer.append([byte])
            while let frame = framer.next() { frames.append(frame) }
        }
        #expect(frames == [.message(Data(json.utf8))])
    }

    @Test func twoMessagesInOneReadComeOutInOrder() {
        var framer = MessageFramer()
        framer.append(Self.framed(#"{"id":1}"#) + Self.framed(#"{"id":22}"#) + Array("Content-Len".utf8))
        #expect(framer.next() == .message(Data(#"{"id":1}"#.utf8)))
        #expect(framer.next() == .message(Data(#"{"id":22}"#.utf8)))
        #expect(framer.next() == nil)
        #expect(framer.hasPartialMessage)
    }

    @Test func headerNamesAreCaseInsensitiveAndContentTypeIsAccepted() {
        var framer = MessageFramer()
        framer.append(Array("content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}".utf8))
        #expect(framer.next() == .message(Data("{}".utf8)))
    }

    @Test func aHeaderWithoutLengthIsReportedAndTheNextMessageStillRead() {
        var framer = MessageFramer()
        framer.append(Array("Content-Type: application/vscode-jsonrpc\r\n\r\n".utf8) + Self.framed("{}"))
        #expect(framer.next() == .malformedHeader("the header has no Content-Length"))
        #expect(framer.next() == .message(Data("{}".utf8)))
    }

    @Test func aBadLengthAndANonUTF8CharsetAreReported() {
        var framer = MessageFramer()
        framer.append(Array("Content-Length: twelve\r\n\r\n".utf8))
        #expect(framer.next() == .malformedHeader("Content-Length 'twelve' is not a number of bytes"))
        framer.append(Array("Content-Length: 2\r\nContent-Type: text/json; charset=latin1\r\n\r\n".utf8))
        #expect(framer.next() == .malformedHeader("Content-Type 'text/json; charset=latin1' is not UTF-8; send UTF-8 JSON"))
    }

    @Test func anOversizedMessageIsSkippedWithoutReadingItAsHeaders() {
        var framer = MessageFramer(maximumContentLength: 4)
        let content = "\r\n\r\n{\"id\":9}"  // would read as a blank line and garbage if it were not skipped
        framer.append(Array("Content-Length: \(content.utf8.count)\r\n\r\n\(content)".utf8) + Self.framed("{}"))
        #expect(framer.next() == .malformedHeader("Content-Length 12 is larger than the 4-byte limit; the message was skipped"))
        #expect(framer.next() == .message(Data("{}".utf8)))
        #expect(framer.next() == nil)
    }
}

@Suite struct TextPositionsTests {
    // "é" is 2 bytes and 1 UTF-16 unit; "😀" and "𝄞" are 4 bytes and 2 units; "☕" is 3 bytes and 1 unit.
    static let text = "é😀a\r\n☕b\rc𝄞\nd"

    @Test(arguments: [
        (0, 0, 0), (2, 0, 1), (6, 0, 3), (7, 0, 4),  // é, 😀, a, the CR of CRLF
        (9, 1, 0), (12, 1, 1), (13, 1, 2),          // after CRLF; ☕; b then a lone CR
        (14, 2, 0), (15, 2, 1), (19, 2, 3),        // after the lone CR; c; 𝄞 then LF
        (20, 3, 0), (21, 3, 1),                    // after LF; end of text
    ])
    func positionsCountUTF16UnitsPerLine(byte: Int, line: Int, character: Int) {
        let positions = TextPositions(Self.text)
        #expect(positions.position(ofByte: byte) == Position(line: line, character: character))
        #expect(positions.byteOffset(of: Position(line: line, character: character)) == byte)
    }

    @Test func positionsOutsideALineAreClamped() {
        let positions = TextPositions(Self.text)
        #expect(positions.lineCount == 4)
        #expect(positions.byteOffset(of: Position(line: 0, character: 99)) == 7, "past the end of a line: before its CRLF")
        #expect(positions.byteOffset(of: Position(line: 1, character: 99)) == 13, "before a lone CR")
        #expect(positions.byteOffset(of: Position(line: 9, character: 0)) == 21, "past the last line: the end")
        #expect(positions.byteOffset(of: Position(line: 0, character: 2)) == 2, "inside a surrogate pair: the start of its character")
        #expect(positions.position(ofByte: 3) == Position(line: 0, character: 1), "inside a character: that character")
    }
}

/// A server in process whose messages are collected, driven one message at a time.
final class ServerHarness {
    private(set) var sent: [[String: Any]] = []
    var server: LanguageServer!

    init(options: LanguageServer.Options = .init()) {
        server = LanguageServer(options: options) { [unowned self] json in
            sent.append((try? JSONSerialization.jsonObject(with: json)) as? [String: Any] ?? ["unreadable": String(decoding: json, as: UTF8.self)])
        }
    }

    /// Sends `raw` as one message's content and returns what the server sent back, in order.
    @discardableResult
    func receive(_ raw: String) -> [[String: Any]] {
        let before = sent.count
        server.receive(Data(raw.utf8))
        return Array(sent[before...])
    }

    @discardableResult
    func initialize(root: String) -> [[String: Any]] {
        receive(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"processId":null,"rootUri":"\#(URL(fileURLWithPath: root).absoluteString)","capabilities":{}}}"#)
    }

    static func error(_ message: [String: Any]) -> (id: String, code: Int, message: String)? {
        guard let error = message["error"] as? [String: Any] else { return nil }
        let id = message["id"].map { $0 is NSNull ? "null" : "\($0)" } ?? "absent"
        return (id, error["code"] as? Int ?? 0, error["message"] as? String ?? "")
    }
}

@Suite struct LanguageServerProtocolTests {
    static let style = "version: 1\nname: house\navoid: [simply]\n"

    @Test func malformedJSONGetsAParseErrorAndTheServerGoesOn() throws {
        let harness = ServerHarness()
        let replies = harness.receive(#"{"jsonrpc":"2.0","id":1,"method":"#)
        #expect(replies.count == 1)
        let error = try #require(ServerHarness.error(replies[0]))
        #expect(error.id == "null")
        #expect(error.code == -32700)
        #expect(error.message.hasPrefix("the message is not valid JSON"))
        let repository = try TemporaryRepository(["styles/house.yaml": Self.style])
        let initialized = harness.initialize(root: repository.root)
        #expect(initialized.first?["id"] as? Int == 0)
        #expect(initialized.first?["result"] != nil)
    }

    @Test func envelopesThatAreNotRequestsGetInvalidRequest() throws {
        let harness = ServerHarness()
        let cases: [(String, String, String)] = [
            (#"[{"jsonrpc":"2.0","id":1,"method":"shutdown"}]"#, "null", "the message is a batch (a JSON array); LSP sends one message at a time"),
            (#""shutdown""#, "null", "the message is not a JSON object"),
            (#"{"jsonrpc":"2.0","id":{"n":1},"method":"shutdown"}"#, "null", "the id must be a number or a string"),
            (#"{"jsonrpc":"2.0","id":"a","method":7}"#, "a", "the method must be a string"),
            (#"{"jsonrpc":"1.0","id":3,"method":"shutdown"}"#, "3", #"'jsonrpc' must be "2.0""#),
            (#"{"jsonrpc":"2.0","id":4}"#, "4", "the message has no method"),
        ]
        for (raw, id, message) in cases {
            let replies = harness.receive(raw)
            #expect(replies.count == 1, "\(raw)")
            let error = try #require(replies.first.flatMap(ServerHarness.error), "\(raw)")
            #expect(error.id == id, "\(raw)")
            #expect(error.code == -32600, "\(raw)")
            #expect(error.message == message, "\(raw)")
        }
    }

    @Test func lifecycleErrorsAndUnknownMethods() throws {
        let repository = try TemporaryRepository(["styles/house.yaml": Self.style])
        let harness = ServerHarness()
        var error = try #require(harness.receive(#"{"jsonrpc":"2.0","id":1,"method":"textDocument/codeAction","params":{}}"#).first.flatMap(ServerHarness.error))
        #expect(error.code == -32002)
        #expect(harness.receive(#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{}}"#).isEmpty, "a notification before initialize is dropped")
        harness.initialize(root: repository.root)
        error = try #require(harness.receive(#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{}}"#).first.flatMap(ServerHarness.error))
        #expect(error.code == -32600)
        error = try #require(harness.receive(#"{"jsonrpc":"2.0","id":"x","method":"textDocument/hover","params":{}}"#).first.flatMap(ServerHarness.error))
        #expect(error.id == "x")
        #expect(error.code == -32601)
        #expect(error.message == "unknown method 'textDocument/hover'")
        error = try #require(harness.receive(#"{"jsonrpc":"2.0","id":5,"method":"$/unknown"}"#).first.flatMap(ServerHarness.error))
        #expect(error.code == -32601)
        #expect(harness.receive(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#).isEmpty)
        #expect(harness.receive(#"{"jsonrpc":"2.0","method":"custom/somethingElse"}"#).isEmpty, "an unknown notification is ignored")
        error = try #require(harness.receive(#"{"jsonrpc":"2.0","id":6,"method":"textDocument/codeAction","params":{"textDocument":{}}}"#).first.flatMap(ServerHarness.error))
        #expect(error.code == -32602)
        #expect(error.message == "invalid params of 'textDocument/codeAction': 'uri' is missing at 'textDocument'")
        // A notification with bad params cannot be answered: it is logged.
        let logged = harness.receive(#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///a.md"}}}"#)
        #expect(logged.count == 1)
        #expect(logged.first?["method"] as? String == "window/logMessage")
        #expect(((logged.first?["params"] as? [String: Any])?["message"] as? String)?.hasPrefix("housestyle: ignored 'textDocument/didOpen': invalid params") == true)

        let shutdown = harness.receive(#"{"jsonrpc":"2.0","id":7,"method":"shutdown"}"#)
        #expect(shutdown.count == 1)
        #expect(shutdown.first?["result"] is NSNull, "shutdown answers null")
        error = try #require(harness.receive(#"{"jsonrpc":"2.0","id":8,"method":"textDocument/codeAction","params":{}}"#).first.flatMap(ServerHarness.error))
        #expect(error.code == -32600)
        #expect(harness.server.exitStatus == nil)
        harness.receive(#"{"jsonrpc":"2.0","method":"exit"}"#)
        #expect(harness.server.exitStatus == 0)
    }

    @Test func exitWithoutShutdownEndsWithStatusOne() {
        let harness = ServerHarness()
        harness.receive(#"{"jsonrpc":"2.0","method":"exit"}"#)
        #expect(harness.server.exitStatus == 1)
    }

    @Test func packageStyleCopiesAreIdentical() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let library = try Data(contentsOf: root.appendingPathComponent("Sources/HouseStyle/Style/PackageStyle.swift"))
        for plugin in ["HouseStyleCheck", "HouseStyleRewrite"] {
            let copy = try Data(contentsOf: root.appendingPathComponent("Plugins/\(plugin)/PackageStyle.swift"))
            #expect(copy == library, "Plugins/\(plugin)/PackageStyle.swift differs from Sources/HouseStyle/Style/PackageStyle.swift")
        }
    }
}

/// `LanguageServer.serve` over real pipes: bytes arrive as the kernel delivers them.
@Suite struct LanguageServerServingTests {
    @Test func messagesSplitAcrossWritesAndTwoInOneWriteAreAllAnswered() throws {
        let repository = try TemporaryRepository(["styles/house.yaml": LanguageServerProtocolTests.style])
        var toServer: [Int32] = [0, 0], fromServer: [Int32] = [0, 0]
        #expect(pipe(&toServer) == 0)
        #expect(pipe(&fromServer) == 0)
        let (input, output) = (toServer[0], fromServer[1])
        let finished = DispatchSemaphore(value: 0)
        let status = StatusBox()
        let root = repository.root
        let thread = Thread {
            status.value = LanguageServer.serve(options: .init(workingDirectory: root), input: input, output: output)
            close(output)
            finished.signal()
        }
        thread.start()
        defer { close(toServer[1]); close(fromServer[0]); close(input) }

        func write(_ text: String) {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBytes { Foundation.write(toServer[1], $0.baseAddress, $0.count) } == bytes.count)
        }
        func framed(_ json: String) -> String { "Content-Length: \(json.utf8.count)\r\n\r\n\(json)" }
        var reader = PipeReader(descriptor: fromServer[0])

        let initialize = framed(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#)
        let middle = initialize.index(initialize.startIndex, offsetBy: 40)
        write(String(initialize[..<middle]))
        Thread.sleep(forTimeInterval: 0.2)  // the server reads the first part on its own
        write(String(initialize[middle...]))
        let first = try reader.next()
        #expect(first["id"] as? Int == 1)
        #expect(((first["result"] as? [String: Any])?["serverInfo"] as? [String: Any])?["name"] as? String == "housestyle")

        write(framed(#"{"jsonrpc":"2.0","id":2,"method":"nosuch/method"}"#) + framed(#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#))
        var answers: [Int: [String: Any]] = [:]
        while answers.count < 2 {
            let message = try reader.next()
            if let id = message["id"] as? Int { answers[id] = message }
        }
        #expect((answers[2]?["error"] as? [String: Any])?["code"] as? Int == -32601)
        #expect(answers[3]?["result"] is NSNull)
        write(framed(#"{"jsonrpc":"2.0","method":"exit"}"#))
        #expect(finished.wait(timeout: .now() + 30) == .success)
        #expect(status.value == 0)
    }
}

final class StatusBox: @unchecked Sendable {
    var value: Int32 = -1
}

/// Reads framed messages from a descriptor, with a timeout so that a silent server fails the test instead of hanging it.
struct PipeReader {
    let descriptor: Int32
    var buffer: [UInt8] = []

    struct Timeout: Error, CustomStringConvertible { var description: String }

    mutating func next(timeout: TimeInterval = 60) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let end = buffer.indices.dropLast(3).first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 && buffer[$0 + 2] == 13 && buffer[$0 + 3] == 10 }) {
                let header = String(decoding: buffer[..<end], as: UTF8.self)
                let length = Int(header.replacingOccurrences(of: "Content-Length: ", with: "")) ?? -1
                if length >= 0 && buffer.count >= end + 4 + length {
                    let content = Data(buffer[(end + 4)..<(end + 4 + length)])
                    buffer.removeSubrange(0..<(end + 4 + length))
                    return try JSONSerialization.jsonObject(with: content) as? [String: Any] ?? [:]
                }
            }
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard left > 0, poll(&request, 1, left) > 0 else { throw Timeout(description: "no message within \(timeout) s") }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Timeout(description: "the server closed its output") }
            buffer += chunk[0..<count]
        }
    }
}
