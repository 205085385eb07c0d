/// Finds the structure of a CommonMark (+ GitHub tables and bare URLs) document in one pass over
/// its lines, then scans the text of each paragraph, heading and table cell for inline markup.
///
/// Only what protection needs is built: no syntax tree, no rendering. The block phase keeps a
/// stack of open block quotes and list items and one open leaf block, as CommonMark's parsing
/// strategy describes; the inline phase runs once link reference definitions are all known.
struct MarkdownScanner {
    private enum Container {
        case blockQuote
        /// Continuation lines must be indented this many columns past where the enclosing
        /// containers' markers end on that line (which varies: `   > 1. a` then `>    b`).
        case listItem(indent: Int)
    }

    private enum HTMLEnd {
        case contains([StaticString])
        case blankLine
    }

    private enum Leaf {
        case none
        /// The lines are in `paragraphLines`, kept outside the enum so that appending never copies.
        case paragraph
        case fencedCode(fence: UInt8, length: Int, block: Int)
        case indentedCode(block: Int)
        case htmlBlock(end: HTMLEnd, block: Int)
        case table
    }

    /// Text to scan for inline markup: one range per source line, container markers excluded.
    struct InlineJob {
        var kind: ProseBlock.Kind
        var lines: [Range<Int>]
    }

    private let s: UnsafeBufferPointer<UInt8>
    private var spans: [ProtectedSpan] = []
    private var jobs: [InlineJob] = []
    private var definitions: Set<String> = []
    private var lineStarts: [Int] = [0]
    private var containers: [Container] = []
    private var leaf = Leaf.none
    private var paragraphLines: [Range<Int>] = []
    private var nextBlock = 0
    /// Block id of `spans.last` when it is a multi-line block span that may be extended.
    private var lastSpanBlock = -1
    /// Used for HTML tag syntax at block level, with caches shared across lines.
    private var tagScanner: InlineScanner

