import Foundation
import HouseStyleText

/// Where rewritten files go: under an output folder (mirroring the input folders), in place
/// (with an optional backup), or nowhere.
public struct OutputPlan: Sendable {
    public let outputFolder: String?
    public let inPlace: Bool
    public let backupSuffix: String?
    /// In place: also replace read-only files and files with several hard links.
    public var force = false

    public init(outputFolder: String?, inPlace: Bool, backupSuffix: String?, force: Bool = false) {
        self.outputFolder = outputFolder
        self.inPlace = inPlace
        self.backupSuffix = backupSuffix
        self.force = force
    }

    /// The file the rewrite of `file` is written to, or nil when nothing is written.
    public func destination(for file: InputFile) -> String? {
        if inPlace { return file.path }
        guard let outputFolder else { return nil }
        // Joined as strings so that messages name the path as the user spelled it.
        return outputFolder.hasSuffix("/") ? outputFolder + file.relativePath : outputFolder + "/" + file.relativePath
    }

    /// Refuses, before anything is written, outputs that would overwrite an input (unless
    /// rewriting in place) and two inputs whose outputs would be the same file.
    public func check(_ files: [InputFile]) throws {
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

    /// Writes the rewrite of `file` where the plan says, atomically (nothing for a plan without a
    /// destination; in place, nothing when the text did not change).
    public func write(_ rewrite: Rewrite, for file: InputFile) throws {
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
public struct OutputCollision: Error, CustomStringConvertible {
    public let first: String
    public let second: String
    public let output: String
    public var inPlace = false
    public var description: String {
        inPlace
            ? "\(first) and \(second) are the same file (\(URL(fileURLWithPath: output).resolvingSymlinksInPath().path)); name it once"
            : "\(first) and \(second) would both be written to \(output); rewrite them in separate runs or with different -o folders"
    }
}
