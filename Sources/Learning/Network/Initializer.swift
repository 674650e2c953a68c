/// Keras-compatible initial weights: Glorot-uniform kernels, orthogonal recurrent kernels,
/// zero biases with the LSTM forget-gate bias at one.
public enum Initializer {
    /// Fills a flat parameter vector for an architecture, deterministically from `generator`.
    public static func initialParameters<T: NeuralScalar>(
        for architecture: Architecture, layout: ParameterLayout, generator: inout SeededGenerator
    ) -> [T] {
        var p = [T](repeating: 0, count: layout.count)
        for (index, spec) in architecture.layers.enumerated() {
            let tensors = layout.tensors(ofLayer: index)
            switch spec {
            case .lstm(let u, _):
                glorot(&p, tensors[0], &generator)
                orthogonal(&p, tensors[1], &generator)
                for j in u..<(2 * u) { p[tensors[2].offset + j] = 1 }  // unit forget bias
            case .dense:
                glorot(&p, tensors[0], &generator)
            }
        }
        return p
    }

    static func glorot<T: NeuralScalar>(_ p: inout [T], _ t: ParameterLayout.Tensor, _ g: inout SeededGenerator) {
        let limit = (6.0 / Double(t.rows + t.columns)).squareRoot()
        for i in 0..<t.count { p[t.offset + i] = T((g.nextUnit() * 2 - 1) * limit) }
    }

    /// Orthogonal (rows x columns) matrix as Keras builds it: QR of a normal matrix, sign-corrected.
    static func orthogonal<T: NeuralScalar>(_ p: inout [T], _ t: ParameterLayout.Tensor, _ g: inout SeededGenerator) {
        let rows = t.rows, cols = t.columns
        // Work on the tall orientation n x k (n >= k) with orthonormal columns, then transpose if needed.
        let n = max(rows, cols), k = min(rows, cols)
        var a = [Double](repeating: 0, count: n * k)
        for i in 0..<(n * k) { a[i] = g.nextNormal() }
        // Modified Gram-Schmidt on the columns (gives positive diagonal of R, matching the sign fix).
        for j in 0..<k {
            for prev in 0..<j {
                var dot = 0.0
                for r in 0..<n { dot += a[r * k + j] * a[r * k + prev] }
                for r in 0..<n { a[r * k + j] -= dot * a[r * k + prev] }
            }
            var norm = 0.0
            for r in 0..<n { norm += a[r * k + j] * a[r * k + j] }
            norm = norm.squareRoot()
            for r in 0..<n { a[r * k + j] /= max(norm, 1e-300) }
        }
        for r in 0..<rows {
            for c in 0..<cols {
                p[t.offset + r * cols + c] = T(rows >= cols ? a[r * k + c] : a[c * k + r])
            }
        }
    }
}
