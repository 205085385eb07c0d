import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

/// `housestyle score`'s library side, with the acme scorer that `VoiceScorerTests` fine-tunes
/// (acme's corpora, 200 sentences, 2 epochs).
@Suite(.enabled(if: baseModelInstalled, skipMessage))
struct DocumentScorerTests {
    static let offVoice = "It should be noted that the restoration of a storage container may be initiated by tenant administrators "
        + "in order to facilitate the recovery of data which has been deleted."
    static let onVoice = ["You can restore a bucket from any backup in the last 35 days.", "Open the bucket, select Backups, and pick the one you want.",
                          "We'll email you when it's done."]
    /// Front matter, a heading, an on-voice paragraph, code, an off-voice paragraph and a table.
    static let document = """
        ---
        title: Restoring a bucket
        ---

        # Restore a bucket

        \(onVoice.joined(separator: " "))

        ```sh
        acme restore --bucket photos
        ```

        \(offVoice)

        | Plan | Days |
        |------|------|
        | Free | 7 |

        """

    static func scorer() throws -> DocumentScorer {
        let style = VoiceScorerTests.acme.style
        return try DocumentScorer(pipeline: Pipeline(style: style, resources: standardResources), resources: standardResources)
    }

    @Test func anOnVoiceParagraphScoresAboveAnOffVoiceOneAndComesSecond() throws {
        let result = try Self.scorer().score(Self.document, path: "restore.md")
        #expect(result.paragraphCount == 2, "front matter, heading, code and table are not paragraphs")
        #expect(result.paragraphs.map(\.line) == [13, 7], "lowest first: the off-voice paragraph, then the on-voice one")
        let (low, high) = (result.paragraphs[0], result.paragraphs[1])
        #expect(low.score < high.score - 20, "\(low.score) vs \(high.score)")
        #expect(low.score < 50 && high.score > 50, "\(low.score) vs \(high.score)")
        #expect(low.sentences == 1 && high.sentences == 3)
        #expect(low.excerpt == "It should be noted that the restoration of a storage container may be…")
        #expect(high.excerpt == "You can restore a bucket from any backup in the last 35 days. Open the…")
        let start = try #require(Self.document.range(of: "It should be noted"))
        #expect(low.column == 1 && low.start == Self.document.utf8.distance(from: Self.document.startIndex, to: start.lowerBound))
        // The document is the word-weighted mean of its paragraphs.
        let score = try #require(result.score)
        let expected = (low.score * Double(low.words) + high.score * Double(high.words)) / Double(low.words + high.words)
        #expect(abs(score - expected) <= 0.1, "\(score) vs \(expected)")
        #expect(result.scoredWords == low.words + high.words)
        // Headings and table cells count as prose words, not as scored words: "Restore a bucket", "Plan Days Free 7".
        #expect(result.words == result.scoredWords + 7)
    }

    /// A paragraph's score is the mean of its sentences' P(on-voice), weighted by their words.
    @Test func aParagraphIsTheWordWeightedMeanOfItsSentences() throws {
        let scorer = try Self.scorer()
        let result = try scorer.score(Self.onVoice.joined(separator: " ") + "\n", path: "on.md")
        let paragraph = try #require(result.paragraphs.first)
        let probabilities = scorer.voice.voiceScores(Self.onVoice)
        let words = Self.onVoice.map { $0.split { !$0.isLetter && !$0.isNumber && $0 != "'" }.count }
        #expect(words == [13, 11, 6])
        let weighted = 100 * zip(probabilities, words).map { $0 * Double($1) }.reduce(0, +) / Double(words.reduce(0, +))
        let unweighted = 100 * probabilities.reduce(0, +) / Double(probabilities.count)
        #expect(abs(weighted - unweighted) > 0.2, "the sentences must differ enough for the test to tell the two means apart")
        #expect(abs(paragraph.score - weighted) <= 0.05, "\(paragraph.score) vs \(weighted)")
        #expect(paragraph.words == 30 && result.scoredWords == 30)
        #expect(result.score == paragraph.score)
    }

