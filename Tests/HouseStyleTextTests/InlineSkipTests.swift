import Testing
@testable import HouseStyleText

/// The inline scanner skips bytes that start nothing sixteen at a time (`firstStart`): it must
/// stop where the byte-by-byte loop over the class table stops (markup, identifier bytes, a `w`
/// before a `w`), for every byte value, start and end, in Markdown and in plain text, up to the
/// buffer's last byte.
@Suite struct InlineSkipTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func firstStartAgreesWithTheClassTable(seed: UInt64) {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        // Mostly letters and spaces, with every byte value now and then.
        let pool = Array("abcdefghijklmnopqrstuvxyz ABCDEFGHIJKLMNOPQRSTUVXYZ ,;:'\"? wwwWWw".utf8)
        let bytes = (0..<90).map { _ in next() % 8 == 0 ? UInt8(truncatingIfNeeded: next()) : pool[Int(next() % UInt64(pool.count))] }
        bytes.withUnsafeBufferPointer { buffer in
            for markdown in [true, false] {
                for start in 0...bytes.count {
                    for end in start...bytes.count {
                        let expected = InlineScanner.firstStartOneByOne(in: buffer, from: start, to: end, markdown: markdown)
                        #expect(InlineScanner.firstStart(in: buffer, from: start, to: end, markdown: markdown) == expected,
                                "start \(start), end \(end), markdown \(markdown)")
                    }
                }
            }
        }
    }

    @Test func everyByteValueInEveryLane() {
        for value in 0...255 {
            for lane in 0..<20 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 24)
                bytes[lane] = UInt8(value)
                if value % 3 == 0 { bytes[lane + 1] = value % 2 == 0 ? UInt8(ascii: "w") : UInt8(ascii: "W") }
                bytes.withUnsafeBufferPointer { buffer in
                    for markdown in [true, false] {
                        for (start, end) in [(0, 20), (0, 24), (3, 19), (lane, 24)] {
                            #expect(InlineScanner.firstStart(in: buffer, from: start, to: end, markdown: markdown)
                                    == InlineScanner.firstStartOneByOne(in: buffer, from: start, to: end, markdown: markdown),
                                    "byte \(value), lane \(lane), \(start)..<\(end), markdown \(markdown)")
                        }
                    }
                }
            }
        }
    }
}
