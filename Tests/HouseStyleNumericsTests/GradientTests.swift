import Foundation
import Testing
@testable import HouseStyleNumerics

/// Compares a layer's backward pass with central finite differences of
/// loss(inputs) = Σ weights ⊙ forward(inputs), for every coordinate of every input.
struct GradientCheck {
    var inputs: [[Float]]
    /// The layer's forward pass: outputs from inputs.
    var forward: ([[Float]]) -> [Float]
    /// The layer's backward pass: gradients of every input (same shapes) from dOutput.
    var backward: ([[Float]], [Float]) -> [[Float]]
    var step: Float = 1e-2

    func run(sourceLocation: SourceLocation = #_sourceLocation) {
        var generator = SeededGenerator(seed: 99)
        let outputCount = forward(inputs).count
        let weights = randomFloats(outputCount, &generator)
        func loss(_ x: [[Float]]) -> Double {
            zip(forward(x), weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        let analytic = backward(inputs, weights)
        #expect(analytic.map(\.count) == inputs.map(\.count), sourceLocation: sourceLocation)
        for (which, input) in inputs.enumerated() {
            for i in input.indices {
                var plus = inputs, minus = inputs
                plus[which][i] += step
                minus[which][i] -= step
                let numeric = Float((loss(plus) - loss(minus)) / Double(2 * step))
                let exact = analytic[which][i]
                #expect(abs(numeric - exact) <= 2e-3 + 2e-2 * abs(exact),
                        "input \(which)[\(i)]: finite difference \(numeric), backward \(exact)", sourceLocation: sourceLocation)
            }
        }
    }
}

/// Calls `body` with mutable pointers to copies of `arrays`.
func withPointers<R>(_ arrays: [[Float]], _ body: ([UnsafeMutablePointer<Float>]) -> R) -> R {
    let buffers = arrays.map { array -> UnsafeMutablePointer<Float> in
        let p = UnsafeMutablePointer<Float>.allocate(capacity: max(array.count, 1))
        p.initialize(from: array, count: array.count)
        return p
    }
    defer { buffers.forEach { $0.deallocate() } }
    return body(buffers)
}

func zeros(_ count: Int) -> [Float] { [Float](repeating: 0, count: count) }

@Suite struct GradientTests {
    var g = SeededGenerator(seed: 3)

    @Test mutating func linear() {
        let (n, i, o) = (3, 4, 5)
        GradientCheck(
            inputs: [randomFloats(n * i, &g), randomFloats(o * i, &g), randomFloats(o, &g)],
            forward: { x in
                var y = zeros(n * o)
                Layers.linearForward(&y, x[0], weight: x[1], bias: x[2], rows: n, inputs: i, outputs: o)
                return y
            },
            backward: { x, dy in
                var (dx, dw, db) = (zeros(n * i), zeros(o * i), zeros(o))
                Layers.linearBackward(dx: &dx, dWeight: &dw, dBias: &db, dy: dy, x: x[0], weight: x[1], rows: n, inputs: i, outputs: o)
                return [dx, dw, db]
            }
        ).run()
    }

    @Test mutating func lora() {
        let (n, i, o, r, scale): (Int, Int, Int, Int, Float) = (3, 4, 5, 2, 1.5)
        GradientCheck(
            inputs: [randomFloats(n * i, &g), randomFloats(r * i, &g), randomFloats(o * r, &g)],
            forward: { x in
                var (y, h) = (zeros(n * o), zeros(n * r))
                Layers.loraForward(&y, hidden: &h, x[0], a: x[1], b: x[2], scale: scale, rows: n, inputs: i, outputs: o, rank: r)
                return y
            },
            backward: { x, dy in
                var (y, h) = (zeros(n * o), zeros(n * r))
                Layers.loraForward(&y, hidden: &h, x[0], a: x[1], b: x[2], scale: scale, rows: n, inputs: i, outputs: o, rank: r)
                var (dx, da, db, dh) = (zeros(n * i), zeros(r * i), zeros(o * r), zeros(n * r))
                Layers.loraBackward(dx: &dx, dA: &da, dB: &db, dHidden: &dh, dy: dy, x: x[0], hidden: h, a: x[1], b: x[2],
                                    scale: scale, rows: n, inputs: i, outputs: o, rank: r)
                return [dx, da, db]
            }
        ).run()
    }