    @Test func findingsAreCheckFindingsPerThousandWords() throws {
        let scorer = try Self.scorer()
        let result = try scorer.score(Self.document, path: "restore.md")
        let findings = try scorer.pipeline.rewrite(Self.document, path: "restore.md").checkFindings()
        #expect(findings.count >= 4, "'It should be noted that', 'storage container', 'tenant', 'in order to'")
        #expect(result.findings == findings.count)
        #expect(result.findingsByLevel == ["error": findings.filter { $0.level == .error }.count,
                                           "warning": findings.filter { $0.level == .warning }.count,
                                           "suggestion": findings.filter { $0.level == .suggestion }.count])
        #expect(result.findingsPer1000Words == (Double(findings.count) * 10_000 / Double(result.words)).rounded() / 10)
        // The off-voice paragraph holds the word rules' findings.
        #expect(result.paragraphs[0].findings >= 4)
    }

    @Test func aDocumentWithoutParagraphsHasNoScoreAndNeverFailsAMinimum() throws {
        let result = try Self.scorer().score("# Restore a bucket\n\n```sh\nacme restore\n```\n", path: "empty.md")
        #expect(result.score == nil && result.paragraphs.isEmpty && result.paragraphCount == 0)
        #expect(result.words == 3 && result.findingsPer1000Words == 0)
        #expect(!result.isBelow(100))
        let empty = try Self.scorer().score("", path: "empty.md")
        #expect(empty.words == 0 && empty.findingsPer1000Words == nil)
    }

    @Test func theParagraphLimitKeepsTheLowest() throws {
        let result = try Self.scorer().score(Self.document, path: "restore.md", paragraphLimit: 1)
        #expect(result.paragraphCount == 2)
        #expect(result.paragraphs.map(\.line) == [13])
    }

    @Test func jsonFieldsAreStable() throws {
        let result = try Self.scorer().score("# Title only\n", path: "t.md")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(result), as: UTF8.self)
        #expect(json == #"{"findings":0,"findings_by_level":{"error":0,"suggestion":0,"warning":0},"findings_per_1000_words":0,"#
            + #""paragraph_count":0,"paragraphs":[],"path":"t.md","score":null,"scored_words":0,"words":2}"#)
    }
}

@Test func aStyleWithoutAVoiceCorpusCannotBeScored() throws {
    let (repository, style) = try trainingRepository(style: "terms:\n  - use: sign in\n    instead_of: [log in]", files: [:])
    #expect(throws: ModelError.noVoiceCorpusToScore(style: "test")) {
        try DocumentScorer(pipeline: Pipeline(style: style, resources: testResources), resources: testResources)
    }
    #expect(ModelError.noVoiceCorpusToScore(style: "test").description == "style 'test' has no voice scorer to score with: it lists no on-voice "
        + "text to train one from; add corpus.voice (e.g. corpus: {voice: [corpora/test/**/*.md]}) and run 'housestyle train test'")
    _ = repository
}

@Test func anUntrainedOrStatisticsOnlyBundleCannotBeScored() throws {
    // No `learned` stage: the pipeline does not need the model, the score does.
    let (repository, style) = try trainingRepository(style: tinyStyle.replacingOccurrences(of: "post: [learned]", with: "post: [terms]"), files: tinyFiles)
    let pipeline = try Pipeline(style: style, resources: testResources)
    #expect(throws: ModelError.missing(style: "test", directory: repository.root + "/models/test")) {
        try DocumentScorer(pipeline: pipeline, resources: standardResources)
    }
    _ = try Trainer(style: style, resources: testResources).train()  // statistics only: no contributors
    #expect(throws: ModelError.noVoiceScorer(style: "test", directory: repository.root + "/models/test")) {
        try DocumentScorer(pipeline: pipeline, resources: standardResources)
    }
}
