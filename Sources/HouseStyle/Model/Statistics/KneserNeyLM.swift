import Foundation

/// An interpolated modified Kneser-Ney language model (Chen and Goodman 1998, §3.5), stored in
/// backoff form: for each n-gram its interpolated log probability, for each context its
/// interpolation weight. The unigram distribution is interpolated with a reference distribution
/// (general English or the contrast corpus), so words the voice never uses still get a share.
///
/// File layout (little-endian), every section 8-byte aligned:
/// `"HSLM"`, version u32, order u32, vocabulary size u32, then n-gram counts u64 for orders 2...order;
/// unigram log p (f32 × V), unigram log backoff (f32 × V); for n = 2...order: keys (u64 × count),
/// log p (f32 × count), and for n < order log backoff (f32 × count). Keys are sorted.
package struct LanguageModelTables: Sendable {
    public var order: Int
    public var vocabularySize: Int
    /// Natural-log probabilities and backoff weights of unigrams, by id.
    public var unigramLogP: [Float]
    public var unigramBackoff: [Float]
    /// For orders 2...order: sorted keys, log p, log backoff (empty for the highest order).
    public var keys: [[UInt64]]
    public var logP: [[Float]]
    public var backoff: [[Float]]
}

package enum KneserNey {
    /// Estimates the model from sentences of token ids (without `<s>`/`</s>`, which are added).
    /// - Parameter reference: probability of each vocabulary id under the reference (sums to 1 or less).
    public static func estimate(sentences: [[UInt32]], vocabularySize: Int, order: Int = 4, reference: [Double]) -> LanguageModelTables {
        precondition((2...4).contains(order) && reference.count == vocabularySize)
        var raw = NGramCounts(maxOrder: order)
        var padded: [UInt32] = []
        for sentence in sentences {
            padded.removeAll(keepingCapacity: true)
            padded.append(Vocabulary.sentenceStart)
            padded.append(contentsOf: sentence)
            padded.append(Vocabulary.sentenceEnd)
            raw.add(padded)
        }
        // Adjusted counts: raw counts for the highest order and for n-grams starting with <s>;
        // otherwise the number of distinct words seen before the n-gram.
        var adjusted: [[UInt64: UInt32]] = Array(repeating: [:], count: order)
        adjusted[order - 1] = raw.tables[order - 1]
        for n in stride(from: order - 1, through: 1, by: -1) {
            var table: [UInt64: UInt32] = [:]
            table.reserveCapacity(raw.tables[n - 1].count)
            for key in raw.tables[n].keys { table[NGramKey.suffix(key, order: n + 1), default: 0] += 1 }
            for (key, count) in raw.tables[n - 1] where NGramKey.first(key, order: n) == Vocabulary.sentenceStart {
                table[key] = count
            }
            adjusted[n - 1] = table
        }
        adjusted[0][UInt64(Vocabulary.sentenceStart)] = nil  // <s> is never predicted

        // Discounts D1, D2, D3+ of each order from counts of adjusted counts.
        var discounts: [[Double]] = []
        for n in 1...order {
            var countOfCounts = [0, 0, 0, 0, 0]
            for count in adjusted[n - 1].values where count <= 4 { countOfCounts[Int(count)] += 1 }
            discounts.append(Self.discounts(countOfCounts))
        }
        func discount(_ count: UInt32, order n: Int) -> Double {
            count == 0 ? 0 : discounts[n - 1][min(Int(count), 3) - 1]
        }

        // Context statistics: total adjusted count and the interpolation weight gamma(h).
        func contextGamma(_ n: Int) -> [UInt64: (total: Double, gamma: Double)] {
            var sums: [UInt64: (total: UInt64, n1: UInt32, n2: UInt32, n3: UInt32)] = [:]
            for (key, count) in adjusted[n - 1] {
                let context = n == 1 ? 0 : NGramKey.context(key)
                var entry = sums[context] ?? (0, 0, 0, 0)
                entry.total += UInt64(count)
                switch count { case 1: entry.n1 += 1; case 2: entry.n2 += 1; default: entry.n3 += 1 }
                sums[context] = entry
            }
            let d = discounts[n - 1]
            return sums.mapValues { s in
                let total = Double(s.total)
                return (total, (d[0] * Double(s.n1) + d[1] * Double(s.n2) + d[2] * Double(s.n3)) / total)
            }
        }

        // Unigrams: discounted adjusted counts plus gamma times the reference.
        let uni = contextGamma(1)[0]!
        var unigramP = [Double](repeating: 0, count: vocabularySize)
        for id in 0..<vocabularySize where UInt32(id) != Vocabulary.sentenceStart {
            let count = adjusted[0][UInt64(id)] ?? 0
            unigramP[id] = max(Double(count) - discount(count, order: 1), 0) / uni.total + uni.gamma * reference[id]
        }
        var probabilities: [[UInt64: Double]] = [[:]]
        var keys: [[UInt64]] = [], logP: [[Float]] = [], backoff: [[Float]] = []
        var unigramBackoff = [Float](repeating: 0, count: vocabularySize)
        var previousGamma = contextGamma(2)
        for (context, value) in previousGamma where context < UInt64(vocabularySize) {
            unigramBackoff[Int(context)] = Float(log(value.gamma))
        }
        for n in 2...order {
            let gammas = previousGamma
            var p: [UInt64: Double] = [:]
            p.reserveCapacity(adjusted[n - 1].count)
            for (key, count) in adjusted[n - 1] {
                let context = NGramKey.context(key), suffix = NGramKey.suffix(key, order: n)
                let lower = n == 2 ? unigramP[Int(suffix)] : probabilities[n - 2][suffix]!
                let g = gammas[context]!
                p[key] = max(Double(count) - discount(count, order: n), 0) / g.total + g.gamma * lower
            }
            probabilities.append(p)
            let sorted = p.keys.sorted()
            keys.append(sorted)
            logP.append(sorted.map { Float(log(p[$0]!)) })
            if n < order {
                previousGamma = contextGamma(n + 1)
                backoff.append(sorted.map { previousGamma[$0].map { Float(log($0.gamma)) } ?? 0 })
            } else {
                backoff.append([])
            }
        }
        let unigramLogP = unigramP.enumerated().map { id, p in UInt32(id) == Vocabulary.sentenceStart ? -99 : Float(log(p)) }
        return LanguageModelTables(order: order, vocabularySize: vocabularySize, unigramLogP: unigramLogP,
            unigramBackoff: unigramBackoff, keys: keys, logP: logP, backoff: backoff)
    }

    /// Chen and Goodman's estimates; sensible defaults when a count of counts is zero (tiny corpora).
    static func discounts(_ n: [Int]) -> [Double] {
        guard n[1] > 0, n[2] > 0 else { return [0.5, 1.0, 1.5] }
        let y = Double(n[1]) / (Double(n[1]) + 2 * Double(n[2]))
        let d1 = 1 - 2 * y * Double(n[2]) / Double(n[1])
        let d2 = n[3] > 0 ? 2 - 3 * y * Double(n[3]) / Double(n[2]) : 1.0
        let d3 = n[4] > 0 && n[3] > 0 ? 3 - 4 * y * Double(n[4]) / Double(n[3]) : 1.5
        return [min(max(d1, 0.05), 0.95), min(max(d2, 0.1), 1.9), min(max(d3, 0.1), 2.9)]
    }
}

