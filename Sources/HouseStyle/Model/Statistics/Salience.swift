import Foundation

/// How typical an n-gram is of the voice compared with the contrast corpus (or general English):
/// the z-score of the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and
/// Quinn 2008, "Fightin' Words", eq. 16–22). Positive: on-voice; negative: off-voice.
package struct SalienceEntry: Sendable, Hashable {
    public var ngram: [UInt32]
    public var z: Double
    public var voiceCount: Int
    public var contrastCount: Int
}

package enum Salience {
    /// Strength of the prior, in pseudo-tokens, spread over n-grams by their pooled frequency:
    /// at least this many ...
    public static let priorStrength = 1000.0
    /// ... and at least this share of the n-grams the two corpora hold together. A prior that
    /// stays small while the corpora grow leaves an n-gram one corpus never writes with a
    /// pseudo-count near zero there, and so a variance so wide that its z is small however
    /// often the other corpus writes it: on Yelp, with 1,000, "nasty" (0 positive, 200
    /// negative) scored -2.9 and "garbage" (0, 81) -1.9, against -21 for "disappointed"
    /// (49, 872). With a tenth of the corpora they score -11 and -7, and "worst" (0, 1,653) is
    /// among the ten most negative words rather than the two hundredth.
    public static let priorShare = 0.1

    /// Salience of every n-gram of orders 1...3 seen at least `minCount` times in both corpora together.
    /// - Parameter reference: when there is no contrast corpus, the general-English probability of
    ///   each vocabulary id; unigrams are then compared against a pseudo-corpus of that
    ///   distribution as large as the voice corpus (higher orders get no salience).
    public static func compute(
        voice: NGramCounts, contrast: NGramCounts?, reference: [Double]?, minCount: Int = 2
    ) -> [SalienceEntry] {
        var result: [SalienceEntry] = []
        for order in 1...min(3, voice.maxOrder) {
            var voiceTable = voice.tables[order - 1]
            // Totals are summed in a fixed order (integers, or the reference array in id order) so
            // that the scores are bit-identical in every run.
            var contrastTable: [UInt64: Double] = [:]
            var nc = 0.0
            if let contrast {
                var total = 0
                for (key, count) in contrast.tables[order - 1] where !NGramKey.unpack(key, order: order).contains(where: { $0 < 4 }) {
                    contrastTable[key] = Double(count)
                    total += Int(count)
                }
                nc = Double(total)
            } else if order == 1, let reference {
                let size = Double(voice.total(order: 1))
                for (id, p) in reference.enumerated() where p > 0 && id >= 4 {
                    contrastTable[UInt64(id)] = p * size
                    nc += p * size
                }
            } else {
                continue
            }
            // Special tokens (<num> and the sentence markers) are not style.
            voiceTable = voiceTable.filter { key, _ in !NGramKey.unpack(key, order: order).contains { $0 < 4 } }
            let nv = Double(voiceTable.values.reduce(0) { $0 + Int($1) })
            guard nv > 0, nc > 0 else { continue }
            var keys = Set(voiceTable.keys)
            for key in contrastTable.keys { keys.insert(key) }
            let pooledTotal = nv + nc
            for key in keys {
                let yv = Double(voiceTable[key] ?? 0), yc = contrastTable[key] ?? 0
                guard yv + yc >= Double(minCount) else { continue }
                let a0 = max(priorStrength, priorShare * pooledTotal)
                let alpha = a0 * (yv + yc) / pooledTotal
                let delta = log((yv + alpha) / (nv + a0 - yv - alpha)) - log((yc + alpha) / (nc + a0 - yc - alpha))
                let variance = 1 / (yv + alpha) + 1 / (yc + alpha)
                result.append(SalienceEntry(ngram: NGramKey.unpack(key, order: order), z: delta / variance.squareRoot(),
                    voiceCount: Int(yv), contrastCount: Int(yc.rounded())))
            }
        }
        result.sort { a, b in
            if a.z != b.z { return a.z > b.z }
            if a.ngram.count != b.ngram.count { return a.ngram.count < b.ngram.count }
            return a.ngram.lexicographicallyPrecedes(b.ngram)
        }
        return result
    }
}
