internal import CNumericsKernels
import Foundation

/// Frozen weight matrices packed once into the projection kernel's layout for B, so that the
/// products of a training step (short sentences: a few hundred rows per product) do not pack the
/// same weights again for every product and every thread (17% of a step's time at 12 tokens per
/// sentence, batch 16). Results are identical to packing per product.
///
/// Only with the AVX-512 kernel; elsewhere `packed` returns nil and products run as before.
/// Memory: the packed copy of every weight used, in each orientation and precision used (85 MiB
/// for MiniLM's 6 layers in fp32, both orientations; rewriting's int8 packs, with their fp32 columns, about 35 MiB).
final class PackedWeights: @unchecked Sendable {
    // @unchecked: `packs` is only touched under `lock`; a pack is written once, before it is shared.
    private let lock = NSLock()
    private var packs: [Key: UnsafeMutableRawPointer] = [:]

    private struct Key: Hashable { let address: Int, transpose: Bool, n: Int, k: Int, bf16: Bool; var int8 = false, columns = false }

    deinit { for pointer in packs.values { pointer.deallocate() } }

    /// op(B) (K, N) of `weight` (row stride `ldb`; transposed when `transpose`), packed; nil
    /// without the AVX-512 kernel.
    func packed(_ weight: UnsafePointer<Float>, transpose: Bool, n: Int, k: Int, ldb: Int) -> UnsafePointer<Float>? {
        guard GEMM.hasProjectionKernel else { return nil }
        let key = Key(address: Int(bitPattern: weight), transpose: transpose, n: n, k: k, bf16: false)
        return lock.withLock {
            if let pointer = packs[key] { return UnsafePointer(pointer.assumingMemoryBound(to: Float.self)) }
            let count = hs_sgemm_packed_b_count(Int32(n), Int32(k))
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(Int(count), 1) * MemoryLayout<Float>.stride, alignment: 64)
            let floats = raw.bindMemory(to: Float.self, capacity: max(Int(count), 1))
            let status = hs_sgemm_pack_b(transpose ? 1 : 0, Int32(n), Int32(k), weight, Int32(ldb), floats)
            precondition(status == 0, "the projection kernel could not pack a weight matrix")
            packs[key] = raw
            return UnsafePointer(floats)
        }
    }

    /// op(B) (K, N) of `weight` rounded to bf16 (to nearest even) and packed in pairs of k for
    /// `GEMM.projectionBF16`, on every processor. Memory: half the fp32 pack's.
    func packedBF16(_ weight: UnsafePointer<Float>, transpose: Bool, n: Int, k: Int, ldb: Int) -> UnsafePointer<UInt32> {
        let key = Key(address: Int(bitPattern: weight), transpose: transpose, n: n, k: k, bf16: true)
        return lock.withLock {
            if let pointer = packs[key] { return UnsafePointer(pointer.assumingMemoryBound(to: UInt32.self)) }
            let count = max(Int(hs_bf16_packed_b_count(Int32(n), Int32(k))), 1)  // pairs of bf16
            let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<UInt32>.stride, alignment: 64)
            let values = raw.bindMemory(to: UInt32.self, capacity: count)
            let status = hs_bf16_pack_b(transpose ? 1 : 0, Int32(n), Int32(k), weight, Int32(ldb), values)
            precondition(status == 0, "the bf16 projection kernel could not pack a weight matrix (no memory for its rows in bf16)")
            packs[key] = raw
            return UnsafePointer(values)
        }
    }

    /// The weight (N, K) (row stride `ldb`; B = its transpose) quantised to int8, one scale per
    /// row, and packed for `GEMM.projectionInt8` (`hs_i8_pack_b`), on every processor. Memory: a
    /// quarter of the fp32 pack's, or 1.25 times it with the fp32 columns.
    /// - Parameter columns: keep the weight's fp32 columns too, which products with outliers need.
    func packedInt8(_ weight: UnsafePointer<Float>, n: Int, k: Int, ldb: Int, columns: Bool = false) -> UnsafeRawPointer {
        let key = Key(address: Int(bitPattern: weight), transpose: true, n: n, k: k, bf16: false, int8: true, columns: columns)
        return lock.withLock {
            if let pointer = packs[key] { return UnsafeRawPointer(pointer) }
            let bytes = Int(hs_i8_packed_b_bytes(Int32(n), Int32(k), columns ? 1 : 0))
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 64)
            let status = hs_i8_pack_b(Int32(n), Int32(k), weight, Int32(ldb), columns ? 1 : 0, raw)
            precondition(status == 0, "the int8 projection kernel could not pack a weight matrix")
            packs[key] = raw
            return UnsafeRawPointer(raw)
        }
    }

    /// What `packedBF16` holds, packed by the plain loop (`hs_bf16_pack_b_reference`): tests
    /// compare the two.
    static func referenceBF16(_ weight: UnsafePointer<Float>, transpose: Bool, n: Int, k: Int, ldb: Int) -> [UInt32] {
        var values = [UInt32](repeating: 0, count: Int(hs_bf16_packed_b_count(Int32(n), Int32(k))))
        let status = values.withUnsafeMutableBufferPointer {
            hs_bf16_pack_b_reference(transpose ? 1 : 0, Int32(n), Int32(k), weight, Int32(ldb), $0.baseAddress!)
        }
        precondition(status == 0, "the reference packing failed")
        return values
    }
}
