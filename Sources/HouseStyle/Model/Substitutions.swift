import Foundation
import HouseStyleText
import HouseStyleNumerics

/// A learned rewrite of a phrase: `before` (lowercase tokens) becomes `after`.
public struct Substitution: Sendable, Hashable {
    /// `.pair`, `.retrieval`, `.thesaurus` or `.vectors`.
    public var origin: EditOrigin
    public var before: [String]
    /// Lowercase tokens of the replacement; empty for a deletion.
    public var after: [String]
    /// The replacement as written (case kept where it is not a sentence-initial capital).
    public var afterText: String
    /// Pairs: how many revisions made it; thesaurus and corpus: the voice count of `after`.
    public var count: Int
    /// Pairs: the share of the before sides' occurrences of `before` that editors changed this way;
    /// thesaurus: salience z of `after`; corpus: cosine similarity of the two words.
    public var strength: Double
    /// One place it comes from, for the report.
    public var example: String
}

/// Words a learned edit must never add or remove (DESIGN §5: negations are preserved).
let negations: Set<String> = [
    "not", "no", "never", "n't", "nor", "none", "nobody", "nothing", "neither", "nowhere", "cannot", "without",
    "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't", "wouldn't", "can't", "couldn't",
    "shouldn't", "hasn't", "haven't", "hadn't", "mustn't", "needn't",
    "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "wont", "wouldnt", "cant", "couldnt", "shouldnt",
]

