import Dispatch
import Foundation
import HouseStyleText

/// Runs a pipeline over many files on several threads, as `rewrite` and `check` do: each file is
/// read, rewritten and (with an output plan) written on its own, and a failure is that file's
/// result, never the batch's. Results come back in the order of the files.
public struct BatchRunner: Sendable {
    public let pipeline: Pipeline
    /// Where rewritten files go; nil writes nothing (`check`, `--diff`, stdout).
    public let plan: OutputPlan?
    /// Files at once.
    public let jobs: Int

    public init(pipeline: Pipeline, plan: OutputPlan? = nil, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        precondition(jobs >= 1, "jobs \(jobs) < 1")
        self.pipeline = pipeline
        self.plan = plan
        self.jobs = jobs
    }

    /// Each file's rewrite, or why it failed (`InputError`, `TextError`, `StageError`, ...), in
    /// the order of `files`. `done` is called from the worker threads after each file.
    public func run(_ files: [InputFile], done: @Sendable () -> Void = {}) -> [Result<Rewrite, any Error>] {
        let results = ResultSlots(count: files.count)
        let pool = jobs
        DispatchQueue.concurrentPerform(iterations: min(pool, max(files.count, 1))) { worker in
            var index = worker
            while index < files.count {
                results[index] = process(files[index])
                done()
                index += pool
            }
        }
        return results.values
    }

    /// Reads, rewrites and (with a plan) writes one file. Never throws: a failure is a result.
    public func process(_ file: InputFile) -> Result<Rewrite, any Error> {
        Result {
            let rewrite = try pipeline.rewrite(try TextFile.read(file.path), path: file.path)
            try plan?.write(rewrite, for: file)
            return rewrite
        }
    }
}

/// Results written by worker threads, one slot a file.
final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<Rewrite, any Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    subscript(index: Int) -> Result<Rewrite, any Error> {
        get { lock.lock(); defer { lock.unlock() }; return slots[index]! }
        set { lock.lock(); slots[index] = newValue; lock.unlock() }
    }
    var values: [Result<Rewrite, any Error>] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}
