/// An owned, zero-initialised block of floats that is carved into named views (llm.c style: one
/// allocation, many pointers).
final class FloatBuffer: @unchecked Sendable {
    // @unchecked: owners never share a buffer between threads while writing it.
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    private var used = 0

    init(count: Int) {
        self.count = count
        // 64-byte aligned (a cache line), so that `takeAligned` views are.
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    /// The next `count` floats; views never overlap.
    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        precondition(used + count <= self.count, "buffer too small")
        defer { used += count }
        return pointer + used
    }

    /// The next `count` floats from a cache-line boundary: up to 15 floats more than `take`.
    func takeAligned(_ count: Int) -> UnsafeMutablePointer<Float> {
        used = (used + 15) / 16 * 16
        return take(count)
    }

    func zero() { pointer.update(repeating: 0, count: count) }

    /// Forgets all views, so the memory can be carved again.
    func reset() { used = 0 }

    /// `reusable` when it holds at least `count` floats (reset), else a new buffer of `count`
    /// plus `spare` floats (room for somewhat larger batches, which would otherwise allocate and
    /// fault in a fresh buffer again).
    static func reusing(_ reusable: FloatBuffer?, count: Int, spare: Int = 0) -> FloatBuffer {
        if let reusable, reusable.count >= count {
            reusable.reset()
            return reusable
        }
        return FloatBuffer(count: count + max(spare, 0))
    }
}
