/// Something that covers a range of UTF-8 bytes of a text: a sentence, a token.
///
/// Offsets are into the exact `String` that was segmented; use the same string with
/// `substring(in:)` and `range(in:)`.
package protocol UTF8Ranged {
    /// Bytes of the text this covers (UTF-8 offsets, half-open).
    var utf8Range: Range<Int> { get }
}

extension UTF8Ranged {
    /// The `String.Index` range of this segment in `text` (O(1) for native strings).
    public func range(in text: String) -> Range<String.Index> {
        precondition(utf8Range.upperBound <= text.utf8.count, "segment \(utf8Range) lies outside the text")
        let utf8 = text.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: utf8Range.lowerBound)
        let upper = utf8.index(lower, offsetBy: utf8Range.count)
        return lower..<upper
    }

    /// The text of this segment, sharing storage with `text`.
    public func substring(in text: String) -> Substring {
        text[range(in: text)]
    }
}

/// A sentence (or any other run of text found by a segmenter), as a range of the original text.
///
/// A sentence includes the spaces and line breaks that follow it, so the sentences of a text
/// cover it completely, with nothing lost between them.
public struct TextSegment: UTF8Ranged, Sendable, Hashable, Codable {
    public var utf8Range: Range<Int>

    public init(utf8Range: Range<Int>) {
        self.utf8Range = utf8Range
    }
}

/// What a token is, from ICU's word break rule status and, for the rest, the Unicode general
/// category of its first character.
public enum TokenKind: UInt8, Sendable, Hashable, Codable, CaseIterable {
    /// Letters: `cats`, `don't`, `é`, `שלום`, Hangul, Thai (ICU's UBRK_WORD_LETTER).
    case word = 0
    /// Numbers: `42`, `3.5`, `1,000` (UBRK_WORD_NUMBER).
    case number = 1
    /// Kana words (UBRK_WORD_KANA). Rare in practice: ICU's Chinese-Japanese dictionary reports
    /// the words it finds, kana included, as ideographic.
    case kana = 2
    /// Chinese and Japanese words as found by ICU's dictionary (UBRK_WORD_IDEO): `東京`, `カタカナ`.
    case ideographic = 3
    /// Spaces, tabs and line breaks (CRLF is one token).
    case whitespace = 4
    /// Punctuation: `,` `.` `!` `"` `(` `—`.
    case punctuation = 5
    /// Symbols: `$` `+` `©`, and emoji including ZWJ sequences.
    case symbol = 6
    /// Anything else: control and format characters such as a byte order mark.
    case other = 7

    /// Whether the token is a word or number a reader would count (not space or punctuation).
    public var isWordLike: Bool {
        switch self {
        case .word, .number, .kana, .ideographic: true
        case .whitespace, .punctuation, .symbol, .other: false
        }
    }
}

/// One segment of a text from a `WordSegmenter`: a word, a number, a run of spaces, a punctuation mark.
public struct Token: UTF8Ranged, Sendable, Hashable, Codable {
    public var utf8Range: Range<Int>
    public var kind: TokenKind

    public init(utf8Range: Range<Int>, kind: TokenKind) {
        self.utf8Range = utf8Range
        self.kind = kind
    }
}
