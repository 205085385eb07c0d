import Foundation
import Testing
import HouseStyleText
import HouseStyleYAML
@testable import HouseStyle

/// `ValePattern`: which Vale regular expressions are word lists, and which words.
@Suite struct ValePatternTests {
    @Test(arguments: [
        ("(?:agent|virtual assistant)", ["agent", "virtual assistant"]),
        ("chat ?bots?", ["chat bots", "chat bot", "chatbots", "chatbot"]),
        ("a (?:large)? majority of", ["a large majority of", "a majority of"]),
        ("air(?:m[ae]n|wom[ae]n)", ["airman", "airmen", "airwoman", "airwomen"]),
        ("brogramm(?:er|ers|ing)", ["brogrammer", "brogrammers", "brogramming"]),
        ("we'(?:ve|re)", ["we've", "we're"]),
        ("audio(?:-| )book", ["audio-book", "audio book"]),
        ("3\\-D", ["3-D"]),
        ("[Oo]bservability", ["Observability", "observability"]),
        ("a\\.k\\.a|aka", ["a.k.a", "aka"]),
        ("(?P<x>yes|no)", ["yes", "no"]),
    ])
    func wordLists(pattern: String, phrases: [String]) throws {
        #expect(try ValePattern.expand(pattern).phrases == phrases)
    }

    @Test func boundariesFlagsAndApproximations() throws {
        let bounded = try ValePattern.expand("\\bme\\b")
        #expect(bounded.phrases == ["me"] && bounded.leadingBoundary && bounded.trailingBoundary)
        let open = try ValePattern.expand("\\bme")
        #expect(open.leadingBoundary && !open.trailingBoundary)
        #expect(try ValePattern.expand("(?i)kubectl").caseInsensitive)
        #expect(try !ValePattern.expand("kubectl").caseInsensitive)
        let spaced = try ValePattern.expand("happy[ -]*hours?")
        #expect(spaced.phrases == ["happy hours", "happy hour", "happy-hours", "happy-hour", "happyhours", "happyhour"])
        #expect(spaced.approximations == ["'[ -]*' read as at most one space or hyphen"])
    }

    /// A word written between spaces (`(?:^|\s)we\s`) is read as a whole word, and says so; the
    /// same ending without that start is still a character class.
    @Test func aWordBetweenSpacesIsAWholeWord() throws {
        let spaced = try ValePattern.expand("(?:^|\\s)we\\s")
        #expect(spaced.phrases == ["we"] && spaced.leadingBoundary && spaced.trailingBoundary)
        #expect(spaced.approximations == ["'(?:^|\\s)' read as a word boundary",
                                          "'\\s' at the end read as a word boundary (a word followed by punctuation matches too)"])
        let ahead = try ValePattern.expand("(?i)(?:\\s|^)our team(?=\\s)")
        #expect(ahead.phrases == ["our team"] && ahead.caseInsensitive && ahead.trailingBoundary)
        #expect(ahead.approximations.last == "'(?=\\s)' at the end read as a word boundary (a word followed by punctuation matches too)")
        #expect(throws: ValePattern.Unsupported(reason: "'we,' ends with ',', not a letter or digit, so it cannot be matched as whole words")) {
            try ValePattern.expand("(?:^|\\s)we,\\s")
        }
        #expect(throws: ValePattern.Unsupported(reason: "a character class '\\s'")) { try ValePattern.expand("we\\s") }
    }

    @Test(arguments: [
        ("\\d{1,2} ?[ap]m", "a character class '\\d'"),
        ("auto-\\w+", "a character class '\\w'"),
        ("it's(?=\\.)", "a lookahead '(?=…)'"),
        ("(?<=\\s)-x", "a lookbehind '(?<=…)'"),
        ("^But", "an anchor '^' (start or end of a line or scope)"),
        ("top of .{2,8}", "'.', any character"),
        ("[^\\s-]+ly", "a negated character set '[^…]'"),
        ("[a-z]+x", "a character range '[a-z]'"),
        ("p = 0\\.0{2,4}", "a counted repetition '{…}'"),
        ("x+", "a repetition '+' (one or more of something)"),
        ("(a)\\1", "a back reference '\\1'"),
        ("a\\bb", "a word boundary '\\b' inside the pattern"),
        (", so to speak", "', so to speak' starts with ',', not a letter or digit, so it cannot be matched as whole words"),
        ("vs\\.", "'vs.' ends with '.', not a letter or digit, so it cannot be matched as whole words"),
        ("(?:a|b", "an unclosed '('"),
    ])
    func notWordLists(pattern: String, reason: String) {
        #expect(throws: ValePattern.Unsupported(reason: reason)) { try ValePattern.expand(pattern) }
    }

    @Test func aPatternOfTooManyPhrasesIsNotAList() {
        #expect(throws: ValePattern.Unsupported(reason: "it stands for more than 256 phrases")) {
            try ValePattern.expand("[ab][ab][ab][ab][ab][ab][ab][ab][ab]")
        }
    }
}

