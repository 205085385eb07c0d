import HouseStyleNumerics
import Testing
import HouseStyleText
@testable import HouseStyle

/// Applies composed edits to the original, the way a renderer does.
private func apply(_ edits: [ComposedEdit], to original: String) -> String {
    let bytes = Array(original.utf8)
    var out: [UInt8] = []
    var cursor = 0
    for edit in edits {
        out += bytes[cursor..<edit.range.lowerBound]
        out += Array(edit.replacement.utf8)
        cursor = edit.range.upperBound
    }
    out += bytes[cursor...]
    return String(decoding: out, as: UTF8.self)
}

private func edit(_ range: Range<Int>, _ text: String, _ rule: String = "test") -> Edit {
    Edit(range: range, replacement: text, rule: rule, reason: rule)
}

@Test func composesEditsOfLaterStagesOntoTheOriginal() {
    var composer = EditComposer(original: "we do not utilize it")
    composer.compose([edit(3..<9, "don't", "contractions"), edit(10..<17, "use", "terms")])
    #expect(composer.currentText == "we don't use it")
    composer.compose([edit(6..<7, "\u{2019}", "smart_quotes")])
    #expect(composer.currentText == "we don\u{2019}t use it")
    #expect(composer.edits.map(\.range) == [3..<9, 10..<17])
    #expect(composer.edits[0].replacement == "don\u{2019}t")
    #expect(composer.edits[0].edit.rule == "contractions+smart_quotes")
    #expect(composer.edits[1].replacement == "use")   // moved through the second stage untouched
    #expect(composer.edits[1].edit.rule == "terms")
    #expect(apply(composer.edits, to: "we do not utilize it") == composer.currentText)
}

/// An edit that writes what the text already holds is no edit, in untouched text (compared
/// with the current text) and over an earlier edit (with the original); an edit of the same
/// length that writes something else is one.
@Test func dropsEditsThatWriteWhatIsThereAndKeepsSameLengthChanges() {
    var composer = EditComposer(original: "one colour two color three")
    composer.compose([edit(0..<3, "uno"), edit(4..<10, "color")])   // "uno color two color three"
    composer.compose([edit(8..<9, "r"), edit(10..<13, "two"), edit(14..<19, "colur")])
    #expect(composer.currentText == "uno color two colur three")
    #expect(composer.edits.map(\.range) == [0..<3, 4..<10, 15..<20])
    #expect(composer.edits.map(\.replacement) == ["uno", "color", "colur"])
    composer.compose([edit(0..<3, "one"), edit(14..<19, "color"), edit(20..<25, "three")])
    #expect(composer.currentText == "one color two color three")
    #expect(composer.edits.map(\.range) == [4..<10])
}

@Test func dropsAnEditThatALaterStageReverts() {
    var composer = EditComposer(original: "colour")
    composer.compose([edit(0..<6, "color")])
    composer.compose([edit(0..<5, "colour")])
    #expect(composer.edits.isEmpty)
    #expect(composer.currentText == "colour")
}

/// The original is read in place from the text given, not from a copy: what it held stays what
/// `original(in:)` gives and what the revert check compares with, through any number of stages,
/// for multi-byte characters and a small (inline) string too.
@Test func readsTheOriginalInPlaceThroughStages() {
    var composer = EditComposer(original: "naïve café")   // small enough to be stored inline
    composer.compose([edit(0..<6, "naive")])
    composer.compose([edit(6..<11, "cafe")])
    #expect(composer.currentText == "naive cafe")
    #expect(composer.original(in: 0..<6) == "naïve")
    #expect(composer.original(in: 7..<12) == "café")
    composer.compose([edit(0..<5, "naïve"), edit(6..<10, "café")])   // both reverted
    #expect(composer.edits.isEmpty)
    #expect(composer.currentText == "naïve café")
    let long = String(repeating: "colour ", count: 40)
    var large = EditComposer(original: long)
    large.compose([edit(0..<6, "color")])
    large.compose([edit(0..<5, "colour")])
    #expect(large.edits.isEmpty)
    #expect(large.original(in: 7..<13) == "colour")
}

@Test func mapsCurrentOffsetsBackToTheOriginal() {
    var composer = EditComposer(original: "aaa bbb ccc")
    composer.compose([edit(4..<7, "b")])   // "aaa b ccc"
    #expect(composer.originalOffset(ofCurrent: 6) == 8)
    #expect(composer.originalOffset(ofCurrent: 2) == 2)
}

@Test(arguments: 0..<200)
func composedEditsReproduceTheStagedText(seed: UInt64) {
    var random = SeededGenerator(seed: seed)
    let alphabet = Array("abcde ")
    let original = String((0..<Int.random(in: 0...40, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
    var composer = EditComposer(original: original)
    for _ in 0..<Int.random(in: 1...4, using: &random) {
        // Random sorted, non-overlapping edits on the current text.
        var edits: [Edit] = []
        var position = 0
        let length = composer.current.count
        while position <= length, Int.random(in: 0..<3, using: &random) > 0 {
            let start = Int.random(in: position...length, using: &random)
            let end = Int.random(in: start...min(length, start + 4), using: &random)
            let replacement = String((0..<Int.random(in: 0...3, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            edits.append(edit(start..<end, replacement))
            position = end + 1
        }
        composer.compose(edits)
        #expect(apply(composer.edits, to: original) == composer.currentText)
        #expect(zip(composer.edits, composer.edits.dropFirst()).allSatisfy { $0.range.upperBound <= $1.range.lowerBound })
        // Reverted text makes no edit: every composed edit changes its original range.
        let originalBytes = Array(original.utf8)
        #expect(!composer.edits.contains { $0.replacement.utf8.elementsEqual(originalBytes[$0.range]) })
    }
}
