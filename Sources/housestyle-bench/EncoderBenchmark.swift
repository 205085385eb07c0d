import Foundation
import HouseStyleNumerics
#if canImport(Glibc)
import Glibc
#endif

/// Speed of the Swift all-MiniLM-L6-v2 encoder: forward sentences/s at batch 32 for two sequence
/// lengths, and LoRA fine-tuning steps/s, at each thread count, beside the FMA peak of that many
/// cores and the sgemm rates OpenBLAS and the projection kernel reach, all measured in the same run.
enum EncoderBenchmark {
    struct Options {
        var runs = 3
        var batch = 32
        var lengths = [32, 128]
        var threads = [1, 2]
        var model: String?
        var train = true
        /// Times by the calling thread's CPU time instead of the wall clock (one thread only).
        var cpuClock = false
    }

    enum UsageError: Error, CustomStringConvertible {
        case badArgument(String)
        var description: String {
            guard case .badArgument(let text) = self else { return "" }
            return "bad argument: \(text); usage: \(EncoderBenchmark.usage)"
        }
    }

    static let usage = "encoder [--runs N] [--batch B] [--lengths 32,128] [--threads 1,2] [--model DIR] [--forward-only] [--clock wall|cpu]"

    static func run(_ arguments: [String]) throws {
        let options = try parse(arguments)
        cpuClock = options.cpuClock
        let encoder: MiniLMEncoder
        do {
            encoder = try MiniLMEncoder(locator: BaseModelLocator(explicitDirectory: options.model))
        } catch let error as EncoderError {
            print("encoder: skipped: \(error)")
            return
        }
        let config = encoder.config
        print("encoder: all-MiniLM-L6-v2, batch \(options.batch), best of \(options.runs) runs, \(options.cpuClock ? "thread CPU time" : "wall clock"); OpenBLAS \(BLAS.configuration); projection kernel \(BLAS.projectionKernel), elementwise \(BLAS.elementwiseKernel)")
        print("")
        // Forward passes first, so the peak RSS of inference can be read before training allocates.
        struct Row { var threads = 0, length = 0; var peak = 0.0, sgemm = 0.0, kernel = 0.0, forward = 0.0, train = 0.0 }
        var rows: [Row] = []
        for threads in options.threads {
            BLAS.threadCount = threads
            for length in options.lengths {
                var row = Row(threads: threads, length: length)
                // The FMA peak of `threads` cores, measured beside the figures that are a share of it.
                row.peak = FMAPeak.gigaflops(threads: threads) ?? .nan
                row.sgemm = sgemmRate(m: options.batch * length, n: config.intermediateSize, k: config.hiddenSize, runs: options.runs)
                row.kernel = sgemmRate(m: options.batch * length, n: config.intermediateSize, k: config.hiddenSize, runs: options.runs,
                                       kernel: .projection)
                // B sentences of exactly T tokens.
                let sentences = syntheticSentences(encoder: encoder, count: options.batch, length: length, seed: UInt64(length))
                let tokenized = sentences.map { encoder.tokenizer.encode($0) }
                precondition(tokenized.allSatisfy { $0.count == length }, "synthetic sentences must have exactly \(length) tokens")
                _ = encoder.embed(tokenized: tokenized, batchSize: options.batch)  // warm-up: page in the weights
                row.forward = best(options.runs) { _ = encoder.embed(tokenized: tokenized, batchSize: options.batch) }
                rows.append(row)
            }
        }
        let inferenceRSS = peakRSS()
        for index in rows.indices where options.train {
            let (threads, length) = (rows[index].threads, rows[index].length)
            BLAS.threadCount = threads
            // Peak again, beside the training steps; the higher of the two counts (shares never flatter).
            rows[index].peak = max(rows[index].peak, FMAPeak.gigaflops(threads: threads) ?? .nan)
            // Steps of B sentences each (B on-voice and B off-voice sentences, one step per B), runs + 1
            // epochs: the first step allocates the model's buffers, the others are steady state, as in
            // the PyTorch script (which times `step()` after a warm-up step). Best step time.
            let sentences = syntheticSentences(encoder: encoder, count: 2 * options.batch, length: length, seed: 1000 + UInt64(length))
            var configuration = TrainingConfiguration()
            configuration.epochs = options.runs + 1
            configuration.batchSize = options.batch
            configuration.maximumLength = length
            let trainer = AdapterTrainer(encoder: encoder)
            var last = seconds()
            var stepTimes: [Double] = []
            _ = try? trainer.train(onVoice: Array(sentences[..<options.batch]), offVoice: Array(sentences[options.batch...]),
                                   configuration: configuration) { progress in
                let now = seconds()
                if progress.step > 1 { stepTimes.append(now - last) }
                last = now
            }
            rows[index].train = stepTimes.min() ?? .infinity
        }
        // peak: FMA chains on `threads` cores; sgemm: OpenBLAS on the feed-forward shape; kernel: the
        // projection kernel on the same shape.
        print("threads  seq  peak GFLOP/s  sgemm GFLOP/s  kernel GFLOP/s  kernel % peak  forward sent/s  fwd GFLOP/s  fwd % peak  fwd % sgemm  fwd % kernel  train step ms  train sent/s  train GFLOP/s  train % peak  train % kernel")
        for row in rows {
            let forwardRate = flops(config: config, sentences: options.batch, length: row.length, training: false) / row.forward / 1e9
            let trainRate = flops(config: config, sentences: options.batch, length: row.length, training: true) / row.train / 1e9
            print(String(format: "%7d  %3d  %12.1f  %13.1f  %14.1f  %12.0f%%  %14.1f  %11.1f  %9.0f%%  %10.0f%%  %11.0f%%  %13.1f  %12.1f  %13.1f  %11.0f%%  %13.0f%%",
                         row.threads, row.length, row.peak, row.sgemm, row.kernel, 100 * row.kernel / row.peak,
                         Double(options.batch) / row.forward, forwardRate, 100 * forwardRate / row.peak,
                         100 * forwardRate / row.sgemm, 100 * forwardRate / row.kernel, row.train * 1000,
                         Double(options.batch) / row.train, trainRate, 100 * trainRate / row.peak, 100 * trainRate / row.kernel))
        }
        print("")
        print(String(format: "peak RSS: %.1f MiB after the forward passes, %.1f MiB after training (weights are memory-mapped, not copied)",
                     inferenceRSS, peakRSS()))
    }

