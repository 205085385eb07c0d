import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

/// Per-rule levels (`level` of a `terms` or `avoid` entry, `levels` per stage): what `check`
/// reports each edit and finding at. Each case would fail with the stage's own level.
@Suite struct RuleLevelTests {
    /// `check`'s findings of `input` under a style made of `lines`: (level, rule, message), in order.
    func reported(_ lines: String, _ input: String) throws -> [(FindingLevel, String, String)] {
        let pipeline = try Pipeline(style: try makeStyle(lines), resources: testResources)
        return try pipeline.rewrite(input, path: "case.md").checkFindings().map { ($0.level, $0.rule, $0.message) }
    }

    @Test func aTermsLevelIsTheLevelOfItsEdits() throws {
        let style = """
            terms:
              - {use: Acme Cloud, instead_of: [AcmeCloud], level: error}
              - {use: sign in, instead_of: [log in], level: suggestion}
              - {use: email, instead_of: [e-mail]}
            """
        let found = try reported(style, "Log in to AcmeCloud by e-mail.")
        #expect(found.map(\.0) == [.suggestion, .error, .warning])
        #expect(found.map(\.2) == [
            "write 'Sign in' instead of 'Log in': house term: use 'sign in' instead of 'log in'",
            "write 'Acme Cloud' instead of 'AcmeCloud': house term: use 'Acme Cloud' instead of 'AcmeCloud'",
            "write 'email' instead of 'e-mail': house term: use 'email' instead of 'e-mail'",
        ])
    }

    @Test func levelsSetsTheLevelOfEntriesWithoutTheirOwn() throws {
        let style = """
            terms:
              - {use: Acme Cloud, instead_of: [AcmeCloud]}
              - {use: email, instead_of: [e-mail], level: suggestion}
            avoid: [robust, {word: leverage, level: warning}]
            levels: {terms: error, avoid: suggestion}
            """
        let found = try reported(style, "A robust AcmeCloud; we leverage e-mail.")
        #expect(found.map(\.0) == [.suggestion, .error, .warning, .suggestion])
        #expect(found.map(\.1) == ["avoid", "terms", "avoid", "terms"])
    }

    @Test func levelsOfTheOtherStagesOverrideTheirOwn() throws {
        // Without `levels`, the contraction is a warning (confidence 1).
        #expect(try reported("contractions: prefer", "We do not stop.").map(\.0) == [.warning])
        #expect(try reported("contractions: prefer\nlevels: {contractions: error}", "We do not stop.").map(\.0) == [.error])
        // The finding of `avoid`-mode contractions, a suggestion by the stage, follows the level too.
        let ambiguous = try reported("contractions: avoid\nlevels: {contractions: warning}", "He'd gone.")
        #expect(ambiguous.map(\.0) == [.warning], "\(ambiguous)")
    }

    @Test func aComposedChangeIsAsSeriousAsItsMostSeriousRule() throws {
        let style = "contractions: prefer\npunctuation: {quotes: curly}\nlevels: {contractions: suggestion, smart_quotes: error}"
        let found = try reported(style, "We do not stop.")
        #expect(found.count == 1)
        #expect(found.first?.1 == "contractions+smart_quotes")
        #expect(found.first?.0 == .error)
    }

    @Test func aChangeReportedInsteadOfAppliedKeepsItsLevel() throws {
        // Removing "simply" would make the line a list item: reported, not applied, at the entry's level.
        let found = try reported("avoid: [{word: simply, level: error}]", "Simply 1. open it\n")
        #expect(found.count == 1)
        #expect(found.first?.0 == .error)
        #expect(found.first?.2.hasPrefix("not applied: ") == true, "\(found)")
    }

    @Test func reportOnlyAvoidsNeverRewrite() throws {
        let pipeline = try Pipeline(style: try makeStyle("""
            avoid:
              - {word: very, report_only: true}
              - {word: utilize, instead: use, report_only: true, note: plain words}
            """), resources: testResources)
        let result = try pipeline.rewrite("It is very fast. We utilize it.", path: "case.md")
        #expect(result.text == "It is very fast. We utilize it.")
        #expect(result.findings.map(\.message) == ["avoid 'very'", "avoid 'utilize'; consider 'use'; plain words"])
        // Without report_only, both are rewritten.
        let rewriting = try Pipeline(style: try makeStyle("avoid: [very, {word: utilize, instead: use}]"), resources: testResources)
        #expect(try rewriting.rewrite("It is very fast. We utilize it.", path: "case.md").text == "It is fast. We use it.")
    }

    @Test func caseSensitiveAvoidMatchesOnlyAsWritten() throws {
        let style = "avoid:\n  - {word: NOTE, case_sensitive: true}\n  - {word: firstly, case_sensitive: true}\n  - {word: ping me, case_sensitive: true}"
        let found = try reported(style, "A note. NOTE: this. Firstly, ok; FIRSTLY no. Just ping me. Ping me. And PING ME.")
        #expect(found.map(\.2) == ["avoid 'NOTE'", "avoid 'Firstly'", "avoid 'ping me'", "avoid 'Ping me'"])
        // The same entries without case_sensitive match every casing.
        let any = try reported("avoid: [NOTE, firstly, ping me]", "A note. FIRSTLY no. And PING ME.")
        #expect(any.map(\.2) == ["avoid 'note'", "avoid 'FIRSTLY'", "avoid 'PING ME'"])
    }

    @Test func notesAreShownWithEditsAndFindings() throws {
        let found = try reported("""
            terms: [{use: sign in, instead_of: [log in], note: the verb is two words}]
            avoid: [{word: robust, note: says nothing}]
            """, "Log in to a robust tool.")
        #expect(found.map(\.2) == [
            "write 'Sign in' instead of 'Log in': house term: use 'sign in' instead of 'log in'; the verb is two words",
            "avoid 'robust'; says nothing",
        ])
    }

    @Test func aBadLevelIsALocatedError() throws {
        #expect(try diagnostics(for: "version: 1\nterms:\n  - use: a\n    instead_of: [b]\n    level: critical\n") == [
            "styles/test.yaml:5:12: error: invalid value 'critical' for 'terms[0].level'; expected one of: suggestion, warning, error"
        ])
        #expect(try diagnostics(for: "version: 1\navoid: [{word: a, level: Error}]\n") == [
            "styles/test.yaml:2:26: error: invalid value 'Error' for 'avoid[0].level'; expected one of: suggestion, warning, error"
        ])
        #expect(try diagnostics(for: "version: 1\nlevels:\n  spelling: fatal\n  markdown: error\n  smartquotes: warning\n") == [
            "styles/test.yaml:3:13: error: invalid value 'fatal' for 'levels.spelling'; expected one of: suggestion, warning, error",
            "styles/test.yaml:4:3: error: unknown key 'markdown' in 'levels'; expected one of: terms, avoid, spelling, contractions, punctuation, smart_quotes, learned",
            "styles/test.yaml:5:3: error: unknown key 'smartquotes' in 'levels'; did you mean 'smart_quotes'?",
        ])
        #expect(try diagnostics(for: "version: 1\navoid: [{word: a, report_only: 'yes'}]\nlevels: [error]\n") == [
            "styles/test.yaml:2:32: error: expected true or false for 'avoid[0].report_only', found the string 'yes'",
            "styles/test.yaml:3:9: error: expected a mapping for 'levels', found a list",
        ])
    }

    // MARK: - `rule`: an entry's own rule name

    static let named = """
        terms:
          - {use: Acme Cloud, instead_of: [AcmeCloud], rule: House.Terms}
          - {use: email, instead_of: [e-mail]}
        avoid:
          - {word: robust, rule: House.Weasel, note: says nothing}
          - {word: simply, rule: House.Weasel}
          - {word: leverage, instead: use}
        """
    static let text = "Simply use a robust AcmeCloud; we leverage e-mail."

    @Test func anEntrysRuleNameIsTheRuleItsEditsAndFindingsCarry() throws {
        let found = try reported(Self.named, Self.text)
        #expect(found.map(\.1) == ["House.Weasel", "House.Weasel", "House.Terms", "avoid", "terms"], "\(found)")
        #expect(found[1].2 == "avoid 'robust'; says nothing")
        // The composed edit keeps the stage it came from, for the rules that keep word rules apart.
        let rewrite = try Pipeline(style: try makeStyle(Self.named), resources: testResources).rewrite(Self.text, path: "case.md")
        #expect(rewrite.edits.map(\.edit.rule) == ["House.Weasel", "House.Terms", "avoid", "terms"])
        #expect(rewrite.edits.flatMap(\.parts).map(\.stageID) == ["avoid", "terms", "avoid", "terms"])
    }

    /// `--only` and `--skip` take an entry's rule name; naming the stage names all its entries.
    @Test(arguments: [
        (RuleSelection(only: ["House.Weasel"]), ["House.Weasel", "House.Weasel"]),
        (RuleSelection(only: ["House.Terms", "avoid"]), ["House.Weasel", "House.Weasel", "House.Terms", "avoid"]),
        (RuleSelection(skip: ["House.Weasel"]), ["House.Terms", "avoid", "terms"]),
        (RuleSelection(only: ["terms"]), ["House.Terms", "terms"]),
        (RuleSelection(only: ["House.Terms"], skip: ["terms"]), []),
        (RuleSelection(skip: ["avoid", "House.Terms"]), ["terms"]),
    ])
    func onlyAndSkipSelectEntriesByTheirRuleName(selection: RuleSelection, rules: [String]) throws {
        let style = try makeStyle(Self.named)
        try selection.check(against: style)
        let pipeline = try Pipeline(style: style.selecting(selection), resources: testResources).selecting(selection)
        #expect(try pipeline.rewrite(Self.text, path: "case.md").checkFindings().map(\.rule) == rules)
    }

    /// A selection leaves what training reads alone, so the learned model of the whole style is
    /// the one loaded (it was found stale, and retrained from the selected terms, before).
    @Test(arguments: [RuleSelection(only: ["learned"]), RuleSelection(skip: ["terms"]), RuleSelection(skip: ["House.Terms", "avoid"]),
                      RuleSelection(only: ["House.Weasel"])])
    func aSelectionKeepsTheModelsFingerprint(selection: RuleSelection) throws {
        let style = try makeStyle(Self.named)
        let selected = style.selecting(selection)
        #expect(selected.trainingSettings.map(\.json) == style.trainingSettings.map(\.json))
        #expect(selected.terms == style.terms && selected.avoid == style.avoid)
        #expect(selected.selectedTerms.count + selected.selectedAvoid.count < style.terms.count + style.avoid.count)
    }

    @Test func entryRuleNamesAreKnownRules() throws {
        let style = try makeStyle(Self.named)
        #expect(style.entryRules.map(\.name) == ["House.Terms", "House.Weasel"])
        #expect(RuleSelection.rules(of: style).suffix(2) == ["House.Terms", "House.Weasel"])
        #expect(throws: RuleSelectionError.unknownRule(name: "House.Weasle", option: "--skip", known: RuleSelection.rules(of: style),
                                                       suggestion: "House.Weasel")) {
            try RuleSelection(skip: ["House.Weasle"]).check(against: style)
        }
    }

    /// A word listed as itself is reported under its own entry, not as an inflection of an earlier
    /// entry (alex lists "bitch" in alex.Gendered and "bitches" in alex.ProfanityLikely).
    /// Pronouns, forms of "be", modal verbs and the like have no regular inflections: an entry for
    /// "us" is not found in "used" (Microsoft.We and Google.We list "us"), nor "be" in "bed", "we" in
    /// "wed", "will" in "willing". A word that does inflect still matches its forms.
    @Test func aFunctionWordMatchesOnlyItself() throws {
        let style = """
            avoid:
              - {word: us, rule: House.We}
              - {word: we, rule: House.We}
              - {word: be, rule: House.Be}
              - {word: will, rule: House.Will}
              - {word: shout, rule: House.Shout}
            """
        let found = try reported(style, "The crew used the dock and the owners wed at noon, willing to be in bed by ten. "
            + "We will shout it to us; it shouts today and shouted twice.")
        #expect(found.map(\.2) == ["avoid 'be'", "avoid 'We'", "avoid 'will'", "avoid 'shout'", "avoid 'us'", "avoid 'shouts'", "avoid 'shouted'"],
                "\(found)")
        #expect(AvoidStage.inflects("shout") && !AvoidStage.inflects("us") && !AvoidStage.inflects("be"))
    }

    @Test func aWordListedAsItselfWinsOverAnInflectionOfAnEarlierEntry() throws {
        let style = "avoid:\n  - {word: cat, rule: House.A}\n  - {word: cats, rule: House.B}\n  - {word: dog, rule: House.C}"
        #expect(try reported(style, "Two cats, one cat, three dogs.").map(\.1) == ["House.B", "House.A", "House.C"])
    }

    @Test func aCommentSwitchesOffAnEntryRuleByItsName() throws {
        let pipeline = try Pipeline(style: try makeStyle(Self.named), resources: testResources)
        let text = "<!-- housestyle off House.Weasel -->\n\nSimply use a robust AcmeCloud.\n\n<!-- housestyle on House.Weasel -->\n\nA robust tool.\n"
        let found = try pipeline.rewrite(text, path: "case.md").checkFindings()
        #expect(found.map(\.rule) == ["House.Terms", "House.Weasel"], "\(found)")
        #expect(found.last?.message == "avoid 'robust'; says nothing")
    }

    // MARK: - `rules`: a stage's rule name

    static let namedStage = "contractions: prefer\npunctuation: {quotes: curly}\nrules: {contractions: House.Contractions}"

    @Test func aStageNamedByRulesReportsUnderTheName() throws {
        let style = try makeStyle(Self.namedStage)
        #expect(style.ruleNames == [.contractions: "House.Contractions"])
        #expect(RuleSelection.rules(of: style).last == "House.Contractions")
        let text = "We do not stop.\n\n<!-- housestyle off House.Contractions -->\n\nIt is off.\n"
        let rewrite = try Pipeline(style: style, resources: testResources).rewrite(text, path: "case.md")
        // The name, joined with smart_quotes' where that stage curled the apostrophe; the stage id stays on the parts.
        #expect(rewrite.edits.map(\.edit.rule) == ["House.Contractions+smart_quotes"])
        #expect(rewrite.edits.flatMap(\.parts).map(\.stageID) == ["contractions", "smart_quotes"])
        #expect(rewrite.text.hasPrefix("We don\u{2019}t stop.") && rewrite.text.contains("It is off."))
        #expect(!rewrite.checkFindings().contains { $0.rule == "housestyle-comment" })
    }

    @Test(arguments: [
        (RuleSelection(only: ["House.Contractions"]), "We don't stop."),
        (RuleSelection(only: ["contractions"]), "We don't stop."),
        (RuleSelection(skip: ["House.Contractions"]), "We do not stop."),
        (RuleSelection(skip: ["contractions"]), "We do not stop."),
        (RuleSelection(only: ["House.Contractions"], skip: ["contractions"]), "We do not stop."),
    ])
    func onlyAndSkipSelectAStageByItsName(selection: RuleSelection, expected: String) throws {
        let style = try makeStyle("contractions: prefer\nrules: {contractions: House.Contractions}")
        try selection.check(against: style)
        let pipeline = try Pipeline(style: style.selecting(selection), resources: testResources).selecting(selection)
        #expect(try pipeline.rewrite("We do not stop.", path: "case.md").text == expected)
    }

    @Test func aBadStageRuleNameIsALocatedError() throws {
        #expect(try diagnostics(for: "version: 1\nrules:\n  terms: A\n  contractions: My Rule\n  smartquotes: B\n  spelling: [x]\n") == [
            "styles/test.yaml:3:3: error: unknown key 'terms' in 'rules'; expected one of: spelling, contractions, punctuation, smart_quotes",
            "styles/test.yaml:4:17: error: invalid rule name 'My Rule' for 'rules.contractions': a rule name is ASCII letters, digits, '.', '_' "
                + "and '-', starting with a letter or digit, such as 'Microsoft.Avoid'",
            "styles/test.yaml:5:3: error: unknown key 'smartquotes' in 'rules'; did you mean 'smart_quotes'?",
            "styles/test.yaml:6:13: error: expected a rule name such as 'Microsoft.Avoid' for 'rules.spelling', found a list",
        ])
    }

    @Test func aBadRuleNameIsALocatedError() throws {
        #expect(try diagnostics(for: "version: 1\nterms:\n  - use: a\n    instead_of: [b]\n    rule: My Rule\n") == [
            "styles/test.yaml:5:11: error: invalid rule name 'My Rule' for 'terms[0].rule': a rule name is ASCII letters, digits, '.', '_' and '-', "
                + "starting with a letter or digit, such as 'Microsoft.Avoid'"
        ])
        #expect(try diagnostics(for: "version: 1\navoid: [{word: a, rule: spelling}, {word: b, rule: ''}, {word: c, rule: [x]}]\n") == [
            "styles/test.yaml:2:25: error: invalid rule name 'spelling' for 'avoid[0].rule': 'spelling' names a stage; leave 'rule' out "
                + "to report under the stage's id, or give the entry a name of its own",
            "styles/test.yaml:2:52: error: 'avoid[1].rule' must not be empty",
            "styles/test.yaml:2:73: error: expected a rule name such as 'Microsoft.Avoid' for 'avoid[2].rule', found a list",
        ])
        #expect(try diagnostics(for: "version: 1\nterms: [{use: a, instead_of: [b], rule: A+B}]\n") == [
            "styles/test.yaml:2:41: error: invalid rule name 'A+B' for 'terms[0].rule': a rule name is ASCII letters, digits, '.', '_' and '-', "
                + "starting with a letter or digit, such as 'Microsoft.Avoid'"
        ])
    }
}
