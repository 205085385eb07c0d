import Foundation
import HouseStyleYAML

/// Finds, reads, checks and resolves style files.
///
/// ## Where things are looked up
/// - A style given by name (`acme`) is the file `<stylesDirectory>/acme.yaml`; anything that
///   contains `/` or ends in `.yaml` or `.yml` is a path.
/// - The *repository root* of a style file is the parent of the folder that holds it
///   (`styles/acme.yaml` -> `.`; `/repo/styles/acme.yaml` -> `/repo`). Every relative path
///   inside the file — corpus globs, an `extends` path, `model.base` — is relative to that root.
/// - `extends: plain-english` names `plain-english.yaml` in the same folder as the file;
///   `extends: shared/styles/base.yaml` is a path relative to the repository root.
///
/// ## How `extends` merges (the child is the file that says `extends`)
/// - Scalars (`locale`, `spelling`, `contractions`, `punctuation.quotes`, `rewrite.confidence`,
///   `model.epochs`, ...) : the child's value wins; otherwise the parent's. A stage's setting
///   merges as the stage declares (`StageSetting.merge`; the child's value wins by default).
/// - Nested mappings (`punctuation`, `rewrite`, `model`, `corpus`, `stages`) merge key by key.
/// - `terms` merge by `use`: the parent's terms in order, a child term with the same `use`
///   replaces the parent's in place, new child terms follow.
/// - `avoid` is the union by `word` (parent's first; a child entry for the same word wins).
/// - `corpus.voice`, `corpus.contrast`, `corpus.pairs`, `rewrite.preserve`, `stages.pre` and
///   `stages.post` are lists that replace the parent's list when the child sets them.
/// - `name`, `description`, `version` and `extends` are never inherited.
/// - Parents may themselves extend a style; a cycle is an error.
///
/// ## What a style may read
/// Parent styles, corpus files and `model.base` must lie inside the style's project (see
/// `PathScope`: the Git repository of the loaded file, else its repository root or folder) or
/// inside `allowedPaths`, once symbolic links are followed; anything else is an error at the key
/// that names it, and nothing there is read. A parent must be a regular `.yaml`/`.yml` file of at
/// most 4 MiB holding a mapping with `version`; of a file that is not, nothing is quoted.
///
/// Every mistake in every file of the chain is reported, sorted by file (the loaded file
/// first) and position, not just the first one.
public struct StyleLoader: Sendable {
    /// Whether each corpus glob must match at least one file. On by default.
    public var checksCorpusFiles: Bool
    /// Folders (or files) outside the style's project that it may read, as given (relative to the
    /// current folder): `--allow-path` and `HOUSESTYLE_ALLOW_PATHS`.
    public var allowedPaths: [String]
    /// The scope to load in, instead of the loaded file's project plus `allowedPaths`: a parent
    /// loaded on its own for a child's run stays in the child's scope.
    public var scope: PathScope?
    /// The stages whose ids, settings and options a style file may use.
    public var registry: StageRegistry

    public init(checksCorpusFiles: Bool = true, allowedPaths: [String] = [], registry: StageRegistry = .builtin) {
        self.checksCorpusFiles = checksCorpusFiles
        self.allowedPaths = allowedPaths
        self.registry = registry
    }

    /// The file a style argument refers to: `name` -> `<stylesDirectory>/name.yaml`; a path
    /// (contains `/`, or ends in `.yaml`/`.yml`) as it is.
    public static func path(forNameOrPath nameOrPath: String, stylesDirectory: String = "styles") -> String {
        if isPath(nameOrPath) { return nameOrPath }
        return join(stylesDirectory, nameOrPath + ".yaml")
    }

    /// Loads the style `nameOrPath` (see `path(forNameOrPath:stylesDirectory:)`) and resolves it.
    ///
    /// - Throws: `StyleLoadError` with every mistake found in the file and its parents.
    public func load(nameOrPath: String, stylesDirectory: String = "styles") throws(StyleLoadError) -> Style {
        try load(path: Self.path(forNameOrPath: nameOrPath, stylesDirectory: stylesDirectory))
    }

    /// Loads the style file at `path` and resolves its `extends` chain.
    public func load(path: String) throws(StyleLoadError) -> Style {
        let result = validate(path: path)
        guard let style = result.style, result.diagnostics.isEmpty else {
            throw StyleLoadError(diagnostics: result.diagnostics)
        }
        return style
    }

