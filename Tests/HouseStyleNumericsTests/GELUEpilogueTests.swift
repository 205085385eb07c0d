import Testing
@testable import HouseStyleNumerics

/// The feed-forward's GELU fused into the fp32 products' epilogue (`GEMM.GELUEpilogue`, through
/// `Layers.linearGELUForward` / `linearGELUBackward`) gives the bits of the product followed by
/// `Layers.geluForward` / `geluBackward`: rows across the 12-row tiles and 192-row blocks, widths
/// across the 512-column blocks, on one and two threads, with the weights packed once or per product;
/// and so does training's way, GELU's slope kept by the forward pass for the backward pass.
@Suite struct GELUEpilogueTests {
    private static func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    /// `body` given `count` NaNs at a 64-byte aligned address (as the encoder's buffers are, where
    /// the epilogue writes with streaming stores), then the values it left there.
    private static func aligned(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
        defer { raw.deallocate() }
        let pointer = raw.bindMemory(to: Float.self, capacity: count)
        pointer.initialize(repeating: .nan, count: count)
        body(pointer)
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    // Without the AVX-512 kernels both sides run the same unfused calls (nothing to compare), and
    // this test's thread counts would change OpenBLAS's under the other suites running beside it.
    @Test(.enabled(if: GEMM.fusesGELUEpilogue, "the GELU epilogue runs on the AVX-512 kernels only"),
          arguments: [1, 7, 13, 200], [(384, 1536), (1536, 384), (384, 384)])
    func fusedGELUGivesTheBitsOfTheSteps(rows: Int, shape: (Int, Int)) {
        let (inputs, outputs) = shape  // forward: x (rows, inputs) -> (rows, outputs); backward the other way
        var g = SeededGenerator(seed: UInt64(rows * 7 + inputs))
        let x = randomFloats(rows * inputs, &g), weight = randomFloats(outputs * inputs, &g, scale: 0.2)
        let bias = randomFloats(outputs, &g)
        // The backward pass: dy (rows, outputs) through y = activated W^T, activated = GELU(pre: (rows, inputs)),
        // with some zeros in dy (GELU's backward fmadd from +0 keeps their sign rules).
        var dy = randomFloats(rows * outputs, &g)
        for i in stride(from: 0, to: dy.count, by: 17) { dy[i] = i % 2 == 0 ? 0 : -0.0 }
        let pre = randomFloats(rows * inputs, &g, scale: 4)
        let saved = BLAS.threadCount
        defer { BLAS.threadCount = saved }
        for threads in [1, 2] {
            BLAS.threadCount = threads
            for packed in [false, true] {
                let packs = packed ? PackedWeights() : nil
                var y = [Float](repeating: .nan, count: rows * outputs), activated = y
                var yFused = y, activatedFused = y
                var dActivated = [Float](repeating: .nan, count: rows * inputs), dPre = dActivated, dPreFused = dActivated
                var scratch = dActivated
                weight.withUnsafeBufferPointer { w in
                    let w = w.baseAddress!
                    Layers.linearForward(&y, x, weight: w, bias: bias, rows: rows, inputs: inputs, outputs: outputs, packs: packs)
                    Layers.geluForward(&activated, y, count: rows * outputs)
                    Layers.linearGELUForward(&yFused, activated: &activatedFused, x, weight: w, bias: bias, rows: rows,
                                             inputs: inputs, outputs: outputs, packs: packs)
                    Layers.linearBackward(dx: &dActivated, dWeight: nil, dBias: nil, dy: dy, x: pre, weight: w, rows: rows,
                                          inputs: inputs, outputs: outputs, accumulateInput: false, packs: packs)
                    Layers.geluBackward(dx: &dPre, dy: dActivated, x: pre, count: rows * inputs, accumulate: false)
                    Layers.linearGELUBackward(dPre: &dPreFused, dActivated: &scratch, dy: dy, pre: pre, weight: w, rows: rows,
                                              inputs: inputs, outputs: outputs, packs: packs)
                }
                #expect(Self.bits(yFused) == Self.bits(y), "pre-activation, \(threads) threads, packed \(packed)")
                #expect(Self.bits(activatedFused) == Self.bits(activated), "activation, \(threads) threads, packed \(packed)")
                #expect(Self.bits(dPreFused) == Self.bits(dPre), "gradient, \(threads) threads, packed \(packed)")
                #expect(!dPre.contains { $0.isNaN } && !activated.contains { $0.isNaN })
                // Again into cache-line-aligned buffers (the streaming stores).
                var alignedActivated: [Float] = []
                let alignedY = Self.aligned(rows * outputs) { y in
                    alignedActivated = Self.aligned(rows * outputs) { activated in
                        Layers.linearGELUForward(y, activated: activated, x, weight: weight, bias: bias, rows: rows,
                                                 inputs: inputs, outputs: outputs, packs: packs)
                    }
                }
                let alignedDPre = Self.aligned(rows * inputs) { dPre in
                    Layers.linearGELUBackward(dPre: dPre, dActivated: &scratch, dy: dy, pre: pre, weight: weight, rows: rows,
                                              inputs: inputs, outputs: outputs, packs: packs)
                }
                #expect(Self.bits(alignedY) == Self.bits(y) && Self.bits(alignedActivated) == Self.bits(activated),
                        "aligned forward, \(threads) threads, packed \(packed)")
                #expect(Self.bits(alignedDPre) == Self.bits(dPre), "aligned gradient, \(threads) threads, packed \(packed)")
                // Training keeps GELU's slope in y's place (`keepsSlope`), the slope geluBackward
                // gives a gradient of ones, and the backward pass given it (`preIsSlope`) the same bits.
                let ones = [Float](repeating: 1, count: max(rows * outputs, rows * inputs))
                var slopeOfY = [Float](repeating: .nan, count: rows * outputs)
                var slopeOfPre = [Float](repeating: .nan, count: rows * inputs)
                Layers.geluBackward(dx: &slopeOfY, dy: ones, x: y, count: rows * outputs, accumulate: false)
                Layers.geluBackward(dx: &slopeOfPre, dy: ones, x: pre, count: rows * inputs, accumulate: false)
                var keptActivated: [Float] = []
                let keptSlope = Self.aligned(rows * outputs) { y in
                    keptActivated = Self.aligned(rows * outputs) { activated in
                        Layers.linearGELUForward(y, activated: activated, x, weight: weight, bias: bias, rows: rows,
                                                 inputs: inputs, outputs: outputs, packs: packs, keepsSlope: true)
                    }
                }
                var dPreFromSlope = [Float](repeating: .nan, count: rows * inputs)
                Layers.linearGELUBackward(dPre: &dPreFromSlope, dActivated: &scratch, dy: dy, pre: slopeOfPre, weight: weight,
                                          rows: rows, inputs: inputs, outputs: outputs, packs: packs, preIsSlope: true)
                let run = "\(threads) threads, packed \(packed)"
                #expect(Self.bits(keptActivated) == Self.bits(activated), "activation beside the slope, \(run)")
                #expect(Self.bits(keptSlope) == Self.bits(slopeOfY), "kept slope, \(run)")
                #expect(Self.bits(dPreFromSlope) == Self.bits(dPre), "gradient from the slope, \(run)")
            }
        }
    }
}
