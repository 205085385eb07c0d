internal import CICUShim

/// ICU's U_BUFFER_OVERFLOW_ERROR: the result needs a larger buffer.
let icuBufferOverflow = Int32(HS_ICU_BUFFER_OVERFLOW)

/// Largest text ICU can index: its offsets are `int32_t`.
let icuMaximumByteCount = Int(Int32.max)

/// Turns an ICU status code into a thrown `TextError`; warnings (negative codes) are success.
func checkICU(_ status: Int32, _ operation: String, locale: String? = nil) throws(TextError) {
    guard status > 0 else { return }
    // U_ILLEGAL_ARGUMENT_ERROR while opening something for a locale: the locale is at fault.
    if let locale, status == 1 { throw .invalidLocale(locale) }
    throw .icuFailure(operation: operation, status: String(cString: hs_icu_error_name(status)))
}

/// Rejects texts ICU cannot index.
func checkICULength(_ byteCount: Int) throws(TextError) {
    guard byteCount <= icuMaximumByteCount else { throw .textTooLarge(byteCount: byteCount) }
}

extension String {
    /// Builds a string from a C function that writes UTF-8 into a buffer of a given capacity and
    /// reports the length it needs, retrying once with the exact length if the first guess was short.
    /// Returns the final ICU status with the string; the string is empty if the status is an error.
    static func fromICU(
        estimatedByteCount: Int,
        _ write: (UnsafeMutablePointer<CChar>, Int32, UnsafeMutablePointer<Int32>) -> Int32
    ) -> (String, status: Int32) {
        var needed: Int32 = 0
        var status: Int32 = 0
        var capacity = Swift.max(estimatedByteCount, 16)
        while true {
            let result = String(unsafeUninitializedCapacity: capacity) { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    status = write(chars.baseAddress!, Int32(chars.count), &needed)
                }
                return status > 0 ? 0 : Int(needed)
            }
            // ICU reports the exact length it needs, so a second attempt always fits.
            guard status == icuBufferOverflow, Int(needed) > capacity else { return (result, status) }
            capacity = Int(needed)
        }
    }
}
