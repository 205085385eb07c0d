import Foundation

/// Layer 0's q, k and v rows of one model (the frozen encoder, or the encoder with one adapter) at
/// one precision, by (token, position): the input of layer 0 is a function of those two alone, so
/// a row computed for one sentence is the row of every later sentence with that token there. A
/// learned rewrite of the Yelp dev set scores some 5,800 rows with 1,400 distinct ones.
///
/// Only for weights and adapters that no longer change (inference). At most `capacity` rows are
/// kept (the first ones seen, which in prose are mostly the frequent ones): 3 · C floats each, so
/// 9 MiB at MiniLM's 384 and the default 2,048.
final class Layer0Rows: @unchecked Sendable {
    // @unchecked: `slots` and `values` are only touched under `lock`.
    private let lock = NSLock()
    private var slots: [Int: Int] = [:]
    /// values: (rows, 3, C): q, k, v of each remembered row.
    private var values: [Float] = []
    let width: Int, capacity: Int

    init(width: Int, capacity: Int = 2048) {
        self.width = width
        self.capacity = capacity
    }

    /// Copies the remembered rows of `keys` to row j of q, k and v: (keys.count, C); returns the
    /// places j of the keys not remembered, in order.
    func copy(_ keys: [Int], q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>,
              v: UnsafeMutablePointer<Float>) -> [Int] {
        lock.withLock {
            var missing: [Int] = []
            values.withUnsafeBufferPointer { stored in
                for (j, key) in keys.enumerated() {
                    guard let slot = slots[key] else {
                        missing.append(j)
                        continue
                    }
                    let row = stored.baseAddress! + slot * 3 * width
                    (q + j * width).update(from: row, count: width)
                    (k + j * width).update(from: row + width, count: width)
                    (v + j * width).update(from: row + 2 * width, count: width)
                }
            }
            return missing
        }
    }

    /// Remembers row i of q, k and v: (keys.count, C) as the rows of keys[i], while there is room.
    func remember(_ keys: [Int], q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>) {
        lock.withLock {
            for (i, key) in keys.enumerated() where slots[key] == nil && slots.count < capacity {
                slots[key] = slots.count
                values.append(contentsOf: UnsafeBufferPointer(start: q + i * width, count: width))
                values.append(contentsOf: UnsafeBufferPointer(start: k + i * width, count: width))
                values.append(contentsOf: UnsafeBufferPointer(start: v + i * width, count: width))
            }
        }
    }

    /// Rows remembered.
    var count: Int { lock.withLock { slots.count } }
}
