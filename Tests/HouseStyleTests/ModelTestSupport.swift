import Foundation
import HouseStyleText
@testable import HouseStyle

/// A repository with `styles/test.yaml` and the given files; returns it and the loaded style.
func trainingRepository(style: String, files: [String: String]) throws -> (TemporaryRepository, Style) {
    var all = files
    all["styles/test.yaml"] = "version: 1\nname: test\n" + style + "\n"
    let repository = try TemporaryRepository(all)
    return (repository, try StyleLoader().load(path: repository.root + "/styles/test.yaml"))
}

/// The tiny synthetic corpus of the learned stage's examples.
let tinyStyle = LearnedStage.exampleStyle

let tinyFiles = LearnedStage.exampleFiles

/// Every file of a folder, by name.
func folderContents(_ path: String) throws -> [String: Data] {
    var result: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: path) {
        result[name] = try Data(contentsOf: URL(fileURLWithPath: path + "/" + name))
    }
    return result
}
