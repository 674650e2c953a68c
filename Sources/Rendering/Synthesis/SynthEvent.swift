import MIDI

/// One synthesizer command at an output frame (sample position), compact for sorting.
struct SynthEvent: Sendable {
    /// Kinds of command.
    enum Kind: UInt8, Sendable {
        case noteOff, noteOn, controlChange, programChange, pitchBend, channelPressure, keyPressure
    }

    /// Output frame (sample index from the start of the render).
    var frame: Int
    /// Order among events at one frame: 0 note-offs, 1 controls, 2 note-ons, 3 note-offs of zero-length notes.
    var rank: UInt8
    var kind: Kind
    var channel: UInt8
    /// Key, controller number or program.
    var data1: UInt8
    /// Velocity, controller value, pressure, or pitch bend 0 ... 16383.
    var data2: Int16
    /// For note-ons: the program the note asks for.
    var program: UInt8
    /// Input order, for a stable sort.
    var sequence: Int32
}

/// The frame-timed command list of a performance.
struct SynthSchedule: Sendable {
    /// Commands sorted by frame, rank, input order.
    var events: [SynthEvent]
    /// Where the music ends: the frame of the last command, or of the performance's end (its tracks'
    /// end_of_track, so a closing rest is kept) when that is later.
    var endFrame: Int

    /// Builds the schedule: ticks are converted to frames through the tempo map, rounded to the nearest frame.
    /// A format-2 performance plays its patterns one after another (``Performance/sequencedForPlayback()``).
    init(performance: Performance, sampleRate: Int) {
        let performance = performance.sequencedForPlayback()
        let map = performance.tempoMap
        let rate = Double(sampleRate)
        func frame(_ tick: Int) -> Int { Int((map.seconds(atTick: max(0, tick)) * rate).rounded()) }
        var events: [SynthEvent] = []
        events.reserveCapacity(performance.tracks.reduce(0) { $0 + 2 * $1.notes.count + $1.controls.count })
        var seq: Int32 = 0
        func add(_ e: SynthEvent) {
            var e = e
            e.sequence = seq
            seq &+= 1
            events.append(e)
        }
        for track in performance.tracks {
            for c in track.controls {
                let f = frame(c.tick)
                switch c.message {
                case .controlChange(let ch, let cc, let v):
                    add(SynthEvent(frame: f, rank: 1, kind: .controlChange, channel: ch, data1: cc, data2: Int16(v), program: 0, sequence: 0))
                case .programChange(let ch, let p):
                    add(SynthEvent(frame: f, rank: 1, kind: .programChange, channel: ch, data1: p, data2: 0, program: p, sequence: 0))
                case .pitchWheel(let ch, let pitch):
                    let v = Int16(clamping: Int(pitch) + 8192)
                    add(SynthEvent(frame: f, rank: 1, kind: .pitchBend, channel: ch, data1: 0, data2: min(16383, max(0, v)), program: 0, sequence: 0))
                case .aftertouch(let ch, let v):
                    add(SynthEvent(frame: f, rank: 1, kind: .channelPressure, channel: ch, data1: 0, data2: Int16(v), program: 0, sequence: 0))
                case .polyTouch(let ch, let key, let v):
                    add(SynthEvent(frame: f, rank: 1, kind: .keyPressure, channel: ch, data1: key, data2: Int16(v), program: 0, sequence: 0))
                case .noteOn, .noteOff, .sysex, .sysexEscape, .meta:
                    break
                }
            }
            for n in track.notes {
                let on = frame(n.startTick)
                let off = frame(n.endTick)
                add(SynthEvent(frame: on, rank: 2, kind: .noteOn, channel: n.channel & 15, data1: n.pitch & 127,
                               data2: Int16(max(1, min(127, n.velocity))), program: n.program & 127, sequence: 0))
                add(SynthEvent(frame: max(on, off), rank: off <= on ? 3 : 0, kind: .noteOff, channel: n.channel & 15,
                               data1: n.pitch & 127, data2: 0, program: 0, sequence: 0))
            }
        }
        events.sort { a, b in
            if a.frame != b.frame { return a.frame < b.frame }
            if a.rank != b.rank { return a.rank < b.rank }
            return a.sequence < b.sequence
        }
        self.events = events
        self.endFrame = max(events.last?.frame ?? 0, frame(performance.lengthTick))
    }
}
