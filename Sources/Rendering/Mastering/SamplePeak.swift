/// Vector scans of planar audio: the largest absolute sample (16 samples a step in vector registers), and the smallest
/// value (the limiter's lowest gain).
///
/// Every render scans all its samples for the peak (the master's input and output, the true-peak meter's windows, the
/// synthesizer's release tail); a scalar `max` waits on the previous one for every sample, the vector chains do not.
enum SamplePeak {
    /// The largest of `start` and |x[k]| for k in 0..<count.
    @inline(__always)
    static func largest(_ x: UnsafePointer<Float>, count: Int, from start: Float = 0) -> Float {
        let raw = UnsafeRawPointer(x)
        let stride = MemoryLayout<Float>.stride
        var m0 = SIMD8<Float>(repeating: start), m1 = m0
        var k = 0
        while k + 16 <= count {
            m0 = larger(m0, magnitude(raw.loadUnaligned(fromByteOffset: k * stride, as: SIMD8<Float>.self)))
            m1 = larger(m1, magnitude(raw.loadUnaligned(fromByteOffset: (k + 8) * stride, as: SIMD8<Float>.self)))
            k += 16
        }
        if k + 8 <= count {
            m0 = larger(m0, magnitude(raw.loadUnaligned(fromByteOffset: k * stride, as: SIMD8<Float>.self)))
            k += 8
        }
        var m = largestLane(larger(m0, m1))
        while k < count { m = max(m, abs(x[k])); k += 1 }
        return m
    }

    /// The smallest of x[k] for k in 0..<count (1 when empty); for the limiter's lowest gain.
    @inline(__always)
    static func smallest(_ x: UnsafePointer<Float>, count: Int) -> Float {
        let raw = UnsafeRawPointer(x)
        let stride = MemoryLayout<Float>.stride
        var m = SIMD8<Float>(repeating: 1)
        var k = 0
        while k + 8 <= count {
            let v = raw.loadUnaligned(fromByteOffset: k * stride, as: SIMD8<Float>.self)
            m = m.replacing(with: v, where: v .< m)
            k += 8
        }
        var least = -largestLane(-m)
        while k < count { least = Swift.min(least, x[k]); k += 1 }
        return least
    }

    /// The largest of `start` and every |left[k]| and |right[k]| for k in 0..<count.
    @inline(__always)
    static func largest(_ left: UnsafePointer<Float>, _ right: UnsafePointer<Float>, count: Int, from start: Float = 0) -> Float {
        largest(right, count: count, from: largest(left, count: count, from: start))
    }

    /// The largest of the 8 lanes (two halvings; the standard library's `max()` is a generic loop here).
    @inline(__always)
    static func largestLane(_ v: SIMD8<Float>) -> Float {
        let four = v.lowHalf.replacing(with: v.highHalf, where: v.lowHalf .< v.highHalf)
        let two = four.lowHalf.replacing(with: four.highHalf, where: four.lowHalf .< four.highHalf)
        return Swift.max(two[0], two[1])
    }

    /// Lane-wise |v|.
    @inline(__always)
    static func magnitude(_ v: SIMD8<Float>) -> SIMD8<Float> { larger(v, -v) }

    /// Lane-wise maximum (a compare and a blend; `pointwiseMax`'s NaN rules cost more and audio has no NaN).
    @inline(__always)
    static func larger(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, where: a .< b) }
}
