import MIDI
import Music

/// Harmonises the pitched notes with diatonic chords of a key, voiced with smooth voice leading,
/// and adds them as a new track on a free channel.
///
/// Chord points: every beat, every bar, or `strong` melody notes (onsets on a bar's downbeat, or on
/// a beat and lasting at least a beat; the bars are used when there are none). Beats and bars follow
/// the time signatures (4/4 when there are none). At each point the chord whose tones cover the
/// most melody sounding until the next point wins (ties prefer I, V, IV, vi, ii, iii, vii, and the
/// tonic at the first and last point); with no melody the previous chord holds. Voicing: one
/// pitch per chord tone within `low...high`, fewest semitones moved from the previous chord
/// (common tones kept), then the narrowest.
public struct ChordVoicer: PostProcessor {
    /// The name used in pipeline specs.
    public static let name = "chords"
    /// One line on what it does.
    public static let summary = "Adds a track of diatonic chords (triads or sevenths) harmonising the melody, with smooth voice leading."
    /// The property every output keeps.
    public static let guarantee = "Each chord point sounds at least 3 distinct pitches, all in the key, within low...high; existing notes are untouched."
    /// Parameters with defaults, as listed by `tunesmith plugins`.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("style", .choice(ChordStyle.allCases.map(\.rawValue)), default: "triad", "chord size"),
        ParameterSpec("every", .choice(Rhythm.allCases.map(\.rawValue)), default: "bar", "where chords change"),
        KeySelection.keyParameter("tonic; auto uses the key of an earlier scale stage, else key finding"),
        KeySelection.modeParameter("scale; auto uses the key of an earlier scale stage, else key finding"),
        ParameterSpec("low", .integer(0...115), default: "48", "lowest chord pitch (MIDI number)"),
        ParameterSpec("high", .integer(12...127), default: "72", "highest chord pitch (MIDI number), at least low + 12"),
        ParameterSpec("velocity", .integer(1...127), default: "64", "velocity of the chord notes"),
        ParameterSpec("program", .integer(0...127), default: "0", "0-based General MIDI program of the chord track"),
        ParameterSpec("channel", .custom(expected: "auto or a channel 0...15 other than 9 (drums)", isValid: {
            $0.lowercased() == "auto" || (Int($0).map { (0...15).contains($0) && $0 != 9 } ?? false)
        }), default: "auto", "0-based MIDI channel; auto takes the lowest one no note uses"),
    ]

    /// Where chords change.
    public enum Rhythm: String, CaseIterable, Sendable, Hashable {
        /// On every beat.
        case beat
        /// On every bar line.
        case bar
        /// On strong melody notes (downbeats, or on a beat and at least a beat long).
        case strong
    }

    /// Triads or sevenths.
    public var style: ChordStyle
    /// Where chords change.
    public var rhythm: Rhythm
    /// The key (auto parts resolved per performance).
    public var selection: KeySelection
    /// Register limits (MIDI pitches), at least 12 semitones wide.
    public var register: ClosedRange<Int>
    /// Velocity of the chord notes (1 ... 127).
    public var velocity: UInt8
    /// General MIDI program of the chord track (0 ... 127).
    public var program: UInt8
    /// Channel of the chord track, nil for the lowest unused one.
    public var channel: UInt8?

    /// Creates a chord voicer; throws when the register is narrower than an octave or a value is out of range.
    public init(style: ChordStyle = .triad, rhythm: Rhythm = .bar, selection: KeySelection = KeySelection(),
                register: ClosedRange<Int> = 48...72, velocity: Int = 64, program: Int = 0, channel: Int? = nil) throws {
        guard register.lowerBound >= 0, register.upperBound <= 127, register.upperBound - register.lowerBound >= 12 else {
            throw ProcessingError.invalidCombination(processor: Self.name, reason: "the register low=\(register.lowerBound) high=\(register.upperBound) must lie within 0...127 and span at least 12 semitones")
        }
        guard (1...127).contains(velocity), (0...127).contains(program) else {
            throw ProcessingError.invalidCombination(processor: Self.name, reason: "velocity must be 1...127 and program 0...127")
        }
        if let channel, !(0...15).contains(channel) || channel == 9 {
            throw ProcessingError.invalidCombination(processor: Self.name, reason: "channel must be 0...15 and not 9 (drums)")
        }
        self.style = style
        self.rhythm = rhythm
        self.selection = selection
        self.register = register
        self.velocity = UInt8(velocity)
        self.program = UInt8(program)
        self.channel = channel.map { UInt8($0) }
    }

    /// Creates it from validated arguments.
    public init(arguments: ProcessorArguments) throws {
        try self.init(style: ChordStyle(rawValue: arguments.string("style")) ?? .triad,
                      rhythm: Rhythm(rawValue: arguments.string("every")) ?? .bar,
                      selection: KeySelection(arguments: arguments),
                      register: arguments.int("low")...max(arguments.int("low"), arguments.int("high")),
                      velocity: arguments.int("velocity"), program: arguments.int("program"),
                      channel: Int(arguments.string("channel")))
    }

    /// Adds the chord track (unchanged when there are no pitched notes).
    public func process(_ performance: Performance, context: inout ProcessingContext) throws -> Performance {
        var melody = performance.tracks.flatMap { $0.notes.filter { !$0.isDrum && $0.durationTicks > 0 } }
        guard !melody.isEmpty,
              let key = selection.resolve(notes: melody, fallback: context.key) else { return performance }
        melody.sort { ($0.startTick, $0.pitch) < ($1.startTick, $1.pitch) }
        let meter = Meter(performance)
        let end = melody.reduce(0) { max($0, $1.endTick) }
        let points = chordPoints(melody: melody, meter: meter, end: end)
        let chords = Harmoniser(key: key, style: style).choose(melody: melody, points: points, end: end)
        let leader = VoiceLeader(range: register)
        let ch = channel ?? Self.freeChannel(in: performance)
        var notes: [Note] = []
        notes.reserveCapacity(chords.count * 4)
        var previous: [Int]?
        var candidateCache: [Chord: [[Int]]] = [:]
        for (i, chord) in chords.enumerated() {
            let start = points[i]
            let stop = i + 1 < points.count ? points[i + 1] : end
            if candidateCache[chord] == nil { candidateCache[chord] = leader.candidates(for: chord) }
            let voicing = leader.choose(from: candidateCache[chord]!, for: chord, after: previous)
            previous = voicing
            for pitch in voicing {
                notes.append(Note(pitch: UInt8(pitch), velocity: velocity, startTick: start,
                                  durationTicks: max(1, stop - start), channel: ch, program: program))
            }
        }
        var out = performance
        out.tracks.append(NoteTrack(name: "Chords", notes: notes,
                                    controls: [MIDIEvent(tick: 0, .programChange(channel: ch, program: program))]))
        return out
    }

    /// Ticks where chords start, ascending, all before `end`.
    func chordPoints(melody: [Note], meter: Meter, end: Int) -> [Int] {
        let first = meter.barStart(atOrBefore: melody[0].startTick)
        var points: [Int]
        switch rhythm {
        case .bar: points = meter.barStarts(from: first, before: end)
        case .beat: points = meter.beatStarts(from: first, before: end)
        case .strong:
            var strong: [Int] = []
            var i = 0
            while i < melody.count {
                let t = melody[i].startTick
                var longest = 0
                while i < melody.count, melody[i].startTick == t { longest = max(longest, melody[i].durationTicks); i += 1 }
                if meter.isBarStart(t) || (meter.isBeatStart(t) && longest >= meter.beatTicks(at: t)) { strong.append(t) }
            }
            points = strong.isEmpty ? meter.barStarts(from: first, before: end) : strong
        }
        return points.isEmpty ? [first] : points
    }

    /// The lowest channel (not 9) no note or control uses; 15 when all are taken.
    static func freeChannel(in performance: Performance) -> UInt8 {
        var used = Set<UInt8>()
        for track in performance.tracks {
            for n in track.notes { used.insert(n.channel) }
            for c in track.controls { if let ch = c.message.channel { used.insert(ch) } }
        }
        return (0...15).map(UInt8.init).first { $0 != 9 && !used.contains($0) } ?? 15
    }
}
