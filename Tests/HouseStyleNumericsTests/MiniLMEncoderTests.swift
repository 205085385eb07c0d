import Foundation
import Testing
@testable import HouseStyleNumerics

@Suite struct WordPieceTokenizerTests {
    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "the", ",", "cafe", "中", "!", "##s", "run"]

    @Test(arguments: [
        ("unaffable", ["[CLS]", "un", "##aff", "##able", "[SEP]"]),
        ("The  CAFÉ,中!", ["[CLS]", "the", "cafe", ",", "中", "!", "[SEP]"]),
        ("runs\u{0007}\u{200B}", ["[CLS]", "run", "##s", "[SEP]"]),
        ("unknownword the", ["[CLS]", "[UNK]", "the", "[SEP]"]),
        ("", ["[CLS]", "[SEP]"]),
        ("\t\n ", ["[CLS]", "[SEP]"]),
    ])
    func splitsAndLooksUpWordPieces(text: String, expected: [String]) throws {
        let tokenizer = try WordPieceTokenizer(tokens: Self.vocabulary)
        #expect(tokenizer.tokenStrings(tokenizer.encode(text)) == expected)
    }

    @Test func truncatesToTheMaximumLengthAndPadsBatches() throws {
        let tokenizer = try WordPieceTokenizer(tokens: Self.vocabulary, maximumLength: 4)
        #expect(tokenizer.tokenStrings(tokenizer.encode("the the the the")) == ["[CLS]", "the", "the", "[SEP]"])
        let batch = tokenizer.batch(["the", "un the ,"])
        #expect(batch.length == 4)
        #expect(batch.lengths == [3, 4])
        #expect(batch.ids == [2, 7, 3, 0, 2, 4, 7, 3])
        #expect(batch.attentionMask == [1, 1, 1, 0, 1, 1, 1, 1])
        #expect(Array(batch.sequence(0)) == [2, 7, 3])
    }

    @Test func wordsLongerThanOneHundredCharactersAreUnknown() throws {
        let tokenizer = try WordPieceTokenizer(tokens: Self.vocabulary + ["##" + "a", "a"])
        #expect(tokenizer.encode(String(repeating: "a", count: 100)).count == 102)
        #expect(tokenizer.tokenStrings(tokenizer.encode(String(repeating: "a", count: 101))) == ["[CLS]", "[UNK]", "[SEP]"])
    }

    @Test func missingSpecialTokenIsReported() {
        #expect(throws: EncoderError.invalidVocabulary(path: "vocabulary", reason: "no [SEP] token")) {
            try WordPieceTokenizer(tokens: ["[PAD]", "[UNK]", "[CLS]"])
        }
    }

    @Test(.enabled(if: TestModel.isAvailable, TestModel.skipMessage), arguments: ReferenceFixture.loaded.sentences)
    func matchesTheReferenceTokenIDs(sentence: ReferenceSentence) throws {
        let encoder = try #require(TestModel.encoder)
        #expect(encoder.tokenizer.encode(sentence.text) == sentence.ids)
    }
}

@Suite struct MiniLMEncoderTests {
    @Test(.enabled(if: TestModel.isAvailable, TestModel.skipMessage))
    func readsTheConfiguration() throws {
        let encoder = try #require(TestModel.encoder)
        #expect(encoder.config == MiniLMConfig())
        #expect(ReferenceFixture.loaded.max_seq_length == encoder.config.maximumSequenceLength)
    }

    @Test(.enabled(if: TestModel.isAvailable, TestModel.skipMessage))
    func embeddingsMatchSentenceTransformers() throws {
        let encoder = try #require(TestModel.encoder)
        let sentences = ReferenceFixture.loaded.sentences
        #expect(sentences.count >= 20)
        // Batches of 7 mix short and long sentences, so packing must keep them apart.
        let embeddings = encoder.embed(sentences.map(\.text), batchSize: 7)
        var worst: Float = 0
        for (sentence, embedding) in zip(sentences, embeddings) {
            #expect(embedding.count == 384)
            let difference = zip(sentence.embedding, embedding).map { abs($0 - $1) }.max()!
            #expect(difference <= 1e-4, "\(sentence.testDescription): max abs diff \(difference)")
            worst = max(worst, difference)
        }
        #expect(worst > 0, "exact equality would mean the reference was not independent")
    }

    /// The meaning guard's embeddings (bf16 projections): close to sentence-transformers' fp32
    /// ones, but not the fp32 path under another name; the same for a sentence alone or in a batch.
    @Test(.enabled(if: TestModel.isAvailable, TestModel.skipMessage))
    func bf16EmbeddingsStayCloseToTheReference() throws {
        let encoder = try #require(TestModel.encoder)
        let sentences = ReferenceFixture.loaded.sentences
        let fp32 = encoder.embed(sentences.map(\.text), batchSize: 7)
        let bf16 = encoder.embed(sentences.map(\.text), batchSize: 7, precision: .bfloat16)
        var largest: Float = 0
        for (sentence, (embedding, exact)) in zip(sentences, zip(bf16, fp32)) {
            let cosine = zip(sentence.embedding, embedding).map { $0 * $1 }.reduce(0, +)
            #expect(cosine >= 0.998, "\(sentence.testDescription): cosine \(cosine) with the reference")
            #expect(abs(embedding.map { $0 * $0 }.reduce(0, +) - 1) < 1e-4)
            largest = max(largest, zip(embedding, exact).map { abs($0 - $1) }.max()!)
        }
        #expect(largest > 1e-5, "bf16 embeddings equal to fp32 ones: the precision was not applied")
        let alone = encoder.embed([sentences[3].text], precision: .bfloat16)[0]
        #expect(alone == bf16[3])
    }

