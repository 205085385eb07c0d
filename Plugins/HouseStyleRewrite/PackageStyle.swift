import Foundation

// Plugins cannot share a module, so the same file is kept in three places: Plugins/HouseStyleRewrite/,
// Plugins/HouseStyleCheck/ and Sources/HouseStyle/Style/ (where `housestyle lsp` finds its style
// the same way). scripts/plugin-test.sh fails when they differ.

/// How a plugin finds a package's house style without being told: the style in `styles/`
/// that no other style there extends. With one style file, that file; with `acme.yaml`
/// extending `plain-english.yaml`, `acme`.
enum PackageStyle {
    struct NotFound: Error, CustomStringConvertible {
        var description: String
    }

    /// The path of the house style of the package at `root`, relative to `root`.
    static func find(in root: URL) throws -> String {
        let folder = root.appendingPathComponent("styles")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        guard !files.isEmpty else {
            throw NotFound(description: "no style: the package has no styles/*.yaml; add one or give --style")
        }
        let names = files.map(styleName)
        var extended: Set<String> = []
        for file in files {
            guard let text = try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) else { continue }
            if let parent = parentName(in: text) { extended.insert(parent) }
        }
        let leaves = zip(files, names).filter { !extended.contains($0.1) }.map(\.0)
        guard leaves.count == 1, let leaf = leaves.first else {
            throw NotFound(description: "several styles in styles/ (\(names.joined(separator: ", "))) and more than one is extended by no other; give --style NAME")
        }
        return "styles/\(leaf)"
    }

    /// `acme` for `acme.yaml`, `../x/acme.yml` and `acme`.
    static func styleName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".yaml", ".yml"] where file.hasSuffix(suffix) { return String(file.dropLast(suffix.count)) }
        return file
    }

    /// The value of a top-level `extends:` line, unquoted, without a trailing comment.
    static func parentName(in text: String) -> String? {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where line.hasPrefix("extends:") {
            var value = line.dropFirst("extends:".count)
            if let comment = value.range(of: " #") { value = value[..<comment.lowerBound] }
            let trimmed = value.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            return trimmed.isEmpty ? nil : styleName(trimmed)
        }
        return nil
    }
}
