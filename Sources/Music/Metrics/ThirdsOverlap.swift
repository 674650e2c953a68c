import MIDI

/// Whether a piece stays itself: how alike its first and last thirds are, metric by metric.
///
/// The notes (drums included, in playing order) are split into thirds by onset time (the first onset to the last).
/// The first and the last third are each cut into ``segmentsPerThird`` runs of equal note count, every run is
/// measured with the ``PieceMetrics`` metrics (the per-piece ones, not these piece-structure ones), and for every
/// metric the two thirds' values are compared as smoothed distributions (``DistributionComparison``, Yang & Lerch).
/// The overlap is the mean overlapping area over the metrics: 1 when the piece ends as it began, near 0 when it
/// has turned into something else (a chorale texture become a fiddle tune).
public enum ThirdsOverlap {
    /// Runs each third is cut into.
    public static let segmentsPerThird = 8
    /// Fewest notes per run; a piece whose first or last third has fewer than `segmentsPerThird` x this is too
    /// short to measure.
    public static let minimumNotesPerSegment = 4

    /// The mean overlapping area (0 ... 1) of the first and last thirds' metric distributions, or nil for a piece too
    /// short to measure. `notes` need not be sorted.
    public static func overlap(of performance: Performance, notes: [Note], options: MetricsOptions) -> Double? {
        let sorted = notes.sorted { ($0.startTick, $0.pitch) < ($1.startTick, $1.pitch) }
        guard let first = sorted.first?.startTick, let last = sorted.last?.startTick, last > first else { return nil }
        let span = last - first
        // Notes starting in the first third [first, first + span/3) and in the last third [last - span/3, last].
        let a = sorted.filter { ($0.startTick - first) * 3 < span }
        let b = sorted.filter { (last - $0.startTick) * 3 <= span }
        let k = segmentsPerThird
        guard a.count >= k * minimumNotesPerSegment, b.count >= k * minimumNotesPerSegment else { return nil }
        let ma = segments(a, of: performance, options: options), mb = segments(b, of: performance, options: options)
        var total = 0.0, count = 0
        for index in PieceMetrics.segmentMetricNames.indices {
            let x = ma.map { $0[index] }, y = mb.map { $0[index] }
            guard let d = DistributionComparison.compare(x, y) else { continue }
            total += d.overlappingArea
            count += 1
        }
        return count == 0 ? nil : total / Double(count)
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
