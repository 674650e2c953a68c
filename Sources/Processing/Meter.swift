import MIDI

/// Bars and beats in ticks from a performance's time signatures (4/4 from tick 0 when there are none).
struct Meter: Sendable {
    /// A stretch of one time signature.
    struct Segment: Sendable {
        var start: Int
        var beatTicks: Int
        var beatsPerBar: Int
        var barTicks: Int { beatTicks * beatsPerBar }
    }

    let segments: [Segment]

    init(_ performance: Performance) {
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

    func beatTicks(at tick: Int) -> Int { segments[segmentIndex(tick)].beatTicks }

    func isBarStart(_ tick: Int) -> Bool {
        let s = segments[segmentIndex(tick)]
        return (tick - s.start) % s.barTicks == 0
    }

    func isBeatStart(_ tick: Int) -> Bool {
        let s = segments[segmentIndex(tick)]
        return (tick - s.start) % s.beatTicks == 0
    }

    func barStart(atOrBefore tick: Int) -> Int {
        let s = segments[segmentIndex(max(0, tick))]
        return s.start + (max(0, tick) - s.start) / s.barTicks * s.barTicks
    }

    /// Starts of units (bars or beats) from `from` up to `end` (exclusive), restarting at each segment.
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

    func barStarts(from: Int, before end: Int) -> [Int] { starts(from: from, before: end) { $0.barTicks } }
    func beatStarts(from: Int, before end: Int) -> [Int] { starts(from: from, before: end) { $0.beatTicks } }
}
