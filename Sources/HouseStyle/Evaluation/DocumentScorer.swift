import Foundation
import HouseStyleText

/// Scores how on-voice documents are with a style's fine-tuned voice scorer, beside the findings
/// of its rules, for `housestyle score`.
///
/// The score, 0–100:
/// - a sentence's score is the voice scorer's probability that it is on-voice, P(on-voice) in
///   0...1: the logistic head `train` fits on the style's voice corpus (and the after side of its
///   pairs) against off-voice text (the contrast corpus, the before side of pairs, and voice
///   sentences with the style's rules run backwards);
/// - a paragraph's score is the mean of its sentences' P(on-voice), each weighted by its number of
///   words, times 100;
/// - a document's score is the mean of its paragraphs' scores, each weighted by its scored words
///   (the same as the word-weighted mean over all its sentences), times 100.
///
/// 50 means the scorer cannot tell, per word on average, whether the text is on-voice or
/// off-voice: it reads as much like the voice corpus as like the off-voice text. Above 50 it reads
/// more like the voice, below more like the off-voice text. The scale is the scorer's, not a
/// calibrated rate of agreement with human editors: scores compare texts under one trained model,
/// and a retrained model may shift them.
///
/// Paragraphs are the paragraph blocks of the document as the pipeline reads it (Markdown list
/// items and block quotes included; code, front matter, HTML, tables, headings, text the style
/// ignores and link targets left out), split into sentences exactly as `train` splits its corpora.
/// Sentences without a letter are not scored. Headings and table cells are labels rather than
/// prose in the voice: they count as words for the findings rate but are not scored.
///
/// The findings are those `housestyle check` reports (every change a rewrite would make and every
/// finding, at all levels), per 1,000 words of prose (paragraphs, headings and table cells).
public struct DocumentScorer: Sendable {
    public let pipeline: Pipeline
    public let voice: NeuralVoice

    public init(pipeline: Pipeline, voice: NeuralVoice) {
        self.pipeline = pipeline
        self.voice = voice
    }

    /// The voice scorer the pipeline's `learned` stage runs on, else that of the style's bundle
    /// (loaded as the learned stage loads it, by `resources.modelRecipe`).
    /// - Throws: `ModelError.noVoiceCorpusToScore` for a style without a voice corpus,
    ///   `.missing` or `.corrupt` for a missing or damaged bundle, `.noVoiceScorer` for a bundle
    ///   trained without a scorer, `.voiceScorerNeedsBaseModel` when the encoder is not installed.
    public init(pipeline: Pipeline, resources: Resources) throws(ModelError) {
        if let voice = pipeline.learnedModel?.voice {
            self.init(pipeline: pipeline, voice: voice)
            return
        }
        let style = pipeline.style
        guard !style.corpus.voice.isEmpty else { throw .noVoiceCorpusToScore(style: style.name) }
        let directory = ModelBundle.directory(for: style)
        guard FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("manifest.json")) else {
            throw .missing(style: style.name, directory: directory)
        }
        // A bundle of the statistics alone has no scorer to load, whatever the recipe asks.
        guard try ModelBundle.readManifest(in: directory).files.contains(where: { $0.name == VoiceScorerTrainer.adapterFile }) else {
            throw .noVoiceScorer(style: style.name, directory: directory)
        }
        guard let voice = try ModelBundle.load(style, recipe: resources.modelRecipe, resources: resources).voice else {
            throw .noVoiceScorer(style: style.name, directory: directory)
        }
        self.init(pipeline: pipeline, voice: voice)
    }

    /// Scores one text: runs the style's stages over it as `check` does, then every sentence of
    /// its paragraphs through the voice scorer in one batched call.
    /// - Parameters:
    ///   - path: the file's path, for the report and to tell Markdown from plain text.
    ///   - paragraphLimit: list at most this many paragraphs (the lowest); nil lists all.
    public func score(_ text: String, path: String, paragraphLimit: Int? = nil) throws -> DocumentScore {
        let rewrite = try pipeline.rewrite(text, path: path)
        let document = rewrite.document
        let findings = rewrite.checkFindings()
        let utf8 = Array(document.text.utf8)
        let sentenceSegmenter = try SentenceSegmenter(locale: pipeline.style.locale)
        let wordSegmenter = try WordSegmenter(locale: pipeline.style.locale)
        func wordCount(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Int {
            var count = 0
            try wordSegmenter.forEachWord(in: bytes) { _, _ in count += 1 }
            return count
        }

        // Every paragraph's sentences (NFC, as the corpus was read) with their word counts.
        struct Pending { var block: ProseBlock; var sentences: Range<Int> }
        var words = 0
        var sentences: [String] = [], weights: [Int] = []
        var pending: [Pending] = []
        for block in document.proseBlocks {
            for range in block.ranges {
                words += try utf8.withUnsafeBufferPointer { try wordCount(UnsafeBufferPointer(rebasing: $0[range])) }
            }
            guard block.kind == .paragraph else { continue }
            let first = sentences.count
            for sentence in try CorpusReader.sentences(of: block, in: utf8, segmenter: sentenceSegmenter) {
                var normalized = try Normalization.nfc(sentence)
                let count = try normalized.withUTF8 { try wordCount($0) }
                guard count > 0 else { continue }
                sentences.append(normalized)
                weights.append(count)
            }
            if sentences.count > first { pending.append(Pending(block: block, sentences: first..<sentences.count)) }
        }
        let probabilities = voice.voiceScores(sentences)

        var paragraphs: [ParagraphScore] = []
        var documentSum = 0.0, scoredWords = 0
        for item in pending {
            let span = item.block.ranges.first!.lowerBound..<item.block.ranges.last!.upperBound
            var sum = 0.0, count = 0
            for index in item.sentences {
                sum += probabilities[index] * Double(weights[index])
                count += weights[index]
            }
            documentSum += sum
            scoredWords += count
            let location = document.location(ofByte: span.lowerBound)
            paragraphs.append(ParagraphScore(
                line: location.line, column: location.column, start: span.lowerBound, end: span.upperBound,
                score: Self.rounded(100 * sum / Double(count)), words: count, sentences: item.sentences.count,
                findings: findings.filter { span.contains($0.range.lowerBound) || $0.range.lowerBound == span.upperBound }.count,
                excerpt: ParagraphScore.excerpt(document.text(in: span))))
        }
        paragraphs.sort { ($0.score, $0.start) < ($1.score, $1.start) }
        let paragraphCount = paragraphs.count
        if let paragraphLimit, paragraphs.count > paragraphLimit { paragraphs.removeSubrange(paragraphLimit...) }
        var byLevel = Dictionary(uniqueKeysWithValues: FindingLevel.allCases.map { ($0.rawValue, 0) })
        for finding in findings { byLevel[finding.level.rawValue, default: 0] += 1 }
        return DocumentScore(
            path: path, score: scoredWords > 0 ? Self.rounded(100 * documentSum / Double(scoredWords)) : nil,
            words: words, scoredWords: scoredWords, findings: findings.count, findingsByLevel: byLevel,
            findingsPer1000Words: words > 0 ? Self.rounded(Double(findings.count) * 1000 / Double(words)) : nil,
            paragraphCount: paragraphCount, paragraphs: paragraphs)
    }

    /// Rounded to one decimal, as reported: `--min` compares what is printed.
    static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
