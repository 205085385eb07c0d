import Testing
@testable import HouseStyle

@Test(arguments: [
    ("you can utilize the cli", "you can use the cli", [["utilize"], ["use"]]),
    ("select it in order to add it", "select it to add it", [["in", "order"], []]),
    ("it is fast", "it is fast", [[String]]()),
    ("a b c", "a x c d", [["b"], ["x"], [], ["d"]]),
])
func diffRunsFindPhraseEdits(before: String, after: String, runs: [[String]]) {
    let b = before.split(separator: " ").map(String.init), a = after.split(separator: " ").map(String.init)
    let found = SubstitutionLearner.diffRuns(b, a).flatMap { [Array(b[$0.before]), Array(a[$0.after])] }
    #expect(found == runs)
}

@Test func pairsGiveCountedPhraseEditsWithTheirCase() throws {
    let tokenizer = try ModelTokenizer(locale: "en")
    let pairs = [
        SentencePair(before: "Utilize tags to group buckets.", after: "Use tags to group buckets.", source: "p:1"),
        SentencePair(before: "You can utilize the CLI.", after: "You can use the CLI.", source: "p:2"),
        SentencePair(before: "Install the AcmeCLI now.", after: "Install the Acme CLI now.", source: "p:3"),
        SentencePair(before: "An email will be sent to all owners.", after: "We'll email all owners.", source: "p:4"),
    ]
    let found = SubstitutionLearner.fromPairs(pairs, tokenizer: tokenizer)
    #expect(found.map { "\($0.before.joined(separator: " "))>\($0.afterText)×\($0.count)" } == ["utilize>use×2", "acmecli now>Acme CLI now×1"])
    // Seen once, "AcmeCLI" -> "Acme CLI" is learned with the word beside it: one revision cannot
    // show that the edit holds elsewhere.
}
