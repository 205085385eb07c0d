import Foundation
import HouseStyleText

/// Data files HouseStyle reads at run time, installed by `scripts/setup.sh` into `.deps/`.
///
/// Looked up in `$HOUSESTYLE_DATA`, then in `.deps/` of the style's repository root, then in the
/// `.deps/` nearest above the running executable (a checkout's `.build/debug/housestyle` finds
/// the checkout's). Loaded once, on first use.
///
/// Also says how the style's trained model was made (`modelRecipe`), so that the stages and
/// scorers that load it refuse a bundle trained with another recipe.
public final class Resources: @unchecked Sendable {
    private let directories: [String]
    /// The recipe the style's bundle must have been trained with to be loaded
    /// (`ModelBundle.load(_:recipe:resources:)`): `.standard`, what `housestyle train` makes,
    /// unless the caller trained with another.
    public let modelRecipe: ModelRecipe
    private let lock = NSLock()
    private var spellingPairsCache: [(british: String, american: String)]?

    public init(styleRoot: String? = nil, modelRecipe: ModelRecipe = .standard,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.modelRecipe = modelRecipe
        var directories: [String] = []
        if let data = environment["HOUSESTYLE_DATA"], !data.isEmpty { directories.append(data) }
        if let styleRoot { directories.append((styleRoot as NSString).appendingPathComponent(".deps")) }
        if let beside = Self.besideExecutable { directories.append(beside) }
        self.directories = directories
    }

    /// The `.deps` folder in the running executable's folder or the nearest folder above it, so
    /// that a tool or test built in a checkout (`.build/<triple>/debug/`) finds the data
    /// `scripts/setup.sh` installed there, wherever the checkout is; nil when there is none.
    static let besideExecutable: String? = {
        guard let executable = Bundle.main.executableURL ?? CommandLine.arguments.first.map(URL.init(fileURLWithPath:)) else { return nil }
        var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent().standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent(".deps").path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue { return candidate }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }()

    /// The first existing file at `relativePath` in the data directories.
    public func locate(_ relativePath: String) -> String? {
        for directory in directories {
            let path = (directory as NSString).appendingPathComponent(relativePath)
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }

    /// British/American spelling pairs (`spelling/en-GB_en-US.tsv`).
    public func spellingPairs() throws(StageError) -> [(british: String, american: String)] {
        lock.lock()
        defer { lock.unlock() }
        if let spellingPairsCache { return spellingPairsCache }
        let relative = "spelling/en-GB_en-US.tsv"
        guard let path = locate(relative), let data = FileManager.default.contents(atPath: path) else {
            throw .missingResource(name: relative, searched: directories)
        }
        let pairs = try Self.spellingPairs(parsing: [UInt8](data), path: path)
        spellingPairsCache = pairs
        return pairs
    }

    /// The pairs of a spelling table's bytes, one `british<TAB>american` a line.
    /// - Throws: `StageError.corruptResource` naming `path` for a line with other than two fields.
    static func spellingPairs(parsing bytes: [UInt8], path: String) throws(StageError) -> [(british: String, american: String)] {
        var pairs: [(british: String, american: String)] = []
        // Split on the bytes, as `String.split` on characters does (`spellingPairsOnCharacters`):
        // a line feed ends a line unless a carriage return comes before it (CR LF is one
        // character), a tab is always a character of its own, and empty pieces are left out.
        // Lines and fields are decoded alone: both end at ASCII bytes, where decoding (and
        // repairing) starts afresh.
        var lineStart = 0
        for end in 0...bytes.count where end == bytes.count || (bytes[end] == 0x0A && (end == 0 || bytes[end - 1] != 0x0D)) {
            defer { lineStart = end + 1 }
            let line = bytes[lineStart..<end]
            guard !line.isEmpty else { continue }
            let fields = line.split(separator: 0x09)
            guard fields.count == 2 else {
                throw .corruptResource(path: path, reason: "line '\(String(decoding: line, as: UTF8.self))' is not british<TAB>american")
            }
            pairs.append((String(decoding: fields[0], as: UTF8.self), String(decoding: fields[1], as: UTF8.self)))
        }
        return pairs
    }

    /// `spellingPairs(parsing:path:)` on characters, as it was written first (the tests compare the two).
    static func spellingPairsOnCharacters(parsing bytes: [UInt8], path: String) throws(StageError) -> [(british: String, american: String)] {
        var pairs: [(british: String, american: String)] = []
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: "\t")
            guard fields.count == 2 else { throw .corruptResource(path: path, reason: "line '\(line)' is not british<TAB>american") }
            pairs.append((String(fields[0]), String(fields[1])))
        }
        return pairs
    }
}
