/// Triangular (TPDF) dither for quantising float audio to 16 bits: the sum of two independent uniform values, spanning
/// +-1 least significant bit, added before rounding, so quantisation error becomes signal-independent noise (about
/// -96 dBFS RMS in total) and detail below one LSB survives as a signal in the noise.
///
/// Deterministic (four xorshift generators from fixed states, one step of all four per stereo frame, side by side in a
/// SIMD vector), so the same render gives the same file.
struct TPDFDither {
    private var state: SIMD4<UInt64>

    /// A dither source; every render starts the generators from the same fixed, non-zero states (the first 64 bits
    /// of the fractional parts of the square roots of 2, 3, 5 and 7).
    init() {
        state = SIMD4(0x6A09_E667_F3BC_C908, 0xBB67_AE85_84CA_A73B, 0x3C6E_F372_FE94_F82B, 0xA54F_F53A_5F1D_36F1)
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
