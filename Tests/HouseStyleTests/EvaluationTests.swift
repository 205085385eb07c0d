import Foundation
import Testing
@testable import HouseStyle

/// One case of `Fixtures/sacrebleu.json`, written by scripts/reference/make_sacrebleu_fixture.py
/// with sacreBLEU 2.6.0.
struct SacreBLEUCase: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var hypotheses: [String]
    var references: [[String]]
    var corpus_bleu: Double
    var corpus_chrf: Double
    var sentence_bleu: [Double]
    var sentence_chrf: [Double]
    var tokens_13a: [[String]]

    var testDescription: String { name }

    static let all: [SacreBLEUCase] = {
        struct File: Decodable { var cases: [SacreBLEUCase] }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sacrebleu.json")
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }()
}

@Suite struct SacreBLEUTests {
    @Test func fixtureHasEveryCase() {
        #expect(SacreBLEUCase.all.count == 8)
    }

    @Test(arguments: SacreBLEUCase.all)
    func tokensMatchSacreBLEU13a(_ fixture: SacreBLEUCase) {
        for (hypothesis, expected) in zip(fixture.hypotheses, fixture.tokens_13a) {
            #expect(Tokenizer13a.tokens(hypothesis.pythonRStrip()) == expected, "\(hypothesis)")
        }
    }

    @Test(arguments: SacreBLEUCase.all)
    func corpusScoresMatchSacreBLEUToTwoDecimals(_ fixture: SacreBLEUCase) {
        let bleu = BLEU.corpus(fixture.hypotheses, references: fixture.references)
        let chrF = ChrF.corpus(fixture.hypotheses, references: fixture.references)
        #expect(abs(bleu - fixture.corpus_bleu) < 0.005, "BLEU \(bleu) vs sacreBLEU \(fixture.corpus_bleu)")
        #expect(abs(chrF - fixture.corpus_chrf) < 0.005, "chrF \(chrF) vs sacreBLEU \(fixture.corpus_chrf)")
    }

    @Test(arguments: SacreBLEUCase.all)
    func sentenceScoresMatchSacreBLEUToTwoDecimals(_ fixture: SacreBLEUCase) {
        for (i, hypothesis) in fixture.hypotheses.enumerated() {
            let bleu = BLEU.sentence(hypothesis, references: fixture.references[i])
            let chrF = ChrF.sentence(hypothesis, references: fixture.references[i])
            #expect(abs(bleu - fixture.sentence_bleu[i]) < 0.005, "\(hypothesis): BLEU \(bleu) vs \(fixture.sentence_bleu[i])")
            #expect(abs(chrF - fixture.sentence_chrf[i]) < 0.005, "\(hypothesis): chrF \(chrF) vs \(fixture.sentence_chrf[i])")
        }
    }

    @Test func identicalTextScoresOneHundred() {
        // Up to rounding in exp(log): sacreBLEU gives 100.00000000000004 here too.
        #expect(abs(BLEU.corpus(["The cat sat on the mat ."], references: [["The cat sat on the mat ."]]) - 100) < 1e-9)
        #expect(abs(ChrF.corpus(["The cat sat on the mat ."], references: [["The cat sat on the mat ."]]) - 100) < 1e-9)
    }
}

@Suite struct TokenEditTests {
    @Test(arguments: [
        ("the food was bad .", "the food was good .", ["3: 'bad' -> 'good'"]),
        ("we will not be back .", "we will not be back .", []),
        ("it was very bad", "it was good", ["2: 'very bad' -> 'good'"]),
        ("service was slow", "the service was slow and rude", ["0: '' -> 'the'", "3: '' -> 'and rude'"]),
        ("a b c d", "a d", ["1: 'b c' -> ''"]),
        ("", "new words", ["0: '' -> 'new words'"]),
        // Curly and straight quotes are the same edit.
        ("It does not", "It doesn’t", ["1: 'does not' -> 'doesn't'"]),
        ("say “hi”", "say \"hi\"", []),
    ])
    func diffGivesTheHunksOfTheAlignment(source: String, target: String, expected: [String]) {
        #expect(TokenEdit.diff(source, target).map(\.description) == expected)
    }

    @Test func matchesCountTheMultisetIntersection() {
        let a = TokenEdit.diff("x bad y bad", "x good y good")
        let b = TokenEdit.diff("x bad y bad", "x good y awful")
        #expect(Evaluator.matches(a, b) == 1)
        #expect(Evaluator.matches(a, a) == 2)
    }

