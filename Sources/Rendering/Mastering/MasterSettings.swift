import Foundation

/// What the master stage does to a render's mix: a gain (to a loudness target, or a fixed one) and a true-peak ceiling.
public struct MasterSettings: Sendable, Hashable {
    /// Integrated loudness to reach, in LUFS; nil keeps the synthesizer's level (only the ceiling applies).
    public var loudness: Double?
    /// A fixed gain in dB used instead of a loudness target (an album in `loudness-mode: album` sets it so every
    /// track keeps its level relative to the others); nil when a target (or nothing) applies.
    public var fixedGain: Double?
    /// The largest true peak allowed, in dBTP.
    public var truePeak: Double

    /// Creates settings.
    public init(loudness: Double?, fixedGain: Double? = nil, truePeak: Double) {
        self.loudness = loudness
        self.fixedGain = fixedGain
        self.truePeak = truePeak
    }

    /// The settings a render's validated options give (`loudness`, `loudness-gain`, `true-peak`).
    public init(options: ResolvedRenderOptions) {
        loudness = options.number("loudness")
        fixedGain = options.number("loudness-gain")
        truePeak = options.declaredNumber("true-peak")
    }

    /// The gain in dB for a mix measured as `measured`: the fixed gain, else target minus the mix's loudness
    /// (0 for silence or without a target).
    public func gainDecibels(for measured: LoudnessMeasurement) -> Double {
        if let fixedGain { return fixedGain }
        guard let loudness, measured.isMeasurable else { return 0 }
        return loudness - measured.integrated
    }
}

/// What the master stage did to one render: the mix as synthesized, the gain applied and the result.
public struct MasterReport: Sendable, Hashable, Codable {
    /// The synthesized mix before any gain (integrated loudness; its true peak is the sample peak).
    public var input: LoudnessMeasurement
    /// Gain applied before the limiter, in dB.
    public var gainDecibels: Double
    /// The file's audio as written (measured while writing, after dither, rounding and clipping: the samples the file holds).
    public var output: LoudnessMeasurement
    /// The deepest gain reduction of the true-peak limiter, in dB (0 when it never acted).
    public var limiterReduction: Double

    /// Creates a report.
    public init(input: LoudnessMeasurement, gainDecibels: Double, output: LoudnessMeasurement, limiterReduction: Double) {
        self.input = input
        self.gainDecibels = gainDecibels
        self.output = output
        self.limiterReduction = limiterReduction
    }
}
