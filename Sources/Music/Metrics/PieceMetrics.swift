import MIDI

/// Musicality metrics of one piece, one per aspect of the paper's results table (see ``compute(_:options:)``).
///
/// Pitch metrics use the pitched notes (drums excluded); rhythm metrics use every onset.
public struct PieceMetrics: Sendable, Hashable, Codable {
    /// Number of notes (pitched and drums).
    public var noteCount: Int
    /// The Krumhansl-Schmuckler best key's name (`"C major"`), or nil without pitched notes.
    public var key: String?
    /// Correlation of the best key's profile with the duration-weighted pitch-class histogram.
    public var keyCorrelation: Double
    /// Fraction of pitched notes (by count) in the best key's scale, 0 ... 1.
    public var scaleConsistency: Double
    /// Entropy of the pitch-class histogram (note counts), in bits (0 ... log2 12 = 3.585).
    public var pitchClassEntropy: Double
    /// Mean attack velocity (1 ... 127).
    public var velocityMean: Double
    /// Standard deviation of the velocities (population).
    public var velocityStandardDeviation: Double
    /// Highest minus lowest velocity.
    public var velocityRange: Int
    /// Fraction of onsets on a 16th-note grid of the beat (within 1/8 of a 16th), 0 ... 1.
    public var onsetGrid16Fraction: Double
    /// Fraction of beats (first to last onset) in which no note starts, 0 ... 1.
    public var emptyBeatRate: Double
    /// 1 minus the mean Hamming distance between consecutive bars' 16-step onset patterns, 0 ... 1.
    public var grooveConsistency: Double
    /// Entropy of the inter-onset-interval histogram (1/12-beat bins up to 4 beats), in bits.
    public var ioiEntropy: Double
    /// Tempo steadiness: 1 / (1 + coefficient of variation) of the inter-onset intervals in seconds, 0 ... 1.
    public var ioiSteadiness: Double
    /// Share of melodic interval n-grams (of the top line) that occur more than once, 0 ... 1.
    public var repeatedIntervalNGramShare: Double
    /// Share of inter-onset-interval n-grams that occur more than once, 0 ... 1.
    public var repeatedRhythmNGramShare: Double
    /// Mean over bars of the highest cosine similarity to an earlier bar (pitch classes and onsets), 0 ... 1.
    public var selfSimilarity: Double
    /// Mean number of pitched notes sounding while any sounds.
    public var polyphony: Double
    /// Fraction of pitched onset ticks where 3 or more distinct pitches start, 0 ... 1.
    public var chordOnsetFraction: Double
    /// Highest minus lowest pitched note (semitones).
    public var pitchRange: Int
    /// Number of distinct pitched MIDI pitches.
    public var distinctPitches: Int
    /// Fraction of the notes (0 ... 1) in the longest exact periodic tail: the piece's last notes repeating with some
    /// period, pitch, time step and length alike, the first period played at least twice in full (``LoopTail``).
    /// A piece stuck in a loop scores high; 0 when it does not end in one.
    public var loopTailShare: Double = 0
    /// Mean overlapping area (0 ... 1) of the first and last thirds' distributions of the metrics above, measured over
    /// runs of each third (``ThirdsOverlap``): 1 = the piece ends as it began, low = it drifted. 0 for a piece too
    /// short to measure (fewer than 32 notes in its first or last third).
    public var thirdsOverlap: Double = 0

    /// The metric values by name, in listing order (for tables, JSON and set comparisons).
    public var values: [(name: String, value: Double)] {
        [
            ("keyCorrelation", keyCorrelation), ("scaleConsistency", scaleConsistency),
            ("pitchClassEntropy", pitchClassEntropy), ("velocityMean", velocityMean),
            ("velocityStandardDeviation", velocityStandardDeviation), ("velocityRange", Double(velocityRange)),
            ("onsetGrid16Fraction", onsetGrid16Fraction), ("emptyBeatRate", emptyBeatRate),
            ("grooveConsistency", grooveConsistency), ("ioiEntropy", ioiEntropy), ("ioiSteadiness", ioiSteadiness),
            ("repeatedIntervalNGramShare", repeatedIntervalNGramShare), ("repeatedRhythmNGramShare", repeatedRhythmNGramShare),
            ("selfSimilarity", selfSimilarity), ("polyphony", polyphony), ("chordOnsetFraction", chordOnsetFraction),
            ("pitchRange", Double(pitchRange)), ("distinctPitches", Double(distinctPitches)),
            ("loopTailShare", loopTailShare), ("thirdsOverlap", thirdsOverlap),
        ]
    }

    /// The names of ``values`` in order.
    public static let names: [String] = [
        "keyCorrelation", "scaleConsistency", "pitchClassEntropy", "velocityMean", "velocityStandardDeviation",
        "velocityRange", "onsetGrid16Fraction", "emptyBeatRate", "grooveConsistency", "ioiEntropy", "ioiSteadiness",
        "repeatedIntervalNGramShare", "repeatedRhythmNGramShare", "selfSimilarity", "polyphony", "chordOnsetFraction",
        "pitchRange", "distinctPitches", "loopTailShare", "thirdsOverlap",
    ]

    /// The metrics measured on runs of a piece for ``thirdsOverlap``: every metric but the two piece-structure ones.
    public static let segmentMetricNames: [String] = Array(names.dropLast(2))
}

/// Settings of the metrics.
public struct MetricsOptions: Sendable, Hashable {
    /// Length of the interval and rhythm n-grams (in intervals).
    public var nGramLength: Int
    /// Measure only each piece's first this many pitched notes (in start order; drums up to the last of them), so
    /// pieces of different lengths compare at one length; nil measures the whole piece.
    public var firstNotes: Int?
    /// Creates options.
    public init(nGramLength: Int = 4, firstNotes: Int? = nil) {
        self.nGramLength = max(1, nGramLength)
        self.firstNotes = firstNotes.map { max(1, $0) }
    }
}
