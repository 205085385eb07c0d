internal import CICUShim

/// Locale-aware case mapping with ICU, working on UTF-8 directly.
///
/// `locale` is an ICU or BCP 47 identifier (`tr`, `en-GB`, `nl`); the empty string means
/// language-neutral rules. The locale matters: in Turkish `i` uppercases to `İ` and `I`
/// lowercases to `ı`; in Dutch `ij` titlecases to `IJ`; in Greek uppercasing drops accents.
package enum CaseMapping {
    /// Full uppercase mapping, e.g. `straße` becomes `STRASSE`.
    package static func uppercased(_ text: String, locale: String = "") throws(TextError) -> String {
        try map(text, HS_ICU_UPPER, locale: locale, operation: "uppercase")
    }

    /// Full lowercase mapping.
    package static func lowercased(_ text: String, locale: String = "") throws(TextError) -> String {
        try map(text, HS_ICU_LOWER, locale: locale, operation: "lowercase")
    }

    /// Titlecases the first letter of each word (words as found by the locale's word break rules)
    /// and lowercases the rest: `hello WORLD` becomes `Hello World`.
    package static func titlecased(_ text: String, locale: String = "") throws(TextError) -> String {
        try map(text, HS_ICU_TITLE, locale: locale, operation: "titlecase")
    }

    /// Default case folding, for caseless comparison (`Straße` and `STRASSE` fold alike).
    package static func folded(_ text: String) throws(TextError) -> String {
        try map(text, HS_ICU_FOLD, locale: "", operation: "case-fold")
    }

    private static func map(
        _ text: String, _ mapping: hs_icu_case_mapping, locale: String, operation: String
    ) throws(TextError) -> String {
        var text = text
        let byteCount = text.utf8.count
        try checkICULength(byteCount)
        let (result, status) = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { source in
                String.fromICU(estimatedByteCount: byteCount + byteCount / 4 + 16) {
                    hs_icu_map_case(mapping, locale, source.baseAddress, Int32(source.count), $0, $1, $2)
                }
            }
        }
        try checkICU(status, operation, locale: locale)
        return result
    }
}
