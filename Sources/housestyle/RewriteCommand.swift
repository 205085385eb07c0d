import ArgumentParser
import Dispatch
import Foundation
import HouseStyle
import HouseStyleText

struct RewriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewrite",
        abstract: "Rewrite files and folders into a house style.",
        discussion: """
            Folders are searched recursively for .md, .markdown and .txt files. Give -o DIR to write \
            the rewritten files under DIR (mirroring the folders), --in-place to replace the files, or \
            --diff / --explain to only show what would change. With one file and none of these, the \
            rewritten text goes to stdout. Writes are atomic; a file that fails is left untouched; \
            a symbolic link's target is rewritten and the link kept. An -o folder inside an input \
            folder is not searched.
            """ + "\n\n" + includeExcludeHelp)

    @Argument(help: "A style name (styles/NAME.yaml) or a style file path.")
    var style: String

    @Argument(help: "Files, folders or globs to rewrite.")
    var paths: [String]

    @Option(name: .shortAndLong, help: "Write rewritten files under this folder.")
    var output: String?

    @Flag(help: "Replace each file with its rewrite.")
    var inPlace = false

    @Option(help: "With --in-place: keep the original as FILE+SUFFIX (FILE+SUFFIX.1, .2, ... when that exists: an earlier backup is never replaced).")
    var backup: String?

    @Flag(help: "With --in-place: also rewrite read-only files, and files with several hard links (written into the same inode).")
    var force = false

    @Flag(help: "Print a unified diff of each change.")
    var diff = false

    @Flag(help: "Print every edit with its rule, reason and confidence.")
    var explain = false

    @Option(help: "Report format: text or json.")
    var format: ReportFormat = .text

    @Flag(help: "Fail instead of training when the style's model is missing or out of date.")
    var noTrain = false

    @OptionGroup var commands: CommandPermission

    @OptionGroup var allowedPaths: PathPermission

    @Option(help: "Files to rewrite at once.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "In folders, only files matching this glob (repeatable; default: *.md, *.markdown, *.txt).")
    var include: [String] = []

    @Option(help: "Skip files, and folders with everything in them, matching this glob (repeatable).")
    var exclude: [String] = []

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        if output != nil && inPlace { throw ValidationError("give either -o DIR or --in-place, not both") }
        if backup != nil && !inPlace { throw ValidationError("--backup goes with --in-place") }
        if force && !inPlace { throw ValidationError("--force goes with --in-place") }
        // An empty suffix would name the file itself: no backup would be made.
        if let backup, backup.isEmpty || backup.contains("/") { throw ValidationError("--backup needs a suffix such as .orig (not empty, no '/')") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let started = Date()
        let pipeline = try loadPipeline(style, train: !noTrain, commands: commands, paths: allowedPaths)
        // An output folder inside an input folder holds the last run's output, not inputs.
        let files = try collectFiles(paths, include: include, exclude: exclude, skipping: output.map { [$0] } ?? [])
        let toStdout = output == nil && !inPlace && !diff && !explain && format == .text
        if toStdout && files.count != 1 {
            Console.error("error: \(files.count) files to rewrite: give -o DIR, --in-place, --diff or --explain")
            throw ExitCode(Status.unusable)
        }
        let plan = OutputPlan(outputFolder: output, inPlace: inPlace, backupSuffix: backup, force: force)
        do {
            try plan.check(files)
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(Status.unusable)
        }

        let progress = ProgressBar(total: files.count)
        let results = ResultSlots(count: files.count)
        let pool = jobs
        DispatchQueue.concurrentPerform(iterations: min(pool, max(files.count, 1))) { worker in
            var index = worker
            while index < files.count {
                results[index] = Self.process(files[index], pipeline: pipeline, plan: plan, writes: !toStdout)
                progress.advance()
                index += pool
            }
        }

        var edits = 0, findings = 0, failed = 0
        var records: [[String: Any]] = []
        for (file, result) in zip(files, results.values) {
            switch result {
            case .failure(let error):
                failed += 1
                Console.error("\(error)")
                records.append(["path": file.path, "error": "\(error)"])
            case .success(let rewrite):
                edits += rewrite.edits.count
                findings += rewrite.findings.count
                if toStdout { Console.out(rewrite.text) }
                if diff { Console.out(UnifiedDiff.render(original: rewrite.original, revised: rewrite.text, path: file.path)) }
                if explain && format == .text { Console.out(Explanation.text(of: rewrite, path: file.path)) }
                if format == .json { records.append(Explanation.json(of: rewrite, path: file.path)) }
            }
        }
        if format == .json {
            let data = try JSONSerialization.data(withJSONObject: ["files": records], options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
            Console.out(String(decoding: data, as: UTF8.self) + "\n")
        }
        let seconds = Date().timeIntervalSince(started)
        Console.error("rewrote \(files.count - failed) of \(files.count) file\(files.count == 1 ? "" : "s"): \(edits) edit\(edits == 1 ? "" : "s"), \(findings) finding\(findings == 1 ? "" : "s")" + (failed > 0 ? ", \(failed) failed" : "") + String(format: " (%.2f s)", seconds))
        if failed > 0 { throw ExitCode(Status.failed) }
    }

    /// Reads, rewrites and (when asked) writes one file. Never throws: a failure is a result.
    static func process(_ file: InputFile, pipeline: Pipeline, plan: OutputPlan, writes: Bool) -> Result<Rewrite, any Error> {
        do {
            let text = try TextFile.read(file.path)
            let rewrite = try pipeline.rewrite(text, path: file.path)
            if writes { try plan.write(rewrite, for: file) }
            return .success(rewrite)
        } catch let error as StageError {
            return .failure(FileError(path: file.path, message: error.description))
        } catch {
            return .failure(error)
        }
    }
}

/// A failure that belongs to one file.
struct FileError: Error, CustomStringConvertible {
    let path: String
    let message: String
    var description: String { "\(path): error: \(message)" }
}

/// Where rewritten files go.
struct OutputPlan: Sendable {
    let outputFolder: String?
    let inPlace: Bool
    let backupSuffix: String?
    var force = false

    func destination(for file: InputFile) -> String? {
        if inPlace { return file.path }
        guard let outputFolder else { return nil }
        // Joined as strings so that messages name the path as the user spelled it.
        return outputFolder.hasSuffix("/") ? outputFolder + file.relativePath : outputFolder + "/" + file.relativePath
    }

    /// Refuses, before anything is written, outputs that would overwrite an input (unless
    /// rewriting in place) and two inputs whose outputs would be the same file.
    func check(_ files: [InputFile]) throws {
        func canonical(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        let inputs = Set(files.map { canonical($0.path) })
        var writers: [String: InputFile] = [:]
        for file in files {
            guard let destination = destination(for: file) else { continue }
            let key = canonical(destination)
            if !inPlace && inputs.contains(key) { throw InputError.wouldOverwriteInput(path: destination) }
            // In place, a file named twice (or with a link to it) would be written twice at once.
            if let earlier = writers.updateValue(file, forKey: key) {
                throw OutputCollision(first: earlier.path, second: file.path, output: destination, inPlace: inPlace)
            }
        }
    }

    /// Refuses a write that would go through a symbolic link out of where the user pointed: in
    /// place, a link whose target lies outside the link's own folder; under `-o`, any link among
    /// the folders between the output folder and the file.
    func checkLinks(destination: String, for file: InputFile) throws {
        func isLink(_ path: String) -> Bool {
            var status = stat()
            return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK
        }
        if inPlace {
            guard isLink(file.path) else { return }
            let folder = URL(fileURLWithPath: file.path).deletingLastPathComponent().standardizedFileURL.resolvingSymlinksInPath().path
            let target = URL(fileURLWithPath: file.path).resolvingSymlinksInPath().path
            guard target.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") else {
                throw InputError.unwritable(path: file.path, reason: "it is a symbolic link to \(target), outside its folder; name that file to rewrite it")
            }
            return
        }
        guard let outputFolder else { return }
        var path = outputFolder
        for component in file.relativePath.split(separator: "/").dropLast() {
            path += (path.hasSuffix("/") ? "" : "/") + component
            if isLink(path) { throw InputError.unwritable(path: destination, reason: "\(path) is a symbolic link; not writing through it") }
        }
    }

    /// `path`, or `path.1`, `path.2`, ... when it exists (a file, a folder or a link): a backup
    /// from an earlier run is never replaced.
    static func freeBackupPath(_ path: String) -> String {
        func exists(_ candidate: String) -> Bool {
            var status = stat()
            return lstat(candidate, &status) == 0
        }
        guard exists(path) else { return path }
        var number = 1
        while exists("\(path).\(number)") { number += 1 }
        return "\(path).\(number)"
    }

    func write(_ rewrite: Rewrite, for file: InputFile) throws {
        guard let destination = destination(for: file) else { return }
        if inPlace {
            guard rewrite.changed else { return }
            try checkLinks(destination: destination, for: file)
            // Refused before the backup is made, so that a refusal leaves nothing behind.
            try TextFile.checkReplaceable(file.path, replacing: TextFile.Replacing(force: force))
            if let backupSuffix {
                // The backup gets the original's permissions: it holds the same text.
                try TextFile.writeAtomically(rewrite.original, to: Self.freeBackupPath(file.path + backupSuffix),
                                             permissions: TextFile.permissions(of: file.path))
            }
        }
        if !inPlace { try checkLinks(destination: destination, for: file) }
        // In place, a symbolic link's target is rewritten and the link stays; under -o, a link
        // in the output folder is replaced by the file, never written through.
        try TextFile.writeAtomically(rewrite.text, to: destination, followingLink: inPlace,
                                     replacing: inPlace ? TextFile.Replacing(force: force) : nil)
    }
}

/// Two inputs whose rewrites would go to the same output file.
struct OutputCollision: Error, CustomStringConvertible {
    let first: String
    let second: String
    let output: String
    var inPlace = false
    var description: String {
        inPlace
            ? "\(first) and \(second) are the same file (\(URL(fileURLWithPath: output).resolvingSymlinksInPath().path)); name it once"
            : "\(first) and \(second) would both be written to \(output); rewrite them in separate runs or with different -o folders"
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
