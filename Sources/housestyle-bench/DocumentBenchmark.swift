import Foundation
import HouseStyleText

/// Markdown document analysis (`Document(text:format: .markdown)`: block structure, inline markup,
/// bare URLs and e-mail addresses) over the same large input as `rewrite`, beside a bare ICU
/// word-boundary loop over the same chunks in the same run.
enum DocumentBenchmark {
    struct Options {
        var files: [String] = []
        var megabytes = 20
        var runs = 5
    }

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static let usage = "markdown [--file PATH]... [--megabytes N] [--runs N]"

    static func run(_ arguments: [String]) throws {
        let options = try parse(arguments)
        let paths = options.files.isEmpty ? RewriteBenchmark.defaultFiles : options.files
        guard let sources = try RewriteBenchmark.loadSources(options.files, mode: "markdown") else { return }
        let chunks = RewriteBenchmark.makeChunks(sources, totalBytes: options.megabytes * 1_000_000, chunkBytes: 256 * 1024)
        let byteCount = chunks.reduce(0) { $0 + $1.utf8.count }

        // Counts double as a check that both sides did the work.
        let bareWords = try BareBreakIteratorLoop(.word)
        var counts = (spans: 0, proseRanges: 0, boundaries: 0)
        var best = (markdown: Double.infinity, bareWords: Double.infinity)
        for _ in 0..<options.runs {
            best.markdown = min(best.markdown, try SegmentationBenchmark.seconds {
                counts.spans = 0
                counts.proseRanges = 0
                for chunk in chunks {
                    let document = Document(text: chunk, format: .markdown)
                    counts.spans += document.protectedSpans.count
                    counts.proseRanges += document.proseRanges.count
                }
            })
            best.bareWords = min(best.bareWords, try SegmentationBenchmark.seconds {
                counts.boundaries = try chunks.reduce(0) { $0 + (try bareWords.countBoundaries(in: $1)) }
            })
        }

        func megabytesPerSecond(_ seconds: Double) -> String {
            String(format: "%8.2f MB/s", Double(byteCount) / 1e6 / seconds)
        }
        print("markdown: \(paths.map { ($0 as NSString).lastPathComponent }.joined(separator: " + ")) repeated to "
              + String(format: "%.2f MB", Double(byteCount) / 1e6) + " in \(chunks.count) chunks, best of \(options.runs) runs; MB = 10^6 bytes")
        print("Document(.markdown)  \(megabytesPerSecond(best.markdown))  (\(counts.spans) protected spans, \(counts.proseRanges) prose ranges)")
        print("bare ICU word loop   \(megabytesPerSecond(best.bareWords))  (\(counts.boundaries) boundaries)")
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var rest = arguments[...]
        func positive(_ flag: String) throws -> Int {
            guard let text = rest.popFirst(), let number = Int(text), number > 0 else {
                throw UsageError(description: "\(flag) needs a positive number; usage: \(usage)")
            }
            return number
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--file":
                guard let path = rest.popFirst() else { throw UsageError(description: "--file needs a path; usage: \(usage)") }
                options.files.append(path)
            case "--megabytes": options.megabytes = try positive(argument)
            case "--runs": options.runs = try positive(argument)
            default: throw UsageError(description: "bad argument: \(argument); usage: \(usage)")
            }
        }
        return options
    }
}
