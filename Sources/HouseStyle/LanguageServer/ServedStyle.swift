import Foundation

/// The style a language server checks documents with: loaded from the workspace, and loaded
/// again when one of the files it came from changes on disk.
///
/// The server never trains. A style that lists the `learned` stage runs its rules only, unless
/// the server was asked to run the learned stage and the style's model is already trained and up
/// to date; either way a message says which, and how to get the other.
struct ServedStyle {
    /// The pipeline documents are checked with; nil when no style could be loaded yet.
    var pipeline: Pipeline?
    /// Whether this load made `pipeline` (rather than keeping the previous one, or none).
    var isFresh = false
    /// The style file, once found.
    var path: String?
    /// Files whose change means loading again, as they were when loaded.
    var watched: [FileStamp]
    /// Mistakes in style files, as diagnostics by file path (empty once the style loads).
    var problems: [String: [LSPDiagnostic]]
    /// What to tell the user about this load.
    var messages: [Message]

    struct Message: Sendable, Hashable {
        var type: LogMessageParams.MessageType
        var text: String
        /// Also shown as a pop-up (`window/showMessage`), not only logged.
        var shows = false
    }

    /// Whether no watched file has changed since the load.
    var isCurrent: Bool { watched.allSatisfy { $0 == FileStamp($0.path) } }

    /// Whether `path` is one of the files this style came from (or whose change could change it).
    func watches(_ path: String) -> Bool {
        let real = FileStamp.realPath(path)
        return watched.contains { FileStamp.realPath($0.path) == real }
    }

    /// Finds and loads the style of `options` for the workspace at `root`.
    /// - Parameter previous: the pipeline of the last load, kept (and said to be kept) when this
    ///   load fails, so that a style file being edited does not blank every document.
    static func load(options: LanguageServer.Options, root: String, previous: Pipeline?) -> ServedStyle {
        var served = ServedStyle(pipeline: previous, path: nil, watched: [], problems: [:], messages: [])
        let keeping = previous == nil ? "" : "; still checking with the style as it was last loaded"
        let path: String
        if let given = options.style {
            let named = StyleLoader.path(forNameOrPath: given, stylesDirectory: "styles")
            path = named.hasPrefix("/") ? named : (root as NSString).appendingPathComponent(named)
        } else {
            // No --style: the style in the workspace's styles/ that no other style there extends.
            // Adding, removing or editing a style there can change which one that is.
            let folder = (root as NSString).appendingPathComponent("styles")
            served.watched = [FileStamp(folder)] + Self.styleFiles(in: folder).map(FileStamp.init)
            do {
                path = (root as NSString).appendingPathComponent(try PackageStyle.find(in: URL(fileURLWithPath: root)))
            } catch {
                served.messages.append(Message(type: .error, text: "housestyle: \(error) (in \(root))\(keeping)", shows: true))
                return served
            }
        }
        served.path = path
        let style: Style
        do {
            style = try StyleLoader(checksCorpusFiles: false, allowedPaths: options.allowedPaths).load(path: path)
        } catch {
            served.watched += ([path] + error.diagnostics.map(\.path)).map(FileStamp.init)
            served.problems = Dictionary(grouping: error.diagnostics, by: \.path).mapValues { $0.map(Self.diagnostic) }
            let count = error.diagnostics.count
            served.messages.append(Message(
                type: .error,
                text: "housestyle: the style \(path) cannot be used (\(count) \(count == 1 ? "mistake" : "mistakes"))\(keeping):\n\(error)",
                shows: true))
            return served
        }
        served.watched += style.chain.map { FileStamp($0.path) }
        do { try Pipeline.checkCommands(of: style, allowed: options.allowsCommands) } catch {
            served.messages.append(Message(type: .error, text: "housestyle: \(path): \(error)\(keeping)", shows: true))
            return served
        }
        var runnable = style
        if style.usesLearnedStage {
            let bundle = ModelBundle.directory(for: style)
            served.watched.append(FileStamp((bundle as NSString).appendingPathComponent("manifest.json")))
            let train = "the language server never trains a model: run 'housestyle train \(path)'"
            if !options.runsLearnedStage {
                runnable = style.withoutLearnedStage
                served.messages.append(Message(type: .info, text: "housestyle: style '\(style.name)' lists the learned stage; "
                    + "the language server runs its rules only (start it with --learned to use the trained model of \(bundle))"))
            } else {
                switch Result(catching: { () throws(ModelError) in try ModelBundle.status(of: style, recipe: .standard) }) {
                case .success(.current):
                    break
                case .success(.missing):
                    runnable = style.withoutLearnedStage
                    served.messages.append(Message(type: .warning, text: "housestyle: no model in \(bundle), so the learned stage is off "
                        + "and only the rules run; \(train), and the server picks the model up"))
                case .success(.stale(let reason)):
                    runnable = style.withoutLearnedStage
                    served.messages.append(Message(type: .warning, text: "housestyle: the model in \(bundle) is out of date (\(reason)), "
                        + "so the learned stage is off and only the rules run; \(train), and the server picks the model up"))
                case .failure(let error):
                    runnable = style.withoutLearnedStage
                    served.messages.append(Message(type: .warning, text: "housestyle: \(error); the learned stage is off and only the rules run"))
                }
            }
        }
        do {
            served.pipeline = try Pipeline(style: runnable, resources: Resources(styleRoot: style.root), allowsCommands: options.allowsCommands)
            served.isFresh = true
        } catch where runnable.usesLearnedStage {
            // A bundle that cannot be used (no base model for its voice scorer): the rules still can.
            served.messages.append(Message(type: .warning, text: "housestyle: the learned stage cannot run: \(error); only the rules run"))
            do {
                served.pipeline = try Pipeline(style: runnable.withoutLearnedStage, resources: Resources(styleRoot: style.root),
                                               allowsCommands: options.allowsCommands)
                served.isFresh = true
            } catch {
                served.messages.append(Message(type: .error, text: "housestyle: \(path): \(error)\(keeping)", shows: true))
                return served
            }
        } catch {
            served.messages.append(Message(type: .error, text: "housestyle: \(path): \(error)\(keeping)", shows: true))
            return served
        }
        let stages = served.pipeline?.stepNames.joined(separator: ", ") ?? ""
        served.messages.append(Message(type: .info, text: "housestyle: checking with style '\(style.name)' (\(path)): \(stages)"))
        return served
    }

