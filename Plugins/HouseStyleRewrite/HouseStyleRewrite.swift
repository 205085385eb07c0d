import Foundation
import PackagePlugin

/// `swift package housestyle-rewrite [--style NAME] [--check] [PATH...]`: rewrites the package's
/// Markdown (README.md, every `*.docc` catalog, `docs/`) into its house style, in place.
///
/// The style is `--style` (a name in `styles/` or a path), else the package's house style
/// (see `PackageStyle`). With `--check` nothing is written: findings are reported and the
/// command fails when there are any. The style's external commands run when it is the package's
/// own (in the package folder), or with `--allow-commands`.
@main
struct HouseStyleRewrite: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let styleOption = extractor.extractOption(named: "style").last
        let check = extractor.extractFlag(named: "check") > 0
        let allowCommands = extractor.extractFlag(named: "allow-commands") > 0
        let paths = extractor.remainingArguments
        if let unknown = paths.first(where: { $0.hasPrefix("--") }) {
            throw PluginFailure("unknown option '\(unknown)'; usage: swift package housestyle-rewrite [--style NAME] [--check] [--allow-commands] [PATH...]")
        }
        let root = context.package.directoryURL
        let style = try styleOption ?? PackageStyle.find(in: root)
        let inputs = paths.isEmpty ? Self.defaultPaths(in: root) : paths
        guard !inputs.isEmpty else {
            Diagnostics.remark("housestyle: nothing to rewrite: no README.md, *.docc catalog or docs/ folder; give paths")
            return
        }
        let tool = try context.tool(named: "housestyle")
        // A style in the package folder is the package's own, and running a package's plugins
        // already runs its code; a style from elsewhere runs commands only when asked.
        let trusted = allowCommands || Self.isInside(root, style: style)
        let arguments = (check ? ["check", style] + inputs : ["rewrite", style] + inputs + ["--in-place"])
            + (trusted ? ["--allow-commands"] : [])
        let process = Process()
        process.executableURL = tool.url
        process.arguments = arguments
        process.currentDirectoryURL = root
        try process.run()
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0: return
        case 1 where check: throw PluginFailure("housestyle check found departures from the house style '\(style)'")
        default: throw PluginFailure("housestyle \(arguments.joined(separator: " ")) failed with exit status \(process.terminationStatus)")
        }
    }

    /// Whether `style` (a name in `styles/`, or a path relative to `root`) is a file in the package folder.
    static func isInside(_ root: URL, style: String) -> Bool {
        // As housestyle reads it: a name is styles/NAME.yaml.
        let isPath = style.contains("/") || style.hasSuffix(".yaml") || style.hasSuffix(".yml")
        let relative = isPath ? style : "styles/\(style).yaml"
        let folder = root.standardizedFileURL.resolvingSymlinksInPath().path
        let file = (relative.hasPrefix("/") ? URL(fileURLWithPath: relative) : root.appendingPathComponent(relative))
            .standardizedFileURL.resolvingSymlinksInPath().path
        return file.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    /// README.md, every `*.docc` catalog (outside hidden folders, build folders and nested packages) and `docs/`,
    /// relative to `root`, those that exist.
    static func defaultPaths(in root: URL) -> [String] {
        let manager = FileManager.default
        var paths: [String] = []
        if manager.fileExists(atPath: root.appendingPathComponent("README.md").path) { paths.append("README.md") }
        let skipped: Set<String> = ["Packages", "node_modules"]
        if let walker = manager.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles]) {
            for case let url as URL in walker {
                let name = url.lastPathComponent
                guard (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true else { continue }
                // Build folders, and nested packages (such as examples), which have their own style.
                if name.hasPrefix(".build") || skipped.contains(name)
                    || manager.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
                {
                    walker.skipDescendants()
                } else if name.hasSuffix(".docc") {
                    paths.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
                    walker.skipDescendants()
                }
            }
        }
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: root.appendingPathComponent("docs").path, isDirectory: &isFolder), isFolder.boolValue {
            paths.append("docs")
        }
        return paths
    }
}

struct PluginFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
