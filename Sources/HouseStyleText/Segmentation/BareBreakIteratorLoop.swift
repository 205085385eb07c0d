internal import CICUShim

/// A plain ICU break iterator that only counts boundaries: the baseline the segmentation
/// benchmark compares `SentenceSegmenter` and `WordSegmenter` with. Not for other uses.
///
/// It runs `ubrk_next` in C over the same UTF-8 UText as the segmenters, without abbreviation
/// filtering, rule statuses or building any Swift values. Not thread-safe.
package final class BareBreakIteratorLoop {
    package enum Unit: Sendable { case sentence, word }

    private let handle: OpaquePointer

    package init(_ unit: Unit, locale: String = "en") throws(TextError) {
        var status: Int32 = 0
        let handle = hs_icu_bare_iterator_open(unit == .sentence ? 1 : 0, locale, &status)
        try checkICU(status, "open a bare break iterator for '\(locale)'", locale: locale)
        guard let handle else { throw .icuFailure(operation: "open a bare break iterator", status: "no iterator") }
        self.handle = handle
    }

    deinit { hs_icu_bare_iterator_close(handle) }

    /// How many boundaries ICU finds after the start of `text` (the number of segments).
    package func countBoundaries(in text: String) throws(TextError) -> Int {
        var text = text
        try checkICULength(text.utf8.count)
        var status: Int32 = 0
        let count = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                hs_icu_bare_count(handle, chars.baseAddress, Int32(chars.count), &status)
            }
        }
        try checkICU(status, "count boundaries")
        return Int(count)
    }
}

@available(*, unavailable)
extension BareBreakIteratorLoop: Sendable {}