/// Function words: never the subject of a thesaurus or corpus substitution (their use is grammar, not voice).
let functionWords: Set<String> = Set("""
    a an the and or but if then so as at by for from in into of off on onto out over to up with about after \
    before under again once here there when where why how all any both each few more most other some such only \
    own same than too very s t can will just should now i me my myself we our ours you your yours he him his she \
    her hers it its they them their what which who whom this that these those am is are was were be been being \
    have has had having do does did doing would could might must shall may it's i'm i've you're we're they're \
    that's there's let's also even ever still yet much many
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

enum SubstitutionLearner {
    /// Phrase edits from editor revisions: the token sequences are aligned by edit distance
    /// (Levenshtein, substitutions cost 1) and each maximal run of differences becomes a phrase
    /// edit, as LaserTagger builds its phrase vocabulary from added phrases.
    /// A site must hold a word at least this far off-voice (z <= -threshold).
    static let siteThreshold = 0.5

    /// Pairs rewritten beyond this share of their tokens are rewrites, not phrase edits, and are skipped.
    static let maxPairChange = 0.5

    static func fromPairs(_ pairs: [SentencePair], tokenizer: ModelTokenizer, properNames: Set<String> = [], maxPhrase: Int = 4,
                          minPrecision: Double = 0.3) -> [Substitution] {
        struct Key: Hashable { var before: [String]; var after: [String] }
        var found: [Key: (count: Int, afterText: String, example: String)] = [:]
        var order: [Key] = []
        var kept: [[String]] = []  // before sides of the pairs that are phrase edits, not rewrites
        for pair in pairs {
            let b = tokenizer.tokens(pair.before), a = tokenizer.tokens(pair.after)
            let surface = surfaceWords(pair.after, tokenizer: tokenizer, properNames: properNames)
            let runs = diffRuns(b, a)
            let changed = runs.reduce(0) { $0 + max($1.before.count, $1.after.count) }
            guard Double(changed) <= maxPairChange * Double(max(a.count, b.count)) else { continue }
            kept.append(b)
            for run in runs {
                let before = Array(b[run.before]), after = Array(a[run.after])
                guard !before.isEmpty, before.count <= maxPhrase, after.count <= maxPhrase,
                    !(before + after).contains("<num>") else { continue }
                let key = Key(before: before, after: after)
                if var entry = found[key] { entry.count += 1; found[key] = entry; continue }
                let text = surface.count == a.count ? surface[run.after].joined(separator: " ") : after.joined(separator: " ")
                found[key] = (1, text, "\(pair.before) → \(pair.after)")
                order.append(key)
            }
        }
        // Precision: how often editors made this change where the before side has the phrase.
        // A phrase edit seen once among thousands of pairs, or made in few of the places the phrase
        // occurs, depends on a context the edit does not carry, and is dropped.
        let minCount = pairs.count >= 1000 ? 2 : 1
        let wanted = Set(order.map { $0.before.joined(separator: " ") })
        var occurrences: [String: Int] = [:]
        for b in kept {
            for start in b.indices {
                for length in 1...min(maxPhrase, b.count - start) {
                    let phrase = b[start..<(start + length)].joined(separator: " ")
                    if wanted.contains(phrase) { occurrences[phrase, default: 0] += 1 }
                }
            }
        }
        return order.compactMap { key in
            let entry = found[key]!
            let precision = Double(entry.count) / Double(max(occurrences[key.before.joined(separator: " ")] ?? 1, entry.count))
            guard entry.count >= minCount, precision >= minPrecision else { return nil }
            return Substitution(origin: .pair, before: key.before, after: key.after, afterText: entry.afterText,
                count: entry.count, strength: precision, example: entry.example)
        }
    }

    /// The words of a sentence as written, except that a capital the sentence start alone explains is lowered.
    static func surfaceWords(_ sentence: String, tokenizer: ModelTokenizer, properNames: Set<String>) -> [String] {
        var words = tokenizer.surfaceTokens(sentence)
        if let first = words.first, Casing(of: first) == .capitalised, !properNames.contains(first) { words[0] = first.lowercased() }
        return words
    }

    /// Maximal runs where two token sequences differ, after a minimum edit alignment.
    static func diffRuns(_ a: [String], _ b: [String]) -> [(before: Range<Int>, after: Range<Int>)] {
        let n = a.count, m = b.count
        var d = [Int](repeating: 0, count: (n + 1) * (m + 1))
        for i in 0...n { d[i * (m + 1)] = i }
        for j in 0...m { d[j] = j }
        if n > 0 && m > 0 {
            for i in 1...n {
                for j in 1...m {
                    let same = a[i - 1] == b[j - 1]
                    d[i * (m + 1) + j] = min(d[(i - 1) * (m + 1) + j - 1] + (same ? 0 : 1), d[(i - 1) * (m + 1) + j] + 1, d[i * (m + 1) + j - 1] + 1)
                }
            }
        }
        // Backtrace, preferring matches, then substitutions, deletions, insertions.
        var matched: [(Int, Int)] = []
        var i = n, j = m
        while i > 0 || j > 0 {
            let here = d[i * (m + 1) + j]
            if i > 0, j > 0, a[i - 1] == b[j - 1], here == d[(i - 1) * (m + 1) + j - 1] {
                matched.append((i - 1, j - 1)); i -= 1; j -= 1
            } else if i > 0, j > 0, here == d[(i - 1) * (m + 1) + j - 1] + 1 {
                i -= 1; j -= 1
            } else if i > 0, here == d[(i - 1) * (m + 1) + j] + 1 {
                i -= 1
            } else {
                j -= 1
            }
        }
        matched.reverse()
        var runs: [(Range<Int>, Range<Int>)] = []
        var pa = 0, pb = 0
        for (x, y) in matched + [(n, m)] {
            if x > pa || y > pb { runs.append((pa..<x, pb..<y)) }
            pa = x + 1; pb = y + 1
        }
        return runs
    }

    /// Thesaurus synonyms of off-voice words that the voice uses (positive salience, seen at
    /// least twice), best first by salience.
    static func fromThesaurus(_ thesaurus: Thesaurus, offVoice: [SalienceEntry], salience: [String: SalienceEntry],
                              vocabulary: Vocabulary, perWord: Int = 2) -> [Substitution] {
        var result: [Substitution] = []
        for marker in offVoice where marker.ngram.count == 1 {
            let word = vocabulary.tokens[Int(marker.ngram[0])]
            guard !functionWords.contains(word), !negations.contains(word) else { continue }
            var candidates: [(String, SalienceEntry)] = []
            for synonym in thesaurus.synonyms(of: word) where synonym != word && !negations.contains(synonym) {
                if let entry = salience[synonym], entry.z > 0, entry.voiceCount >= 2 { candidates.append((synonym, entry)) }
            }
            candidates.sort { $0.1.z != $1.1.z ? $0.1.z > $1.1.z : $0.0 < $1.0 }
            for (synonym, entry) in candidates.prefix(perWord) {
                result.append(Substitution(origin: .thesaurus, before: [word], after: synonym.split(separator: " ").map(String.init),
                    afterText: synonym, count: entry.voiceCount, strength: entry.z,
                    example: "thesaurus: \(word) ~ \(synonym) (voice uses '\(synonym)' \(entry.voiceCount)×, '\(word)' \(marker.voiceCount)×)"))
            }
        }
        return result
    }

    /// Keeps the thesaurus substitutions that the voice language model prefers in context: over
    /// up to 30 sentences holding the word, the mean change in log probability per sentence must be positive.
    static func filterByLanguageModel(_ candidates: [Substitution], model: LanguageModel, vocabulary: Vocabulary, contexts: [[UInt32]]) -> [Substitution] {
        var byWord: [UInt32: [Int]] = [:]
        let wanted = Set(candidates.map { vocabulary.id($0.before[0]) })
        for (index, sentence) in contexts.enumerated() {
            for id in Set(sentence) where wanted.contains(id) && byWord[id, default: []].count < 30 { byWord[id, default: []].append(index) }
        }
        return candidates.filter { candidate in
            let word = vocabulary.id(candidate.before[0])
            let replacement = candidate.after.map(vocabulary.id)
            guard let sentences = byWord[word], !sentences.isEmpty, !replacement.contains(Vocabulary.unknown) else { return false }
            var gain = 0.0
            for index in sentences {
                let old = contexts[index]
                var new: [UInt32] = []
                for id in old { if id == word { new += replacement } else { new.append(id) } }
                gain += model.logProbability(sentence: new) - model.logProbability(sentence: old)
            }
            return gain / Double(sentences.count) > 0
        }
    }

    /// Off-voice words mapped to the on-voice word nearest in meaning (cosine of `vectors`).
    static func fromCorpora(vectors: WordVectors, vocabulary: Vocabulary, offVoice: [SalienceEntry], onVoice: [SalienceEntry],
                            minCosine: Double = 0.55, maxPerTarget: Int = 3, minCount: Int = 20) -> [Substitution] {
        // Context vectors of rare words are noise: both words must occur `minCount` times in all.
        func usable(_ entry: SalienceEntry) -> Bool {
            guard entry.ngram.count == 1, vectors.contains(entry.ngram[0]), entry.voiceCount + entry.contrastCount >= minCount else { return false }
            let word = vocabulary.tokens[Int(entry.ngram[0])]
            return !functionWords.contains(word) && !negations.contains(word) && word.contains(where: \.isLetter)
        }
        let targets = onVoice.filter(usable)
        var found: [(marker: SalienceEntry, cosine: Double, entry: SalienceEntry)] = []
        for marker in offVoice where usable(marker) {
            var best: (cosine: Double, entry: SalienceEntry)?
            for target in targets {
                let cosine = vectors.cosine(marker.ngram[0], target.ngram[0])!
                if cosine >= minCosine, cosine > (best?.cosine ?? -1) { best = (cosine, target) }
            }
            if let best { found.append((marker, best.cosine, best.entry)) }
        }
        // Hubs: a frequent on-voice word is near many others; it replaces at most `maxPerTarget` of them, the closest.
        var uses: [UInt32: Int] = [:]
        var result: [Substitution] = []
        for (marker, cosine, target) in found.sorted(by: { $0.cosine != $1.cosine ? $0.cosine > $1.cosine : $0.marker.ngram.lexicographicallyPrecedes($1.marker.ngram) }) {
            uses[target.ngram[0], default: 0] += 1
            guard uses[target.ngram[0]]! <= maxPerTarget else { continue }
            let best = (cosine: cosine, entry: target)
            let word = vocabulary.tokens[Int(marker.ngram[0])], replacement = vocabulary.tokens[Int(best.entry.ngram[0])]
            result.append(Substitution(origin: .vectors, before: [word], after: [replacement], afterText: replacement,
                count: best.entry.voiceCount, strength: best.cosine,
                example: String(format: "corpus: '%@' (off-voice, z %.1f) ~ '%@' (on-voice, z %.1f), cosine %.2f", word, marker.z, replacement, best.entry.z, best.cosine)))
        }
        return result
    }
}

/// Distributional word vectors: PPMI context vectors (window ±2, context smoothing 0.75; Levy,
/// Goldberg and Dagan 2015) of the most frequent words, reduced by a randomized truncated SVD
/// on OpenBLAS (U·√S, rows normalised), compared by cosine.
struct WordVectors {
    let rowCount: Int
    let k: Int
    private let vectors: [Double]

    init(sentences: [[UInt32]], vocabularySize: Int, seed: UInt64, rows: Int = 6000, contexts: Int = 2000, rank: Int = 64) {
        // Rows and contexts: the most frequent words (ids are in order of falling frequency), skipping specials.
        let rowCount = max(0, min(rows, vocabularySize - 4)), contextCount = max(0, min(contexts, vocabularySize - 4))
        self.rowCount = rowCount
        guard rowCount >= 8, contextCount >= 8 else { k = 0; vectors = []; return }
        var counts = [Float](repeating: 0, count: rowCount * contextCount)
        for sentence in sentences {
            for (i, word) in sentence.enumerated() {
                let row = Int(word) - 4
                guard row >= 0, row < rowCount else { continue }
                for j in max(0, i - 2)...min(sentence.count - 1, i + 2) where j != i {
                    let column = Int(sentence[j]) - 4
                    if column >= 0 && column < contextCount { counts[row * contextCount + column] += 1 }
                }
            }
        }
        var rowSums = [Double](repeating: 0, count: rowCount), columnSums = [Double](repeating: 0, count: contextCount)
        for r in 0..<rowCount { for c in 0..<contextCount { let v = Double(counts[r * contextCount + c]); rowSums[r] += v; columnSums[c] += v } }
        let total = rowSums.reduce(0, +)
        guard total > 0 else { k = 0; vectors = []; return }
        let smoothed = columnSums.map { pow($0, 0.75) }
        let smoothedTotal = smoothed.reduce(0, +)
        for r in 0..<rowCount where rowSums[r] > 0 {
            for c in 0..<contextCount where counts[r * contextCount + c] > 0 {
                let pmi = log(Double(counts[r * contextCount + c]) / total / (rowSums[r] / total) / (smoothed[c] / smoothedTotal))
                counts[r * contextCount + c] = Float(max(pmi, 0))
            }
        }
        let svd = TruncatedSVD(counts, rows: rowCount, columns: contextCount, rank: min(rank, rowCount, contextCount), seed: seed)
        let k = svd.rank
        var vectors = [Double](repeating: 0, count: rowCount * k)
        for r in 0..<rowCount {
            var norm = 0.0
            for c in 0..<k { let v = Double(svd.u[r * k + c]) * Double(svd.singularValues[c]).squareRoot(); vectors[r * k + c] = v; norm += v * v }
            norm = norm.squareRoot()
            if norm > 0 { for c in 0..<k { vectors[r * k + c] /= norm } }
        }
        self.k = k
        self.vectors = vectors
    }

    func contains(_ id: UInt32) -> Bool { k > 0 && id >= 4 && Int(id) - 4 < rowCount }

    /// Cosine similarity of two words, or nil when either has no vector.
    func cosine(_ a: UInt32, _ b: UInt32) -> Double? {
        guard contains(a), contains(b) else { return nil }
        let x = (Int(a) - 4) * k, y = (Int(b) - 4) * k
        var dot = 0.0
        for c in 0..<k { dot += vectors[x + c] * vectors[y + c] }
        return dot
    }
}

/// The Debian `mythes-en-us` thesaurus (LibreOffice's English thesaurus, built from WordNet;
/// Debian's copyright file lists `dictionaries/en/*` under a permissive licence that allows
/// redistribution), read where it is installed. `th_en_US_v2.idx` maps a word to
/// the byte offset of its entry in `th_en_US_v2.dat`; an entry is `word|senses` followed by one
/// `(pos)|synonym|synonym...` line per sense.
public struct Thesaurus: Sendable {
    public static let defaultPath = "/usr/share/mythes/th_en_US_v2"
    private let offsets: [String: Int]
    private let data: [UInt8]

    public init?(path: String = Thesaurus.defaultPath) {
        guard let index = FileManager.default.contents(atPath: path + ".idx"),
            let data = FileManager.default.contents(atPath: path + ".dat") else { return nil }
        var offsets: [String: Int] = [:]
        for line in String(decoding: index, as: UTF8.self).split(separator: "\n").dropFirst(2) {
            guard let bar = line.lastIndex(of: "|"), let offset = Int(line[line.index(after: bar)...]) else { continue }
            offsets[String(line[..<bar])] = offset
        }
        self.offsets = offsets
        self.data = [UInt8](data)
    }

    /// Single-word and phrase synonyms of every sense, lowercase, without "(generic term)" and
    /// similar related-but-not-synonymous entries, in the thesaurus's order.
    public func synonyms(of word: String) -> [String] {
        guard let offset = offsets[word], offset < data.count else { return [] }
        var lines: [Substring] = []
        var end = offset
        var remaining = 1
        var senses: Int?
        while end < data.count && remaining > 0 {
            var stop = end
            while stop < data.count && data[stop] != UInt8(ascii: "\n") { stop += 1 }
            let line = Substring(String(decoding: data[end..<stop], as: UTF8.self))
            if senses == nil {
                senses = Int(line.split(separator: "|").last ?? "") ?? 0
                remaining = senses!
            } else {
                lines.append(line)
                remaining -= 1
            }
            end = stop + 1
        }
        var result: [String] = []
        for line in lines {
            for field in line.split(separator: "|").dropFirst() where !field.contains("(") {
                let synonym = field.lowercased()
                if !result.contains(synonym) { result.append(synonym) }
            }
        }
        return result
    }
}