    @Test mutating func layerNorm() {
        let (n, c) = (3, 6)
        let forward: ([[Float]]) -> [Float] = { x in
            var (y, mean, rstd) = (zeros(n * c), zeros(n), zeros(n))
            Layers.layerNormForward(&y, mean: &mean, rstd: &rstd, x[0], gamma: x[1], beta: x[2], rows: n, width: c, epsilon: 1e-5)
            return y
        }
        GradientCheck(
            inputs: [randomFloats(n * c, &g, scale: 2), randomFloats(c, &g), randomFloats(c, &g)],
            forward: forward,
            backward: { x, dy in
                var (y, mean, rstd) = (zeros(n * c), zeros(n), zeros(n))
                Layers.layerNormForward(&y, mean: &mean, rstd: &rstd, x[0], gamma: x[1], beta: x[2], rows: n, width: c, epsilon: 1e-5)
                var (dx, dg, db) = (zeros(n * c), zeros(c), zeros(c))
                Layers.layerNormBackward(dx: &dx, dGamma: &dg, dBeta: &db, dy: dy, x: x[0], mean: mean, rstd: rstd, gamma: x[1],
                                         rows: n, width: c)
                return [dx, dg, db]
            }
        ).run()
    }

    @Test mutating func gelu() {
        GradientCheck(
            inputs: [randomFloats(12, &g, scale: 3)],
            forward: { x in
                var y = zeros(12)
                Layers.geluForward(&y, x[0], count: 12)
                return y
            },
            backward: { x, dy in
                var dx = zeros(12)
                Layers.geluBackward(dx: &dx, dy: dy, x: x[0], count: 12)
                return [dx]
            }
        ).run()
    }

    @Test func geluIsExact() {
        var y = zeros(3)
        Layers.geluForward(&y, [1, -2, 0], count: 3)
        // x Φ(x) from the normal distribution's CDF: Φ(1) = 0.8413447, Φ(-2) = 0.0227501.
        #expect(abs(y[0] - 0.8413447) < 1e-6)
        #expect(abs(y[1] - -2 * 0.0227501) < 1e-6)
        #expect(y[2] == 0)
    }

    @Test mutating func attentionOverTwoSentencesOfDifferentLength() {
        let offsets = [0, 3, 7], (n, c, heads) = (7, 4, 2)
        let size = Layers.attentionSize(offsets: offsets, heads: heads)
        #expect(size == 2 * 9 + 2 * 16)
        func run(_ x: [[Float]], _ probabilities: inout [Float]) -> [Float] {
            var context = zeros(n * c)
            Layers.attentionForward(context: &context, probabilities: &probabilities, q: x[0], k: x[1], v: x[2],
                                    offsets: offsets, heads: heads, width: c)
            return context
        }
        GradientCheck(
            inputs: (0..<3).map { _ in randomFloats(n * c, &g, scale: 1.5) },
            forward: { x in var p = zeros(size); return run(x, &p) },
            backward: { x, dy in
                var p = zeros(size)
                _ = run(x, &p)
                var (dq, dk, dv, scratch) = (zeros(n * c), zeros(n * c), zeros(n * c), zeros(16))
                Layers.attentionBackward(dq: &dq, dk: &dk, dv: &dv, scratch: &scratch, dContext: dy, probabilities: p,
                                         q: x[0], k: x[1], v: x[2], offsets: offsets, heads: heads, width: c)
                return [dq, dk, dv]
            }
        ).run()
    }

