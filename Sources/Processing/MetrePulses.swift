import Music

/// The felt pulses of a bar: every beat in simple metres (2/4, 3/4, 4/4, 5/4, 7/8, ...), every dotted beat in compound
/// ones (6/8, 9/8, 12/8: eighth-note beats, the numerator a multiple of 3 above 3).
struct MetrePulses: Sendable, Hashable {
    /// Ticks of one pulse.
    let pulseTicks: Int
    /// Pulses per bar.
    let count: Int
    /// Ticks of one beat of the time signature (a quarter in 4/4, an eighth in 6/8).
    let beatTicks: Int
    /// Beats per bar.
    let beats: Int
    /// Whether the metre is compound (pulses of three beats).
    let compound: Bool

    /// The pulses of a time-signature stretch; `quarterTicks` is the performance's ticks per quarter note.
    init(_ segment: Meter.Segment, quarterTicks: Int) {
        beatTicks = segment.beatTicks
        beats = segment.beatsPerBar
        compound = segment.beatsPerBar > 3 && segment.beatsPerBar % 3 == 0 && segment.beatTicks * 2 <= quarterTicks
        pulseTicks = compound ? segment.beatTicks * 3 : segment.beatTicks
        count = compound ? segment.beatsPerBar / 3 : segment.beatsPerBar
    }

    /// The length of a bar in ticks.
    var barTicks: Int { pulseTicks * count }

    /// Ticks of the subdivision drums and bass move in: an eighth of a quarter-note pulse (half the pulse) in simple
    /// metres, the beat (an eighth) in compound ones.
    var subdivisionTicks: Int { compound ? beatTicks : max(1, pulseTicks / 2) }

    /// Subdivisions per pulse (2 in simple metres, 3 in compound ones).
    var subdivisionsPerPulse: Int { compound ? 3 : 2 }
}
