import Testing
@testable import HouseStyleText

/// Deeply nested containers cost the scanner work and memory in proportion to the input, not to
/// its nesting depth times its size (issue 13, item 12). Counted, not timed.
@Suite struct MarkdownScalingTests {
    /// `depth` lines, line i a list item nested i deep (2 more spaces each): about depth² bytes.
    static func nestedList(depth: Int) -> String {
        (0..<depth).map { String(repeating: "  ", count: $0) + "- item\n" }.joined()
    }

    /// `depth` lines, line i quoted i deep (`> > > text`): about depth² bytes.
    static func quoteLadder(depth: Int) -> String {
        (1...depth).map { String(repeating: "> ", count: $0) + "text\n" }.joined()
    }

    static func work(_ text: String) -> Int {
        Array(text.utf8).withUnsafeBufferPointer { MarkdownScanner.blockWork($0) }
    }

    @Test(arguments: ["list", "ordered", "quote", "mixed", "blank"])
    func blockWorkIsLinearInTheInputHoweverDeepTheNesting(shape: String) {
        func document(_ depth: Int) -> String {
            switch shape {
            case "list": return Self.nestedList(depth: depth)
            case "ordered": return (0..<depth).map { String(repeating: "   ", count: $0) + "1. item\n" }.joined()
            case "quote": return Self.quoteLadder(depth: depth)
            // A list item in a quote in a list item ..., each line one level deeper.
            case "mixed": return (0..<depth).map { String(repeating: "> - ", count: $0 / 2) + ($0 % 2 == 0 ? "> " : "") + "text\n" }.joined()
            // Blank lines between the items of a deep list: each asks every open item whether the line is blank.
            default: return Self.nestedList(depth: depth).replacingOccurrences(of: "\n", with: "\n\n")
            }
        }
        let (small, large) = (document(200), document(400))
        let (smallWork, largeWork) = (Self.work(small), Self.work(large))
        // Twice the depth is about 4 times the bytes: the work must grow like the bytes, and stay
        // a small multiple of them (the old scan of each line's indentation at each open list
        // item made it grow 8 times).
        let bytesRatio = Double(large.utf8.count) / Double(small.utf8.count)
        #expect(Double(largeWork) / Double(smallWork) < bytesRatio * 1.15, "work \(smallWork) -> \(largeWork), bytes ×\(bytesRatio)")
        #expect(largeWork < 4 * large.utf8.count, "work \(largeWork) for \(large.utf8.count) bytes")
    }

    @Test func markersInARowAreOneSpan() {
        let ladder = Self.quoteLadder(depth: 300)
        let document = Document(text: ladder, format: .markdown)
        let markers = document.protectedSpans.filter { $0.kind == .blockQuoteMarker }
        // One span per line, covering all of its markers: not 300 × 301 / 2.
        #expect(markers.count == 300)
        #expect(markers.last.map { String(decoding: Array(ladder.utf8)[$0.range], as: UTF8.self) } == String(repeating: "> ", count: 300))
        let nested = Document(text: "- - - item\n", format: .markdown)
        #expect(nested.protectedSpans.map(\.range) == [0..<6])
        #expect(nested.proseRanges == [6..<10])
    }
}
