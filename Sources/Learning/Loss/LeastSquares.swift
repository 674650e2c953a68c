/// Linear least squares min |A x - y| by Householder QR, in double precision.
enum LeastSquares {
    /// Solves for x given `a` (rows x columns, row-major, rows >= columns) and `y` (rows).
    static func solve(_ aIn: [Double], rows: Int, columns: Int, _ yIn: [Double]) -> [Double] {
        precondition(rows >= columns && aIn.count == rows * columns && yIn.count == rows)
        var a = aIn, y = yIn
        for k in 0..<columns {
            var norm = 0.0
            for i in k..<rows { norm += a[i * columns + k] * a[i * columns + k] }
            norm = norm.squareRoot()
            if norm == 0 { continue }
            let alpha = a[k * columns + k] > 0 ? -norm : norm
            var v = [Double](repeating: 0, count: rows)
            for i in k..<rows { v[i] = a[i * columns + k] }
            v[k] -= alpha
            var vv = 0.0
            for i in k..<rows { vv += v[i] * v[i] }
            if vv == 0 { continue }
            for j in k..<columns {
                var dot = 0.0
                for i in k..<rows { dot += v[i] * a[i * columns + j] }
                let f = 2 * dot / vv
                for i in k..<rows { a[i * columns + j] -= f * v[i] }
            }
            var dot = 0.0
            for i in k..<rows { dot += v[i] * y[i] }
            let f = 2 * dot / vv
            for i in k..<rows { y[i] -= f * v[i] }
        }
        var x = [Double](repeating: 0, count: columns)
        for k in stride(from: columns - 1, through: 0, by: -1) {
            var s = y[k]
            for j in (k + 1)..<max(k + 1, columns) { s -= a[k * columns + j] * x[j] }
            let d = a[k * columns + k]
            x[k] = abs(d) < 1e-300 ? 0 : s / d
        }
        return x
    }
}
