/// Searches of UTF-8 text for a few byte values, sixteen bytes at a time: the scanners and rule
/// stages skip long stretches of text that hold none of the bytes they look for.
public enum ByteSearch {
    /// The first offset in `start..<end` of `bytes` holding `a`, `b` or `c` (repeat a value to
    /// look for fewer), or `end` when there is none.
    public static func first(_ a: UInt8, _ b: UInt8, _ c: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        precondition(start >= 0 && end <= bytes.count, "the search range lies in the buffer")
        guard start < end, let base = bytes.baseAddress else { return max(start, end) }
        let va = SIMD16<UInt8>(repeating: a), vb = SIMD16<UInt8>(repeating: b), vc = SIMD16<UInt8>(repeating: c)
        @inline(__always) func matches(at k: Int) -> SIMDMask<SIMD16<Int8>> {
            let block = UnsafeRawPointer(base + k).loadUnaligned(as: SIMD16<UInt8>.self)
            return (block .== va) .| (block .== vb) .| (block .== vc)
        }
        // The place of a match is read off the block's mask (a byte loop over the block that
        // held it ended at a place that differs from search to search: a mispredicted exit).
        var k = start
        while k + 16 <= end {
            let lane = firstLane(matches(at: k), from: 0)
            if lane < 16 { return k + lane }
            k += 16
        }
        guard k < end else { return end }
        // Fewer than sixteen bytes left: the sixteen that end at `end`, when the buffer has them,
        // with the lanes before `k` left out.
        if end >= 16 {
            let blockStart = end - 16
            let lane = firstLane(matches(at: blockStart), from: k - blockStart)
            return lane < 16 ? blockStart + lane : end
        }
        while k < end {
            let byte = base[k]
            if byte == a || byte == b || byte == c { return k }
            k += 1
        }
        return end
    }

    /// The first offset in `start..<end` of `bytes` holding `a` or `b`, or a `doubled` that another
    /// `doubled` follows (that one may lie past `end`, not past the buffer), or `end` when there
    /// is none: a search for "..", say, that passes every lone ".".
    public static func first(_ a: UInt8, _ b: UInt8, doubled: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        precondition(start >= 0 && end <= bytes.count, "the search range lies in the buffer")
        guard start < end, let base = bytes.baseAddress else { return max(start, end) }
        let va = SIMD16<UInt8>(repeating: a), vb = SIMD16<UInt8>(repeating: b), vd = SIMD16<UInt8>(repeating: doubled)
        /// The lanes of the sixteen bytes from `k` that match; the byte after them must be in the buffer.
        @inline(__always) func matches(at k: Int) -> SIMDMask<SIMD16<Int8>> {
            let block = UnsafeRawPointer(base + k).loadUnaligned(as: SIMD16<UInt8>.self)
            let after = UnsafeRawPointer(base + k + 1).loadUnaligned(as: SIMD16<UInt8>.self)
            return (block .== va) .| (block .== vb) .| ((block .== vd) .& (after .== vd))
        }
        var k = start
        let blocksEnd = min(end, bytes.count - 1)
        while k + 16 <= blocksEnd {
            let lane = firstLane(matches(at: k), from: 0)
            if lane < 16 { return k + lane }
            k += 16
        }
        guard k < end else { return end }
        if end >= 16 && end < bytes.count {
            let blockStart = end - 16
            let lane = firstLane(matches(at: blockStart), from: k - blockStart)
            return lane < 16 ? blockStart + lane : end
        }
        while k < end {
            let byte = base[k]
            if byte == a || byte == b || (byte == doubled && k + 1 < bytes.count && base[k + 1] == doubled) { return k }
            k += 1
        }
        return end
    }

    /// `first(_:_:doubled:in:from:to:)` over an array.
    public static func first(_ a: UInt8, _ b: UInt8, doubled: UInt8, in bytes: [UInt8], from start: Int, to end: Int) -> Int {
        bytes.withUnsafeBufferPointer { first(a, b, doubled: doubled, in: $0, from: start, to: end) }
    }

