import MIDI

extension PieceMetrics {
    /// Computes every metric of a performance. An empty piece gives zeros (and a nil key).
    public static func compute(_ performance: Performance, options: MetricsOptions = MetricsOptions()) -> PieceMetrics {
        computeWithDrift(performance, options: options).metrics
    }

    /// ``compute(_:options:)`` and, metric by metric, the comparison of the first and last thirds that ``thirdsOverlap``
    /// averages (``ThirdsOverlap/drift(of:notes:options:)``; nil for a piece too short to measure).
    public static func computeWithDrift(_ performance: Performance, options: MetricsOptions = MetricsOptions())
        -> (metrics: PieceMetrics, drift: [ThirdsOverlap.MetricDrift]?)
    {
        var all = notes(of: performance)
        if let first = options.firstNotes { all = opening(all, pitchedNotes: first) }
        var m = core(performance, all: all, options: options)
        m.loopTailShare = LoopTail.share(all)
        let drift = ThirdsOverlap.drift(of: performance, notes: all, options: options)
        m.thirdsOverlap = drift.flatMap(ThirdsOverlap.overlap(of:)) ?? 0
        return (m, drift)
    }

    /// The values of ``segmentMetricNames`` for a run of a piece (every metric but the piece-structure ones).
    static func segmentValues(_ performance: Performance, options: MetricsOptions) -> [Double] {
        core(performance, all: notes(of: performance), options: options).values.dropLast(2).map(\.value)
    }

    /// Every note of every track, sorted by start tick, then pitch.
    static func notes(of performance: Performance) -> [Note] {
        var all: [Note] = []
        all.reserveCapacity(performance.tracks.reduce(0) { $0 + $1.notes.count })
        for t in performance.tracks { all += t.notes }
        all.sort { ($0.startTick, $0.pitch) < ($1.startTick, $1.pitch) }
        return all
    }

    /// The first `count` pitched notes of sorted notes `all`, with the drum notes that start no later than the last of
    /// them.
    static func opening(_ all: [Note], pitchedNotes count: Int) -> [Note] {
        var kept = 0
        for (i, n) in all.enumerated() where !n.isDrum {
            kept += 1
            if kept == count {
                return Array(all[...i]) + all[(i + 1)...].filter { $0.isDrum && $0.startTick <= n.startTick }
            }
        }
        return all
    }