    /// The `.yaml` and `.yml` files of a folder.
    private static func styleFiles(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { (folder as NSString).appendingPathComponent($0) }
    }

    /// A mistake in a style file as a diagnostic of that file, at its line and column (counted
    /// in Unicode scalars, as the YAML reader counts them; LSP counts UTF-16).
    static func diagnostic(_ problem: Diagnostic) -> LSPDiagnostic {
        var position = Position(line: 0, character: 0)
        if let line = problem.line, let column = problem.column {
            position.line = max(0, line - 1)
            position.character = max(0, column - 1)
            if let text = try? String(contentsOfFile: problem.path, encoding: .utf8) {
                let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
                if position.line < lines.count {
                    position.character = lines[position.line].unicodeScalars.prefix(column - 1).reduce(0) { $0 + $1.utf16.count }
                }
            }
        }
        return LSPDiagnostic(range: LSPRange(start: position, end: position), severity: .error, code: "style",
                             source: "housestyle", message: problem.message)
    }
}

extension Style {
    /// This style with the `learned` stage left out of its stages.
    var withoutLearnedStage: Style {
        var copy = self
        func keep(_ spec: StageSpec) -> Bool { if case .builtin(.learned, _) = spec { false } else { true } }
        copy.stages.pre = stages.pre.filter(keep)
        copy.stages.post = stages.post.filter(keep)
        return copy
    }
}

/// What a file looked like at one moment: enough to tell that it changed (or appeared, or went).
struct FileStamp: Hashable, Sendable {
    var path: String
    var exists: Bool
    var size: Int64
    var modified: Int64
    var modifiedNanoseconds: Int
    var inode: UInt64

    init(_ path: String) {
        self.path = path
        var status = stat()
        exists = stat(path, &status) == 0
        size = exists ? Int64(status.st_size) : 0
        #if canImport(Darwin)
        let time = status.st_mtimespec
        #else
        let time = status.st_mtim
        #endif
        modified = exists ? Int64(time.tv_sec) : 0
        modifiedNanoseconds = exists ? Int(time.tv_nsec) : 0
        inode = exists ? UInt64(status.st_ino) : 0
    }

    /// `path` with symbolic links resolved, or as it is when it does not resolve.
    static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return URL(fileURLWithPath: path).standardizedFileURL.path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
