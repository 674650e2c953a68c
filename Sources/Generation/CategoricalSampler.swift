import Learning

/// Draws a class from a categorical head's logits with temperature, top-k and top-p (nucleus) filtering.
///
/// Temperature 0 picks the arg-max (lowest index on ties). Otherwise logits are divided by the
/// temperature, the k largest kept (if `topK` > 0), the softmax taken, the smallest set of most
/// likely classes reaching `topP` kept, and one class drawn in proportion. Reuses its buffers:
/// no allocation per draw once sized for the class count.
public struct CategoricalSampler: Sendable {
    private var order: [Int32] = []
    private var weights: [Double] = []

    /// Creates a sampler.
    public init() {}

    /// The index of the drawn class; `logits` must not be empty (non-finite logits never win).
    public mutating func sample(logits: UnsafeBufferPointer<Float>, options: SamplingOptions,
                                generator: inout SeededGenerator) -> Int {
        let n = logits.count
        precondition(n > 0, "sampling needs at least one class")
        var best = -1
        for i in 0..<n where logits[i].isFinite && (best < 0 || logits[i] > logits[best]) { best = i }
        if best < 0 { return 0 }
        if options.temperature == 0 { return best }
        if order.count != n {
            order = [Int32](repeating: 0, count: n)
            weights = [Double](repeating: 0, count: n)
        }
        for i in 0..<n { order[i] = Int32(i) }
        // Most likely first; ties by index, so the order (and the draw) is reproducible.
        order.sort { a, b in
            let la = logits[Int(a)].isFinite ? logits[Int(a)] : -.infinity
            let lb = logits[Int(b)].isFinite ? logits[Int(b)] : -.infinity
            return la != lb ? la > lb : a < b
        }
        var kept = options.topK > 0 ? min(options.topK, n) : n
        let top = Double(logits[best])
        var total = 0.0
        for r in 0..<kept {
            let l = logits[Int(order[r])]
            let w = l.isFinite ? exp((Double(l) - top) / options.temperature) : 0
            weights[r] = w
            total += w
        }
        if options.topP < 1 {
            var cumulative = 0.0
            for r in 0..<kept {
                cumulative += weights[r] / total
                if cumulative >= options.topP { kept = r + 1; break }
            }
            total = 0
            for r in 0..<kept { total += weights[r] }
        }
        var u = generator.nextUnit() * total
        for r in 0..<kept {
            u -= weights[r]
            if u < 0 { return Int(order[r]) }
        }
        // Rounding left a sliver: the last kept class with weight.
        var r = kept - 1
        while r > 0 && weights[r] == 0 { r -= 1 }
        return Int(order[r])
    }
}

import Foundation
