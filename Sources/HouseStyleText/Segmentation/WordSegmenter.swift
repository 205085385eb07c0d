internal import CICUShim
import Synchronization

/// Splits text into tokens (words, numbers, spaces, punctuation, ...) with ICU's word break rules,
/// including ICU's dictionaries for scripts written without spaces (Chinese, Japanese, Thai).
///
/// A segmenter can be reused for any number of texts. It is not thread-safe (ICU break
/// iterators keep per-text state), so it is not `Sendable`: give each task its own.
public final class WordSegmenter {
    /// The locale whose word break rules are used, e.g. `en`.
    public let locale: String
    private let segmenter: ICUSegmenter
    /// Whether Latin-script lines are scanned without ICU (`forEachWord(in:)`): true when
    /// `LatinWordScanner` agrees with this locale's ICU rules on every pattern that matters.
    public let usesLatinScanner: Bool

    /// - Throws: `TextError.invalidLocale` if ICU does not understand `locale`.
    public init(locale: String = "en") throws(TextError) {
        var status: Int32 = 0
        let handle = hs_icu_word_segmenter_open(locale, &status)
        try checkICU(status, "open a word break iterator for '\(locale)'", locale: locale)
        guard let handle else { throw .icuFailure(operation: "open a word break iterator", status: "no iterator") }
        self.locale = locale
        self.segmenter = ICUSegmenter(handle: handle)
        self.usesLatinScanner = try Self.latinScannerAgrees(with: segmenter, locale: locale)
    }

    /// The tokens of `text`, in order. Together they cover every byte of `text`, spaces and
    /// punctuation included.
    ///
    /// - Throws: `TextError.textTooLarge` for texts of 2 GiB or more.
    public func tokens(in text: String) throws(TextError) -> [Token] {
        try segmenter.segments(of: text, estimatedCount: text.utf8.count / 4 + 1) { range, kind in
            Token(utf8Range: range, kind: TokenKind(rawValue: kind) ?? .other)
        }
    }
}

