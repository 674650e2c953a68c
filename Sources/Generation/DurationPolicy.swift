/// How long generated notes last (the paper predicts onsets only, not durations).
///
/// A note lasts `articulation` x the gap to the next later onset, capped at ``maxBeats`` and at the
/// end of a bar- or second-limited piece, and never shorter than ``minBeats``. Notes starting
/// together (a chord) end together. The last onset of a note-limited piece uses a gap of one beat.
/// Default: legato (articulation 1: each note sounds until the next onset), at most 2 beats, at
/// least a 32nd note (1/8 beat).
public struct DurationPolicy: Sendable, Hashable {
    /// Fraction of the gap to the next onset a note sounds (0 < a <= 1; legato 1, staccato 0.5).
    public var articulation: Double
    /// Longest note, in beats.
    public var maxBeats: Double
    /// Shortest note, in beats.
    public var minBeats: Double

    /// Creates a policy; throws for articulation outside (0, 1] or non-positive lengths.
    public init(articulation: Double = 1, maxBeats: Double = 2, minBeats: Double = 0.125) throws(GenerationError) {
        guard articulation.isFinite, articulation > 0, articulation <= 1 else {
            throw .outOfRange(option: "articulation", value: "\(articulation)", valid: "a fraction in (0, 1]")
        }
        guard maxBeats.isFinite, maxBeats > 0, maxBeats <= 64 else {
            throw .outOfRange(option: "max note length", value: "\(maxBeats)", valid: "beats in (0, 64]")
        }
        guard minBeats.isFinite, minBeats > 0, minBeats <= maxBeats else {
            throw .outOfRange(option: "min note length", value: "\(minBeats)", valid: "beats in (0, max note length]")
        }
        self.articulation = articulation
        self.maxBeats = maxBeats
        self.minBeats = minBeats
    }

    /// Each note sounds until the next onset (capped at 2 beats).
    public static let legato = try! DurationPolicy(articulation: 1)
    /// Each note sounds for 90 % of the gap to the next onset.
    public static let normal = try! DurationPolicy(articulation: 0.9)
    /// Each note sounds for half the gap to the next onset.
    public static let staccato = try! DurationPolicy(articulation: 0.5)

    /// The named policies `legato`, `normal`, `staccato`.
    public static func named(_ name: String) throws(GenerationError) -> DurationPolicy {
        switch name.lowercased() {
        case "legato": return .legato
        case "normal": return .normal
        case "staccato": return .staccato
        default: throw .outOfRange(option: "articulation", value: name, valid: "legato, normal or staccato")
        }
    }

    /// The duration in ticks of a note whose next later onset is `gapTicks` away (nil: unknown).
    @inline(__always)
    func durationTicks(gapTicks: Int?, limitTicks: Int?, ticksPerBeat: Int) -> Int {
        let tpb = Double(ticksPerBeat)
        let gap = Double(gapTicks ?? ticksPerBeat)
        var d = min(gap * articulation, maxBeats * tpb)
        d = max(d, minBeats * tpb)
        var ticks = Int(d.rounded())
        if let limitTicks { ticks = min(ticks, limitTicks) }
        return max(1, ticks)
    }
}
