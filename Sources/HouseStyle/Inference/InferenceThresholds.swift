import Foundation

/// When the evidence for a habit is clear enough to write it into a style.
///
/// A habit is a choice between two ways of writing the same thing (British or American spelling,
/// a contraction or the words written out, a serial comma or none), counted at its sites. One way
/// is decided when two things hold:
/// - **it is the habit of most sites, with `confidence`:** with a uniform prior on the share θ of
///   sites written that way, the posterior after `a` sites that way and `b` the other is
///   Beta(a + 1, b + 1), and P(θ > 1/2 | a, b) must reach `confidence` (0.95). Four sites, all
///   one way, give 1 − 0.5⁵ = 0.969 and decide; three give 0.938 and do not. The evidence grows
///   with every site and shrinks with every counter-example, so adding a site the other way never
///   turns "too few" into a decision (a fixed count of sites did: 4 to 1 decided, 4 to 0 did not);
/// - **it is a clear habit:** it holds at least `minimumShare` of the sites (0.8, four to one), so
///   that a style does not rewrite the fifth of a corpus that goes the other way on a 60/40 split,
///   however many sites there are.
public struct InferenceThresholds: Sendable, Hashable {
    /// P(the way holds more than half of such sites | the counts) a decision needs, 0.5 < p < 1.
    public var confidence: Double
    /// ... and the share of the counted sites it must hold (0.8: four to one).
    public var minimumShare: Double
    /// British or American spelling also needs this many different words, so that one name
    /// (a product called "Color") decides nothing.
    public var minimumSpellingWords: Int

    public init(confidence: Double = 0.95, minimumShare: Double = 0.8, minimumSpellingWords: Int = 3) {
        self.confidence = confidence
        self.minimumShare = minimumShare
        self.minimumSpellingWords = minimumSpellingWords
    }

    /// P(θ > 1/2 | `a` sites one way, `b` the other) under a uniform prior on θ: the posterior is
    /// Beta(a + 1, b + 1), and for whole numbers its tail is a binomial sum,
    /// P(θ > 1/2) = P(Binomial(a + b + 1, 1/2) ≤ a). The shorter tail is summed, its first term in logs, so that
    /// thousands of sites neither overflow nor lose the small side.
    public static func majorityProbability(_ a: Int, _ b: Int) -> Double {
        precondition(a >= 0 && b >= 0, "counts are never negative")
        let n = a + b + 1
        // P(Binomial(n, 1/2) ≥ k), k > n/2: the first term C(n, k)/2^n = C(n, n-k)/2^n in logs, the
        // rest by the ratio C(n, j+1)/C(n, j) = (n-j)/(j+1), which is below 1 here.
        func upperTail(from k: Int) -> Double {
            var logFirst = -Double(n) * log(2.0)
            for i in 0..<(n - k) { logFirst += log(Double(n - i)) - log(Double(n - k - i)) }
            var ratio = 1.0, sum = 0.0
            for j in k...n {
                sum += ratio
                ratio *= Double(n - j) / Double(j + 1)
            }
            return min(1, exp(logFirst) * sum)
        }
        // P(X ≤ a) = 1 − P(X ≥ a + 1); by symmetry P(X ≤ a) = P(X ≥ n − a) = P(X ≥ b + 1).
        return a >= b ? 1 - upperTail(from: a + 1) : upperTail(from: b + 1)
    }

    /// What `a` sites one way and `b` the other decide.
    /// - Parameters:
    ///   - names: how the two ways read in "80% British".
    ///   - sites: what was counted, for "too few" ("spellings of the table's words").
    func verdict(_ a: Int, _ b: Int, _ names: (String, String), sites: String) -> Verdict {
        let total = a + b
        guard total > 0 else { return Verdict(winner: nil, share: 0, probability: 0.5, text: "no \(sites) in the documents") }
        let first = a >= b
        let (leader, name) = first ? (a, names.0) : (b, names.1)
        let share = Double(leader) / Double(total)
        let probability = first ? Self.majorityProbability(a, b) : Self.majorityProbability(b, a)
        let shown = "\(InferredStyle.percent(share)) \(name), P(share > 1/2) \(Self.probability(probability))"
        if share < minimumShare {
            return Verdict(winner: nil, share: share, probability: probability,
                           text: "no clear habit: \(InferredStyle.percent(share)) \(name), need \(InferredStyle.percent(minimumShare))")
        }
        if probability < confidence {
            return Verdict(winner: nil, share: share, probability: probability,
                           text: "too few \(sites) to be sure (\(total)): \(shown), need \(confidence)")
        }
        return Verdict(winner: first, share: share, probability: probability, text: shown)
    }

    /// What a two-sided count decides.
    struct Verdict {
        /// true: the first way, false: the second, nil: neither.
        var winner: Bool?
        /// The share of the sites the leading way holds.
        var share: Double
        /// P(the leading way's share > 1/2 | the counts).
        var probability: Double
        /// "100% British, P(share > 1/2) = 0.968" for a decision, else why there is none.
        var text: String
    }

    /// The fewest sites, all one way, that decide: 4 at 0.95.
    public var fewestSites: Int {
        var n = 1
        while Self.majorityProbability(n, 0) < confidence && n < 1_000 { n += 1 }
        return n
    }

    /// "= 0.968": `p` with three decimals, rounded down so that 0.9499 never reads as the 0.95 it
    /// misses; "> 0.999" above that (the posterior never reaches 1).
    static func probability(_ p: Double) -> String {
        guard p <= 0.999 else { return "> 0.999" }
        let thousandths = Int((p * 1000 + 1e-9).rounded(.down))
        return "= \(thousandths / 1000).\(String(format: "%03d", thousandths % 1000))"
    }

    /// "80% of the sites one way, and P(share > 1/2) ≥ 0.95 ...", for comments and messages.
    public var summary: String {
        "\(InferredStyle.percent(minimumShare)) of the sites one way, and a probability of at least \(confidence) that this way "
            + "holds more than half of such sites, P(share > 1/2), with a uniform prior on the share: \(fewestSites) sites, "
            + "all one way, are the fewest that decide"
    }
}
