import Foundation
import HouseStyleText

/// A stage that is any executable speaking HouseStyle's stage protocol (docs/stages.md):
/// one JSON object on stdin (the text, its protected spans and prose, the edits so far), one
/// JSON object on stdout (new edits and findings). Offsets are UTF-8 byte offsets.
///
/// The host stops a stage that runs past its timeout (with its process group), reports a non-zero
/// exit with the stage's stderr, and checks every edit it returns before using it. The stage gets
/// only stdin, stdout and stderr, and once it has exited its answer is what it wrote: see
/// `StageProcess`.
public struct ExternalStage: Stage {
    public static let protocolVersion = 1

    /// The most a stage may write to stdout for a request of `requestBytes`: 64 MiB, or 4 times
    /// the request when that is more (a stage that edits every word of a large document writes
    /// more than the document). A stage that writes more is stopped with its process group.
    public static func outputLimit(requestBytes: Int) -> Int {
        max(64 << 20, requestBytes.multipliedReportingOverflow(by: 4).overflow ? .max : 4 * requestBytes)
    }

    public let command: CommandStage
    /// External stages get the edits so far as `edits` (docs/stages.md).
    public var seesEarlierEdits: Bool { true }
    /// Relative command paths are resolved against the style's repository root.
    public let styleRoot: String

    public var id: String { command.displayName }

    public init(command: CommandStage, styleRoot: String) {
        self.command = command
        self.styleRoot = styleRoot
    }

    struct Request: Encodable {
        struct Span: Encodable { var start: Int; var end: Int; var kind: String }
        struct EarlierEditRecord: Encodable { var start: Int; var end: Int; var original: String; var rule: String; var reason: String }
        var `protocol`: Int
        var path: String?
        var text: String
        var protected: [Span]
        var prose: [[Int]]
        var edits: [EarlierEditRecord]
    }

    /// A byte offset: a JSON number that must be a whole number (Foundation would call `1.5` "not valid JSON").
    struct Offset: Decodable {
        var value: Int
        init(from decoder: any Decoder) throws {
            let number: Double
            do { number = try decoder.singleValueContainer().decode(Double.self) } catch DecodingError.typeMismatch {
                throw DecodingError.typeMismatch(Int.self, .init(codingPath: decoder.codingPath, debugDescription: "not a number"))
            }
            guard number.rounded() == number, abs(number) < 9e15 else {
                throw DecodingError.typeMismatch(Int.self, .init(codingPath: decoder.codingPath, debugDescription: "\(number) is not a whole number"))
            }
            value = Int(number)
        }
    }

    struct Response: Decodable {
        struct EditRecord: Decodable {
            private var startOffset: Offset, endOffset: Offset
            var start: Int { startOffset.value }
            var end: Int { endOffset.value }
            var replacement: String
            var reason: String
            var confidence: Double?
            var rule: String?
            enum CodingKeys: String, CodingKey { case startOffset = "start", endOffset = "end", replacement, reason, confidence, rule }
        }
        struct FindingRecord: Decodable {
            private var startOffset: Offset, endOffset: Offset
            var start: Int { startOffset.value }
            var end: Int { endOffset.value }
            var message: String
            var level: FindingLevel?
            var rule: String?
            enum CodingKeys: String, CodingKey { case startOffset = "start", endOffset = "end", message, level, rule }
        }
        var `protocol`: Int
        var edits: [EditRecord]?
        var findings: [FindingRecord]?
    }

