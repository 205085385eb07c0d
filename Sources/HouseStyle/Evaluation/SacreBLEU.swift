import Foundation

/// Corpus and sentence BLEU with sacreBLEU 2.x semantics: mteval-v13a tokenisation, case-sensitive,
/// n-grams up to 4, the closest reference length (the shorter on a tie), the brevity penalty, and
/// the default `exp` smoothing (a zero n-gram precision counts as 1 / (2^k · total)). Any number of
/// references per segment; the n-gram counts of several references are merged by maximum.
public enum BLEU {
    /// Sufficient statistics of one or more segments; corpus BLEU sums them.
    public struct Statistics: Sendable, Equatable {
        public var hypothesisLength = 0, referenceLength = 0
        public var correct = [Int](repeating: 0, count: 4), total = [Int](repeating: 0, count: 4)

        public init() {}

        static func + (a: Statistics, b: Statistics) -> Statistics {
            var sum = a
            sum.hypothesisLength += b.hypothesisLength
            sum.referenceLength += b.referenceLength
            for n in 0..<4 { sum.correct[n] += b.correct[n]; sum.total[n] += b.total[n] }
            return sum
        }
    }

    /// Statistics of one hypothesis against its references (tokenised with 13a here).
    public static func statistics(_ hypothesis: String, references: [String]) -> Statistics {
        let h = Tokenizer13a.scalarTokens(hypothesis.pythonRStrip())
        var referenceCounts: [[UInt32]: Int] = [:]
        var referenceLengths: [Int] = []
        for reference in references {
            let r = Tokenizer13a.scalarTokens(reference.pythonRStrip())
            referenceLengths.append(r.count)
            var counts: [[UInt32]: Int] = [:]
            for n in 1...4 where r.count >= n {
                for i in 0...(r.count - n) { counts[key(r[i..<(i + n)]), default: 0] += 1 }
            }
            referenceCounts.merge(counts, uniquingKeysWith: max)
        }
        var stats = Statistics()
        stats.hypothesisLength = h.count
        stats.referenceLength = closestLength(h.count, referenceLengths)
        var hypothesisCounts: [[UInt32]: (order: Int, count: Int)] = [:]
        for n in 1...4 where h.count >= n {
            stats.total[n - 1] = h.count - n + 1
            for i in 0...(h.count - n) { hypothesisCounts[key(h[i..<(i + n)]), default: (n, 0)].count += 1 }
        }
        for (ngram, entry) in hypothesisCounts {
            stats.correct[entry.order - 1] += min(entry.count, referenceCounts[ngram] ?? 0)
        }
        return stats
    }

    /// An n-gram as one key: its tokens' scalars separated by a space (tokens hold no spaces).
    static func key(_ tokens: ArraySlice<[UInt32]>) -> [UInt32] {
        var key: [UInt32] = []
        for token in tokens {
            if !key.isEmpty { key.append(0x20) }
            key += token
        }
        return key
    }

    /// sacreBLEU's `_get_closest_ref_len`: the reference length nearest the hypothesis length.
    static func closestLength(_ length: Int, _ lengths: [Int]) -> Int {
        var closestDifference = -1, closest = -1
        for candidate in lengths {
            let difference = abs(length - candidate)
            if closestDifference == -1 || difference < closestDifference {
                closestDifference = difference; closest = candidate
            } else if difference == closestDifference && candidate < closest {
                closest = candidate
            }
        }
        return closest
    }

    /// The score (0...100) of summed statistics; `effectiveOrder` (sentence BLEU) stops at the
    /// highest n-gram order the hypothesis has.
    public static func score(_ stats: Statistics, effectiveOrder: Bool = false) -> Double {
        var brevity = 1.0
        if stats.hypothesisLength < stats.referenceLength {
            brevity = stats.hypothesisLength > 0 ? exp(1 - Double(stats.referenceLength) / Double(stats.hypothesisLength)) : 0
        }
        guard stats.correct.contains(where: { $0 != 0 }) else { return 0 }
        var precisions = [Double](repeating: 0, count: 4)
        var smooth = 1.0
        var order = 4
        for n in 1...4 {
            if stats.total[n - 1] == 0 { break }
            if effectiveOrder { order = n }
            if stats.correct[n - 1] == 0 {
                smooth *= 2
                precisions[n - 1] = 100 / (smooth * Double(stats.total[n - 1]))
            } else {
                precisions[n - 1] = 100 * Double(stats.correct[n - 1]) / Double(stats.total[n - 1])
            }
        }
        let logSum = precisions.prefix(order).reduce(0.0) { $0 + ($1 == 0 ? -9_999_999_999 : log($1)) }
        return brevity * exp(logSum / Double(order))
    }

