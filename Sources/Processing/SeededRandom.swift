import Support

/// A small seeded random generator (``SplitMix64``) for processors whose variation must repeat exactly for a seed.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var generator: SplitMix64

    /// Creates a generator from a seed; `stream` separates independent sequences made from one seed.
    init(seed: UInt64, stream: UInt64 = 0) {
        generator = SplitMix64(seed: seed &+ stream &* SplitMix64.golden)
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 { generator.next() }

    /// A uniform value in 0 ..< 1.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A uniform value in -1 ... 1.
    mutating func signed() -> Double { unit() * 2 - 1 }
}
