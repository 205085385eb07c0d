import Foundation
import HouseStyleNumerics

/// Pseudo-parallel pairs from corpora that have none: each off-voice (contrast) sentence is paired
/// with its nearest on-voice sentence under the frozen encoder, and the pair is kept when the two
/// differ by a small edit ("the staff was rude ." ~ "the staff was friendly ."). This is the
/// embedding index of the voice corpus that retrieval needs (IMaT, Jin et al. 2019, mines its
/// pairs the same way); the pairs then go through the editors' phrase-edit learner, so an edit
/// is learned only when many neighbour pairs make it, and `train` holds some contrast sentences
/// out to measure how often the edits bring a sentence closer to its neighbour.
///
/// Shapes: voice embeddings V (M, C) stored transposed as (C, M); a block of contrast embeddings
/// Q (B, C); similarities S = Q · Vᵀ (B, M). C = 384 for all-MiniLM-L6-v2.
struct NeighbourMiner {
    /// A pair is kept only when the two sentences are at least this similar (cosine).
    var minSimilarity: Float = 0.55
    /// Voice sentences in the index and contrast sentences queried, at most (seeded samples).
    var maximumVoice = 30_000
    var maximumContrast = 20_000
    /// Neighbours considered per query; the one fewest word edits away is taken.
    var neighbours = 4
    /// Sentences shorter or longer than this (model tokens) are left out: a short one is close to
    /// everything, and a long one never differs by a small edit.
    var tokenRange = 3...25

    struct Mined: Sendable, Hashable {
        var before: String
        /// The neighbour fewest word edits away.
        var after: String
        var similarity: Float
        /// The other neighbours that are small edits away too: calibration accepts an edit that
        /// brings the sentence closer to any of them ("awful" -> "amazing" where the nearest says "great").
        var alternatives: [String] = []
    }

    /// The voice side of the index, built once and queried with any contrast sentences.
    final class Index {
        let sentences: [String]
        let tokens: [[String]]
        /// Vᵀ: (C, M).
        let transposed: [Float]
        let dimension: Int
        let encoder: MiniLMEncoder
        /// The mean of the voice embeddings (C): one end of the voice axis (`VoiceAxis`).
        let mean: [Float]

        init(sentences: [String], tokens: [[String]], encoder: MiniLMEncoder, progress: (Int) -> Void = { _ in }) {
            self.sentences = sentences
            self.tokens = tokens
            self.encoder = encoder
            dimension = encoder.dimension
            let embeddings = NeighbourMiner.embed(sentences, encoder: encoder, progress: progress)
            var transposed = [Float](repeating: 0, count: dimension * sentences.count)
            for (j, embedding) in embeddings.enumerated() {
                for i in 0..<dimension { transposed[i * sentences.count + j] = embedding[i] }
            }
            self.transposed = transposed
            mean = VoiceAxis.mean(embeddings, dimension: dimension)
        }
    }

    /// The index of a seeded sample of `voice`.
    /// - Parameter progress: called with how many of the sample's sentences are embedded so far.
    func index(voice: [String], encoder: MiniLMEncoder, tokenizer: ModelTokenizer, seed: UInt64, progress: (Int) -> Void = { _ in }) -> Index {
        let (sentences, tokens) = sample(voice, limit: maximumVoice, tokenizer: tokenizer, seed: seed ^ 0x766F_6963_65)
        return Index(sentences: sentences, tokens: tokens, encoder: encoder, progress: progress)
    }

    /// Pairs (contrast sentence, nearest voice sentence) of a seeded sample of `contrast`.
    func mine(contrast: [String], index: Index, tokenizer: ModelTokenizer, seed: UInt64, limit: Int? = nil) -> [Mined] {
        var ignored: [Float] = []
        return mine(contrast: contrast, index: index, tokenizer: tokenizer, seed: seed, limit: limit, queryMean: &ignored)
    }

