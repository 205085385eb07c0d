import Testing
import HouseStyleText
@testable import HouseStyle

/// `ContractionsStage` decides `prefer` on bytes for ASCII words and on `String`s for the rest:
/// both grammars must give the same edits for the same text.
@Suite struct ContractionsGrammarTests {
    /// The `prefer` texts of `contractionCases`, and more that exercise each rule of the grammar.
    static let texts: [String] = contractionCases.filter { $0.style == "contractions: prefer" }.map(\.input) + [
        "We will not go. We will go there. What we will is this.",
        "I am here. I AM here. i am here. Here is the key, and there is more; the list here is long.",
        "They have gone. They have two. You have never been. We have been told.",
        "It is. It is red. is it? That is all, that is it. Who is there?",
        "She would like tea but she would not say. He had gone. Let us go.",
        "Do not. Does not help. Did not help. Was not there. Were not there. Should not go.",
        "Cannot. cannot. CANNOT. You Cannot go.",
        "We Will Not Go. It Is Fast. DO not go.",
    ]

    @Test("prefer: the byte grammar and the String grammar agree", arguments: texts)
    func bothGrammarsAgree(_ text: String) throws {
        let rules = try Evaluator.ruleText(text, segmenter: WordSegmenter(locale: "en"))
        let stage = ContractionsStage(mode: .prefer)
        let bytePath = stage.apply(to: rules).edits
        let stringPath = stage.contractOnStrings(rules)
        #expect(bytePath.map(\.range) == stringPath.map(\.range), "\(text)")
        #expect(bytePath.map(\.replacement) == stringPath.map(\.replacement), "\(text)")
        #expect(bytePath.map(\.reason) == stringPath.map(\.reason), "\(text)")
    }

    /// Words outside ASCII take the `String` path in `prefer` mode (a test of that path on its own).
    @Test func nonASCIIWordsTakeTheStringPath() throws {
        let text = "It is caf\u{E9} time. We do not na\u{EF}vely go. D\u{F3} not."
        let rules = try Evaluator.ruleText(text, segmenter: WordSegmenter(locale: "en"))
        let edits = ContractionsStage(mode: .prefer).apply(to: rules).edits
        #expect(edits.map(\.replacement) == ["It's", "don't"])
        #expect(edits.map(\.reason) == ["contract 'It is' to 'It's'", "contract 'do not' to 'don't'"])
    }
}
