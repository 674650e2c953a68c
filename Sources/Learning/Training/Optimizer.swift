/// Which update rule trains the network.
public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
    /// Stochastic gradient descent with momentum (the paper's optimiser), as Keras's `SGD`.
    case sgd
    /// Adam, as Keras's `Adam` (epsilon 1e-7).
    case adam
}

/// An optimiser with its state (momentum / moment estimates), updating a flat parameter vector in place.
///
/// The state is a value that can be saved in a checkpoint and restored to resume training exactly.
public struct Optimizer: Codable, Sendable {
    /// Update rule.
    public var kind: OptimizerKind
    /// Step size.
    public var learningRate: Double
    /// SGD momentum (Keras default 0; Tunesmith's default 0.9).
    public var momentum: Double
    /// Adam's first-moment decay.
    public var beta1: Double = 0.9
    /// Adam's second-moment decay.
    public var beta2: Double = 0.999
    /// Adam's epsilon.
    public var epsilon: Double = 1e-7
    /// Updates applied so far.
    public private(set) var step: Int = 0
    /// SGD velocity or Adam first moment (one per parameter).
    public private(set) var first: [Float]
    /// Adam second moment (empty for SGD).
    public private(set) var second: [Float]

    /// Creates an optimiser for `parameterCount` parameters.
    public init(kind: OptimizerKind, learningRate: Double, momentum: Double = 0.9, parameterCount: Int) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        first = [Float](repeating: 0, count: parameterCount)
        second = kind == .adam ? [Float](repeating: 0, count: parameterCount) : []
    }

    /// Restores saved state (from a checkpoint); mismatched arrays leave the state fresh.
    public mutating func restore(step: Int, first: [Float], second: [Float]) {
        guard first.count == self.first.count, second.count == self.second.count else { return }
        self.step = step
        self.first = first
        self.second = second
    }

    /// Applies one update with the gradients multiplied by `gradientScale` (the clipping factor).
    public mutating func update(_ parameters: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>, count: Int, gradientScale gs: Float = 1) {
        precondition(count == first.count, "optimizer state does not match the parameter count")
        step += 1
        switch kind {
        case .sgd:
            let lr = Float(learningRate), mu = Float(momentum)
            first.withUnsafeMutableBufferPointer { v in
                for i in 0..<count {
                    v[i] = mu * v[i] - lr * (g[i] * gs)
                    parameters[i] += v[i]
                }
            }
        case .adam:
            let b1 = Float(beta1), b2 = Float(beta2), eps = Float(epsilon)
            let t = Double(step)
            let alpha = Float(learningRate * (1 - pow(beta2, t)).squareRoot() / (1 - pow(beta1, t)))
            first.withUnsafeMutableBufferPointer { mb in
                second.withUnsafeMutableBufferPointer { vb in
                    let m = mb.baseAddress!, v = vb.baseAddress!
                    for i in 0..<count {
                        let gi = g[i] * gs
                        let mi = b1 * m[i] + (1 - b1) * gi
                        let vi = b2 * v[i] + (1 - b2) * gi * gi
                        m[i] = mi
                        v[i] = vi
                        parameters[i] -= alpha * mi / (FastMath.squareRoot(vi) + eps)
                    }
                }
            }
        }
    }
}

import Foundation
