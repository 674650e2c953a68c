import MIDI

/// A key with how well a pitch-class histogram correlates with its profile (Pearson r, -1 ... 1).
public struct KeyCandidate: Sendable, Hashable {
    /// The key (major or natural minor).
    public var key: Key
    /// Pearson correlation between the histogram and the key's rotated profile.
    public var correlation: Double

    /// Creates a candidate.
    public init(key: Key, correlation: Double) {
        self.key = key
        self.correlation = correlation
    }
}

/// The outcome of key finding: the best key and all 24 candidates, best first.
public struct KeyEstimate: Sendable, Hashable {
    /// All 24 major and minor keys, highest correlation first (ties: C first, major before minor).
    public var ranking: [KeyCandidate]

    /// The best-fitting key.
    public var best: KeyCandidate { ranking[0] }

    /// The best candidate whose mode is minor (`true`) or major (`false`).
    public func best(minor: Bool) -> KeyCandidate {
        ranking.first { $0.key.mode.isMinor == minor }!
    }

    /// The best candidate with the given tonic.
    public func best(tonic: PitchClass) -> KeyCandidate {
        ranking.first { $0.key.tonic == tonic }!
    }
}

/// A duration-weighted pitch-class histogram: total ticks sounded per pitch class.
public struct PitchClassHistogram: Sendable, Hashable {
    /// Weight of each pitch class, index 0 = C.
    public var weights: [Double]

    /// Creates a histogram from twelve weights.
    public init(weights: [Double]) {
        precondition(weights.count == 12, "a pitch-class histogram has 12 bins")
        self.weights = weights
    }

    /// Sums the durations (ticks, at least 1 per note) of the pitched notes; drums are skipped.
    public init<S: Sequence>(notes: S) where S.Element == Note {
        var w = [Double](repeating: 0, count: 12)
        for n in notes where !n.isDrum {
            w[Int(n.pitch) % 12] += Double(max(1, n.durationTicks))
        }
        self.weights = w
    }

    /// The sum of all weights.
    public var total: Double { weights.reduce(0, +) }
}

/// Krumhansl-Schmuckler key finding: correlate a duration-weighted pitch-class histogram with
/// the 24 rotations of a major and a minor key profile.
public struct KeyFinder: Sendable {
    /// Krumhansl & Kessler's (1982) probe-tone profile for major keys, tonic first.
    public static let krumhanslKesslerMajor: [Double] = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
    /// Krumhansl & Kessler's (1982) probe-tone profile for minor keys, tonic first.
    public static let krumhanslKesslerMinor: [Double] = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]

    /// The major profile in use (12 values, tonic first).
    public var majorProfile: [Double]
    /// The minor profile in use (12 values, tonic first).
    public var minorProfile: [Double]

    /// Creates a key finder with the Krumhansl-Kessler profiles, or others.
    public init(majorProfile: [Double] = KeyFinder.krumhanslKesslerMajor,
                minorProfile: [Double] = KeyFinder.krumhanslKesslerMinor) {
        precondition(majorProfile.count == 12 && minorProfile.count == 12, "key profiles have 12 values")
        self.majorProfile = majorProfile
        self.minorProfile = minorProfile
    }

    /// Ranks the 24 keys for a histogram; nil when the histogram is empty (no pitched notes).
    public func estimate(_ histogram: PitchClassHistogram) -> KeyEstimate? {
        guard histogram.total > 0 else { return nil }
        var candidates: [KeyCandidate] = []
        candidates.reserveCapacity(24)
        for key in Key.majorAndMinor {
            let profile = key.mode == .major ? majorProfile : minorProfile
            var rotated = [Double](repeating: 0, count: 12)
            for i in 0..<12 { rotated[(key.tonic.value + i) % 12] = profile[i] }
            candidates.append(KeyCandidate(key: key, correlation: Self.pearson(histogram.weights, rotated)))
        }
        // Stable order: the candidates are built in Key.majorAndMinor order, so ties keep it.
        let ranked = candidates.enumerated().sorted {
            $0.element.correlation != $1.element.correlation
                ? $0.element.correlation > $1.element.correlation : $0.offset < $1.offset
        }.map(\.element)
        return KeyEstimate(ranking: ranked)
    }

    /// Ranks the 24 keys for the pitched notes (duration-weighted); nil when there are none.
    public func estimate<S: Sequence>(notes: S) -> KeyEstimate? where S.Element == Note {
        estimate(PitchClassHistogram(notes: notes))
    }

    /// Pearson correlation of two equal-length vectors; 0 when either is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return 0 }
        return sxy / (sxx * syy).squareRoot()
    }
}
