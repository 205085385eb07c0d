/// A named, shaped slice of a `ParameterStore`.
package struct ParameterView: Sendable, Equatable {
    public let name: String
    public let shape: [Int]
    public let offset: Int
    public var count: Int { shape.reduce(1, *) }
    /// Whether AdamW's weight decay applies (weights yes, biases no).
    public let decays: Bool
}

/// The trainable parameters in one contiguous allocation with named views, and their gradients
/// in a second allocation of the same layout.
final class ParameterStore {
    let views: [ParameterView]
    let count: Int
    // values, gradients: (count)
    let values: FloatBuffer
    let gradients: FloatBuffer
    private let index: [String: ParameterView]

    init(_ specifications: [(name: String, shape: [Int], decays: Bool)]) {
        var offset = 0
        var views: [ParameterView] = []
        for spec in specifications {
            views.append(ParameterView(name: spec.name, shape: spec.shape, offset: offset, decays: spec.decays))
            offset += spec.shape.reduce(1, *)
        }
        self.views = views
        count = offset
        values = FloatBuffer(count: offset)
        gradients = FloatBuffer(count: offset)
        index = Dictionary(uniqueKeysWithValues: views.map { ($0.name, $0) })
    }

    func view(_ name: String) -> ParameterView {
        guard let view = index[name] else { preconditionFailure("no parameter \(name)") }
        return view
    }

    func value(_ name: String) -> UnsafeMutablePointer<Float> { values.pointer + view(name).offset }
    func gradient(_ name: String) -> UnsafeMutablePointer<Float> { gradients.pointer + view(name).offset }

    func zeroGradients() { gradients.zero() }

    /// A copy of all values, in layout order.
    var snapshot: [Float] { Array(UnsafeBufferPointer(start: values.pointer, count: count)) }
}
