import Foundation

/// The folders a style may read files from: its project, and the folders the user allows
/// explicitly. Parent styles (`extends`), corpus files and `model.base` must lie inside one of
/// them once symbolic links are followed, so that a style file, perhaps one you downloaded, cannot
/// read `/etc/passwd`, `~/.ssh` or a `../secret/.env` and put it in a message or a model.
///
/// ## The project
/// The project of a style is decided by the style file the user names (the top of an `extends`
/// chain), never by a parent:
/// - the nearest folder at or above the file's folder that holds `.git` (a Git checkout,
///   worktree or submodule);
/// - outside Git, the file's repository root (the parent of its folder) when the file is in a
///   folder named `styles` (the documented `styles/NAME.yaml` + `corpora/` layout);
/// - otherwise the file's own folder.
///
/// The user widens it with `--allow-path DIR` (repeatable) or `HOUSESTYLE_ALLOW_PATHS`
/// (folders separated by `:`); a `StyleLoader` takes them as `allowedPaths`.
public struct PathScope: Sendable, Hashable {
    /// The environment variable that lists allowed folders, separated by `:`.
    public static let environmentVariable = "HOUSESTYLE_ALLOW_PATHS"

    /// The style's project folder, as a real path (no symbolic links, no `.` or `..`).
    public var project: String
    /// The style file that decided the project, as given.
    public var styleFile: String
    /// Folders (or files) the user allowed besides the project, as real paths.
    public var allowed: [String]

    public init(project: String, styleFile: String, allowed: [String] = []) {
        self.project = Self.realPath(project)
        self.styleFile = styleFile
        self.allowed = allowed.map { Self.realPath($0) }
    }

    /// The scope of the style file at `styleFile`: its project plus `allowed` (relative paths are
    /// relative to the current folder).
    public init(styleFile: String, allowed: [String] = []) {
        self.init(project: Self.projectRoot(ofStyleFile: styleFile), styleFile: styleFile, allowed: allowed)
    }

    /// Every folder files may be read from: the project first.
    public var roots: [String] { [project] + allowed }

    /// The folders of `HOUSESTYLE_ALLOW_PATHS` in `environment` (empty entries skipped).
    public static func allowedPaths(fromEnvironment environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        guard let value = environment[environmentVariable] else { return [] }
        return value.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
    }

    /// Whether `path` (relative to the current folder, or absolute) is inside one of the roots
    /// once its symbolic links are followed.
    public func contains(_ path: String) -> Bool {
        containsRealPath(Self.realPath(path))
    }

    /// Whether a real path (from `realPath(_:)`) is inside one of the roots.
    public func containsRealPath(_ real: String) -> Bool {
        roots.contains { root in
            root == "/" || real == root || real.hasPrefix(root + "/")
        }
    }

    /// The project folder of the style file at `path` (see the type's documentation), as a real path.
    public static func projectRoot(ofStyleFile path: String) -> String {
        let folder = realPath(directory(of: path))
        var candidate = folder
        while true {
            var status = stat()
            if lstat(candidate == "/" ? "/.git" : candidate + "/.git", &status) == 0 { return candidate }
            if candidate == "/" { break }
            candidate = directory(of: candidate)
        }
        if (folder as NSString).lastPathComponent == "styles" { return directory(of: folder) }
        return folder
    }

    /// `path` made absolute (against the current folder) with every symbolic link followed and
    /// every `.` and `..` resolved. The part of the path that does not exist is resolved lexically.
    public static func realPath(_ path: String) -> String {
        let absolute = absolutePath(path)
        if let resolved = systemRealPath(absolute) { return resolved }
        return resolve(absolute)
    }

    private static func absolutePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    private static func resolve(_ absolute: String) -> String {
        var current = "/"
        var missing = false  // once a component is missing, the rest cannot exist either
        for component in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." {
                current = directory(of: current)
                continue
            }
            let next = current == "/" ? "/" + component : current + "/" + component
            if !missing, let resolved = systemRealPath(next) {
                current = resolved
            } else {
                missing = true
                current = next
            }
        }
        return current
    }

    private static func systemRealPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

/// A path a style names that leads outside its `PathScope`: nothing there is read.
public struct OutsideScope: Error, Sendable, Hashable {
    /// The path as written in the style, or as a glob matched it.
    public var path: String
    /// Where it leads: its real path.
    public var resolved: String
    /// The folder to allow to read it (`--allow-path`).
    public var folder: String
    public var scope: PathScope
    /// Whether `path` is a glob, and `resolved` the folder it looks in.
    public var isPattern: Bool

    public init(path: String, resolved: String, folder: String, scope: PathScope, isPattern: Bool = false) {
        self.path = path
        self.resolved = resolved
        self.folder = folder
        self.scope = scope
        self.isPattern = isPattern
    }

    /// What is wrong and how to allow it, for the style key `keyPath`.
    public func message(keyPath: String) -> String {
        let place = isPattern ? "'\(path)' looks in '\(resolved)', which is"
            : path == resolved ? "'\(path)' is" : "'\(path)' leads to '\(resolved)', which is"
        let allowed = scope.allowed.isEmpty ? "" : " nor in \(scope.allowed.map { "'\($0)'" }.joined(separator: ", "))"
        let quoted = Self.shellQuoted(folder)
        return "'\(keyPath)' reaches outside the project: \(place) not inside '\(scope.project)'\(allowed); "
            + "a style reads files only in its project unless you allow more: "
            + "pass --allow-path \(quoted) or set \(PathScope.environmentVariable)=\(quoted)"
    }

    /// A word a POSIX shell takes as it is: single-quoted unless it is plain.
    private static func shellQuoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "@%+=:,./_-".unicodeScalars.contains($0)
        }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}

extension Style {
    /// The folder `model.base` names, relative paths joined onto the style's repository root.
    public var basePath: String? {
        model.base.map { $0.hasPrefix("/") ? $0 : (root as NSString).appendingPathComponent($0) }
    }

    /// Why `model.base` may not be read: it leads outside `scope`. `nil` when it may.
    public var baseOutsideScope: OutsideScope? {
        guard let scope, let base = basePath else { return nil }
        let real = PathScope.realPath(base)
        guard !scope.containsRealPath(real) else { return nil }
        return OutsideScope(path: base, resolved: real, folder: real, scope: scope)
    }
}
