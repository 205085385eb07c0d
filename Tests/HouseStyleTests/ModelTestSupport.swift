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
let tinyStyle = """
    corpus:
      voice: [voice.txt]
      contrast: [contrast.txt]
      pairs: [edits.tsv]
    stages:
      post: [learned]
    """

let tinyFiles: [String: String] = [
    "voice.txt": "You can use tags to group buckets.\nUse the CLI to upload files.\nTeams use one workspace for their buckets.\nWe use keys to sign requests.\nUse a key for each app.\n",
    "contrast.txt": "Customers can utilize tags in order to group buckets.\nIt is possible to utilize the CLI for uploads.\nTeams utilize a workspace for buckets.\n",
    "edits.tsv": "Utilize tags to group buckets.\tUse tags to group buckets.\nYou can utilize the CLI.\tYou can use the CLI.\n",
]

/// Every file of a folder, by name.
func folderContents(_ path: String) throws -> [String: Data] {
    var result: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: path) {
        result[name] = try Data(contentsOf: URL(fileURLWithPath: path + "/" + name))
    }
    return result
}