    /// Peak resident set size of this process so far, in MiB.
    static func peakRSS() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
    }

    /// Floating-point operations of one batch: the matrix products (2 per multiply-add); training
    /// adds the backward products (input gradients of every frozen linear, attention twice over).
    static func flops(config: MiniLMConfig, sentences: Int, length: Int, training: Bool) -> Double {
        let (c, f, l) = (Double(config.hiddenSize), Double(config.intermediateSize), Double(config.layerCount))
        let tokens = Double(sentences * length)
        let linear = 2 * tokens * (4 * c * c + 2 * c * f) * l
        let attention = 4 * Double(sentences) * Double(length * length) * c * l
        return training ? 2 * linear + 3 * attention : linear + attention
    }

    /// GFLOP/s of one (m, k) x (k, n) product, the shape of the feed-forward layer.
    static func sgemmRate(m: Int, n: Int, k: Int, runs: Int, kernel: BLAS.Kernel = .openBLAS) -> Double {
        var generator = SeededGenerator(seed: 1)
        let a = (0..<(m * k)).map { _ in generator.uniform(1) }
        let b = (0..<(k * n)).map { _ in generator.uniform(1) }
        var c: [Float] = []
        BLAS.multiply(a, b, m: m, n: n, k: k, into: &c, kernel: kernel)
        let time = best(max(runs, 3)) { BLAS.multiply(a, b, m: m, n: n, k: k, into: &c, kernel: kernel) }
        return 2 * Double(m) * Double(n) * Double(k) / time / 1e9
    }

    /// Sentences of `length` tokens ([CLS] and [SEP] included): random whole-word vocabulary
    /// entries, each of which tokenises back to itself.
    static func syntheticSentences(encoder: MiniLMEncoder, count: Int, length: Int, seed: UInt64) -> [String] {
        let words = encoder.tokenizer.tokens.filter { token in
            token.count >= 3 && token.unicodeScalars.allSatisfy { $0.value >= 97 && $0.value <= 122 }
        }
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            (0..<(length - 2)).map { _ in words[generator.nextIndex(below: words.count)] }.joined(separator: " ")
        }
    }

    /// Seconds on the clock the benchmark times with: the wall clock, or the calling thread's CPU time.
    nonisolated(unsafe) static var cpuClock = false
    static func seconds() -> Double {
        cpuClock ? FMAPeak.threadCPUSeconds() : Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    static func best(_ runs: Int, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<runs {
            let start = seconds()
            body()
            best = min(best, seconds() - start)
        }
        return best
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var iterator = arguments.makeIterator()
        func list(_ text: String?) throws -> [Int] {
            guard let text, case let values = text.split(separator: ",").compactMap({ Int($0) }), !values.isEmpty,
                  values.allSatisfy({ $0 > 0 }) else { throw UsageError.badArgument(text ?? "missing value") }
            return values
        }
        while let argument = iterator.next() {
            switch argument {
            case "--runs": options.runs = try list(iterator.next())[0]
            case "--batch": options.batch = try list(iterator.next())[0]
            case "--lengths": options.lengths = try list(iterator.next())
            case "--threads": options.threads = try list(iterator.next())
            case "--model": options.model = iterator.next()
            case "--forward-only": options.train = false
            case "--clock":
                // cpu: the calling thread's CPU time, which time slices of other processes on a shared
                // machine do not inflate; only at one thread, where all the work runs on that thread.
                switch iterator.next() {
                case "wall": options.cpuClock = false
                case "cpu": options.cpuClock = true
                case let other: throw UsageError.badArgument("--clock \(other ?? "")")
                }
            default: throw UsageError.badArgument(argument)
            }
        }
        guard options.lengths.allSatisfy({ $0 >= 3 && $0 <= 256 }) else { throw UsageError.badArgument("lengths must be 3...256") }
        guard !options.cpuClock || options.threads == [1] else { throw UsageError.badArgument("--clock cpu needs --threads 1") }
        return options
    }
}
