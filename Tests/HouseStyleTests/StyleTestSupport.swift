import Foundation
@testable import HouseStyle

/// The fixture repository: `Fixtures/styles/repo`, with `styles/` and `corpora/` inside.
let fixtureRepository: String = {
    let file = URL(fileURLWithPath: #filePath)
    return file.deletingLastPathComponent().appendingPathComponent("Fixtures/styles/repo").path
}()

/// A throw-away repository with `styles/<name>.yaml` files and other files, removed on deinit.
final class TemporaryRepository {
    let root: String

    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("housestyle-\(UUID().uuidString)").path
        for (path, contents) in files {
            let url = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

/// Validates `styles/test.yaml` holding `source` (plus `files`), and returns each diagnostic as
/// printed, with the temporary folder removed from paths.
func diagnostics(for source: String, files: [String: String] = [:], checksCorpusFiles: Bool = true,
                 allowedPaths: [String] = []) throws -> [String] {
    var all = files
    all["styles/test.yaml"] = source
    let repository = try TemporaryRepository(all)
    let result = StyleLoader(checksCorpusFiles: checksCorpusFiles, allowedPaths: allowedPaths).validate(path: repository.root + "/styles/test.yaml")
    return result.diagnostics.map {
        $0.description.replacingOccurrences(of: repository.root + "/", with: "").replacingOccurrences(of: repository.root, with: "<repo>")
    }
}

/// Loads a style of the fixture repository by name.
func fixtureStyle(_ name: String) throws -> Style {
    try StyleLoader().load(nameOrPath: name, stylesDirectory: fixtureRepository + "/styles")
}

/// The diagnostics of a fixture style, with the repository path removed.
func fixtureDiagnostics(_ name: String) -> [String] {
    StyleLoader().validate(path: fixtureRepository + "/styles/\(name).yaml").diagnostics.map {
        $0.description.replacingOccurrences(of: fixtureRepository + "/", with: "")
            .replacingOccurrences(of: fixtureRepository, with: "<repo>")
    }
}
