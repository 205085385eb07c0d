import Foundation

/// AdamW (Loshchilov & Hutter), as torch.optim.AdamW: decoupled weight decay, bias-corrected moments.
struct AdamW {
    var beta1: Float = 0.9
    var beta2: Float = 0.999
    var epsilon: Float = 1e-8
    var weightDecay: Float
    private(set) var step = 0
    // m, v: (count)
    private let moments: FloatBuffer

    init(parameterCount: Int, weightDecay: Float) {
        self.weightDecay = weightDecay
        moments = FloatBuffer(count: 2 * parameterCount)
    }

    /// One update of every parameter of `store` from its gradient, at `learningRate`; views for
    /// which `updates` is false are left untouched (weight decay included).
    mutating func update(_ store: ParameterStore, learningRate: Float, updates: ((ParameterView) -> Bool)? = nil) {
        step += 1
        let m = moments.pointer, v = moments.pointer + store.count
        let p = store.values.pointer, g = store.gradients.pointer
        let correction1 = 1 - Float(pow(Double(beta1), Double(step)))
        let correction2 = 1 - Float(pow(Double(beta2), Double(step)))
        for view in store.views where updates?(view) ?? true {
            let decay: Float = view.decays ? 1 - learningRate * weightDecay : 1
            for i in view.offset..<(view.offset + view.count) {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                let mHat = m[i] / correction1, vHat = v[i] / correction2
                p[i] = p[i] * decay - learningRate * mHat / (vHat.squareRoot() + epsilon)
            }
        }
    }
}

/// Learning rate per step: linear warm-up to `peak`, then cosine or linear decay to zero.
package struct LearningRateSchedule: Sendable, Equatable {
    public enum Decay: String, Sendable, Codable { case cosine, linear }
    public var peak: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    public var decay: Decay

    public init(peak: Float, warmupSteps: Int, totalSteps: Int, decay: Decay = .cosine) {
        precondition(totalSteps > 0 && warmupSteps >= 0, "a schedule needs at least one step")
        (self.peak, self.warmupSteps, self.totalSteps, self.decay) = (peak, warmupSteps, totalSteps, decay)
    }

    /// The rate for 0-based `step`.
    public func rate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let progress = Double(step - warmupSteps) / Double(max(totalSteps - warmupSteps, 1))
        switch decay {
        case .cosine: return peak * Float(0.5 * (1 + cos(Double.pi * min(progress, 1))))
        case .linear: return peak * Float(max(1 - progress, 0))
        }
    }
}
