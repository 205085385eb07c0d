import Foundation
import HouseStyleText

/// `housestyle init NAME --from DOCS`: infers a style from documents and writes it as
/// `<stylesDirectory>/NAME.yaml`, atomically, only if it validates, and never over an existing
/// file unless `force`.
public struct StyleInitializer: Sendable {
    public var name: String
    /// The folder the style file goes in; its parent is the repository root that corpus globs
    /// are relative to (`styles` -> `.`).
    public var stylesDirectory: String
    /// Folders, files or globs of Markdown and text documents, relative to the current folder;
    /// empty for the style's own corpus folder (`defaultCorpus`).
    public var sources: [String]
    public var force: Bool
    /// Folders outside the project the style may read (`--allow-path`), for the validation.
    public var allowedPaths: [String]
    public var thresholds: InferenceThresholds

    public init(name: String, sources: [String], stylesDirectory: String = "styles", force: Bool = false,
                allowedPaths: [String] = [], thresholds: InferenceThresholds = InferenceThresholds()) {
        self.name = name
        self.sources = sources
        self.stylesDirectory = stylesDirectory
        self.force = force
        self.allowedPaths = allowedPaths
        self.thresholds = thresholds
    }

    /// The style file to write.
    public var path: String { (stylesDirectory as NSString).appendingPathComponent(name + ".yaml") }

    /// The repository root of the style file, which its corpus globs are relative to.
    public var root: String { StyleLoader.repositoryRoot(ofStyleFile: path) }

    /// The documents read when no sources are given: `corpora/NAME` in the repository root, where
    /// the shipped styles keep their voice corpus (`styles/acme.yaml` reads `corpora/acme/**/*.md`),
    /// relative to the current folder when it lies below it.
    public var defaultCorpus: String {
        let folder = Self.relative((root as NSString).appendingPathComponent("corpora/" + name), to: ".")
        return folder.isEmpty ? "." : folder
    }

