import Foundation
import Testing
import HouseStyleYAML
@testable import HouseStyle

struct StyleDecodingTests {
    @Test func minimalStyleGetsTheDocumentedDefaults() throws {
        let style = try fixtureStyle("minimal")
        #expect(style.version == 1)
        #expect(style.name == "minimal")
        #expect(style.locale == "en-US")
        #expect(style.description == nil)
        #expect(style.corpus == Corpus())
        #expect(style.terms.isEmpty && style.avoid.isEmpty)
        #expect(style.spelling == .keep && style.contractions == .keep)
        #expect(style.punctuation == Punctuation(quotes: .keep, oxfordComma: nil, dashes: .keep, ellipsis: .keep))
        #expect(style.rewrite == RewriteSettings(confidence: 0.7, minSimilarity: 0.85, preserve: [.numbers, .urls, .code, .entities, .negation]))
        #expect(style.model == ModelSettings(base: nil, epochs: 3, loraRank: 8, learningRate: 0.0005, batchSize: 16, seed: 0, maxSentences: 20_000))
        #expect(style.learned == LearnedSettings(sources: [.pairs, .retrieval, .thesaurus], never: [], targetPrecision: 0.9))
        #expect(style.stages.pre == [.builtin(.normalize), .builtin(.markdown), .builtin(.segment)])
        #expect(style.stages.post == [.builtin(.terms), .builtin(.avoid), .builtin(.spelling), .builtin(.contractions), .builtin(.punctuation)])
        #expect(style.chain.map(\.name) == ["minimal"])
        #expect(style.root == fixtureRepository)
    }

