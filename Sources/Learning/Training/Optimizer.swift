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
        update(parameters, gradients: g, chunks: [0..<count], gradientScale: gs) { body in body(0) }
    }

    /// One update like ``update(_:gradients:count:gradientScale:)`` with the element loop split into disjoint
    /// `chunks` covering every parameter; `run` calls its argument once per chunk index, possibly in parallel.
    mutating func update(_ parameters: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>, chunks: [Range<Int>],
                         gradientScale gs: Float, run: (@escaping (Int) -> Void) -> Void) {
        step += 1
        let rule: Rule
        switch kind {
        case .sgd:
            rule = Rule(kind: .sgd, a: Float(learningRate), b: Float(momentum), c: 0, d: 0)
        case .adam:
            let t = Double(step)
            let alpha = Float(learningRate * (1 - pow(beta2, t)).squareRoot() / (1 - pow(beta1, t)))
            rule = Rule(kind: .adam, a: alpha, b: Float(beta1), c: Float(beta2), d: Float(epsilon))
        }
        first.withUnsafeMutableBufferPointer { mb in
            second.withUnsafeMutableBufferPointer { vb in
                let m = SharedPointer(pointer: mb.baseAddress!), v = vb.baseAddress.map { SharedPointer(pointer: $0) }
                let p = SharedPointer(pointer: parameters), grads = SharedPointer(pointer: UnsafeMutablePointer(mutating: g))
                run { index in
                    rule.apply(parameters: p.pointer, gradients: grads.pointer, first: m.pointer, second: v?.pointer,
                               range: chunks[index], gradientScale: gs)
                }
            }
        }
    }

    /// One step's per-element rule: SGD (a = learning rate, b = momentum) or Adam (a = step size, b, c = decays, d = epsilon).
    struct Rule: Sendable {
        var kind: OptimizerKind
        var a: Float, b: Float, c: Float, d: Float

        @inline(__always)
        func apply(parameters: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>, first m: UnsafeMutablePointer<Float>,
                   second v: UnsafeMutablePointer<Float>?, range: Range<Int>, gradientScale gs: Float) {
            switch kind {
            case .sgd:
                let lr = a, mu = b
                for i in range {
                    m[i] = mu * m[i] - lr * (g[i] * gs)
                    parameters[i] += m[i]
                }
            case .adam:
                guard let v else { return }
                let alpha = a, b1 = b, b2 = c, eps = d
                for i in range {
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

import Foundation
