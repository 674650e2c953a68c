import MIDI

/// The paper's features: a song becomes the sequence of its note-ons (all tracks and channels merged in
/// time order) as [note, velocity, time delta in seconds]; and a predicted sequence becomes a one-track
/// ``Performance`` again.
public enum PaperFeatures {
    /// The frames of a performance, in playing order (ties at the same instant ordered by pitch).
    public static func frames(of performance: Performance, configuration: FeatureConfiguration = FeatureConfiguration()) -> [FeatureFrame] {
        let details = configuration.encoding?.readsNoteDetails ?? false
        let metre = configuration.encoding?.metre ?? false
        var notes: [(seconds: Double, pitch: UInt8, velocity: UInt8, duration: Double, program: UInt8, tick: Int, ticks: Int)] = []
        notes.reserveCapacity(performance.noteCount)
        for track in performance.tracks {
            for n in track.notes where configuration.includeDrums || !n.isDrum {
                let start = performance.tempoMap.seconds(atTick: n.startTick)
                let duration = details ? performance.tempoMap.seconds(atTick: n.startTick + n.durationTicks) - start : 0
                notes.append((start, n.pitch, n.velocity, duration, n.program, n.startTick, n.durationTicks))
            }
        }
        notes.sort { ($0.seconds, $0.pitch) < ($1.seconds, $1.pitch) }
        let bars = metre ? BarGrid(performance) : nil
        let tpb = Double(max(1, performance.ticksPerBeat))
        var frames: [FeatureFrame] = []
        frames.reserveCapacity(notes.count)
        var previous: Double?
        var previousTick: Int?
        for n in notes {
            var f = FeatureFrame(note: Double(n.pitch), velocity: Double(n.velocity), timeDelta: previous.map { n.seconds - $0 } ?? 0)
            if details { f.duration = n.duration; f.program = Double(n.program) }
            if let bars {
                f.beatDelta = previousTick.map { Double(n.tick - $0) / tpb } ?? 0
                f.beatDuration = Double(n.ticks) / tpb
                f.barPosition = bars.position(ofTick: n.tick)
            }
            frames.append(f)
            previous = n.seconds
            previousTick = n.tick
        }
        return frames
    }

    /// A one-track performance playing `frames`: pitches rounded and clamped to 0 ... 127, velocities to
    /// 1 ... 127, negative time deltas treated as 0; each note lasts `noteSeconds` (the paper does not
    /// predict durations). Timed at 120 BPM with `ticksPerBeat` ticks per quarter note.
    public static func performance(from frames: [FeatureFrame], noteSeconds: Double = 0.5, ticksPerBeat: Int = 480,
                                   channel: UInt8 = 0, program: UInt8 = 0) -> Performance {
        let tempo = TempoMap(ticksPerBeat: ticksPerBeat)
        var notes: [Note] = []
        notes.reserveCapacity(frames.count)
        var t = 0.0
        for f in frames {
            let dt = f.timeDelta.isFinite ? max(0, f.timeDelta) : 0
            t += dt
            let pitch = UInt8(min(127, max(0, f.note.isFinite ? f.note.rounded() : 60)))
            let velocity = UInt8(min(127, max(1, f.velocity.isFinite ? f.velocity.rounded() : 64)))
            let start = tempo.tick(atSeconds: t)
            let end = max(start + 1, tempo.tick(atSeconds: t + noteSeconds))
            notes.append(Note(pitch: pitch, velocity: velocity, startTick: start, durationTicks: end - start, channel: channel, program: program))
        }
        notes.sort { ($0.startTick, $0.pitch) < ($1.startTick, $1.pitch) }
        return Performance(ticksPerBeat: ticksPerBeat, tempoMap: tempo, tracks: [NoteTrack(name: "Tunesmith", notes: notes)])
    }
}
