import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

/// Reviewing edits (issue 15, item 6): the word-level diff, `--only`/`--skip`, the interactive
/// review driven by a script of replies, and the level of learned edits in `check`.
@Suite struct EditReviewTests {
    static let style = """
        terms:
          - {use: Acme Cloud, instead_of: [AcmeCloud]}
        avoid: [simply]
        contractions: prefer
        """
    static let text = "# Title\n\nTo use AcmeCloud, simply sign in.\nUnchanged line.\n\nAnother line.\nWe do not stop.\n"

    func rewrite(_ text: String = text, style: String = style, selection: RuleSelection = RuleSelection()) throws -> Rewrite {
        let style = try makeStyle(style)
        return try Pipeline(style: style.selecting(selection), resources: testResources).selecting(selection).rewrite(text, path: "doc.md")
    }

    // MARK: word diff

    @Test func wordDiffMarksEachChangeInItsLine() throws {
        let diff = WordDiff.render(try rewrite(), path: "doc.md")
        #expect(diff == """
            --- a/doc.md
            +++ b/doc.md
            @@ -2,3 +2,3 @@

            To use [-AcmeCloud-]{+Acme Cloud+}, [-simply -]sign in.
            Unchanged line.
            @@ -6,2 +6,2 @@
            Another line.
            We [-do not-]{+don't+} stop.

            """)
    }

    @Test func wordDiffOfLinesThatComeAndGo() throws {
        // Hunks far apart stay apart; a last line without a line feed is still counted.
        let text = "One.\nTwo AcmeCloud.\nThree.\nFour.\nFive.\nSix.\nSeven AcmeCloud"
        let diff = WordDiff.render(try rewrite(text, style: "terms: [{use: Acme Cloud, instead_of: [AcmeCloud]}]"), path: "/abs/doc.txt")
        #expect(diff == """
            --- /abs/doc.txt
            +++ /abs/doc.txt
            @@ -1,3 +1,3 @@
            One.
            Two [-AcmeCloud-]{+Acme Cloud+}.
            Three.
            @@ -6,2 +6,2 @@
            Six.
            Seven [-AcmeCloud-]{+Acme Cloud+}

            """)
        #expect(WordDiff.render(try rewrite("Nothing to do.\n"), path: "doc.md") == "")
    }

    @Test func wordDiffColoursTheMarksForATerminal() throws {
        let diff = WordDiff.render(try rewrite("Use AcmeCloud.\n", style: "terms: [{use: Acme Cloud, instead_of: [AcmeCloud]}]"), path: "a.md", marks: .color)
        #expect(diff.hasSuffix("@@ -1 +1 @@\nUse \u{1B}[31m[-AcmeCloud-]\u{1B}[m\u{1B}[32m{+Acme Cloud+}\u{1B}[m.\n"), "\(diff.debugDescription)")
    }

    @Test func anExcerptIsCutAtSpacesAroundALongLinesEdit() throws {
        let long = String(repeating: "word ", count: 40)
        let rewritten = try rewrite(long + "AcmeCloud " + long + "\n", style: "terms: [{use: Acme Cloud, instead_of: [AcmeCloud]}]")
        let excerpt = WordDiff.excerpt(of: rewritten.edits[0], in: rewritten.original, width: 12)
        #expect(excerpt == "…word word [-AcmeCloud-]{+Acme Cloud+} word word…")
    }

    // MARK: --only and --skip

    @Test func onlyAndSkipChooseTheRulesThatRun() throws {
        #expect(try rewrite(selection: RuleSelection(only: ["terms"])).text
            == "# Title\n\nTo use Acme Cloud, simply sign in.\nUnchanged line.\n\nAnother line.\nWe do not stop.\n")
        let skipped = try rewrite(selection: RuleSelection(skip: ["terms", "avoid"]))
        #expect(skipped.text == "# Title\n\nTo use AcmeCloud, simply sign in.\nUnchanged line.\n\nAnother line.\nWe don't stop.\n")
        #expect(Set(skipped.edits.map(\.edit.rule)) == ["contractions"])
        // --skip wins over --only.
        #expect(try rewrite(selection: RuleSelection(only: ["terms"], skip: ["terms"])).changed == false)
    }

    @Test func anUnknownRuleIsAnErrorListingTheRules() throws {
        let style = try makeStyle(Self.style)
        #expect(throws: RuleSelectionError.unknownRule(name: "term", option: "--only", known: RuleSelection.rules(of: style), suggestion: "terms")) {
            try RuleSelection(only: ["term"]).check(against: style)
        }
        let message = "\(RuleSelectionError.unknownRule(name: "markdown", option: "--skip", known: RuleSelection.rules(of: style), suggestion: nil))"
        #expect(message == "--skip markdown: no such rule; rules: normalize, terms, avoid, spelling, contractions, punctuation, smart_quotes, learned")
        #expect(throws: RuleSelectionError.self) { try RuleSelection(skip: ["markdown"]).check(against: style) }
        try RuleSelection(only: ["learned"], skip: ["smart_quotes"]).check(against: style)
    }

    @Test func aLearnedStageThatIsNotSelectedIsNotSetUp() throws {
        // Without a model the learned stage cannot be built: skipping it must not need one.
        let style = try makeStyle("terms: [{use: Acme Cloud, instead_of: [AcmeCloud]}]\nstages: {post: [learned]}")
        #expect(style.usesLearnedStage)
        #expect(throws: (any Error).self) { try Pipeline(style: style, resources: testResources) }
        let skipping = style.selecting(RuleSelection(skip: ["learned"]))
        #expect(!skipping.usesLearnedStage)
        #expect(try Pipeline(style: skipping, resources: testResources).rewrite("Use AcmeCloud.").text == "Use Acme Cloud.")
        #expect(!style.selecting(RuleSelection(only: ["terms"])).usesLearnedStage)
        #expect(style.selecting(RuleSelection(only: ["learned"])).usesLearnedStage)
    }

    // MARK: interactive review

    /// Runs a review of `rewrites` with `replies` as the user's answers; returns the texts and the
    /// questions asked.
    func review(_ rewrites: [Rewrite], replies: [String]) -> (texts: [String], questions: [String], review: EditReview) {
        var replies = replies[...]
        var questions: [String] = []
        var review = EditReview()
        var texts: [String] = []
        for (index, rewrite) in rewrites.enumerated() {
            texts.append(review.review(rewrite, path: "doc\(index).md") { question in
                questions.append(question)
                return replies.popFirst()
            }.text)
        }
        return (texts, questions, review)
    }

    @Test func onlyAcceptedEditsAreApplied() throws {
        let rewrite = try rewrite()
        #expect(rewrite.edits.count == 3)
        let (texts, questions, review) = self.review([rewrite], replies: ["y", "n", "y"])
        #expect(texts == ["# Title\n\nTo use Acme Cloud, simply sign in.\nUnchanged line.\n\nAnother line.\nWe don't stop.\n"])
        #expect(questions.count == 3)
        #expect(questions[0] == """
            doc0.md:3:8: edit 1 of 3 [terms, rule, confidence 1.00] house term: use 'Acme Cloud' instead of 'AcmeCloud'
            To use [-AcmeCloud-]{+Acme Cloud+}, simply sign in.
            apply this edit [y,n,a,q,?]? 
            """)
        #expect(review.accepted == 2 && review.asked == 3 && !review.quit)
    }

    @Test func anUnknownReplyShowsTheChoicesAndAsksAgain() throws {
        let (texts, questions, _) = review([try rewrite()], replies: ["maybe", "N", " yes ", "no"])
        #expect(questions.count == 4)
        #expect(questions[1] == ReviewAnswer.help + "apply this edit [y,n,a,q,?]? ")
        #expect(texts == ["# Title\n\nTo use AcmeCloud, sign in.\nUnchanged line.\n\nAnother line.\nWe do not stop.\n"])
    }

    @Test func acceptingTheRestStopsAskingInThatFileOnly() throws {
        let one = try rewrite()
        let (texts, questions, review) = self.review([one, one], replies: ["n", "a", "n", "q"])
        #expect(texts[0] == "# Title\n\nTo use AcmeCloud, sign in.\nUnchanged line.\n\nAnother line.\nWe don't stop.\n")
        // The second file is asked about again; `q` there applies nothing more.
        #expect(texts[1] == Self.text)
        #expect(questions.count == 4 && review.quit && review.accepted == 2)
    }

    @Test func quittingOrTheEndOfInputAppliesNothingMore() throws {
        let one = try rewrite()
        let quit = review([one, one], replies: ["y", "q", "y"])
        #expect(quit.texts == ["# Title\n\nTo use Acme Cloud, simply sign in.\nUnchanged line.\n\nAnother line.\nWe do not stop.\n", Self.text])
        #expect(quit.questions.count == 2)
        let ended = review([one], replies: ["y"])
        #expect(ended.texts == quit.texts.prefix(1).map { $0 })
        #expect(ended.review.quit)
    }

    @Test func keepingNoEditGivesTheOriginal() throws {
        let rewrite = try rewrite()
        let none = rewrite.keeping(editsAt: [])
        #expect(none.text == rewrite.original && !none.changed && none.findings == rewrite.findings)
        #expect(rewrite.keeping(editsAt: Set(rewrite.edits.indices)).text == rewrite.text)
    }

    @Test(arguments: [("y", ReviewAnswer.accept), ("YES", .accept), ("n", .reject), ("a", .acceptRest), ("q\n", .quit), ("quit", .quit)])
    func replies(_ reply: String, _ answer: ReviewAnswer) {
        #expect(ReviewAnswer(reply: reply) == answer)
    }

    // MARK: learned edits in check

    @Test func learnedEditsAreSuggestionsInCheck() throws {
        let document = Document(text: "Teams utilize keys. Log in.", format: .plain)
        func composed(_ range: Range<Int>, _ replacement: String, rule: String, origin: EditOrigin) -> ComposedEdit {
            ComposedEdit(range: range, replacement: replacement,
                         parts: [Edit(range: range, replacement: replacement, rule: rule, reason: "why", confidence: 0.95, origin: origin)])
        }
        let rewrite = Rewrite(original: document.text, text: "Teams use keys. Sign in.", edits: [
            composed(6..<13, "use", rule: "learned", origin: .pair),
            composed(20..<23, "Sign", rule: "terms", origin: .rule),
        ], findings: [], document: document)
        // A confidence of 0.95 would make a rule's edit a warning; the learned one stays a suggestion.
        #expect(rewrite.checkFindings().map(\.level) == [.suggestion, .warning])
        // A level the style sets still comes first.
        var leveled = composed(6..<13, "use", rule: "learned", origin: .thesaurus)
        leveled.parts[0].level = .error
        let withLevel = Rewrite(original: document.text, text: "", edits: [leveled], findings: [], document: document)
        #expect(withLevel.checkFindings().map(\.level) == [.error])
        // SARIF rule metadata says the same: learned results are notes unless the style says otherwise.
        #expect(SARIFReport.descriptor(ofRule: "learned", registry: .builtin).defaultConfiguration.level == "note")
        #expect(SARIFReport.descriptor(ofRule: "terms", registry: .builtin).defaultConfiguration.level == "warning")
        // The style's `levels` are the rules' default levels there too; joined rules take the most serious.
        let levels: [BuiltinStageID: FindingLevel] = [.terms: .error, .learned: .warning, .spelling: .suggestion]
        #expect(SARIFReport.descriptor(ofRule: "terms", registry: .builtin, levels: levels).defaultConfiguration.level == "error")
        #expect(SARIFReport.descriptor(ofRule: "learned", registry: .builtin, levels: levels).defaultConfiguration.level == "warning")
        #expect(SARIFReport.descriptor(ofRule: "spelling+terms", registry: .builtin, levels: levels).defaultConfiguration.level == "error")
        #expect(SARIFReport.descriptor(ofRule: "contractions", registry: .builtin, levels: levels).defaultConfiguration.level == "warning")
    }
}
