/// Single-precision exp, sigmoid and tanh for the LSTM gates, written as plain loops that the compiler
/// vectorises (no calls into libm, no allocation).
///
/// exp uses the Cephes range reduction x = n ln 2 + r (n rounded to nearest with the 1.5 * 2^23 trick),
/// a degree-6 polynomial for e^r and 2^n built from the exponent bits; relative error about 2e-7.
enum FastMath {
    @inline(__always)
    static func exp(_ xIn: Float) -> Float {
        let x = min(max(xIn, -87.0), 88.0)
        let magic: Float = 12_582_912  // 1.5 * 2^23
        let shifted = x * 1.44269504088896341 + magic
        let n = shifted - magic
        var r = x - n * 0.693359375
        r = r + n * 2.12194440e-4
        var y: Float = 1.9875691500e-4
        y = y * r + 1.3981999507e-3
        y = y * r + 8.3334519073e-3
        y = y * r + 4.1665795894e-2
        y = y * r + 1.6666665459e-1
        y = y * r + 5.0000001201e-1
        y = y * (r * r) + r + 1
        let bits = (shifted.bitPattern &- magic.bitPattern &+ 127) &<< 23
        return y * Float(bitPattern: bits)
    }

    @inline(__always)
    static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }

    @inline(__always)
    static func tanh(_ x: Float) -> Float {
        let a = abs(x)
        let e = exp(-2 * a)
        let t = (1 - e) / (1 + e)
        let x2 = x * x
        // Small |x|: odd series avoids cancellation in 1 - e.
        let series = x * (1 + x2 * (-1.0 / 3 + x2 * (2.0 / 15 + x2 * (-17.0 / 315))))
        let signed = x < 0 ? -t : t
        return a < 0.0625 ? series : signed
    }

    /// In place over `count` values, four eight-lane vectors per iteration (independent chains the core overlaps).
    static func sigmoid(_ x: UnsafeMutablePointer<Float>, count: Int) {
        map(x, into: x, count: count, lanes: { sigmoid($0) }, scalar: { sigmoid($0) })
    }

    /// tanh of `count` values into `y` (which may be `x`), four eight-lane vectors per iteration.
    static func tanh(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        map(x, into: y, count: count, lanes: { tanh($0) }, scalar: { tanh($0) })
    }

    /// Applies `lanes` to `count` values of `x`, writing `y` (which may be `x`): four eight-lane vectors per
    /// iteration, all four loaded before any is stored, then `scalar` on the remainder (under 32 values).
    /// The two kernels must be the same function (bit for bit) for the result not to depend on the position.
    @inline(__always)
    private static func map(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int,
                            lanes: (Vector) -> Vector, scalar: (Float) -> Float) {
        var i = 0
        while i + 32 <= count {
            let r = UnsafeRawPointer(x + i), w = UnsafeMutableRawPointer(y + i)
            let a = lanes(r.loadUnaligned(as: Vector.self)), b = lanes(r.loadUnaligned(fromByteOffset: 32, as: Vector.self))
            let c = lanes(r.loadUnaligned(fromByteOffset: 64, as: Vector.self)), d = lanes(r.loadUnaligned(fromByteOffset: 96, as: Vector.self))
            w.storeBytes(of: a, as: Vector.self); w.storeBytes(of: b, toByteOffset: 32, as: Vector.self)
            w.storeBytes(of: c, toByteOffset: 64, as: Vector.self); w.storeBytes(of: d, toByteOffset: 96, as: Vector.self)
            i += 32
        }
        while i < count { y[i] = scalar(x[i]); i += 1 }
    }

    /// Square root of a non-negative value by bit-level reciprocal estimate and three Newton steps
    /// (relative error below 1e-7); unlike `squareRoot()` it never calls libm, so loops vectorise.
    @inline(__always)
    static func squareRoot(_ x: Float) -> Float {
        let v = max(x, 1e-30)
        var r = Float(bitPattern: 0x5F37_59DF &- (v.bitPattern >> 1))
        let half = 0.5 * v
        r = r * (1.5 - half * r * r)
        r = r * (1.5 - half * r * r)
        r = r * (1.5 - half * r * r)
        return x > 0 ? v * r : 0
    }
}
