/// A text to rewrite: the original bytes plus the spans stages must not touch and the prose they may change.
///
/// All ranges are UTF-8 byte offsets into `text`. Nothing is re-rendered: applying edits splices
/// replacements into the original bytes, so text outside edits stays byte-for-byte identical.
public struct Document: Sendable {
    /// The original text, exactly as read (byte order mark, CRLF and tabs included).
    public let text: String
    public let format: DocumentFormat
    /// Markup, code, URLs and HTML; sorted by offset and non-overlapping.
    public let protectedSpans: [ProtectedSpan]
    /// Paragraphs, headings and table cells in document order, made from `proseRanges` on each
    /// call: a block is a run of them. A large document has hundreds of thousands of blocks, and
    /// an array of its own for each, held through the whole rewrite, would hold every prose range
    /// twice and a heap block per block on top (about half a byte per byte of Markdown).
    public var proseBlocks: [ProseBlock] {
        var blocks: [ProseBlock] = []
        blocks.reserveCapacity(blockKinds.count)
        var start = 0
        for (kind, end) in zip(blockKinds, blockEnds) {
            blocks.append(ProseBlock(kind: kind, ranges: Array(proseRanges[start..<end])))
            start = end
        }
        return blocks
    }
    /// The prose of all blocks: sorted, non-overlapping, disjoint from protected spans.
    public let proseRanges: [Range<Int>]
    /// Each block's kind and the end of its run of `proseRanges`, in document order.
    private let blockKinds: [ProseBlock.Kind]
    private let blockEnds: [Int]
    /// Byte offset where each line starts; `lineStarts[0] == 0`.
    let lineStarts: [Int]

    /// Regions where a `<!-- housestyle off NAME -->` comment switched single rules off, sorted.
    public let ruleRegions: [IgnoreRules.RuleRegion]

    /// Reads `text` as `format`; what `ignore` covers (and what the document's own
    /// `<!-- housestyle off -->` comments switch off) becomes `.ignored` spans instead of prose.
    public init(text: String, format: DocumentFormat, ignore: IgnoreRules = .none) {
        self.text = text
        self.format = format
        var copy = text
        var (scan, ignored, regions) = copy.withUTF8 { bytes -> (DocumentScan, [Range<Int>], [IgnoreRules.RuleRegion]) in
            let scan = switch format {
            case .plain: PlainTextScanner.scan(bytes)
            case .markdown: MarkdownScanner.scan(bytes)
            }
            let (ignored, regions) = ignore.scan(bytes, text: text)
            return (scan, ignored, regions)
        }
        if !ignored.isEmpty { Self.ignore(ignored, in: &scan) }
        protectedSpans = scan.spans
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(scan.blocks.reduce(0) { $0 + $1.ranges.count })
        var ends: [Int] = []
        ends.reserveCapacity(scan.blocks.count)
        for block in scan.blocks {
            ranges += block.ranges
            ends.append(ranges.count)
        }
        proseRanges = ranges
        blockKinds = scan.blocks.map(\.kind)
        blockEnds = ends
        lineStarts = scan.lineStarts
        ruleRegions = regions
    }

    /// Takes the parts of `ignored` (sorted, merged) that are prose out of the prose and makes them `.ignored` spans.
    static func ignore(_ ignored: [Range<Int>], in scan: inout DocumentScan) {
        var spans: [ProtectedSpan] = []
        var next = 0
        for b in scan.blocks.indices {
            var kept: [Range<Int>] = []
            for range in scan.blocks[b].ranges {
                while next < ignored.count, ignored[next].upperBound <= range.lowerBound { next += 1 }
                var cursor = range.lowerBound
                var k = next
                while k < ignored.count, ignored[k].lowerBound < range.upperBound {
                    let cut = max(cursor, ignored[k].lowerBound)..<min(range.upperBound, ignored[k].upperBound)
                    if cut.lowerBound > cursor { kept.append(cursor..<cut.lowerBound) }
                    if !cut.isEmpty { spans.append(ProtectedSpan(range: cut, kind: .ignored)) }
                    cursor = max(cursor, cut.upperBound)
                    k += 1
                }
                if cursor < range.upperBound { kept.append(cursor..<range.upperBound) }
            }
            scan.blocks[b].ranges = kept
        }
        scan.blocks.removeAll { $0.ranges.isEmpty }
        guard !spans.isEmpty else { return }
        scan.spans = (scan.spans + spans).sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Reads `text` in the format its file name implies (see ``DocumentFormat/init(path:)``).
    public init(text: String, path: String, ignore: IgnoreRules = .none) {
        self.init(text: text, format: DocumentFormat(path: path), ignore: ignore)
    }

    /// Length of the text in UTF-8 bytes.
    public var byteCount: Int { text.utf8.count }

    /// The bytes of `range` as a string (a range inside a character is widened by the decoder's repair).
    public func text(in range: Range<Int>) -> String {
        var copy = text
        return copy.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// The line and column of a byte offset (`0...byteCount`), for `path:line:column` messages.
    ///
    /// Lines are 1-based and end at `\n`. Columns are 1-based and count Unicode scalars, so a
    /// precomposed `é` or a CJK character is one column and a tab is one column. An offset inside a
    /// multi-byte character gets that character's column. A byte order mark at the start of the
    /// text is not a column: the first character after it is at 1:1, as editors show it.
    public func location(ofByte offset: Int) -> SourceLocation {
        precondition(offset >= 0 && offset <= byteCount, "offset \(offset) outside 0...\(byteCount)")
        // Last line start <= offset.
        var low = 0
        var high = lineStarts.count
        while high - low > 1 {
            let mid = (low + high) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid }
        }
        var copy = text
        let column = copy.withUTF8 { bytes in
            // U+FEFF is EF BB BF in UTF-8.
            let hasMark = low == 0 && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
            let start = hasMark ? min(3, offset) : lineStarts[low]
            // An offset inside a character reports that character's column.
            var end = offset
            while end > start, end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            var scalars = 0
            for index in start..<end where bytes[index] & 0xC0 != 0x80 { scalars += 1 }
            return scalars
        }
        return SourceLocation(line: low + 1, column: column + 1)
    }

    /// The protected spans that an edit of `range` would touch.
    ///
    /// A non-empty range touches a span it shares a byte with; an insertion (empty range) touches a
    /// span only strictly inside it, so inserting just before or after a code span is allowed.
    public func protectedSpans(touching range: Range<Int>) -> ArraySlice<ProtectedSpan> {
        // First span whose upper bound is beyond the range start.
        var low = 0
        var high = protectedSpans.count
        while low < high {
            let mid = (low + high) / 2
            if protectedSpans[mid].range.upperBound <= range.lowerBound { low = mid + 1 } else { high = mid }
        }
        var end = low
        while end < protectedSpans.count, Self.touches(range, protectedSpans[end].range) { end += 1 }
        if low < end { return protectedSpans[low..<end] }
        return protectedSpans[low..<low]
    }

    static func touches(_ edit: Range<Int>, _ span: Range<Int>) -> Bool {
        if edit.isEmpty { return span.lowerBound < edit.lowerBound && edit.lowerBound < span.upperBound }
        return edit.lowerBound < span.upperBound && span.lowerBound < edit.upperBound
    }
}

/// What a scanner found in a text.
struct DocumentScan {
    var spans: [ProtectedSpan]
    var blocks: [ProseBlock]
    var lineStarts: [Int]
}
