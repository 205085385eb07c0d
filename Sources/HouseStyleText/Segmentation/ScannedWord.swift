/// A word or number that `WordSegmenter.forEachWordBatch` found: its UTF-8 offsets in the scanned
/// bytes (below 2 GiB, ICU's limit, so 32 bits hold them) and whether it is a number.
public struct ScannedWord: Sendable, Equatable {
    public let start: UInt32
    public let end: UInt32
    public let isNumber: Bool

    @inline(__always)
    init(_ range: Range<Int>, isNumber: Bool) {
        start = UInt32(truncatingIfNeeded: range.lowerBound)
        end = UInt32(truncatingIfNeeded: range.upperBound)
        self.isNumber = isNumber
    }

    public var range: Range<Int> { Int(start)..<Int(end) }
}
