import Testing
@testable import HouseStyleText

/// `ByteSearch` reads sixteen bytes at a time: it must agree with a byte-by-byte search at every
/// start, end and position of the bytes sought, block boundaries included.
@Suite struct ByteSearchTests {
    /// Seeded random bytes drawn mostly from `pool`, so that the bytes sought are sparse.
    func randomBytes(count: Int, seed: UInt64, pool: [UInt8]) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return pool[Int((state >> 33) % UInt64(pool.count))]
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func firstAgreesWithAByteByByteSearch(seed: UInt64) {
        let pool = Array("abcdefghij klmnopq".utf8) + Array("rstuvwxyz".utf8) + [0xC3, 0xA9, 0x0A, 0x2E, 0x27]
        let bytes = randomBytes(count: 97, seed: seed, pool: pool)
        let sought: [(UInt8, UInt8, UInt8)] = [(0x27, 0x22, 0xE2), (0x2E, 0x2E, 0x2E), (0x2E, 0x2D, 0xC3), (0x40, 0x40, 0x40)]
        bytes.withUnsafeBufferPointer { buffer in
            for (a, b, c) in sought {
                for start in 0...bytes.count {
                    for end in start...bytes.count {
                        let expected = (start..<end).first { [a, b, c].contains(bytes[$0]) } ?? end
                        #expect(ByteSearch.first(a, b, c, in: buffer, from: start, to: end) == expected, "start \(start), end \(end)")
                    }
                }
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func firstWithADoubledByteAgreesWithAByteByByteSearch(seed: UInt64) {
        // Dots alone and in runs, hyphens, E2: the doubled byte counts only before another one,
        // which may lie past the range's end but not past the buffer's.
        let pool = Array("abcdefghij klm....nopq".utf8) + Array("rst-uvw..xyz".utf8) + [0xE2, 0x80, 0xA6, 0x2E]
        let bytes = randomBytes(count: 97, seed: seed, pool: pool)
        let sought: [(UInt8, UInt8, UInt8)] = [(0x2D, 0x2D, 0x2E), (0x2D, 0xE2, 0x2D), (0x2D, 0x2D, 0x2D), (0x61, 0xE2, 0x2E)]
        bytes.withUnsafeBufferPointer { buffer in
            for (a, b, d) in sought {
                for start in 0...bytes.count {
                    for end in start...bytes.count {
                        let expected = (start..<end).first {
                            bytes[$0] == a || bytes[$0] == b || (bytes[$0] == d && $0 + 1 < bytes.count && bytes[$0 + 1] == d)
                        } ?? end
                        #expect(ByteSearch.first(a, b, doubled: d, in: buffer, from: start, to: end) == expected, "start \(start), end \(end)")
                    }
                }
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func lineAndHasNonASCIIAgreeWithAByteByByteScan(seed: UInt64) {
        // Long ASCII stretches with a rare line feed and a rare non-ASCII byte.
        var pool = Array(repeating: UInt8(ascii: "a"), count: 60) + Array(repeating: UInt8(ascii: " "), count: 10)
        pool += [0x0A, 0xC3]
        let bytes = randomBytes(count: 300, seed: seed, pool: pool)
        bytes.withUnsafeBufferPointer { buffer in
            for start in 0...bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                let isASCII = bytes[start..<end].allSatisfy { $0 < 0x80 }
                let found = ByteSearch.line(in: buffer, from: start)
                #expect(found.end == min(end + 1, bytes.count) && found.isASCII == isASCII, "start \(start)")
                let rest = UnsafeBufferPointer(rebasing: buffer[start...])
                #expect(ByteSearch.hasNonASCII(rest) == bytes[start...].contains { $0 >= 0x80 }, "start \(start)")
            }
        }
    }
}
