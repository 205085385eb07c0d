/// Finds the URLs and e-mail addresses of a plain text; paragraphs are separated by blank lines.
enum PlainTextScanner {
    static func scan(_ s: UnsafeBufferPointer<UInt8>) -> DocumentScan {
        var scanner = InlineScanner(s, mode: .plain)
        let spans = scanner.scan()
        var lineStarts = [0]
        var blocks: [ProseBlock] = []
        var spanIndex = 0
        var paragraphStart: Int?
        var paragraphEnd = 0
        var lineStart = s.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0

        func finishParagraph() {
            guard let start = paragraphStart else { return }
            var ranges: [Range<Int>] = []
            var cursor = start
            while spanIndex < spans.count, spans[spanIndex].range.lowerBound < paragraphEnd {
                let span = spans[spanIndex].range
                if cursor < span.lowerBound { ranges.append(cursor..<span.lowerBound) }
                cursor = max(cursor, span.upperBound)
                spanIndex += 1
            }
            if cursor < paragraphEnd { ranges.append(cursor..<paragraphEnd) }
            ranges.removeAll { s.isBlank($0) }
            if !ranges.isEmpty { blocks.append(ProseBlock(kind: .paragraph, ranges: ranges)) }
            paragraphStart = nil
        }

        while lineStart < s.count {
            var end = lineStart
            while end < s.count, s[end] != ASCII.newline { end += 1 }
            let next = end < s.count ? end + 1 : end
            if end < s.count { lineStarts.append(next) }
            let contentEnd = end > lineStart && s[end - 1] == ASCII.carriageReturn ? end - 1 : end
            if s.isBlank(lineStart..<contentEnd) {
                finishParagraph()
            } else {
                if paragraphStart == nil { paragraphStart = lineStart }
                paragraphEnd = contentEnd
            }
            lineStart = next
        }
        finishParagraph()
        return DocumentScan(spans: spans, blocks: blocks, lineStarts: lineStarts)
    }
}