    // The current line: content is `lineStart..<lineEnd`, the next line starts at `nextLine`.
    private var lineStart = 0
    private var lineEnd = 0
    private var nextLine = 0
    /// Where the current line's trailing spaces and tabs start (`lineStart` for a blank line):
    /// from any offset at or past it, the rest of the line is blank. Found once per line, so that
    /// asking at each open container is O(1), not a scan of the indentation (a list nested 2,000
    /// deep would make that cubic in the depth).
    private var contentEnd = 0
    /// Bytes the block phase examined, for the tests that it stays linear in the input.
    private(set) var work = 0
    // Position in the current line and its column (tabs advance to the next multiple of 4).
    private var pos = 0
    private var col = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        s = bytes
        tagScanner = InlineScanner(bytes, mode: .markdown)
    }

    /// The bytes the block phase examines for `bytes`: about one per input byte however the
    /// containers nest (the tests' measure of linearity).
    static func blockWork(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var scanner = MarkdownScanner(bytes)
        scanner.scanBlocks()
        return scanner.work
    }

    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> DocumentScan {
        var scanner = MarkdownScanner(bytes)
        scanner.scanBlocks()
        var spans = scanner.spans
        var blocks: [ProseBlock] = []
        blocks.reserveCapacity(scanner.jobs.count)
        for job in scanner.jobs {
            let (inline, prose) = Self.scanInline(job.lines, in: bytes, definitions: scanner.definitions)
            spans.append(contentsOf: inline)
            if !prose.isEmpty { blocks.append(ProseBlock(kind: job.kind, ranges: prose)) }
        }
        spans.sort { $0.range.lowerBound < $1.range.lowerBound }
        return DocumentScan(spans: spans, blocks: blocks, lineStarts: scanner.lineStarts)
    }

    // MARK: Lines

    private mutating func scanBlocks() {
        var start = 0
        if s.matches("\u{FEFF}", at: 0) { start = 3 }
        start = frontMatter(at: start)
        // Line starts before the front matter's end.
        var k = 0
        while k < start {
            if s[k] == ASCII.newline { lineStarts.append(k + 1) }
            k += 1
        }
        lineStart = start
        while lineStart < s.count {
            var end = lineStart
            while end < s.count, s[end] != ASCII.newline { end += 1 }
            nextLine = end < s.count ? end + 1 : end
            if end < s.count { lineStarts.append(nextLine) }
            lineEnd = end > lineStart && s[end - 1] == ASCII.carriageReturn ? end - 1 : end
            contentEnd = lineEnd
            while contentEnd > lineStart, ASCII.isSpaceOrTab(s[contentEnd - 1]) { contentEnd -= 1 }
            work += nextLine - lineStart
            processLine()
            lineStart = nextLine
        }
        closeLeaf()
    }

    /// Skips YAML (`---` … `---`/`...`) or TOML (`+++` … `+++`) front matter at `start`.
    ///
    /// Returns the offset after the closing line's content (before its line ending), or `start`
    /// when there is no closed front matter.
    private mutating func frontMatter(at start: Int) -> Int {
        let yaml = s.matches("---", at: start)
        guard yaml || s.matches("+++", at: start), var next = blankAfter(start + 3) else { return start }
        while true {
            while next < s.count, s[next] != ASCII.newline { next += 1 }
            guard next < s.count else { return start }
            let line = next + 1
            let closes = yaml ? (s.matches("---", at: line) || s.matches("...", at: line)) : s.matches("+++", at: line)
            if closes, let end = blankAfter(line + 3) {
                add(start..<end, .frontMatter)
                return end
            }
            next = line
        }
    }

    /// If only spaces and tabs follow `k` before a line ending (or the end), that line ending's offset.
    private func blankAfter(_ k: Int) -> Int? {
        var j = k
        while j < s.count, ASCII.isSpaceOrTab(s[j]) { j += 1 }
        if j == s.count || s[j] == ASCII.newline { return j }
        if s[j] == ASCII.carriageReturn, j + 1 == s.count || s[j + 1] == ASCII.newline { return j }
        return nil
    }

    private mutating func processLine() {
        pos = lineStart
        col = 0
        var matched = 0
        matching: for container in containers {
            switch container {
            case .blockQuote:
                let (p, c) = indentation()
                guard c - col <= 3, p < lineEnd, s[p] == ASCII.greater else { break matching }
                consumeBlockQuoteMarker(at: p, column: c)
            case .listItem(let indent):
                if isBlank(from: pos) { break }
                let contentColumn = col + indent
                var (p, c) = (pos, col)
                while p < lineEnd, c < contentColumn, ASCII.isSpaceOrTab(s[p]) {
                    c = s[p] == ASCII.tab ? (c / 4 + 1) * 4 : c + 1
                    p += 1
                }
                work += p - pos + 1
                guard c >= contentColumn else { break matching }
                (pos, col) = (p, c)
            }
            matched += 1
        }
        let allMatched = matched == containers.count

        // Leaves that swallow lines whole.
        if allMatched {
            switch leaf {
            case .fencedCode(let fence, let length, let block):
                addBlockLine(pos..<lineEnd, .fencedCode, block)
                if isClosingFence(fence, length) { leaf = .none }
                return
            case .htmlBlock(let end, let block):
                switch end {
                case .blankLine:
                    if isBlank(from: pos) {
                        leaf = .none
                        return
                    }
                    addBlockLine(pos..<lineEnd, .htmlBlock, block)
                case .contains(let patterns):
                    addBlockLine(pos..<lineEnd, .htmlBlock, block)
                    if lineContains(patterns, from: pos) { leaf = .none }
                }
                return
            default:
                break
            }
        } else if !isParagraph {
            closeBlocks(keeping: matched)
        }

        // New block quotes and list items.
        var openedNew = false
        while true {
            let (p, c) = indentation()
            guard c - col < 4, p < lineEnd else { break }
            if s[p] == ASCII.greater {
                closeBlocks(keeping: matched)
                consumeBlockQuoteMarker(at: p, column: c)
                containers.append(.blockQuote)
                matched = containers.count
                openedNew = true
                continue
            }
            guard !isThematicBreak(at: p), let marker = listMarker(at: p, column: c) else { break }
            // A list item interrupts a paragraph only when every open container continued on this
            // line: then the item must have content and, if ordered, start at 1 (a setext underline
            // comes first). When a container did not continue (`2. b` after `1. a` or after `> a`),
            // the line could only continue the paragraph lazily, and a list item starts before
            // laziness is considered: CommonMark's list items, as cmark and markdown-it read them.
            if isParagraph && !openedNew && matched == containers.count {
                if isSetextUnderline(at: p) { break }
                if (marker.ordered && marker.number != 1) || marker.empty { break }
            }
            closeBlocks(keeping: matched)
            add(pos..<marker.contentStart, .listMarker)
            containers.append(.listItem(indent: marker.contentColumn - col))
            matched = containers.count
            (pos, col) = (marker.contentStart, marker.contentStartColumn)
            openedNew = true
        }

        let (p, c) = indentation()
        let indent = c - col
        if p >= lineEnd {
            // A blank line closes unmatched block quotes, paragraphs and tables; indented code
            // stays open (its trailing blank lines are not protected).
            if matched < containers.count { closeBlocks(keeping: matched) }
            switch leaf {
            case .paragraph, .table: closeLeaf()
            default: break
            }
            return
        }
        let lazy = matched < containers.count
        if case .paragraph = leaf, !openedNew {
            if !lazy && indent < 4 {
                if isSetextUnderline(at: p) {
                    setextHeading(underline: p)
                    return
                }
                if let header = paragraphLines.last, let columns = tableDelimiterRow(p..<lineEnd),
                    tableCells(header).count == columns
                {
                    paragraphLines.removeLast()
                    closeLeaf()
                    tableRow(header)
                    add(p..<trimmedEnd(p..<lineEnd), .tableDelimiterRow)
                    leaf = .table
                    return
                }
            }
            if indent >= 4 || !interruptsParagraph(at: p) {
                paragraphLines.append(p..<lineEnd)
                return
            }
        }
        if case .table = leaf, !openedNew && !lazy && indent < 4 && !startsBlock(at: p) {
            tableRow(p..<lineEnd)
            return
        }
        if case .indentedCode(let block) = leaf, !openedNew, !lazy, indent >= 4 {
            addBlockLine(pos..<lineEnd, .indentedCode, block)
            return
        }
        closeBlocks(keeping: matched)
        startLeaf(at: p, indent: indent)
    }

    private var isParagraph: Bool {
        if case .paragraph = leaf { return true }
        return false
    }

    private mutating func consumeBlockQuoteMarker(at p: Int, column c: Int) {
        var q = p + 1
        var qc = c + 1
        if q < lineEnd, ASCII.isSpaceOrTab(s[q]) {
            qc = s[q] == ASCII.tab ? (qc / 4 + 1) * 4 : qc + 1
            q += 1
        }
        add(pos..<q, .blockQuoteMarker)
        (pos, col) = (q, qc)
    }

    /// Closes the open leaf and the containers after the first `count`.
    private mutating func closeBlocks(keeping count: Int) {
        if count < containers.count || !isLeafNone {
            closeLeaf()
            containers.removeLast(containers.count - count)
        }
    }

    private var isLeafNone: Bool {
        if case .none = leaf { return true }
        return false
    }

    private mutating func startLeaf(at p: Int, indent: Int) {
        if indent >= 4 {
            let block = newBlock()
            addBlockLine(pos..<lineEnd, .indentedCode, block)
            leaf = .indentedCode(block: block)
            return
        }
        if atxHeading(at: p) { return }
        if let (fence, length) = openingFence(at: p) {
            let block = newBlock()
            addBlockLine(pos..<lineEnd, .fencedCode, block)
            leaf = .fencedCode(fence: fence, length: length, block: block)
            return
        }
        if let end = htmlBlockStart(at: p, interrupting: false) {
            let block = newBlock()
            addBlockLine(pos..<lineEnd, .htmlBlock, block)
            if case .contains(let patterns) = end, lineContains(patterns, from: p) { return }
            leaf = .htmlBlock(end: end, block: block)
            return
        }
        if isThematicBreak(at: p) {
            add(pos..<trimmedEnd(pos..<lineEnd), .thematicBreak)
            return
        }
        startParagraph(p..<lineEnd)
    }

    private mutating func startParagraph(_ line: Range<Int>) {
        paragraphLines.removeAll(keepingCapacity: true)
        paragraphLines.append(line)
        leaf = .paragraph
    }

    private mutating func newBlock() -> Int {
        nextBlock += 1
        return nextBlock
    }

    private mutating func closeLeaf() {
        if case .paragraph = leaf, !paragraphLines.isEmpty {
            let rest = removeReferenceDefinitions(paragraphLines)
            if !rest.isEmpty { jobs.append(InlineJob(kind: .paragraph, lines: rest)) }
        }
        leaf = .none
    }

    // MARK: Spans

    private mutating func add(_ range: Range<Int>, _ kind: ProtectedSpan.Kind) {
        guard !range.isEmpty else { return }
        lastSpanBlock = -1
        // Container markers in a row (`> > > >`, `- - item`) are one span: a line of a quote
        // nested 2,000 deep would otherwise add 2,000 spans, and a ladder of such lines as many
        // spans as bytes. No edit may go between two markers, so one span protects the same.
        if kind == .blockQuoteMarker || kind == .listMarker, let last = spans.last, last.kind == kind,
           last.range.upperBound == range.lowerBound {
            spans[spans.count - 1].range = last.range.lowerBound..<range.upperBound
            return
        }
        spans.append(ProtectedSpan(range: range, kind: kind))
    }

    /// Adds one line of a multi-line block, extending the block's span over the line ending (and
    /// any indentation) when nothing else lies between the lines.
    private mutating func addBlockLine(_ range: Range<Int>, _ kind: ProtectedSpan.Kind, _ block: Int) {
        guard !range.isEmpty else { return }
        if lastSpanBlock == block, let last = spans.last, s.isBlank(last.range.upperBound..<range.lowerBound) {
            spans[spans.count - 1].range = last.range.lowerBound..<range.upperBound
            return
        }
        spans.append(ProtectedSpan(range: range, kind: kind))
        lastSpanBlock = block
    }

    // MARK: Line tests (from `pos`/`col` or a given offset to `lineEnd`)

    /// The first offset after spaces and tabs from `pos`, and its column.
    private mutating func indentation() -> (Int, Int) {
        var (p, c) = (pos, col)
        while p < lineEnd, ASCII.isSpaceOrTab(s[p]) {
            c = s[p] == ASCII.tab ? (c / 4 + 1) * 4 : c + 1
            p += 1
        }
        work += p - pos + 1
        return (p, c)
    }

    private func isBlank(from p: Int) -> Bool { p >= contentEnd }

    private func trimmedEnd(_ range: Range<Int>) -> Int {
        var end = range.upperBound
        while end > range.lowerBound, ASCII.isWhitespace(s[end - 1]) { end -= 1 }
        return end
    }

    private func isThematicBreak(at p: Int) -> Bool {
        let c = s[p]
        guard c == ASCII.star || c == ASCII.minus || c == ASCII.underscore else { return false }
        var count = 0
        for k in p..<lineEnd {
            if s[k] == c { count += 1 } else if !ASCII.isSpaceOrTab(s[k]) { return false }
        }
        return count >= 3
    }

    private func isSetextUnderline(at p: Int) -> Bool {
        let c = s[p]
        guard c == ASCII.equals || c == ASCII.minus else { return false }
        var k = p
        while k < lineEnd, s[k] == c { k += 1 }
        return isBlank(from: k)
    }

    private struct ListMarker {
        var ordered: Bool
        var number: Int
        /// No content after the marker on its line.
        var empty: Bool
        var contentColumn: Int
        var contentStart: Int
        var contentStartColumn: Int
    }

    private func listMarker(at p: Int, column c: Int) -> ListMarker? {
        var q = p
        var ordered = false
        var number = 0
        let first = s[p]
        if first == ASCII.minus || first == ASCII.plus || first == ASCII.star {
            q += 1
        } else {
            while q < lineEnd, ASCII.isDigit(s[q]), q - p < 9 {
                number = number * 10 + Int(s[q] - 0x30)
                q += 1
            }
            guard q > p, q < lineEnd, s[q] == ASCII.dot || s[q] == ASCII.closeParen else { return nil }
            q += 1
            ordered = true
        }
        let markerEndColumn = c + (q - p)
        if q == lineEnd || isBlank(from: q) {
            return ListMarker(
                ordered: ordered, number: number, empty: true, contentColumn: markerEndColumn + 1,
                contentStart: lineEnd, contentStartColumn: markerEndColumn + 1)
        }
        guard ASCII.isSpaceOrTab(s[q]) else { return nil }
        var (r, rc) = (q, markerEndColumn)
        while r < lineEnd, ASCII.isSpaceOrTab(s[r]) {
            rc = s[r] == ASCII.tab ? (rc / 4 + 1) * 4 : rc + 1
            r += 1
        }
        if rc - markerEndColumn >= 5 {
            // The content is indented code: the item's content starts one column after the marker.
            let afterOne = s[q] == ASCII.tab ? (markerEndColumn / 4 + 1) * 4 : markerEndColumn + 1
            return ListMarker(
                ordered: ordered, number: number, empty: false, contentColumn: markerEndColumn + 1,
                contentStart: q + 1, contentStartColumn: afterOne)
        }
        return ListMarker(
            ordered: ordered, number: number, empty: false, contentColumn: rc, contentStart: r,
            contentStartColumn: rc)
    }

    /// An ATX heading at `p`: adds its markers and inline job; false if the line is not one.
    private mutating func atxHeading(at p: Int) -> Bool {
        var k = p
        while k < lineEnd, s[k] == ASCII.hash, k - p < 7 { k += 1 }
        let level = k - p
        guard level >= 1, level <= 6, k == lineEnd || ASCII.isSpaceOrTab(s[k]) else { return false }
        var contentStart = k
        while contentStart < lineEnd, ASCII.isSpaceOrTab(s[contentStart]) { contentStart += 1 }
        add(pos..<contentStart, .headingMarker)
        var end = trimmedEnd(contentStart..<lineEnd)
        // An optional closing run of `#`, preceded by a space (or making up the whole content).
        var hashes = end
        while hashes > contentStart, s[hashes - 1] == ASCII.hash { hashes -= 1 }
        if hashes < end, hashes == contentStart || ASCII.isSpaceOrTab(s[hashes - 1]) {
            let closing = hashes..<end
            end = trimmedEnd(contentStart..<hashes)
            if end > contentStart { jobs.append(InlineJob(kind: .heading, lines: [contentStart..<end])) }
            add(closing, .headingMarker)
        } else if end > contentStart {
            jobs.append(InlineJob(kind: .heading, lines: [contentStart..<end]))
        }
        return true
    }

    private func openingFence(at p: Int) -> (UInt8, Int)? {
        let c = s[p]
        guard c == ASCII.backtick || c == ASCII.tilde else { return nil }
        var k = p
        while k < lineEnd, s[k] == c { k += 1 }
        guard k - p >= 3 else { return nil }
        if c == ASCII.backtick {
            for j in k..<lineEnd where s[j] == ASCII.backtick { return nil }
        }
        return (c, k - p)
    }

    private mutating func isClosingFence(_ fence: UInt8, _ length: Int) -> Bool {
        let (p, c) = indentation()
        guard c - col < 4 else { return false }
        var k = p
        while k < lineEnd, s[k] == fence { k += 1 }
        return k - p >= length && isBlank(from: k)
    }

    private static let blockTags: Set<String> = [
        "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center", "col",
        "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html",
        "iframe", "legend", "li", "link", "main", "menu", "menuitem", "nav", "noframes", "ol", "optgroup",
        "option", "p", "param", "search", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
        "title", "tr", "track", "ul",
    ]

    /// The end condition of an HTML block starting at `p` (CommonMark's seven kinds), or nil.
    private mutating func htmlBlockStart(at p: Int, interrupting: Bool) -> HTMLEnd? {
        guard s[p] == ASCII.less, p + 1 < lineEnd else { return nil }
        for tag: StaticString in ["script", "pre", "style", "textarea"] where s.matches(tag, at: p + 1, caseInsensitive: true) {
            let after = p + 1 + tag.utf8CodeUnitCount
            if after == lineEnd || ASCII.isSpaceOrTab(s[after]) || s[after] == ASCII.greater {
                return .contains(["</script>", "</pre>", "</style>", "</textarea>"])
            }
        }
        if s.matches("<!--", at: p) { return .contains(["-->"]) }
        if s.matches("<?", at: p) { return .contains(["?>"]) }
        if s.matches("<![CDATA[", at: p) { return .contains(["]]>"]) }
        if s.matches("<!", at: p), p + 2 < lineEnd, ASCII.isLetter(s[p + 2]) { return .contains([">"]) }
        var k = p + 1
        if s[k] == ASCII.slash { k += 1 }
        let nameStart = k
        while k < lineEnd, ASCII.isAlphanumeric(s[k]) { k += 1 }
        if k > nameStart {
            let name = String(decoding: UnsafeBufferPointer(rebasing: s[nameStart..<k]), as: UTF8.self).lowercased()
            if Self.blockTags.contains(name),
                k == lineEnd || ASCII.isSpaceOrTab(s[k]) || s[k] == ASCII.greater || s.matches("/>", at: k)
            {
                return .blankLine
            }
        }
        // Kind 7: a complete open or closing tag alone on its line; it cannot interrupt a paragraph.
        guard !interrupting, let end = tagScanner.inlineHTML(at: p, limit: lineEnd), isBlank(from: end) else { return nil }
        if s[p + 1] == ASCII.question || s[p + 1] == ASCII.bang { return nil }
        return .blankLine
    }

    private func lineContains(_ patterns: [StaticString], from p: Int) -> Bool {
        for k in p..<lineEnd {
            for pattern in patterns where s.matches(pattern, at: k, caseInsensitive: true) && k + pattern.utf8CodeUnitCount <= lineEnd {
                return true
            }
        }
        return false
    }

    /// Whether a line starting at `p` (indented less than 4) begins a block that ends a paragraph.
    private mutating func interruptsParagraph(at p: Int) -> Bool {
        atxHeadingStart(at: p) || openingFence(at: p) != nil || isThematicBreak(at: p)
            || htmlBlockStart(at: p, interrupting: true) != nil
    }

    /// Whether a line at `p` begins any block other than a paragraph (it ends a table).
    private mutating func startsBlock(at p: Int) -> Bool {
        interruptsParagraph(at: p) || htmlBlockStart(at: p, interrupting: false) != nil
    }

    private func atxHeadingStart(at p: Int) -> Bool {
        var k = p
        while k < lineEnd, s[k] == ASCII.hash, k - p < 7 { k += 1 }
        return k - p >= 1 && k - p <= 6 && (k == lineEnd || ASCII.isSpaceOrTab(s[k]))
    }

    // MARK: Paragraph endings

    private mutating func setextHeading(underline p: Int) {
        let rest = removeReferenceDefinitions(paragraphLines)
        if rest.isEmpty {
            // Only definitions: the underline starts a paragraph of its own.
            startParagraph(p..<lineEnd)
            return
        }
        jobs.append(InlineJob(kind: .heading, lines: rest))
        add(pos..<trimmedEnd(pos..<lineEnd), .headingMarker)
        leaf = .none
    }

    /// Protects link reference definitions at the start of a paragraph, records their labels and
    /// returns the lines left, in an array of their own.
    private mutating func removeReferenceDefinitions(_ lines: [Range<Int>]) -> [Range<Int>] {
        guard s[lines[0].lowerBound] == ASCII.openBracket else { return Self.owned(lines[...]) }
        // Definitions can span lines: scan them in a contiguous copy of the lines.
        let (buffer, offsets) = Self.contiguous(lines, in: s)
        var index = 0
        buffer.withUnsafeBufferPointer { b in
            var scanner = InlineScanner(b, mode: .markdown)
            while index < lines.count, b[offsets[index]] == ASCII.openBracket,
                let (end, label) = scanner.referenceDefinition(at: offsets[index])
            {
                definitions.insert(label)
                var last = index
                while last + 1 < lines.count, offsets[last + 1] <= end { last += 1 }
                add(lines[index].lowerBound..<lines[last].upperBound, .linkReferenceDefinition)
                index = last + 1
            }
        }
        return Self.owned(lines[index...])
    }

    /// `lines` in a new array with room for them alone. The lines come from `paragraphLines`,
    /// which keeps the capacity of the longest paragraph so far: a job sharing its buffer would
    /// hold that capacity for every paragraph of the document (hundreds of megabytes for a large
    /// one), and the next paragraph would allocate as much again to append to a buffer it no
    /// longer owns alone.
    private static func owned(_ lines: ArraySlice<Range<Int>>) -> [Range<Int>] {
        [Range<Int>](unsafeUninitializedCapacity: lines.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: lines)
        }
    }

    // MARK: Tables

    /// The number of columns if `range` is a table delimiter row such as `| --- | :-: |`.
    private func tableDelimiterRow(_ range: Range<Int>) -> Int? {
        // Every paragraph line is tested: first reject, without allocating, the lines with a byte
        // no delimiter row has (every other byte of a row lies in a cell, so would fail below).
        var hasPipe = false
        for k in range {
            let c = s[k]
            if c == ASCII.pipe {
                hasPipe = true
            } else if c != ASCII.minus && c != ASCII.colon && !ASCII.isWhitespace(c) {
                return nil
            }
        }
        guard hasPipe else { return nil }
        let (pipes, cells) = tableSplit(range)
        guard !pipes.isEmpty, !cells.isEmpty else { return nil }
        for cell in cells {
            var k = cell.lowerBound
            if k < cell.upperBound, s[k] == ASCII.colon { k += 1 }
            let dashes = k
            while k < cell.upperBound, s[k] == ASCII.minus { k += 1 }
            guard k > dashes else { return nil }
            if k < cell.upperBound, s[k] == ASCII.colon { k += 1 }
            guard k == cell.upperBound else { return nil }
        }
        return cells.count
    }

    private func tableCells(_ range: Range<Int>) -> [Range<Int>] { tableSplit(range).cells }

    /// Unescaped pipes of a row and its trimmed cells (leading and trailing pipes start and end the row).
    private func tableSplit(_ range: Range<Int>) -> (pipes: [Int], cells: [Range<Int>]) {
        var pipes: [Int] = []
        var k = range.lowerBound
        while k < range.upperBound {
            if s[k] == ASCII.backslash {
                k += 2
                continue
            }
            if s[k] == ASCII.pipe { pipes.append(k) }
            k += 1
        }
        var lower = range.lowerBound
        while lower < range.upperBound, ASCII.isSpaceOrTab(s[lower]) { lower += 1 }
        let upper = trimmedEnd(lower..<range.upperBound)
        var bounds = [lower - 1] + pipes + [upper]
        if pipes.first == lower { bounds.removeFirst() }
        if let last = pipes.last, last == upper - 1, bounds.count > 1 { bounds.removeLast() }
        var cells: [Range<Int>] = []
        for (a, b) in zip(bounds, bounds.dropFirst()) {
            var start = a + 1
            while start < b, ASCII.isSpaceOrTab(s[start]) { start += 1 }
            cells.append(start..<max(start, trimmedEnd(start..<b)))
        }
        return (pipes, cells)
    }

    private mutating func tableRow(_ range: Range<Int>) {
        let (pipes, cells) = tableSplit(range)
        for pipe in pipes { add(pipe..<pipe + 1, .tablePipe) }
        for cell in cells where !cell.isEmpty { jobs.append(InlineJob(kind: .tableCell, lines: [cell])) }
    }

    // MARK: Inline phase

    /// Lines joined with `\n` into one buffer, and the offset of each line in it.
    static func contiguous(_ lines: [Range<Int>], in s: UnsafeBufferPointer<UInt8>) -> ([UInt8], [Int]) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
        var offsets: [Int] = []
        offsets.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            if index > 0 { buffer.append(ASCII.newline) }
            offsets.append(buffer.count)
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: s[line]))
        }
        return (buffer, offsets)
    }

    /// Inline spans and prose ranges of one block, in offsets of the original text.
    static func scanInline(
        _ lines: [Range<Int>], in s: UnsafeBufferPointer<UInt8>, definitions: Set<String>
    ) -> ([ProtectedSpan], [Range<Int>]) {
        let (buffer, offsets) = contiguous(lines, in: s)
        let local: [ProtectedSpan] = buffer.withUnsafeBufferPointer { b in
            var scanner = InlineScanner(b, mode: .markdown, definitions: definitions)
            return scanner.scan()
        }
        let map = LineMap(lines: lines, offsets: offsets, original: s)
        var spans: [ProtectedSpan] = []
        spans.reserveCapacity(local.count)
        var prose: [Range<Int>] = []
        var cursor = 0
        var pieces: [Range<Int>] = []  // reused: a block can hold hundreds of spans
        for span in local {
            if cursor < span.range.lowerBound { map.append(cursor..<span.range.lowerBound, to: &prose) }
            pieces.removeAll(keepingCapacity: true)
            map.append(span.range, to: &pieces)
            for piece in pieces { spans.append(ProtectedSpan(range: piece, kind: span.kind)) }
            cursor = span.range.upperBound
        }
        if cursor < buffer.count { map.append(cursor..<buffer.count, to: &prose) }
        prose.removeAll { s.isBlank($0) }
        return (spans, prose)
    }
}

