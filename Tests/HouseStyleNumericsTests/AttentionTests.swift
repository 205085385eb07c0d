import Foundation
import Testing
@testable import HouseStyleNumerics

/// Packed batches for the attention tests: single sentences across the fused kernel's row blocks
/// (12), rows of scores in one register (up to 16 tokens), column tiles (32), transposed blocks (16)
/// and K blocks (384), and batches of mixed lengths.
let attentionBatches: [[Int]] = [[1], [7], [12], [13], [16], [17], [32], [33], [128], [1, 7, 32, 128, 13, 12, 2], [390]]

/// The fused attention (`hs_attention_forward`/`backward`) against the per-head products and a
/// naive loop in Double. Under HOUSESTYLE_KERNELS=portable both calls run the per-head products on
/// OpenBLAS and the portable softmax: the naive comparison then checks that path.
@Suite struct AttentionTests {
    /// (width, heads): two heads of 32, and MiniLM's twelve.
    static let shapes = [(64, 2), (384, 12)]

    struct Inputs {
        let offsets: [Int], width: Int, heads: Int
        let q: [Float], k: [Float], v: [Float], dContext: [Float]
        var rows: Int { offsets.last! }

        init(lengths: [Int], width: Int, heads: Int, seed: UInt64) {
            var g = SeededGenerator(seed: seed)
            offsets = lengths.reduce(into: [0]) { $0.append($0.last! + $1) }
            self.width = width
            self.heads = heads
            let count = offsets.last! * width
            (q, k, v) = (randomFloats(count, &g, scale: 2), randomFloats(count, &g, scale: 2), randomFloats(count, &g))
            dContext = randomFloats(count, &g)
        }

        func forward(fused: Bool) -> (context: [Float], probabilities: [Float]) {
            var context = zeros(rows * width), p = zeros(Layers.attentionSize(offsets: offsets, heads: heads))
            Layers.attentionForward(context: &context, probabilities: &p, q: q, k: k, v: v, offsets: offsets,
                                    heads: heads, width: width, fused: fused)
            return (context, p)
        }

        /// dq, dk, dv accumulated onto ones (backward passes accumulate); without `keyGradient`, dk
        /// is not asked for (and left at ones).
        func backward(probabilities: [Float], fused: Bool, keyGradient: Bool = true) -> [[Float]] {
            let longest = zip(offsets, offsets.dropFirst()).map { $1 - $0 }.max()!
            var (dq, dk, dv) = ([Float](repeating: 1, count: rows * width), [Float](repeating: 1, count: rows * width),
                                [Float](repeating: 1, count: rows * width))
            var scratch = zeros(2 * longest * longest)
            dk.withUnsafeMutableBufferPointer { dk in
                Layers.attentionBackward(dq: &dq, dk: keyGradient ? dk.baseAddress : nil, dv: &dv, scratch: &scratch, scratchSlots: 2,
                                         dContext: dContext, probabilities: probabilities, q: q, k: k, v: v, offsets: offsets,
                                         heads: heads, width: width, fused: fused)
            }
            return [dq, dk, dv]
        }

        /// softmax(q_h k_h^T / √D) v_h per sentence and head, in Double.
        func naiveForward() -> (context: [Double], probabilities: [Double]) {
            let d = width / heads, scale = 1 / Double(d).squareRoot()
            var context = [Double](repeating: 0, count: rows * width), probabilities = [Double]()
            for s in 0..<(offsets.count - 1) {
                let start = offsets[s], n = offsets[s + 1] - start
                for h in 0..<heads {
                    for i in 0..<n {
                        var row = (0..<n).map { j in
                            (0..<d).reduce(0.0) { $0 + Double(q[(start + i) * width + h * d + $1]) * Double(k[(start + j) * width + h * d + $1]) } * scale
                        }
                        let top = row.max()!
                        row = row.map { exp($0 - top) }
                        let sum = row.reduce(0, +)
                        row = row.map { $0 / sum }
                        probabilities += row
                        for c in 0..<d {
                            context[(start + i) * width + h * d + c] = (0..<n).reduce(0.0) { $0 + row[$1] * Double(v[(start + $1) * width + h * d + c]) }
                        }
                    }
                }
            }
            return (context, probabilities)
        }

        /// The backward pass in Double from the given probabilities, onto ones.
        func naiveBackward(probabilities: [Float]) -> [[Double]] {
            let d = width / heads, scale = 1 / Double(d).squareRoot()
            var (dq, dk, dv) = ([Double](repeating: 1, count: rows * width), [Double](repeating: 1, count: rows * width),
                                [Double](repeating: 1, count: rows * width))
            var base = 0
            for s in 0..<(offsets.count - 1) {
                let start = offsets[s], n = offsets[s + 1] - start
                for h in 0..<heads {
                    func at(_ x: [Float], _ i: Int, _ c: Int) -> Double { Double(x[(start + i) * width + h * d + c]) }
                    let p = { (i: Int, j: Int) in Double(probabilities[base + (h * n + i) * n + j]) }
                    var ds = [Double](repeating: 0, count: n * n)
                    for i in 0..<n {
                        let dp = (0..<n).map { j in (0..<d).reduce(0.0) { $0 + at(dContext, i, $1) * at(v, j, $1) } }
                        let dot = (0..<n).reduce(0.0) { $0 + p(i, $1) * dp[$1] }
                        for j in 0..<n { ds[i * n + j] = p(i, j) * (dp[j] - dot) }
                    }
                    for i in 0..<n {
                        for c in 0..<d {
                            let index = (start + i) * width + h * d + c
                            dv[index] += (0..<n).reduce(0.0) { $0 + p($1, i) * at(dContext, $1, c) }
                            dq[index] += scale * (0..<n).reduce(0.0) { $0 + ds[i * n + $1] * at(k, $1, c) }
                            dk[index] += scale * (0..<n).reduce(0.0) { $0 + ds[$1 * n + i] * at(q, $1, c) }
                        }
                    }
                }
                base += heads * n * n
            }
            return [dq, dk, dv]
        }
    }