/// `ValeImporter` on small Vale styles written here: what each rule becomes, what is reported,
/// and that the style it writes loads and does what the Vale rule asks.
@Suite struct ValeImporterTests {
    /// A Vale style folder `Test` with these rule files, converted.
    func convert(_ rules: [String: String]) throws -> (ValeImport, TemporaryRepository) {
        var files: [String: String] = [:]
        for (name, text) in rules { files["Test/\(name).yml"] = text }
        let repository = try TemporaryRepository(files)
        return (try ValeImporter().convert(path: repository.root + "/Test"), repository)
    }

    /// The converted style, written into a repository and loaded as `housestyle` loads it.
    func load(_ converted: ValeImport) throws -> Style {
        let repository = try TemporaryRepository(["styles/\(converted.name).yaml": converted.styleFile()])
        return try StyleLoader().load(path: repository.root + "/styles/\(converted.name).yaml")
    }

    func rewrite(_ text: String, with style: Style) throws -> Rewrite {
        try Pipeline(style: style, resources: testResources).rewrite(text, path: "doc.md")
    }

    @Test func substitutionBecomesTermsWithTheRulesLevelAndCase() throws {
        let (converted, _) = try convert([
            "Terms": """
                extends: substitution
                message: "Use '%s' instead of '%s'."
                level: error
                ignorecase: true
                swap:
                  (?:e-mail|electronic mail): email
                  chat ?bots?: chatbot(s)
                  fire(?:m[ae]n|wom[ae]n): firefighter(s)
                  kill: stop|exit
                  within the (.*)?directory: in the $1 directory
                """,
            "Names": """
                extends: substitution
                message: "Use '%s' instead of '%s'."
                ignorecase: false
                swap:
                  android: Android
                """,
        ])
        #expect(converted.terms.map(\.use) == ["Android", "email", "chatbot", "firefighter", "firefighters"])
        #expect(converted.terms.map(\.insteadOf) == [["android"], ["e-mail", "electronic mail"], ["chat bot"], ["fireman", "firewoman"],
                                                      ["firemen", "firewomen"]])
        // Vale's default level is warning; ignorecase: false is case_sensitive.
        #expect(converted.terms.map(\.level) == [.warning, .error, .error, .error, .error])
        #expect(converted.terms.map(\.caseSensitive) == [true, false, false, false, false])
        // Several replacements: reported, never picked.
        #expect(converted.avoid.map(\.word) == ["kill"])
        #expect(converted.avoid.first?.reportOnly == true)
        #expect(converted.avoid.first?.note == "Use 'stop' or 'exit' instead of 'kill'.")
        #expect(converted.avoid.first?.rule == "Test.Terms")
        let terms = try #require(converted.rules.first { $0.rule == "Test.Terms" })
        #expect(terms.outcome == .partial)
        #expect(terms.issues.map(\.text) == ["'within the (.*)?directory' -> 'in the $1 directory': the replacement uses a capture group"])
        #expect(terms.issues.first?.mark?.line == 10)
        #expect(converted.rules.first { $0.rule == "Test.Names" }?.outcome == .full)

        let style = try load(converted)
        let result = try rewrite("Send an e-mail to the chat bots and the firemen; kill it. The android app.", with: style)
        #expect(result.text == "Send an email to the chatbots and the firefighters; kill it. The Android app.")
        let findings = result.checkFindings()
        #expect(findings.map(\.level) == [.error, .error, .error, .error, .warning])
        // Each edit and finding carries the name of the Vale rule its entry came from.
        #expect(findings.map(\.rule) == ["Test.Terms", "Test.Terms", "Test.Terms", "Test.Terms", "Test.Names"])
        #expect(style.terms.map(\.rule) == ["Test.Names", "Test.Terms", "Test.Terms", "Test.Terms", "Test.Terms"])
    }

    @Test func existenceBecomesAvoidEntriesThatAreReported() throws {
        let (converted, _) = try convert([
            "Weasel": """
                extends: existence
                message: "'%s' is a weasel word!"
                ignorecase: true
                level: suggestion
                tokens:
                  - very
                  - is a number
                  - happy[ -]*hours?
                  - '\\d+ ?x'
                exceptions:
                  - is a number of
                """,
            "Cut": """
                extends: existence
                message: "Remove '%s'."
                level: warning
                ignorecase: true
                action:
                  name: remove
                tokens: [simply, abnormally]
                """,
            "Notes": """
                extends: existence
                message: "'%s' left in text."
                tokens: [TODO, FIXME]
                """,
        ])
        #expect(converted.avoid.map(\.word) == ["simply", "abnormally", "TODO", "FIXME", "very", "is a number", "happy hours", "happy hour",
                                                "happy-hours", "happy-hour", "happyhours", "happyhour"])
        // Vale reports what an existence rule finds; only its own 'remove' fix removes a filler.
        #expect(converted.avoid.map(\.reportOnly) == [false, false, true, true, true, true, true, true, true, true, true, true])
        #expect(converted.avoid.map(\.caseSensitive) == [false, false, true, true, false, false, false, false, false, false, false, false])
        let weasel = try #require(converted.rules.first { $0.rule == "Test.Weasel" })
        #expect(weasel.outcome == .partial)
        #expect(weasel.issues.map(\.text) == [
            "'happy[ -]*hours?': '[ -]*' read as at most one space or hyphen",
            "'\\d+ ?x' is not a list of words: a character class '\\d'",
            "the exception 'is a number of' is not kept: housestyle cannot exempt a phrase longer than the words it matches",
        ])
        #expect(converted.rules.first { $0.rule == "Test.Cut" }?.issues.map(\.text) == [
            "its fix (remove) is applied only to the filler words housestyle removes safely; 1 of 2 words are only reported",
        ])
        #expect(converted.rules.first { $0.rule == "Test.Notes" }?.outcome == .full)

        let style = try load(converted)
        let result = try rewrite("Simply note it. A very abnormally long TODO, not a todo.", with: style)
        #expect(result.text == "Note it. A very abnormally long TODO, not a todo.")
        #expect(result.findings.map(\.message) == [
            "avoid 'very'; 'very' is a weasel word!",
            "avoid 'abnormally'; Remove 'abnormally'.",
            "avoid 'TODO'; 'TODO' left in text.",
        ])
        #expect(result.findings.map(\.rule) == ["Test.Weasel", "Test.Cut", "Test.Notes"])
        #expect(result.edits.map(\.edit.rule) == ["Test.Cut"])
        #expect(result.findings.map(\.level) == [.suggestion, .warning, .warning])
    }

    @Test func checksWithoutAWordListAreReportedWithWhy() throws {
        let (converted, _) = try convert([
            "Length": "extends: occurrence\nmessage: Too long.\nscope: sentence\nmax: 30\ntoken: '\\b(\\w+)\\b'\n",
            "Heads": "extends: existence\nmessage: No.\nscope: heading\ntokens: [foo]\n",
            "Passive": "extends: existence\nmessage: Passive.\nraw: ['\\b(am|is)\\b\\s*']\ntokens: ['[\\w]+ed']\n",
            "Case": "extends: capitalization\nmessage: Case.\nmatch: $title\n",
        ])
        #expect(converted.rules.map(\.rule) == ["Test.Case", "Test.Heads", "Test.Length", "Test.Passive"])
        #expect(converted.rules.allSatisfy { $0.outcome == .none })
        #expect(converted.rules.map { $0.issues.map(\.text) } == [
            ["it checks the capitalization of a scope (such as sentence-case headings); housestyle has no such rule"],
            ["its scope is 'heading'; housestyle's rules apply to all prose, so converting it would report matches everywhere"],
            ["it counts occurrences in a scope (such as words per sentence); housestyle has no such rule"],
            ["'raw' is a regular expression ('\\b(am|is)\\b\\s*'), not a list of words"],
        ])
        // Each is listed in the file too, so nothing is dropped without a word.
        let file = converted.styleFile()
        for rule in converted.rules { #expect(file.contains("#   \(rule.rule) ("), "\(rule.rule) is not listed") }
        #expect(converted.check(path: "styles/x.yaml").diagnostics.isEmpty)
    }

    @Test func contractionSwapsBecomeTheContractionsStage() throws {
        let (converted, _) = try convert([
            "Contractions": """
                extends: substitution
                message: "Use '%s' instead of '%s'."
                level: suggestion
                ignorecase: true
                swap:
                  do not: don't
                  'it is(?!\\.)': it's
                  'it''s(?=\\.)': it is
                  cannot: can't
                  how is: how's
                """,
        ])
        #expect(converted.contractions == ValeImport.Contractions(policy: .prefer, level: .suggestion, rules: ["Test.Contractions"]))
        #expect(converted.terms.map(\.use) == ["how's"])
        #expect(converted.rules.first?.issues.filter(\.lossy).map(\.text) == ["'it's(?=\\.)' is not a list of words: a lookahead '(?=…)'"])
        let style = try load(converted)
        #expect(style.contractions == .prefer && style.levels == [.contractions: .suggestion])
        #expect(converted.styleFile().contains("\ncontractions: prefer\nlevels: {contractions: suggestion}\nrules: {contractions: Test.Contractions}\n"))
        // The contractions stage reports under the Vale rule's name, which --only and --skip take.
        #expect(style.ruleNames == [.contractions: "Test.Contractions"])
        let result = try rewrite("Do not stop: it is fast. I know what it is.", with: style)
        #expect(result.text == "Don't stop: it's fast. I know what it is.")
        #expect(result.checkFindings().map(\.level) == [.suggestion, .suggestion])
        #expect(result.checkFindings().map(\.rule) == ["Test.Contractions", "Test.Contractions"])
        #expect(result.edits.flatMap(\.parts).map(\.stageID) == ["contractions", "contractions"])
        #expect(RuleSelection.rules(of: style).contains("Test.Contractions"))
        for (selection, text) in [(RuleSelection(skip: ["Test.Contractions"]), "Do not stop: it is fast."),
                                  (RuleSelection(skip: ["contractions"]), "Do not stop: it is fast."),
                                  (RuleSelection(only: ["Test.Contractions"]), "Don't stop: it's fast."),
                                  (RuleSelection(only: ["terms"]), "Do not stop: it is fast.")] {
            let selected = try Pipeline(style: style.selecting(selection), resources: testResources).selecting(selection)
            #expect(try selected.rewrite("Do not stop: it is fast.", path: "doc.md").text == text, "\(selection)")
        }
    }

    @Test func aBrokenRuleFileIsALocatedError() throws {
        let broken = try TemporaryRepository([
            "Yaml/Bad.yml": "extends: existence\ntokens: [a, b\n",
            "Check/Bad.yml": "extends: existance\nmessage: x\n",
            "Level/Bad.yml": "extends: existence\nmessage: x\nlevel: fatal\n",
        ])
        let root = broken.root
        #expect(throws: ImportError.invalidRule(mark: .init(path: root + "/Check/Bad.yml", line: 1, column: 10),
            reason: "'extends' must be one of existence, substitution, occurrence, repetition, consistency, conditional, capitalization, "
                + "metric, readability, spelling, sequence, script, found 'existance'")) {
            try ValeImporter().convert(path: root + "/Check")
        }
        #expect(throws: ImportError.invalidRule(mark: .init(path: root + "/Level/Bad.yml", line: 3, column: 8),
                                                reason: "'level' must be one of suggestion, warning, error, found 'fatal'")) {
            try ValeImporter().convert(path: root + "/Level")
        }
        do {
            _ = try ValeImporter().convert(path: root + "/Yaml")
            Issue.record("broken YAML converted")
        } catch {
            #expect("\(error)".hasPrefix(root + "/Yaml/Bad.yml:3:1: error: invalid YAML"), "\(error)")
        }
        #expect(throws: ImportError.notAValeSource(path: root)) { try ValeImporter().convert(path: root) }
    }

    /// A `.vale.ini`: styles, sections, rule switches and levels, MinAlertLevel, vocabularies.
    @Test func aConfigurationWithVocabularies() throws {
        let repository = try TemporaryRepository([
            ".vale.ini": """
                StylesPath = styles
                MinAlertLevel = warning
                Vocab = Base

                [*]
                BasedOnStyles = Vale, House

                [*.md]
                House.Quiet = NO
                House.Loud = error

                [*.rst]
                BasedOnStyles = Other
                """,
            "styles/House/Terms.yml": "extends: substitution\nmessage: x\nignorecase: true\nswap:\n  backend: server\n  e-mail: email\n",
            "styles/House/Loud.yml": "extends: existence\nmessage: x\nlevel: suggestion\ntokens: [awesome]\n",
            "styles/House/Quiet.yml": "extends: existence\nmessage: x\ntokens: [hush]\n",
            "styles/House/Low.yml": "extends: existence\nmessage: x\nlevel: suggestion\ntokens: [meh]\n",
            "styles/config/vocabularies/Base/accept.txt": "MongoDB\nbackend\n[Oo]bservability\n",
            "styles/config/vocabularies/Base/reject.txt": "foobar\n",
        ])
        let converted = try ValeImporter().convert(path: repository.root)
        #expect(converted.rules.map(\.rule) == ["Vale.Terms", "Vale.Avoid", "Vale.Spelling", "Vale.Repetition", "House.Loud", "House.Low",
                                                "House.Quiet", "House.Terms"])
        #expect(converted.rules.map(\.outcome) == [.full, .full, .none, .none, .full, .none, .none, .full])
        // Accepted words keep their case, are exceptions to every rule, and are protected from learned edits.
        #expect(converted.terms.map(\.use) == ["MongoDB", "email"])
        #expect(converted.terms.first?.level == .error)
        #expect(converted.protected == ["MongoDB", "backend", "Observability", "observability"])
        #expect(converted.avoid.map(\.word) == ["foobar", "awesome"])
        #expect(converted.avoid.map(\.level) == [.error, .error])
        #expect(converted.rules.first { $0.rule == "House.Low" }?.issues.map(\.text)
            == ["its level (suggestion) is below MinAlertLevel (warning), so Vale does not report it"])
        #expect(converted.rules.first { $0.rule == "House.Quiet" }?.issues.first?.mark?.line == 9)
        #expect(converted.notes.map(\.text) == [
            "[*.md] applies to some of the files housestyle reads (.md, .markdown, .txt); the style applies its rules to all of them",
            "[*.rst] is not imported: it names no Markdown or text files, which are what housestyle reads",
        ])
        let style = try load(converted)
        #expect(style.learned.never.map(\.word) == converted.protected)
        let result = try rewrite("The mongodb backend sends e-mail; foobar is awesome.", with: style)
        #expect(result.text == "The MongoDB backend sends email; foobar is awesome.")
        #expect(result.checkFindings().map(\.level) == [.error, .warning, .error, .error])
    }

    @Test func aConfigurationNamingAMissingStyleIsALocatedError() throws {
        let repository = try TemporaryRepository([".vale.ini": "StylesPath = styles\n\n[*]\nBasedOnStyles = Nope\n", "styles/.keep": ""])
        #expect(throws: ImportError.missingStyle(mark: .init(path: repository.root + "/.vale.ini", line: 4, column: 1), style: "Nope",
                                                 stylesPath: repository.root + "/styles")) {
            try ValeImporter().convert(path: repository.root)
        }
        let levels = try TemporaryRepository([".vale.ini": "StylesPath = .\n[*]\nBasedOnStyles = S\nS.R = loud\n", "S/R.yml": "extends: existence\nmessage: x\ntokens: [a]\n"])
        #expect(throws: ImportError.invalidConfig(mark: .init(path: levels.root + "/.vale.ini", line: 4, column: 1),
                                                  reason: "'S.R' must be YES, NO, suggestion, warning or error, found 'loud'")) {
            try ValeImporter().convert(path: levels.root)
        }
    }

    @Test func scalarsReadBackAsTheSameStrings() throws {
        for text in ["plain words", "yes", "24/7", "it's", "a: b", "#tag", "[x]", "{y}", "quote \" and \\ back", "-dash", "e.g.", "Ångström",
                     "x, y", "tl;dr", "null", "  padded"] {
            let yaml = "v: [\(ValeImport.scalar(text))]\n"
            let value = try YAMLParser.parse(yaml, path: "x.yaml").root["v"]?.sequence?.first?.scalar?.value
            #expect(value == .string(text), "\(text) written as \(ValeImport.scalar(text))")
        }
    }
}
