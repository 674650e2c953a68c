import Support

/// Inverted dropout of one batch (or one worker's part of it) during training: each value of an LSTM
/// layer's output is kept with probability 1 - rate and scaled by 1 / (1 - rate), or set to zero.
///
/// The keep decision is a hash of (key, layer, step, sample, unit): it does not depend on how the batch is
/// split between threads, and the same key gives the same mask (gradient checks hold a mask fixed).
struct DropoutMask: Sendable, Hashable {
    /// Probability of dropping a value (0 ..< 1).
    var rate: Double
    /// Identifies the batch (seed, epoch and batch index mixed).
    var key: UInt64
    /// Index within the batch of this worker's first sample.
    var firstSample: Int = 0
    /// Distance in batch indices between this worker's consecutive rows (1: a contiguous part of the batch; the
    /// stateful trainer deals songs to workers in turn, so there it is the number of workers).
    var sampleStride: Int = 1

    /// The key of batch `batch` (1-based or not: any distinct numbers) of `epoch` for a run seeded `seed`.
    static func key(seed: UInt64, epoch: Int, batch: Int) -> UInt64 {
        SplitMix64.mix(seed ^ SplitMix64.mix(UInt64(truncatingIfNeeded: epoch) << 32 ^ UInt64(truncatingIfNeeded: batch) ^ 0x6A09_E667_F3BC_C908))
    }

    /// Writes the multipliers (0 or 1 / (1 - rate)) of layer `layer`'s output into `mask` and applies them to
    /// `values`: time-major `steps` blocks of `batch` rows of `width`.
    func apply<T: NeuralScalar>(layer: Int, steps: Int, batch: Int, width: Int, values: UnsafeMutablePointer<T>, mask: UnsafeMutablePointer<T>) {
        let threshold = UInt64((rate * 16_777_216).rounded())  // 24-bit uniform below this: drop
        let scale = T(1 / (1 - rate))
        for t in 0..<steps {
            for b in 0..<batch {
                let sample = UInt64(truncatingIfNeeded: firstSample + b * sampleStride)
                let base = SplitMix64.mix(key ^ SplitMix64.mix(UInt64(truncatingIfNeeded: layer) << 48 ^ UInt64(truncatingIfNeeded: t) << 32 ^ sample))
                let row = (t * batch + b) * width
                for j in 0..<width {
                    let u = SplitMix64.mix(base &+ UInt64(truncatingIfNeeded: j) &* SplitMix64.golden) >> 40
                    let m: T = u < threshold ? 0 : scale
                    mask[row + j] = m
                    values[row + j] *= m
                }
            }
        }
    }
}
