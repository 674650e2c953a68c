/// Triangular (TPDF) dither for quantising float audio to 16 bits: the sum of two independent uniform values, spanning
/// +-1 least significant bit, added before rounding, so quantisation error becomes signal-independent noise (about
/// -96 dBFS RMS in total) and detail below one LSB survives as a signal in the noise.
///
/// Deterministic (a xorshift generator with a fixed seed), so the same render gives the same file.
struct TPDFDither {
    private var state: UInt64

    /// A dither source with a seed (any non-zero value).
    init(seed: UInt64 = 0x9E37_79B9_7F4A_7C15) { state = seed }

    /// The next dither value in LSB units, in (-1, 1), triangular.
    @inline(__always)
    mutating func next() -> Float {
        uniform() - uniform()
    }

    @inline(__always)
    private mutating func uniform() -> Float {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Float(state >> 40) * (1 / Float(1 << 24))
    }
}
