import MIDI
import Music

/// Adds a bass part that follows the harmony: the chords of a `Chords` track when there is one, else one chord per
/// bar inferred from the pitched notes.
///
/// Patterns (per felt pulse of the metre; see ``MetrePulses``): `roots` holds the root through each bar,
/// `root-fifth` plays the root on the first pulse and alternates fifth and octave after it, `boom-chick` plays root
/// and fifth on alternate strong pulses, `walking` plays one note per pulse walking through chord and scale tones to
/// the next root. Every pattern strikes the chord's root where a chord starts and, before a chord change, approaches
/// the next root by a scale step. Pitches lie within E1-G3 (MIDI 28-55) and in the key (the scale stage's key when one
/// ran, else the key found in the notes), so every note is a scale tone.
public struct BassLine: PostProcessor {
    /// The name used in pipeline specs.
    public static let name = "bass"
    /// One line on what it does.
    public static let summary = "Adds a \"Bass\" track following the chords (the Chords track, else chords inferred per bar) in a pattern per style."
    /// The property every output keeps.
    public static let guarantee = "Bass notes within MIDI 28-55 (E1-G3), 100 % in the key, the chord root struck where each chord starts; other tracks untouched."
    /// Parameters with defaults, as listed by `tunesmith plugins`.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("style", .choice(Pattern.allCases.map(\.rawValue)), default: "root-fifth", "pattern: roots, root-fifth, boom-chick, walking"),
        KeySelection.keyParameter("tonic; auto uses the key of an earlier scale stage, else key finding"),
        KeySelection.modeParameter("scale; auto uses the key of an earlier scale stage, else key finding"),
        ParameterSpec("velocity", .integer(1...127), default: "84", "velocity of the bass notes (downbeats 8 louder, up to 127)"),
        ParameterSpec("program", .integer(0...127), default: "33", "0-based General MIDI program (33 = electric bass, finger)"),
        ParameterSpec("channel", .custom(expected: "auto or a channel 0...15 other than 9 (drums)", isValid: {
            $0.lowercased() == "auto" || (Int($0).map { (0...15).contains($0) && $0 != 9 } ?? false)
        }), default: "auto", "0-based MIDI channel; auto takes the lowest one no note uses"),
    ]

    /// The bass patterns.
    public enum Pattern: String, CaseIterable, Sendable, Hashable {
        /// The root held through each bar (re-struck at chord changes).
        case roots
        /// Root on the first pulse, then fifth and octave alternating.
        case rootFifth = "root-fifth"
        /// Root and fifth on alternate strong pulses, rests between (folk, waltz).
        case boomChick = "boom-chick"
        /// One note per pulse through chord and scale tones to the next root.
        case walking
    }

    /// Lowest bass pitch (E1).
    public static let lowest = 28
    /// Highest bass pitch (G3).
    public static let highest = 55

    /// The pattern.
    public var pattern: Pattern
    /// The key (auto parts resolved per performance).
    public var selection: KeySelection
    /// Velocity of the notes off the downbeat (1 ... 127).
    public var velocity: UInt8
    /// General MIDI program (0 ... 127).
    public var program: UInt8
    /// Channel, nil for the lowest unused one.
    public var channel: UInt8?

    /// Creates a bass line; throws for a value out of range.
    public init(pattern: Pattern = .rootFifth, selection: KeySelection = KeySelection(), velocity: Int = 84,
                program: Int = 33, channel: Int? = nil) throws {
        guard (1...127).contains(velocity), (0...127).contains(program) else {
            throw ProcessingError.invalidCombination(processor: Self.name, reason: "velocity must be 1...127 and program 0...127")
        }
        if let channel, !(0...15).contains(channel) || channel == 9 {
            throw ProcessingError.invalidCombination(processor: Self.name, reason: "channel must be 0...15 and not 9 (drums)")
        }
        self.pattern = pattern
        self.selection = selection
        self.velocity = UInt8(velocity)
        self.program = UInt8(program)
        self.channel = channel.map { UInt8($0) }
    }

    /// Creates it from validated arguments.
    public init(arguments: ProcessorArguments) throws {
        try self.init(pattern: Pattern(rawValue: arguments.string("style")) ?? .rootFifth, selection: KeySelection(arguments: arguments),
                      velocity: arguments.int("velocity"), program: arguments.int("program"), channel: Int(arguments.string("channel")))
    }

    /// Adds the bass track (unchanged when there are no pitched notes).
    public func process(_ performance: Performance, context: inout ProcessingContext) throws -> Performance {
        let pitched = performance.tracks.lazy.flatMap { $0.notes.lazy.filter { !$0.isDrum && $0.durationTicks > 0 } }
        guard !pitched.isEmpty, let key = selection.resolve(notes: pitched, fallback: context.key) else { return performance }
        let meter = Meter(performance)
        let spans = ChordSpans.of(performance, key: key, meter: meter)
        guard let last = spans.last else { return performance }
        let ch = channel ?? ChordVoicer.freeChannel(in: performance)
        let notes = BassWriter(key: key, pattern: pattern, velocity: Int(velocity), channel: ch, program: program)
            .notes(spans: spans, meter: meter, quarterTicks: performance.ticksPerBeat, end: last.end)
        var out = performance
        out.tracks.append(NoteTrack(name: PartName.bass, notes: notes,
                                    controls: [MIDIEvent(tick: 0, .programChange(channel: ch, program: program))]))
        return out
    }
}

