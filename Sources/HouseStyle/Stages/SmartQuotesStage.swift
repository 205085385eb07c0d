import HouseStyleText
import HouseStyleYAML

/// Curly or straight quotation marks and apostrophes, decided from context:
/// `"Hello," she said` -> `“Hello,” she said`; `it's` -> `it’s`; `'90s` -> `’90s`.
public struct SmartQuotesStage: Sendable {
    /// `keep` changes nothing.
    public let marks: QuoteStyle

    public init(marks: QuoteStyle) { self.marks = marks }

    /// A curly mark, compared as such: comparing the strings (beyond ASCII) costs hundreds of
    /// instructions each, for every straight quote of the text.
    private enum CurlyMark {
        case leftSingle, rightSingle, leftDouble, rightDouble

        var text: String {
            switch self {
            case .leftSingle: "\u{2018}"
            case .rightSingle: "\u{2019}"
            case .leftDouble: "\u{201C}"
            case .rightDouble: "\u{201D}"
            }
        }
    }

    /// - Parameter protected: the document's protected spans; a quote touching a URL or an e-mail
    ///   address stays straight, so that no autolink takes in a curly mark.
    public func apply(to text: RuleText, protected: [ProtectedSpan] = []) -> [Edit] {
        guard marks != .keep else { return [] }
        var edits: [Edit] = []
        let bytes = text.bytes
        var touchingAddress = Set<Int>()
        for span in protected where span.kind == .url || span.kind == .email {
            touchingAddress.insert(span.range.lowerBound - 1)
            touchingAddress.insert(span.range.upperBound)
        }
        for prose in text.prose {
            var offset = prose.lowerBound
            var openedAt = -1  // offset of the last opening mark written, so a nested quote opens too
            var singleOpen = false  // a single quotation is open: its closing mark may follow a digit ('Top 10')
            while offset < prose.upperBound {
                // Nearly every byte is no quotation mark, nor the first byte of a curly one: skip
                // them before trying the cases below.
                offset = ByteSearch.first(UInt8(ascii: "'"), UInt8(ascii: "\""), 0xE2, in: bytes, from: offset, to: prose.upperBound)
                guard offset < prose.upperBound else { break }
                let byte = bytes[offset]
                switch marks {
                case .curly where (byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"")) && !singleOpen && Self.isMeasureMark(at: offset, in: bytes):
                    offset += 1  // feet and inches, minutes and seconds (5'10", 6' tall): not quotes
                case .curly where (byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\""))
                    && (touchingAddress.contains(offset) || Self.isMarkupQuote(at: offset, in: bytes)):
                    // Around a URL, after `=`, or inside something tag-like: markup, not prose.
                    // A value's closing quote stays straight with its opening one (`type="note"`).
                    if offset > 0, bytes[offset - 1] == UInt8(ascii: "="),
                        let close = bytes[(offset + 1)..<min(prose.upperBound, offset + 256)].firstIndex(where: { $0 == byte || $0 == 0x0A || $0 == 0x0D }),
                        bytes[close] == byte
                    {
                        offset = close + 1
                    } else {
                        offset += 1
                    }
                case .curly where byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\""):
                    let replacement = curly(byte == UInt8(ascii: "'"), at: offset, in: text, prose: prose, afterOpening: openedAt == offset - 1)
                    if replacement == .leftSingle || replacement == .leftDouble { openedAt = offset }
                    if replacement == .leftSingle { singleOpen = true }
                    if replacement == .rightSingle && !text.isWordCharacter(at: offset + 1) { singleOpen = false }
                    edits.append(Edit(range: offset..<offset + 1, replacement: replacement.text, rule: "smart_quotes",
                        reason: byte == UInt8(ascii: "'") && replacement == .rightSingle && text.isWordCharacter(at: offset + 1)
                            ? "typographic apostrophe" : "typographic quotation mark"))
                    offset += 1
                case .straight where byte == 0xE2 && offset + 2 < prose.upperBound && bytes[offset + 1] == 0x80
                    && (0x98...0x9D).contains(bytes[offset + 2]) && bytes[offset + 2] != 0x9A && bytes[offset + 2] != 0x9B:
                    let single = bytes[offset + 2] <= 0x99
                    edits.append(Edit(range: offset..<offset + 3, replacement: single ? "'" : "\"", rule: "smart_quotes",
                        reason: "straight quotation marks"))
                    offset += 3
                default:
                    offset += 1
                }
            }
        }
        return edits
    }

    /// True for a straight quote that marks a measure: `'` after a digit and not before a letter
    /// (`6' tall`, `5'10"`; but `1980's` has an apostrophe), `"` after `'` and digits (`5'10"`).
    static func isMeasureMark(at offset: Int, in bytes: [UInt8]) -> Bool {
        func isDigit(_ index: Int) -> Bool { index >= 0 && index < bytes.count && (0x30...0x39).contains(bytes[index]) }
        guard isDigit(offset - 1) else { return false }
        if bytes[offset] == UInt8(ascii: "'") {
            guard offset + 1 < bytes.count else { return true }
            let next = bytes[offset + 1] | 0x20
            return !(next >= UInt8(ascii: "a") && next <= UInt8(ascii: "z")) && bytes[offset + 1] < 0x80
        }
        var start = offset - 1
        while isDigit(start - 1) { start -= 1 }
        return start >= 2 && bytes[start - 1] == UInt8(ascii: "'") && isDigit(start - 2)
    }

    /// True for a straight quote that belongs to markup written as text: after `=` (`type="note"`,
    /// `x='y'`), or between a `<` that starts a tag name and the next `>` on its line (CommonMark
    /// example 622: `<a href=hi'>` is text, but `<a href=hi’>` would be an HTML tag), looking at most
    /// 80 bytes back (a quote after `=` is settled by that rule, so only unquoted values are left).
    static func isMarkupQuote(at offset: Int, in bytes: [UInt8]) -> Bool {
        if offset > 0, bytes[offset - 1] == UInt8(ascii: "=") { return true }
        // A tag may span lines (CommonMark lets attributes continue on the next line), not a blank one.
        // A line ends at LF, CR LF or a lone CR: count the LF, or a CR no LF follows.
        func isLineBreak(_ k: Int) -> Bool {
            bytes[k] == UInt8(ascii: "\n") || (bytes[k] == UInt8(ascii: "\r") && (k + 1 == bytes.count || bytes[k + 1] != UInt8(ascii: "\n")))
        }
        // Only a `<` in the bytes looked at below can make the answer true: most quotes have none.
        let window = max(0, offset - 79)
        guard ByteSearch.first(UInt8(ascii: "<"), UInt8(ascii: "<"), UInt8(ascii: "<"), in: bytes, from: window, to: offset) < offset else { return false }
        var k = offset - 1
        var lineBreaks = 0
        while k >= 0, offset - k < 80 {
            let byte = bytes[k]
            // Letters and most punctuation lie above `>`, the largest byte that matters here.
            if byte > UInt8(ascii: ">") {
                k -= 1
                continue
            }
            if byte == UInt8(ascii: ">") { return false }
            if isLineBreak(k) {
                lineBreaks += 1
                if lineBreaks > 1 { return false }
            }
            if byte == UInt8(ascii: "<") {
                guard k + 1 < bytes.count, (bytes[k + 1] | 0x20) >= UInt8(ascii: "a"), (bytes[k + 1] | 0x20) <= UInt8(ascii: "z") else { return false }
                var e = offset + 1
                while e < bytes.count, e - offset < 256, lineBreaks <= 1 {
                    if bytes[e] == UInt8(ascii: ">") { return true }
                    if bytes[e] == UInt8(ascii: "<") { return false }
                    if isLineBreak(e) { lineBreaks += 1 }
                    e += 1
                }
                return false
            }
            k -= 1
        }
        return false
    }

    /// The curly form of the quote at `offset`: opening after a space, an opening bracket, a
    /// dash, another opening mark or the start of the prose; closing (and apostrophe) otherwise.
    /// - Parameter afterOpening: the straight quote just before this one was made an opening mark.
    private func curly(_ single: Bool, at offset: Int, in text: RuleText, prose: Range<Int>, afterOpening: Bool) -> CurlyMark {
        let before: UInt8? = offset > prose.lowerBound ? text.bytes[offset - 1] : nil
        let opensHere: Bool
        switch before {
        case _ where afterOpening:
            opensHere = true
        case let last? where (last == 0x98 || last == 0x9C) && offset >= 3 && text.bytes[offset - 3] == 0xE2 && text.bytes[offset - 2] == 0x80:
            opensHere = true  // after a curly opening mark (U+2018, U+201C)
        case nil, UInt8(ascii: " ")?, UInt8(ascii: "\t")?, UInt8(ascii: "\n")?, UInt8(ascii: "\r")?,
            UInt8(ascii: "(")?, UInt8(ascii: "[")?, UInt8(ascii: "{")?, UInt8(ascii: "-")?, UInt8(ascii: "/")?:
            opensHere = true
        case 0x94?, 0x93?:  // the last byte of an em or en dash (E2 80 94 / E2 80 93)
            opensHere = true
        default:
            opensHere = false
        }
        if single {
            // An elision before digits ('90s) is an apostrophe, not a quote, unless a quote closes
            // right after the number ('30s', '1m').
            if opensHere, offset + 1 < text.bytes.count, (0x30...0x39).contains(text.bytes[offset + 1]) {
                var end = offset + 1
                while end < text.bytes.count, text.isWordCharacter(at: end) { end += 1 }
                if end >= text.bytes.count || text.bytes[end] != UInt8(ascii: "'") { return .rightSingle }
            }
        }
        // What follows decides too: a space or a line ending closes (`"` at the end of a line); a
        // protected span (`'https://…`) does not.
        let after: UInt8? = offset + 1 < text.bytes.count ? text.bytes[offset + 1] : nil
        let opens = opensHere && after.map { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") } ?? false
        return single ? (opens ? .leftSingle : .rightSingle) : (opens ? .leftDouble : .rightDouble)
    }
}