    /// Corpus BLEU of hypotheses, each with its own references (one or more).
    public static func corpus(_ hypotheses: [String], references: [[String]]) -> Double {
        precondition(hypotheses.count == references.count, "one reference list per hypothesis")
        var sum = Statistics()
        for (hypothesis, refs) in zip(hypotheses, references) { sum = sum + statistics(hypothesis, references: refs) }
        return score(sum)
    }

    /// Sentence BLEU as sacreBLEU's `sentence_score` (effective order on).
    public static func sentence(_ hypothesis: String, references: [String]) -> Double {
        score(statistics(hypothesis, references: references), effectiveOrder: true)
    }
}

/// chrF with sacreBLEU 2.x defaults: character n-grams 1...6 with whitespace removed, no word
/// n-grams, β = 2, case-sensitive, averaged precision and recall over the orders both sides have.
/// With several references a segment counts against the one with the best sentence chrF.
package enum ChrF {
    public static let order = 6
    public static let beta = 2.0

    /// (hypothesis, reference, matching) n-gram counts per order 1...6, flattened.
    public static func statistics(_ hypothesis: String, references: [String]) -> [Int] {
        let h = ngrams(hypothesis)
        var best: [Int] = [], bestScore = -1.0
        for reference in references {
            let r = ngrams(reference)
            var stats: [Int] = []
            for n in 0..<order {
                let matches = h[n].reduce(0) { $0 + min($1.value, r[n][$1.key] ?? 0) }
                stats += [h[n].values.reduce(0, +), r[n].values.reduce(0, +), matches]
            }
            let f = score(stats)
            if f > bestScore { bestScore = f; best = stats }
        }
        return best
    }

    static func ngrams(_ text: String) -> [[ArraySlice<Unicode.Scalar>: Int]] {
        let scalars = Array(text.unicodeScalars.filter { !$0.isPythonSpace })
        var result: [[ArraySlice<Unicode.Scalar>: Int]] = []
        for n in 1...order {
            var counts: [ArraySlice<Unicode.Scalar>: Int] = [:]
            if scalars.count >= n { for i in 0...(scalars.count - n) { counts[scalars[i..<(i + n)], default: 0] += 1 } }
            result.append(counts)
        }
        return result
    }

    /// The score (0...100) of flattened statistics.
    public static func score(_ stats: [Int]) -> Double {
        guard stats.count == 3 * order else { return 0 }
        let factor = beta * beta
        var precision = 0.0, recall = 0.0, effective = 0
        for n in 0..<order {
            let hyp = stats[3 * n], ref = stats[3 * n + 1], match = stats[3 * n + 2]
            if hyp > 0 && ref > 0 {
                precision += Double(match) / Double(hyp)
                recall += Double(match) / Double(ref)
                effective += 1
            }
        }
        guard effective > 0 else { return 0 }
        precision /= Double(effective); recall /= Double(effective)
        guard precision + recall > 0 else { return 0 }
        return 100 * (1 + factor) * precision * recall / (factor * precision + recall)
    }

    /// Corpus chrF: the score of the summed statistics.
    public static func corpus(_ hypotheses: [String], references: [[String]]) -> Double {
        precondition(hypotheses.count == references.count, "one reference list per hypothesis")
        var sum = [Int](repeating: 0, count: 3 * order)
        for (hypothesis, refs) in zip(hypotheses, references) {
            let stats = statistics(hypothesis, references: refs)
            for i in stats.indices { sum[i] += stats[i] }
        }
        return score(sum)
    }

    public static func sentence(_ hypothesis: String, references: [String]) -> Double {
        score(statistics(hypothesis, references: references))
    }
}

