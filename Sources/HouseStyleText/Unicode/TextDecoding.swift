/// Turns the bytes of a file into text, refusing anything that is not UTF-8 text.
///
/// Nothing is stripped or repaired: a byte order mark stays at the start of the text (and in the
/// first sentence and token), CRLF line breaks stay CRLF.
public enum TextDecoding {
    /// Decodes `bytes` as UTF-8.
    ///
    /// - Parameter path: names the file in errors, e.g. `corpora/acme/intro.md`.
    /// - Throws: `TextError.binaryContent` if there is a NUL byte anywhere (checked before UTF-8
    ///   validity, so binary files are reported as binary), `TextError.utf16` for a UTF-16 byte
    ///   order mark, `TextError.invalidUTF8` with the offset of the first byte that is not UTF-8.
    public static func decodeUTF8(_ bytes: some Collection<UInt8>, path: String) throws(TextError) -> String {
        let decoded = bytes.withContiguousStorageIfAvailable { decode($0, path: path) }
            ?? Array(bytes).withUnsafeBufferPointer { decode($0, path: path) }
        return try decoded.get()
    }

    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, path: String) -> Result<String, TextError> {
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            return .failure(.utf16(path: path))
        }
        if let offset = firstNUL(in: bytes) { return .failure(.binaryContent(path: path, byteOffset: offset)) }
        if let offset = firstInvalidUTF8Offset(in: bytes) { return .failure(.invalidUTF8(path: path, byteOffset: offset)) }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    /// Offset of the first NUL byte, if any.
    static func firstNUL(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var i = 0
        // Eight bytes at a time: a word has a zero byte iff (w - 0x01..01) & ~w & 0x80..80 != 0.
        while i + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < bytes.count {
            if bytes[i] == 0 { return i }
            i += 1
        }
        return nil
    }

    /// Offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode 15,
    /// table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or nil if all is valid.
    static func firstInvalidUTF8Offset(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var i = 0
        while i < count {
            // ASCII runs eight bytes at a time.
            while i + 8 <= count, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            guard i < count else { break }
            let lead = base[i]
            if lead < 0x80 { i += 1; continue }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i
            }
            guard i + length <= count else { return i }
            let second = base[i + 1]
            guard second >= low, second <= high else { return i }
            for k in 2..<length where base[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }
}