    /// Whether a system edit (source -> output, the first edit) changes what the reference keeps.
    @Test(arguments: [
        // The reference keeps "Yes": making it "Ay" changes it.
        ("Yes , if you kept them .", "Ay , if you kept them .", "Yes , being kept .", true),
        // One token made two inside a region the reference says another way: it keeps nothing there.
        ("I can't let my lips say his name ;", "I can not let my lips say his name ;", "Lips , do not move ;", false),
        // An insertion between two tokens the reference keeps side by side ...
        ("the service was slow", "the service was very slow", "the service was slow", true),
        // ... at the sentence's edge beside a kept token ...
        ("service was slow", "the service was slow", "service was slow !", true),
        // ... but not where the reference puts words of its own between them.
        ("the service was slow", "the service was very slow", "the service was really slow", false),
        // An insertion at the end beside a kept last token, and a deletion of a kept token.
        ("the service was slow", "the service was slow today", "the service was slow", true),
        ("the service was very slow", "the service was slow", "the service was very slow", true),
    ])
    func anEditTouchesWhatTheReferenceKeeps(source: String, output: String, reference: String, expected: Bool) throws {
        let edit = try #require(TokenEdit.diff(source, output).first)
        let tokens = TokenEdit.tokens(source)
        let places = TokenEdit.keptPlaces(sourceCount: tokens.count, edits: TokenEdit.diff(tokens: tokens, TokenEdit.tokens(reference)))
        #expect(edit.touchesKept(places, targetCount: TokenEdit.tokens(reference).count) == expected)
    }
}

@Suite struct EvaluationSetTests {
    @Test func pairsWithOneSourceBecomeOneRecordAndUnchangedPairsStay() throws {
        let repository = try TemporaryRepository(["edits.tsv": "It was bad.\tIt was good.\nIt was bad.\tIt was great.\nKeep me.\tKeep me.\n"])
        #expect(try EvaluationSet.pairs(repository.root + "/edits.tsv") == [
            EvaluationRecord(source: "It was bad.", references: ["It was good.", "It was great."]),
            EvaluationRecord(source: "Keep me.", references: ["Keep me."]),
        ])
    }

    @Test func referenceFilesAreLineAlignedAndEmptyLinesMeanNoReference() throws {
        let repository = try TemporaryRepository(["src.txt": "one\n\ntwo\nthree\n", "a.txt": "One\nx\nTwo\n\n", "b.txt": "1\ny\n\n3\n"])
        let root = repository.root
        #expect(try EvaluationSet.files(source: root + "/src.txt", references: [root + "/a.txt", root + "/b.txt"]) == [
            EvaluationRecord(source: "one", references: ["One", "1"]),
            EvaluationRecord(source: "two", references: ["Two"]),
            EvaluationRecord(source: "three", references: ["3"]),
        ])
    }

    @Test(arguments: [
        ("lines", "<root>/ref.txt: has 1 lines but <root>/src.txt has 2; a reference file has one line per source line"),
        ("missing", "<root>/missing.tsv: cannot read: no such file"),
        ("format", #"<root>/edits.csv: pairs files must be .tsv (before<TAB>after) or .jsonl ({"before": ..., "after": ...})"#),
        ("empty", "<root>/empty.tsv: no sentences to evaluate"),
    ])
    func errorsNameTheFile(what: String, expected: String) throws {
        let repository = try TemporaryRepository(["src.txt": "one\ntwo\n", "ref.txt": "One\n", "edits.csv": "a,b\n", "empty.tsv": "\n"])
        let root = repository.root
        do {
            switch what {
            case "lines": _ = try EvaluationSet.files(source: root + "/src.txt", references: [root + "/ref.txt"])
            case "missing": _ = try EvaluationSet.pairs(root + "/missing.tsv")
            case "format": _ = try EvaluationSet.pairs(root + "/edits.csv")
            default: _ = try EvaluationSet.pairs(root + "/empty.tsv")
            }
            Issue.record("no error")
        } catch {
            #expect("\(error)".replacingOccurrences(of: root, with: "<root>") == expected)
        }
    }
}

@Suite struct EvaluatorTests {
    /// The learned stage's tiny style: 'utilize' -> 'use' learned from pairs; a capitalised
    /// 'Utilize' mid-sentence is a name, which the entities guard keeps.
    @Test func measuresEditsAgainstEditorsAndReportsGuardEvents() throws {
        let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
        _ = repository
        let resources = Resources(styleRoot: style.root, modelRecipe: .statisticsOnly)
        _ = try Trainer(style: style, resources: resources).train()
        let pipeline = try Pipeline(style: style, resources: resources)
        let report = try Evaluator(pipeline: pipeline, model: try ModelBundle.load(style), encoder: nil).evaluate([
            EvaluationRecord(source: "Teams utilize keys to sign requests.", references: ["Teams use keys to sign requests."]),
            EvaluationRecord(source: "Teams at Utilize Labs sign requests.", references: ["Teams at Utilize Labs sign requests."]),
            EvaluationRecord(source: "We sign requests.", references: ["We always sign requests."]),
        ])
        #expect(report.sentences.map(\.output) == ["Teams use keys to sign requests.", "Teams at Utilize Labs sign requests.", "We sign requests."])
        #expect(report.editedCount == 1)
        #expect(report.bleu! > report.copyBLEU!)
        #expect(report.editCounts == (system: 1, reference: 2, matched: 1))
        #expect(report.editPrecision == 1)
        #expect(report.editRecall == 0.5)
        #expect(report.guardEvents.map { "\($0.sentence) \($0.event.kind) \($0.event.before) -> \($0.event.after)" } == ["1 entities Utilize -> use"])
        #expect(report.voiceAfter! > report.voiceBefore!)
        #expect(report.meanSimilarity == nil)
        #expect(abs(report.selfBLEU - BLEU.corpus(report.sentences.map(\.output), references: report.sentences.map { [$0.source] })) < 1e-12)
    }
}
