import Dispatch
import Foundation
import HouseStyle
import HouseStyleNumerics
import HouseStyleText

/// Rules-only rewrite throughput (`styles/acme.yaml`, no trained model) over a large input, at 1
/// and N jobs, beside bare ICU word segmentation (`WordSegmenter.tokens`) and the pipeline's own
/// word scan (`WordSegmenter.forEachWord`, Latin lines without ICU) of the same text in the same run.
///
/// The input is built in memory from `../shared/data` (wikitext-2 and Yelp sentences, repeated
/// to about 20 MB) and split at line ends into chunks that play the part of files.
enum RewriteBenchmark {
    struct Options {
        var files: [String] = []
        var jobs: [Int] = [1, 2]
        var megabytes = 20
        var chunkBytes = 256 * 1024
        var style = "styles/acme.yaml"
        /// Each timed rewrite is repeated this many times and its best time kept.
        var rounds = 1
    }

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static let usage = "rewrite [--file PATH]... [--jobs N]... [--megabytes N] [--style PATH] [--rounds N]"
    static let defaultFiles = [
        "../shared/data/wikitext-2/test.txt", "../shared/data/wikitext-2/valid.txt",
        "../shared/data/yelp/sentiment.dev.0", "../shared/data/yelp/sentiment.dev.1",
    ]

    static func run(_ arguments: [String]) throws {
        let options = try parse(arguments)
        let paths = options.files.isEmpty ? defaultFiles : options.files
        guard let sources = try loadSources(options.files, mode: "rewrite") else { return }
        let chunks = makeChunks(sources, totalBytes: options.megabytes * 1_000_000, chunkBytes: options.chunkBytes)
        let byteCount = chunks.reduce(0) { $0 + $1.utf8.count }

        var style = try StyleLoader(checksCorpusFiles: false, allowedPaths: PathScope.allowedPaths()).load(path: options.style)
        style.stages.post.removeAll { $0 == .builtin(.learned) }  // rules only; `learned` has its own benchmark
        let pipeline = try Pipeline(style: style, resources: Resources(styleRoot: style.root))

        // Bare segmentation: the word tokens every rule stage needs, once over the input.
        let segmenter = try WordSegmenter(locale: style.locale)
        var wordCount = 0
        let segmentSeconds = try SegmentationBenchmark.seconds {
            for chunk in chunks {
                wordCount += try segmenter.tokens(in: chunk).reduce(0) { $0 + ($1.kind == .word ? 1 : 0) }
            }
        }

        // The pipeline's own word scan (`WordSegmenter.forEachWord`: Latin lines without ICU).
        var scannedWords = 0
        let scanSeconds = try SegmentationBenchmark.seconds {
            for chunk in chunks {
                var text = chunk
                try text.withUTF8 { bytes in
                    try segmenter.forEachWord(in: bytes) { _, isNumber in scannedWords += isNumber ? 0 : 1 }
                }
            }
        }
        guard scannedWords == wordCount else {
            throw UsageError(description: "the word scan found \(scannedWords) words, ICU \(wordCount)")
        }

        print("rewrite: \(style.name) (rules only, \(pipeline.stages.count) stages: \(pipeline.stages.map(\.id).joined(separator: ", ")))")
        print("input: \(paths.map { ($0 as NSString).lastPathComponent }.joined(separator: " + ")) repeated to "
              + String(format: "%.2f MB", Double(byteCount) / 1e6) + " in \(chunks.count) chunks, \(wordCount) words; MB = 10^6 bytes")
        print("                        MB/s     words/s   MB/s/job   edits")
        func row(_ name: String, _ seconds: Double, jobs: Int, edits: Int?) {
            let mbs = Double(byteCount) / 1e6 / seconds
            print(name.padding(toLength: 20, withPad: " ", startingAt: 0)
                  + String(format: "%8.2f  %10.0f  %9.2f", mbs, Double(wordCount) / seconds, mbs / Double(jobs))
                  + (edits.map { String(format: "  %6d", $0) } ?? ""))
        }
        row("segmentation only", segmentSeconds, jobs: 1, edits: nil)
        row("word scan", scanSeconds, jobs: 1, edits: nil)
        for jobs in options.jobs {
            var best = Double.infinity
            var edits = 0
            for _ in 0..<options.rounds {
                let results = Slots(count: chunks.count)
                let seconds = try SegmentationBenchmark.seconds {
                    DispatchQueue.concurrentPerform(iterations: jobs) { worker in
                        var index = worker
                        while index < chunks.count {
                            results[index] = (try? pipeline.rewrite(chunks[index], path: "chunk.md")).map(\.edits.count) ?? -1
                            index += jobs
                        }
                    }
                }
                let counts = results.values
                if counts.contains(-1) { throw UsageError(description: "a chunk failed to rewrite") }
                best = min(best, seconds)
                edits = counts.reduce(0, +)
            }
            row("rewrite, \(jobs) job\(jobs == 1 ? "" : "s")", best, jobs: jobs, edits: edits)
        }
        // One job again, timed by this thread's CPU time: on a machine other work shares, wall
        // time counts the time the thread waited for a core, CPU time only the time it ran.
        var cpuBest = Double.infinity
        var cpuEdits = 0
        for _ in 0..<options.rounds {
            var edits = 0
            let start = FMAPeak.threadCPUSeconds()
            for chunk in chunks { edits += try pipeline.rewrite(chunk, path: "chunk.md").edits.count }
            cpuBest = min(cpuBest, FMAPeak.threadCPUSeconds() - start)
            cpuEdits = edits
        }
        row("rewrite, 1 job, CPU", cpuBest, jobs: 1, edits: cpuEdits)
    }

