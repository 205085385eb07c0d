import HouseStyleText

/// Enforces preferred terms: every listed variant becomes the preferred form, as whole words,
/// with plural and possessive endings carried over ("acme clouds" -> "Acme Clouds",
/// "AcmeCloud's" -> "Acme Cloud's").
///
/// Matching is case-sensitive, with one allowance: a variant written in lower case also
/// matches its sentence-capitalised form, and then a lower-case preferred form is capitalised
/// ("Utilize the API" -> "Use the API").
public struct TermsRule: Sendable {
    public struct Term: Sendable, Hashable {
        public var use: String
        public var insteadOf: [String]
        public init(use: String, insteadOf: [String]) {
            self.use = use
            self.insteadOf = insteadOf
        }
    }

    private struct Variant: Sendable {
        var bytes: [UInt8]       // the variant as written, first letter capitalised when `capitalised`
        var capitalised: Bool    // this entry matches the sentence-capitalised form
        var use: String
        var variant: String
    }

    /// Variants by their leading run of letters and digits, longest first.
    private let byKey: [String: [Variant]]

    public init(terms: [Term]) {
        var table: [String: [Variant]] = [:]
        for term in terms {
            for variant in term.insteadOf where !variant.isEmpty {
                table[Self.key(of: variant), default: []].append(
                    Variant(bytes: Array(variant.utf8), capitalised: false, use: term.use, variant: variant))
                if Casing(of: String(Self.key(of: variant))) == .lower {
                    let capitalised = Casing.capitalised.apply(to: variant)
                    table[Self.key(of: capitalised), default: []].append(
                        Variant(bytes: Array(capitalised.utf8), capitalised: true, use: term.use, variant: variant))
                }
            }
        }
        for key in table.keys { table[key]!.sort { $0.bytes.count > $1.bytes.count } }
        byKey = table
    }

    private static func key(of word: some StringProtocol) -> String {
        String(word.prefix { $0.isLetter || $0.isNumber })
    }

    /// Endings a term's last word may carry: plural and possessive forms.
    private static let endings: [[UInt8]] = ["s", "es", "'s", "\u{2019}s", "s'", "s\u{2019}", ""].map { Array($0.utf8) }

    public func apply(to text: RuleText) -> [Edit] {
        var edits: [Edit] = []
        var index = 0
        while index < text.words.count {
            guard let match = longestMatch(at: index, in: text) else { index += 1; continue }
            let range = text.words[index].range.lowerBound..<match.end
            var replacement = match.variant.capitalised ? Casing.capitalised.apply(to: match.variant.use) : match.variant.use
            replacement += String(decoding: match.ending, as: UTF8.self)
            if text.string(range) != replacement {
                edits.append(Edit(
                    range: range, replacement: replacement, rule: "terms",
                    reason: "house term: use '\(match.variant.use)' instead of '\(match.variant.variant)'"))
            }
            while index < text.words.count && text.words[index].range.lowerBound < match.end { index += 1 }
        }
        return edits
    }

    /// The longest variant that starts at word `index` and ends on a word boundary.
    private func longestMatch(at index: Int, in text: RuleText) -> (variant: Variant, end: Int, ending: [UInt8])? {
        guard let candidates = byKey[Self.key(of: text.word(index))] else { return nil }
        let bytes = text.bytes
        let start = text.words[index].range.lowerBound
        for variant in candidates {
            // Variant bytes against the text; a space matches a run of blanks with at most one line break.
            var i = start
            var matched = true
            for byte in variant.bytes {
                if byte == UInt8(ascii: " ") {
                    var newlines = 0, blanks = 0
                    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D {
                        if bytes[i] == 0x0A { newlines += 1 }
                        blanks += 1
                        i += 1
                    }
                    if blanks == 0 || newlines > 1 { matched = false; break }
                } else if i < bytes.count, bytes[i] == byte {
                    i += 1
                } else {
                    matched = false
                    break
                }
            }
            guard matched else { continue }
            for ending in Self.endings where bytes[i...].starts(with: ending) {
                let end = i + ending.count
                if end <= text.words[index].proseEnd && !text.isWordCharacter(at: end) { return (variant, end, ending) }
            }
        }
        return nil
    }
}
