import MIDI

/// Grid positions in ticks for a note value, restarted at every time-signature change so the grid
/// follows the bars; tempo-independent, as tick-timed notes are.
public struct QuantizeGrid: Sendable, Hashable {
    /// Grid step in ticks (may be fractional, e.g. triplets at 100 ticks per beat).
    public let stepTicks: Double
    /// Delay of every second grid point in ticks (swing).
    public let swingTicks: Double
    /// Ticks where the grid restarts (0 and each time-signature change), ascending.
    public let anchors: [Int]

    /// Creates the grid for a step (fraction of a whole note, e.g. 1/16), swing (0 ... 1 of half a
    /// step) and a performance's ticks per beat and time signatures.
    public init(wholeNoteFraction: Double, swing: Double = 0, ticksPerBeat: Int, timeSignatures: [TimeSignatureChange] = []) {
        stepTicks = max(1e-9, Double(ticksPerBeat) * 4 * wholeNoteFraction)
        swingTicks = swing * stepTicks / 2
        anchors = Array(Set([0] + timeSignatures.map { max(0, $0.tick) })).sorted()
    }

    /// The tick of grid point `k` after an anchor.
    @inline(__always)
    private func position(_ k: Int, from anchor: Int) -> Int {
        anchor + Int((Double(k) * stepTicks + (k & 1 == 1 ? swingTicks : 0)).rounded())
    }

    /// The grid point nearest to a tick (ties go to the earlier point); a grid restarts at each anchor.
    public func nearest(_ tick: Int) -> Int {
        let t = max(0, tick)
        // Segment containing t.
        var lo = 0, hi = anchors.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if anchors[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        let anchor = anchors[lo - 1]
        let next = lo < anchors.count ? anchors[lo] : Int.max
        let k0 = Int((Double(t - anchor) / stepTicks).rounded(.down))
        var best = anchor, bestDistance = Int.max
        for k in max(0, k0 - 1)...(k0 + 2) {
            let p = min(position(k, from: anchor), next)
            let d = abs(p - t)
            if d < bestDistance || (d == bestDistance && p < best) { best = p; bestDistance = d }
        }
        return best
    }

    /// Whether a tick is a grid point.
    public func contains(_ tick: Int) -> Bool { tick >= 0 && nearest(tick) == tick }
}
