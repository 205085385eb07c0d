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
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound(path: path) }
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
    /// Missing folders are created. The file's permissions are kept when it exists.
    public static func writeAtomically(_ text: String, to path: String) throws(InputError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).housestyle-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max)).tmp")
            guard manager.createFile(atPath: temporary.path, contents: Data(text.utf8)) else {
                throw InputError.unwritable(path: path, reason: "cannot create a temporary file in \(folder.path)")
            }
            if let attributes = try? manager.attributesOfItem(atPath: path), let permissions = attributes[.posixPermissions] {
                try? manager.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary.path)
            }
            if rename(temporary.path, path) != 0 {
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
}
