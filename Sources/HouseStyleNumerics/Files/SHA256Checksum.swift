internal import CNumericsKernels
import Foundation
import Synchronization

/// SHA-256 (FIPS 180-4) checksums, with the processor's SHA extensions where it has them.
public enum SHA256Checksum {
    /// Lowercase hex SHA-256 of `bytes`.
    public static func hex(_ bytes: some ContiguousBytes) -> String {
        bytes.withUnsafeBytes { hex(buffer: $0, accelerated: true) }
    }

    /// Lowercase hex SHA-256 of `buffer`; `accelerated: false` runs the portable reference rounds.
    static func hex(buffer: UnsafeRawBufferPointer, accelerated: Bool) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        digest.withUnsafeMutableBufferPointer { out in
            hs_sha256(buffer.baseAddress, buffer.count, accelerated ? 1 : 0, out.baseAddress)
        }
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether this processor hashes with its SHA extensions (`HOUSESTYLE_KERNELS=portable` says no).
    public static var isAccelerated: Bool { hs_sha256_accelerated() == 1 }

    /// Lowercase hex SHA-256 of the regular file at `path`, hashed once per process: a file whose
    /// device, inode, size, modification and status-change times are those of a file hashed
    /// before is not read again.
    /// - Throws: `EncoderError.fileNotFound` or `.cannotRead`.
    public static func hex(ofFileAt path: String) throws(EncoderError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw .fileNotFound(path: path) }
            throw .cannotRead(path: path, reason: String(cString: strerror(code)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .cannotRead(path: path, reason: "not a regular file") }
        let key = FileIdentity(info)
        if let known = hashed.withLock({ $0[key] }) { return known }
        let size = Int(info.st_size)
        let checksum: String
        if size == 0 {
            checksum = hex(buffer: UnsafeRawBufferPointer(start: nil, count: 0), accelerated: true)
        } else {
            guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapping != MAP_FAILED else {
                throw .cannotRead(path: path, reason: String(cString: strerror(errno)))
            }
            defer { munmap(mapping, size) }
            checksum = hex(buffer: UnsafeRawBufferPointer(start: mapping, count: size), accelerated: true)
        }
        // Changed while it was read (its times moved): hashed again next time.
        var after = stat()
        if fstat(fd, &after) == 0 && FileIdentity(after) == key { hashed.withLock { $0[key] = checksum } }
        return checksum
    }

    /// What identifies a file's content without reading it: a write changes its times.
    private struct FileIdentity: Hashable {
        var device: UInt64, inode: UInt64, size: Int64
        var modified: Int, modifiedNanoseconds: Int, changed: Int, changedNanoseconds: Int

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            #if canImport(Darwin)
            modified = info.st_mtimespec.tv_sec; modifiedNanoseconds = info.st_mtimespec.tv_nsec
            changed = info.st_ctimespec.tv_sec; changedNanoseconds = info.st_ctimespec.tv_nsec
            #else
            modified = info.st_mtim.tv_sec; modifiedNanoseconds = info.st_mtim.tv_nsec
            changed = info.st_ctim.tv_sec; changedNanoseconds = info.st_ctim.tv_nsec
            #endif
        }
    }

    private static let hashed = Mutex<[FileIdentity: String]>([:])
}
