/// Vectorised single-precision exp, sigmoid and tanh for the LSTM gates (SIMD, no allocation).
///
/// exp uses the Cephes range reduction x = n ln 2 + r with a degree-6 polynomial for e^r and
/// builds 2^n from the exponent bits; relative error is about 2e-7 over the clamped range.
enum FastMath {
    typealias V = SIMD8<Float>

    @inline(__always)
    static func exp(_ xIn: V) -> V {
        let x = xIn.clamped(lowerBound: V(repeating: -87.3), upperBound: V(repeating: 88.3))
        // n = round(x / ln 2)
        let fx = (x * 1.44269504088896341 + 0.5).rounded(.down)
        var r = x - fx * 0.693359375
        r = r + fx * 2.12194440e-4
        var y = V(repeating: 1.9875691500e-4)
        y = y * r + 1.3981999507e-3
        y = y * r + 8.3334519073e-3
        y = y * r + 4.1665795894e-2
        y = y * r + 1.6666665459e-1
        y = y * r + 5.0000001201e-1
        let r2 = r * r
        y = y * r2 + r + 1
        let n = SIMD8<Int32>(fx)
        let bits = (n &+ 127) &<< 23
        let scale = unsafeBitCast(bits, to: V.self)
        return y * scale
    }

    @inline(__always)
    static func sigmoid(_ x: V) -> V {
        1 / (1 + exp(-x))
    }

    @inline(__always)
    static func tanh(_ x: V) -> V {
        // tanh(x) = sign(x) * (1 - e) / (1 + e) with e = exp(-2|x|); exact near 0 via a series.
        let a = x.replacing(with: -x, where: x .< 0)
        let e = exp(-2 * a)
        var t = (1 - e) / (1 + e)
        let x2 = x * x
        // Small |x|: tanh x = x - x^3/3 + 2x^5/15 - 17x^7/315 avoids cancellation.
        var poly = x2 * V(repeating: -17.0 / 315)
        poly = x2 * (poly + 2.0 / 15)
        poly = x2 * (poly - 1.0 / 3)
        let series = x * (poly + 1)
        t.replace(with: -t, where: x .< 0)
        return t.replacing(with: series, where: a .< 0.0625)
    }

    static func sigmoid(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(x + i).storeBytes(of: sigmoid(v), as: V.self)
            i += 8
        }
        if i < count {
            var v = V(repeating: 0)
            for j in i..<count { v[j - i] = x[j] }
            let s = sigmoid(v)
            for j in i..<count { x[j] = s[j - i] }
        }
    }

    static func tanh(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: tanh(v), as: V.self)
            i += 8
        }
        if i < count {
            var v = V(repeating: 0)
            for j in i..<count { v[j - i] = x[j] }
            let s = tanh(v)
            for j in i..<count { y[j] = s[j - i] }
        }
    }
}
