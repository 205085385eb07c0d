internal import CICUShim

/// Splits text into tokens (words, numbers, spaces, punctuation, ...) with ICU's word break rules,
/// including ICU's dictionaries for scripts written without spaces (Chinese, Japanese, Thai).
///
/// A segmenter can be reused for any number of texts. It is not thread-safe (ICU break
/// iterators keep per-text state), so it is not `Sendable`: give each task its own.
public final class WordSegmenter {
    /// The locale whose word break rules are used, e.g. `en`.
    public let locale: String
    private let segmenter: ICUSegmenter

    /// - Throws: `TextError.invalidLocale` if ICU does not understand `locale`.
    public init(locale: String = "en") throws(TextError) {
        var status: Int32 = 0
        let handle = hs_icu_word_segmenter_open(locale, &status)
        try checkICU(status, "open a word break iterator for '\(locale)'", locale: locale)
        guard let handle else { throw .icuFailure(operation: "open a word break iterator", status: "no iterator") }
        self.locale = locale
        self.segmenter = ICUSegmenter(handle: handle)
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

@available(*, unavailable, message: "a segmenter keeps per-text state; give each task its own")
extension WordSegmenter: Sendable {}