    /// Largest |x - reference| over the largest |reference| (at least 1).
    static func relativeError(_ x: [Float], _ reference: [Double]) -> Double {
        #expect(x.count == reference.count)
        let scale = max(1, reference.map(abs).max() ?? 0)
        return zip(x, reference).map { abs(Double($0) - $1) }.max()! / scale
    }

    @Test(arguments: attentionBatches, shapes.indices)
    func fusedForwardIsThePerHeadProductsBitForBitAndAgreesWithTheNaiveLoop(lengths: [Int], shape: Int) {
        let (width, heads) = Self.shapes[shape]
        if width == 384 && lengths.reduce(0, +) > 200 { return }  // the naive loop would take minutes in debug
        let inputs = Inputs(lengths: lengths, width: width, heads: heads, seed: UInt64(lengths.count * 1000 + lengths[0]))
        let fused = inputs.forward(fused: true), perHead = inputs.forward(fused: false)
        #expect(fused.context == perHead.context)
        #expect(fused.probabilities == perHead.probabilities)
        let naive = inputs.naiveForward()
        #expect(Self.relativeError(fused.context, naive.context) < 1e-5)
        #expect(Self.relativeError(fused.probabilities, naive.probabilities) < 1e-5)
    }

    @Test(arguments: attentionBatches, shapes.indices)
    func fusedBackwardAgreesWithThePerHeadProductsAndTheNaiveLoop(lengths: [Int], shape: Int) {
        let (width, heads) = Self.shapes[shape]
        if width == 384 && lengths.reduce(0, +) > 200 { return }
        let inputs = Inputs(lengths: lengths, width: width, heads: heads, seed: UInt64(lengths.count * 2000 + lengths[0]))
        let p = inputs.forward(fused: false).probabilities
        let fused = inputs.backward(probabilities: p, fused: true), perHead = inputs.backward(probabilities: p, fused: false)
        let naive = inputs.naiveBackward(probabilities: p)
        for (which, name) in ["dq", "dk", "dv"].enumerated() {
            #expect(Self.relativeError(fused[which], naive[which]) < 1e-5, "\(name), fused")
            #expect(Self.relativeError(perHead[which], naive[which]) < 1e-5, "\(name), per head")
        }
        // dv does not go through the softmax backward: its products are summed as hs_sgemm sums them.
        #expect(fused[2] == perHead[2])
    }

    /// The lowest trained layer does not ask for dk (nothing reads it): dq and dv are the bits of
    /// a pass that computes it, and dk is not written.
    @Test(arguments: attentionBatches, [true, false])
    func backwardWithoutTheKeyGradientGivesTheSameQueryAndValueGradients(lengths: [Int], fused: Bool) {
        let inputs = Inputs(lengths: lengths, width: 384, heads: 12, seed: UInt64(lengths.count * 3000 + lengths[0]))
        let p = inputs.forward(fused: false).probabilities
        let all = inputs.backward(probabilities: p, fused: fused)
        let withoutKey = inputs.backward(probabilities: p, fused: fused, keyGradient: false)
        #expect(withoutKey[0] == all[0])
        #expect(withoutKey[2] == all[2])
        #expect(withoutKey[1].allSatisfy { $0 == 1 })
        #expect(all[1].contains { $0 != 1 } || lengths == [1])  // one token: its softmax has no gradient
    }

    @Test func fusedAttentionDoesNotDependOnTheThreadCount() {
        let inputs = Inputs(lengths: [1, 7, 32, 128, 13, 12, 2], width: 384, heads: 12, seed: 5)
        let configured = BLAS.threadCount
        defer { BLAS.threadCount = configured }
        func run(threads: Int) -> [[Float]] {
            BLAS.threadCount = threads
            let forward = inputs.forward(fused: true)
            return [forward.context, forward.probabilities] + inputs.backward(probabilities: forward.probabilities, fused: true)
        }
        #expect(run(threads: 1) == run(threads: 2))
    }

    @Test func fusedAttentionRunsWhereTheKernelsDo() {
        // MiniLM's shape takes the fused path exactly when the AVX-512 kernels run.
        #expect(Layers.hasFusedAttention(heads: 12, width: 384) == (GEMM.hasProjectionKernel && BLAS.elementwiseKernel == "AVX-512"))
        #expect(!Layers.hasFusedAttention(heads: 2, width: 4))  // heads 2 wide: per head
    }
}
