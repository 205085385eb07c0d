import Testing
@testable import HouseStyle

struct StyleExtendsTests {
    @Test func childOverridesAndMergesItsParent() throws {
        let style = try fixtureStyle("child")
        #expect(style.chain.map(\.name) == ["child", "base"])
        #expect(style.chain.map(\.path) == [fixtureRepository + "/styles/child.yaml", fixtureRepository + "/styles/base.yaml"])
        // Scalars: the child's where set, else the parent's.
        #expect(style.spelling == .british)
        #expect(style.contractions == .avoid)
        #expect(style.locale == "en-US")
        // Never inherited.
        #expect(style.name == "child")
        #expect(style.description == nil)
        // Nested mappings merge key by key.
        #expect(style.punctuation == Punctuation(quotes: .curly, oxfordComma: false))
        #expect(style.rewrite.confidence == 0.6)
        #expect(style.model.seed == 11)
        #expect(style.model.epochs == 2)
        // Corpus lists replace per key.
        #expect(style.corpus.voice.map(\.pattern) == ["corpora/voice/deep/*.md"])
        #expect(style.corpus.contrast.map(\.pattern) == ["corpora/contrast/*.txt"])
        // Terms merge by `use`: the child's `email` replaces the parent's in place.
        #expect(style.terms.map(\.use) == ["sign in", "email", "website"])
        #expect(style.terms[1].insteadOf == ["E-mail", "e-mail"])
        #expect(style.terms[1].caseSensitive)
        // Avoid is a union by word; the child's entry for a word wins.
        #expect(style.avoid.map(\.word) == ["simply", "obviously", "basically"])
        #expect(style.avoid[1].instead == "clearly")
        // `learned.never` adds to the parent's list; `sources` and `target_precision` are inherited.
        #expect(style.learned.never.map(\.text) == ["leverage", "synergy"])
        #expect(style.learned.sources == [.thesaurus])
        #expect(style.learned.targetPrecision == 0.8)
        // Stages replace per phase.
        #expect(style.stages.pre == [.builtin(.normalize)])
        #expect(style.stages.post == [.builtin(.terms)])
        // A voice corpus without the learned stage: valid, but worth a warning.
        #expect(style.warnings.map(\.description) == [
            fixtureRepository + "/styles/child.yaml: warning: the style has a voice corpus but no 'learned' stage in stages.post, "
                + "so 'train' learns edits that rewrite never applies"
        ])
        #expect(try fixtureStyle("minimal").warnings.isEmpty)
    }

    @Test func parentByPathIsRelativeToTheRepositoryRootAndItsGlobsToItsOwnRoot() throws {
        let style = try fixtureStyle("grandchild")
        #expect(style.chain.map(\.name) == ["grandchild", "child", "base"])
        #expect(style.chain.map(\.path) == [
            fixtureRepository + "/styles/grandchild.yaml",
            fixtureRepository + "/other/styles/child.yaml",
            fixtureRepository + "/other/styles/base.yaml",
        ])
        #expect(style.locale == "en-AU")
        #expect(style.rewrite.minSimilarity == 0.95)
        #expect(try style.corpus.voice.flatMap { try $0.files() } == [fixtureRepository + "/other/corpora/voice/deep/other.md"])
    }

    @Test func cycleShowsTheChain() {
        #expect(fixtureDiagnostics("cycle-a") == ["styles/cycle-c.yaml:2:10: error: 'extends' forms a cycle: cycle-a -> cycle-b -> cycle-c -> cycle-a"])
        #expect(fixtureDiagnostics("self") == ["styles/self.yaml:2:10: error: 'extends' forms a cycle: self -> self"])
    }

    @Test func missingParentSuggestsASibling() {
        #expect(fixtureDiagnostics("orphan") == [
            "styles/orphan.yaml:2:10: error: cannot find the parent style 'bsae': no file styles/bsae.yaml; did you mean 'base'?"
        ])
    }

    @Test func missingParentByPath() throws {
        #expect(try diagnostics(for: "version: 1\nextends: shared/base.yaml\n") == [
            "styles/test.yaml:2:10: error: cannot find the parent style 'shared/base.yaml': no file shared/base.yaml"
        ])
    }

    @Test func mistakesInAParentAreReportedAfterTheChilds() {
        #expect(fixtureDiagnostics("broken-parent") == [
            "styles/broken.yaml:2:11: error: invalid value 'british' for 'spelling'; expected one of: en-GB, en-US, keep",
            "styles/broken.yaml:4:15: error: expected a number for 'rewrite.confidence', found the string 'high'",
        ])
    }

    @Test func parentYAMLErrorsNameTheParentFile() throws {
        let files = ["styles/base.yaml": "version: 1\nlocale: [en\n"]
        #expect(try diagnostics(for: "version: 1\nextends: base\nspellng: en-GB\n", files: files) == [
            "styles/test.yaml:3:1: error: unknown key 'spellng'; did you mean 'spelling'?",
            "styles/base.yaml:3:1: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 9)",
        ])
    }

    @Test func parentCorpusGlobsThatMatchNothingPointAtTheParent() throws {
        let files = ["styles/base.yaml": "version: 1\ncorpus:\n  pairs: [edits/*.tsv]\n"]
        #expect(try diagnostics(for: "version: 1\nextends: base\n", files: files) == [
            "styles/base.yaml:3:11: error: no file matches 'edits/*.tsv' in 'corpus.pairs' (globs are relative to '<repo>')"
        ])
    }
}
