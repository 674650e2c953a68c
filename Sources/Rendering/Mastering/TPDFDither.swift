/// Triangular (TPDF) dither for quantising float audio to 16 bits: the sum of two independent uniform values, spanning
/// +-1 least significant bit, added before rounding, so quantisation error becomes signal-independent noise (about
/// -96 dBFS RMS in total) and detail below one LSB survives as a signal in the noise.
///
/// Deterministic (32 xorshift32 generators from fixed states, side by side in vector registers; one step of all of
/// them gives 8 stereo frames), so the same render gives the same file. Each generator has a period of 2^32 - 1 steps,
/// some 2^35 frames: over 22 years at 48 kHz.
struct TPDFDither {
    /// Four vectors of 8 generators each: for 8 frames, the left channel's two uniforms, then the right channel's.
    private var a: SIMD8<UInt32>, b: SIMD8<UInt32>, c: SIMD8<UInt32>, d: SIMD8<UInt32>

    /// A dither source; every render starts the generators from the same fixed, non-zero states.
    init() {
        var s = [SIMD8<UInt32>](repeating: .zero, count: 4)
        var x: UInt32 = 0x6A09_E667  // the first 32 bits of the fractional part of the square root of 2
        for i in 0..<32 {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5
            s[i / 8][i % 8] = x
        }
        (a, b, c, d) = (s[0], s[1], s[2], s[3])
    }

    /// The next 8 frames' dither values (left, right) in LSB units, each in (-1, 1), triangular.
    @inline(__always)
    mutating func nextEight() -> (left: SIMD8<Float>, right: SIMD8<Float>) {
        a = Self.step(a); b = Self.step(b); c = Self.step(c); d = Self.step(d)
        return (Self.uniform(a) - Self.uniform(b), Self.uniform(c) - Self.uniform(d))
    }

    /// One xorshift32 step (13, 17, 5) of 8 generators.
    @inline(__always)
    private static func step(_ v: SIMD8<UInt32>) -> SIMD8<UInt32> {
        var v = v
        v ^= v &<< 13
        v ^= v &>> 17
        v ^= v &<< 5
        return v
    }

    /// The top 24 bits of each generator as a uniform value in [0, 1).
    @inline(__always)
    private static func uniform(_ v: SIMD8<UInt32>) -> SIMD8<Float> {
        SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: v &>> 8)) * (1 / Float(1 << 24))
    }
}