/// Writes the notes of a bass pattern over chord spans.
struct BassWriter {
    let key: Key
    let pattern: BassLine.Pattern
    let velocity: Int
    let channel: UInt8
    let program: UInt8

    /// What a pattern step plays.
    enum Role { case root, fifth, octave, walk(Int), approach }

    /// The bass notes from the first span's bar to `end`, sorted by onset.
    func notes(spans: [ChordSpan], meter: Meter, quarterTicks: Int, end: Int) -> [Note] {
        var out: [Note] = []
        let starts = Set(spans.map(\.start))
        var bar = meter.barStart(atOrBefore: spans[0].start)
        var previousPitch: Int?
        while bar < end {
            let pulses = MetrePulses(meter.segment(at: bar), quarterTicks: quarterTicks)
            let barEnd = bar + pulses.barTicks
            // Steps of the pattern: (tick, length, role).
            var steps: [(tick: Int, length: Int, role: Role)] = []
            for p in 0..<pulses.count {
                let t = bar + p * pulses.pulseTicks
                switch pattern {
                case .roots:
                    if p == 0 { steps.append((t, pulses.barTicks, .root)) }
                case .rootFifth:
                    steps.append((t, pulses.pulseTicks, p == 0 ? .root : (p % 2 == 1 ? .fifth : .octave)))
                case .boomChick:
                    if p % 2 == 0 { steps.append((t, pulses.pulseTicks, (p / 2) % 2 == 0 ? .root : .fifth)) }
                case .walking:
                    steps.append((t, pulses.pulseTicks, p == 0 ? .root : .walk(p)))
                }
            }
            // Every chord start inside the bar gets a root, replacing a step at that tick.
            for s in spans where s.start >= bar && s.start < barEnd {
                if let i = steps.firstIndex(where: { $0.tick == s.start }) {
                    steps[i].role = .root
                } else {
                    steps.append((s.start, pulses.pulseTicks, .root))
                }
            }
            steps.sort { $0.tick < $1.tick }
            for (i, step) in steps.enumerated() {
                guard step.tick < end else { break }
                let nextTick = i + 1 < steps.count ? steps[i + 1].tick : barEnd
                let stop = min(nextTick, step.tick + step.length, end)
                let length = max(1, (stop - step.tick) * (pattern == .roots ? 98 : 90) / 100)
                let span = ChordSpans.span(at: step.tick, in: spans)
                var role = step.role
                // Before a chord change, step towards the next root (unless this step is itself a chord start).
                if !starts.contains(step.tick), starts.contains(stop) || starts.contains(nextTick), nextTick < end, pattern != .roots {
                    role = .approach
                }
                let pitch = self.pitch(role, span: span, next: ChordSpans.span(at: nextTick, in: spans), previous: previousPitch)
                previousPitch = pitch
                let accent = step.tick == bar ? 8 : 0
                out.append(Note(pitch: UInt8(pitch), velocity: UInt8(min(127, velocity + accent)), startTick: step.tick,
                                durationTicks: length, channel: channel, program: program))
            }
            bar = barEnd
        }
        return out
    }

    /// The root of a chord in the bass register: E1 ... D#2.
    func rootPitch(_ chord: Chord) -> Int {
        BassLine.lowest + PitchClass(4).semitonesUp(to: chord.root)
    }

    /// The pitch a role plays over a chord.
    func pitch(_ role: Role, span: ChordSpan, next: ChordSpan, previous: Int?) -> Int {
        let root = rootPitch(span.chord)
        let tones = span.chord.pitchClasses
        func above(_ pc: PitchClass, from base: Int) -> Int { base + PitchClass(pitch: base).semitonesUp(to: pc) }
        switch role {
        case .root:
            return root
        case .fifth:
            return tones.count > 2 ? above(tones[2], from: root) : root
        case .octave:
            return root + 12 <= BassLine.highest ? root + 12 : root
        case .walk(let p):
            // Chord tones upwards from the root, then back down: root, third, fifth, third, ...
            let walk = [0, 1, 2, 1]
            let tone = tones[min(tones.count - 1, walk[p % walk.count])]
            return fold(above(tone, from: root))
        case .approach:
            // The scale tone a step above or below the next root, whichever is nearer the previous note.
            let target = rootPitch(next.chord)
            let scale = key.pitchClasses
            guard let index = scale.firstIndex(of: next.chord.root) else { return target }
            let upper = above(scale[(index + 1) % scale.count], from: target)
            let lowerPC = scale[(index + scale.count - 1) % scale.count]
            var lower = above(lowerPC, from: target) - 12
            if lower < BassLine.lowest { lower += 12 }
            let reference = previous ?? target
            let pick = abs(upper - reference) <= abs(lower - reference) ? upper : lower
            return fold(pick)
        }
    }

    /// A pitch moved by octaves into the bass range.
    func fold(_ pitch: Int) -> Int {
        var p = pitch
        while p > BassLine.highest { p -= 12 }
        while p < BassLine.lowest { p += 12 }
        return p
    }
}
