import Foundation

/// Token ids of a batch of sentences, padded on the right to the longest one.
package struct TokenBatch: Sendable, Equatable {
    /// Number of sentences (B) and padded length (T).
    public let batchSize: Int, length: Int
    /// ids: (B, T), `[PAD]` (0) after each sentence's end.
    public let ids: [Int32]
    /// attentionMask: (B, T), 1 for real tokens and 0 for padding.
    public let attentionMask: [Int32]
    /// Real tokens per sentence, including `[CLS]` and `[SEP]`.
    public let lengths: [Int]

    /// Pads `sequences` (each already with `[CLS]`/`[SEP]`) into a batch.
    public init(sequences: [[Int32]], padID: Int32 = 0) {
        batchSize = sequences.count
        length = sequences.map(\.count).max() ?? 0
        var ids = [Int32](repeating: padID, count: batchSize * length)
        var mask = [Int32](repeating: 0, count: batchSize * length)
        for (b, sequence) in sequences.enumerated() {
            for (t, id) in sequence.enumerated() {
                ids[b * length + t] = id
                mask[b * length + t] = 1
            }
        }
        self.ids = ids
        self.attentionMask = mask
        self.lengths = sequences.map(\.count)
    }

    /// The real tokens of sentence `b`.
    public func sequence(_ b: Int) -> ArraySlice<Int32> { ids[(b * length)..<(b * length + lengths[b])] }
}

