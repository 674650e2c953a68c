import CBLAS
import Foundation

/// A floating-point type the neural core computes in: `Float` for training, `Double` for gradient checks.
///
/// Matrix products go through CBLAS (OpenBLAS); the element-wise activations have a fast path per type.
public protocol NeuralScalar: BinaryFloatingPoint, Sendable, Codable where Self.RawSignificand: FixedWidthInteger {
    /// Row-major C = alpha * op(A) * op(B) + beta * C, with op = transpose when the flag is set.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// Replaces each of `count` values by its logistic sigmoid 1 / (1 + e^-x).
    static func sigmoidInPlace(_ x: UnsafeMutablePointer<Self>, count: Int)
    /// Replaces each of `count` values by its hyperbolic tangent.
    static func tanhInPlace(_ x: UnsafeMutablePointer<Self>, count: Int)
    /// Writes tanh(x[i]) to y[i] for `count` values.
    static func tanh(_ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>, count: Int)
    /// Natural exponential.
    static func exponential(_ x: Self) -> Self
    /// One LSTM cell update for one row, in place: activates the pre-activations `gates` (i, f, c~, o blocks of
    /// `units`), then cell = f * previousCell + i * c~, cellTanh = tanh(cell), hidden = o * cellTanh.
    static func lstmCell(gates: UnsafeMutablePointer<Self>, previousCell: UnsafePointer<Self>, cell: UnsafeMutablePointer<Self>,
                         cellTanh: UnsafeMutablePointer<Self>, hidden: UnsafeMutablePointer<Self>, units: Int)
    /// Conversion from a Double.
    init(_ value: Double)
}

extension NeuralScalar {
    /// Reference cell update through the per-type activations (exact for Double).
    @inline(__always)
    static func genericLSTMCell(gates row: UnsafeMutablePointer<Self>, previousCell cp: UnsafePointer<Self>, cell cn: UnsafeMutablePointer<Self>,
                                cellTanh tc: UnsafeMutablePointer<Self>, hidden hn: UnsafeMutablePointer<Self>, units h: Int) {
        sigmoidInPlace(row, count: 2 * h)
        tanhInPlace(row + 2 * h, count: h)
        sigmoidInPlace(row + 3 * h, count: h)
        for j in 0..<h { cn[j] = row[h + j] * cp[j] + row[j] * row[2 * h + j] }
        tanh(cn, into: tc, count: h)
        for j in 0..<h { hn[j] = row[3 * h + j] * tc[j] }
    }

    @inline(__always)
    static func blasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }
}

extension Double: NeuralScalar {
    /// Row-major DGEMM.
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        cblas_dgemm(CblasRowMajor, blasTranspose(transposeA), blasTranspose(transposeB),
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    /// Exact sigmoid through `exp`.
    public static func sigmoidInPlace(_ x: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count { x[i] = 1 / (1 + Foundation.exp(-x[i])) }
    }
    /// Exact tanh.
    public static func tanhInPlace(_ x: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count { x[i] = Foundation.tanh(x[i]) }
    }
    /// Exact tanh.
    public static func tanh(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count { y[i] = Foundation.tanh(x[i]) }
    }
    /// `exp`.
    public static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
    /// Exact cell update.
    public static func lstmCell(gates: UnsafeMutablePointer<Double>, previousCell: UnsafePointer<Double>, cell: UnsafeMutablePointer<Double>,
                                cellTanh: UnsafeMutablePointer<Double>, hidden: UnsafeMutablePointer<Double>, units: Int) {
        genericLSTMCell(gates: gates, previousCell: previousCell, cell: cell, cellTanh: cellTanh, hidden: hidden, units: units)
    }
}

extension Float: NeuralScalar {
    /// Row-major SGEMM.
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        cblas_sgemm(CblasRowMajor, blasTranspose(transposeA), blasTranspose(transposeB),
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    /// Vectorised sigmoid (relative error about 1e-7).
    public static func sigmoidInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
        FastMath.sigmoid(x, count: count)
    }
    /// Vectorised tanh (absolute error about 1e-7).
    public static func tanhInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
        FastMath.tanh(x, into: x, count: count)
    }
    /// Vectorised tanh.
    public static func tanh(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        FastMath.tanh(x, into: y, count: count)
    }
    /// `expf`.
    public static func exponential(_ x: Float) -> Float { Foundation.exp(x) }
    /// Vectorised cell update (separate passes vectorise better than one fused loop).
    public static func lstmCell(gates: UnsafeMutablePointer<Float>, previousCell: UnsafePointer<Float>, cell: UnsafeMutablePointer<Float>,
                                cellTanh: UnsafeMutablePointer<Float>, hidden: UnsafeMutablePointer<Float>, units h: Int) {
        genericLSTMCell(gates: gates, previousCell: previousCell, cell: cell, cellTanh: cellTanh, hidden: hidden, units: h)
    }
}
