// libFuzzer target: a style file, as `housestyle validate` reads it (libyaml, the node tree with
// marks, the style decoder, `extends` inside a scratch project, warnings, summary and JSON).
// Any input may be refused with diagnostics; none may crash or hang. Built by scripts/fuzz.sh.
import Foundation
@testable import HouseStyle

private let project: String = {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("housestyle-fuzz-yaml-\(getpid())")
    try! FileManager.default.createDirectory(at: folder.appendingPathComponent("styles"), withIntermediateDirectories: true)
    // A parent the input may extend, and a file that is not a style.
    try! Data("version: 1\nname: base\nterms: [{use: sign in, instead_of: [log in]}]\navoid: [simply]\n".utf8)
        .write(to: folder.appendingPathComponent("styles/base.yaml"))
    try! Data("not: [a style\n".utf8).write(to: folder.appendingPathComponent("styles/broken.yaml"))
    return folder.path
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStyleFile(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    let path = project + "/styles/fuzz.yaml"
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: count)) else { fatalError("cannot write \(path)") }
    let result = StyleLoader(checksCorpusFiles: false).validate(path: path)
    for diagnostic in result.diagnostics { _ = diagnostic.description }
    if let style = result.style {
        _ = style.summary
        _ = style.jsonString()
        _ = style.warnings.map(\.description)
    }
    return 0
}
