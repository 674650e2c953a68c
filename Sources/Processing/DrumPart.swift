import MIDI
import Music

/// Adds a General MIDI drum part on channel 10 for the piece's metre and tempo.
///
/// Each bar is a groove of the style for its metre (see ``DrumGroove``): the kick on the first pulse, the backbeat
/// on the weak pulses, a time-keeper (hi-hat or ride) on the pulses, subdivisions or their halves as the melody's
/// density in that bar asks (fewer onsets than 0.6 x the piece's median per bar: pulses; more than 1.5 x: the
/// finest level, eighths at tempos above 150 BPM). A seeded variation (extra kicks, ghost snares, an open hi-hat) is
/// added bar by bar so no two consecutive bars are identical. Every `phrase` bars the last pulse(s) become a fill
/// (snare and toms) and the next phrase starts with a crash cymbal.
public struct DrumPart: PostProcessor {
    /// The name used in pipeline specs.
    public static let name = "drums"
    /// One line on what it does.
    public static let summary = "Adds a \"Drums\" track (General MIDI kit, channel 10): a groove per style and metre, fills at phrase ends, density following the melody."
    /// The property every output keeps.
    public static let guarantee = "Drums on channel 10 only, every hit on the metre's grid, the kick on every bar's first beat and a hit on every pulse, a fill every `phrase` bars, no two consecutive bars identical; other tracks untouched."
    /// Parameters with defaults, as listed by `tunesmith plugins`.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("style", .choice(DrumGroove.Style.allCases.map(\.rawValue)), default: "band", "groove: band (kick, snare backbeat, hi-hat), folk (side stick, light), jazz (ride, swung), soft (kick and hi-hat only)"),
        ParameterSpec("phrase", .choice(["4", "8"]), default: "4", "bars per phrase: a fill ends each phrase"),
        ParameterSpec("density", .choice(["follow", "low", "mid", "high"]), default: "follow", "time-keeping subdivision; follow = from the melody's onsets per bar"),
        ParameterSpec("velocity", .integer(20...127), default: "100", "velocity of an accented kick; the other hits are scaled from it"),
        ParameterSpec("seed", .integer(0...Int(Int32.max)), default: "1", "seed of the bar-to-bar variation"),
    ]

    /// The groove style.
    public var style: DrumGroove.Style
    /// Bars per phrase (4 or 8).
    public var phrase: Int
    /// A fixed density, or nil to follow the melody.
    public var density: DrumGroove.Density?
    /// Velocity of an accented kick (20 ... 127).
    public var velocity: Int
    /// Seed of the variation.
    public var seed: UInt64

    /// Creates a drum part.
    public init(style: DrumGroove.Style = .band, phrase: Int = 4, density: DrumGroove.Density? = nil, velocity: Int = 100, seed: UInt64 = 1) throws {
        guard phrase == 4 || phrase == 8, (20...127).contains(velocity) else {
            throw ProcessingError.invalidCombination(processor: Self.name, reason: "phrase must be 4 or 8 and velocity 20...127")
        }
        self.style = style
        self.phrase = phrase
        self.density = density
        self.velocity = velocity
        self.seed = seed
    }

    /// Creates it from validated arguments.
    public init(arguments: ProcessorArguments) throws {
        try self.init(style: DrumGroove.Style(rawValue: arguments.string("style")) ?? .band, phrase: arguments.int("phrase"),
                      density: DrumGroove.Density(rawValue: arguments.string("density")), velocity: arguments.int("velocity"),
                      seed: UInt64(arguments.int("seed")))
    }

    /// Adds the drum track over the bars of the music (unchanged when there are no notes).
    public func process(_ performance: Performance, context: inout ProcessingContext) throws -> Performance {
        let melody = Self.melody(of: performance)
        let all = performance.tracks.flatMap(\.notes)
        guard let firstNote = all.min(by: { $0.startTick < $1.startTick }) else { return performance }
        let end = all.reduce(0) { max($0, $1.endTick) }
        let meter = Meter(performance)
        let bars = meter.barStarts(from: meter.barStart(atOrBefore: firstNote.startTick), before: end)
        guard !bars.isEmpty else { return performance }
        let levels = density.map { d in bars.map { _ in d } }
            ?? DrumGroove.densities(bars: bars, end: end, melody: melody, tempoBPM: 60_000_000 / Double(max(1, performance.tempoMap.microsecondsPerBeat(atTick: 0))))
        var random = SeededRandom(seed: seed, stream: 0xD8)
        var notes: [Note] = []
        var previous: [DrumGroove.Hit] = []
        for (i, bar) in bars.enumerated() {
            let pulses = MetrePulses(meter.segment(at: bar), quarterTicks: performance.ticksPerBeat)
            let barEnd = i + 1 < bars.count ? bars[i + 1] : bar + pulses.barTicks
            let groove = DrumGroove(style: style, pulses: pulses, density: levels[i], accent: velocity)
            var hits = groove.base()
            groove.vary(&hits, random: &random)
            if i % phrase == phrase - 1 || i == bars.count - 1 { groove.fill(&hits, long: levels[i] == .high) }
            if i > 0 && i % phrase == 0 { groove.crash(&hits) }
            groove.makeDistinct(&hits, from: previous, bar: i)
            previous = hits
            for h in hits where bar + h.offset < barEnd {
                notes.append(Note(pitch: h.pitch, velocity: h.velocity, startTick: bar + h.offset,
                                  durationTicks: max(1, min(groove.hitLength, barEnd - bar - h.offset)), channel: 9, program: 0))
            }
        }
        notes.sort(by: Note.playingOrder)
        var out = performance
        out.tracks.append(NoteTrack(name: PartName.drums, notes: notes,
                                    controls: [MIDIEvent(tick: 0, .programChange(channel: 9, program: 0))]))
        return out
    }

    /// The notes the density follows: the `Melody` track's when there is one, else every pitched note outside the
    /// `Chords` and `Bass` tracks.
    static func melody(of performance: Performance) -> [Note] {
        if let m = performance.trackIndex(named: PartName.melody) { return performance.tracks[m].notes.filter { !$0.isDrum } }
        let accompaniment = Set([PartName.chords, PartName.bass].map { $0.lowercased() })
        return performance.tracks.filter { !accompaniment.contains(($0.name ?? "").lowercased()) }
            .flatMap { $0.notes.filter { !$0.isDrum && $0.durationTicks > 0 } }
    }
}