/// BERT's uncased tokenizer as used by all-MiniLM-L6-v2 (the `BertNormalizer`, `BertPreTokenizer` and
/// `WordPiece` model of its `tokenizer.json`):
///
/// 1. clean: drop NUL, U+FFFD and control/format/unassigned/private-use characters; whitespace becomes a space;
/// 2. put spaces around CJK ideographs so each is its own word;
/// 3. strip accents (NFD, then drop nonspacing marks) and lower-case, character by character;
/// 4. split on whitespace, and split off each punctuation character;
/// 5. WordPiece: longest match first, continuations prefixed `##`; a word that cannot be covered,
///    or is longer than 100 characters, becomes `[UNK]`;
/// 6. truncate to `maximumLength` tokens including `[CLS]` and `[SEP]`.
package struct WordPieceTokenizer: Sendable {
    /// Token ids by the UTF-8 bytes of the token: bytes, not `String`, because Swift compares strings
    /// by canonical equivalence and the vocabulary must distinguish e.g. Hangul jamo from syllables.
    private let vocabulary: [[UInt8]: Int32]
    /// Tokens by id.
    public let tokens: [String]
    public let unknownID: Int32, classifierID: Int32, separatorID: Int32, paddingID: Int32
    /// Longest sequence produced, including `[CLS]` and `[SEP]` (sentence-transformers uses 256).
    public let maximumLength: Int
    /// Words longer than this many characters become `[UNK]`.
    public let maximumWordCharacters = 100

    /// Reads a `vocab.txt` (one token per line; the line number is the id).
    /// - Throws: `EncoderError` when the file is missing or lacks a special token.
    public init(vocabularyPath: String, maximumLength: Int = 256) throws {
        guard let data = FileManager.default.contents(atPath: vocabularyPath) else {
            throw EncoderError.fileNotFound(path: vocabularyPath)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EncoderError.invalidVocabulary(path: vocabularyPath, reason: "not valid UTF-8")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        if lines.last == "" { lines.removeLast() }
        try self.init(tokens: lines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 },
                      maximumLength: maximumLength, source: vocabularyPath)
    }

    /// A tokenizer over `tokens` (index = id).
    /// - Throws: `EncoderError.invalidVocabulary` when `[PAD]`, `[UNK]`, `[CLS]` or `[SEP]` is missing.
    public init(tokens: [String], maximumLength: Int = 256, source: String = "vocabulary") throws {
        precondition(maximumLength >= 2, "room for [CLS] and [SEP] is needed")
        var vocabulary: [[UInt8]: Int32] = [:]
        vocabulary.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() where vocabulary[Array(token.utf8)] == nil {
            vocabulary[Array(token.utf8)] = Int32(id)
        }
        func special(_ name: String) throws -> Int32 {
            guard let id = vocabulary[Array(name.utf8)] else {
                throw EncoderError.invalidVocabulary(path: source, reason: "no \(name) token")
            }
            return id
        }
        self.vocabulary = vocabulary
        self.tokens = tokens
        self.paddingID = try special("[PAD]")
        self.unknownID = try special("[UNK]")
        self.classifierID = try special("[CLS]")
        self.separatorID = try special("[SEP]")
        self.maximumLength = maximumLength
    }

    /// Token ids of `text`: `[CLS]`, the word pieces (truncated), `[SEP]`; at most `maximumLength`
    /// (or the given smaller limit) in all.
    public func encode(_ text: String, maximumLength limit: Int? = nil) -> [Int32] {
        var ids: [Int32] = [classifierID]
        let budget = min(limit ?? maximumLength, maximumLength) - 2
        precondition(budget >= 0, "room for [CLS] and [SEP] is needed")
        outer: for word in words(text) {
            for id in wordPieces(word) {
                if ids.count - 1 == budget { break outer }
                ids.append(id)
            }
        }
        ids.append(separatorID)
        return ids
    }

    /// Encodes and pads a batch of sentences.
    public func batch(_ texts: [String]) -> TokenBatch {
        TokenBatch(sequences: texts.map { encode($0) }, padID: paddingID)
    }

    /// The token strings of `ids`, for diagnostics.
    public func tokenStrings(_ ids: some Sequence<Int32>) -> [String] { ids.map { tokens[Int($0)] } }

    // MARK: Normalisation and pre-tokenisation

    /// Normalised words of `text`, each as Unicode scalars (steps 1 to 4).
    func words(_ text: String) -> [[Unicode.Scalar]] {
        // 1 + 2: clean and isolate CJK ideographs.
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
            if Self.isWhitespace(scalar) {
                cleaned.append(" ")
            } else if Self.isCJK(scalar) {
                cleaned.append(" "); cleaned.append(scalar); cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        // 3: strip accents, then lower-case each scalar on its own (no context-dependent casing).
        var normalised: [Unicode.Scalar] = []
        normalised.reserveCapacity(cleaned.count)
        for scalar in String(cleaned).decomposedStringWithCanonicalMapping.unicodeScalars
        where scalar.properties.generalCategory != .nonspacingMark {
            if scalar.isASCII {
                normalised.append(scalar.value >= 65 && scalar.value <= 90 ? Unicode.Scalar(scalar.value + 32)! : scalar)
            } else {
                normalised.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        // 4: whitespace splits; punctuation is a word of its own.
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in normalised {
            if Self.isWhitespace(scalar) {
                if !current.isEmpty { words.append(current); current = [] }
            } else if Self.isPunctuation(scalar) {
                if !current.isEmpty { words.append(current); current = [] }
                words.append([scalar])
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// WordPiece ids of one word (step 5).
    func wordPieces(_ word: [Unicode.Scalar]) -> [Int32] {
        if word.count > maximumWordCharacters { return [unknownID] }
        // UTF-8 byte offset of each scalar boundary, so pieces are byte slices.
        var bytes: [UInt8] = []
        var boundaries: [Int] = [0]
        for scalar in word {
            bytes.append(contentsOf: String(scalar).utf8)
            boundaries.append(bytes.count)
        }
        var ids: [Int32] = []
        var start = 0
        var key: [UInt8] = []
        while start < word.count {
            var end = word.count
            var found: Int32?
            while end > start {
                key.removeAll(keepingCapacity: true)
                if start > 0 { key.append(0x23); key.append(0x23) }  // "##"
                key.append(contentsOf: bytes[boundaries[start]..<boundaries[end]])
                if let id = vocabulary[key] { found = id; break }
                end -= 1
            }
            guard let id = found else { return [unknownID] }
            ids.append(id)
            start = end
        }
        return ids
    }

    // MARK: Character classes (as in the Rust `tokenizers` BertNormalizer and BertPreTokenizer)

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\n", "\r": return true
        default: return scalar.properties.isWhitespace
        }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\n", "\r": return false
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .unassigned, .privateUse, .surrogate: return true
            default: return false
            }
        }
    }

    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default: return false
        }
    }
}
