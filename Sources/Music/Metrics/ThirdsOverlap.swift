import MIDI

/// Whether a piece stays itself: how alike its first and last thirds are, metric by metric.
///
/// The notes (drums included, in playing order) are split into thirds by onset time (the first onset to the last).
/// The first and the last third are each cut into ``segmentsPerThird`` runs of equal note count, every run is
/// measured with the ``PieceMetrics`` metrics (the per-piece ones, not these piece-structure ones), and for every
/// metric the two thirds' values are compared as smoothed distributions (``DistributionComparison``, Yang & Lerch),
/// both with one kernel width (``DistributionComparison/Smoothing/shared``): the two thirds are equal samples of one
/// piece, and a metric constant over one third's runs (every note at velocity 95) would otherwise be a spike that a
/// third differing in a single run barely touches, reading as drift where 7 of 8 runs are unchanged.
/// The overlap is the mean overlapping area over the metrics: 1 when the piece ends as it began, near 0 when it
/// has turned into something else (a chorale texture become a fiddle tune).
public enum ThirdsOverlap {
    /// Runs each third is cut into.
    public static let segmentsPerThird = 8
    /// Fewest notes per run; a piece whose first or last third has fewer than `segmentsPerThird` x this is too
    /// short to measure.
    public static let minimumNotesPerSegment = 4

    /// One metric of a piece's first and last thirds: how far its values over the two thirds' runs overlap, and their
    /// means (what moved, when a piece does not stay itself).
    public struct MetricDrift: Sendable, Hashable, Codable {
        /// The metric (one of ``PieceMetrics/segmentMetricNames``).
        public var name: String
        /// Overlapping area (0 ... 1) of the metric's smoothed distributions over the first and the last third's runs.
        public var overlap: Double
        /// The metric's mean over the first third's runs.
        public var first: Double
        /// The metric's mean over the last third's runs.
        public var last: Double
    }

    /// The overlap: the mean overlapping area (0 ... 1) of the first and last thirds' metric distributions, from a
    /// piece's ``drift(of:notes:options:)`` (nil when it has no metric).
    public static func overlap(of drift: [MetricDrift]) -> Double? {
        drift.isEmpty ? nil : drift.reduce(0) { $0 + $1.overlap } / Double(drift.count)
    }

    /// Metric by metric, the comparison the overlap averages (the metrics whose distributions can be compared), or nil
    /// for a piece too short to measure. `notes` need not be sorted.
    public static func drift(of performance: Performance, notes: [Note], options: MetricsOptions) -> [MetricDrift]? {
        let sorted = notes.sorted { ($0.startTick, $0.pitch) < ($1.startTick, $1.pitch) }
        guard let first = sorted.first?.startTick, let last = sorted.last?.startTick, last > first else { return nil }
        let span = last - first
        // Notes starting in the first third [first, first + span/3) and in the last third [last - span/3, last].
        let a = sorted.filter { ($0.startTick - first) * 3 < span }
        let b = sorted.filter { (last - $0.startTick) * 3 <= span }
        let k = segmentsPerThird
        guard a.count >= k * minimumNotesPerSegment, b.count >= k * minimumNotesPerSegment else { return nil }
        let ma = segments(a, of: performance, options: options), mb = segments(b, of: performance, options: options)
        var drift: [MetricDrift] = []
        for (index, name) in PieceMetrics.segmentMetricNames.enumerated() {
            let x = ma.map { $0[index] }, y = mb.map { $0[index] }
            guard let d = DistributionComparison.compare(x, y, smoothing: .shared) else { continue }
            drift.append(MetricDrift(name: name, overlap: d.overlappingArea, first: x.reduce(0, +) / Double(x.count),
                                     last: y.reduce(0, +) / Double(y.count)))
        }
        return drift
    }

    /// The segment metrics of `k` runs of equal note count (onsets of one tick kept in one run where possible).
    private static func segments(_ notes: [Note], of performance: Performance, options: MetricsOptions) -> [[Double]] {
        let k = segmentsPerThird
        var rows: [[Double]] = []
        rows.reserveCapacity(k)
        var start = 0
        for s in 1...k {
            var end = s == k ? notes.count : notes.count * s / k
            // Keep a chord whole: move the cut past notes sharing the last note's onset.
            while end < notes.count, end > start, notes[end].startTick == notes[end - 1].startTick { end += 1 }
            guard end > start else { continue }
            let part = Performance(ticksPerBeat: performance.ticksPerBeat, tempoMap: performance.tempoMap,
                                   timeSignatures: performance.timeSignatures, keySignatures: performance.keySignatures,
                                   tracks: [NoteTrack(notes: Array(notes[start..<end]))])
            rows.append(PieceMetrics.segmentValues(part, options: options))
            start = end
        }
        return rows
    }
}
