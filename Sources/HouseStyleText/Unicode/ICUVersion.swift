internal import CICUShim

/// The version of the ICU library HouseStyle is linked against, e.g. "72.1".
package var icuVersion: String {
    var buffer = [CChar](repeating: 0, count: 32)
    guard hs_icu_version(&buffer, Int32(buffer.count)) == 0 else { return "unknown" }
    return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}
