import Foundation
import Testing
@testable import HouseStyle

/// One test per kind of mistake, each asserting the whole printed message.
struct StyleErrorTests {
    @Test func unknownKeyWithSuggestion() throws {
        #expect(try diagnostics(for: "version: 1\ncontractons: prefer\n") == [
            "styles/test.yaml:2:1: error: unknown key 'contractons'; did you mean 'contractions'?"
        ])
    }

    @Test func unknownNestedKeyListsTheKnownKeys() throws {
        #expect(try diagnostics(for: "version: 1\npunctuation:\n  banana: 1\n") == [
            "styles/test.yaml:3:3: error: unknown key 'banana' in 'punctuation'; expected one of: quotes, oxford_comma, dashes, ellipsis"
        ])
    }

    @Test func wrongType() throws {
        #expect(try diagnostics(for: "version: 1\nrewrite:\n  confidence: [0.5]\n") == [
            "styles/test.yaml:3:15: error: expected a number for 'rewrite.confidence', found a list"
        ])
    }

    @Test(arguments: [
        ("punctuation: {oxford_comma: yes}", "1:29", "expected true or false for 'punctuation.oxford_comma', found the string 'yes'"),
        ("model: {epochs: 2.5}", "1:17", "expected a whole number for 'model.epochs', found the number 2.5"),
        ("name: 42", "1:7", "expected a string for 'name', found the number 42"),
        ("terms: {use: x}", "1:8", "expected a list for 'terms', found a mapping"),
        ("corpus: [a]", "1:9", "expected a mapping for 'corpus', found a list"),
        ("terms:\n  - Acme", "2:5", "expected a mapping with 'use' and 'instead_of' for 'terms[0]', found the string 'Acme'"),
        ("avoid: [[simply]]", "1:9", "expected a word or a mapping with 'word' for 'avoid[0]', found a list"),
        ("corpus:\n  voice: corpora/*.md", "2:10", "expected a list for 'corpus.voice', found the string 'corpora/*.md'"),
        ("spelling:", "1:10", "expected one of en-GB, en-US, keep for 'spelling', found null"),
        ("stages:\n  pre: [normalize, [markdown]]", "2:20", "expected a stage id or a mapping for 'stages.pre[1]', found a list"),
        ("stages: {pre: [{markdown: 3}]}", "1:27", "expected a mapping of options for 'stages.pre[0].markdown', found the number 3"),
    ])
    func wrongTypes(source: String, position: String, message: String) throws {
        #expect(try diagnostics(for: "version: 1\n" + source + "\n") == ["styles/test.yaml:\(bumpLine(position)): error: \(message)"])
    }

    @Test(arguments: [
        ("rewrite: {confidence: 1.5}", "1:23", "'rewrite.confidence' must be between 0 and 1, found 1.5"),
        ("rewrite: {min_similarity: -0.1}", "1:27", "'rewrite.min_similarity' must be between 0 and 1, found -0.1"),
        ("model: {lora_rank: 128}", "1:20", "'model.lora_rank' must be between 1 and 64, found 128"),
        ("model: {epochs: 0}", "1:17", "'model.epochs' must be at least 1, found 0"),
        ("model: {lora_layers: 0}", "1:22", "'model.lora_layers' must be between 1 and 64, found 0"),
        ("model: {learning_rate: 0}", "1:24", "'model.learning_rate' must be greater than 0, found 0"),
        ("model: {seed: -1}", "1:15", "'model.seed' must be at least 0, found -1"),
        ("stages: {post: [{command: [x], timeout: 0}]}", "1:41", "'stages.post[0].timeout' must be greater than 0, found 0"),
        ("learned: {target_precision: 0}", "1:29", "'learned.target_precision' must be greater than 0 and at most 1, found 0"),
        ("learned: {target_precision: 1.5}", "1:29", "'learned.target_precision' must be greater than 0 and at most 1, found 1.5"),
    ])
    func outOfRange(source: String, position: String, message: String) throws {
        #expect(try diagnostics(for: "version: 1\n" + source + "\n") == ["styles/test.yaml:\(bumpLine(position)): error: \(message)"])
    }

    @Test func corpusGlobThatMatchesNoFile() throws {
        let source = "version: 1\ncorpus:\n  voice: [corpora/voice/*.md, corpora/none/**/*.md]\n"
        #expect(try diagnostics(for: source, files: ["corpora/voice/a.md": "Text.\n"]) == [
            "styles/test.yaml:3:31: error: no file matches 'corpora/none/**/*.md' in 'corpus.voice' (globs are relative to '<repo>')"
        ])
    }

    @Test func unknownStageWithSuggestion() throws {
        #expect(try diagnostics(for: "version: 1\nstages:\n  post: [terms, smartquotes]\n") == [
            "styles/test.yaml:3:17: error: unknown stage 'smartquotes' in 'stages.post[1]'; did you mean 'smart_quotes'?"
        ])
    }

    @Test func unknownStageWithoutSuggestionListsTheBuiltins() throws {
        #expect(try diagnostics(for: "version: 1\nstages:\n  pre: [{tokenizer: {}}]\n") == [
            "styles/test.yaml:3:10: error: unknown stage 'tokenizer' in 'stages.pre[0]'; built-in stages are: normalize, "
                + "markdown, segment, terms, avoid, spelling, contractions, punctuation, smart_quotes, learned; "
                + "an external stage is written {command: [program, args...], timeout: seconds}"
        ])
    }

    @Test func stageMappingThatIsNeitherBuiltinNorCommand() throws {
        #expect(try diagnostics(for: "version: 1\nstages:\n  pre: [{markdown: {}, normalize: {}}]\n") == [
            "styles/test.yaml:3:9: error: 'stages.pre[0]' has keys 'markdown', 'normalize'; a built-in stage with options "
                + "has exactly one key, its id, and an external stage has 'command' and 'timeout'"
        ])
    }

    @Test func commandStageNeedsATimeoutAndAProgram() throws {
        #expect(try diagnostics(for: "version: 1\nstages:\n  post:\n    - command: []\n") == [
            "styles/test.yaml:4:7: error: missing required key 'timeout' in 'stages.post[0]'",
            "styles/test.yaml:4:16: error: 'stages.post[0].command' must not be empty",
        ])
    }

    @Test func invalidEnumValueListsTheAllowedOnes() throws {
        #expect(try diagnostics(for: "version: 1\nspelling: british\npunctuation:\n  dashes: long\n") == [
            "styles/test.yaml:2:11: error: invalid value 'british' for 'spelling'; expected one of: en-GB, en-US, keep",
            "styles/test.yaml:4:11: error: invalid value 'long' for 'punctuation.dashes'; expected one of: em, en, keep",
        ])
    }

    @Test func invalidPreserveEntry() throws {
        #expect(try diagnostics(for: "version: 1\nrewrite:\n  preserve: [numbers, dates]\n") == [
            "styles/test.yaml:3:23: error: invalid value 'dates' for 'rewrite.preserve[1]'; expected one of: numbers, urls, code, entities, negation"
        ])
    }

    @Test func unknownLearnedSourceWithSuggestion() throws {
        #expect(try diagnostics(for: "version: 1\nlearned:\n  sources: [pairs, retreival, synonyms]\n") == [
            "styles/test.yaml:3:20: error: unknown source 'retreival' in 'learned.sources[1]'; did you mean 'retrieval'?",
            "styles/test.yaml:3:31: error: unknown source 'synonyms' in 'learned.sources[2]'; expected one of: pairs, retrieval, thesaurus, vectors",
        ])
        #expect(try diagnostics(for: "version: 1\nlearned: {sources: [pair]}\n") == [
            "styles/test.yaml:2:21: error: unknown source 'pair' in 'learned.sources[0]'; did you mean 'pairs'?"
        ])
        #expect(try diagnostics(for: "version: 1\nlearned: {sources: thesaurus}\n") == [
            "styles/test.yaml:2:20: error: expected a list for 'learned.sources', found the string 'thesaurus'"
        ])
    }

    @Test func invalidLearnedVetoes() throws {
        #expect(try diagnostics(for: "version: 1\nlearned:\n  never: ['utilize -> ', '-> use', a -> b -> c, 3, '']\n") == [
            "styles/test.yaml:3:11: error: expected a word or 'word -> replacement' for 'learned.never[0]', found 'utilize -> '",
            "styles/test.yaml:3:26: error: expected a word or 'word -> replacement' for 'learned.never[1]', found '-> use'",
            "styles/test.yaml:3:36: error: expected a word or 'word -> replacement' for 'learned.never[2]', found 'a -> b -> c'",
            "styles/test.yaml:3:49: error: expected a word or 'word -> replacement' for 'learned.never[3]', found the number 3",
            "styles/test.yaml:3:52: error: 'learned.never[4]' must not be empty",
        ])
        #expect(try diagnostics(for: "version: 1\nlearned: {nevr: [x]}\n") == [
            "styles/test.yaml:2:11: error: unknown key 'nevr' in 'learned'; did you mean 'never'?"
        ])
    }

    @Test func invalidLocale() throws {
        #expect(try diagnostics(for: "version: 1\nlocale: British English\n") == [
            "styles/test.yaml:2:9: error: invalid locale 'British English'; expected a language tag such as en-GB or en-US"
        ])
    }

    @Test func missingRequiredKeysOfATerm() throws {
        #expect(try diagnostics(for: "version: 1\nterms:\n  - use: Acme\n  - note: nothing\n") == [
            "styles/test.yaml:3:5: error: missing required key 'instead_of' in 'terms[0]'",
            "styles/test.yaml:4:5: error: missing required key 'use' in 'terms[1]'",
            "styles/test.yaml:4:5: error: missing required key 'instead_of' in 'terms[1]'",
        ])
    }

    @Test func emptyStrings() throws {
        #expect(try diagnostics(for: "version: 1\nterms:\n  - use: ''\n    instead_of: [x]\navoid: ['  ']\n") == [
            "styles/test.yaml:3:10: error: 'terms[0].use' must not be empty",
            "styles/test.yaml:5:9: error: 'avoid[0]' must not be empty",
        ])
    }

    @Test func duplicateKey() throws {
        #expect(try diagnostics(for: "version: 1\nspelling: en-GB\nlocale: en-GB\nspelling: en-US\n") == [
            "styles/test.yaml:4:1: error: duplicate key 'spelling' (first defined at line 2, column 1)"
        ])
    }

    @Test func yamlSyntaxErrorCarriesLibyamlsPosition() throws {
        #expect(try diagnostics(for: "version: 1\nterms:\n  - use: Acme\n    instead_of: [acme\nspelling: en-GB\n") == [
            "styles/test.yaml:5:9: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 4, column 17)"
        ])
    }

    @Test func emptyFile() throws {
        #expect(try diagnostics(for: "# nothing yet\n") == [
            "styles/test.yaml:1:1: error: the file is empty; it holds no YAML document"
        ])
    }

    @Test func secondDocument() throws {
        #expect(try diagnostics(for: "version: 1\n---\nversion: 1\n") == [
            "styles/test.yaml:2:1: error: a second YAML document starts here; keep one document per file"
        ])
    }

    @Test func topLevelMustBeAMapping() throws {
        #expect(try diagnostics(for: "- version: 1\n") == [
            "styles/test.yaml:1:1: error: expected a mapping of style settings at the top of the file, found a list"
        ])
    }

    @Test func missingVersion() throws {
        #expect(try diagnostics(for: "name: acme\n") == [
            "styles/test.yaml:1:1: error: missing required key 'version'; add 'version: 1' at the top of the file"
        ])
    }

    @Test func unreadableFile() {
        let result = StyleLoader().validate(path: "/nonexistent/styles/acme.yaml")
        #expect(result.diagnostics.map(\.description) == [
            "/nonexistent/styles/acme.yaml: error: cannot read the style file: no such file or directory"
        ])
        #expect(result.style == nil)
        #expect(throws: StyleLoadError.self) { try StyleLoader().load(path: "/nonexistent/styles/acme.yaml") }
        do {
            _ = try StyleLoader().load(path: "/nonexistent/styles/acme.yaml")
        } catch {
            #expect(error.isUnreadable)
        }
    }

    @Test func aFolderIsUnreadable() throws {
        let repository = try TemporaryRepository(["styles/test.yaml/inside": ""])
        let result = StyleLoader().validate(path: repository.root + "/styles/test.yaml")
        #expect(result.diagnostics.map(\.message) == ["cannot read the style file: is a directory"])
    }

    /// Three different mistakes in one file are all reported, in the order they appear.
    @Test func everyMistakeIsReportedInOrder() throws {
        let source = """
            version: 1
            contractons: prefer
            rewrite:
              confidence: 2
            stages:
              post: [terms, smartquotes]

            """
        #expect(try diagnostics(for: source) == [
            "styles/test.yaml:2:1: error: unknown key 'contractons'; did you mean 'contractions'?",
            "styles/test.yaml:4:15: error: 'rewrite.confidence' must be between 0 and 1, found 2",
            "styles/test.yaml:6:17: error: unknown stage 'smartquotes' in 'stages.post[1]'; did you mean 'smart_quotes'?",
        ])
    }

    @Test func diagnosticsCarryKeyPathsAndTypedErrors() throws {
        let repository = try TemporaryRepository(["styles/test.yaml": "version: 1\nmodel:\n  lora_rank: 0\n"])
        let result = StyleLoader().validate(path: repository.root + "/styles/test.yaml")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.keyPath == "model.lora_rank")
        #expect(diagnostic.line == 3 && diagnostic.column == 14)
        #expect(diagnostic.error == .outOfRange(keyPath: "model.lora_rank", found: "0", allowed: .between(1, 64)))
    }

    /// `model.lora_layers` is read, and joins the bundle's fingerprint of the model settings
    /// only when it is set: bundles of styles without it stay current.
    @Test func loraLayersIsDecodedAndFingerprintedOnlyWhenSet() throws {
        let repository = try TemporaryRepository(["styles/set.yaml": "version: 1\nmodel:\n  lora_layers: 2\n",
                                                  "styles/unset.yaml": "version: 1\n"])
        let set = try StyleLoader().load(path: repository.root + "/styles/set.yaml")
        let unset = try StyleLoader().load(path: repository.root + "/styles/unset.yaml")
        #expect(set.model.loraLayers == 2)
        #expect(unset.model.loraLayers == nil)
        func model(_ style: Style) -> String {
            String(decoding: style.trainingSettings.first { $0.key == "model" }!.json, as: UTF8.self)
        }
        #expect(model(set).contains("\"lora_layers\":2"))
        #expect(!model(unset).contains("lora_layers"))
    }

    /// Sources above start on line 2 (after `version: 1`); positions are written for line 1.
    private func bumpLine(_ position: String) -> String {
        let parts = position.split(separator: ":")
        return "\(Int(parts[0])! + 1):\(parts[1])"
    }
}

/// Only regular files are read as styles, and only up to a size: `extends: /dev/zero` must not read forever,
/// and a FIFO must not block.
@Test func devicesAndFIFOsAreNotReadAsStyles() throws {
    // A parent must be a .yaml or .yml file: /dev/zero and /etc/shadow are not read at all, even
    // where the style may read (outside its project they are refused before that: ProjectScopeTests).
    for path in ["/dev/zero", "/etc/shadow"] {
        let found = try diagnostics(for: "version: 1\nextends: \(path)\n", allowedPaths: ["/"])
        #expect(found.count == 1 && found[0].contains("'\(path)'") && found[0].contains("a path to a .yaml or .yml style file"), "\(found)")
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("housestyle-fifo-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("pipe.yaml").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let fromFIFO = try diagnostics(for: "version: 1\nextends: \(fifo)\n", allowedPaths: [folder.path])
    #expect(fromFIFO.contains { $0.contains("not a regular file") }, "\(fromFIFO)")
    #expect(throws: InputError.unreadable(path: fifo, reason: "not a regular file")) { _ = try TextFile.read(fifo) }
}