extension LanguageModelTables {
    static let magic: [UInt8] = Array("HSLM".utf8)
    public static let formatVersion: UInt32 = 1

    /// The binary file described on `LanguageModelTables`.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = Self.magic
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func align() { while out.count % 8 != 0 { out.append(0) } }
        func floats(_ values: [Float]) { for v in values { u32(v.bitPattern) }; align() }
        u32(Self.formatVersion); u32(UInt32(order)); u32(UInt32(vocabularySize))
        for n in 2...order { u64(UInt64(keys[n - 2].count)) }
        align()
        floats(unigramLogP); floats(unigramBackoff)
        for n in 2...order {
            for key in keys[n - 2] { u64(key) }
            floats(logP[n - 2])
            if n < order { floats(backoff[n - 2]) }
        }
        return out
    }
}

/// A language model read from its file by memory mapping: nothing is copied or parsed beyond the header.
public final class LanguageModel: @unchecked Sendable {
    public let order: Int
    public let vocabularySize: Int
    private let file: MappedFile
    private let unigramLogP: UnsafePointer<Float>
    private let unigramBackoff: UnsafePointer<Float>
    private var keys: [UnsafeBufferPointer<UInt64>] = []
    private var logP: [UnsafePointer<Float>] = []
    private var backoff: [UnsafePointer<Float>?] = []

