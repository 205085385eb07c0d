internal import CICUShim

/// Unicode normalisation with ICU, working on UTF-8 directly.
///
/// Text that is already normalised is returned as is, without copying.
public enum Normalization {
    /// Canonical composition (NFC): the form HouseStyle keeps text in. `e` + U+0301 becomes `é`.
    public static func nfc(_ text: String) throws(TextError) -> String {
        try normalize(text, form: HS_ICU_NFC, name: "NFC")
    }

    /// Compatibility composition (NFKC): also folds ligatures, full-width forms and the like,
    /// e.g. `ﬁ` becomes `fi` and `２` becomes `2`. Loses distinctions; use it for matching, not output.
    public static func nfkc(_ text: String) throws(TextError) -> String {
        try normalize(text, form: HS_ICU_NFKC, name: "NFKC")
    }

    /// Whether `text` is already in NFC.
    public static func isNFC(_ text: String) throws(TextError) -> Bool {
        try isNormalized(text, form: HS_ICU_NFC, name: "NFC")
    }

    /// Whether `text` is already in NFKC.
    public static func isNFKC(_ text: String) throws(TextError) -> Bool {
        try isNormalized(text, form: HS_ICU_NFKC, name: "NFKC")
    }

    private static func isNormalized(_ text: String, form: hs_icu_normal_form, name: String) throws(TextError) -> Bool {
        try checkICULength(text.utf8.count)
        var text = text
        let (status, normalized) = text.withUTF8 { bytes in
            var normalized: Int32 = 0
            let status = bytes.withMemoryRebound(to: CChar.self) { chars in
                hs_icu_is_normalized(form, chars.baseAddress, Int32(chars.count), &normalized)
            }
            return (status, normalized)
        }
        try checkICU(status, "check \(name) normalisation")
        return normalized != 0
    }

    private static func normalize(_ text: String, form: hs_icu_normal_form, name: String) throws(TextError) -> String {
        if try isNormalized(text, form: form, name: name) { return text }
        var text = text
        let byteCount = text.utf8.count
        let (result, status) = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { source in
                String.fromICU(estimatedByteCount: byteCount + byteCount / 2 + 16) {
                    hs_icu_normalize(form, source.baseAddress, Int32(source.count), $0, $1, $2)
                }
            }
        }
        try checkICU(status, "normalise to \(name)")
        return result
    }
}
