import Foundation
import Testing

/// Runs the built `housestyle` binary as a subprocess, in temporary folders, for the CLI tests.
enum CLI {
    /// The repository checkout these tests were compiled from.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped example style without its `learned` stage (Fixtures/styles/acme-rules.yaml), by
    /// absolute path so that tests can run in any folder: the rules, independent of a trained model.
    static let acmeStyle = repositoryRoot.appendingPathComponent("Tests/HousestyleCLITests/Fixtures/styles/acme-rules.yaml").path

    /// The `housestyle` executable: `$HOUSESTYLE_BINARY`, else beside the test bundle in the
    /// build products folder (any scratch path), else `.build/debug` of the checkout.
    static let binary: String = {
        let manager = FileManager.default
        if let path = ProcessInfo.processInfo.environment["HOUSESTYLE_BINARY"], !path.isEmpty { return path }
        var candidates: [URL] = []
        for start in [Bundle.main.bundleURL, Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])].compactMap({ $0 }) {
            // .build/debug/HouseStylePackageTests.xctest[/Contents/MacOS/...] -> .build/debug
            var folder = start.standardizedFileURL
            for _ in 0..<5 {
                folder = folder.deletingLastPathComponent()
                candidates.append(folder.appendingPathComponent("housestyle"))
            }
        }
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/housestyle"))
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               manager.isExecutableFile(atPath: candidate.path) {
                return candidate.path
            }
        }
        return repositoryRoot.appendingPathComponent(".build/debug/housestyle").path
    }()

    /// What one run printed and how it ended.
    struct Result: CustomStringConvertible {
        var stdout: Data
        var stderr: Data
        var status: Int32
        var out: String { String(decoding: stdout, as: UTF8.self) }
        /// stderr with the run time of the summary line (`(0.13 s)`) replaced by `(TIME)`.
        var err: String {
            String(decoding: stderr, as: UTF8.self)
                .replacingOccurrences(of: #"\(\d+\.\d+ s\)"#, with: "(TIME)", options: .regularExpression)
        }
        var description: String { "status \(status)\n--- stdout\n\(out)\n--- stderr\n\(err)" }
    }

    /// Runs `housestyle arguments...` (or `executable arguments...`) in `folder` with `stdin` as its standard input.
    static func run(_ arguments: [String], in folder: URL, stdin: Data = Data(),
                    environment: [String: String] = [:], executable: String? = nil) throws -> Result {
        let io = try TemporaryFolder()
        let inputURL = io.url.appendingPathComponent("stdin")
        let outputURL = io.url.appendingPathComponent("stdout")
        let errorURL = io.url.appendingPathComponent("stderr")
        try stdin.write(to: inputURL)
        try Data().write(to: outputURL)
        try Data().write(to: errorURL)
        // Files rather than pipes: no deadlock however much the tool prints.
        let input = try FileHandle(forReadingFrom: inputURL)
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        defer { try? input.close(); try? output.close(); try? error.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? binary)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "HOUSESTYLE_RECORD")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        process.waitUntilExit()
        return Result(stdout: try Data(contentsOf: outputURL), stderr: try Data(contentsOf: errorURL),
                      status: process.terminationStatus)
    }
}

/// A fresh folder under the system's temporary folder, removed when the value goes away.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("housestyle-cli-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes files given as relative path -> bytes, creating folders.
    func write(_ files: [String: Data]) throws {
        for (relative, data) in files {
            let file = url.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: file)
        }
    }

    func write(_ files: [String: String]) throws {
        try write(files.mapValues { Data($0.utf8) })
    }

    func read(_ relative: String) throws -> String {
        String(decoding: try Data(contentsOf: url.appendingPathComponent(relative)), as: UTF8.self)
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(relative).path)
    }

    /// Every regular file below the folder, relative and sorted.
    func files(under relative: String = "") -> [String] {
        let base = relative.isEmpty ? url : url.appendingPathComponent(relative)
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        let prefix = base.standardizedFileURL.path + "/"
        var result: [String] = []
        for case let file as URL in enumerator where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            result.append(String(file.standardizedFileURL.path.dropFirst(prefix.count)))
        }
        return result.sorted()
    }
}

/// Golden files for CLI output, in `Fixtures/Golden/`. Set `HOUSESTYLE_RECORD=1` to re-record:
/// a recording run writes the file and then FAILS, so nothing is accepted without being read.
enum Golden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Golden")

    /// - Parameter comment: what the output is (a command), named in a failure.
    static func check(_ actual: String, named name: String, comment: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let what = comment.map { "\($0): " } ?? ""
        let file = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["HOUSESTYLE_RECORD"] == "1" {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: file)
            Issue.record("\(what)recorded \(file.path); review it, then run again without HOUSESTYLE_RECORD", sourceLocation: sourceLocation)
            return
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            Issue.record("\(what)no golden file \(file.path); record it with HOUSESTYLE_RECORD=1 and review it", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == String(decoding: data, as: UTF8.self), "\(what)output differs from golden file \(name)", sourceLocation: sourceLocation)
    }
}
