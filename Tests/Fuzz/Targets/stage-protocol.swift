// libFuzzer target: an external stage's answer (stage protocol 1): the JSON decoder, the checks
// of the answer alone, the pipeline's checks of its edits against the text, and applying the
// edits that pass. Every input must end in a result or a StageError naming the stage.
import Foundation
import HouseStyleText
@testable import HouseStyle

private let input: StageInput = {
    let text = "Use `code` at https://example.com — café.\n\n- item *one*\n"
    let document = Document(text: text, format: .markdown)
    let bytes = Array(text.utf8)
    let words = try! WordTracker(bytes: bytes, prose: document.proseRanges, segmenter: WordSegmenter(locale: "en")).words
    return StageInput(path: "fuzz.md", bytes: bytes, protectedSpans: document.protectedSpans, prose: document.proseRanges,
                      rules: RuleText(bytes: bytes, words: words, prose: document.proseRanges))
}()
private let stage = ExternalStage(command: CommandStage(argv: ["fuzz"], timeout: 1), styleRoot: "/")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStageAnswer(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    do {
        let result = try ExternalStage.result(of: Data(bytes: data, count: count), stage: "fuzz", textLength: input.bytes.count)
        try Pipeline.check(result.edits, of: stage, against: input)
        var text = input.bytes
        for edit in result.edits.reversed() { text.replaceSubrange(edit.range, with: Array(edit.replacement.utf8)) }
        precondition(String(validating: text, as: UTF8.self) != nil, "edits that passed the checks made invalid UTF-8")
        for finding in result.findings { _ = finding.message }
    } catch {
        precondition(error.description.contains("'fuzz'"), "an error that does not name the stage: \(error)")
    }
    return 0
}