    /// - Throws: `ModelError.corrupt` for a file that is not a HouseStyle language model of this version.
    public init(path: String) throws(ModelError) {
        file = try MappedFile(path: path)
        let base = file.bytes
        let size = file.count
        func fail(_ reason: String) -> ModelError { .corrupt(path: path, reason: reason) }
        guard size >= 16, Array(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: 4)) == LanguageModelTables.magic else {
            throw fail("not a HouseStyle language model (bad magic number)")
        }
        func u32(_ offset: Int) -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
        guard u32(4) == LanguageModelTables.formatVersion else {
            throw fail("language model format \(u32(4)), this housestyle reads \(LanguageModelTables.formatVersion); retrain with housestyle train --force")
        }
        order = Int(u32(8)); vocabularySize = Int(u32(12))
        guard (2...4).contains(order), vocabularySize >= 4 else { throw fail("impossible order or vocabulary size") }
        var offset = 16
        var counts: [Int] = []
        for _ in 2...order {
            guard offset + 8 <= size else { throw fail("truncated header") }
            // Checked before any arithmetic: a crafted count must not overflow, only be refused.
            let count = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            guard count <= UInt64(size) else { throw fail("an n-gram count (\(count)) larger than the file can hold") }
            counts.append(Int(count))
            offset += 8
        }
        func aligned(_ x: Int) -> Int { (x + 7) & ~7 }
        offset = aligned(offset)
        func take(_ bytes: Int) throws(ModelError) -> UnsafeRawPointer {
            guard bytes >= 0, offset + bytes <= size else { throw fail("truncated: the file ends inside its tables") }
            defer { offset = aligned(offset + bytes) }
            return base + offset
        }
        unigramLogP = try take(4 * vocabularySize).assumingMemoryBound(to: Float.self)
        unigramBackoff = try take(4 * vocabularySize).assumingMemoryBound(to: Float.self)
        for (index, count) in counts.enumerated() {
            let n = index + 2
            keys.append(UnsafeBufferPointer(start: try take(8 * count).assumingMemoryBound(to: UInt64.self), count: count))
            logP.append(try take(4 * count).assumingMemoryBound(to: Float.self))
            backoff.append(n < order ? try take(4 * count).assumingMemoryBound(to: Float.self) : nil)
        }
        guard offset == size else { throw fail("\(size - offset) unexpected bytes after the tables") }
    }

    @inline(__always) private func find(_ key: UInt64, order n: Int) -> Int? {
        let table = keys[n - 2]
        var low = 0, high = table.count
        while low < high {
            let mid = (low &+ high) >> 1
            if table[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low < table.count && table[low] == key ? low : nil
    }

    /// Natural log of p(word | context), the context being up to `order - 1` preceding ids.
    public func logProbability(_ word: UInt32, context: ArraySlice<UInt32>) -> Double {
        let id = Int(word) < vocabularySize ? word : Vocabulary.unknown
        let history = context.suffix(order - 1)
        var backoffSum: Float = 0
        var n = history.count + 1
        while n >= 2 {
            let h = history.suffix(n - 1)
            let key = NGramKey.pack(h) << 16 | UInt64(id)
            if let index = find(key, order: n) { return Double(backoffSum + logP[n - 2][index]) }
            // Add the backoff weight of context h (an (n-1)-gram), when h was seen.
            if n - 1 == 1 {
                backoffSum += unigramBackoff[Int(h.first!)]
            } else if let index = find(NGramKey.pack(h), order: n - 1), let weights = backoff[n - 3] {
                backoffSum += weights[index]
            }
            n -= 1
        }
        return Double(backoffSum + unigramLogP[Int(id)])
    }

    /// Whether the voice corpus holds the word pair `a b` (`<s>` and `</s>` count as words).
    public func hasBigram(_ a: UInt32, _ b: UInt32) -> Bool {
        guard order >= 2, Int(a) < vocabularySize, Int(b) < vocabularySize, a != Vocabulary.unknown, b != Vocabulary.unknown else { return false }
        return find(UInt64(a) << 16 | UInt64(b), order: 2) != nil
    }

    /// Natural log probability of a whole sentence (`<s>` and `</s>` added).
    public func logProbability(sentence: [UInt32]) -> Double {
        var ids: [UInt32] = [Vocabulary.sentenceStart]
        ids.append(contentsOf: sentence)
        ids.append(Vocabulary.sentenceEnd)
        var total = 0.0
        for i in 1..<ids.count { total += logProbability(ids[i], context: ids[max(0, i - order + 1)..<i]) }
        return total
    }

    /// Perplexity over sentences: exp of the mean negative log probability per predicted token
    /// (words and `</s>`).
    public func perplexity(_ sentences: [[UInt32]]) -> Double {
        var total = 0.0, count = 0
        for sentence in sentences {
            total -= logProbability(sentence: sentence)
            count += sentence.count + 1
        }
        return count == 0 ? .nan : exp(total / Double(count))
    }
}

/// A read-only memory mapping of a whole file.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawPointer
    let count: Int

    init(path: String) throws(ModelError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        count = Int(info.st_size)
        guard count > 0 else { throw .corrupt(path: path, reason: "the file is empty") }
        guard let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        bytes = UnsafeRawPointer(mapped)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: bytes), count) }
}