extension SmartQuotesStage: BuiltinStage {
    public static let stageID = BuiltinStageID.smartQuotes
    /// Its setting, `punctuation.quotes`, is declared with the other `punctuation` keys.
    public static let carriesRule = true
    public static let summary = "Curly or straight quotation marks and apostrophes (`punctuation.quotes`)."
    public static let examples = [
        StageExample(style: "punctuation: { quotes: curly }", input: "\"Don't,\" she said of the '90s.",
                     expected: "\u{201C}Don\u{2019}t,\u{201D} she said of the \u{2019}90s."),
        StageExample(style: "punctuation: { quotes: curly }", input: "\"'Hi,' she said.\"",
                     expected: "\u{201C}\u{2018}Hi,\u{2019} she said.\u{201D}"),
        StageExample(style: "punctuation: { quotes: straight }", input: "\u{201C}It\u{2019}s\u{201D}", expected: "\"It's\""),
        StageExample(style: "punctuation: { quotes: curly }", input: "He is 5'10\" and 6' in boots, \"not 7\", since the 1980's.",
                     expected: "He is 5'10\" and 6' in boots, \u{201C}not 7\u{201D}, since the 1980\u{2019}s."),
        StageExample(style: "punctuation: { quotes: curly }", input: "Our 'Top 10' list.",
                     expected: "Our \u{2018}Top 10\u{2019} list."),
    ]

    /// It looks at characters only.
    public var readsWords: Bool { false }

    public init?(style: Style, options: StageSettings, resources: Resources) throws {
        guard style.punctuation.quotes != .keep else { return nil }
        self.init(marks: style.punctuation.quotes)
    }

    public func apply(to input: StageInput) throws -> StageResult {
        StageResult(edits: apply(to: input.rules, protected: input.protectedSpans))
    }
}
