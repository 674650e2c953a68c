import Foundation

/// The largest true (inter-sample) peak of a stereo stream, per ITU-R BS.1770-4 Annex 2: 4x oversampling by a
/// 48-tap polyphase interpolator (Blackman-windowed sinc; the points at 1/4, 2/4 and 3/4 between samples, the samples
/// themselves being the fourth phase), then the largest absolute value.
///
/// Works on contiguous planar blocks with SIMD inner loops (8 outputs per vector) and no allocation after the first
/// block. Exact shortcut: a stretch of 64 positions is interpolated only if its samples could reach the peak found so
/// far (no interpolated point exceeds ``overshoot`` times the largest sample it is made of), so quiet passages and
/// passages below an earlier peak cost only a sample-peak scan; the result is the same as interpolating everywhere.
struct TruePeakMeter {
    /// Taps per phase.
    static let taps = 48
    /// Samples before the interpolated position a phase's window starts (the window is x[i - 23] ... x[i + 24]).
    static let before = taps / 2 - 1
    /// Positions handled per stretch.
    private static let stretch = 64
    /// Per phase 1...3: the coefficients applied to x[i - 23 + k], k = 0..<48.
    private static let phases: [[Float]] = (1...3).map { p in
        (0..<taps).map { k in
            let u = Double(p) / 4 + Double(before) - Double(k)  // distance from sample i - 23 + k to the point i + p/4
            let sinc = u == 0 ? 1 : sin(Double.pi * u) / (Double.pi * u)
            let x = u / Double(taps / 2)  // -1 ... 1 across the window
            let w = abs(x) >= 1 ? 0 : 0.42 + 0.5 * cos(Double.pi * x) + 0.08 * cos(2 * Double.pi * x)
            return Float(sinc * w)
        }
    }
    /// The largest factor by which an interpolated point can exceed the largest sample of its window.
    static let overshoot: Float = phases.map { $0.reduce(Float(0)) { $0 + abs($1) } }.max()!

    /// Per channel: samples not yet interpolated around, preceded by the window's history.
    private var left: [Float] = []
    private var right: [Float] = []
    /// Largest true peak so far, linear.
    private(set) var peak: Float = 0

    /// An empty meter (the stream is taken to start after silence).
    init() {
        left = [Float](repeating: 0, count: Self.before)
        right = left
    }

    /// Adds `n` frames of planar stereo audio.
    mutating func add(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int) {
        guard n > 0 else { return }
        left.append(contentsOf: UnsafeBufferPointer(start: l, count: n))
        right.append(contentsOf: UnsafeBufferPointer(start: r, count: n))
        process(final: false)
    }

    /// The true peak (linear), the stream taken to end in silence (the last samples' points are interpolated); add
    /// nothing after it.
    mutating func finish() -> Float {
        let pad = [Float](repeating: 0, count: Self.taps)
        left += pad
        right += pad
        process(final: true)
        return peak
    }

    /// Interpolates every position whose window is complete, then keeps the last samples as history.
    private mutating func process(final: Bool) {
        let after = Self.taps - Self.before - 1  // 24 samples after the position
        let positions = left.count - Self.before - after
        guard positions >= (final ? 1 : Self.stretch) else { return }
        let usable = final ? positions : positions / Self.stretch * Self.stretch
        var p = peak
        left.withUnsafeBufferPointer { lb in p = Self.scan(lb.baseAddress!, positions: usable, peak: p) }
        right.withUnsafeBufferPointer { rb in p = Self.scan(rb.baseAddress!, positions: usable, peak: p) }
        peak = p
        left.removeFirst(usable)
        right.removeFirst(usable)
    }

    /// The largest of `peak` and the true peak at positions 0..<positions of a channel whose position i is x[i + 23].
    private static func scan(_ x: UnsafePointer<Float>, positions: Int, peak start: Float) -> Float {
        var peak = start
        var begin = 0
        while begin < positions {
            let count = min(stretch, positions - begin)
            // Samples at the positions, and the largest sample any of their windows touches.
            let base = x + begin
            let sampleMax = SamplePeak.largest(base + before, count: count)
            let windowMax = SamplePeak.largest(base + before + count, count: taps - 1 - before,
                                               from: SamplePeak.largest(base, count: before, from: sampleMax))
            peak = max(peak, sampleMax)
            if windowMax * overshoot > peak {
                peak = max(peak, count == stretch ? interpolatedMax(base) : interpolatedMax(base, count: count))
            }
            begin += count
        }
        return peak
    }

    /// The largest absolute interpolated point of the 64 positions from `base` (position i is base[i + 23]), 8 at a time:
    /// one fused multiply-add per tap and vector (Rendering is built for x86-64-v3, which has FMA; so has arm64).
    @inline(__always)
    private static func interpolatedMax(_ base: UnsafePointer<Float>) -> Float {
        var best = SIMD8<Float>(repeating: 0)
        let raw = UnsafeRawPointer(base)
        for phase in phases {
            phase.withUnsafeBufferPointer { h in
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                var a4 = SIMD8<Float>(), a5 = SIMD8<Float>(), a6 = SIMD8<Float>(), a7 = SIMD8<Float>()
                let stride = MemoryLayout<Float>.stride
                for k in 0..<taps {
                    let c = SIMD8<Float>(repeating: h[k])
                    let o = k * stride
                    a0.addProduct(c, raw.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self))
                    a1.addProduct(c, raw.loadUnaligned(fromByteOffset: o + 8 * stride, as: SIMD8<Float>.self))
                    a2.addProduct(c, raw.loadUnaligned(fromByteOffset: o + 16 * stride, as: SIMD8<Float>.self))
                    a3.addProduct(c, raw.loadUnaligned(fromByteOffset: o + 24 * stride, as: SIMD8<Float>.self))
                    a4.addProduct(c, raw.loadUnaligned(fromByteOffset: o + 32 * stride, as: SIMD8<Float>.self))
                    a5.addProduct(c, raw.loadUnaligned(fromByteOffset: o + 40 * stride, as: SIMD8<Float>.self))
                    a6.addProduct(c, raw.loadUnaligned(fromByteOffset: o + 48 * stride, as: SIMD8<Float>.self))
                    a7.addProduct(c, raw.loadUnaligned(fromByteOffset: o + 56 * stride, as: SIMD8<Float>.self))
                }
                let mag = SamplePeak.magnitude, larger = SamplePeak.larger
                let m = larger(larger(larger(mag(a0), mag(a1)), larger(mag(a2), mag(a3))),
                               larger(larger(mag(a4), mag(a5)), larger(mag(a6), mag(a7))))
                best = larger(best, m)
            }
        }
        return SamplePeak.largestLane(best)
    }

    /// The same for fewer than 64 positions (the end of the stream), one at a time.
    private static func interpolatedMax(_ base: UnsafePointer<Float>, count: Int) -> Float {
        var best: Float = 0
        for phase in phases {
            for i in 0..<count {
                var y: Float = 0
                for k in 0..<taps { y += phase[k] * base[i + k] }
                best = max(best, abs(y))
            }
        }
        return best
    }

}
