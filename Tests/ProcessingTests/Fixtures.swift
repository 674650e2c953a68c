import MIDI
import Music
import Support
import TestSupport

enum Fixtures {
    /// A chromatic random-walk melody with unquantised timing, plus a drum track, plus chords on a
    /// second channel: `count` melody notes.
    static func performance(count: Int = 400, seed: UInt64 = 1, ticksPerBeat: Int = 480,
                            timeSignatures: [TimeSignatureChange] = [TimeSignatureChange(tick: 0, numerator: 4, denominator: 4)]) -> Performance {
        var rng = SplitMix64(seed: seed)
        var melody: [Note] = []
        var pitch = 64
        var tick = Int.random(in: 0...30, using: &rng)
        for _ in 0..<count {
            pitch = min(120, max(8, pitch + Int.random(in: -4...4, using: &rng)))
            let duration = Int.random(in: 20...(ticksPerBeat * 2), using: &rng)
            melody.append(Note(pitch: UInt8(pitch), velocity: UInt8.random(in: 1...127, using: &rng),
                               startTick: tick, durationTicks: duration, channel: 0, program: 73))
            tick += Int.random(in: ticksPerBeat / 8...ticksPerBeat, using: &rng)
        }
        var bass: [Note] = []
        var t = 0
        while t < tick {
            bass.append(Note(pitch: UInt8(Int.random(in: 30...50, using: &rng)), velocity: 70, startTick: t + Int.random(in: 0...40, using: &rng),
                             durationTicks: ticksPerBeat * 2, channel: 1, program: 32))
            t += ticksPerBeat * 2
        }
        var drums: [Note] = []
        t = 0
        while t < tick {
            drums.append(Note(pitch: UInt8([36, 38, 42, 46, 49][Int.random(in: 0...4, using: &rng)]), velocity: 100,
                              startTick: t + Int.random(in: 0...25, using: &rng), durationTicks: 60, channel: 9))
            t += ticksPerBeat / 2
        }
        return Performance(ticksPerBeat: ticksPerBeat, tempoMap: TempoMap(ticksPerBeat: ticksPerBeat),
                           timeSignatures: timeSignatures, keySignatures: [],
                           tracks: [NoteTrack(name: "conductor"), NoteTrack(name: "melody", notes: melody),
                                    NoteTrack(name: "bass", notes: bass), NoteTrack(name: "drums", notes: drums)])
    }

    /// A C-major tune (a tonal melody with a clear key): scale runs and arpeggios.
    static func tune(in key: Key, bars: Int = 8, ticksPerBeat: Int = 480) -> Performance {
        let degrees = [0, 2, 4, 2, 0, 4, 7, 4, 5, 4, 2, 1, 0, 4, 7, 0]
        let scale = key.pitchClasses
        var notes: [Note] = []
        for i in 0..<(bars * 4) {
            let d = degrees[i % degrees.count] % scale.count
            let octave = degrees[i % degrees.count] >= scale.count ? 12 : 0
            let pitch = 60 + PitchClass(0).semitonesUp(to: scale[d]) + octave
            notes.append(Note(pitch: UInt8(pitch), velocity: 90, startTick: i * ticksPerBeat, durationTicks: ticksPerBeat))
        }
        return Performance(ticksPerBeat: ticksPerBeat, tracks: [NoteTrack(name: "tune", notes: notes)])
    }

    static func pitched(_ p: Performance) -> [Note] { p.tracks.flatMap(\.notes).filter { !$0.isDrum } }
    static func drums(_ p: Performance) -> [Note] { p.tracks.flatMap(\.notes).filter(\.isDrum) }

    /// Notes are within MIDI ranges with positive durations.
    static func wellFormed(_ p: Performance) -> Bool {
        p.tracks.allSatisfy { $0.notes.allSatisfy { $0.pitch <= 127 && (1...127).contains($0.velocity) && $0.durationTicks > 0 && $0.startTick >= 0 } }
    }
}
