import Foundation

/// Text that no stage may change although it is not Markdown markup: template syntax (presets),
/// a style's own inline and block patterns, and the regions a document switches off with
/// `<!-- housestyle off -->` comments. What these cover becomes `.ignored` protected spans.
///
/// A document may also switch off single rules (`<!-- housestyle off terms -->` …
/// `<!-- housestyle on terms -->`, `<!-- housestyle off-next-line spelling -->`): those regions are
/// reported in ``Document/ruleRegions`` for the pipeline to apply per stage.
public struct IgnoreRules: Sendable {
    /// Template and markup syntaxes found in documentation sources.
    public enum Preset: String, Sendable, Hashable, CaseIterable {
        /// Hugo shortcodes: `{{< figure src="x.png" >}}`, `{{% note %}}`.
        case hugo
        /// Liquid, Jinja and Go templates: `{% include x %}`, `{{ page.title }}`, `{# comment #}`.
        case liquid
        /// LaTeX maths: `$x^2$`, `$$ … $$`, `\( … \)`, `\[ … \]`.
        case math
        /// MDX: `import`/`export` lines, `{expressions}` and JSX tags such as `<Tabs groupId={x}>`.
        case mdx

        public var summary: String {
            switch self {
            case .hugo: "Hugo shortcodes: {{< … >}} and {{% … %}}"
            case .liquid: "Liquid, Jinja and Go templates: {% … %}, {{ … }} and {# … #}"
            case .math: "LaTeX maths: $…$, $$…$$, \\(…\\) and \\[…\\]"
            case .mdx: "MDX: import/export lines, {expressions} and JSX tags"
            }
        }
    }

    /// A region from a line that `start` matches to the next line that `end` matches, both included.
    public struct Block: @unchecked Sendable {
        public let start: NSRegularExpression
        public let end: NSRegularExpression
        public init(start: NSRegularExpression, end: NSRegularExpression) {
            self.start = start
            self.end = end
        }
    }

    public var presets: Set<Preset>
    /// Matches of these are left alone (`ignore.inline`).
    public var inline: [NSRegularExpression]
    public var blocks: [Block]

    public init(presets: Set<Preset> = [], inline: [NSRegularExpression] = [], blocks: [Block] = []) {
        self.presets = presets
        self.inline = inline
        self.blocks = blocks
    }

    /// Nothing ignored but `<!-- housestyle off -->` regions.
    public static let none = IgnoreRules()

    /// The byte ranges of `bytes` to leave alone, sorted and merged, and the regions where single
    /// rules are off.
    func scan(_ bytes: UnsafeBufferPointer<UInt8>, text: String) -> (ignored: [Range<Int>], ruleRegions: [RuleRegion]) {
        var ranges: [Range<Int>] = []
        if presets.contains(.hugo) || presets.contains(.liquid) { ranges += templateRanges(bytes) }
        if presets.contains(.math) { ranges += Self.mathRanges(bytes) }
        if presets.contains(.mdx) { ranges += Self.mdxRanges(bytes) }
        if !inline.isEmpty || !blocks.isEmpty {
            let length = text.utf16.count
            for pattern in inline {
                let matches = pattern.matches(in: text, range: NSRange(location: 0, length: length)).map(\.range).filter { $0.length > 0 }
                ranges += Self.utf8Ranges(matches, in: text)
            }
            if !blocks.isEmpty { ranges += blockRanges(bytes) }
        }
        let directives = Self.directives(bytes)
        ranges += directives.ignored
        return (Self.merged(ranges), directives.rules)
    }

    /// UTF-8 offsets of `ranges` (UTF-16, as `NSRegularExpression` reports them, sorted by start),
    /// in one walk over the text.
    static func utf8Ranges(_ ranges: [NSRange], in text: String) -> [Range<Int>] {
        var bounds = ranges.flatMap { [$0.location, $0.location + $0.length] }.enumerated().sorted { $0.element < $1.element }
        var utf8Bounds = [Int](repeating: 0, count: bounds.count)
        var utf16 = 0, utf8 = 0
        var next = 0
        for scalar in text.unicodeScalars {
            while next < bounds.count, bounds[next].element <= utf16 { utf8Bounds[bounds[next].offset] = utf8; next += 1 }
            guard next < bounds.count else { break }
            utf16 += scalar.utf16.count
            utf8 += scalar.utf8.count
        }
        while next < bounds.count { utf8Bounds[bounds[next].offset] = utf8; next += 1 }
        bounds.removeAll()
        return stride(from: 0, to: utf8Bounds.count, by: 2).map { utf8Bounds[$0]..<utf8Bounds[$0 + 1] }
    }

