import MIDI

/// Bars and beats in ticks from a performance's time signatures (4/4 from tick 0 when there are none).
///
/// A beat is the time signature's denominator note value (a quarter note in 4/4, an eighth in 7/8).
public struct Meter: Sendable, Hashable {
    /// A stretch of one time signature.
    public struct Segment: Sendable, Hashable {
        /// First tick of the stretch (a bar line).
        public var start: Int
        /// Ticks per beat (denominator note value).
        public var beatTicks: Int
        /// Beats per bar (numerator).
        public var beatsPerBar: Int
        /// Ticks per bar.
        public var barTicks: Int { beatTicks * beatsPerBar }
    }

    /// The stretches in tick order; the first starts at 0.
    public let segments: [Segment]

    /// The meter of a performance.
    public init(_ performance: Performance) {
        let tpb = max(1, performance.ticksPerBeat)
        var segs: [Segment] = []
        let changes = performance.timeSignatures.sorted { $0.tick < $1.tick }
        for c in changes {
            let denominator = max(1, c.denominator)
            let beat = max(1, tpb * 4 / denominator)
            let seg = Segment(start: max(0, c.tick), beatTicks: beat, beatsPerBar: max(1, c.numerator))
            if let last = segs.last, last.start == seg.start { segs[segs.count - 1] = seg } else { segs.append(seg) }
        }
        if segs.first?.start != 0 { segs.insert(Segment(start: 0, beatTicks: tpb, beatsPerBar: 4), at: 0) }
        segments = segs
    }

    private func segmentIndex(_ tick: Int) -> Int {
        var lo = 0, hi = segments.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if segments[mid].start <= tick { lo = mid + 1 } else { hi = mid }
        }
        return max(0, lo - 1)
    }

    /// The time signature stretch in force at a tick.
    public func segment(at tick: Int) -> Segment { segments[segmentIndex(tick)] }

    /// Ticks per beat at a tick.
    public func beatTicks(at tick: Int) -> Int { segment(at: tick).beatTicks }

    /// Whether a tick is on a bar line.
    public func isBarStart(_ tick: Int) -> Bool {
        let s = segment(at: tick)
        return (tick - s.start) % s.barTicks == 0
    }

    /// Whether a tick is on a beat.
    public func isBeatStart(_ tick: Int) -> Bool {
        let s = segment(at: tick)
        return (tick - s.start) % s.beatTicks == 0
    }

    /// The bar line at or before a tick.
    public func barStart(atOrBefore tick: Int) -> Int {
        let t = max(0, tick)
        let s = segment(at: t)
        return s.start + (t - s.start) / s.barTicks * s.barTicks
    }

    /// The beat at or before a tick.
    public func beatStart(atOrBefore tick: Int) -> Int {
        let t = max(0, tick)
        let s = segment(at: t)
        return s.start + (t - s.start) / s.beatTicks * s.beatTicks
    }

    /// Starts of units (bars or beats) from the first one at or after `from` up to `end` (exclusive).
    private func starts(from: Int, before end: Int, unit: (Segment) -> Int) -> [Int] {
        var out: [Int] = []
        for (i, s) in segments.enumerated() {
            let segEnd = i + 1 < segments.count ? segments[i + 1].start : Int.max
            guard segEnd > from, s.start < end else { continue }
            var t = s.start
            let step = unit(s)
            if t < from { t += (from - t + step - 1) / step * step }
            while t < min(end, segEnd) { out.append(t); t += step }
        }
        return out
    }

    /// Bar lines in `from ..< end` (ticks).
    public func barStarts(from: Int, before end: Int) -> [Int] { starts(from: from, before: end) { $0.barTicks } }
    /// Beats in `from ..< end` (ticks).
    public func beatStarts(from: Int, before end: Int) -> [Int] { starts(from: from, before: end) { $0.beatTicks } }
}