    /// Checks the style file at `path` and its parents without throwing.
    ///
    /// - Returns: the resolved style when the file could be decoded at all (with defaults in
    ///   place of wrong values, so it is only usable when `diagnostics` is empty), and every
    ///   mistake found.
    public func validate(path: String) -> (style: Style?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var files: [StyleFile] = []
        var seen: [String] = []  // canonical paths of the chain, to find cycles
        var next: (path: String, fromExtends: (name: String, mark: SourceMark)?)? = (path, nil)
        // The loaded file decides the project; its parents are only read inside it.
        let scope = self.scope ?? PathScope(styleFile: path, allowed: allowedPaths)

        chain: while let (path, fromExtends) = next {
            next = nil
            let canonical = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
            if let fromExtends, let repeatIndex = seen.firstIndex(of: canonical) {
                let names = files.map(\.styleName) + [files[repeatIndex].styleName]
                diagnostics.append(Diagnostic(at: fromExtends.mark, keyPath: "extends", error: .extendsCycle(chain: names)))
                break chain
            }
            if let fromExtends {
                let real = PathScope.realPath(path)
                guard scope.containsRealPath(real) else {
                    let outside = OutsideScope(path: path, resolved: real, folder: (real as NSString).deletingLastPathComponent, scope: scope)
                    diagnostics.append(Diagnostic(at: fromExtends.mark, keyPath: "extends", error: .outsideProject(keyPath: "extends", outside)))
                    break chain
                }
            }
            // A parent is a style file: nothing else is read, so no other file's lines end up in messages.
            if let fromExtends, !(path.hasSuffix(".yaml") || path.hasSuffix(".yml")) {
                diagnostics.append(Diagnostic(at: fromExtends.mark, keyPath: "extends",
                    error: .invalidValue(keyPath: "extends", found: fromExtends.name, allowed: ["a style name", "a path to a .yaml or .yml style file"])))
                break chain
            }
            let bytes: [UInt8]
            switch Self.readFile(path) {
            case .success(let contents): bytes = contents
            case .failure(let reason):
                if let fromExtends, !FileManager.default.fileExists(atPath: path) {
                    let suggestion = Self.suggestSibling(for: fromExtends.name, near: path)
                    diagnostics.append(Diagnostic(
                        at: fromExtends.mark, keyPath: "extends",
                        error: .missingParent(name: fromExtends.name, searched: path, suggestion: suggestion)))
                } else {
                    diagnostics.append(Diagnostic(path: path, error: .unreadable(reason: reason.message)))
                }
                break chain
            }
            seen.append(canonical)
            let document: YAMLDocument
            do {
                document = try YAMLParser.parse(bytes: bytes, path: path)
            } catch {
                if let fromExtends, case .undefinedAlias(_, let mark) = error {
                    // The alias's name is the file's text: a parent that may not be a style is not quoted.
                    diagnostics.append(Diagnostic(at: fromExtends.mark, keyPath: "extends", error: .notAStyleFile(
                        path: path, reason: "invalid YAML at line \(mark.line), column \(mark.column): an alias refers to no anchor")))
                } else {
                    // libyaml's problems are fixed texts: they quote nothing of the file.
                    diagnostics.append(Diagnostic(at: error.mark, error: .yaml(error)))
                }
                break chain
            }
            // A parent is decoded (and its unknown keys quoted) only when it is a style file:
            // a mapping with `version`. Of anything else, nothing is quoted.
            if let fromExtends, !Self.looksLikeStyle(document) {
                diagnostics.append(Diagnostic(at: fromExtends.mark, keyPath: "extends", error: .notAStyleFile(
                    path: path, reason: "expected a mapping with 'version' at the top (line \(document.root.mark.line), column \(document.root.mark.column))")))
                break chain
            }
            var decoder = StyleFileDecoder(registry: registry)
            let file = decoder.decode(document, path: path, root: Self.repositoryRoot(ofStyleFile: path), scope: scope)
            diagnostics += decoder.diagnostics
            files.append(file)
            if let extends = file.extends {
                next = (Self.parentPath(extends.name, of: file), extends)
            }
        }

        guard var merged = files.last else { return (nil, diagnostics) }
        for file in files.dropLast().reversed() {
            merged = file.merged(over: merged, registry: registry)
        }
        // `merged(over:)` starts from the child, so name, description and path stay the child's.
        let child = files[0]
        let chain = files.map { StyleSource(name: $0.styleName, path: $0.path, root: $0.root) }
        var style = merged.resolved(chain: chain, registry: registry)
        style.scope = scope

        for (key, globs) in [("voice", style.corpus.voice), ("contrast", style.corpus.contrast), ("pairs", style.corpus.pairs)] {
            for glob in globs {
                func report(_ error: StyleError) {
                    if let mark = glob.mark {
                        diagnostics.append(Diagnostic(at: mark, keyPath: "corpus.\(key)", error: error))
                    } else {
                        diagnostics.append(Diagnostic(path: child.path, keyPath: "corpus.\(key)", error: error))
                    }
                }
                do throws(OutsideScope) {
                    // Without the corpus check nothing is listed, but a glob must not look outside.
                    if !checksCorpusFiles {
                        try glob.checkFixedPart()
                    } else if try glob.files().isEmpty {
                        report(.globMatchesNothing(pattern: glob.pattern, keyPath: "corpus.\(key)", root: glob.root))
                    }
                } catch {
                    report(.outsideProject(keyPath: "corpus.\(key)", error))
                }
            }
        }
        if let outside = style.baseOutsideScope {
            let mark = merged.baseMark
            diagnostics.append(mark.map { Diagnostic(at: $0, keyPath: "model.base", error: .outsideProject(keyPath: "model.base", outside)) }
                ?? Diagnostic(path: child.path, keyPath: "model.base", error: .outsideProject(keyPath: "model.base", outside)))
        }

        // Loaded file first, then its parents; by position within each file.
        let order = Dictionary(files.enumerated().map { ($0.element.path, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let sorted = diagnostics.enumerated().sorted { a, b in
            let left = a.element, right = b.element
            let leftKey = (order[left.path] ?? files.count, left.line ?? 0, left.column ?? 0, a.offset)
            let rightKey = (order[right.path] ?? files.count, right.line ?? 0, right.column ?? 0, b.offset)
            return leftKey < rightKey
        }.map(\.element)
        return (style, sorted)
    }

    /// Whether a parsed file is a style file (a mapping with `version`), so that its mistakes may quote it.
    private static func looksLikeStyle(_ document: YAMLDocument) -> Bool {
        document.root.mapping?.contains { $0.key.scalar?.text == "version" } ?? false
    }

    // MARK: - Paths

    static func isPath(_ nameOrPath: String) -> Bool {
        nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml")
    }

    /// The parent of the folder that holds the style file, written as lexically as possible.
    public static func repositoryRoot(ofStyleFile path: String) -> String {
        var components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let absolute = path.hasPrefix("/")
        components.removeLast()  // the file
        if let last = components.last, last != ".", last != ".." {
            components.removeLast()
        } else {
            components.append("..")
        }
        components.removeAll { $0 == "." }
        if components.isEmpty { return absolute ? "/" : "." }
        return (absolute ? "/" : "") + components.joined(separator: "/")
    }

    private static func parentPath(_ name: String, of file: StyleFile) -> String {
        if isPath(name) {
            return name.hasPrefix("/") ? name : join(file.root, name)
        }
        return join(directory(of: file.path), name + ".yaml")
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func join(_ directory: String, _ name: String) -> String {
        if directory == "." || directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// A style in the folder of `path` whose name is close to `name`.
    private static func suggestSibling(for name: String, near path: String) -> String? {
        guard !isPath(name) else { return nil }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory(of: path))) ?? []
        let styles = entries.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        return closestMatch(to: name, among: styles)
    }

    // MARK: - Reading

    private struct ReadFailure: Error {
        var message: String
    }

    /// A style file is at most this large (4 MiB): `extends: /dev/zero` must not read forever.
    static let styleSizeLimit = 4 << 20

    private static func readFile(_ path: String) -> Result<[UInt8], ReadFailure> {
        // Non-blocking, so that opening a FIFO does not wait for a writer; only regular files are read.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(ReadFailure(message: errorText(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(ReadFailure(message: errorText(errno))) }
        if status.st_mode & S_IFMT == S_IFDIR { return .failure(ReadFailure(message: errorText(EISDIR))) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            return .failure(ReadFailure(message: "not a regular file (a style file must be a plain file)"))
        }
        guard Int(status.st_size) <= styleSizeLimit else {
            return .failure(ReadFailure(message: "the file is \(status.st_size) bytes; a style file may have at most \(styleSizeLimit)"))
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(ReadFailure(message: errorText(errno)))
            }
            if count == 0 { return .success(bytes) }
            bytes += chunk[..<count]
            if bytes.count > styleSizeLimit {
                return .failure(ReadFailure(message: "the file is larger than \(styleSizeLimit) bytes, the most a style file may have"))
            }
        }
    }

    /// `strerror` text, lowercased as messages are.
    private static func errorText(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