    /// The first set lane of `mask` at or after lane `from` (0...15), or 16 when there is none,
    /// without a branch (which half holds it differs from search to search).
    @inline(__always)
    static func firstLane(_ mask: SIMDMask<SIMD16<Int8>>, from: Int) -> Int {
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        // A lane's top bit to bit `lane` of a 16-bit mask: the multiply gathers the eight top bits
        // of a word into its top byte (they land in distinct bits, so nothing carries).
        @inline(__always) func gathered(_ word: UInt64) -> UInt32 {
            UInt32(truncatingIfNeeded: ((word & 0x8080_8080_8080_8080) &* 0x0002_0408_1020_4081) &>> 56)
        }
        let lanes = (gathered(words[0]) | gathered(words[1]) &<< 8) & (0xFFFF &<< UInt32(from)) | 0x1_0000
        return lanes.trailingZeroBitCount
    }

    /// `first(_:_:_:in:from:to:)` over an array.
    public static func first(_ a: UInt8, _ b: UInt8, _ c: UInt8, in bytes: [UInt8], from start: Int, to end: Int) -> Int {
        bytes.withUnsafeBufferPointer { first(a, b, c, in: $0, from: start, to: end) }
    }

    /// The end of the line starting at `start` (the offset after its line feed, or `bytes.count`),
    /// and whether the line is all ASCII.
    public static func line(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, isASCII: Bool) {
        let count = bytes.count
        precondition(start >= 0 && start <= count, "the line starts in the buffer")
        guard let base = bytes.baseAddress else { return (start, true) }
        let newline = SIMD16<UInt8>(repeating: 0x0A)
        var high = SIMD16<UInt8>(repeating: 0)
        var k = start
        while k + 16 <= count {
            let block = UnsafeRawPointer(base + k).loadUnaligned(as: SIMD16<UInt8>.self)
            let lane = firstLane(block .== newline, from: 0)
            if lane < 16 {
                // The line ends in this block: its bytes up to the line feed are the lanes kept
                // (read off the mask rather than by a byte loop whose exit moves from line to line).
                let words = unsafeBitCast(block, to: SIMD2<UInt64>.self)
                let low = words[0] & (lane >= 8 ? ~0 : ~0 &>> UInt64(8 &* (7 &- lane)))
                let high2 = lane < 8 ? 0 : words[1] & (~0 &>> UInt64(8 &* (15 &- lane)))
                let any = highBit(high) | ((low | high2) & 0x8080_8080_8080_8080 != 0 ? 0x80 : 0)
                return (k + lane + 1, any < 0x80)
            }
            high |= block
            k += 16
        }
        var any = highBit(high)
        while k < count {
            let byte = base[k]
            k += 1
            if byte == 0x0A { break }
            any |= byte
        }
        return (k, any < 0x80)
    }

    /// Whether any lane of `mask` is set. `any(_:)` reduces the lanes with a generic `min()` that
    /// the compiler leaves as a call, for every sixteen bytes; two 64-bit words are tested here.
    @inline(__always)
    static func isAnySet(_ mask: SIMDMask<SIMD16<Int8>>) -> Bool {
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        return words[0] | words[1] != 0
    }

    /// 0x80 when a lane of `bytes` has its high bit set (a byte outside ASCII), else 0.
    @inline(__always)
    static func highBit(_ bytes: SIMD16<UInt8>) -> UInt8 {
        let words = unsafeBitCast(bytes, to: SIMD2<UInt64>.self)
        return (words[0] | words[1]) & 0x8080_8080_8080_8080 != 0 ? 0x80 : 0
    }

    /// True when `bytes` holds a byte outside ASCII.
    public static func hasNonASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var high = SIMD16<UInt8>(repeating: 0)
        var k = 0
        while k + 16 <= bytes.count {
            high |= UnsafeRawPointer(base + k).loadUnaligned(as: SIMD16<UInt8>.self)
            k += 16
        }
        // The last bytes as the sixteen that end the buffer (some already seen), when it has
        // sixteen: no byte loop, whose exit moved with each buffer's length.
        if k < bytes.count && bytes.count >= 16 {
            high |= UnsafeRawPointer(base + bytes.count - 16).loadUnaligned(as: SIMD16<UInt8>.self)
            k = bytes.count
        }
        var any = highBit(high)
        while k < bytes.count {
            any |= base[k]
            k += 1
        }
        return any >= 0x80
    }
}