    @Test func attentionRowsAreProbabilitiesAndSentencesDoNotMix() {
        let offsets = [0, 2, 5], (n, c, heads) = (5, 4, 2)
        var g = SeededGenerator(seed: 4)
        let (q, k) = (randomFloats(n * c, &g), randomFloats(n * c, &g))
        var v = randomFloats(n * c, &g)
        var (context, p) = (zeros(n * c), zeros(Layers.attentionSize(offsets: offsets, heads: heads)))
        Layers.attentionForward(context: &context, probabilities: &p, q: q, k: k, v: v, offsets: offsets, heads: heads, width: c)
        // Each head's (n, n) block of the first sentence: rows sum to one.
        for row in 0..<2 { #expect(abs(p[row * 2] + p[row * 2 + 1] - 1) < 1e-6) }
        // Changing the second sentence's values leaves the first sentence's context alone.
        let before = Array(context[0..<(2 * c)])
        for i in (2 * c)..<(n * c) { v[i] += 10 }
        Layers.attentionForward(context: &context, probabilities: &p, q: q, k: k, v: v, offsets: offsets, heads: heads, width: c)
        #expect(Array(context[0..<(2 * c)]) == before)
    }

    @Test func attentionSplitsSentencesAcrossThreadsAndRestoresTheThreadCount() {
        let offsets = [0, 3, 5, 9, 10], (n, c, heads) = (10, 4, 2)
        var g = SeededGenerator(seed: 8)
        let (q, k, v) = (randomFloats(n * c, &g), randomFloats(n * c, &g), randomFloats(n * c, &g))
        func context(threads: Int) -> [Float] {
            BLAS.threadCount = threads
            var (context, p) = (zeros(n * c), zeros(Layers.attentionSize(offsets: offsets, heads: heads)))
            Layers.attentionForward(context: &context, probabilities: &p, q: q, k: k, v: v, offsets: offsets, heads: heads, width: c)
            #expect(BLAS.threadCount == threads)
            return context
        }
        let configured = BLAS.threadCount
        defer { BLAS.threadCount = configured }
        #expect(context(threads: 1) == context(threads: 2))
    }

    @Test mutating func meanPool() {
        let offsets = [0, 3, 7], c = 3
        GradientCheck(
            inputs: [randomFloats(7 * c, &g)],
            forward: { x in
                var pooled = zeros(2 * c)
                Layers.meanPoolForward(&pooled, x[0], offsets: offsets, width: c)
                return pooled
            },
            backward: { _, dy in
                var dx = zeros(7 * c)
                Layers.meanPoolBackward(dx: &dx, dPooled: dy, offsets: offsets, width: c)
                return [dx]
            }
        ).run()
    }

    @Test mutating func l2Normalize() {
        let (rows, c) = (2, 5)
        func run(_ x: [Float]) -> ([Float], [Float]) {
            var (y, norms) = (zeros(rows * c), zeros(rows))
            Layers.l2NormalizeForward(&y, norms: &norms, x, rows: rows, width: c)
            return (y, norms)
        }
        GradientCheck(
            inputs: [randomFloats(rows * c, &g, scale: 2)],
            forward: { x in run(x[0]).0 },
            backward: { x, dy in
                let (y, norms) = run(x[0])
                var dx = zeros(rows * c)
                Layers.l2NormalizeBackward(dx: &dx, dy: dy, y: y, norms: norms, rows: rows, width: c)
                return [dx]
            }
        ).run()
        let (unit, _) = run([3, 4, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(unit[0..<5]) == [0.6, 0.8, 0, 0, 0])
        #expect(Array(unit[5..<10]) == [0, 0, 0, 0, 0])  // a zero vector stays zero, as in torch
    }

    @Test mutating func binaryCrossEntropy() {
        let labels: [Float] = [1, 0, 1, 0]
        GradientCheck(
            inputs: [randomFloats(4, &g, scale: 4)],
            forward: { x in [Layers.binaryCrossEntropy(logits: x[0], labels: labels, dLogits: nil, count: 4)] },
            backward: { x, dy in
                var dz = zeros(4)
                _ = Layers.binaryCrossEntropy(logits: x[0], labels: labels, dLogits: &dz, count: 4)
                return [dz.map { $0 * dy[0] }]
            }
        ).run()
        #expect(abs(Layers.binaryCrossEntropy(logits: [0], labels: [1], dLogits: nil, count: 1) - Float(log(2.0))) < 1e-7)
    }
}
