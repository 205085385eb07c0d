/// Elementary functions for the GELU and softmax loops. glibc's `erff`/`expf` took a fifth of the
/// forward pass; these are branch-free (selects only), so loops calling them are vectorised by
/// the compiler in optimised builds, and agree with the library to a few units in the last place
/// (tests compare them over dense grids).
enum VectorMath {
    /// e^x: Cephes' single-precision polynomial after reduction by ln 2; 0 below -87.3 (where the
    /// result would be subnormal), clamped above 88.37.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let clamped = min(max(x, -87.33654), 88.37626)
        // Round x / ln 2 to the nearest integer n by adding 1.5 · 2^23: the sum's low mantissa bits
        // then hold n (no library call, so the loop vectorises).
        let shifted = clamped * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        var r = clamped - n * 0.693_359_375  // ln 2, high part (exact in float)
        r = r - n * -2.121_944_40e-4  // ln 2, low part
        var p: Float = 1.987_569_150_0e-4
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        p = p * r * r + r + 1
        // 2^n through the exponent bits; n + 127 stays in 1...254 after clamping.
        let integer = shifted.bitPattern &- 0x4B40_0000
        let scale = Float(bitPattern: (integer &+ 127) &<< 23)
        return x < -87.33654 ? 0 : p * scale
    }

    /// Φ(x), the standard normal CDF: 0.5 · erfc(-x / √2), with erfc from the Chebyshev fit of
    /// Numerical Recipes (relative error below 1.2e-7). Working with erfc of |x| keeps full
    /// relative accuracy in both tails, where 1 + erf(x) would cancel.
    @inline(__always)
    static func normalCDF(_ x: Float) -> Float {
        let z = abs(x) * 0.707_106_781_186_547_5
        let t = 1 / (1 + 0.5 * z)
        var p: Float = 0.170_872_77
        p = p * t - 0.822_152_23
        p = p * t + 1.488_515_87
        p = p * t - 1.135_203_98
        p = p * t + 0.278_868_07
        p = p * t - 0.186_288_06
        p = p * t + 0.096_784_18
        p = p * t + 0.374_091_96
        p = p * t + 1.000_023_68
        p = p * t - 1.265_512_23
        let halfTail = 0.5 * t * exp(p - z * z)  // Φ(-|x|)
        return x > 0 ? 1 - halfTail : halfTail
    }
}
