/// Triangular (TPDF) dither for quantising float audio to 16 bits: the sum of two independent uniform values, spanning
/// +-1 least significant bit, added before rounding, so quantisation error becomes signal-independent noise (about
/// -96 dBFS RMS in total) and detail below one LSB survives as a signal in the noise.
///
/// Deterministic (four xorshift generators with fixed seeds, one step of all four per stereo frame, side by side in a
/// SIMD vector), so the same render gives the same file.
struct TPDFDither {
    private var state: SIMD4<UInt64>

    /// A dither source with a seed (the four generators' seeds are drawn from it by SplitMix64, never zero).
    init(seed: UInt64 = 0x9E37_79B9_7F4A_7C15) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return max(1, z ^ (z >> 31))
        }
        state = SIMD4(splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The next frame's dither values (left, right) in LSB units, each in (-1, 1), triangular.
    @inline(__always)
    mutating func nextFrame() -> (left: Float, right: Float) {
        state ^= state &<< 13
        state ^= state &>> 7
        state ^= state &<< 17
        let u = SIMD4<Float>(SIMD4<Int32>(truncatingIfNeeded: state &>> 40)) * (1 / Float(1 << 24))
        return (u[0] - u[1], u[2] - u[3])
    }
}
