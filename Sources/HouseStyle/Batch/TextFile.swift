import Synchronization
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
        // Only regular files: a FIFO or a device (/dev/zero) would block or never end.
        var status = stat()
        if stat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFREG else { throw .unreadable(path: path, reason: "not a regular file") }
            guard Int(status.st_size) <= sizeLimit else { throw .tooLarge(path: path, bytes: Int(status.st_size), limit: sizeLimit) }
        }
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

    /// Standard input, up to `sizeLimit` bytes: nil (with what was read) when there is more.
    public static func readStandardInput(limit: Int = sizeLimit) -> (data: Data, complete: Bool) {
        var data = Data()
        let handle = FileHandle.standardInput
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { return (data, true) }
            data.append(chunk)
            if data.count > limit { return (data, false) }
        }
    }

    /// How `writeAtomically` treats a file it replaces (`--in-place`).
    public struct Replacing: Sendable {
        /// Replace a read-only file, and write into a file with other hard links (keeping its inode,
        /// so every link sees the new text; that write is not atomic).
        public var force = false
        public init(force: Bool = false) { self.force = force }
    }

    /// Writes `text` to `path` atomically: a temporary file in the same folder, then a rename,
    /// so a reader never sees half a file and a failure leaves the old file untouched.
    /// Missing folders are created. When `path` is a symbolic link and `followingLink`, its target
    /// is replaced (the temporary file goes in the target's folder) and the link stays a link;
    /// otherwise the link itself is replaced by the file. The file gets
    /// `permissions` when given, else keeps those of the file it replaces.
    public static func writeAtomically(_ text: String, to path: String, permissions: Int? = nil,
                                       followingLink: Bool = false, replacing: Replacing? = nil) throws(InputError) {
        let url = URL(fileURLWithPath: followingLink ? resolvingLink(path) : path)
        let folder = url.deletingLastPathComponent()
        let manager = FileManager.default
        var existing = stat()
        let exists = stat(url.path, &existing) == 0
        if let replacing, exists {
            try checkReplaceable(path, replacing: replacing)
            // A rename would split hard links (the other names would keep the old text).
            if existing.st_nlink > 1 {
                try writeInPlace(text, to: url.path, path: path)
                return
            }
        }
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            removeStaleTemporaries(in: folder.path)
            let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).housestyle-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max)).tmp")
            let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw InputError.unwritable(path: path, reason: "cannot create a temporary file in \(folder.path): \(String(cString: strerror(errno)))")
            }
            do { try writeAll(text, to: descriptor, path: path) } catch {
                close(descriptor)
                unlink(temporary.path)
                throw error
            }
            close(descriptor)
            if let mode = permissions ?? (exists ? Int(existing.st_mode & 0o7777) : nil) {
                chmod(temporary.path, mode_t(mode))
            } else {
                // A new file gets the usual permissions (0666 less the umask), not the temporary's 0600.
                let mask = umask(0)
                umask(mask)
                chmod(temporary.path, 0o666 & ~mask)
            }
            // The replacement keeps the owner and group (as far as this user may set them).
            if exists { _ = chown(temporary.path, existing.st_uid, existing.st_gid) }
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

    /// Writes `text` to a new file at `path` atomically, never replacing what is there: the text
    /// goes to a temporary file in the same folder, which is then linked to `path` (a link, unlike a
    /// rename, fails when `path` exists, even if it appeared a moment ago). Missing folders are created.
    /// - Throws: `InputError.exists` when `path` exists (as a file, folder or link); `.unwritable` otherwise.
    public static func createAtomically(_ text: String, at path: String) throws(InputError) {
        var existing = stat()
        if lstat(path, &existing) == 0 { throw .exists(path: path) }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).housestyle-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max)).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .unwritable(path: path, reason: "cannot create a temporary file in \(folder.path): \(String(cString: strerror(errno)))")
        }
        defer { unlink(temporary.path) }
        do { try writeAll(text, to: descriptor, path: path) } catch {
            close(descriptor)
            throw error
        }
        close(descriptor)
        // The usual permissions of a new file (0666 less the umask), not the temporary's 0600.
        let mask = umask(0)
        umask(mask)
        chmod(temporary.path, 0o666 & ~mask)
        if link(temporary.path, url.path) != 0 {
            throw errno == EEXIST ? .exists(path: path) : .unwritable(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Throws when the file at `path` (following links) may not be replaced as `replacing` says:
    /// a read-only file, or one with other hard links, without `force`.
    public static func checkReplaceable(_ path: String, replacing: Replacing) throws(InputError) {
        var existing = stat()
        guard stat(path, &existing) == 0, !replacing.force else { return }
        // A file its owner made read-only is not replaced behind their back.
        if existing.st_mode & 0o222 == 0 {
            throw .unwritable(path: path, reason: "the file is read-only; make it writable or pass --force")
        }
        if existing.st_nlink > 1 {
            throw .unwritable(path: path, reason: "the file has \(existing.st_nlink) hard links, which replacing it would split; "
                + "pass --force to write the new text into the same file (not atomically)")
        }
    }

    private static let cleanedFolders = Mutex<Set<String>>([])

    /// Removes, once per folder and run, the temporary files (`.NAME.housestyle-PID-N.tmp`) that a
    /// killed run left in `folder`: those whose process is gone.
    static func removeStaleTemporaries(in folder: String) {
        guard cleanedFolders.withLock({ $0.insert(folder).inserted }) else { return }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for entry in entries where entry.hasPrefix(".") && entry.hasSuffix(".tmp") {
            guard let marker = entry.range(of: ".housestyle-", options: .backwards) else { continue }
            let fields = entry[marker.upperBound...].dropLast(4).split(separator: "-")
            guard fields.count == 2, let pid = Int32(fields[0]), UInt32(fields[1]) != nil,
                pid != ProcessInfo.processInfo.processIdentifier, kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink((folder as NSString).appendingPathComponent(entry))
        }
    }

    /// Truncates the file at `target` and writes `text` into it, keeping its inode (for hard links).
    private static func writeInPlace(_ text: String, to target: String, path: String) throws(InputError) {
        let descriptor = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        try writeAll(text, to: descriptor, path: path)
    }

    /// Writes all of `text` to an open descriptor; `path` names the file in the error.
    private static func writeAll(_ text: String, to descriptor: Int32, path: String) throws(InputError) {
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard n > 0 else { throw .unwritable(path: path, reason: "cannot write: \(String(cString: strerror(errno)))") }
            written += n
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