/// Maps offsets in a buffer of lines joined by `\n` back to the original text.
struct LineMap {
    let lines: [Range<Int>]
    let offsets: [Int]
    let original: UnsafeBufferPointer<UInt8>

    /// Appends the original ranges of `range` (one per line, joined where only whitespace separates
    /// the lines in the original), merging with the last range of `pieces` when adjacent.
    func append(_ range: Range<Int>, to pieces: inout [Range<Int>]) {
        var low = 0
        var high = offsets.count
        while high - low > 1 {
            let mid = (low + high) / 2
            if offsets[mid] <= range.lowerBound { low = mid } else { high = mid }
        }
        var index = low
        while index < lines.count, offsets[index] < range.upperBound {
            let line = lines[index]
            let start = offsets[index]
            var lower = line.lowerBound + max(range.lowerBound - start, 0)
            var upper = line.lowerBound + min(range.upperBound - start, line.count)
            lower = min(lower, line.upperBound)
            // The joining `\n` stands for the original gap up to the next line.
            if range.upperBound > start + line.count, index + 1 < lines.count,
                original.isBlank(line.upperBound..<lines[index + 1].lowerBound)
            {
                upper = lines[index + 1].lowerBound
            }
            if lower < upper {
                if let last = pieces.last, last.upperBound == lower {
                    pieces[pieces.count - 1] = last.lowerBound..<upper
                } else {
                    pieces.append(lower..<upper)
                }
            }
            index += 1
        }
    }
}
