/// Eight-lane versions of ``FastMath``'s exp, sigmoid and tanh: the same operations in the same order,
/// so each lane is bit-identical to the scalar function (NaN stays NaN).
extension FastMath {
    typealias Vector = SIMD8<Float>

    @inline(__always)
    static func exp(_ xIn: Vector) -> Vector {
        var x = xIn
        x.replace(with: -87, where: x .< -87)
        x.replace(with: 88, where: x .> 88)
        let magic: Float = 12_582_912  // 1.5 * 2^23
        let shifted = x * 1.44269504088896341 + magic
        let n = shifted - magic
        var r = x - n * 0.693359375
        r = r + n * 2.12194440e-4
        var y = Vector(repeating: 1.9875691500e-4)
        y = y * r + 1.3981999507e-3
        y = y * r + 8.3334519073e-3
        y = y * r + 4.1665795894e-2
        y = y * r + 1.6666665459e-1
        y = y * r + 5.0000001201e-1
        y = y * (r * r) + r + 1
        let bits = (unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &- magic.bitPattern &+ 127) &<< 23
        return y * unsafeBitCast(bits, to: Vector.self)
    }

    @inline(__always)
    static func sigmoid(_ x: Vector) -> Vector { 1 / (1 + exp(-x)) }

    @inline(__always)
    static func tanh(_ x: Vector) -> Vector {
        let a = unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: Vector.self)
        let e = exp(-2 * a)
        let t = (1 - e) / (1 + e)
        let x2 = x * x
        let c3: Float = -1.0 / 3, c5: Float = 2.0 / 15, c7: Float = -17.0 / 315
        var p: Vector = x2 * c7
        p = p + c5
        p = x2 * p
        p = p + c3
        p = x2 * p
        p = p + 1
        let series: Vector = x * p
        var result = t
        result.replace(with: -t, where: x .< 0)
        result.replace(with: series, where: a .< 0.0625)
        return result
    }
}
