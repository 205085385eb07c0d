import Foundation
import PackagePlugin

/// Checks a target's Markdown and DocC files against the package's house style during
/// `swift build`: findings appear as `file:line:column: warning: ...` lines, and a finding at
/// level `error` (an external stage of the style can report one) fails the build.
///
/// The check runs again only when one of those files or a style in `styles/` changes: its
/// output is a stamp file in the plugin's work folder. (Like compiler warnings, findings show
/// on the build that checks, not on later builds that have nothing to do.)
@main
struct HouseStyleCheck: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let documents = Self.documents(under: target.directoryURL)
        guard !documents.isEmpty else { return [] }
        let root = context.package.directoryURL
        let style: String
        do {
            style = try PackageStyle.find(in: root)
        } catch {
            Diagnostics.warning("housestyle: not checking \(target.name): \(error)")
            return []
        }
        let styles = root.appendingPathComponent("styles")
        let styleFiles = ((try? FileManager.default.contentsOfDirectory(atPath: styles.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { styles.appendingPathComponent($0) }
        // SwiftPM runs a build command only when the target consumes its output. The stamp is a
        // one-line comment, so a Swift target compiles it to nothing; any other target gets it
        // as a resource.
        let stampName = target is SwiftSourceModuleTarget ? "HouseStyleCheck.swift" : "housestyle-check.stamp"
        let stamp = context.pluginWorkDirectoryURL.appendingPathComponent(stampName)
        return [
            .buildCommand(
                displayName: "Checking \(target.name) documentation against the house style \(PackageStyle.styleName(style))",
                executable: try context.tool(named: "housestyle").url,
                // The style is the package's own, and building a package already runs its code.
                arguments: ["check", root.appendingPathComponent(style).path, "--fail-level", "error", "--stamp", stamp.path, "--allow-commands"]
                    + documents.map(\.path),
                inputFiles: documents + styleFiles,
                outputFiles: [stamp])
        ]
    }

    /// The `.md` and `.markdown` files below `folder` (DocC catalogs included), sorted.
    static func documents(under folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles]) else {
            return []
        }
        var found: [URL] = []
        for case let url as URL in walker where ["md", "markdown"].contains(url.pathExtension.lowercased()) {
            found.append(url.standardizedFileURL)
        }
        return found.sorted { $0.path < $1.path }
    }
}
