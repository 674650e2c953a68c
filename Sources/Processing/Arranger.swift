import MIDI
import Music

/// A preset pipeline turning a tune into a band: it names the tune's track `Melody`, adds the parts it lacks
/// (`Chords`, `Bass`, `Drums`; a performance that already has one keeps it), humanizes, and gives each part its
/// style's General MIDI program, pan (CC10), volume (CC7) and reverb send (CC91).
///
/// A performance with exactly one pitched track has that track named `Melody` and set to the style's melody program;
/// with several pitched tracks (a multi-track primer) every track keeps its name and instrument.
public struct Arranger: PostProcessor {
    /// The name used in pipeline specs.
    public static let name = "arrange"
    /// One line on what it does.
    public static let summary = "Arranges the tune for a style (band, folk, chorale, jazz): Melody, Chords, Bass and Drums parts with instruments, pan, volume and reverb."
    /// The property every output keeps.
    public static let guarantee = "Named parts Melody, Chords, Bass (and Drums unless the style has none), each with its program, CC7, CC10 and CC91 at its start; the chords, bass, drums and humanize guarantees hold."
    /// Parameters with defaults, as listed by `tunesmith plugins`.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("style", .choice(ArrangementStyle.all.map(\.name)), default: "band", "preset: band, folk, chorale (no drums), jazz"),
        KeySelection.keyParameter("tonic; auto uses the key of an earlier scale stage, else key finding"),
        KeySelection.modeParameter("scale; auto uses the key of an earlier scale stage, else key finding"),
        ParameterSpec("phrase", .choice(["4", "8"]), default: "4", "bars per phrase: drum fills and dynamic arches follow it"),
        ParameterSpec("humanize", .boolean, default: "true", "apply `humanize` with its defaults (phrase arches, accents, small variation)"),
        ParameterSpec("seed", .integer(0...Int(Int32.max)), default: "1", "seed of the drum and humanize variation"),
    ]

    /// The preset.
    public var style: ArrangementStyle
    /// The key.
    public var selection: KeySelection
    /// Bars per phrase.
    public var phrase: Int
    /// Whether to humanize.
    public var humanize: Bool
    /// Seed of the variation.
    public var seed: UInt64

    /// Creates an arranger.
    public init(style: ArrangementStyle, selection: KeySelection = KeySelection(), phrase: Int = 4, humanize: Bool = true, seed: UInt64 = 1) {
        self.style = style
        self.selection = selection
        self.phrase = phrase
        self.humanize = humanize
        self.seed = seed
    }

    /// Creates it from validated arguments.
    public init(arguments: ProcessorArguments) throws {
        guard let style = ArrangementStyle.named(arguments.string("style")) else {
            throw ProcessingError.invalidCombination(processor: Self.name, reason: "unknown style \(arguments.string("style"))")
        }
        self.init(style: style, selection: KeySelection(arguments: arguments), phrase: arguments.int("phrase"),
                  humanize: arguments.bool("humanize"), seed: UInt64(arguments.int("seed")))
    }

    /// Arranges the performance (unchanged when it has no pitched notes).
    public func process(_ performance: Performance, context: inout ProcessingContext) throws -> Performance {
        let pitched = performance.tracks.lazy.flatMap { $0.notes.lazy.filter { !$0.isDrum && $0.durationTicks > 0 } }
        guard !pitched.isEmpty, let key = selection.resolve(notes: pitched, fallback: context.key) else { return performance }
        var out = performance
        // The tune: a single pitched track becomes the Melody with the style's instrument.
        let partNames = Set([PartName.chords, PartName.bass, PartName.drums].map { $0.lowercased() })
        let tuneTracks = out.tracks.indices.filter { i in
            out.tracks[i].notes.contains { !$0.isDrum } && !partNames.contains((out.tracks[i].name ?? "").lowercased())
        }
        if tuneTracks.count == 1, out.trackIndex(named: PartName.melody) == nil || out.tracks[tuneTracks[0]].name == PartName.melody {
            let t = tuneTracks[0]
            out.tracks[t].name = PartName.melody
            setProgram(&out.tracks[t], style.melody.program)
        }
        // The missing parts, all in one key.
        var local = ProcessingContext(key: key, applied: context.applied)
        if out.trackIndex(named: PartName.chords) == nil {
            out = try ChordVoicer(style: style.chordStyle, rhythm: style.chordRhythm, selection: KeySelection(tonic: key.tonic, mode: key.mode),
                                  register: style.chordRegister, velocity: style.chordVelocity, program: Int(style.chords.program))
                .process(out, context: &local)
        }
        if out.trackIndex(named: PartName.bass) == nil {
            out = try BassLine(pattern: style.bassPattern, selection: KeySelection(tonic: key.tonic, mode: key.mode),
                               program: Int(style.bass.program)).process(out, context: &local)
        }
        if style.drums != nil, !out.tracks.contains(where: { $0.notes.contains(where: \.isDrum) }) {
            out = try DrumPart(style: style.groove, phrase: phrase, seed: seed).process(out, context: &local)
        }
        if humanize {
            out = try Humanizer(phrase: phrase, seed: seed).process(out, context: &local)
        }
        // The mix: program, volume, pan and reverb send at each part's start.
        let mixes: [(String, ArrangementStyle.PartMix?)] = [(PartName.melody, style.melody), (PartName.chords, style.chords),
                                                            (PartName.bass, style.bass), (PartName.drums, style.drums)]
        for (name, mix) in mixes {
            guard let mix, let t = out.trackIndex(named: name) else { continue }
            Self.applyMix(mix, to: &out.tracks[t])
        }
        return out
    }

    /// Gives a track's notes and its program changes a program (drum notes untouched).
    private func setProgram(_ track: inout NoteTrack, _ program: UInt8) {
        for i in track.notes.indices where !track.notes[i].isDrum { track.notes[i].program = program }
        track.controls = track.controls.map { e in
            if case .programChange(let ch, _) = e.message, ch != 9 { return MIDIEvent(tick: e.tick, .programChange(channel: ch, program: program)) }
            return e
        }
        let channels = Set(track.notes.filter { !$0.isDrum }.map(\.channel))
        for ch in channels.sorted() where !track.controls.contains(where: {
            if case .programChange(let c, _) = $0.message { return c == ch }
            return false
        }) {
            track.controls.insert(MIDIEvent(tick: 0, .programChange(channel: ch, program: program)), at: 0)
        }
    }

    /// Sets CC7, CC10 and CC91 at tick 0 on every channel of a track's notes (replacing tick-0 values it had).
    static func applyMix(_ mix: ArrangementStyle.PartMix, to track: inout NoteTrack) {
        let channels = Set(track.notes.map(\.channel)).sorted()
        let mixed: Set<UInt8> = [7, 10, 91]
        track.controls.removeAll { e in
            if e.tick == 0, case .controlChange(_, let control, _) = e.message { return mixed.contains(control) }
            return false
        }
        var head: [MIDIEvent] = []
        for ch in channels {
            head.append(MIDIEvent(tick: 0, .controlChange(channel: ch, control: 7, value: mix.volume)))
            head.append(MIDIEvent(tick: 0, .controlChange(channel: ch, control: 10, value: mix.pan)))
            head.append(MIDIEvent(tick: 0, .controlChange(channel: ch, control: 91, value: mix.reverb)))
        }
        // Program changes stay first, then the mix, then the rest.
        let programs = track.controls.filter { if case .programChange = $0.message { return $0.tick == 0 } else { return false } }
        let rest = track.controls.filter { if case .programChange = $0.message { return $0.tick != 0 } else { return true } }
        track.controls = programs + head + rest
    }
}
