/// Token-level edits between two sentences: the hunks of a longest-common-subsequence alignment
/// of their 13a tokens. An edit is (position in the source tokens, old tokens, new tokens); an
/// insertion has no old tokens, a deletion no new ones.
package struct TokenEdit: Sendable, Hashable, Codable, CustomStringConvertible {
    public var position: Int
    public var old: [String]
    public var new: [String]

    public init(position: Int, old: [String], new: [String]) {
        self.position = position
        self.old = old
        self.new = new
    }

    public var description: String { "\(position): '\(old.joined(separator: " "))' -> '\(new.joined(separator: " "))'" }

    /// The edits that turn `source` into `target`. Typographic and straight quotation marks count
    /// as the same (`doesn’t` is the edit `doesn't`): references are usually typed straight, and
    /// a style's curly quotes are typography, not a different edit.
    public static func diff(_ source: String, _ target: String) -> [TokenEdit] {
        diff(tokens: tokens(source), tokens(target))
    }

    /// The 13a tokens the edits are counted in, quotation marks made straight.
    static func tokens(_ text: String) -> [String] { Tokenizer13a.tokens(straightQuotes(text)) }

    /// `source` (the tokens this edit was found in) with this edit alone made.
    func applied(to source: [String]) -> [String] {
        Array(source[..<position]) + new + source[(position + old.count)...]
    }

    /// For each of a source's `sourceCount` tokens, its place in a target where `edits` (the
    /// source's `diff` to it) keep it; nil where they change it.
    static func keptPlaces(sourceCount: Int, edits: [TokenEdit]) -> [Int?] {
        var places = [Int?](repeating: nil, count: sourceCount)
        var shift = 0, i = 0
        for edit in edits {
            while i < edit.position { places[i] = i + shift; i += 1 }
            i += edit.old.count
            shift += edit.new.count - edit.old.count
        }
        while i < sourceCount { places[i] = i + shift; i += 1 }
        return places
    }

    /// Whether this edit changes what a revision keeps (`places` from `keptPlaces` of the
    /// source this edit was found in, against a revision of `targetCount` tokens): a token it
    /// keeps, or, for an insertion, a place between two tokens it keeps side by side (or
    /// between the sentence's edge and a token it keeps there).
    func touchesKept(_ places: [Int?], targetCount: Int) -> Bool {
        if !old.isEmpty { return (position..<(position + old.count)).contains { places[$0] != nil } }
        let before = position == 0 ? -1 : places[position - 1]
        let after = position == places.count ? targetCount : places[position]
        guard let before, let after else { return false }
        return after == before + 1
    }

    static func straightQuotes(_ text: String) -> String {
        guard text.utf8.contains(0xE2) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            switch scalar {
            case "\u{2018}", "\u{2019}": return "'"
            case "\u{201C}", "\u{201D}": return "\""
            default: return scalar
            }
        }))
    }

    /// The edits that turn token sequence `a` into `b`. Ties in the alignment keep the earliest
    /// match, so the same pair of sentences always gives the same edits.
    public static func diff(tokens a: [String], _ b: [String]) -> [TokenEdit] {
        let n = a.count, m = b.count
        // lcs[i][j]: length of the LCS of a[i...] and b[j...].
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        if n > 0 && m > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
                }
            }
        }
        var edits: [TokenEdit] = []
        var pending: TokenEdit?
        func flush() { if let edit = pending { edits.append(edit); pending = nil } }
        var i = 0, j = 0
        while i < n || j < m {
            if i < n && j < m && a[i] == b[j] {
                flush(); i += 1; j += 1
            } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
                if pending == nil { pending = TokenEdit(position: i, old: [], new: []) }
                pending!.new.append(b[j]); j += 1
            } else {
                if pending == nil { pending = TokenEdit(position: i, old: [], new: []) }
                pending!.old.append(a[i]); i += 1
            }
        }
        flush()
        return edits
    }
}
