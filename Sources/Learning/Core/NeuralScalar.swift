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
    /// Back-propagates one row through one LSTM step: from the hidden- and cell-state gradients (the cell
    /// gradient is replaced by the one flowing to the previous step) to the gate pre-activation gradients.
    static func lstmCellBackward(gates: UnsafePointer<Self>, previousCell: UnsafePointer<Self>, cellTanh: UnsafePointer<Self>,
                                 hiddenGradient: UnsafePointer<Self>, cellGradient: UnsafeMutablePointer<Self>,
                                 gateGradients: UnsafeMutablePointer<Self>, units: Int)
    /// Conversion from a Double.
    init(_ value: Double)
}

extension NeuralScalar {
    /// Scalar reference of ``lstmCellBackward``.
    @inline(__always)
    static func genericLSTMCellBackward(gates gr: UnsafePointer<Self>, previousCell cp: UnsafePointer<Self>, cellTanh tcr: UnsafePointer<Self>,
                                        hiddenGradient dhr: UnsafePointer<Self>, cellGradient dcr: UnsafeMutablePointer<Self>,
                                        gateGradients dr: UnsafeMutablePointer<Self>, units h: Int, from start: Int = 0) {
        for j in start..<h {
            let ig = gr[j], fg = gr[h + j], cg = gr[2 * h + j], og = gr[3 * h + j]
            let tcv = tcr[j], dhv = dhr[j]
            let dcv = dcr[j] + dhv * og * (1 - tcv * tcv)
            dr[j] = dcv * cg * ig * (1 - ig)
            dr[h + j] = dcv * cp[j] * fg * (1 - fg)
            dr[2 * h + j] = dcv * ig * (1 - cg * cg)
            dr[3 * h + j] = dhv * tcv * og * (1 - og)
            dcr[j] = dcv * fg
        }
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
    /// Scalar backward step.
    public static func lstmCellBackward(gates: UnsafePointer<Double>, previousCell: UnsafePointer<Double>, cellTanh: UnsafePointer<Double>,
                                        hiddenGradient: UnsafePointer<Double>, cellGradient: UnsafeMutablePointer<Double>,
                                        gateGradients: UnsafeMutablePointer<Double>, units: Int) {
        genericLSTMCellBackward(gates: gates, previousCell: previousCell, cellTanh: cellTanh, hiddenGradient: hiddenGradient,
                                cellGradient: cellGradient, gateGradients: gateGradients, units: units)
    }
}

extension Float: NeuralScalar {
    /// Row-major SGEMM: small products through ``SmallGEMM``'s vector kernels, larger ones through OpenBLAS.
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        if SmallGEMM.handles(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k) {
            SmallGEMM.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                           b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
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
    /// Backward step eight units at a time (SIMD8), the remainder scalar.
    public static func lstmCellBackward(gates gr: UnsafePointer<Float>, previousCell cp: UnsafePointer<Float>, cellTanh tcr: UnsafePointer<Float>,
                                        hiddenGradient dhr: UnsafePointer<Float>, cellGradient dcr: UnsafeMutablePointer<Float>,
                                        gateGradients dr: UnsafeMutablePointer<Float>, units h: Int) {
        typealias V = SIMD8<Float>
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        @inline(__always) func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }
        let one = V(repeating: 1)
        var j = 0
        while j + 8 <= h {
            let ig = load(gr + j), fg = load(gr + h + j), cg = load(gr + 2 * h + j), og = load(gr + 3 * h + j)
            let tcv = load(tcr + j), dhv = load(dhr + j)
            let dcv = load(dcr + j) + dhv * og * (one - tcv * tcv)
            store(dcv * cg * ig * (one - ig), dr + j)
            store(dcv * load(cp + j) * fg * (one - fg), dr + h + j)
            store(dcv * ig * (one - cg * cg), dr + 2 * h + j)
            store(dhv * tcv * og * (one - og), dr + 3 * h + j)
            store(dcv * fg, dcr + j)
            j += 8
        }
        if j < h {
            genericLSTMCellBackward(gates: gr, previousCell: cp, cellTanh: tcr, hiddenGradient: dhr, cellGradient: dcr,
                                    gateGradients: dr, units: h, from: j)
        }
    }
}
