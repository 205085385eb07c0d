/// Byte classes used by the scanners (ASCII only: CommonMark's structure is ASCII).
enum ASCII {
    static let tab: UInt8 = 0x09, newline: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D, space: UInt8 = 0x20
    static let bang: UInt8 = 0x21, quote: UInt8 = 0x22, hash: UInt8 = 0x23, ampersand: UInt8 = 0x26
    static let apostrophe: UInt8 = 0x27, openParen: UInt8 = 0x28, closeParen: UInt8 = 0x29, star: UInt8 = 0x2A
    static let plus: UInt8 = 0x2B, minus: UInt8 = 0x2D, dot: UInt8 = 0x2E, slash: UInt8 = 0x2F, colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B, less: UInt8 = 0x3C, equals: UInt8 = 0x3D, greater: UInt8 = 0x3E
    static let question: UInt8 = 0x3F, at: UInt8 = 0x40, openBracket: UInt8 = 0x5B, backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D, underscore: UInt8 = 0x5F, backtick: UInt8 = 0x60, pipe: UInt8 = 0x7C
    static let tilde: UInt8 = 0x7E

    @inline(__always) static func isSpaceOrTab(_ c: UInt8) -> Bool { c == space || c == tab }
    /// Space, tab, line feed, line tabulation, form feed, carriage return.
    @inline(__always) static func isWhitespace(_ c: UInt8) -> Bool { c == space || (c >= 0x09 && c <= 0x0D) }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    @inline(__always) static func isUppercase(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
    @inline(__always) static func isAlphanumeric(_ c: UInt8) -> Bool { isDigit(c) || isLetter(c) }
    @inline(__always) static func isHexDigit(_ c: UInt8) -> Bool { isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) }
    /// CommonMark's ASCII punctuation: the characters a backslash can escape.
    @inline(__always) static func isPunctuation(_ c: UInt8) -> Bool {
        (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E)
    }
    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { isLetter(c) ? c | 0x20 : c }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether the bytes at `offset` equal `pattern`, ASCII letters compared case-insensitively.
    func matches(_ pattern: StaticString, at offset: Int, caseInsensitive: Bool = false) -> Bool {
        let length = pattern.utf8CodeUnitCount
        guard offset >= 0, offset + length <= count else { return false }
        let p = pattern.utf8Start
        for k in 0..<length {
            let a = self[offset + k], b = p[k]
            if caseInsensitive ? ASCII.lower(a) != ASCII.lower(b) : a != b { return false }
        }
        return true
    }

    /// Whether `bytes[range]` contains only spaces, tabs, carriage returns and line feeds.
    func isBlank(_ range: Range<Int>) -> Bool {
        for k in range where !ASCII.isWhitespace(self[k]) { return false }
        return true
    }
}
