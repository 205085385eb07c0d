import HouseStyleText

/// The tokens a model knows, numbered. Ids 0–3 are special; words follow in order of falling
/// corpus frequency (ties alphabetical), so the numbering is the same in every run.
///
/// Ids fit in 16 bits so that an n-gram of up to four tokens packs into one `UInt64`.
public struct Vocabulary: Sendable {
    public static let unknown: UInt32 = 0, sentenceStart: UInt32 = 1, sentenceEnd: UInt32 = 2, number: UInt32 = 3
    public static let specials = ["<unk>", "<s>", "</s>", "<num>"]
    /// At most this many tokens (ids are 16-bit; 0 is reserved as "no token" in packed keys).
    public static let capacity = 65_535

    public let tokens: [String]
    private let ids: [String: UInt32]

    public init(tokens: [String]) {
        precondition(Array(tokens.prefix(4)) == Self.specials && tokens.count <= Self.capacity, "malformed vocabulary")
        self.tokens = tokens
        var ids: [String: UInt32] = [:]
        ids.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() { ids[token] = UInt32(index) }
        self.ids = ids
    }

    /// The most frequent words of `counts`, up to the capacity.
    public init(counting counts: [String: Int]) {
        let words = counts.filter { !Self.specials.contains($0.key) }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        self.init(tokens: Self.specials + words.prefix(Self.capacity - Self.specials.count).map(\.key))
    }

    public var count: Int { tokens.count }

    public func id(_ token: some StringProtocol) -> UInt32 { ids[String(token)] ?? Self.unknown }

    public func contains(_ token: String) -> Bool { ids[token] != nil }

    /// The words of an id sequence, space-separated.
    public func phrase(_ ids: some Sequence<UInt32>) -> String { ids.map { tokens[Int($0)] }.joined(separator: " ") }
}

/// Turns sentences into the lowercase word tokens the statistics count: ICU words, numbers as
/// `<num>`, no spaces or punctuation.
package final class ModelTokenizer {
    private let words: WordSegmenter

    public init(locale: String) throws(TextError) { words = try WordSegmenter(locale: locale) }

    public func tokens(_ sentence: String) -> [String] {
        guard let segments = try? words.tokens(in: sentence) else { return [] }
        var result: [String] = []
        result.reserveCapacity(segments.count / 2 + 1)
        for token in segments {
            switch token.kind {
            case .number: result.append(Vocabulary.specials[Int(Vocabulary.number)])
            case .word, .kana, .ideographic: result.append(Self.normalize(token.substring(in: sentence)))
            default: continue
            }
        }
        return result
    }

    /// The word and number tokens as written (numbers as `<num>`), parallel to `tokens(_:)`.
    public func surfaceTokens(_ sentence: String) -> [String] {
        guard let segments = try? words.tokens(in: sentence) else { return [] }
        return segments.compactMap { token in
            switch token.kind {
            case .number: return Vocabulary.specials[Int(Vocabulary.number)]
            case .word, .kana, .ideographic: return String(token.substring(in: sentence))
            default: return nil
            }
        }
    }

    /// The word tokens as written (no numbers), each with whether it follows a word or number with
    /// only spaces between (false for the first, and after punctuation: "saying, Thou").
    func surfaceWordsWithJoins(_ sentence: String) -> [(surface: String, afterWord: Bool)] {
        guard let segments = try? words.tokens(in: sentence) else { return [] }
        var result: [(surface: String, afterWord: Bool)] = []
        var afterWord = false  // whether the last token that is not a space is a word or a number
        for token in segments where token.kind != .whitespace {
            switch token.kind {
            case .word, .kana, .ideographic:
                result.append((String(token.substring(in: sentence)), afterWord))
                afterWord = true
            case .number: afterWord = true
            default: afterWord = false
            }
        }
        return result
    }

    /// Lowercase, with a typographic apostrophe written straight (so `don’t` and `don't` are one token).
    static func normalize(_ word: Substring) -> String {
        var lower = word.lowercased()
        if lower.utf8.contains(0xE2) { lower = lower.replacingOccurrences(of: "\u{2019}", with: "'") }
        return lower
    }
}

@available(*, unavailable)
extension ModelTokenizer: Sendable {}

/// Packing of up to four 16-bit token ids into one key, first token in the highest bits.
enum NGramKey {
    @inline(__always) static func pack(_ ids: ArraySlice<UInt32>) -> UInt64 {
        var key: UInt64 = 0
        for id in ids { key = key << 16 | UInt64(id) }
        return key
    }
    /// All but the last token.
    @inline(__always) static func context(_ key: UInt64) -> UInt64 { key >> 16 }
    /// All but the first token of an n-gram of `order` tokens.
    @inline(__always) static func suffix(_ key: UInt64, order: Int) -> UInt64 {
        order <= 1 ? 0 : key & ((1 << (16 * UInt64(order - 1))) - 1)
    }
    @inline(__always) static func first(_ key: UInt64, order: Int) -> UInt32 { UInt32(key >> (16 * UInt64(order - 1))) }
    @inline(__always) static func last(_ key: UInt64) -> UInt32 { UInt32(key & 0xFFFF) }
    static func unpack(_ key: UInt64, order: Int) -> [UInt32] {
        (0..<order).map { UInt32((key >> (16 * UInt64(order - 1 - $0))) & 0xFFFF) }
    }
}

/// N-gram counts: additive, so counts of corpus shards can be merged.
package struct NGramCounts: Sendable {
    public let maxOrder: Int
    /// `tables[n - 1]`: counts of n-grams, keyed by `NGramKey.pack`.
    public private(set) var tables: [[UInt64: UInt32]]
    /// Tokens counted (unigram total).
    public private(set) var tokenCount = 0

    public init(maxOrder: Int) {
        precondition((1...4).contains(maxOrder))
        self.maxOrder = maxOrder
        tables = Array(repeating: [:], count: maxOrder)
    }

    /// Counts every n-gram of `ids`, orders 1 to `maxOrder`.
    public mutating func add(_ ids: [UInt32]) {
        tokenCount += ids.count
        for start in ids.indices {
            var key: UInt64 = 0
            for order in 1...maxOrder {
                let end = start + order
                guard end <= ids.count else { break }
                key = key << 16 | UInt64(ids[end - 1])
                tables[order - 1][key, default: 0] += 1
            }
        }
    }

    public mutating func merge(_ other: NGramCounts) {
        precondition(other.maxOrder == maxOrder)
        tokenCount += other.tokenCount
        for order in 0..<maxOrder {
            tables[order].merge(other.tables[order], uniquingKeysWith: +)
        }
    }

    public func count(_ ids: [UInt32]) -> Int {
        guard (1...maxOrder).contains(ids.count) else { return 0 }
        return Int(tables[ids.count - 1][NGramKey.pack(ids[...])] ?? 0)
    }

    /// Total count of the n-grams of one order.
    public func total(order: Int) -> Int { tables[order - 1].values.reduce(0) { $0 + Int($1) } }
}
