internal import CICUShim

/// Splits text into sentences with ICU's sentence rules, not breaking after known abbreviations.
///
/// Abbreviations come from three places: ICU's data for the locale (what `en@ss=standard` uses),
/// HouseStyle's own list (`defaultAbbreviations`, applied for every locale) and the caller's
/// `extraAbbreviations`. ICU's `FilteredBreakIteratorBuilder` suppresses the breaks.
///
/// A segmenter can be reused for any number of texts, which is much cheaper than making a new
/// one per text. It is not thread-safe (ICU break iterators keep per-text state), so it is not
/// `Sendable`: give each task its own.
public final class SentenceSegmenter {
    /// Abbreviations after which HouseStyle never breaks a sentence, besides ICU's own data.
    /// Each is also suppressed with its first letter capitalised (`e.g.` and `E.g.`).
    public static let defaultAbbreviations: [String] = [
        "Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Jr.", "Sr.", "St.", "Mt.",
        "Inc.", "Ltd.", "Co.", "Fig.", "Figs.", "No.", "Nos.",
        "a.m.", "p.m.", "approx.", "cf.", "e.g.", "etc.", "i.e.", "vs.",
    ]

    /// The locale whose sentence rules and abbreviation data are used, e.g. `en` or `en-GB`.
    public let locale: String
    /// Every abbreviation given to ICU (besides ICU's own data for the locale), sorted.
    public let abbreviations: [String]
    private let segmenter: ICUSegmenter

    /// - Parameters:
    ///   - locale: an ICU or BCP 47 locale identifier.
    ///   - extraAbbreviations: more abbreviations, each a word ending in a period such as `Dept.`.
    /// - Throws: `TextError.invalidAbbreviation` or `TextError.invalidLocale`.
    public init(locale: String = "en", extraAbbreviations: [String] = []) throws(TextError) {
        for abbreviation in extraAbbreviations where !Self.isValidAbbreviation(abbreviation) {
            throw .invalidAbbreviation(abbreviation)
        }
        var all = Set<String>()
        for abbreviation in Self.defaultAbbreviations + extraAbbreviations {
            all.insert(abbreviation)
            all.insert(abbreviation.prefix(1).uppercased() + abbreviation.dropFirst())
        }
        let abbreviations = all.sorted()
        var status: Int32 = 0
        let handle = withCStrings(abbreviations) { pointers in
            hs_icu_sentence_segmenter_open(locale, pointers.baseAddress, Int32(pointers.count), &status)
        }
        try checkICU(status, "open a sentence break iterator for '\(locale)'", locale: locale)
        guard let handle else { throw .icuFailure(operation: "open a sentence break iterator", status: "no iterator") }
        self.locale = locale
        self.abbreviations = abbreviations
        self.segmenter = ICUSegmenter(handle: handle)
    }

    /// The sentences of `text`, in order. Together they cover every byte of `text`: each sentence
    /// keeps the spaces and line breaks that follow it, and a byte order mark stays in the first.
    ///
    /// - Throws: `TextError.textTooLarge` for texts of 2 GiB or more.
    public func sentences(in text: String) throws(TextError) -> [TextSegment] {
        try segmenter.segments(of: text, estimatedCount: text.utf8.count / 128 + 1) { range, _ in
            TextSegment(utf8Range: range)
        }
    }

    private static func isValidAbbreviation(_ abbreviation: String) -> Bool {
        abbreviation.count > 1 && abbreviation.hasSuffix(".")
            && !abbreviation.unicodeScalars.contains { $0.properties.isWhitespace || $0.value == 0 }
    }
}

@available(*, unavailable, message: "a segmenter keeps per-text state; give each task its own")
extension SentenceSegmenter: Sendable {}

/// Calls `body` with NUL-terminated C copies of `strings`, valid only during the call.
private func withCStrings<Result>(
    _ strings: [String], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> Result
) -> Result {
    let copies = strings.map { string -> UnsafeMutablePointer<CChar> in
        let utf8 = Array(string.utf8CString)
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        copy.initialize(from: utf8, count: utf8.count)
        return copy
    }
    defer { copies.forEach { $0.deallocate() } }
    let pointers = copies.map { UnsafePointer<CChar>?($0) }
    return pointers.withUnsafeBufferPointer(body)
}
