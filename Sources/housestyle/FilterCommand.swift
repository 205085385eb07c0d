import ArgumentParser
import Foundation
import HouseStyle
import HouseStyleText

struct FilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter",
        abstract: "Rewrite stdin to stdout (nothing else goes to stdout).",
        discussion: """
            With --jsonl, each input line is a record {"id": ..., "text": ...} and each output line is \
            {"id": ..., "text": ..., "edits": [...]}, in the same order; a malformed record gives \
            {"id": ..., "error": ...}. This lets Apache Spark's RDD.pipe and Hadoop Streaming run HouseStyle. \
            On an error the input is written through unchanged and the exit status is 1; when the style \
            itself cannot be used (a bad style file, a broken model), the input is written through \
            unchanged too, and the exit status is 2.
            """)

    @Argument(help: "A style name (<styles-dir>/NAME.yaml) or a style file path.")
    var style: String

    @Flag(help: "Read and write one JSON record per line.")
    var jsonl = false

    @OptionGroup var rules: RuleOptions

    @OptionGroup var options: RunOptions

    @Option(help: "How to read stdin: markdown or plain.")
    var inputFormat: InputFormat = .markdown

    enum InputFormat: String, ExpressibleByArgument, CaseIterable { case markdown, plain }

    func run() throws {
        let pipeline: Pipeline
        do { pipeline = try loadPipeline(style, options: options, rules: rules.selection) } catch {
            // Nothing is lost in a pipe: the text goes on as it came (the reason is on stderr).
            FileHandle.standardOutput.write(FileHandle.standardInput.readDataToEndOfFile())
            throw error
        }
        let format: DocumentFormat = inputFormat == .markdown ? .markdown : .plain
        if jsonl {
            var failed = false
            var reader = ByteLineReader(FileHandle.standardInput)
            var number = 0
            while let bytes = reader.next() {
                number += 1
                if bytes.isEmpty || bytes == [0x0D] { continue }
                let record: [String: Any]
                if let line = String(validating: bytes, as: UTF8.self) {
                    record = Self.process(line, pipeline: pipeline, format: format)
                } else {
                    record = ["id": NSNull(), "error": "line \(number) is not valid UTF-8"]
                }
                if record["error"] != nil { failed = true }
                let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes])
                Console.out(String(decoding: data, as: UTF8.self) + "\n")
            }
            if failed { throw ExitCode(Status.failed) }
            return
        }
        var (input, complete) = TextFile.readStandardInput()
        guard complete else {
            Console.error("<stdin>: error: more than \(TextFile.sizeLimit) bytes; split the input, or rewrite files with 'housestyle rewrite'")
            throw ExitCode(Status.unusable)
        }
        let text: String
        do {
            text = try TextDecoding.decodeUTF8(input, path: "<stdin>")
        } catch {
            FileHandle.standardOutput.write(input)  // nothing is lost
            Console.error("\(error)")
            throw ExitCode(Status.failed)
        }
        // The text holds the same bytes: the input's buffer is not kept through the rewrite.
        input = Data()
        do {
            Console.out(try pipeline.rewrite(text, path: nil, format: format).text)
        } catch {
            Console.out(text)  // nothing is lost
            Console.error(error is TextError ? "\(error)" : "<stdin>: error: \(error)")
            throw ExitCode(Status.failed)
        }
    }

    /// One JSONL record in, one out.
    static func process(_ line: String, pipeline: Pipeline, format: DocumentFormat) -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)), let record = object as? [String: Any] else {
            return ["id": NSNull(), "error": "not a JSON object"]
        }
        let id = record["id"] ?? NSNull()
        guard let text = record["text"] as? String else {
            return ["id": id, "error": "record has no string field 'text'"]
        }
        do {
            let rewrite = try pipeline.rewrite(text, path: nil, format: format)
            return ["id": id, "text": rewrite.text,
                    "edits": rewrite.edits.map { Explanation.jsonObject(EditReport($0, in: rewrite.document)) },
                    "findings": rewrite.findings.map { finding -> Any in
                        // A record has no path: the finding is located in its text.
                        var object = Explanation.jsonObject(FindingReport(path: "", finding: finding, in: rewrite.document)) as? [String: Any] ?? [:]
                        object["path"] = nil
                        return object
                    }]
        } catch {
            return ["id": id, "error": "\(error)"]
        }
    }
}

/// Lines of a file handle as bytes (without the line feed), so that invalid UTF-8 is seen as such
/// instead of being repaired on reading.
struct ByteLineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    /// Bytes from `start` up to here hold no line feed: a long line is searched once, not per read.
    private var scanned = 0
    private var finished = false

    init(_ handle: FileHandle) { self.handle = handle }

    mutating func next() -> [UInt8]? {
        while true {
            if let end = buffer[max(start, scanned)...].firstIndex(of: 0x0A) {
                defer { start = end + 1; scanned = start }
                return Array(buffer[start..<end])
            }
            scanned = buffer.count
            if finished {
                guard start < buffer.count else { return nil }
                defer { start = buffer.count }
                return Array(buffer[start...])
            }
            buffer.removeFirst(start)
            scanned -= start
            start = 0
            let data = handle.availableData
            if data.isEmpty { finished = true } else { buffer += data }
        }
    }
}