    /// As above; `queryMean` receives the mean of the queried contrast sentences' embeddings
    /// (empty when none was queried), and `progress` how many of them are embedded so far.
    func mine(contrast: [String], index: Index, tokenizer: ModelTokenizer, seed: UInt64, limit: Int? = nil, queryMean: inout [Float],
              progress: (Int) -> Void = { _ in }) -> [Mined] {
        let (queries, queryTokens) = sample(contrast, limit: limit ?? maximumContrast, tokenizer: tokenizer, seed: seed ^ 0x636F_6E74)
        guard !queries.isEmpty, !index.sentences.isEmpty else { return [] }
        let embeddings = Self.embed(queries, encoder: index.encoder, progress: progress)
        queryMean = VoiceAxis.mean(embeddings, dimension: index.dimension)
        let (m, c) = (index.sentences.count, index.dimension)
        let k = min(neighbours, m)
        var result: [Mined] = []
        let block = 256
        var scores: [Float] = []
        // One thread, so the last bits of a similarity (and so a near tie) do not depend on the machine.
        let threads = BLAS.threadCount
        BLAS.threadCount = 1
        defer { BLAS.threadCount = threads }
        var start = 0
        while start < queries.count {
            let end = min(start + block, queries.count)
            let q = embeddings[start..<end].flatMap { $0 }
            BLAS.multiply(q, index.transposed, m: end - start, n: m, k: c, into: &scores)
            for row in 0..<(end - start) {
                let query = start + row
                // The k most similar voice sentences (ties: the earlier one).
                var best: [(score: Float, index: Int)] = []
                let base = row * m
                for j in 0..<m {
                    let score = scores[base + j]
                    guard score >= minSimilarity else { continue }
                    if best.count < k || score > best[best.count - 1].score {
                        var position = best.count
                        while position > 0 && best[position - 1].score < score { position -= 1 }
                        best.insert((score, j), at: position)
                        if best.count > k { best.removeLast() }
                    }
                }
                // The neighbour fewest word edits away; an identical sentence is no pair.
                var close: [(distance: Int, score: Float, index: Int)] = []
                var identical = false
                for candidate in best {
                    let distance = Calibrator.wordDistance(queryTokens[query], index.tokens[candidate.index])
                    guard distance > 0 else { identical = true; break }
                    let longer = max(queryTokens[query].count, index.tokens[candidate.index].count)
                    if Double(distance) <= SubstitutionLearner.maxPairChange * Double(longer) { close.append((distance, candidate.score, candidate.index)) }
                }
                guard !identical, let chosen = close.min(by: { $0.distance != $1.distance ? $0.distance < $1.distance : $0.score > $1.score }) else { continue }
                result.append(Mined(before: queries[query], after: index.sentences[chosen.index], similarity: chosen.score,
                                    alternatives: close.filter { $0.index != chosen.index }.map { index.sentences[$0.index] }))
            }
            start = end
        }
        return result
    }

    /// Up to `limit` distinct sentences of usable length, a seeded sample in corpus order.
    private func sample(_ sentences: [String], limit: Int, tokenizer: ModelTokenizer, seed: UInt64) -> ([String], [[String]]) {
        var seen = Set<String>()
        var usable: [(String, [String])] = []
        for sentence in sentences where seen.insert(sentence).inserted {
            let tokens = tokenizer.tokens(sentence)
            if tokenRange.contains(tokens.count) { usable.append((sentence, tokens)) }
        }
        if usable.count > limit {
            var generator = SeededGenerator(seed: seed)
            var indices = Array(usable.indices)
            generator.shuffle(&indices)
            usable = indices.prefix(limit).sorted().map { usable[$0] }
        }
        return (usable.map(\.0), usable.map(\.1))
    }

    /// Embeddings in two halves on two threads (each half's result does not depend on the other).
    /// Embeddings of `sentences`, `chunk` at a time, each chunk on two threads (halves that are
    /// whole encoder batches, so a sentence's batch does not depend on the thread count);
    /// `progress` is told after each chunk how many are done, so a long mining run shows it is moving.
    static func embed(_ sentences: [String], encoder: MiniLMEncoder, chunk: Int = 2048, progress: (Int) -> Void = { _ in }) -> [[Float]] {
        let parts = 2, batch = 32
        var all: [[Float]] = []
        all.reserveCapacity(sentences.count)
        var start = 0
        while start < sentences.count {
            let (first, end) = (start, min(start + chunk, sentences.count))
            let size = ((end - first + parts - 1) / parts + batch - 1) / batch * batch
            var results = [[[Float]]](repeating: [], count: parts)
            results.withUnsafeMutableBufferPointer { slots in
                let slots = UnsafeMutableSendableBuffer(slots)
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let range = min(first + part * size, end)..<min(first + (part + 1) * size, end)
                    slots.buffer[part] = range.isEmpty ? [] : encoder.embed(Array(sentences[range]), batchSize: batch)
                }
            }
            for part in results { all += part }
            start = end
            progress(start)
        }
        return all
    }
}

/// A buffer whose slots distinct threads write (one slot each).
private struct UnsafeMutableSendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