    /// The offset of the first `byte` at or after `from` (memchr), or nil.
    static func next(_ byte: UInt8, in s: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < s.count, let base = s.baseAddress, let found = memchr(base + from, Int32(byte), s.count - from) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !range.isEmpty {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }

    // MARK: Presets

    /// `{{ … }}`, `{% … %}`, `{# … #}` (Liquid, Jinja, Go) and `{{< … >}}`, `{{% … %}}` (Hugo).
    private func templateRanges(_ s: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        let liquid = presets.contains(.liquid)
        var ranges: [Range<Int>] = []
        var i = 0
        while i + 1 < s.count {
            guard let brace = Self.next(0x7B, in: s, from: i) else { break }  // {
            i = brace
            guard i + 1 < s.count else { break }
            let next = s[i + 1]
            let close: [UInt8]
            if next == 0x7B, i + 2 < s.count, s[i + 2] == 0x3C { close = Array(">}}".utf8) }        // {{<
            else if next == 0x7B, i + 2 < s.count, s[i + 2] == 0x25 { close = Array("%}}".utf8) }  // {{%
            else if liquid && next == 0x7B { close = Array("}}".utf8) }
            else if liquid && next == 0x25 { close = Array("%}".utf8) }
            else if liquid && next == 0x23 { close = Array("#}".utf8) }
            else { i += 1; continue }
            // The closing delimiter, at most 64 KiB on (a template tag may span lines).
            var k = i + 2
            let limit = min(s.count, i + 65_536)
            var end: Int?
            while k + close.count <= limit {
                if s[k] == close[0], (0..<close.count).allSatisfy({ s[k + $0] == close[$0] }) {
                    end = k + close.count
                    break
                }
                k += 1
            }
            guard let end else { i += 2; continue }
            ranges.append(i..<end)
            i = end
        }
        return ranges
    }

    /// `$$ … $$`, `\[ … \]`, `\( … \)`, and `$…$` where the opening `$` has a non-space after it
    /// and the closing one a non-space before it and no digit after it (Pandoc's rule: "$5 and $10" is no maths).
    static func mathRanges(_ s: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        func find(_ pattern: [UInt8], from: Int) -> Int? {
            var k = from
            while k + pattern.count <= s.count {
                if s[k] == pattern[0], (0..<pattern.count).allSatisfy({ s[k + $0] == pattern[$0] }) { return k }
                k += 1
            }
            return nil
        }
        var i = 0
        var nextDollar = next(0x24, in: s, from: 0) ?? s.count, nextBackslash = next(0x5C, in: s, from: 0) ?? s.count
        while i < s.count {
            if nextDollar < i { nextDollar = next(0x24, in: s, from: i) ?? s.count }
            if nextBackslash < i { nextBackslash = next(0x5C, in: s, from: i) ?? s.count }
            i = min(nextDollar, nextBackslash)
            guard i < s.count else { break }
            let c = s[i]
            if c == 0x24, i + 1 < s.count, s[i + 1] == 0x24, let close = find([0x24, 0x24], from: i + 2) {  // $$
                ranges.append(i..<close + 2)
                i = close + 2
            } else if c == 0x5C, i + 1 < s.count, s[i + 1] == 0x5B || s[i + 1] == 0x28,  // \[ \(
                let close = find([0x5C, s[i + 1] == 0x5B ? 0x5D : 0x29], from: i + 2) {
                ranges.append(i..<close + 2)
                i = close + 2
            } else if c == 0x24, i + 1 < s.count, !ASCII.isWhitespace(s[i + 1]), i == 0 || s[i - 1] != 0x5C {
                // An inline formula ends on its own line.
                var k = i + 1
                var end: Int?
                while k < s.count, s[k] != 0x0A {
                    if s[k] == 0x24, !ASCII.isWhitespace(s[k - 1]), s[k - 1] != 0x5C, k + 1 == s.count || !ASCII.isDigit(s[k + 1]) {
                        end = k + 1
                        break
                    }
                    k += 1
                }
                if let end {
                    ranges.append(i..<end)
                    i = end
                } else {
                    i += 1
                }
            } else {
                i += 1
            }
        }
        return ranges
    }

    /// MDX: `import`/`export` lines, balanced `{ … }` expressions and tags whose attributes hold one.
    static func mdxRanges(_ s: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var lineStart = true
        var i = 0
        while i < s.count {
            let c = s[i]
            if lineStart, s[i...].starts(with: "import ".utf8) || s[i...].starts(with: "export ".utf8) {
                var end = i
                while end < s.count, s[end] != 0x0A { end += 1 }
                ranges.append(i..<end)
                i = end
                continue
            }
            lineStart = c == 0x0A
            if c == 0x7B, let end = balancedBrace(s, from: i) {  // {
                ranges.append(i..<end)
                i = end
                continue
            }
            // A JSX tag: `<Name` or `</Name`, to its `>` outside braces.
            if c == 0x3C, i + 1 < s.count, ASCII.isLetter(s[i + 1]) || (s[i + 1] == 0x2F && i + 2 < s.count && ASCII.isLetter(s[i + 2])) {
                var k = i + 1
                var depth = 0
                while k < s.count, k - i < 4096 {
                    if s[k] == 0x7B { depth += 1 } else if s[k] == 0x7D { depth -= 1 } else if s[k] == 0x3E, depth <= 0 { break }
                    k += 1
                }
                if k < s.count, s[k] == 0x3E, s[i..<k].contains(0x7B) || ASCII.isUppercase(s[i + 1]) || (s[i + 1] == 0x2F && ASCII.isUppercase(s[i + 2])) {
                    ranges.append(i..<k + 1)
                    i = k + 1
                    continue
                }
            }
            i += 1
        }
        return ranges
    }

    private static func balancedBrace(_ s: UnsafeBufferPointer<UInt8>, from i: Int) -> Int? {
        var depth = 0
        var k = i
        while k < s.count, k - i < 65_536 {
            if s[k] == 0x7B { depth += 1 } else if s[k] == 0x7D {
                depth -= 1
                if depth == 0 { return k + 1 }
            }
            k += 1
        }
        return nil
    }

    // MARK: Style patterns

    private func blockRanges(_ s: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var open: (block: Block, start: Int)?
        var lineStart = 0
        while lineStart <= s.count {
            var lineEnd = lineStart
            while lineEnd < s.count, s[lineEnd] != 0x0A { lineEnd += 1 }
            let line = String(decoding: UnsafeBufferPointer(rebasing: s[lineStart..<lineEnd]), as: UTF8.self)
            let whole = NSRange(location: 0, length: line.utf16.count)
            if let (block, start) = open {
                if block.end.firstMatch(in: line, range: whole) != nil {
                    ranges.append(start..<lineEnd)
                    open = nil
                }
            } else if let block = blocks.first(where: { $0.start.firstMatch(in: line, range: whole) != nil }) {
                open = (block, lineStart)
            }
            guard lineEnd < s.count else { break }
            lineStart = lineEnd + 1
        }
        if let (_, start) = open { ranges.append(start..<s.count) }
        return ranges
    }

    // MARK: Comments in the document

    /// A region of the original text where the named rules (stage ids) are off.
    public struct RuleRegion: Sendable, Hashable {
        public var rules: Set<String>
        public var range: Range<Int>
    }

    /// `<!-- housestyle off -->` … `<!-- housestyle on -->` (everything), `off NAME…` … `on NAME…`
    /// or `on` (named rules), `off-next-line [NAME…]` (the line after the comment's line).
    static func directives(_ s: UnsafeBufferPointer<UInt8>) -> (ignored: [Range<Int>], rules: [RuleRegion]) {
        let opener = Array("<!--".utf8)
        var ignored: [Range<Int>] = [], rules: [RuleRegion] = []
        var allOffFrom: Int?
        var ruleOffFrom: [String: Int] = [:]
        func closeRules(_ names: [String], at offset: Int) {
            for name in names {
                guard let from = ruleOffFrom.removeValue(forKey: name) else { continue }
                rules.append(RuleRegion(rules: [name], range: from..<offset))
            }
        }
        // The first line feed at or after `known.from` is at `known.at` (s.count when none): comments
        // ask from ever later offsets, so the text is searched once, not once per comment (a long
        // line holding many `off-next-line` comments was quadratic).
        var known = (from: 0, at: -1)
        func lineFeed(from offset: Int) -> Int {
            if known.from <= offset && offset <= known.at { return known.at }
            var at = offset
            while at < s.count, s[at] != 0x0A { at += 1 }
            known = (offset, at)
            return at
        }
        var i = 0
        while i + 4 <= s.count {
            guard let less = next(0x3C, in: s, from: i) else { break }
            i = less
            guard i + 4 <= s.count, s[i..<i + 4].elementsEqual(opener) else { i += 1; continue }
            var end = i + 4
            while end + 3 <= s.count, !(s[end] == 0x2D && s[end + 1] == 0x2D && s[end + 2] == 0x3E) { end += 1 }
            guard end + 3 <= s.count else { break }
            let body = String(decoding: UnsafeBufferPointer(rebasing: s[(i + 4)..<end]), as: UTF8.self)
            let words = body.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ":" || $0 == "\n" || $0 == "\t" || $0 == "\r" }).map(String.init)
            let commentEnd = end + 3
            defer { i = commentEnd }
            guard words.first == "housestyle", words.count >= 2 else { continue }
            let names = Array(words.dropFirst(2))
            switch words[1] {
            case "off" where names.isEmpty:
                if allOffFrom == nil { allOffFrom = commentEnd }
            case "off":
                for name in names where ruleOffFrom[name] == nil { ruleOffFrom[name] = commentEnd }
            case "on" where names.isEmpty:
                if let from = allOffFrom { ignored.append(from..<i) }
                allOffFrom = nil
                closeRules(Array(ruleOffFrom.keys), at: i)
            case "on":
                closeRules(names, at: i)
            case "off-next-line":
                var lineStart = lineFeed(from: commentEnd)
                guard lineStart < s.count else { continue }
                lineStart += 1
                let lineEnd = lineFeed(from: lineStart)
                if names.isEmpty { ignored.append(lineStart..<lineEnd) } else { rules.append(RuleRegion(rules: Set(names), range: lineStart..<lineEnd)) }
            default:
                continue
            }
        }
        if let from = allOffFrom { ignored.append(from..<s.count) }
        closeRules(Array(ruleOffFrom.keys), at: s.count)
        rules.sort { $0.range.lowerBound < $1.range.lowerBound }
        return (ignored, rules)
    }
}

