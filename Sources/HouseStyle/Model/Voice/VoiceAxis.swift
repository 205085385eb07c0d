import Foundation
import HouseStyleNumerics

/// The voice axis: the unit direction from the contrast corpus's mean sentence embedding to the
/// voice corpus's, in the frozen encoder's space (C = 384 for all-MiniLM-L6-v2).
///
/// The meaning guard compares two sentences with this direction left out: a rewrite that moves a
/// sentence towards the voice ("the food was great" -> "the food was terrible" for a style whose
/// voice is complaint) is by design a move along it, and plain cosine counts that move as a change
/// of meaning. What the sentence says (its topic, its facts: "donuts" -> "apartments") lies across
/// the axis and still counts in full. One direction is taken out of 384, so where the voice and the
/// contrast differ in topic rather than tone the guard loosens only along that one direction, and
/// calibration on held-out material still decides what is applied.
///
/// For unit embeddings a and b and axis d: `(a·b − (a·d)(b·d)) / √((1 − (a·d)²)(1 − (b·d)²))`.
package struct VoiceAxis: Codable, Sendable, Equatable {
    public static let file = "voice-axis.json"
    /// Unit length, one entry per embedding dimension.
    public var direction: [Float]
    /// The distance between the two corpora's mean embeddings (before normalising).
    public var separation: Float

    /// The axis between two mean embeddings; nil when either is missing or they coincide.
    init?(voiceMean: [Float], contrastMean: [Float]) {
        guard !voiceMean.isEmpty, voiceMean.count == contrastMean.count else { return nil }
        let difference = zip(voiceMean, contrastMean).map { $0 - $1 }
        let length = difference.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard length.isFinite, length > 1e-6 else { return nil }
        direction = difference.map { $0 / length }
        separation = length
    }

    /// The mean of `embeddings` (each of `dimension` entries); empty when there are none.
    static func mean(_ embeddings: [[Float]], dimension: Int) -> [Float] {
        guard !embeddings.isEmpty else { return [] }
        var sum = [Double](repeating: 0, count: dimension)
        for embedding in embeddings where embedding.count == dimension {
            for i in 0..<dimension { sum[i] += Double(embedding[i]) }
        }
        return sum.map { Float($0 / Double(embeddings.count)) }
    }

    /// Cosine similarity of two embeddings with the axis left out, in -1...1 (plain cosine when
    /// either lies along the axis, where nothing is left to compare).
    public func similarity(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == direction.count && b.count == direction.count, "embeddings of another width than the voice axis")
        var ab: Float = 0, aa: Float = 0, bb: Float = 0, ad: Float = 0, bd: Float = 0
        for i in direction.indices {
            ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]
            ad += a[i] * direction[i]; bd += b[i] * direction[i]
        }
        let restA = aa - ad * ad, restB = bb - bd * bd
        guard restA > 1e-6, restB > 1e-6 else { return MiniLMEncoder.similarity(a, b) }
        return min(max((ab - ad * bd) / (restA * restB).squareRoot(), -1), 1)
    }

    /// The axis of a verified bundle folder, or nil when it has none. The direction must be
    /// finite and of unit length, and as wide as `dimension` when given.
    public static func load(_ directory: String, dimension: Int? = nil) throws(ModelError) -> VoiceAxis? {
        let path = (directory as NSString).appendingPathComponent(file)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let axis: VoiceAxis
        do { axis = try JSONDecoder().decode(VoiceAxis.self, from: data) } catch {
            throw .corrupt(path: path, reason: "not a voice axis: \(error)")
        }
        let norm = axis.direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard !axis.direction.isEmpty, axis.direction.allSatisfy(\.isFinite), abs(norm - 1) < 1e-3, axis.separation.isFinite else {
            throw .corrupt(path: path, reason: "the voice axis must be a finite direction of unit length")
        }
        if let dimension, axis.direction.count != dimension {
            throw .corrupt(path: path, reason: "the voice axis has \(axis.direction.count) entries, the encoder's embeddings \(dimension)")
        }
        return axis
    }
}
