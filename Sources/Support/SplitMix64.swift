/// SplitMix64 (Steele, Lea and Flood 2014): a small seeded random number generator, and its finaliser as a 64-bit
/// hash. Equal seeds give equal streams on every platform.
///
/// The project's one copy: processors draw their variation from it, the network's generator is seeded through it,
/// dropout masks hash with ``mix(_:)``, and tests make their material with it. Models, renders and test material depend
/// on its exact output, so the algorithm and constants must not change; `SplitMix64Tests` pins reference values.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The 64-bit counter; advanced by the golden-ratio increment on every draw.
    public var state: UInt64

    /// The increment: 2^64 divided by the golden ratio, odd.
    public static let golden: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Creates a generator whose stream is fully determined by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= Self.golden
        return Self.mix(state)
    }

    /// The finaliser: a bijective mix of 64 bits (each input bit affects every output bit).
    @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
