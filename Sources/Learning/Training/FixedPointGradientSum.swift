/// Sums the gradients of a global batch's parts, computed in several processes, so that the result is
/// bit-identical however the parts are spread over processes: every part's gradient is scaled by one power
/// of two shared by all processes (from the largest magnitude of the step), rounded to a 64-bit integer and
/// summed as integers, which is exact in any order; the sum is then scaled back to `Float`.
///
/// The shared scale leaves 61 bits minus log2(parts) for the largest value: every gradient element within
/// 2^-37 of the step's largest keeps its `Float` precision, smaller ones are rounded to that step's grid.
struct FixedPointGradientSum {
    /// Parameters per gradient.
    let count: Int
    /// Parts per global batch.
    let parts: Int
    /// The integer sums (one per parameter).
    private var accumulator: [Int64]

    /// Creates buffers for `count` parameters and `parts` parts.
    init(count: Int, parts: Int) {
        self.count = count
        self.parts = parts
        accumulator = [Int64](repeating: 0, count: count)
    }

    /// The exponent `s` such that `parts` values of magnitude at most `largest` times 2^s sum below 2^62.
    static func scaleExponent(largest: Double, parts: Int) -> Int {
        let partBits = parts <= 1 ? 0 : Int.bitWidth - (parts - 1).leadingZeroBitCount
        return 61 - partBits - Int(largest.exponent)
    }

    /// Sums this process's `leaves` (the gradients of its parts, `count` values each) with every other
    /// process's into `output` and returns the squared norm of the sum; nil when any gradient anywhere is
    /// NaN or infinite (every process gets nil then, so all stop together).
    mutating func sum(leaves: [UnsafePointer<Float>], reducer: any GradientReducer, into output: UnsafeMutablePointer<Float>) throws -> Float? {
        // The largest magnitude over every process (infinity for a non-finite value).
        var largest: Float = 0
        for leaf in leaves {
            for i in 0..<count {
                let m = abs(leaf[i])
                if !m.isFinite { largest = .infinity; break }
                if m > largest { largest = m }
            }
        }
        var shared = [Double(largest)]
        try shared.withUnsafeMutableBufferPointer { try reducer.maximum($0) }
        let top = shared[0]
        guard top.isFinite else { return nil }
        let n = count
        if top == 0 {
            output.update(repeating: 0, count: n)
            return 0
        }
        let exponent = Self.scaleExponent(largest: top, parts: parts)
        let up = Double(sign: .plus, exponent: exponent, significand: 1)
        let down = Double(sign: .plus, exponent: -exponent, significand: 1)
        try accumulator.withUnsafeMutableBufferPointer { acc in
            let a = acc.baseAddress!
            a.update(repeating: 0, count: n)
            for leaf in leaves {
                for i in 0..<n { a[i] &+= Int64((Double(leaf[i]) * up).rounded(.toNearestOrEven)) }
            }
            try reducer.sum(acc)
        }
        // Back to Float, and the squared norm in one fixed order (eight lanes, then the lanes in order).
        var lanes = SIMD8<Float>.zero
        accumulator.withUnsafeBufferPointer { acc in
            let a = acc.baseAddress!
            var i = 0
            while i + 8 <= n {
                var v = SIMD8<Float>.zero
                for k in 0..<8 {
                    let x = Float(Double(a[i + k]) * down)
                    output[i + k] = x
                    v[k] = x
                }
                lanes += v * v
                i += 8
            }
            while i < n {
                let x = Float(Double(a[i]) * down)
                output[i] = x
                lanes[0] += x * x
                i += 1
            }
        }
        var norm2: Float = 0
        for k in 0..<8 { norm2 += lanes[k] }
        return norm2
    }
}