    /// Int8 projections (weights per column, activations per row, 4 outlier channels where the input
    /// is a LayerNorm's output): close to sentence-transformers' fp32 embeddings (lowest cosine 0.995
    /// over the fixture's sentences; 0.986 without outliers), but not the bf16 path under another
    /// name; the same for a sentence alone or in a batch.
    @Test(.enabled(if: TestModel.isAvailable, TestModel.skipMessage))
    func int8EmbeddingsStayCloseToTheReference() throws {
        let encoder = try #require(TestModel.encoder)
        let sentences = ReferenceFixture.loaded.sentences
        let bf16 = encoder.embed(sentences.map(\.text), batchSize: 7, precision: .bfloat16)
        let int8 = encoder.embed(sentences.map(\.text), batchSize: 7, precision: .int8)
        var lowest: Float = 1, largest: Float = 0
        for (sentence, (embedding, other)) in zip(sentences, zip(int8, bf16)) {
            let cosine = zip(sentence.embedding, embedding).map { $0 * $1 }.reduce(0, +)
            lowest = min(lowest, cosine)
            #expect(abs(embedding.map { $0 * $0 }.reduce(0, +) - 1) < 1e-4)
            largest = max(largest, zip(embedding, other).map { abs($0 - $1) }.max()!)
        }
        #expect(lowest >= 0.994, "lowest cosine with the reference \(lowest)")
        #expect(largest > 1e-4, "int8 embeddings equal to bf16 ones: the precision was not applied")
        let alone = encoder.embed([sentences[3].text], precision: .int8)[0]
        #expect(alone == int8[3])
    }

    @Test(.enabled(if: TestModel.isAvailable, TestModel.skipMessage))
    func similarityRanksAParaphraseAboveAnUnrelatedSentence() throws {
        let encoder = try #require(TestModel.encoder)
        let e = encoder.embed(["The meeting was moved to Friday.", "We rescheduled the meeting for Friday.", "Bananas are rich in potassium."])
        #expect(abs(MiniLMEncoder.similarity(e[0], e[0]) - 1) < 1e-5)
        #expect(MiniLMEncoder.similarity(e[0], e[1]) > 0.7)
        #expect(MiniLMEncoder.similarity(e[0], e[2]) < 0.2)
    }

    /// Sentences that start alike (a sentence, its edits, itself again) share layer 0's rows, which
    /// a batch computes once and the encoder remembers (`Layer0Rows`): each embedding, fp32, bf16
    /// and int8, is the same bits alone (its rows then remembered) as in the batch, and as from an
    /// encoder that remembers nothing yet.
    @Test(.enabled(if: TestModel.isAvailable, TestModel.skipMessage))
    func sentencesThatShareRowsGiveTheBitsTheyGiveAlone() throws {
        let shared = try #require(TestModel.encoder)
        let encoder = try MiniLMEncoder(files: shared.files)  // its own remembered rows
        let texts = ["the food was bad .", "the food was good .", "the food was bad .", "the food .", "food was bad the ."]
        let batch = PackedBatch(texts.map { encoder.tokenizer.encode($0) })
        let distinct = MiniLMEncoder.distinctRows(of: batch, positions: encoder.config.maximumPositions)
        // 33 rows: the first sentence has 7 distinct ones, then "good" at 4, ". [SEP]" at 3 and 4, and
        // "food was bad the" at 1 to 4.
        #expect(distinct.rows.count == 14 && batch.tokenCount == 33)
        #expect(distinct.index.count == batch.tokenCount)
        for precision in [ProjectionPrecision.float32, .bfloat16, .int8] {
            let fresh = try MiniLMEncoder(files: shared.files).embed([texts[4]], precision: precision)[0]
            let together = encoder.embed(texts, precision: precision)
            // Remembered on the AVX-512 kernels only (the portable path computes every row).
            let remembered = precision == .bfloat16 ? encoder.layer0BF16 : precision == .int8 ? encoder.layer0Int8 : encoder.layer0FP32
            #expect(remembered.count == (GEMM.hasProjectionKernel ? 14 : 0))
            // On the portable path OpenBLAS computes every row, and its sums may depend on how many
            // rows a product has (on Zen 5 they do: a difference of 2e-8), so there the embeddings
            // agree as `batchCompositionDoesNotChangeAnEmbedding` asks, to 1e-6.
            func same(_ a: [Float], _ b: [Float]) -> Bool {
                GEMM.hasProjectionKernel ? a == b : zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 }
            }
            for (text, embedding) in zip(texts, together) {
                #expect(same(encoder.embed([text], precision: precision)[0], embedding), "\(precision): \(text)")
            }
            #expect(same(together[4], fresh), "\(precision)")
        }
    }

    @Test(.enabled(if: TestModel.isAvailable, TestModel.skipMessage))
    func batchCompositionDoesNotChangeAnEmbedding() throws {
        let encoder = try #require(TestModel.encoder)
        let texts = ["A short one.", "A considerably longer sentence that has many more tokens than the first."]
        let alone = encoder.embed([texts[0]])[0]
        let together = encoder.embed(texts)[0]
        #expect(zip(alone, together).map { abs($0 - $1) }.max()! <= 1e-6)
    }
}