/// The mteval-v13a tokeniser as sacreBLEU implements it (`Tokenizer13a` + `TokenizerRegexp`),
/// scalar by scalar so that it splits exactly where Python's regular expressions do.
package enum Tokenizer13a {
    /// Tokens as arrays of scalar values: Python compares strings by code point, Swift by
    /// canonical equivalence, so n-grams are keyed by scalars.
    static func scalarTokens(_ line: String) -> [[UInt32]] {
        var s = Array(line.unicodeScalars)
        s = replace(s, "<skipped>", ""); s = replace(s, "-\n", ""); s = replace(s, "\n", " ")
        if s.contains("&") {
            s = replace(s, "&quot;", "\""); s = replace(s, "&amp;", "&"); s = replace(s, "&lt;", "<"); s = replace(s, "&gt;", ">")
        }
        s = [" "] + s + [" "]
        // 1. ([\{-\~\[-\` -\&\(-\+\:-\@\/]) -> ' \1 '
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count * 2)
        for c in s {
            let v = c.value
            if (0x7B...0x7E).contains(v) || (0x5B...0x60).contains(v) || (0x20...0x26).contains(v)
                || (0x28...0x2B).contains(v) || (0x3A...0x40).contains(v) || v == 0x2F {
                out += [" ", c, " "]
            } else {
                out.append(c)
            }
        }
        s = out
        // 2. ([^0-9])([\.,]) -> '\1 \2 '
        s = substitutePairs(s, { !isDigit($0) }, { $0 == "." || $0 == "," }) { [$0, " ", $1, " "] }
        // 3. ([\.,])([^0-9]) -> ' \1 \2'
        s = substitutePairs(s, { $0 == "." || $0 == "," }, { !isDigit($0) }) { [" ", $0, " ", $1] }
        // 4. ([0-9])(-) -> '\1 \2 '
        s = substitutePairs(s, isDigit, { $0 == "-" }) { [$0, " ", $1, " "] }
        // ' '.join(line.split()), then split again by BLEU: runs of non-space scalars.
        var tokens: [[UInt32]] = [], current: [UInt32] = []
        for c in s {
            if c.isPythonSpace {
                if !current.isEmpty { tokens.append(current); current = [] }
            } else {
                current.append(c.value)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// The tokens of a line as strings.
    public static func tokens(_ line: String) -> [String] {
        scalarTokens(line).map { token in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: token.compactMap(Unicode.Scalar.init))
            return String(view)
        }
    }

    /// Python `str.replace`: every non-overlapping occurrence, left to right, by code point.
    static func replace(_ s: [Unicode.Scalar], _ target: String, _ replacement: String) -> [Unicode.Scalar] {
        let t = Array(target.unicodeScalars), r = Array(replacement.unicodeScalars)
        guard s.count >= t.count else { return s }
        var out: [Unicode.Scalar] = [], i = 0
        while i < s.count {
            if i + t.count <= s.count && s[i] == t[0] && Array(s[i..<(i + t.count)]) == t {
                out += r; i += t.count
            } else {
                out.append(s[i]); i += 1
            }
        }
        return out
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

    /// Python `re.sub` of a two-scalar pattern: leftmost, non-overlapping matches.
    static func substitutePairs(_ s: [Unicode.Scalar], _ first: (Unicode.Scalar) -> Bool, _ second: (Unicode.Scalar) -> Bool,
                                _ replacement: (Unicode.Scalar, Unicode.Scalar) -> [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count + s.count / 2)
        var i = 0
        while i < s.count {
            if i + 1 < s.count && first(s[i]) && second(s[i + 1]) {
                out += replacement(s[i], s[i + 1])
                i += 2
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }
}

extension Unicode.Scalar {
    /// Python's `str.isspace`, which `str.split()` splits on: Unicode White_Space plus the
    /// information separators U+001C...U+001F.
    var isPythonSpace: Bool { properties.isWhitespace || (0x1C...0x1F).contains(value) }
}

extension String {
    /// Python's `str.rstrip()` with no argument.
    func pythonRStrip() -> String {
        var scalars = Array(unicodeScalars)
        while let last = scalars.last, last.isPythonSpace { scalars.removeLast() }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
