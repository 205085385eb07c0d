/// Finds inline markup in the text of one prose block: code spans, links, images, autolinks,
/// inline HTML, escapes, character references, bare URLs and e-mail addresses.
///
/// Works on a contiguous byte buffer and reports spans as offsets into it. Every construct is
/// consumed left to right; searches for closing delimiters are cached so that unclosed openers do
/// not make the scan quadratic.
struct InlineScanner {
    enum Mode { case markdown, plain }

    private struct Bracket {
        var position: Int
        var isImage: Bool
    }

    /// A cached forward search: the first match at or after `from` was `found`.
    private struct Search {
        var from = Int.max
        var found: Int?
    }

    private enum SearchKey: Int, CaseIterable {
        case commentEnd, processingEnd, cdataEnd, declarationEnd, doubleQuote, singleQuote,
            titleDoubleQuote, titleSingleQuote, titleParen
    }

    let s: UnsafeBufferPointer<UInt8>
    let mode: Mode
    let definitions: Set<String>
    private(set) var spans: [ProtectedSpan] = []
    private var brackets: [Bracket] = []
    /// Link openers before this offset are inactive: links cannot contain links.
    private var linksInactiveBefore = -1
    private var backtickRuns: [Int: [Int]]?
    private var backtickCursors: [Int: Int] = [:]
    private var searches = [Search](repeating: Search(), count: SearchKey.allCases.count)
    /// Offsets of `/`, `_`, `.` and `-` the scan passed, for `scanIdentifiers`.
    private var identifierTriggers: [Int] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, mode: Mode, definitions: Set<String> = []) {
        self.s = bytes
        self.mode = mode
        self.definitions = definitions
    }

    /// Scans `s[range]` and returns the spans found, sorted by offset.
    mutating func scan(_ range: Range<Int>? = nil) -> [ProtectedSpan] {
        let range = range ?? 0..<s.count
        Self.byteClasses.withUnsafeBufferPointer { classes in scanSpans(range, classes: classes) }
        brackets.removeAll()
        spans.sort { $0.range.lowerBound < $1.range.lowerBound }
        scanIdentifiers(range)
        var result = spans
        spans.removeAll()
        result.sort { $0.range.lowerBound < $1.range.lowerBound }
        return result
    }

    // MARK: Paths and identifiers written as text

    /// Adds an `.identifier` span for each run of non-space bytes outside the spans found so far
    /// that reads as a path, a host or a code identifier rather than words (`isIdentifier`).
    private mutating func scanIdentifiers(_ range: Range<Int>) {
        var found: [ProtectedSpan] = []
        var next = 0  // the first span not before the current chunk
        var covered = range.lowerBound  // the end of the last chunk looked at
        defer { identifierTriggers.removeAll(keepingCapacity: true) }
        for i in identifierTriggers where i >= covered {
            // Only `/`, `_`, `.` and `-` with a non-space on each side can make a chunk an identifier;
            // a `/` may also start one (`/api/v1`).
            let c = s[i]
            guard i + 1 < range.upperBound, !ASCII.isWhitespace(s[i + 1]),
                c == ASCII.slash || (i > range.lowerBound && !ASCII.isWhitespace(s[i - 1]))
            else { continue }
            var start = i, end = i + 1
            while start > range.lowerBound, !ASCII.isWhitespace(s[start - 1]), !Self.isChunkBoundary(s[start - 1]) { start -= 1 }
            while end < range.upperBound, !ASCII.isWhitespace(s[end]), !Self.isChunkBoundary(s[end]) { end += 1 }
            // Not inside or across what is already protected (a URL, a code span, a link's end).
            while next < spans.count, spans[next].range.upperBound <= start { next += 1 }
            if next < spans.count, spans[next].range.lowerBound < end {
                covered = max(i + 1, spans[next].range.upperBound)
                continue
            }
            covered = end
            // Closing punctuation is not part of it ("see /etc/hosts.").
            while end > start, [ASCII.dot, 0x2C, ASCII.colon, ASCII.semicolon, ASCII.question, ASCII.bang].contains(s[end - 1]) { end -= 1 }
            if end > start, Self.isIdentifier(s[start..<end]) { found.append(ProtectedSpan(range: start..<end, kind: .identifier)) }
        }
        spans += found
    }

    /// Bytes that end an identifier chunk besides whitespace: brackets, quotes, `*`, `<`, `>`, `|`, backtick.
    private static func isChunkBoundary(_ c: UInt8) -> Bool {
        [ASCII.openParen, ASCII.closeParen, ASCII.openBracket, ASCII.closeBracket, ASCII.quote, ASCII.apostrophe,
         ASCII.star, ASCII.less, ASCII.greater, ASCII.backtick, 0x7C, 0x7B, 0x7D].contains(c) || c >= 0x80
    }

    /// Whether `chunk` (no spaces) is a path (`/api/v1`, `~/x`, `./x`, `a/b/c`, `host.tld/x`), a host or
    /// file name (`example.com`, `config.yaml`; not `e.g` or `U.S`), `snake_case`, or a hyphenated
    /// name with a part mixing letters and digits (`xk6-loki`, `utf8-decoder`).
    static func isIdentifier(_ chunk: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var slashes = 0, letters = 0
        var dottedName = false, snake = false, mixedPart = false
        var partLetters = false, partDigits = false
        var segmentLength = 0, longSegments = 0, dots = 0
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for c in chunk {
            let letter = ASCII.isLetter(c), digit = ASCII.isDigit(c)
            if letter { letters += 1 }
            switch c {
            case ASCII.slash:
                slashes += 1
            case ASCII.underscore:
                break
            case ASCII.dot:
                dots += 1
                if segmentLength >= 2 { longSegments += 1 }
                if ASCII.isLetter(previous) { dottedName = true }
            default:
                break
            }
            if c == ASCII.minus || c == ASCII.slash || c == ASCII.dot || c == ASCII.underscore {
                if partLetters && partDigits { mixedPart = true }
                partLetters = false
                partDigits = false
            } else {
                partLetters = partLetters || letter
                partDigits = partDigits || digit
            }
            segmentLength = (c == ASCII.dot || c == ASCII.slash) ? 0 : segmentLength + 1
            // snake_case: `_` between letters or digits (not `_emphasis_`).
            if ASCII.isAlphanumeric(c), previous == ASCII.underscore, ASCII.isAlphanumeric(beforePrevious) { snake = true }
            beforePrevious = previous
            previous = c
        }
        guard letters > 0 else { return false }  // numbers, dates and ranges are numbers
        if partLetters && partDigits && mixedPart == false, chunk.contains(ASCII.minus) { mixedPart = true }
        let first = chunk.first!
        if first == ASCII.slash || first == 0x7E || (first == ASCII.dot && chunk.dropFirst().first == ASCII.slash) { return slashes > 0 && letters > 0 && chunk.count > 1 }
        if slashes >= 2 {
            // At least two named parts ("a/b/c", "go-redis/redis/v8"; not a bare "http://").
            return chunk.split(separator: ASCII.slash).filter { $0.contains(where: ASCII.isLetter) }.count >= 2
        }
        if segmentLength >= 2 { longSegments += 1 }
        // A dotted name needs two segments of two or more characters: "config.yaml", but not "e.g" or "U.S".
        let dotted = dottedName && dots >= 1 && longSegments >= 2 && ASCII.isAlphanumeric(chunk.last!)
        if slashes == 1 { return dotted }
        return dotted || snake || (mixedPart && chunk.contains(ASCII.minus))
    }

    /// What a byte can start, and what it stops from starting right after it (bits of `byteClasses`).
    private enum ByteClass {
        /// Starts Markdown inline markup: `\`, `` ` ``, `<`, `&`, `!`, `[`, `]`.
        static let markup: UInt8 = 1
        /// May start a bare `www.` URL: `w`, either case (`scheme://` URLs are found by a lookahead).
        static let urlStart: UInt8 = 2
        /// Belongs to the local part of a bare e-mail address (so may start one).
        static let emailLocal: UInt8 = 4
        /// No bare URL starts right after this byte.
        static let stopsURL: UInt8 = 8
        /// No bare e-mail address starts right after this byte.
        static let stopsEmail: UInt8 = 16
        /// `/`, `_`, `.` or `-`: may make a run of non-spaces a path or identifier (`scanIdentifiers`).
        static let identifier: UInt8 = 32
    }

    /// `ByteClass` bits of every byte, from the predicates that `bareURL` and `bareEmail` use.
    private static let byteClasses: [UInt8] = (0...255).map { (value: Int) -> UInt8 in
        let c = UInt8(value)
        var bits: UInt8 = 0
        if [ASCII.backslash, ASCII.backtick, ASCII.less, ASCII.ampersand, ASCII.bang, ASCII.openBracket, ASCII.closeBracket]
            .contains(c)
        {
            bits |= ByteClass.markup
        }
        if c | 0x20 == 0x77 { bits |= ByteClass.urlStart }  // w
        if isEmailLocal(c) { bits |= ByteClass.emailLocal }
        if stopsURL(after: c) { bits |= ByteClass.stopsURL }
        if stopsEmail(after: c) { bits |= ByteClass.stopsEmail }
        if c == ASCII.slash || c == ASCII.underscore || c == ASCII.dot || c == ASCII.minus { bits |= ByteClass.identifier }
        return bits
    }

    /// The scan proper. The constructs are tried in a fixed order at every byte that may start
    /// one: Markdown markup, then a bare URL, then a bare e-mail address. Other bytes are skipped
    /// after one table lookup.
    ///
    /// An e-mail address can only start where a run of local-part bytes starting at a word
    /// boundary ends at `@`; rather than scan every word to its end, the scan looks ahead for
    /// the next `@` and stops at the start of the run before it (`emailStart`).
    private mutating func scanSpans(_ range: Range<Int>, classes: UnsafeBufferPointer<UInt8>) {
        var i = range.lowerBound
        let n = range.upperBound
        let markdown = mode == .markdown
        let starts = (markdown ? ByteClass.markup : 0) | ByteClass.urlStart | ByteClass.identifier
        var atSearchStart = range.lowerBound

        /// The first offset at or after `i` that starts a run of local-part bytes ending at `@`
        /// (`n` if none). Every `@` is looked at once: one before `atSearchStart` either had no
        /// local part or had its run start returned already.
        func nextEmailStart(from i: Int) -> Int {
            var at = max(atSearchStart, i)
            while true {
                at = ByteSearch.first(ASCII.at, ASCII.at, ASCII.at, in: s, from: at, to: n)
                guard at < n else { break }
                var runStart = at
                while runStart > range.lowerBound, classes[Int(s[runStart - 1])] & ByteClass.emailLocal != 0 { runStart -= 1 }
                at += 1
                if runStart < at - 1, runStart >= i {
                    atSearchStart = at
                    return runStart
                }
            }
            atSearchStart = n
            return n
        }

        /// The first offset at or after `i` that starts a URL scheme followed by `://` (`n` if none).
        var colonSearchStart = range.lowerBound
        func nextSchemeStart(from i: Int) -> Int {
            var colon = max(colonSearchStart, i)
            while true {
                colon = ByteSearch.first(ASCII.colon, ASCII.colon, ASCII.colon, in: s, from: colon, to: n)
                guard colon + 1 < n else { break }
                defer { colon += 1 }
                let slashes = colon + 2 < n && s[colon + 1] == ASCII.slash && s[colon + 2] == ASCII.slash
                // `mailto:` and `xmpp:` take no `//`.
                let mailto = !slashes && !ASCII.isWhitespace(s[colon + 1])
                    && ((colon - 6 >= range.lowerBound && s.matches("mailto", at: colon - 6, caseInsensitive: true))
                        || (colon - 4 >= range.lowerBound && s.matches("xmpp", at: colon - 4, caseInsensitive: true)))
                guard slashes || mailto else { continue }
                var start = colon
                while start > range.lowerBound, colon - start < 32, Self.isSchemeByte(s[start - 1]) { start -= 1 }
                while start < colon, !ASCII.isLetter(s[start]) { start += 1 }
                if colon - start >= 2, start >= i {
                    colonSearchStart = colon + 1
                    return start
                }
            }
            colonSearchStart = n
            return n
        }

        var emailStart = nextEmailStart(from: i)
        var schemeStart = nextSchemeStart(from: i)
        while i < n {
            if emailStart < i { emailStart = nextEmailStart(from: i) }
            if schemeStart < i { schemeStart = nextSchemeStart(from: i) }
            // Nearly every byte starts nothing: skip a run of them in a tight loop, up to the next
            // place an e-mail address or URL scheme was found to start.
            let skipEnd = min(n, emailStart, schemeStart)
            i = Self.firstStart(in: s, from: i, to: skipEnd, markdown: markdown, classes: classes)
            guard i < n else { break }
            let c = s[i]
            let bits = classes[Int(c)]
            if bits & starts == 0 && i != emailStart && i != schemeStart {
                i += 1
                continue
            }
            if bits & ByteClass.identifier != 0 {
                identifierTriggers.append(i)
                if i != emailStart && i != schemeStart {
                    i += 1
                    continue
                }
            }
            if markdown && bits & ByteClass.markup != 0 {
                switch c {
                case ASCII.backslash:
                    if i + 1 < n, ASCII.isPunctuation(s[i + 1]) {
                        add(i..<i + 2, .escape)
                        i += 2
                    } else {
                        i += 1
                    }
                case ASCII.backtick:
                    i = codeSpan(at: i, limit: n)
                case ASCII.less:
                    if let (end, kind) = autolink(at: i, limit: n) {
                        add(i..<end, kind)
                        i = end
                    } else if let end = inlineHTML(at: i, limit: n) {
                        add(i..<end, .inlineHTML)
                        i = end
                    } else {
                        i += 1
                    }
                case ASCII.ampersand:
                    if let end = characterReference(at: i, limit: n) {
                        add(i..<end, .entity)
                        i = end
                    } else {
                        i += 1
                    }
                case ASCII.bang:
                    if i + 1 < n && s[i + 1] == ASCII.openBracket {
                        brackets.append(Bracket(position: i, isImage: true))
                        i += 2
                    } else {
                        i += 1
                    }
                case ASCII.openBracket:
                    brackets.append(Bracket(position: i, isImage: false))
                    i += 1
                default:  // ASCII.closeBracket
                    i = closeBracket(at: i, start: range.lowerBound, limit: n)
                }
                continue
            }
            let previous = i > range.lowerBound ? classes[Int(s[i - 1])] : 0
            // After a non-ASCII character, a letter or digit continues a word; punctuation such
            // as “ « or a no-break space does not.
            let afterWord = i > range.lowerBound && s[i - 1] >= 0x80 && Self.letterOrDigit(before: i, in: s, from: range.lowerBound)
            // A `scheme://` URL is protected after any character; `www.` only where it starts a word.
            if i == schemeStart || (bits & ByteClass.urlStart != 0 && i + 1 < n && s[i + 1] | 0x20 == 0x77  // ww: most words fail here
                && previous & ByteClass.stopsURL == 0 && !afterWord),
                let end = bareURL(at: i, limit: n)
            {
                add(i..<end, .url)
                i = end
                continue
            }
            // Elsewhere a run of local-part bytes from here does not end at `@`.
            let mailto = i - range.lowerBound >= 7 && s.matches("mailto:", at: i - 7, caseInsensitive: true)
            guard i == emailStart, (previous & ByteClass.stopsEmail == 0 && !afterWord) || mailto else {
                i += 1
                continue
            }
            // The local part runs to the `@` (a run of local-part bytes from here ends there). If
            // the domain is not valid, the bytes up to the `@` can start a bare URL at most, which
            // the loop checks as it goes on.
            let at = s[i...].firstIndex(of: ASCII.at)!
            if let end = bareEmail(localPart: i..<at, limit: n) {
                add((mailto ? i - 7 : i)..<end, .email)
                i = end
            } else {
                i += 1
            }
        }
    }

    /// The first offset in `start..<end` whose byte may start something there, or `end`: a byte
    /// of `ByteClass.markup` (in Markdown) or `identifier`, or a `w` that another `w` follows
    /// (only `ww` can start a bare `www.` URL: a lone `w`, at every "was" and "with", started
    /// nothing, so stopping there was a step of the scan's loop that did nothing). Sixteen bytes a
    /// step, the place read off the block's mask: a byte loop's exit, at another place each
    /// time, was a mispredicted branch at nearly every stop.
    @inline(__always)
    static func firstStart(in s: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, markdown: Bool,
                           classes: UnsafeBufferPointer<UInt8>) -> Int {
        guard start < end, let base = s.baseAddress else { return start }
        // `-` `.` `/` `_`; in Markdown also `!` `&` `<` `[` `\` `]` and the backtick. Whole vectors
        // only: the operators with a scalar operand were compiled lane by lane.
        let a0 = SIMD16<UInt8>(repeating: 0x2D), a1 = SIMD16<UInt8>(repeating: 0x2E), a2 = SIMD16<UInt8>(repeating: 0x2F)
        let a3 = SIMD16<UInt8>(repeating: 0x5F), w = SIMD16<UInt8>(repeating: 0x77), upperW = SIMD16<UInt8>(repeating: 0x57)
        let m0 = SIMD16<UInt8>(repeating: 0x21), m1 = SIMD16<UInt8>(repeating: 0x26), m2 = SIMD16<UInt8>(repeating: 0x3C)
        let m3 = SIMD16<UInt8>(repeating: 0x5B), m4 = SIMD16<UInt8>(repeating: 0x5C), m5 = SIMD16<UInt8>(repeating: 0x5D)
        let m6 = SIMD16<UInt8>(repeating: 0x60)
        /// The lanes of the sixteen bytes from `k` that stop the skip; the byte after them must be in the buffer.
        @inline(__always) func stops(at k: Int) -> SIMDMask<SIMD16<Int8>> {
            let b = UnsafeRawPointer(base + k).loadUnaligned(as: SIMD16<UInt8>.self)
            let after = UnsafeRawPointer(base + k + 1).loadUnaligned(as: SIMD16<UInt8>.self)
            let found = (b .== a0) .| (b .== a1) .| (b .== a2) .| (b .== a3)
                .| (((b .== w) .| (b .== upperW)) .& ((after .== w) .| (after .== upperW)))
            guard markdown else { return found }
            return found .| (b .== m0) .| (b .== m1) .| (b .== m2) .| (b .== m3) .| (b .== m4) .| (b .== m5) .| (b .== m6)
        }
        var k = start
        let blocksEnd = min(end, s.count - 1)  // a block's next byte is in the buffer
        while k + 16 <= blocksEnd {
            let lane = ByteSearch.firstLane(stops(at: k), from: 0)
            if lane < 16 { return k + lane }
            k += 16
        }
        guard k < end else { return end }
        // Fewer than sixteen bytes left: the sixteen that end at `end`, the lanes before `k` left out.
        if end >= 16 && end < s.count {
            let blockStart = end - 16
            let lane = ByteSearch.firstLane(stops(at: blockStart), from: k - blockStart)
            return lane < 16 ? blockStart + lane : end
        }
        return firstStartOneByOne(in: s, from: k, to: end, markdown: markdown, classes: classes)
    }

    /// `firstStart` one byte at a time, by the class table (the tests compare the two).
    static func firstStartOneByOne(in s: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, markdown: Bool,
                                   classes: UnsafeBufferPointer<UInt8>) -> Int {
        let mask = (markdown ? ByteClass.markup : 0) | ByteClass.identifier
        var k = start
        while k < end {
            let bits = classes[Int(s[k])]
            if bits & mask != 0 { break }
            if bits & ByteClass.urlStart != 0 && k + 1 < s.count && s[k + 1] | 0x20 == 0x77 { break }
            k += 1
        }
        return k
    }

    /// `firstStartOneByOne` with the class table fetched, for the tests.
    static func firstStartOneByOne(in s: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, markdown: Bool) -> Int {
        byteClasses.withUnsafeBufferPointer { firstStartOneByOne(in: s, from: start, to: end, markdown: markdown, classes: $0) }
    }

    /// `firstStart` with the class table fetched, for the tests.
    static func firstStart(in s: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, markdown: Bool) -> Int {
        byteClasses.withUnsafeBufferPointer { firstStart(in: s, from: start, to: end, markdown: markdown, classes: $0) }
    }

    private mutating func add(_ range: Range<Int>, _ kind: ProtectedSpan.Kind) {
        spans.append(ProtectedSpan(range: range, kind: kind))
    }

    // MARK: Code spans

    private mutating func codeSpan(at i: Int, limit n: Int) -> Int {
        var k = i
        while k < n, s[k] == ASCII.backtick { k += 1 }
        let length = k - i
        if backtickRuns == nil { indexBacktickRuns() }
        guard let positions = backtickRuns?[length] else { return k }
        var cursor = backtickCursors[length] ?? 0
        while cursor < positions.count, positions[cursor] < k { cursor += 1 }
        backtickCursors[length] = cursor
        guard cursor < positions.count, positions[cursor] + length <= n else { return k }
        let end = positions[cursor] + length
        add(i..<end, .codeSpan)
        return end
    }

    /// Maximal backtick runs of the whole buffer by length, so that finding a closer never rescans.
    private mutating func indexBacktickRuns() {
        var runs: [Int: [Int]] = [:]
        var i = 0
        while i < s.count {
            if s[i] == ASCII.backtick {
                var k = i
                while k < s.count, s[k] == ASCII.backtick { k += 1 }
                runs[k - i, default: []].append(i)
                i = k
            } else {
                i += 1
            }
        }
        backtickRuns = runs
    }

    // MARK: Links and images

    private mutating func closeBracket(at i: Int, start: Int, limit n: Int) -> Int {
        guard let opener = brackets.popLast() else { return i + 1 }
        if !opener.isImage && opener.position < linksInactiveBefore { return i + 1 }
        let textStart = opener.position + (opener.isImage ? 2 : 1)
        var textIsLabel = false
        guard let end = inlineLinkTail(at: i + 1, limit: n)
            ?? referenceTail(at: i, text: textStart..<i, limit: n).map({ textIsLabel = $0.textIsLabel; return $0.end })
        else { return i + 1 }
        if opener.isImage || textIsLabel {
            // An image's alt text, and the text of `[label][]` and `[label]`, which is what finds the definition.
            while let last = spans.last, last.range.lowerBound >= opener.position { spans.removeLast() }
            add(opener.position..<end, opener.isImage ? .image : .referenceLink)
            if !opener.isImage { linksInactiveBefore = opener.position }
        } else {
            add(opener.position..<opener.position + 1, .linkMarker)
            add(i..<end, .linkDestination)
            linksInactiveBefore = opener.position
        }
        return end
    }

    /// `(destination "title")` starting at `j`; returns the offset after `)`.
    private mutating func inlineLinkTail(at j: Int, limit n: Int) -> Int? {
        guard j < n, s[j] == ASCII.openParen else { return nil }
        var k = skipSpace(from: j + 1, limit: n)
        if k < n, s[k] == ASCII.closeParen { return k + 1 }
        guard let destinationEnd = linkDestination(at: k, limit: n) else { return nil }
        k = skipSpace(from: destinationEnd, limit: n)
        if k > destinationEnd, let titleEnd = linkTitle(at: k, limit: n) {
            k = skipSpace(from: titleEnd, limit: n)
        }
        guard k < n, s[k] == ASCII.closeParen else { return nil }
        return k + 1
    }

    /// `][label]`, `][]` or `]` for a defined label: the offset after the last `]`, and whether the
    /// link text is the label (`][]` and `]`).
    private func referenceTail(at i: Int, text: Range<Int>, limit n: Int) -> (end: Int, textIsLabel: Bool)? {
        guard !definitions.isEmpty else { return nil }
        if i + 1 < n, s[i + 1] == ASCII.openBracket {
            guard let (labelEnd, label) = linkLabel(at: i + 1, limit: n) else { return nil }
            let key = label.isEmpty ? normalizedLabel(text) : label
            return key.flatMap { definitions.contains($0) ? (labelEnd, label.isEmpty) : nil }
        }
        return normalizedLabel(text).flatMap { definitions.contains($0) ? (i + 1, true) : nil }
    }

    /// A `[label]` at `j`: the offset after `]` and the normalised label (empty for `[]`).
    func linkLabel(at j: Int, limit n: Int) -> (Int, String)? {
        guard j < n, s[j] == ASCII.openBracket else { return nil }
        var k = j + 1
        while k < n, k - j <= 1000 {
            switch s[k] {
            case ASCII.backslash: k += 2
            case ASCII.openBracket: return nil
            case ASCII.closeBracket:
                if k == j + 1 { return (k + 1, "") }
                guard let label = normalizedLabel(j + 1..<k), !label.isEmpty else { return nil }
                return (k + 1, label)
            default: k += 1
            }
        }
        return nil
    }

    /// A link label as definitions are matched: whitespace collapsed, case folded; nil if too long.
    func normalizedLabel(_ range: Range<Int>) -> String? {
        guard range.count <= 999 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count)
        var pendingSpace = false
        for k in range {
            let c = s[k]
            if ASCII.isWhitespace(c) {
                pendingSpace = !bytes.isEmpty
            } else {
                if pendingSpace { bytes.append(ASCII.space) }
                pendingSpace = false
                bytes.append(c)
            }
        }
        return String(decoding: bytes, as: UTF8.self).lowercased()
    }

    /// Spaces, tabs and at most one line ending.
    private func skipSpace(from j: Int, limit n: Int) -> Int {
        var k = j
        var sawNewline = false
        while k < n {
            let c = s[k]
            if ASCII.isSpaceOrTab(c) {
                k += 1
            } else if c == ASCII.newline || c == ASCII.carriageReturn {
                if sawNewline { break }
                sawNewline = true
                k += (c == ASCII.carriageReturn && k + 1 < n && s[k + 1] == ASCII.newline) ? 2 : 1
            } else {
                break
            }
        }
        return k
    }

    /// A link destination, `<…>` or a run without spaces and with balanced parentheses.
    func linkDestination(at j: Int, limit n: Int) -> Int? {
        guard j < n else { return nil }
        var k = j
        if s[k] == ASCII.less {
            k += 1
            while k < n {
                let c = s[k]
                if c == ASCII.greater { return k + 1 }
                if c == ASCII.newline || c == ASCII.carriageReturn || c == ASCII.less { return nil }
                k += c == ASCII.backslash ? 2 : 1
            }
            return nil
        }
        var depth = 0
        while k < n {
            let c = s[k]
            if c <= ASCII.space || c == 0x7F { break }
            if c == ASCII.backslash, k + 1 < n, ASCII.isPunctuation(s[k + 1]) {
                k += 2
                continue
            }
            if c == ASCII.openParen {
                depth += 1
                if depth > 32 { return nil }
            } else if c == ASCII.closeParen {
                if depth == 0 { break }
                depth -= 1
            }
            k += 1
        }
        return k > j && depth == 0 ? k : nil
    }

    /// A link title in `"…"`, `'…'` or `(…)` at `j`; returns the offset after it.
    mutating func linkTitle(at j: Int, limit n: Int) -> Int? {
        guard j < n else { return nil }
        let key: SearchKey
        let close: UInt8
        switch s[j] {
        case ASCII.quote: (key, close) = (.titleDoubleQuote, ASCII.quote)
        case ASCII.apostrophe: (key, close) = (.titleSingleQuote, ASCII.apostrophe)
        case ASCII.openParen: (key, close) = (.titleParen, ASCII.closeParen)
        default: return nil
        }
        guard let end = find(key, from: j + 1, limit: n, { [s] k in s[k] == close }, escapes: true) else { return nil }
        return end + 1
    }

    /// The first offset at or after `from` where `match` holds, skipping backslash-escaped bytes if
    /// `escapes`; remembered so that a later search from inside the scanned stretch does not rescan.
    private mutating func find(
        _ key: SearchKey, from: Int, limit n: Int, _ match: (Int) -> Bool, escapes: Bool = false
    ) -> Int? {
        let cached = searches[key.rawValue]
        if from >= cached.from, cached.found.map({ from <= $0 }) ?? true {
            return cached.found.flatMap { $0 < n ? $0 : nil }
        }
        var k = from
        var found: Int?
        while k < s.count {
            if escapes, s[k] == ASCII.backslash {
                k += 2
                continue
            }
            if match(k) {
                found = k
                break
            }
            k += 1
        }
        searches[key.rawValue] = Search(from: from, found: found)
        return found.flatMap { $0 < n ? $0 : nil }
    }

    /// A link reference definition `[label]: destination "title"` at line start `j`: the offset of
    /// the end of its last line (before the line ending) and the normalised label.
    mutating func referenceDefinition(at j: Int) -> (Int, String)? {
        let n = s.count
        guard let (labelEnd, label) = linkLabel(at: j, limit: n), !label.isEmpty,
            labelEnd < n, s[labelEnd] == ASCII.colon
        else { return nil }
        let destinationStart = skipSpace(from: labelEnd + 1, limit: n)
        guard let destinationEnd = linkDestination(at: destinationStart, limit: n) else { return nil }
        // With a title, the rest of the title's line must be blank; otherwise the destination's.
        let titleStart = skipSpace(from: destinationEnd, limit: n)
        if titleStart > destinationEnd, let titleEnd = linkTitle(at: titleStart, limit: n),
            let lineEnd = blankToLineEnd(from: titleEnd)
        {
            return (lineEnd, label)
        }
        guard let lineEnd = blankToLineEnd(from: destinationEnd) else { return nil }
        return (lineEnd, label)
    }

    /// If only spaces and tabs follow `j` on its line, the offset of the line's end (before `\r\n`/`\n`).
    private func blankToLineEnd(from j: Int) -> Int? {
        var k = j
        while k < s.count, ASCII.isSpaceOrTab(s[k]) { k += 1 }
        if k == s.count || s[k] == ASCII.newline { return j }
        if s[k] == ASCII.carriageReturn, k + 1 == s.count || s[k + 1] == ASCII.newline { return j }
        return nil
    }

    // MARK: Autolinks, HTML, references

    /// `<scheme:…>` or `<local@domain>`.
    private func autolink(at i: Int, limit n: Int) -> (Int, ProtectedSpan.Kind)? {
        var k = i + 1
        if k < n, ASCII.isLetter(s[k]) {
            k += 1
            while k < n, ASCII.isAlphanumeric(s[k]) || s[k] == ASCII.plus || s[k] == ASCII.dot || s[k] == ASCII.minus {
                k += 1
            }
            let schemeLength = k - i - 1
            if schemeLength >= 2, schemeLength <= 32, k < n, s[k] == ASCII.colon {
                k += 1
                while k < n, s[k] > ASCII.space, s[k] != ASCII.less, s[k] != ASCII.greater { k += 1 }
                if k < n, s[k] == ASCII.greater { return (k + 1, .url) }
                return nil
            }
        }
        // E-mail autolink.
        k = i + 1
        while k < n, Self.isEmailAutolinkLocal(s[k]) { k += 1 }
        guard k > i + 1, k < n, s[k] == ASCII.at else { return nil }
        k += 1
        var labelLength = 0
        while k < n {
            let c = s[k]
            if ASCII.isAlphanumeric(c) || (c == ASCII.minus && labelLength > 0) {
                labelLength += 1
                if labelLength > 63 { return nil }
                k += 1
            } else if c == ASCII.dot, labelLength > 0, s[k - 1] != ASCII.minus {
                labelLength = 0
                k += 1
            } else if c == ASCII.greater, labelLength > 0, s[k - 1] != ASCII.minus {
                return (k + 1, .email)
            } else {
                return nil
            }
        }
        return nil
    }

    private static func isEmailAutolinkLocal(_ c: UInt8) -> Bool {
        ASCII.isAlphanumeric(c) || c == ASCII.dot || c == ASCII.bang || (c >= 0x23 && c <= 0x27) || c == ASCII.star
            || c == ASCII.plus || c == ASCII.slash || c == ASCII.equals || c == ASCII.question || c == 0x5E
            || c == ASCII.underscore || c == ASCII.backtick || (c >= 0x7B && c <= 0x7E) || c == ASCII.minus
    }

    /// An inline HTML open tag, closing tag, comment, processing instruction, declaration or CDATA section.
    mutating func inlineHTML(at i: Int, limit n: Int) -> Int? {
        guard i + 1 < n else { return nil }
        let c = s[i + 1]
        if ASCII.isLetter(c) { return openTag(at: i, limit: n) }
        if c == ASCII.slash {
            var k = i + 2
            guard k < n, ASCII.isLetter(s[k]) else { return nil }
            while k < n, ASCII.isAlphanumeric(s[k]) || s[k] == ASCII.minus { k += 1 }
            while k < n, ASCII.isWhitespace(s[k]) { k += 1 }
            return k < n && s[k] == ASCII.greater ? k + 1 : nil
        }
        if c == ASCII.question {
            return find(.processingEnd, from: i + 2, limit: n, { [s] k in s.matches("?>", at: k) }).map { $0 + 2 }
        }
        guard c == ASCII.bang else { return nil }
        if s.matches("<!--", at: i) {
            if s.matches("<!-->", at: i) { return i + 5 }
            if s.matches("<!--->", at: i) { return i + 6 }
            return find(.commentEnd, from: i + 4, limit: n, { [s] k in s.matches("-->", at: k) }).map { $0 + 3 }
        }
        if s.matches("<![CDATA[", at: i) {
            return find(.cdataEnd, from: i + 9, limit: n, { [s] k in s.matches("]]>", at: k) }).map { $0 + 3 }
        }
        if i + 2 < n, ASCII.isLetter(s[i + 2]) {
            return find(.declarationEnd, from: i + 3, limit: n, { [s] k in s[k] == ASCII.greater }).map { $0 + 1 }
        }
        return nil
    }

    private mutating func openTag(at i: Int, limit n: Int) -> Int? {
        var k = i + 1
        while k < n, ASCII.isAlphanumeric(s[k]) || s[k] == ASCII.minus { k += 1 }
        while true {
            let beforeSpace = k
            while k < n, ASCII.isWhitespace(s[k]) { k += 1 }
            guard k < n else { return nil }
            if s[k] == ASCII.greater { return k + 1 }
            if s[k] == ASCII.slash { return k + 1 < n && s[k + 1] == ASCII.greater ? k + 2 : nil }
            // An attribute needs whitespace before it.
            guard k > beforeSpace, ASCII.isLetter(s[k]) || s[k] == ASCII.underscore || s[k] == ASCII.colon
            else { return nil }
            k += 1
            while k < n,
                ASCII.isAlphanumeric(s[k]) || s[k] == ASCII.underscore || s[k] == ASCII.dot || s[k] == ASCII.colon
                    || s[k] == ASCII.minus
            {
                k += 1
            }
            var v = k
            while v < n, ASCII.isWhitespace(s[v]) { v += 1 }
            guard v < n, s[v] == ASCII.equals else { continue }
            v += 1
            while v < n, ASCII.isWhitespace(s[v]) { v += 1 }
            guard v < n else { return nil }
            switch s[v] {
            case ASCII.quote:
                guard let close = find(.doubleQuote, from: v + 1, limit: n, { [s] k in s[k] == ASCII.quote })
                else { return nil }
                k = close + 1
            case ASCII.apostrophe:
                guard let close = find(.singleQuote, from: v + 1, limit: n, { [s] k in s[k] == ASCII.apostrophe })
                else { return nil }
                k = close + 1
            default:
                k = v
                while k < n, !ASCII.isWhitespace(s[k]),
                    ![ASCII.quote, ASCII.apostrophe, ASCII.equals, ASCII.less, ASCII.greater, ASCII.backtick].contains(s[k])
                {
                    k += 1
                }
                guard k > v else { return nil }
            }
        }
    }

    /// `&name;`, `&#123;` or `&#x1F;`.
    private func characterReference(at i: Int, limit n: Int) -> Int? {
        var k = i + 1
        guard k < n else { return nil }
        if s[k] == ASCII.hash {
            k += 1
            let hex = k < n && (s[k] | 0x20) == 0x78
            if hex { k += 1 }
            let digitsStart = k
            while k < n, hex ? ASCII.isHexDigit(s[k]) : ASCII.isDigit(s[k]), k - digitsStart < 8 { k += 1 }
            let count = k - digitsStart
            guard count >= 1, count <= (hex ? 6 : 7), k < n, s[k] == ASCII.semicolon else { return nil }
            return k + 1
        }
        guard ASCII.isLetter(s[k]) else { return nil }
        while k < n, ASCII.isAlphanumeric(s[k]), k - i <= 32 { k += 1 }
        return k < n && s[k] == ASCII.semicolon && k - i >= 3 ? k + 1 : nil
    }

    // MARK: Bare URLs and e-mail addresses (GitHub's autolink extension)

    /// Whether no bare URL may start right after ASCII byte `p`: inside a word, a path, an address
    /// or a reference. (After a non-ASCII character, `letterOrDigit(before:)` decides.)
    private static func stopsURL(after p: UInt8) -> Bool {
        ASCII.isAlphanumeric(p) || p == ASCII.at || p == ASCII.slash || p == ASCII.dot
            || p == ASCII.colon || p == ASCII.minus || p == ASCII.ampersand || p == ASCII.backslash
    }

    /// A byte of a URL scheme (`svn+ssh`, `git`, `s3`).
    private static func isSchemeByte(_ c: UInt8) -> Bool {
        ASCII.isAlphanumeric(c) || c == ASCII.plus || c == ASCII.minus || c == ASCII.dot
    }

    /// Whether the character that ends right before `i` (a non-ASCII one) is a letter, mark or digit.
    static func letterOrDigit(before i: Int, in s: UnsafeBufferPointer<UInt8>, from lower: Int) -> Bool {
        var start = i - 1
        while start > lower, i - start < 4, s[start] & 0xC0 == 0x80 { start -= 1 }
        var decoder = UTF8()
        var iterator = s[start..<i].makeIterator()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return false }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
    }

    /// A bare URL at `i` (`scheme://…` or `www.`); the caller has checked the byte before.
    private func bareURL(at i: Int, limit n: Int) -> Int? {
        let domainStart: Int
        let isWWW: Bool
        var needsDomain = true
        if s.matches("www.", at: i, caseInsensitive: true) {
            (domainStart, isWWW) = (i, true)
        } else {
            var colon = i
            while colon < n, Self.isSchemeByte(s[colon]) { colon += 1 }
            guard colon + 1 < n, s[colon] == ASCII.colon else { return nil }
            if colon + 2 < n, s[colon + 1] == ASCII.slash, s[colon + 2] == ASCII.slash {
                (domainStart, isWWW) = (colon + 3, false)
            } else if s.matches("mailto:", at: i, caseInsensitive: true) || s.matches("xmpp:", at: i, caseInsensitive: true) {
                (domainStart, isWWW) = (colon + 1, false)
            } else {
                return nil
            }
            // file:///etc/hosts has an empty host.
            needsDomain = s.matches("http", at: i, caseInsensitive: true)
        }
        var k = domainStart
        var periods = 0
        while k < n {
            let d = s[k]
            if ASCII.isAlphanumeric(d) || d == ASCII.minus || d == ASCII.underscore || d >= 0x80 {
                k += 1
            } else if d == ASCII.dot, k > domainStart, k + 1 < n, ASCII.isAlphanumeric(s[k + 1]) || s[k + 1] >= 0x80 {
                periods += 1
                k += 1
            } else {
                break
            }
        }
        guard k > domainStart || !needsDomain, !isWWW || (periods >= 2 || (periods >= 1 && k > domainStart + 4)) else { return nil }
        var opens = 0
        var closes = 0
        let insideBrackets = !brackets.isEmpty
        while k < n {
            let d = s[k]
            if ASCII.isWhitespace(d) || d == ASCII.less || (insideBrackets && d == ASCII.closeBracket) { break }
            if d >= 0x80, unicodeSpace(at: k, limit: n) { break }
            if d == ASCII.openParen { opens += 1 } else if d == ASCII.closeParen { closes += 1 }
            k += 1
        }
        // Trailing punctuation is not part of the URL.
        while k > domainStart {
            let d = s[k - 1]
            if d >= 0x80 {
                // ’ ” › – — … (E2 80 xx) and » (C2 BB) close a quotation or a sentence.
                if k - 3 > domainStart, s[k - 3] == 0xE2, s[k - 2] == 0x80, [0x99, 0x9D, 0xBA, 0x93, 0x94, 0xA6].contains(d) {
                    k -= 3
                    continue
                }
                if k - 2 > domainStart, s[k - 2] == 0xC2, d == 0xBB {
                    k -= 2
                    continue
                }
                break
            }
            switch d {
            case ASCII.question, ASCII.bang, ASCII.dot, ASCII.colon, ASCII.star, ASCII.underscore, ASCII.tilde,
                ASCII.apostrophe, ASCII.quote, 0x2C:
                k -= 1
                continue
            case ASCII.closeParen where closes > opens:
                closes -= 1
                k -= 1
                continue
            case ASCII.semicolon:
                var a = k - 2
                while a > domainStart, ASCII.isAlphanumeric(s[a]) { a -= 1 }
                if a < k - 2, s[a] == ASCII.ampersand {
                    k = a
                    continue
                }
            default:
                break
            }
            break
        }
        return k > domainStart ? k : nil
    }

    /// A no-break, narrow no-break, typographic or ideographic space at `k` (U+00A0, U+2000–U+200A, U+202F, U+3000).
    private func unicodeSpace(at k: Int, limit n: Int) -> Bool {
        switch s[k] {
        case 0xC2: return k + 1 < n && s[k + 1] == 0xA0
        case 0xE2: return k + 2 < n && s[k + 1] == 0x80 && ((0x80...0x8A).contains(s[k + 2]) || s[k + 2] == 0xAF)
        case 0xE3: return k + 2 < n && s[k + 1] == 0x80 && s[k + 2] == 0x80
        default: return false
        }
    }

    private static func isEmailLocal(_ c: UInt8) -> Bool {
        ASCII.isAlphanumeric(c) || c == ASCII.dot || c == ASCII.plus || c == ASCII.minus || c == ASCII.underscore
    }

    /// Whether no bare e-mail address may start right after ASCII byte `p`.
    private static func stopsEmail(after p: UInt8) -> Bool {
        isEmailLocal(p) || p == ASCII.slash || p == ASCII.colon || p == ASCII.at
    }

    /// A bare e-mail address whose local part is the whole run `localPart` of local-part bytes
    /// (the caller has checked the byte before): `@` must follow, then a domain with a period.
    private func bareEmail(localPart: Range<Int>, limit n: Int) -> Int? {
        var k = localPart.upperBound
        guard k < n, s[k] == ASCII.at else { return nil }
        k += 1
        let domainStart = k
        var periods = 0
        while k < n {
            let d = s[k]
            if ASCII.isAlphanumeric(d) || d == ASCII.minus || d == ASCII.underscore {
                k += 1
            } else if d == ASCII.dot, k > domainStart, k + 1 < n,
                ASCII.isAlphanumeric(s[k + 1]) || s[k + 1] == ASCII.minus || s[k + 1] == ASCII.underscore
            {
                periods += 1
                k += 1
            } else {
                break
            }
        }
        guard periods >= 1, s[k - 1] != ASCII.minus, s[k - 1] != ASCII.underscore else { return nil }
        return k
    }
}