    /// `sources`, or the default corpus folder when there are none.
    /// - Throws: `noCorpusFolder` when there are none and the default folder does not exist.
    func documentSources() throws(StyleInferenceError) -> [String] {
        guard sources.isEmpty else { return sources }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: defaultCorpus, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .noCorpusFolder(path: defaultCorpus, name: name)
        }
        return [defaultCorpus]
    }

    /// What `run` did.
    public struct Result: Sendable {
        /// The style file written.
        public var path: String
        public var style: InferredStyle
        /// `corpus.voice` as written, relative to the repository root.
        public var corpus: [String]
        /// The documents read.
        public var files: [String]
        /// What `housestyle validate` warns about the written style.
        public var warnings: [String]
    }

    /// Infers the style and writes it.
    /// - Parameters:
    ///   - resources: where the spelling table is found; by default `.deps/` of the repository root and the one above the running executable.
    ///   - command: how the user ran it, for the file's first comment.
    public func run(resources: Resources? = nil, command: String) throws(StyleInferenceError) -> Result {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != "..", !name.hasPrefix(".") else { throw .invalidName(name) }
        if !force && FileManager.default.fileExists(atPath: path) { throw .styleExists(path: path) }
        // Globs expanded as validate and train will expand them, in the style's project, so that
        // the style is inferred from its own corpus, and a folder it may not read is refused
        // before anything there is listed or read.
        let scope = PathScope(styleFile: path, allowed: allowedPaths)
        let corpus = try corpusGlobs(scope: scope)
        var files: [String] = []
        var seen = Set<String>()
        for pattern in corpus {
            for file in try Self.files(pattern, root: root, scope: scope, style: path) where seen.insert(file).inserted { files.append(file) }
        }
        let inference = try StyleInference(thresholds: thresholds, resources: resources ?? Resources(styleRoot: root))
        let style = try inference.infer(files: files)
        let text = style.yaml(name: name, corpus: corpus, command: command)
        let warnings = try Self.write(text, to: path, force: force, allowedPaths: allowedPaths)
        return Result(path: path, style: style, corpus: corpus, files: files, warnings: warnings)
    }

    // MARK: - Corpus globs

    /// `sources` as globs relative to the repository root: a folder gives one `**` glob per
    /// document extension found in it (`docs/**/*.md`), a file or a glob stays itself.
    /// - Throws: `outsideProject` for a source outside `scope` (before it is listed),
    ///   `noDocuments` for one that names no document, `unreadable` for a path that does not exist.
    func corpusGlobs(scope: PathScope) throws(StyleInferenceError) -> [String] {
        var globs: [String] = []
        for source in try documentSources() {
            let relative = Self.relative(source, to: root)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), isDirectory.boolValue {
                let prefix = relative.isEmpty ? "" : relative + "/"
                var found: [String] = []
                for pattern in FileCollector.defaultExtensions.sorted().map({ prefix + "**/*." + $0 })
                where !(try Self.files(pattern, root: root, scope: scope, style: path)).isEmpty {
                    found.append(pattern)
                }
                guard !found.isEmpty else { throw .noDocuments(argument: source) }
                globs += found
            } else if FileManager.default.fileExists(atPath: source) || source.contains(where: { "*?[".contains($0) }) {
                guard !(try Self.files(relative, root: root, scope: scope, style: path)).isEmpty else { throw .noDocuments(argument: source) }
                globs.append(relative)
            } else {
                throw .unreadable(.notFound(path: source))
            }
        }
        var unique: [String] = []
        for glob in globs where !unique.contains(glob) { unique.append(glob) }
        return unique
    }

    /// The files `pattern` matches inside `scope`.
    /// - Throws: `outsideProject` naming the style file `style` when the pattern looks outside.
    private static func files(_ pattern: String, root: String, scope: PathScope, style: String) throws(StyleInferenceError) -> [String] {
        let glob = CorpusGlob(pattern: pattern, root: root, scope: scope)
        do {
            try glob.checkFixedPart()
            return try glob.files()
        } catch {
            throw .outsideProject(path: style, message: error.message(keyPath: "corpus.voice"))
        }
    }

    /// `path` (relative to the current folder) relative to `root`, or absolute when it lies outside.
    static func relative(_ path: String, to root: String) -> String {
        let current = FileManager.default.currentDirectoryPath
        func absolute(_ p: String) -> String {
            var components: [String] = []
            for component in (p.hasPrefix("/") ? p : current + "/" + p).split(separator: "/") {
                switch component {
                case ".": continue
                case "..": if !components.isEmpty { components.removeLast() }
                default: components.append(String(component))
                }
            }
            return "/" + components.joined(separator: "/")
        }
        let base = absolute(root), target = absolute(path)
        if target == base { return "" }
        let prefix = base == "/" ? "/" : base + "/"
        return target.hasPrefix(prefix) ? String(target.dropFirst(prefix.count)) : target
    }

    // MARK: - Writing

    /// Writes `text` to `path` when it validates as a style file: it is written to a temporary
    /// file in the same folder (so corpus globs resolve as they will), validated there, then
    /// renamed into place, or, without `force`, linked into place, which fails if a file appeared
    /// at `path` meanwhile. Nothing is left behind on failure.
    /// - Returns: the warnings `housestyle validate` gives for the style.
    static func write(_ text: String, to path: String, force: Bool, allowedPaths: [String]) throws(StyleInferenceError) -> [String] {
        let url = URL(fileURLWithPath: path)
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.\(url.lastPathComponent).housestyle-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max)).tmp"
        do { try TextFile.writeAtomically(text, to: temporary) } catch { throw .unwritable(error.renamed(temporary, to: path)) }
        defer { unlink(temporary) }
        let result = StyleLoader(checksCorpusFiles: true, allowedPaths: allowedPaths).validate(path: temporary)
        guard let style = result.style, result.diagnostics.isEmpty else {
            throw .invalidStyle(path: path, diagnostics: result.diagnostics.map { $0.description.replacingOccurrences(of: temporary, with: path) })
        }
        if force {
            guard rename(temporary, path) == 0 else { throw .unwritable(.unwritable(path: path, reason: String(cString: strerror(errno)))) }
        } else if link(temporary, path) != 0 {
            if errno == EEXIST { throw .styleExists(path: path) }
            throw .unwritable(.unwritable(path: path, reason: String(cString: strerror(errno))))
        }
        return style.warnings.map { $0.description.replacingOccurrences(of: temporary, with: path) }
    }
}

extension InputError {
    /// The same error about `path` instead of `temporary`.
    fileprivate func renamed(_ temporary: String, to path: String) -> InputError {
        switch self {
        case .unwritable(let at, let reason): return .unwritable(path: at == temporary ? path : at, reason: reason)
        default: return self
        }
    }
}