    /// The texts of `files`, or of `defaultFiles` when none are given; nil (after saying so) when
    /// a default file is missing, as it is without ../shared/data.
    static func loadSources(_ files: [String], mode: String) throws -> [String]? {
        var sources: [String] = []
        for path in files.isEmpty ? defaultFiles : files {
            guard let data = FileManager.default.contents(atPath: path) else {
                if files.isEmpty {
                    print("\(mode): skipped: \(path) not found (relative to \(FileManager.default.currentDirectoryPath)); run from the repository root or pass --file PATH")
                    return nil
                }
                throw UsageError(description: "\(path): no such file")
            }
            sources.append(try TextDecoding.decodeUTF8(data, path: path))
        }
        return sources
    }

    /// `sources` repeated until `totalBytes`, cut at line ends into chunks of about `chunkBytes`.
    static func makeChunks(_ sources: [String], totalBytes: Int, chunkBytes: Int) -> [String] {
        var chunks: [String] = []
        var current = ""
        var total = 0
        while total < totalBytes {
            for source in sources {
                for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
                    current += line
                    current += "\n"
                    if current.utf8.count >= chunkBytes {
                        total += current.utf8.count
                        chunks.append(current)
                        current = ""
                        if total >= totalBytes { return chunks }
                    }
                }
            }
        }
        return chunks
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var jobs: [Int] = []
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let text = rest.popFirst() else { throw UsageError(description: "\(flag) needs a value; usage: \(usage)") }
            return text
        }
        func positive(_ flag: String) throws -> Int {
            guard let number = Int(try value(flag)), number > 0 else {
                throw UsageError(description: "\(flag) needs a positive number; usage: \(usage)")
            }
            return number
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--file": options.files.append(try value(argument))
            case "--jobs": jobs.append(try positive(argument))
            case "--megabytes": options.megabytes = try positive(argument)
            case "--style": options.style = try value(argument)
            case "--rounds": options.rounds = try positive(argument)
            default: throw UsageError(description: "bad argument: \(argument); usage: \(usage)")
            }
        }
        if !jobs.isEmpty { options.jobs = jobs }
        return options
    }

    /// Per-chunk results written by worker threads.
    final class Slots: @unchecked Sendable {
        private var slots: [Int]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: 0, count: count) }
        subscript(index: Int) -> Int {
            get { lock.lock(); defer { lock.unlock() }; return slots[index] }
            set { lock.lock(); slots[index] = newValue; lock.unlock() }
        }
        var values: [Int] { lock.lock(); defer { lock.unlock() }; return slots }
    }
}
