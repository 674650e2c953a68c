/// Converts between ticks and seconds across tempo changes.
///
/// Metrical files use ticks per quarter note and `set_tempo` events (microseconds per
/// quarter note, default 500,000 = 120 BPM); SMPTE files have a fixed number of ticks per second.
public struct TempoMap: Sendable, Hashable {
    /// A tempo taking effect at a tick.
    public struct Change: Sendable, Hashable {
        /// Where it takes effect, in ticks.
        public var tick: Int
        /// Microseconds per quarter note.
        public var microsecondsPerBeat: Int
        /// Creates a change.
        public init(tick: Int, microsecondsPerBeat: Int) {
            self.tick = tick
            self.microsecondsPerBeat = microsecondsPerBeat
        }
    }

    /// The default tempo of a Standard MIDI File: 500,000 µs per quarter note (120 BPM).
    public static let defaultMicrosecondsPerBeat = 500_000

    /// Tempo changes sorted by tick (a later change at the same tick wins).
    public private(set) var changes: [Change]
    /// Ticks per quarter note; for an SMPTE division, nil.
    public let ticksPerBeat: Int?
    /// For an SMPTE division, ticks per second (frames per second x ticks per frame).
    public let ticksPerSecond: Double?

    /// Start second of each change, precomputed for fast lookup.
    private var startSeconds: [Double]
    /// For an SMPTE division, frames per second and ticks per frame (0 for metrical maps).
    private var smpteFrames = 0, smpteTicksPerFrame = 0

    /// The division this map converts for: ticks per beat, or the SMPTE frame rate and ticks per frame.
    public var division: Division {
        if let t = ticksPerBeat { return .ticksPerBeat(t) }
        return .smpte(framesPerSecond: smpteFrames, ticksPerFrame: smpteTicksPerFrame)
    }

    /// Creates a metrical tempo map.
    public init(ticksPerBeat: Int = 480, changes: [Change] = []) {
        self.ticksPerBeat = max(1, ticksPerBeat)
        self.ticksPerSecond = nil
        self.changes = []
        self.startSeconds = []
        self.changes = Self.normalised(changes)
        self.startSeconds = Self.starts(of: self.changes, ticksPerBeat: Double(self.ticksPerBeat!))
    }

    /// Creates an SMPTE tempo map (tempo events do not apply).
    public init(framesPerSecond: Int, ticksPerFrame: Int) {
        self.ticksPerBeat = nil
        let fps = framesPerSecond == 29 ? 29.97 : Double(framesPerSecond)
        self.ticksPerSecond = max(1e-9, fps * Double(ticksPerFrame))
        self.changes = []
        self.startSeconds = []
        self.smpteFrames = framesPerSecond
        self.smpteTicksPerFrame = ticksPerFrame
    }

    /// Creates the tempo map for a division and tempo changes.
    public init(division: Division, changes: [Change]) {
        switch division {
        case .ticksPerBeat(let t): self.init(ticksPerBeat: t, changes: changes)
        case .smpte(let fps, let tpf): self.init(framesPerSecond: fps, ticksPerFrame: tpf)
        }
    }

    /// The tempo in microseconds per quarter note in force at a tick.
    public func microsecondsPerBeat(atTick tick: Int) -> Int {
        guard let i = lastChangeIndex(atOrBeforeTick: tick) else { return Self.defaultMicrosecondsPerBeat }
        return changes[i].microsecondsPerBeat
    }

    /// The time in seconds of a tick.
    public func seconds(atTick tick: Int) -> Double {
        if let tps = ticksPerSecond { return Double(tick) / tps }
        let tpb = Double(ticksPerBeat!)
        guard let i = lastChangeIndex(atOrBeforeTick: tick) else {
            return Double(tick) * Double(Self.defaultMicrosecondsPerBeat) / 1e6 / tpb
        }
        let c = changes[i]
        return startSeconds[i] + Double(tick - c.tick) * Double(c.microsecondsPerBeat) / 1e6 / tpb
    }

    /// The tick (rounded to nearest) at a time in seconds.
    public func tick(atSeconds seconds: Double) -> Int {
        Int(exactTick(atSeconds: seconds).rounded())
    }

    /// The fractional tick at a time in seconds.
    public func exactTick(atSeconds seconds: Double) -> Double {
        if let tps = ticksPerSecond { return seconds * tps }
        let tpb = Double(ticksPerBeat!)
        // Last change starting at or before `seconds`.
        var lo = 0, hi = startSeconds.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if startSeconds[mid] <= seconds { lo = mid + 1 } else { hi = mid }
        }
        if lo == 0 {
            return seconds * 1e6 / Double(Self.defaultMicrosecondsPerBeat) * tpb
        }
        let c = changes[lo - 1]
        return Double(c.tick) + (seconds - startSeconds[lo - 1]) * 1e6 / Double(c.microsecondsPerBeat) * tpb
    }

    private func lastChangeIndex(atOrBeforeTick tick: Int) -> Int? {
        var lo = 0, hi = changes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if changes[mid].tick <= tick { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : lo - 1
    }

    private static func normalised(_ changes: [Change]) -> [Change] {
        // Stable sort by tick; keep the last change at each tick.
        let sorted = changes.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(\.element)
        var out: [Change] = []
        out.reserveCapacity(sorted.count)
        for c in sorted {
            let clamped = Change(tick: max(0, c.tick), microsecondsPerBeat: max(1, c.microsecondsPerBeat))
            if let last = out.last, last.tick == clamped.tick { out[out.count - 1] = clamped } else { out.append(clamped) }
        }
        return out
    }

    private static func starts(of changes: [Change], ticksPerBeat: Double) -> [Double] {
        var starts: [Double] = []
        starts.reserveCapacity(changes.count)
        var prevTick = 0
        var prevTempo = Double(defaultMicrosecondsPerBeat)
        var t = 0.0
        for c in changes {
            t += Double(c.tick - prevTick) * prevTempo / 1e6 / ticksPerBeat
            starts.append(t)
            prevTick = c.tick
            prevTempo = Double(c.microsecondsPerBeat)
        }
        return starts
    }
}
