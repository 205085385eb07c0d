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
            On an error the input is written through unchanged and the exit status is 1.
            """)

    @Argument(help: "A style name (styles/NAME.yaml) or a style file path.")
    var style: String

    @Flag(help: "Read and write one JSON record per line.")
    var jsonl = false

    @Option(help: "How to read stdin: markdown or plain.")
    var inputFormat: InputFormat = .markdown

    enum InputFormat: String, ExpressibleByArgument, CaseIterable { case markdown, plain }

    func run() throws {
        let pipeline = try loadPipeline(style)
        let format: DocumentFormat = inputFormat == .markdown ? .markdown : .plain
        if jsonl {
            var failed = false
            while let line = readLine(strippingNewline: true) {
                if line.isEmpty { continue }
                let record = Self.process(line, pipeline: pipeline, format: format)
                if record["error"] != nil { failed = true }
                let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes])
                Console.out(String(decoding: data, as: UTF8.self) + "\n")
            }
            if failed { throw ExitCode(Status.failed) }
            return
        }
        let input = FileHandle.standardInput.readDataToEndOfFile()
        do {
            let text = try TextDecoding.decodeUTF8(input, path: "<stdin>")
            Console.out(try pipeline.rewrite(text, path: nil, format: format).text)
        } catch {
            FileHandle.standardOutput.write(input)  // nothing is lost
            Console.error("<stdin>: error: \(error)")
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
                    "edits": rewrite.edits.map { Explanation.jsonObject(EditReport($0, in: rewrite.document)) }]
        } catch {
            return ["id": id, "error": "\(error)"]
        }
    }
}
