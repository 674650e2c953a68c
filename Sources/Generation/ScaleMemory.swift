import Foundation

/// The piece's memory of its own scale: the 7 pitch classes it has used most (each drawn note counts 1, earlier ones
/// fading with a half-life of ``halfLife`` notes, so a piece can modulate slowly), so a categorical stepper can make
/// pitches outside them less likely: their probability is multiplied by 1 - weight (a cache model of the tonality
/// beside the network, as ``MotifMemory`` is one of the phrases; the network alone drifts out of key over a long piece).
///
/// Only what this piece has drawn counts (never the primer); nothing is proposed before ``warmUp`` notes. No external
/// key is imposed: whatever 7 pitch classes the piece made its own (major, minor, modal) stay favoured.
/// Fixed-size storage: no allocation.
struct ScaleMemory {
    /// Notes after which a note's count has halved.
    static let halfLife = 64.0
    /// Notes drawn before the memory has a scale.
    static let warmUp = 12
    /// Per-note decay of the counts.
    private let decay = exp2(-1 / ScaleMemory.halfLife)
    private var counts = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    private var drawn = 0

    /// Remembers a drawn pitch (MIDI 0 ... 127).
    mutating func record(pitch: Int) {
        withUnsafeMutableBytes(of: &counts) { raw in
            let c = raw.bindMemory(to: Double.self)
            for i in 0..<12 { c[i] *= decay }
            c[((pitch % 12) + 12) % 12] += 1
        }
        drawn += 1
    }

    /// The scale as a 12-bit mask (bit k: pitch class k is among the 7 most used; ties to the lower class), or nil
    /// before ``warmUp`` notes.
    func scale() -> UInt16? {
        guard drawn >= Self.warmUp else { return nil }
        return withUnsafeBytes(of: counts) { raw -> UInt16 in
            let c = raw.bindMemory(to: Double.self)
            var mask: UInt16 = 0
            for _ in 0..<7 {
                var best = -1
                for k in 0..<12 where mask & (1 << k) == 0 && (best < 0 || c[k] > c[best]) { best = k }
                mask |= 1 << best
            }
            return mask
        }
    }
}
