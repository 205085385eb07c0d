import Foundation
import HouseStyleNumerics
#if canImport(Glibc)
import Glibc
#endif

/// Speed of fine-tuning the voice scorer on real sentences (issue 16, item 3: one epoch over the
/// 181,669 Yelp training sentences): `steps` LoRA steps of `batch` sentences drawn (seeded) from a
/// voice and a contrast file, as `AdapterTrainer` runs them in `housestyle train`, at each thread
/// count and each number of adapted layers. Reports sentences per second of wall clock and of the
/// process's CPU time (all threads), and the time one epoch of `--sentences` would take: at the
/// wall-clock rate, and from the CPU time spread over the threads (what an otherwise idle machine
/// would give if the threads scaled perfectly). The first step (which allocates) is not counted.
/// With `--held-out N`, N other sentences of the same files are scored after each run and the
/// accuracy printed: the learning rate follows `housestyle train`'s schedule over the steps run,
/// so a few thousand steps compare settings (such as the adapted layers) at equal data.
enum FineTuneBenchmark {
    static let usage = "finetune --voice FILE --contrast FILE [--steps N] [--batch B] [--threads 1,2] [--lora-layers 6,2] [--sentences 181669] [--held-out N] [--learning-rate 0.0005] [--model DIR]"

    struct Options {
        var voice: String?, contrast: String?, model: String?
        var steps = 200
        var batch = 16
        var threads = [1, 2]
        var adaptedLayers = [6]
        var sentences = 181_669
        var heldOut = 0
        /// `model.learning_rate`'s default.
        var learningRate: Float = 0.0005
    }

    static func run(_ arguments: [String]) throws {
        let options = try parse(arguments)
        guard let voicePath = options.voice, let contrastPath = options.contrast else {
            throw EncoderBenchmark.UsageError.badArgument("--voice and --contrast are required")
        }
        let encoder: MiniLMEncoder
        do {
            encoder = try MiniLMEncoder(locator: BaseModelLocator(explicitDirectory: options.model))
        } catch let error as EncoderError {
            print("finetune: skipped: \(error)")
            return
        }
        func lines(_ path: String) throws -> [String] {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        }
        // A seeded sample of both files in their proportions, as many sentences as the steps take.
        var generator = SeededGenerator(seed: 25)
        var labelled = try lines(voicePath).map { ($0, true) } + lines(contrastPath).map { ($0, false) }
        generator.shuffle(&labelled)
        let needed = min(labelled.count - options.heldOut, (options.steps + 1) * options.batch)
        let sample = labelled.prefix(needed)
        let heldOut = labelled.suffix(options.heldOut)
        let onVoice = sample.filter(\.1).map(\.0), offVoice = sample.filter { !$0.1 }.map(\.0)
        let tokens = sample.map { encoder.tokenizer.encode($0.0, maximumLength: 128).count }
        let meanTokens = Double(tokens.reduce(0, +)) / Double(max(tokens.count, 1))
        print("finetune: all-MiniLM-L6-v2, LoRA rank 8 on query and value, batch \(options.batch), \(options.steps) steps after a first one; "
              + "\(needed) sentences (\(onVoice.count) on-voice), \(String(format: "%.1f", meanTokens)) tokens each on average; "
              + "projection kernel \(BLAS.projectionKernel), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let peaks = options.threads.map { FMAPeak.gigaflops(threads: $0) ?? .nan }
        print("FMA peak: " + zip(options.threads, peaks).map { String(format: "%.1f GFLOP/s on %d core(s)", $1, $0) }.joined(separator: ", "))
        print("")
        print("threads  lora layers  wall s  CPU s  sent/s wall  sent/s per CPU s  epoch at wall rate  epoch from CPU time / threads  final loss  held-out accuracy")
        for threads in options.threads {
            BLAS.threadCount = threads
            for adapted in options.adaptedLayers {
                var configuration = TrainingConfiguration()
                configuration.epochs = 1
                configuration.batchSize = options.batch
                configuration.adaptedLayers = adapted
                configuration.seed = 7
                configuration.learningRate = options.learningRate
                var start: (wall: Double, cpu: Double)?
                var counted = 0
                var lastLoss: Float = .nan
                var end = (wall: 0.0, cpu: 0.0)
                let adapter = try AdapterTrainer(encoder: encoder).train(onVoice: onVoice, offVoice: offVoice, configuration: configuration) { step in
                    let now = (wall: Double(DispatchTime.now().uptimeNanoseconds) / 1e9, cpu: processCPUSeconds())
                    if start == nil { start = now } else { counted += options.batch; end = now }
                    lastLoss = step.loss
                }
                guard let start, counted > 0 else { continue }
                let wall = end.wall - start.wall, cpu = end.cpu - start.cpu
                let perWall = Double(counted) / wall, perCPU = Double(counted) / cpu
                let epochWall = Double(options.sentences) / perWall
                let epochCPU = Double(options.sentences) / perCPU / Double(threads)
                var accuracy = "-"
                if !heldOut.isEmpty {
                    let scores = try VoiceScorer(encoder: encoder, adapter: adapter).scores(heldOut.map(\.0))
                    let correct = zip(scores, heldOut).filter { ($0 >= 0.5) == $1.1 }.count
                    accuracy = String(format: "%.4f (%d)", Double(correct) / Double(heldOut.count), heldOut.count)
                }
                func padded(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
                print(String(format: "%7d  %11d  %6.1f  %5.1f  %11.1f  %16.1f  ", threads, adapted, wall, cpu, perWall, perCPU)
                      + padded(duration(epochWall), 18) + "  " + padded(duration(epochCPU), 29)
                      + String(format: "  %10.3f  ", lastLoss) + accuracy)
            }
        }
        print("")
        print("epoch: \(options.sentences) sentences; 'from CPU time / threads' assumes the threads scale perfectly and nothing else runs")
    }

    /// User + system CPU seconds of the whole process (every thread).
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func duration(_ seconds: Double) -> String {
        String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60)
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var iterator = arguments.makeIterator()
        func list(_ text: String?) throws -> [Int] {
            guard let text, case let values = text.split(separator: ",").compactMap({ Int($0) }), !values.isEmpty,
                  values.allSatisfy({ $0 > 0 }) else { throw EncoderBenchmark.UsageError.badArgument(text ?? "missing value") }
            return values
        }
        while let argument = iterator.next() {
            switch argument {
            case "--voice": options.voice = iterator.next()
            case "--contrast": options.contrast = iterator.next()
            case "--model": options.model = iterator.next()
            case "--steps": options.steps = try list(iterator.next())[0]
            case "--batch": options.batch = try list(iterator.next())[0]
            case "--threads": options.threads = try list(iterator.next())
            case "--lora-layers": options.adaptedLayers = try list(iterator.next())
            case "--sentences": options.sentences = try list(iterator.next())[0]
            case "--held-out": options.heldOut = try list(iterator.next())[0]
            case "--learning-rate":
                guard let value = iterator.next().flatMap({ Float($0) }), value > 0 else { throw EncoderBenchmark.UsageError.badArgument("--learning-rate") }
                options.learningRate = value
            default: throw EncoderBenchmark.UsageError.badArgument(argument)
            }
        }
        return options
    }
}
