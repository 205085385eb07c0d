import Foundation
import HouseStyleNumerics

/// SHA-256 (FIPS 180-4), for the fingerprints and checksums of model bundles.
enum SHA256 {
    static func hex(_ data: some ContiguousBytes) -> String { SHA256Checksum.hex(data) }
}