    /// The per-piece metrics (without ``loopTailShare`` and ``thirdsOverlap``) of sorted notes `all`.
    static func core(_ performance: Performance, all: [Note], options: MetricsOptions) -> PieceMetrics {
        let pitched = all.filter { !$0.isDrum }
        let tpb = max(1, performance.ticksPerBeat)
        let meter = Meter(performance)

        // Key.
        let estimate = KeyFinder().estimate(notes: pitched)
        let key = estimate?.best.key
        let inScale = key.map { k in pitched.reduce(0) { $0 + (k.contains(pitch: Int($1.pitch)) ? 1 : 0) } } ?? 0
        var pcCounts = [Double](repeating: 0, count: 12)
        for n in pitched { pcCounts[Int(n.pitch) % 12] += 1 }

        // Dynamics.
        let velocities = all.map { Double($0.velocity) }
        let vMean = MetricMath.mean(velocities)
        let vStd = MetricMath.standardDeviation(velocities)
        let vRange = all.isEmpty ? 0 : Int(all.map(\.velocity).max()! - all.map(\.velocity).min()!)

        // Onsets (distinct ticks).
        var onsets: [Int] = []
        for n in all where onsets.last != n.startTick { onsets.append(n.startTick) }
        let sixteenth = Double(tpb) / 4
        let tolerance = sixteenth / 8
        let onGrid = onsets.reduce(0) { acc, t in
            let r = Double(t).truncatingRemainder(dividingBy: sixteenth)
            return acc + (min(r, sixteenth - r) <= tolerance ? 1 : 0)
        }

        // Beats and bars.
        var emptyBeatRate = 0.0, groove = 0.0, similarity = 0.0
        if let first = onsets.first, let last = onsets.last {
            let beats = meter.beatStarts(from: meter.beatStart(atOrBefore: first), before: last + 1)
            var filled = 0, o = 0
            for (i, b) in beats.enumerated() {
                let end = i + 1 < beats.count ? beats[i + 1] : Int.max
                while o < onsets.count, onsets[o] < b { o += 1 }
                if o < onsets.count, onsets[o] < end { filled += 1 }
            }
            emptyBeatRate = beats.isEmpty ? 0 : 1 - Double(filled) / Double(beats.count)
            let bars = meter.barStarts(from: meter.barStart(atOrBefore: first), before: last + 1)
            let features = BarFeatures(bars: bars, meter: meter, notes: all)
            groove = features.grooveConsistency()
            similarity = features.selfSimilarity()
        }

        // Inter-onset intervals.
        var iois: [Int] = []
        for (a, b) in zip(onsets, onsets.dropFirst()) { iois.append(b - a) }
        let binTicks = Double(tpb) / 12
        let ioiBins = iois.map { min(48, Int((Double($0) / binTicks).rounded())) }
        var ioiHistogram = [Double](repeating: 0, count: 49)
        for b in ioiBins { ioiHistogram[b] += 1 }
        let ioiSeconds = zip(onsets, onsets.dropFirst()).map { performance.tempoMap.seconds(atTick: $1) - performance.tempoMap.seconds(atTick: $0) }
        let ioiMean = MetricMath.mean(ioiSeconds)
        let steadiness = ioiSeconds.isEmpty || ioiMean <= 0 ? 0 : 1 / (1 + MetricMath.standardDeviation(ioiSeconds) / ioiMean)

        // Top line for melodic intervals.
        var top: [Int] = []
        var lastTick = Int.min
        for n in pitched {
            if n.startTick != lastTick { top.append(Int(n.pitch)); lastTick = n.startTick } else { top[top.count - 1] = max(top[top.count - 1], Int(n.pitch)) }
        }
        let intervals = zip(top, top.dropFirst()).map { $1 - $0 }

        // Chords and polyphony.
        var chordOnsets = 0, pitchedOnsets = 0
        var i = 0
        while i < pitched.count {
            let t = pitched[i].startTick
            var pitches = Set<UInt8>()
            while i < pitched.count, pitched[i].startTick == t { pitches.insert(pitched[i].pitch); i += 1 }
            pitchedOnsets += 1
            if pitches.count >= 3 { chordOnsets += 1 }
        }
        let pitches = pitched.map(\.pitch)

        return PieceMetrics(
            noteCount: all.count,
            key: key?.name,
            keyCorrelation: estimate?.best.correlation ?? 0,
            scaleConsistency: pitched.isEmpty ? 0 : Double(inScale) / Double(pitched.count),
            pitchClassEntropy: MetricMath.entropyBits(pcCounts),
            velocityMean: vMean,
            velocityStandardDeviation: vStd,
            velocityRange: vRange,
            onsetGrid16Fraction: onsets.isEmpty ? 0 : Double(onGrid) / Double(onsets.count),
            emptyBeatRate: emptyBeatRate,
            grooveConsistency: groove,
            ioiEntropy: MetricMath.entropyBits(ioiHistogram),
            ioiSteadiness: steadiness,
            repeatedIntervalNGramShare: MetricMath.repeatedNGramShare(intervals, n: options.nGramLength),
            repeatedRhythmNGramShare: MetricMath.repeatedNGramShare(ioiBins, n: options.nGramLength),
            selfSimilarity: similarity,
            polyphony: MetricMath.polyphony(pitched),
            chordOnsetFraction: pitchedOnsets == 0 ? 0 : Double(chordOnsets) / Double(pitchedOnsets),
            pitchRange: pitches.isEmpty ? 0 : Int(pitches.max()! - pitches.min()!),
            distinctPitches: Set(pitches).count
        )
    }
}

/// Per-bar onset patterns and pitch-class profiles.
struct BarFeatures {
    /// 16-step onset pattern per bar.
    var patterns: [[Bool]] = []
    /// Pitch-class durations (12) followed by the onset pattern (16) per bar.
    var vectors: [[Double]] = []

    init(bars: [Int], meter: Meter, notes: [Note]) {
        patterns = Array(repeating: [Bool](repeating: false, count: 16), count: bars.count)
        vectors = Array(repeating: [Double](repeating: 0, count: 28), count: bars.count)
        guard !bars.isEmpty else { return }
        var b = 0
        for n in notes { // sorted by start
            while b + 1 < bars.count, bars[b + 1] <= n.startTick { b += 1 }
            guard n.startTick >= bars[b] else { continue }
            let barTicks = meter.segment(at: bars[b]).barTicks
            let offset = n.startTick - bars[b]
            guard offset < barTicks else { continue }
            let step = min(15, offset * 16 / barTicks)
            patterns[b][step] = true
            vectors[b][12 + step] = 1
            if !n.isDrum { vectors[b][Int(n.pitch) % 12] += Double(max(1, n.durationTicks)) / Double(barTicks) }
        }
    }

    func grooveConsistency() -> Double {
        guard patterns.count > 1 else { return patterns.isEmpty ? 0 : 1 }
        var total = 0.0
        for (a, b) in zip(patterns, patterns.dropFirst()) {
            total += Double(zip(a, b).filter { $0 != $1 }.count) / 16
        }
        return 1 - total / Double(patterns.count - 1)
    }

    func selfSimilarity() -> Double {
        guard vectors.count > 1 else { return 0 }
        var total = 0.0
        for i in 1..<vectors.count {
            var best = 0.0
            for j in 0..<i { best = max(best, MetricMath.cosine(vectors[i], vectors[j])) }
            total += best
        }
        return total / Double(vectors.count - 1)
    }
}
