/// A small seeded random number generator (SplitMix64, Steele, Lea and Flood 2014) for reproducible
/// test material and fuzzing; equal seeds give equal streams on every platform.
///
/// Shared by the test targets (this target is used by tests only). Tests may depend on its exact
/// output, so the algorithm and constants must not change; `SplitMix64Tests` pins the reference values.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The 64-bit counter; advanced by the golden-ratio increment on every draw.
    public var state: UInt64

    /// Creates a generator whose stream is fully determined by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
