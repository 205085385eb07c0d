import Foundation
import Testing
@testable import HouseStyleNumerics

/// The installed base model, found via HOUSESTYLE_BASE_MODEL or the repository's .deps folder;
/// tests that need it are skipped (with a message) when it is absent.
enum TestModel {
    static let locator = BaseModelLocator(startDirectory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().path)
    static let files: BaseModelFiles? = try? locator.locate()
    static let isAvailable = files != nil
    static let skipMessage: Comment = "base model not installed: run `bash scripts/setup.sh` or set HOUSESTYLE_BASE_MODEL"
    static let encoder: MiniLMEncoder? = files.flatMap { try? MiniLMEncoder(files: $0) }
}

/// One sentence of the reference dump made by scripts/reference/make_minilm_fixture.py.
struct ReferenceSentence: Decodable, Sendable, CustomTestStringConvertible {
    let text: String
    let ids: [Int32]
    let embedding: [Float]
    var testDescription: String { text.count > 40 ? String(text.prefix(40)) + "…" : text }
}

struct ReferenceFixture: Decodable {
    let max_seq_length: Int
    let sentences: [ReferenceSentence]

    static let loaded: ReferenceFixture = {
        let url = Bundle.module.url(forResource: "minilm_reference", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: url))
    }()
}