    public func apply(to input: StageInput) throws -> StageResult {
        let request = Request(
            protocol: Self.protocolVersion, path: input.path, text: input.text,
            protected: input.protectedSpans.map { .init(start: $0.range.lowerBound, end: $0.range.upperBound, kind: $0.kind.rawValue) },
            prose: input.prose.map { [$0.lowerBound, $0.upperBound] },
            edits: input.earlierEdits.map {
                .init(start: $0.range.lowerBound, end: $0.range.upperBound, original: $0.original, rule: $0.rule, reason: $0.reason)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let stdin = try encoder.encode(request)
        let (status, stdout, stderr) = try run(stdin: stdin)
        guard status.code == 0 else {
            let message = String(decoding: stderr.suffix(4000), as: UTF8.self)
            if status.signalled { throw StageError.signalled(stage: id, signal: status.code, stderr: message) }
            throw StageError.failed(stage: id, status: status.code, stderr: message)
        }
        return try Self.result(of: stdout, stage: id, textLength: input.bytes.count)
    }

    /// The edits and findings of a stage's answer, `stdout`, for a text of `textLength` bytes,
    /// checked as far as the answer alone allows (the pipeline checks them against the text).
    /// - Throws: `StageError.malformedOutput` or `.invalidEditRange`, naming `stage`.
    static func result(of stdout: Data, stage id: String, textLength: Int) throws(StageError) -> StageResult {
        guard stdout.contains(where: { !Self.isJSONSpace($0) }) else {
            throw .malformedOutput(stage: id, reason: "it wrote nothing; a stage must write one JSON object to stdout")
        }
        let response: Response
        do {
            response = try JSONDecoder().decode(Response.self, from: stdout)
        } catch {
            throw .malformedOutput(stage: id, reason: Self.describe(error))
        }
        guard response.protocol == Self.protocolVersion else {
            throw StageError.malformedOutput(stage: id, reason: "protocol \(response.protocol) is not the supported version \(Self.protocolVersion)")
        }
        let edits = (response.edits ?? []).map {
            Edit(range: $0.start..<max($0.start, $0.end), replacement: $0.replacement, rule: $0.rule ?? id,
                 reason: $0.reason, confidence: $0.confidence ?? 1, origin: .external(id))
        }
        for record in response.edits ?? [] {
            if record.end < record.start {
                throw StageError.malformedOutput(stage: id, reason: "an edit ends (\(record.end)) before it starts (\(record.start))")
            }
            // A NUL would make the file binary, and a confidence outside 0...1 means nothing.
            if record.replacement.utf8.contains(0) {
                throw StageError.malformedOutput(stage: id, reason: "the replacement of the edit at \(record.start)..<\(record.end) holds a NUL character")
            }
            if let confidence = record.confidence, !(0...1).contains(confidence) {
                throw StageError.malformedOutput(stage: id, reason: "the edit at \(record.start)..<\(record.end) has confidence \(confidence); it must be between 0 and 1")
            }
        }
        let findings = (response.findings ?? []).map {
            Finding(range: $0.start..<max($0.start, $0.end), level: $0.level ?? .warning, message: $0.message, rule: $0.rule ?? id)
        }
        for finding in findings where finding.range.upperBound > textLength || finding.range.lowerBound < 0 {
            throw StageError.invalidEditRange(stage: id, edit: finding.range, textLength: textLength)
        }
        return StageResult(edits: edits, findings: findings)
    }

    /// The program to start: a path (relative ones from the style root), or a name looked up in
    /// PATH; returned as an absolute path, so that the program checked is the program run.
    /// - Throws: `StageError.launchFailed` when there is no such program, so that a style naming a
    ///   missing one fails once, before any file, rather than once per file.
    public static func program(of command: CommandStage, styleRoot: String, id: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard let executable = command.argv.first, !executable.isEmpty else { throw StageError.launchFailed(stage: id, reason: "empty command") }
        if executable.contains("/") {
            let path = URL(fileURLWithPath: executable, relativeTo: URL(fileURLWithPath: styleRoot, isDirectory: true)).standardizedFileURL.path
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw StageError.launchFailed(stage: id, reason: "\(path): no such executable file")
            }
            return path
        }
        // Relative PATH entries are read from the host's working directory, as a shell would.
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        let candidates = folders.map { URL(fileURLWithPath: String($0), isDirectory: true).appendingPathComponent(executable).standardizedFileURL.path }
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw StageError.launchFailed(stage: id, reason: "\(executable): not found in PATH")
        }
        return path
    }

    /// Runs the command with its timeout; returns its status, stdout and stderr.
    private func run(stdin: Data) throws -> ((code: Int32, signalled: Bool), Data, Data) {
        let program = try Self.program(of: command, styleRoot: styleRoot, id: id)
        // The program sees itself as its absolute path when the style gave a path (a script can
        // find the files beside it from `$0`), and as its name when PATH found it.
        let argv = [command.argv[0].contains("/") ? program : command.argv[0]] + command.argv.dropFirst()
        guard let outcome = try StageProcess.run(path: program, argv: argv, directory: styleRoot, input: stdin, timeout: command.timeout,
                                                 outputLimit: Self.outputLimit(requestBytes: stdin.count), stage: id) else {
            throw StageError.timedOut(stage: id, seconds: command.timeout)
        }
        return ((outcome.code, outcome.signalled), outcome.stdout, outcome.stderr)
    }

    private static func isJSONSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    private static func describe(_ error: any Error) -> String {
        if let decoding = error as? DecodingError {
            // Paths as a reader writes them: `edits[0].start`.
            func path(_ codingPath: [any CodingKey]) -> String {
                codingPath.reduce(into: "") { path, key in
                    if let index = key.intValue { path += "[\(index)]" } else { path += (path.isEmpty ? "" : ".") + key.stringValue }
                }
            }
            switch decoding {
            case .dataCorrupted(let context):
                return context.codingPath.isEmpty ? "not valid JSON" : "invalid value at '\(path(context.codingPath))'"
            case .keyNotFound(let key, let context):
                let parent = path(context.codingPath)
                return "missing key '\(key.stringValue)'" + (parent.isEmpty ? "" : " in '\(parent)'")
            case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
                let expected = type == String.self ? "a string" : type == Int.self ? "an integer" : type == Double.self ? "a number" : "\(type)"
                return "'\(path(context.codingPath))' should be \(expected)"
            @unknown default: return "\(decoding)"
            }
        }
        return error.localizedDescription
    }
}
