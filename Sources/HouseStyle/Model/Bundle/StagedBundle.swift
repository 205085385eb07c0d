import Foundation

/// A bundle being written: a fresh temporary folder beside `models/<style>/` that training fills
/// file by file, and that replaces the bundle only when it is complete (`commit`), so a failed or
/// killed run never leaves a half-written bundle in its place.
struct StagedBundle {
    /// The bundle folder the staged one will replace, `models/<style>`.
    let directory: String
    /// The temporary folder, `.<style>.training-PID` beside `directory`.
    let staging: String
    /// The data files written so far, in the order the manifest lists them.
    private(set) var files: [(name: String, bytes: [UInt8])] = []

    /// Stages `files` in a fresh temporary folder beside `directory` (tidying what a killed run left there).
    init(for directory: String, files: [(name: String, bytes: [UInt8])]) throws(ModelError) {
        self.directory = directory
        let parent = (directory as NSString).deletingLastPathComponent
        ModelBundle.recoverInterruptedTraining(of: directory)
        staging = (parent as NSString).appendingPathComponent(".\((directory as NSString).lastPathComponent).training-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try? FileManager.default.removeItem(atPath: staging)
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch { throw .unwritable(path: staging, reason: error.localizedDescription) }
        try add(files)
    }

    /// The path of the staged file `name`.
    func path(of name: String) -> String { (staging as NSString).appendingPathComponent(name) }

    /// Whether a data file `name` has been staged.
    func contains(_ name: String) -> Bool { files.contains { $0.name == name } }

    /// Writes data files into the staged folder; the manifest will list them.
    mutating func add(_ files: [(name: String, bytes: [UInt8])]) throws(ModelError) {
        try Self.write(files, to: staging)
        self.files += files
    }

    /// Writes the manifest and the report, then replaces `directory` by the staged folder: rename
    /// the old bundle aside, rename the new one in, delete the old.
    func commit(manifest: [UInt8], report: String) throws(ModelError) {
        try Self.write([("manifest.json", manifest), ("report.md", Array(report.utf8))], to: staging)
        let manager = FileManager.default
        let old = staging.replacingOccurrences(of: ".training-", with: ".old-")
        let exists = manager.fileExists(atPath: directory)
        if exists && rename(directory, old) != 0 { throw .unwritable(path: directory, reason: String(cString: strerror(errno))) }
        if rename(staging, directory) != 0 {
            let reason = String(cString: strerror(errno))
            if exists { _ = rename(old, directory) }
            throw .unwritable(path: directory, reason: reason)
        }
        if exists { try? manager.removeItem(atPath: old) }
    }

    /// Removes the staged folder (after a failed run).
    func discard() { try? FileManager.default.removeItem(atPath: staging) }

    private static func write(_ files: [(name: String, bytes: [UInt8])], to staging: String) throws(ModelError) {
        for file in files {
            let path = (staging as NSString).appendingPathComponent(file.name)
            do { try Data(file.bytes).write(to: URL(fileURLWithPath: path)) } catch { throw .unwritable(path: path, reason: error.localizedDescription) }
        }
    }
}
