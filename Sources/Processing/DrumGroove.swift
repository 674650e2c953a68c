import MIDI

/// The hits of one drum bar for a style, metre and density: a base groove, seeded variation, fills and crashes.
public struct DrumGroove: Sendable {
    /// Groove styles.
    public enum Style: String, CaseIterable, Sendable, Hashable {
        /// Kick, snare backbeat, closed hi-hat.
        case band
        /// Kick, side-stick backbeat, light hi-hat.
        case folk
        /// Ride cymbal with a swung upbeat, hi-hat pedal on the backbeat, soft kick.
        case jazz
        /// Kick and hi-hat only, quiet.
        case soft
    }

    /// How busy the time-keeping is.
    public enum Density: String, CaseIterable, Sendable, Hashable, Comparable {
        /// Time-keeper on the pulses.
        case low
        /// On the subdivisions (eighths).
        case mid
        /// On half-subdivisions (sixteenths), or the subdivisions with extra kicks in compound metre.
        case high

        /// Ordered low < mid < high.
        public static func < (a: Density, b: Density) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// One drum hit: offset in ticks from the bar line, General MIDI drum key, velocity.
    struct Hit: Sendable, Hashable {
        var offset: Int
        var pitch: UInt8
        var velocity: UInt8
    }

    /// General MIDI percussion keys used.
    enum Kit {
        static let kick: UInt8 = 36, sideStick: UInt8 = 37, snare: UInt8 = 38, closedHat: UInt8 = 42, pedalHat: UInt8 = 44
        static let openHat: UInt8 = 46, crash: UInt8 = 49, ride: UInt8 = 51
        static let toms: [UInt8] = [50, 48, 47, 45, 43, 41]
    }

    let style: Style
    let pulses: MetrePulses
    let density: Density
    let accent: Int

    /// Length of each drum note in ticks (drums ring out regardless; a short note keeps the MIDI tidy).
    var hitLength: Int { max(1, pulses.subdivisionTicks / 2) }

    private func v(_ fraction: Double) -> UInt8 { UInt8(max(1, min(127, Int((Double(accent) * fraction).rounded())))) }

    /// The time-keeping step in ticks for the density.
    private var keeperStep: Int {
        switch density {
        case .low: return pulses.pulseTicks
        case .mid: return pulses.subdivisionTicks
        case .high: return pulses.compound ? pulses.subdivisionTicks : max(1, pulses.subdivisionTicks / 2)
        }
    }

    /// The style's groove without variation.
    func base() -> [Hit] {
        var hits: [Hit] = []
        let n = pulses.count
        let p = pulses.pulseTicks
        // Kick: the first pulse; in bars of 4 or more pulses also the middle one (band, folk, soft).
        hits.append(Hit(offset: 0, pitch: Kit.kick, velocity: v(style == .jazz ? 0.55 : 1)))
        if n >= 4 && style != .jazz { hits.append(Hit(offset: (n / 2) * p, pitch: Kit.kick, velocity: v(0.9))) }
        if style == .jazz { for k in 1..<max(1, n) { hits.append(Hit(offset: k * p, pitch: Kit.kick, velocity: v(0.4))) } }
        // Backbeat on the weak pulses (every pulse but the first in 2- and 3-pulse bars, the odd ones otherwise).
        let backbeat: [Int] = n <= 3 ? Array(1..<max(1, n)) : stride(from: 1, to: n, by: 2).map { $0 }
        for k in backbeat {
            switch style {
            case .band: hits.append(Hit(offset: k * p, pitch: Kit.snare, velocity: v(n == 3 && k == 2 ? 0.7 : 0.92)))
            case .folk: hits.append(Hit(offset: k * p, pitch: Kit.sideStick, velocity: v(0.75)))
            case .jazz: hits.append(Hit(offset: k * p, pitch: Kit.pedalHat, velocity: v(0.6)))
            case .soft: break
            }
        }
        // Time-keeper.
        if style == .jazz {
            // Ride on every pulse plus the swung upbeat (two thirds into the pulse) before each backbeat.
            for k in 0..<n {
                hits.append(Hit(offset: k * p, pitch: Kit.ride, velocity: v(k % 2 == 1 ? 0.78 : 0.68)))
                if k % 2 == 1, !pulses.compound { hits.append(Hit(offset: k * p - p / 3, pitch: Kit.ride, velocity: v(0.55))) }
            }
        } else {
            let step = style == .soft ? max(keeperStep, pulses.subdivisionTicks) : keeperStep
            var t = 0
            while t < pulses.barTicks {
                let onPulse = t % p == 0
                let level = style == .folk ? (onPulse ? 0.62 : 0.45) : style == .soft ? (onPulse ? 0.5 : 0.38) : (onPulse ? 0.74 : 0.55)
                hits.append(Hit(offset: t, pitch: Kit.closedHat, velocity: v(level)))
                t += step
            }
        }
        return hits
    }

