import Foundation
import HouseStyleText

/// Reading and writing the files HouseStyle rewrites.
public enum TextFile {
    /// Files larger than this are refused rather than read into memory (1 GiB).
    public static let sizeLimit = 1 << 30

    /// Reads a UTF-8 text file. Binary, UTF-16 and invalid UTF-8 files are errors naming the
    /// file (and the byte offset).
    public static func read(_ path: String) throws(InputError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                throw .unreadable(path: path, reason: "it is a symbolic link to '\(target)', which does not exist")
            }
            throw .notFound(path: path)
        }
        if isDirectory.boolValue { throw .unreadable(path: path, reason: "it is a folder") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedFailureReason ?? error.localizedDescription)
        }
        guard data.count <= sizeLimit else { throw .tooLarge(path: path, bytes: data.count, limit: sizeLimit) }
        do {
            return try TextDecoding.decodeUTF8(data, path: path)
        } catch {
            throw .notText(error)
        }
    }

    /// Writes `text` to `path` atomically: a temporary file in the same folder, then a rename,
    /// so a reader never sees half a file and a failure leaves the old file untouched.
    /// Missing folders are created. When `path` is a symbolic link and `followingLink`, its target
    /// is replaced (the temporary file goes in the target's folder) and the link stays a link;
    /// otherwise the link itself is replaced by the file. The file gets
    /// `permissions` when given, else keeps those of the file it replaces.
    public static func writeAtomically(_ text: String, to path: String, permissions: Int? = nil,
                                       followingLink: Bool = false) throws(InputError) {
        let url = URL(fileURLWithPath: followingLink ? resolvingLink(path) : path)
        let folder = url.deletingLastPathComponent()
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).housestyle-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max)).tmp")
            guard manager.createFile(atPath: temporary.path, contents: Data(text.utf8)) else {
                throw InputError.unwritable(path: path, reason: "cannot create a temporary file in \(folder.path)")
            }
            if let mode = permissions ?? self.permissions(of: url.path) {
                try? manager.setAttributes([.posixPermissions: mode], ofItemAtPath: temporary.path)
            }
            if rename(temporary.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? manager.removeItem(at: temporary)
                throw InputError.unwritable(path: path, reason: reason)
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }

    /// The permission bits of the file at `path` (following symbolic links), or nil when there is none.
    public static func permissions(of path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int(status.st_mode & 0o7777)
    }

    /// The file a symbolic link at `path` finally points to; `path` itself when it is not a link
    /// or the link is broken.
    static func resolvingLink(_ path: String) -> String {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK,
              let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
