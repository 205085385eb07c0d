// libFuzzer target: the Markdown scanner (blocks, inlines, ignore rules) on any UTF-8 text, with
// the invariants every stage relies on checked: protected spans sorted, inside the text and on
// character boundaries; prose ranges sorted, disjoint and outside protected spans.
import Foundation
@testable import HouseStyleText

private let ignore = IgnoreRules(presets: [.hugo, .liquid, .math, .mdx], inline: [try! NSRegularExpression(pattern: "<%[^%]*%>")])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMarkdown(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    // Invalid UTF-8 is refused before any stage sees the text: decode as the pipeline does.
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: count), as: UTF8.self) else { return 0 }
    let bytes = Array(text.utf8)
    func onBoundary(_ offset: Int) -> Bool { offset == bytes.count || (offset < bytes.count && bytes[offset] & 0xC0 != 0x80) }
    for format in [DocumentFormat.markdown, .plain] {
        let document = Document(text: text, format: format, ignore: format == .markdown ? ignore : .none)
        var previous = 0
        for span in document.protectedSpans {
            precondition(span.range.lowerBound >= previous, "span \(span.range) out of order")
            precondition(span.range.lowerBound >= 0 && span.range.upperBound <= bytes.count, "span \(span.range) outside \(bytes.count) bytes")
            precondition(onBoundary(span.range.lowerBound) && onBoundary(span.range.upperBound), "span \(span.range) inside a character")
            previous = span.range.lowerBound
        }
        var end = 0
        for range in document.proseRanges {
            precondition(range.lowerBound >= end && range.upperBound <= bytes.count && !range.isEmpty, "prose \(range) out of order or outside")
            precondition(onBoundary(range.lowerBound) && onBoundary(range.upperBound), "prose \(range) inside a character")
            end = range.upperBound
        }
        for span in document.protectedSpans where !span.range.isEmpty {
            precondition(!document.proseRanges.contains { $0.overlaps(span.range) } || span.kind == .ignored, "prose overlaps a \(span.kind) span \(span.range)")
        }
    }
    return 0
}