    /// Seeded variation: an extra kick before a pulse, a ghost snare, an open hi-hat on the bar's last step.
    func vary(_ hits: inout [Hit], random: inout SeededRandom) {
        let sub = pulses.subdivisionTicks
        let slots = pulses.barTicks / max(1, sub)
        guard slots > 1 else { return }
        if style != .jazz, random.unit() < 0.55 {
            // An extra kick on an off-pulse subdivision of the second half of the bar.
            let candidates = (slots / 2..<slots).filter { ($0 * sub) % pulses.pulseTicks != 0 }
            if let s = candidates.randomElement(using: &random) { add(&hits, Hit(offset: s * sub, pitch: Kit.kick, velocity: v(0.7))) }
        }
        if style == .band || style == .jazz, random.unit() < 0.5 {
            let s = Int.random(in: 1..<slots, using: &random)
            if (s * sub) % pulses.pulseTicks != 0 { add(&hits, Hit(offset: s * sub, pitch: Kit.snare, velocity: v(0.38))) }
        }
        if style != .jazz, density >= .mid, random.unit() < 0.3,
           let last = hits.filter({ $0.pitch == Kit.closedHat }).max(by: { $0.offset < $1.offset }),
           let i = hits.firstIndex(of: last) {
            hits[i].pitch = Kit.openHat
        }
    }

    /// Replaces the bar's last pulse (the last two when `long`) with a fill: snare and descending toms on the
    /// half-subdivisions, growing louder; the kick keeps the pulses.
    func fill(_ hits: inout [Hit], long: Bool) {
        let p = pulses.pulseTicks
        let pulsesFilled = long && pulses.count >= 4 ? 2 : 1
        let from = max(p, pulses.barTicks - pulsesFilled * p)
        guard from < pulses.barTicks else { return }
        hits.removeAll { $0.offset >= from && $0.pitch != Kit.kick }
        let step = pulses.compound ? pulses.subdivisionTicks : max(1, pulses.subdivisionTicks / 2)
        let count = (pulses.barTicks - from) / step
        for k in 0..<count {
            let toms = style == .folk || style == .soft ? [Kit.snare] : [Kit.snare, Kit.snare] + Kit.toms
            let pitch = toms[min(toms.count - 1, k * toms.count / max(1, count))]
            hits.append(Hit(offset: from + k * step, pitch: pitch, velocity: v(0.6 + 0.35 * Double(k) / Double(max(1, count)))))
        }
        if !hits.contains(where: { $0.offset == from && $0.pitch == Kit.kick }) {
            hits.append(Hit(offset: from, pitch: Kit.kick, velocity: v(0.8)))
        }
    }

    /// A crash cymbal with the kick on the bar's first beat.
    func crash(_ hits: inout [Hit]) {
        add(&hits, Hit(offset: 0, pitch: style == .jazz ? Kit.ride : Kit.crash, velocity: v(0.9)))
    }

    /// Makes the bar differ from the previous one (by onset and drum): adds a ghost note or an extra kick at the first
    /// free subdivision counted from a position that moves with the bar number.
    func makeDistinct(_ hits: inout [Hit], from previous: [Hit], bar: Int) {
        func signature(_ h: [Hit]) -> Set<[Int]> { Set(h.map { [$0.offset, Int($0.pitch)] }) }
        guard !previous.isEmpty, signature(hits) == signature(previous) else { return }
        let sub = pulses.subdivisionTicks
        let slots = max(1, pulses.barTicks / max(1, sub))
        for k in 0..<slots {
            let s = (bar * 3 + k) % slots
            let offset = s * sub
            for pitch in [Kit.snare, Kit.kick, Kit.closedHat] where !hits.contains(where: { $0.offset == offset && $0.pitch == pitch }) {
                hits.append(Hit(offset: offset, pitch: pitch, velocity: v(0.36)))
                return
            }
        }
    }

    private func add(_ hits: inout [Hit], _ hit: Hit) {
        if !hits.contains(where: { $0.offset == hit.offset && $0.pitch == hit.pitch }) { hits.append(hit) }
    }

    /// Density per bar from the melody's onsets per bar against the piece's median; capped at `mid` above 150 BPM.
    static func densities(bars: [Int], end: Int, melody: [Note], tempoBPM: Double) -> [Density] {
        var counts = [Int](repeating: 0, count: bars.count)
        var onsets = Set<Int>()
        for n in melody { onsets.insert(n.startTick) }
        for t in onsets {
            var lo = 0, hi = bars.count
            while lo < hi { let mid = (lo + hi) / 2; if bars[mid] <= t { lo = mid + 1 } else { hi = mid } }
            if lo > 0 { counts[lo - 1] += 1 }
        }
        let sorted = counts.sorted()
        let median = Double(sorted[sorted.count / 2])
        return counts.map { c in
            var d: Density = Double(c) < 0.6 * median || c == 0 ? .low : Double(c) > 1.5 * median ? .high : .mid
            if tempoBPM > 150, d == .high { d = .mid }
            return d
        }
    }
}
