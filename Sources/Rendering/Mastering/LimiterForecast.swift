import Foundation

/// A quick, deliberately pessimistic estimate of how much loudness the true-peak limiter takes from a mix at a gain,
/// from the mix's 100 ms block energies and block sample peaks (both metered while the mix was synthesized).
///
/// It decides only how a render's gain is confirmed, never the gain itself: where the forecast loss is small, the file
/// is written at the plain gain and its own loudness, measured as written, is checked against the target (almost
/// always met, so the limiter's evaluation pass is saved); where it is large, the evaluation pass runs first, since
/// writing a file only to write it again costs more. A wrong forecast costs time, never loudness.
///
/// Model, per block: a sample peak `p` at gain `g` over the limiter's threshold `t` (its ceiling less its margin and
/// 0.5 dB for inter-sample peaks) needs a gain of `t / (p g)`; the block is taken to lose that much over its whole
/// length (a limiter acts for about 2 ms before a peak and releases over 80 ms after it, so this overstates the loss),
/// and the release carries 0.3 of the shortfall into the next block, 0.09 into the one after, and so on. The loss is
/// the integrated loudness (BS.1770 gating) of the blocks so scaled, against the blocks as they are.
public struct LimiterForecast: Sendable {
    /// K-weighted energy of every complete 100 ms block (``LoudnessMeter/blockEnergyList``).
    public var energies: [Double]
    /// Largest absolute sample of every 100 ms block (``LoudnessMeter/blockPeakList``).
    public var peaks: [Float]

    /// Share of a block's gain shortfall its release leaves in the next block (exp(-100 ms / 80 ms), rounded up).
    static let carried = 0.3
    /// Below this forecast loss (LU) a render writes its file first and checks it (``AudioRenderJob``). Over 60 renders
    /// of 60 s (30 seeds, 10 instruments, the three styles and none, at -14, -12 and -10 LUFS) the forecast was 1.6 to
    /// 20 times the loss the limiter took, so a forecast under 0.15 LU meant a loss under 0.1 LU: a file that stands.
    static let writeFirstBelow = 0.15
    /// The extra room left for inter-sample peaks the block's sample peak does not show, dB.
    static let interSampleDecibels = 0.5

    /// A forecast over a mix's metered blocks.
    public init(energies: [Double], peaks: [Float]) {
        self.energies = energies
        self.peaks = peaks
    }

    /// A forecast from a meter made with `blockPeaks` (nil when it kept none).
    public init?(meter: LoudnessMeter) {
        guard !meter.blockPeakList.isEmpty else { return nil }
        self.init(energies: meter.blockEnergyList, peaks: meter.blockPeakList)
    }

    /// The loudness (LU, 0 or more) a limiter at `ceilingDBTP` may take from the mix raised by `gainDecibels`.
    public func loudnessLoss(gainDecibels: Double, ceilingDBTP: Double) -> Double {
        let threshold = pow(10, (ceilingDBTP - TruePeakLimiter.marginDecibels - Self.interSampleDecibels) / 20)
        let gain = pow(10, gainDecibels / 20)
        let n = min(energies.count, peaks.count)
        guard n > 0 else { return 0 }
        var scaled = energies
        var shortfall = 0.0  // of the gain, carried from block to block by the release
        var any = false
        for b in 0..<n {
            let over = Double(peaks[b]) * gain / threshold
            shortfall = max(shortfall * Self.carried, over > 1 ? 1 - 1 / over : 0)
            if shortfall > 0 {
                scaled[b] *= (1 - shortfall) * (1 - shortfall)
                any = true
            }
        }
        guard any else { return 0 }
        let before = LoudnessMeter.integrated(ofBlocks: [energies])
        let after = LoudnessMeter.integrated(ofBlocks: [scaled])
        guard before.isFinite else { return 0 }
        guard after.isFinite else { return .infinity }
        return max(0, before - after)
    }
}
