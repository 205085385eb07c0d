import Foundation
import HouseStyleText

/// Throughput of HouseStyle's sentence + word segmentation against a bare ICU break-iterator loop
/// over the same UTF-8 text in the same process.
///
/// HouseStyle's side builds the Swift values callers get (`[TextSegment]`, `[Token]` with kinds,
/// abbreviation filtering included); the bare side only counts `ubrk_next` boundaries in C.
enum SegmentationBenchmark {
    struct Options {
        var files: [String] = []
        var runs = 5
    }

    enum UsageError: Error, CustomStringConvertible {
        case badArgument(String)
        var description: String { "bad argument: \(badArgumentText); usage: segmentation [--file PATH]... [--runs N]" }
        private var badArgumentText: String { if case .badArgument(let text) = self { text } else { "" } }
    }

    static let defaultDirectory = "../shared/data/wikitext-2"

    static func run(_ arguments: [String]) throws {
        let options = try parse(arguments)
        let paths = options.files.isEmpty ? defaultFiles() : options.files
        guard !paths.isEmpty else {
            print("segmentation: skipped: no .txt files in \(defaultDirectory) (relative to \(FileManager.default.currentDirectoryPath)); run from the repository root or pass --file PATH")
            return
        }
        var texts: [String] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
            }
            texts.append(try TextDecoding.decodeUTF8(data, path: path))
        }
        let byteCount = texts.reduce(0) { $0 + $1.utf8.count }

        let sentenceSegmenter = try SentenceSegmenter()
        let wordSegmenter = try WordSegmenter()
        let bareSentences = try BareBreakIteratorLoop(.sentence)
        let bareWords = try BareBreakIteratorLoop(.word)

        // Counts double as a check that both sides did the work (and that the rules agree).
        var counts = (sentences: 0, tokens: 0, bareSentences: 0, bareWords: 0)
        var best = (sentences: Double.infinity, words: Double.infinity, bareSentences: Double.infinity, bareWords: Double.infinity)
        for _ in 0..<options.runs {
            best.sentences = min(best.sentences, try seconds {
                counts.sentences = try texts.reduce(0) { $0 + (try sentenceSegmenter.sentences(in: $1)).count }
            })
            best.bareSentences = min(best.bareSentences, try seconds {
                counts.bareSentences = try texts.reduce(0) { $0 + (try bareSentences.countBoundaries(in: $1)) }
            })
            best.words = min(best.words, try seconds {
                counts.tokens = try texts.reduce(0) { $0 + (try wordSegmenter.tokens(in: $1)).count }
            })
            best.bareWords = min(best.bareWords, try seconds {
                counts.bareWords = try texts.reduce(0) { $0 + (try bareWords.countBoundaries(in: $1)) }
            })
        }

        func megabytesPerSecond(_ seconds: Double) -> String {
            String(format: "%8.2f MB/s", Double(byteCount) / 1e6 / seconds)
        }
        let names = paths.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
        print("segmentation: \(names): \(String(format: "%.2f", Double(byteCount) / 1e6)) MB, best of \(options.runs) runs, MB = 10^6 bytes")
        print("                      sentences          words           both")
        let houseBoth = best.sentences + best.words
        let bareBoth = best.bareSentences + best.bareWords
        print("HouseStyle         \(megabytesPerSecond(best.sentences))  \(megabytesPerSecond(best.words))  \(megabytesPerSecond(houseBoth))")
        print("bare ICU loop      \(megabytesPerSecond(best.bareSentences))  \(megabytesPerSecond(best.bareWords))  \(megabytesPerSecond(bareBoth))")
        print(String(format: "HouseStyle / bare  %11.0f%%  %13.0f%%  %13.0f%%",
                     100 * best.bareSentences / best.sentences, 100 * best.bareWords / best.words, 100 * bareBoth / houseBoth))
        print("segments: \(counts.sentences) sentences (bare ICU \(counts.bareSentences), without abbreviation filtering), \(counts.tokens) tokens (bare ICU \(counts.bareWords))")
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--file":
                guard let path = rest.popFirst() else { throw UsageError.badArgument("--file needs a path") }
                options.files.append(path)
            case "--runs":
                guard let text = rest.popFirst(), let runs = Int(text), runs > 0 else {
                    throw UsageError.badArgument("--runs needs a positive number")
                }
                options.runs = runs
            default:
                throw UsageError.badArgument(argument)
            }
        }
        return options
    }

    /// The wikitext-2 splits next to the repository (licence files excluded), sorted.
    static func defaultFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: defaultDirectory)) ?? []
        return names.filter { $0.hasSuffix(".txt") && !$0.localizedCaseInsensitiveContains("license") }
            .sorted().map { "\(defaultDirectory)/\($0)" }
    }

    static func seconds(_ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
