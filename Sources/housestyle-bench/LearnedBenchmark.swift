import Foundation
import HouseStyle
import HouseStyleNumerics
import HouseStyleText

/// Learned edits of a trained style on a file of sentences (one a line): training time, rewrite
/// throughput (words per second on one core, best of N, by wall time and by the thread's CPU
/// time, which other work on a loaded machine inflates far less), and what the edits do: share of
/// sentences edited, self-BLEU against the input, change in the voice model's score, and BLEU
/// against a reference file beside the copy baseline.
enum LearnedBenchmark {
    struct Options {
        var style = ""
        var input = ""
        var reference: String?
        var runs = 3
        var train = false
        /// Train and run with the fine-tuned voice scorer and the calibration (as `housestyle train` does).
        var scorer = false
        /// The scorer's and the frozen encoder's precision (`--precision int8|bf16`): int8, as
        /// rewriting runs; bf16 times the peer it replaced (on a bundle calibrated with int8).
        var precision = ProjectionPrecision.int8
    }

    static func run(_ arguments: [String]) throws {
        let options = try parse(arguments)
        NeuralVoice.inferencePrecision = options.precision
        let style = try StyleLoader(allowedPaths: PathScope.allowedPaths()).load(nameOrPath: options.style)
        let recipe: ModelRecipe = options.scorer ? .standard : .statisticsOnly
        // The pipeline's learned stage loads the bundle by the same recipe.
        let resources = Resources(styleRoot: style.root, modelRecipe: recipe)
        if options.train || (try? ModelBundle.status(of: style, recipe: recipe)) != .current {
            let started = Date()
            let trainer = Trainer(style: style, resources: resources, recipe: recipe)
            let summary = try trainer.train()
            let seconds = Date().timeIntervalSince(started)
            let m = summary.manifest.metrics
            print(String(format: "training: %.2f s (%d voice + %d contrast sentences, %d pairs; held-out voice perplexity %.1f)",
                seconds, Int(m["voice_sentences"] ?? 0), Int(m["contrast_sentences"] ?? 0), Int(m["pairs"] ?? 0), m["voice_held_out_perplexity"] ?? .nan))
        }
        let learned = try ModelBundle.load(style, recipe: recipe, resources: resources)
        let model = learned.statistics
        let pipeline = try Pipeline(style: style, resources: resources)
        let lines = try String(contentsOfFile: options.input, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init).filter { !$0.isEmpty }
        let text = lines.joined(separator: "\n") + "\n"

        // Throughput: the whole file as one plain-text document, one thread.
        let segmenter = try WordSegmenter(locale: style.locale)
        let bytes = Array(text.utf8)
        let words = try segmenter.tokens(in: text).filter { $0.kind == .word || $0.kind == .number }
            .map { WordToken(range: $0.utf8Range, isNumber: $0.kind == .number, proseEnd: bytes.count, key: WordKey.of(bytes[$0.utf8Range])) }
        let ruleText = RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])
        let calibration = options.scorer ? learned.calibration : nil
        var voice: NeuralVoice?
        var bestStage = Double.infinity, bestPipeline = Double.infinity, bestStageCPU = Double.infinity
        var stageEdits: [Edit] = []
        for _ in 0..<options.runs {
            // A fresh scorer each run: its sentence cache must not make later runs faster.
            voice = options.scorer ? try ModelBundle.load(style, recipe: recipe, resources: resources).voice : nil
            let stage = LearnedStage(model: model, settings: style.rewrite, voice: voice, calibration: calibration)
            // The pipeline too: its learned stage has a scorer of its own, with its own cache.
            let fresh = options.scorer ? try Pipeline(style: style, resources: resources) : pipeline
            var start = Date()
            let cpu = FMAPeak.threadCPUSeconds()  // the stage runs on this thread (the scorer on one BLAS thread)
            stageEdits = stage.apply(to: ruleText).edits
            bestStageCPU = min(bestStageCPU, FMAPeak.threadCPUSeconds() - cpu)
            bestStage = min(bestStage, Date().timeIntervalSince(start))
            start = Date()
            _ = try fresh.rewrite(text, path: nil, format: .plain)
            bestPipeline = min(bestPipeline, Date().timeIntervalSince(start))
        }
        print(String(format: "input: %d lines, %d words", lines.count, words.count))
        let what = voice == nil ? "learned stage alone" : "learned stage with the voice scorer"
        print(String(format: "throughput, \(what): %.0f words/s (%.3f s); by CPU time %.0f words/s (%.3f s)",
                     Double(words.count) / bestStage, bestStage, Double(words.count) / bestStageCPU, bestStageCPU))
        print(String(format: "throughput, whole pipeline:      %.0f words/s (%.3f s)", Double(words.count) / bestPipeline, bestPipeline))
        // What the timed stage did: a fast run that edits nothing measures nothing.
        var lineStarts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { lineStarts.append(offset + 1) }
        let editedLines = Set(stageEdits.map { edit in lineStarts.lastIndex { $0 <= edit.range.lowerBound } ?? 0 })
        print(String(format: "the timed stage, whole file as one document: %d edits in %d of %d lines", stageEdits.count, editedLines.count, lines.count))

        // Quality, sentence by sentence.
        let tokenizer = try ModelTokenizer(locale: style.locale)
        var outputs: [String] = []
        var edited = 0, edits = 0
        var scoreBefore = 0.0, scoreAfter = 0.0, tokensBefore = 0, tokensAfter = 0
        let loopCPU = FMAPeak.threadCPUSeconds()
        for line in lines {
            let result = try pipeline.rewrite(line, path: nil, format: .plain)
            outputs.append(result.text)
            if result.changed { edited += 1 }
            edits += result.edits.count
            let before = tokenizer.tokens(line).map(model.vocabulary.id), after = tokenizer.tokens(result.text).map(model.vocabulary.id)
            scoreBefore += model.languageModel.logProbability(sentence: before); tokensBefore += before.count + 1
            scoreAfter += model.languageModel.logProbability(sentence: after); tokensAfter += after.count + 1
        }
        // One line a document, as `filter --jsonl` rewrites records: almost no word is a topic word,
        // so nearly every line is searched (with --scorer, this pipeline's scorer has not run: its cache is cold).
        let perLineCPU = FMAPeak.threadCPUSeconds() - loopCPU
        print(String(format: "whole pipeline, one line a document: %.0f words/s by CPU time (%.1f s, with the quality figures below)",
                     Double(words.count) / perLineCPU, perLineCPU))
        print(String(format: "lines edited: %d of %d (%.1f%%), %d edits (all stages)", edited, lines.count, 100 * Double(edited) / Double(lines.count), edits))
        print(String(format: "self-BLEU (output vs input): %.2f", BLEU.corpus(outputs, references: lines)))
        print(String(format: "voice LM log-prob per token: %.3f -> %.3f (change %+.3f nats; perplexity %.1f -> %.1f)",
            scoreBefore / Double(tokensBefore), scoreAfter / Double(tokensAfter),
            scoreAfter / Double(tokensAfter) - scoreBefore / Double(tokensBefore), exp(-scoreBefore / Double(tokensBefore)), exp(-scoreAfter / Double(tokensAfter))))
        if let reference = options.reference {
            let references = try String(contentsOfFile: reference, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init).prefix(lines.count)
            guard references.count == lines.count else { throw BenchmarkError("\(reference) has fewer lines than \(options.input)") }
            print(String(format: "BLEU vs reference: %.2f (copy baseline %.2f)", BLEU.corpus(outputs, references: Array(references)),
                BLEU.corpus(lines, references: Array(references))))
        }
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var i = 0
        func value() throws -> String {
            i += 1
            guard i < arguments.count else { throw BenchmarkError("\(arguments[i - 1]) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--style": options.style = try value()
            case "--input": options.input = try value()
            case "--reference": options.reference = try value()
            case "--runs": options.runs = Int(try value()) ?? 3
            case "--train": options.train = true
            case "--scorer": options.scorer = true
            case "--precision":
                switch try value() {
                case "int8": options.precision = .int8
                case "bf16": options.precision = .bfloat16
                case let other: throw BenchmarkError("--precision \(other): give int8 or bf16")
                }
            default: throw BenchmarkError("unknown option \(arguments[i])")
            }
            i += 1
        }
        guard !options.style.isEmpty, !options.input.isEmpty else { throw BenchmarkError("give --style STYLE and --input FILE") }
        return options
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Corpus BLEU-4 (Papineni et al. 2002) with one reference, uniform weights and the brevity
/// penalty, on tokens that split words from punctuation; case-sensitive.
enum BLEU {
    static func tokens(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if c.isLetter || c.isNumber || c == "'" || c == "’" || c == "_" {
                if start == nil { start = index }
            } else {
                if let s = start { result.append(text[s..<index]); start = nil }
                if !c.isWhitespace { result.append(text[index...index]) }
            }
            index = text.index(after: index)
        }
        if let s = start { result.append(text[s...]) }
        return result
    }

    static func corpus(_ hypotheses: [String], references: [String]) -> Double {
        var matches = [Int](repeating: 0, count: 4), totals = [Int](repeating: 0, count: 4)
        var hypothesisLength = 0, referenceLength = 0
        for (hypothesis, reference) in zip(hypotheses, references) {
            let h = tokens(hypothesis), r = tokens(reference)
            hypothesisLength += h.count; referenceLength += r.count
            for n in 1...4 {
                guard h.count >= n else { continue }
                var counts: [ArraySlice<Substring>: Int] = [:]
                if r.count >= n { for i in 0...(r.count - n) { counts[r[i..<(i + n)], default: 0] += 1 } }
                for i in 0...(h.count - n) {
                    totals[n - 1] += 1
                    if let c = counts[h[i..<(i + n)]], c > 0 { matches[n - 1] += 1; counts[h[i..<(i + n)]] = c - 1 }
                }
            }
        }
        guard matches.allSatisfy({ $0 > 0 }) else { return 0 }
        let logPrecision = (0..<4).reduce(0.0) { $0 + log(Double(matches[$1]) / Double(totals[$1])) } / 4
        let brevity = hypothesisLength >= referenceLength ? 1 : exp(1 - Double(referenceLength) / Double(hypothesisLength))
        return 100 * brevity * exp(logPrecision)
    }
}
