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
public struct FileCollector: Sendable {
    /// Extensions picked up inside folders when no `--include` is given.
    public static let defaultExtensions: Set<String> = ["md", "markdown", "txt"]

    public var include: [Glob]
    public var exclude: [Glob]

    public init(include: [String] = [], exclude: [String] = []) {
        self.include = include.map(Glob.init)
        self.exclude = exclude.map(Glob.init)
    }

    /// The files for `arguments`, de-duplicated, in argument order and sorted within a folder.
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
                for match in matches where !excluded(match) { add(InputFile(path: match, relativePath: match)) }
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

    private func excluded(_ relative: String) -> Bool {
        exclude.contains { $0.matches(relative) || $0.matches((relative as NSString).lastPathComponent) }
    }

    /// Regular files below `folder`, relative to it, sorted; hidden files and folders skipped.
    private func walk(_ folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(
            at: URL(fileURLWithPath: folder), includingPropertiesForKeys: [.isRegularFileKey],
            options: [.skipsHiddenFiles]) else { return [] }
        let base = URL(fileURLWithPath: folder).standardizedFileURL.path
        var result: [String] = []
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(base + "/") else { continue }
            result.append(String(path.dropFirst(base.count + 1)))
        }
        return result.sorted()
    }

    private func join(_ folder: String, _ relative: String) -> String {
        folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
    }
}