    @Test func everyKeyIsDecoded() throws {
        let style = try fixtureStyle("full")
        #expect(style.name == "full-house")
        #expect(style.chain.map(\.name) == ["full-house", "base"])
        #expect(style.locale == "en-GB")
        #expect(style.description == "Every setting, for the tests.")
        #expect(style.corpus.voice.map(\.pattern) == ["corpora/voice/**/*.md"])
        #expect(try style.corpus.voice.first?.files() == [
            fixtureRepository + "/corpora/voice/deep/guide.md", fixtureRepository + "/corpora/voice/intro.md",
        ])
        #expect(style.corpus.contrast.map(\.pattern) == ["corpora/contrast/*.txt"])
        #expect(style.corpus.pairs.map(\.pattern) == ["corpora/edits.tsv"])
        let path = fixtureRepository + "/styles/full.yaml"
        // The parent's terms first; the child's `sign in` replaces the parent's in place.
        #expect(style.terms == [
            TermRule(use: "sign in", insteadOf: ["login", "log-in"], level: .error, mark: SourceMark(path: path, line: 16, column: 5)),
            TermRule(use: "email", insteadOf: ["e-mail"],
                     mark: SourceMark(path: fixtureRepository + "/styles/base.yaml", line: 10, column: 5)),
            TermRule(use: "Acme Cloud", insteadOf: ["acme cloud", "AcmeCloud"], caseSensitive: true, note: "product name",
                     mark: SourceMark(path: path, line: 12, column: 5)),
        ])
        #expect(style.avoid.map(\.word) == ["simply", "obviously", "utilize"])
        #expect(style.avoid.first == AvoidRule(word: "simply", caseSensitive: true, reportOnly: true, level: .suggestion,
                                               mark: SourceMark(path: path, line: 19, column: 5)))
        // `levels` merges stage by stage: the child's spelling level replaces the parent's.
        #expect(style.levels == [.spelling: .error, .avoid: .warning, .learned: .suggestion])
        #expect(style.avoid.last == AvoidRule(word: "utilize", instead: "use", note: "plain words", mark: SourceMark(path: path, line: 20, column: 5)))
        #expect(style.spelling == .british)
        #expect(style.contractions == .prefer)
        #expect(style.punctuation == Punctuation(quotes: .curly, oxfordComma: true, dashes: .en, ellipsis: .character))
        #expect(style.rewrite == RewriteSettings(confidence: 0.8, minSimilarity: 0.9, preserve: [.numbers, .urls]))
        #expect(style.model == ModelSettings(base: "models/base", epochs: 5, loraRank: 4, learningRate: 0.001, batchSize: 8, seed: 7, maxSentences: 500))
        #expect(style.stages.pre.map(\.displayName) == ["normalize", "markdown"])
        // `markdown` takes no options: `{markdown: {front_matter: true}}` is an error when the
        // style is read (StageOptionTests), no longer at the first rewrite.
        #expect(style.stages.pre[1] == .builtin(.markdown))
        // `never` adds to the parent's list (a repeat, in another case, is not added again);
        // `sources` and `target_precision` replace the parent's.
        #expect(style.learned.sources == [.vectors, .pairs])
        #expect(style.learned.never == [
            LearnedVeto(word: "leverage", mark: SourceMark(path: fixtureRepository + "/styles/base.yaml", line: 28, column: 11)),
            LearnedVeto(word: "utilize", replacement: "use", mark: SourceMark(path: path, line: 53, column: 7)),
            LearnedVeto(word: "in order to", mark: SourceMark(path: path, line: 54, column: 7)),
        ])
        #expect(style.learned.targetPrecision == 0.95)
        #expect(style.stages.post.count == 3)
        #expect(style.stages.post[2] == .command(CommandStage(
            argv: ["./tools/house-dates", "--strict"], timeout: 5, name: "dates", mark: SourceMark(path: path, line: 47, column: 7))))
    }

    @Test func quotedNumbersAndYesAreStringsNotNumbersOrBooleans() throws {
        #expect(try diagnostics(for: "version: '1'\n") == [
            "styles/test.yaml:1:10: error: expected a whole number for 'version', found the string '1'"
        ])
        #expect(try diagnostics(for: "version: 1\nname: 'yes'\nterms:\n  - use: '24'\n    instead_of: ['twenty-four']\n").isEmpty)
    }

    @Test func aliasesInAStyleFileAreResolved() throws {
        let source = "version: 1\nterms:\n  - use: sign in\n    instead_of: &old [login, log-in]\navoid: *old\n"
        let repository = try TemporaryRepository(["styles/test.yaml": source])
        let style = try StyleLoader().load(path: repository.root + "/styles/test.yaml")
        #expect(style.avoid.map(\.word) == ["login", "log-in"])
    }

    @Test func nameOrPathLookup() {
        #expect(StyleLoader.path(forNameOrPath: "acme") == "styles/acme.yaml")
        #expect(StyleLoader.path(forNameOrPath: "acme", stylesDirectory: "/repo/styles") == "/repo/styles/acme.yaml")
        #expect(StyleLoader.path(forNameOrPath: "acme.yaml") == "acme.yaml")
        #expect(StyleLoader.path(forNameOrPath: "x/acme") == "x/acme")
    }

    @Test(arguments: [
        ("styles/acme.yaml", "."), ("/repo/styles/acme.yaml", "/repo"), ("a/b/styles/acme.yaml", "a/b"),
        ("acme.yaml", ".."), ("./acme.yaml", ".."), ("/styles/acme.yaml", "/"),
    ])
    func repositoryRootIsTheParentOfTheStylesFolder(path: String, root: String) {
        #expect(StyleLoader.repositoryRoot(ofStyleFile: path) == root)
    }

    @Test func resolvedStyleEncodesAsSortedJSON() throws {
        let repository = try TemporaryRepository([
            "styles/test.yaml": """
                version: 1
                terms: [{use: Acme, instead_of: [acme], level: error, rule: House.Terms}]
                avoid: [simply]
                levels: {contractions: suggestion}
                rules: {contractions: House.Contractions}
                learned: {never: [leverage, utilize->use]}
                stages: {pre: [normalize, markdown], post: [{command: [./x], timeout: 2.5}]}
                """,
        ])
        let style = try StyleLoader().load(path: repository.root + "/styles/test.yaml")
        let json = style.jsonString().replacingOccurrences(of: repository.root, with: "<repo>")
        #expect(json == """
            {
              "avoid" : [
                {
                  "case_sensitive" : false,
                  "instead" : null,
                  "level" : null,
                  "note" : null,
                  "report_only" : false,
                  "rule" : null,
                  "word" : "simply"
                }
              ],
              "chain" : [
                {
                  "name" : "test",
                  "path" : "<repo>/styles/test.yaml",
                  "root" : "<repo>"
                }
              ],
              "commands" : [
                {
                  "command" : [
                    "./x"
                  ],
                  "command_line" : "./x",
                  "declared_at" : {
                    "column" : 45,
                    "line" : 7,
                    "path" : "<repo>/styles/test.yaml"
                  },
                  "name" : "./x",
                  "timeout" : 2.5
                }
              ],
              "contractions" : "keep",
              "corpus" : {
                "contrast" : [

                ],
                "pairs" : [

                ],
                "voice" : [

                ]
              },
              "description" : null,
              "ignore" : {
                "blocks" : [

                ],
                "inline" : [

                ],
                "presets" : [
                  "hugo",
                  "liquid",
                  "math"
                ]
              },
              "learned" : {
                "never" : [
                  "leverage",
                  "utilize -> use"
                ],
                "sources" : [
                  "pairs",
                  "retrieval",
                  "thesaurus"
                ],
                "target_precision" : 0.9
              },
              "levels" : {
                "avoid" : null,
                "contractions" : "suggestion",
                "learned" : null,
                "punctuation" : null,
                "smart_quotes" : null,
                "spelling" : null,
                "terms" : null
              },
              "locale" : "en-US",
              "model" : {
                "base" : null,
                "batch_size" : 16,
                "epochs" : 3,
                "learning_rate" : 0.0005,
                "lora_rank" : 8,
                "max_sentences" : 20000,
                "seed" : 0
              },
              "name" : "test",
              "punctuation" : {
                "dashes" : "keep",
                "ellipsis" : "keep",
                "oxford_comma" : null,
                "quotes" : "keep"
              },
              "rewrite" : {
                "confidence" : 0.7,
                "min_similarity" : 0.85,
                "preserve" : [
                  "numbers",
                  "urls",
                  "code",
                  "entities",
                  "negation"
                ]
              },
              "root" : "<repo>",
              "rules" : {
                "contractions" : "House.Contractions",
                "punctuation" : null,
                "smart_quotes" : null,
                "spelling" : null
              },
              "spelling" : "keep",
              "stages" : {
                "post" : [
                  {
                    "command" : [
                      "./x"
                    ],
                    "name" : null,
                    "timeout" : 2.5
                  }
                ],
                "pre" : [
                  "normalize",
                  "markdown"
                ]
              },
              "terms" : [
                {
                  "case_sensitive" : false,
                  "instead_of" : [
                    "acme"
                  ],
                  "level" : "error",
                  "note" : null,
                  "rule" : "House.Terms",
                  "use" : "Acme"
                }
              ],
              "version" : 1
            }
            """)
    }

    @Test func builtinStageIDsAreUniqueAndMatchTheDocumentedList() {
        let ids = BuiltinStageID.allCases.map(\.rawValue)
        #expect(Set(ids).count == ids.count)
        #expect(ids == ["normalize", "markdown", "segment", "terms", "avoid", "spelling", "contractions", "punctuation", "smart_quotes", "learned"])
    }

    @Test(arguments: [
        ("contractons", ["contractions", "corpus"], "contractions"), ("smartquotes", ["smart_quotes", "segment"], "smart_quotes"),
        ("nme", ["name"], "name"), ("banana", ["quotes", "dashes"], nil), ("Locale", ["locale"], "locale"),
        ("epochz", ["epochs", "seed"], "epochs"), ("teh", ["the"], "the"),
    ] as [(String, [String], String?)])
    func didYouMean(word: String, candidates: [String], expected: String?) {
        #expect(closestMatch(to: word, among: candidates) == expected)
    }
}