extension WordSegmenter {
    /// Calls `body` with the byte range and kind (`.word` or `.number`) of every word and number of
    /// `bytes`, UTF-8: the word-like tokens `tokens(in:)` finds, less kana and ideographic ones.
    ///
    /// Lines of Latin-script prose (nearly all of English) go through `LatinWordScanner`, several
    /// times faster than a break iterator; runs of other lines go through ICU, and of a long line
    /// (a paragraph written on one line) only the pieces holding characters the scanner does not
    /// know. Both give the same tokens: a line feed is a hard word boundary, so each line can be
    /// segmented on its own, and a space ends every word before it (`pieceEnd`).
    public func forEachWord(
        in bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, _ isNumber: Bool) -> Void
    ) throws(TextError) {
        try scanWords(in: bytes, body)
    }

    /// The words and numbers `forEachWord(in:_:)` finds, handed to `body` in order in batches of
    /// up to `batchCapacity`: a caller that does little per word (the pipeline's first scan of a
    /// whole text) then makes one call per batch instead of one per word.
    public func forEachWordBatch(
        in bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<ScannedWord>) -> Void
    ) throws(TextError) {
        let base = UnsafeMutablePointer<ScannedWord>.allocate(capacity: Self.batchCapacity)
        defer { base.deallocate() }
        var count = 0
        try scanWords(in: bytes) { range, isNumber in
            (base + count).initialize(to: ScannedWord(range, isNumber: isNumber))
            count += 1
            if count == Self.batchCapacity {
                body(UnsafeBufferPointer(start: base, count: count))
                count = 0
            }
        }
        if count > 0 { body(UnsafeBufferPointer(start: base, count: count)) }
    }

    /// Words per batch of `forEachWordBatch`: small enough to stay in the first-level cache.
    public static var batchCapacity: Int { 512 }

    /// `forEachWord`'s work, inlined into each caller so that `body` is too.
    @inline(__always)
    private func scanWords(
        in bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, _ isNumber: Bool) -> Void
    ) throws(TextError) {
        try checkICULength(bytes.count)
        let count = bytes.count
        var pending: Int?     // start of a run of lines for ICU
        func flush(upTo end: Int) throws(TextError) {
            guard let start = pending else { return }
            pending = nil
            try segmenter.forEachSegment(in: UnsafeBufferPointer(rebasing: bytes[start..<end]), offset: start) { range, kind in
                if kind == HS_ICU_TOKEN_NUMBER.rawValue { body(range, true) }
                else if kind == HS_ICU_TOKEN_WORD.rawValue { body(range, false) }
            }
        }
        var i = 0
        while i < count {
            let (end, isASCII) = ByteSearch.line(in: bytes, from: i)
            let line = UnsafeBufferPointer(rebasing: bytes[i..<end])
            if usesLatinScanner && (isASCII || LatinWordScanner.canScan(line)) {
                try flush(upTo: i)
                LatinWordScanner.scan(line, offset: i, body)
            } else if usesLatinScanner && end - i > Self.pieceBytes {
                // A long line with a character the scanner does not know: in pieces cut before a
                // space, so that only the pieces holding such characters go to ICU.
                var start = i
                while start < end {
                    let cut = Self.pieceEnd(bytes, from: start, lineEnd: end)
                    let piece = UnsafeBufferPointer(rebasing: bytes[start..<cut])
                    if LatinWordScanner.canScan(piece) {
                        try flush(upTo: start)
                        LatinWordScanner.scan(piece, offset: start, body)
                    } else if pending == nil {
                        pending = start
                    }
                    start = cut
                }
            } else if pending == nil {
                pending = i
            }
            i = end
        }
        try flush(upTo: count)
    }

    /// Lines longer than this that the scanner cannot take whole are cut into pieces of about
    /// this size.
    static let pieceBytes = 256

    /// Where a piece of the line `bytes[start..<lineEnd]` ends: the first space at least
    /// `pieceBytes` on, or the line's end. A space never joins the character before it into a
    /// word or number (in UAX #29 only another space holds on to a space, and spaces make no
    /// words), so the words of the pieces, segmented one by one, are the words of the line.
    static func pieceEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, lineEnd: Int) -> Int {
        var cut = min(start + pieceBytes, lineEnd)
        while cut < lineEnd && bytes[cut] != 0x20 { cut += 1 }
        return cut
    }

    /// Checks `LatinWordScanner` against ICU: on every string of three characters drawn from
    /// characters of every class, on every string of four over the joining classes, and on each
    /// character it knows beyond ASCII between letters and between digits. Done once per locale
    /// and process, about 110 KB of text: most of its cost is ICU segmenting it. The verdict is
    /// not cached on disk: it is about the ICU data this process loaded (which a data package or
    /// `ICU_DATA` can change under one version number) and this binary's scanner, and a file
    /// another process can write must not be able to switch off a safety check.
    private static func latinScannerAgrees(with segmenter: ICUSegmenter, locale: String) throws(TextError) -> Bool {
        if let known = agreement.withLock({ $0[locale] }) { return known }
        let characters = Array("aZ@09.',;_:-\" \t!\u{A0}é×–’“").map { Array(String($0).utf8) }
        let joining = Array("a1@.',_:’").map { Array(String($0).utf8) }
        var probe: [UInt8] = []
        probe.reserveCapacity(120_000)
        for x in characters { for y in characters { for z in characters {
            probe.append(contentsOf: x); probe.append(contentsOf: y); probe.append(contentsOf: z); probe.append(0x20)
        } } }
        for w in joining { for x in joining { for y in joining { for z in joining {
            probe.append(contentsOf: w); probe.append(contentsOf: x); probe.append(contentsOf: y); probe.append(contentsOf: z)
            probe.append(0x0A)
        } } } }
        var known: [UInt8] = []
        for scalar in (0x80...0x17F).compactMap(Unicode.Scalar.init) + (0x2010...0x2026).compactMap(Unicode.Scalar.init) {
            let bytes = Array(String(scalar).utf8)
            guard LatinWordScanner.classOfNonASCII(bytes[0], bytes[1], bytes.count > 2 ? bytes[2] : 0).0 != .unknown else { continue }
            known += bytes
            for pattern in [[0x61], [0x31], [0x61, 0x61], [0x31, 0x31], [0x61, 0x31], [0x5F, 0x5F]] as [[UInt8]] {
                probe += bytes + [0x20] + [pattern[0]] + bytes + [0x20] + bytes + pattern.suffix(1) + [0x20]
                probe += pattern.prefix(1) + bytes + pattern.suffix(1) + [0x20]
            }
        }
        probe += known
        // Both give their words in text order, so the lists agree exactly when the sets do; a
        // word is its range and whether it is a number.
        var expected: [(start: Int, end: Int, isNumber: Bool)] = [], actual: [(start: Int, end: Int, isNumber: Bool)] = []
        expected.reserveCapacity(probe.count / 2)
        actual.reserveCapacity(probe.count / 2)
        try probe.withUnsafeBufferPointer { bytes throws(TextError) in
            try segmenter.forEachSegment(in: bytes, offset: 0) { range, kind in
                if kind == HS_ICU_TOKEN_NUMBER.rawValue || kind == HS_ICU_TOKEN_WORD.rawValue {
                    expected.append((range.lowerBound, range.upperBound, kind == HS_ICU_TOKEN_NUMBER.rawValue))
                }
            }
            LatinWordScanner.scan(bytes, offset: 0) { range, isNumber in actual.append((range.lowerBound, range.upperBound, isNumber)) }
        }
        let agrees = expected.elementsEqual(actual) { $0 == $1 }
        agreement.withLock { $0[locale] = agrees }
        return agrees
    }

    private static let agreement = Mutex<[String: Bool]>([:])
}

@available(*, unavailable, message: "a segmenter keeps per-text state; give each task its own")
extension WordSegmenter: Sendable {}
