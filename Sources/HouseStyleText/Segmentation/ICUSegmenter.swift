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
        let byteCount = text.utf8.count
        try checkICULength(byteCount)
        var status: Int32 = 0
        let result = text.withUTF8 { bytes -> [Element] in
            status = bytes.withMemoryRebound(to: CChar.self) { chars in
                hs_icu_segmenter_set_text(handle, chars.baseAddress, Int32(chars.count))
            }
            guard status <= 0 else { return [] }
            var result: [Element] = []
            result.reserveCapacity(estimatedCount)
            var start = 0
            while true {
                let count = Int(hs_icu_segmenter_next(handle, ends, kinds, Int32(capacity)))
                if count == 0 { break }
                for i in 0..<count {
                    let end = Int(ends[i])
                    result.append(makeElement(start..<end, kinds[i]))
                    start = end
                }
            }
            return result
        }
        try checkICU(status, "start segmenting a text")
        return result
    }
}
