import Foundation

/// One file to rewrite: where it is, and where its output goes relative to an output folder.
public struct InputFile: Sendable, Hashable {
    /// The path to read, as the user's argument spelled it.
    public var path: String
    /// The path below the argument's folder (the file's name for a file argument), mirrored under `-o`.
    public var relativePath: String
}

/// Finds the files to rewrite from the user's arguments: files as given, folders walked
/// recursively for Markdown and text files, shell-style globs expanded.
///
/// `include` and `exclude` globs are matched against a file's path below the folder argument
/// (`sub/a.md` for `docs/sub/a.md` with `docs` given; for a glob argument, the path the glob
/// expanded to) and against its name alone. An `exclude` glob that matches a folder's path below
/// the argument, or its name, also excludes everything in that folder. Files given by name are
/// always taken.
public struct FileCollector: Sendable {
    /// Extensions picked up inside folders when no `--include` is given.
    public static let defaultExtensions: Set<String> = ["md", "markdown", "txt"]

    public var include: [Glob]
    public var exclude: [Glob]
    /// Folders never walked into or taken from a glob (such as the output folder of a run), as
    /// real paths (symbolic links resolved).
    public var skippedFolders: Set<String>

    /// `skipping` names folders to leave out when walking folders or expanding globs; those that
    /// do not exist are ignored.
    public init(include: [String] = [], exclude: [String] = [], skipping: [String] = []) {
        self.include = include.map(Glob.init)
        self.exclude = exclude.map(Glob.init)
        self.skippedFolders = Set(skipping.compactMap(Self.realPath))
    }

    /// The files for `arguments`, de-duplicated, in argument order and sorted within a folder.
    /// A broken symbolic link found in a folder is listed (reading it reports the error).
    public func collect(_ arguments: [String]) throws(InputError) -> [InputFile] {
        var files: [InputFile] = []
        var seen = Set<String>()
        func add(_ file: InputFile) {
            let key = URL(fileURLWithPath: file.path).standardizedFileURL.path
            if seen.insert(key).inserted { files.append(file) }
        }
        for argument in arguments {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) {
                if isDirectory.boolValue {
                    for relative in walk(argument) where wanted(relative) {
                        add(InputFile(path: join(argument, relative), relativePath: relative))
                    }
                } else {
                    add(InputFile(path: argument, relativePath: (argument as NSString).lastPathComponent))
                }
            } else if argument.contains(where: { "*?[".contains($0) }) {
                let glob = Glob(argument)
                let matches = glob.expand(in: ".")
                if matches.isEmpty { throw .notFound(path: argument) }
                for match in matches where !excluded(match) && !isInSkippedFolder(match) {
                    add(InputFile(path: match, relativePath: match))
                }
            } else {
                throw .notFound(path: argument)
            }
        }
        return files
    }

    private func wanted(_ relative: String) -> Bool {
        if excluded(relative) { return false }
        if include.isEmpty {
            return Self.defaultExtensions.contains((relative as NSString).pathExtension.lowercased())
        }
        return include.contains { $0.matches(relative) || $0.matches((relative as NSString).lastPathComponent) }
    }

    /// Whether `relative` or a folder it is in is excluded.
    private func excluded(_ relative: String) -> Bool {
        guard !exclude.isEmpty else { return false }
        let components = relative.split(separator: "/", omittingEmptySubsequences: true)
        var prefix = ""
        for component in components {
            prefix = prefix.isEmpty ? String(component) : prefix + "/" + component
            if excludedItself(prefix) { return true }
        }
        return false
    }

    private func excludedItself(_ relative: String) -> Bool {
        exclude.contains { $0.matches(relative) || $0.matches((relative as NSString).lastPathComponent) }
    }

    private func isInSkippedFolder(_ path: String) -> Bool {
        guard !skippedFolders.isEmpty, let real = Self.realPath(path) else { return false }
        return skippedFolders.contains { real.hasPrefix($0 + "/") }
    }

    /// Regular files (and broken symbolic links) below `folder`, relative to it, sorted; hidden
    /// files and folders, excluded folders and skipped folders left out.
    private func walk(_ folder: String) -> [String] {
        let keys: [URLResourceKey] = [.isRegularFileKey, .isDirectoryKey, .isSymbolicLinkKey]
        guard let enumerator = FileManager.default.enumerator(
            at: URL(fileURLWithPath: folder), includingPropertiesForKeys: keys,
            options: [.skipsHiddenFiles]) else { return [] }
        let base = URL(fileURLWithPath: folder).standardizedFileURL.path
        var result: [String] = []
        for case let url as URL in enumerator {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(base + "/") else { continue }
            let relative = String(path.dropFirst(base.count + 1))
            let values = try? url.resourceValues(forKeys: Set(keys))
            if values?.isDirectory == true {
                if excludedItself(relative) || Self.realPath(path).map(skippedFolders.contains) == true {
                    enumerator.skipDescendants()
                }
                continue
            }
            if values?.isRegularFile == true {
                result.append(relative)
            } else if values?.isSymbolicLink == true, !FileManager.default.fileExists(atPath: path) {
                result.append(relative)  // broken: reported when read
            }
        }
        return result.sorted()
    }

    private func join(_ folder: String, _ relative: String) -> String {
        folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
