import Support

/// A pseudo-random permutation of 0 ..< count computed index by index in O(1) memory: a 4-round Feistel
/// network on the smallest even number of bits covering `count`, cycle-walking past values >= count.
/// The same key gives the same order on every machine (an epoch's shuffle of a shard's windows).
struct WindowPermutation: Sendable {
    let count: Int
    let key: UInt64
    private let halfBits: Int
    private let halfMask: UInt64

    /// The permutation of `count` indices (count >= 1) for `key`.
    init(count: Int, key: UInt64) {
        self.count = count
        self.key = key
        var bits = 2
        while (1 << bits) < count { bits += 2 }
        halfBits = bits / 2
        halfMask = (UInt64(1) << UInt64(halfBits)) - 1
    }

    /// The `i`-th index of the order.
    func callAsFunction(_ i: Int) -> Int {
        var x = UInt64(i)
        repeat { x = encrypt(x) } while x >= UInt64(count)
        return Int(x)
    }

    private func encrypt(_ x: UInt64) -> UInt64 {
        var left = x >> UInt64(halfBits), right = x & halfMask
        for round in 0..<4 {
            let f = SplitMix64.mix(key &+ UInt64(round) &* SplitMix64.golden ^ right) & halfMask
            (left, right) = (right, left ^ f)
        }
        return left << UInt64(halfBits) | right
    }
}
