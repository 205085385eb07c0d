import Foundation

/// Benchmarks by name. Each gets the arguments after its name. Add new ones here, sorted by name.
let benchmarks: [(name: String, usage: String, run: ([String]) throws -> Void)] = [
    ("encoder", EncoderBenchmark.usage, EncoderBenchmark.run),
    ("finetune", FineTuneBenchmark.usage, FineTuneBenchmark.run),
    ("learned", "learned --style STYLE --input FILE [--reference FILE] [--runs N] [--train] [--scorer] [--precision int8|bf16]", LearnedBenchmark.run),
    ("markdown", DocumentBenchmark.usage, DocumentBenchmark.run),
    ("peak", PeakBenchmark.usage, PeakBenchmark.run),
    ("rewrite", "rewrite [--file PATH]... [--jobs N]... [--megabytes N] [--style PATH] [--rounds N]", RewriteBenchmark.run),
    ("segmentation", "segmentation [--file PATH]... [--runs N]", SegmentationBenchmark.run),
]

@MainActor func printUsage() {
    print("usage: housestyle-bench <benchmark> [options]\n\nbenchmarks:")
    for benchmark in benchmarks { print("  housestyle-bench \(benchmark.usage)") }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, name != "--help", name != "-h" else {
    printUsage()
    exit(arguments.isEmpty ? 64 : 0)
}
guard let benchmark = benchmarks.first(where: { $0.name == name }) else {
    printError("housestyle-bench: unknown benchmark '\(name)'")
    printUsage()
    exit(64)
}
do {
    try benchmark.run(Array(arguments.dropFirst()))
} catch {
    printError("housestyle-bench \(name): \(error)")
    exit(1)
}
