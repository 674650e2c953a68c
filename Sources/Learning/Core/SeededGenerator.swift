import Support

/// A seeded, reproducible random number generator (xoshiro256**, seeded through ``SplitMix64``).
///
/// Value type with no shared state: copy it to fork a stream, store ``state`` to resume one.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable, Codable {
    /// The four 64-bit words of xoshiro256** state.
    public private(set) var state: [UInt64]

    /// Creates a generator from a seed; equal seeds give equal streams.
    public init(seed: UInt64) {
        var seeding = SplitMix64(seed: seed)
        var words = (0..<4).map { _ in seeding.next() }
        if words.allSatisfy({ $0 == 0 }) { words[0] = 1 }
        state = words
    }

    /// Restores a generator from a saved ``state``.
    public init(state: [UInt64]) {
        precondition(state.count == 4, "xoshiro256** state has four words")
        self.state = state.allSatisfy({ $0 == 0 }) ? [1, 0, 0, 0] : state
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotl(state[3], 45)
        return result
    }

    /// A uniform Double in [0, 1).
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal Double (Box-Muller).
    public mutating func nextNormal() -> Double {
        var u = nextUnit()
        while u <= 0 { u = nextUnit() }
        let v = nextUnit()
        return (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

import Foundation
@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
