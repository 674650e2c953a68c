import MIDI

/// Where bars start in a performance, from its time signatures (4/4 from tick 0 without one; a change
/// is taken to start a bar): answers the position of a tick in its bar, in quarter-note beats.
struct BarGrid {
    /// (first tick, bar length in ticks) of each time-signature segment, in tick order.
    private var segments: [(tick: Int, barTicks: Int)] = []
    private let ticksPerBeat: Double

    /// The bar grid of `performance`.
    init(_ performance: Performance) {
        let tpb = max(1, performance.ticksPerBeat)
        ticksPerBeat = Double(tpb)
        for ts in performance.timeSignatures.sorted(by: { $0.tick < $1.tick }) {
            let bar = ts.numerator * 4 * tpb / max(1, ts.denominator)
            guard ts.numerator > 0, bar > 0 else { continue }
            if let last = segments.last, last.tick == ts.tick { segments[segments.count - 1].barTicks = bar } else { segments.append((ts.tick, bar)) }
        }
        if segments.first.map({ $0.tick > 0 }) ?? true { segments.insert((0, 4 * tpb), at: 0) }
    }

    /// Quarter-note beats from the start of the bar holding `tick` to `tick`.
    func position(ofTick tick: Int) -> Double {
        var s = segments[0]
        for seg in segments where seg.tick <= tick { s = seg }
        let offset = (tick - s.tick) % s.barTicks
        return Double(offset < 0 ? offset + s.barTicks : offset) / ticksPerBeat
    }
}
