import Testing
@testable import HouseStyleNumerics

@Suite struct FMAPeakTests {
    /// The peak kernel really runs its chains: the flop count it reports and the sum of its chains
    /// match a scalar recomputation (chain j of each lane starts at j / 10, c = c * 0.999999 + 1e-6).
    @Test func chainsComputeWhatTheyReport() throws {
        for width in FMAPeak.widths {
            let chains = width == 512 ? 16 : 10, lanes = width / 32
            for iterations in [1, 7, 1000] {
                let result = try #require(FMAPeak.chains(width: width, iterations: iterations))
                #expect(result.flops == iterations * chains * lanes * 2, "width \(width)")
                var expected = 0.0
                for j in 0..<chains {
                    var c = Float(j) / 10
                    for _ in 0..<iterations { c = Float(1e-6).addingProduct(c, Float(0.999999)) }
                    expected += Double(c) * Double(lanes)
                }
                #expect(abs(Double(result.sum) - expected) <= 1e-5 * expected, "width \(width), \(iterations) iterations")
            }
        }
        #expect(FMAPeak.chains(width: 1024, iterations: 1) == nil)
        #expect(FMAPeak.gigaflops(width: 0) == nil)
    }

    /// Each of several threads runs the whole count; the rate is a positive finite number.
    @Test func threadsEachRunTheirChains() throws {
        for width in FMAPeak.widths {
            let one = try #require(FMAPeak.run(width: width, threads: 1, iterations: 5000))
            let two = try #require(FMAPeak.run(width: width, threads: 2, iterations: 5000))
            #expect(two.flops == 2 * one.flops)
            #expect(two.gigaflops > 0 && two.gigaflops.isFinite)
            let rate = try #require(FMAPeak.gigaflops(width: width, threads: 1, runs: 2, seconds: 0.01))
            #expect(rate > 0 && rate.isFinite)
        }
    }
}
