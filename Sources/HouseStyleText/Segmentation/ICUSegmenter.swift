internal import CICUShim

/// Owns one ICU segmenter handle and the buffers boundaries are read into.
///
/// Not thread-safe: ICU break iterators keep per-text state.
final class ICUSegmenter {
    private let handle: OpaquePointer
    private let capacity = 1024
    private let ends: UnsafeMutablePointer<Int32>
    private let kinds: UnsafeMutablePointer<UInt8>

    /// Takes ownership of `handle`.
    init(handle: OpaquePointer) {
        self.handle = handle
        ends = .allocate(capacity: capacity)
        kinds = .allocate(capacity: capacity)
    }

    deinit {
        hs_icu_segmenter_close(handle)
        ends.deallocate()
        kinds.deallocate()
    }

    /// Segments `text` and builds one element per segment from its byte range and kind code.
    ///
    /// The break iterator runs over a UTF-8 UText of the string's own bytes, so ICU's boundaries
    /// are already UTF-8 offsets: nothing is converted or copied.
    @inline(__always)
    func segments<Element>(
        of text: String, estimatedCount: Int, _ makeElement: (Range<Int>, UInt8) -> Element
    ) throws(TextError) -> [Element] {
        var text = text
        var result: [Element] = []
        result.reserveCapacity(estimatedCount)
        var failure: TextError?
        text.withUTF8 { bytes in
            do throws(TextError) {
                try forEachSegment(in: bytes, offset: 0) { range, kind in result.append(makeElement(range, kind)) }
            } catch { failure = error }
        }
        if let failure { throw failure }
        return result
    }

    /// Calls `body` with the byte range (offset by `offset`) and kind code of every segment of `bytes`.
    @inline(__always)
    func forEachSegment(
        in bytes: UnsafeBufferPointer<UInt8>, offset: Int, _ body: (Range<Int>, UInt8) -> Void
    ) throws(TextError) {
        try checkICULength(bytes.count)
        let status = bytes.withMemoryRebound(to: CChar.self) { chars in
            hs_icu_segmenter_set_text(handle, chars.baseAddress, Int32(chars.count))
        }
        try checkICU(status, "start segmenting a text")
        var start = 0
        while true {
            let count = Int(hs_icu_segmenter_next(handle, ends, kinds, Int32(capacity)))
            if count == 0 { break }
            for i in 0..<count {
                let end = Int(ends[i])
                body((start + offset)..<(end + offset), kinds[i])
                start = end
            }
        }
    }
}
