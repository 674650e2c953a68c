extension Performance {
    /// Builds the note-level model of a MIDI file.
    ///
    /// Note-on/off pairs are matched first-in first-out per (track, channel, pitch), so overlapping
    /// identical notes each keep their own length; a note_on with velocity 0 is a note-off; a note
    /// never released ends at its track's last tick. Each note's program is the last program change
    /// on its channel before it in time (all tracks, file order at equal ticks), or 0.
    /// Tempo, time and key signatures come from every track (format 2: from the first track).
    public init(midiFile file: MIDIFile) {
        let tempoMap = file.tempoMap
        let programs = ProgramTimeline(file)
        var timeSignatures: [TimeSignatureChange] = []
        var keySignatures: [KeySignatureChange] = []
        var tracks: [NoteTrack] = []
        tracks.reserveCapacity(file.tracks.count)
        for (trackIndex, track) in file.tracks.enumerated() {
            let conductor = file.format != 2 || trackIndex == 0
            tracks.append(Self.noteTrack(track, index: trackIndex, programs: programs))
            guard conductor else { continue }
            for event in track.events {
                guard case .meta(let meta) = event.message else { continue }
                switch meta {
                case .timeSignature(let n, let d, _, _):
                    timeSignatures.append(TimeSignatureChange(tick: event.tick, numerator: Int(n), denominator: 1 << Int(min(d, 30))))
                case .keySignature(let sf, let minor):
                    keySignatures.append(KeySignatureChange(tick: event.tick, sharpsOrFlats: Int(sf), minor: minor))
                default:
                    break
                }
            }
        }
        // Stable: changes at the same tick keep track order.
        timeSignatures = timeSignatures.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(\.element)
        keySignatures = keySignatures.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(\.element)
        let ticksPerBeat = file.division.ticksPerBeat ?? max(1, Int(((tempoMap.ticksPerSecond ?? 960) / 2).rounded()))
        self.init(ticksPerBeat: ticksPerBeat, tempoMap: tempoMap, timeSignatures: timeSignatures,
                  keySignatures: keySignatures, tracks: tracks)
    }

    /// Pairs the notes of one track and collects its non-note channel messages.
    private static func noteTrack(_ track: MIDITrack, index: Int, programs: ProgramTimeline) -> NoteTrack {
        struct Pending { var start: Int; var velocity: UInt8; var program: UInt8 }
        // One FIFO queue per (channel, pitch); empty arrays do not allocate. `head` is each queue's
        // first unreleased entry (O(1) dequeue: stacked identical notes must not be quadratic).
        var open = [[Pending]](repeating: [], count: 16 * 128)
        var head = [Int](repeating: 0, count: 16 * 128)
        var openCount = 0
        var notes: [Note] = []
        var controls: [MIDIEvent] = []
        var name: String?
        for (position, event) in track.events.enumerated() {
            switch event.message {
            case .noteOn(let c, let n, let v) where v > 0:
                let program = programs.program(channel: c, tick: event.tick, track: index, position: position)
                open[Int(c) << 7 | Int(n)].append(Pending(start: event.tick, velocity: v, program: program))
                openCount += 1
            case .noteOn(let c, let n, _), .noteOff(let c, let n, _):
                let key = Int(c) << 7 | Int(n)
                guard head[key] < open[key].count else { continue }
                let p = open[key][head[key]]
                head[key] += 1
                if head[key] == open[key].count { open[key].removeAll(keepingCapacity: true); head[key] = 0 }
                openCount -= 1
                notes.append(Note(pitch: n, velocity: p.velocity, startTick: p.start,
                                  durationTicks: event.tick - p.start, channel: c, program: p.program))
            case .polyTouch, .controlChange, .programChange, .aftertouch, .pitchWheel:
                controls.append(event)
            case .meta(.text(.trackName, let bytes)) where name == nil:
                name = String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
            default:
                break
            }
        }
        if openCount > 0 {
            let end = track.events.last?.tick ?? 0
            for key in open.indices where head[key] < open[key].count {
                for p in open[key][head[key]...] {
                    notes.append(Note(pitch: UInt8(key & 127), velocity: p.velocity, startTick: p.start,
                                      durationTicks: max(0, end - p.start), channel: UInt8(key >> 7), program: p.program))
                }
            }
        }
        notes.sort(by: Note.playingOrder)
        return NoteTrack(name: name, notes: notes, controls: controls)
    }
}

extension Note {
    /// The order of notes in a ``NoteTrack``: start tick, pitch, channel, then shorter first.
    public static func playingOrder(_ a: Note, _ b: Note) -> Bool {
        if a.startTick != b.startTick { return a.startTick < b.startTick }
        if a.pitch != b.pitch { return a.pitch < b.pitch }
        if a.channel != b.channel { return a.channel < b.channel }
        if a.durationTicks != b.durationTicks { return a.durationTicks < b.durationTicks }
        if a.velocity != b.velocity { return a.velocity < b.velocity }
        return a.program < b.program
    }
}

/// Where a note sits in the merged playing order of a file's tracks: tick, then track, then position.
struct PlayingPosition: Comparable {
    var tick: Int
    var track: Int
    var position: Int

    static func < (a: PlayingPosition, b: PlayingPosition) -> Bool {
        (a.tick, a.track, a.position) < (b.tick, b.track, b.position)
    }
}

/// The program changes of each channel across all tracks, for looking up the program in force.
struct ProgramTimeline {
    private var changes: [[(at: PlayingPosition, program: UInt8)]] = Array(repeating: [], count: 16)

    init(_ file: MIDIFile) {
        for (t, track) in file.tracks.enumerated() {
            for (i, event) in track.events.enumerated() {
                if case .programChange(let c, let p) = event.message {
                    changes[Int(c & 15)].append((PlayingPosition(tick: event.tick, track: t, position: i), p))
                }
            }
        }
        for c in 0 ..< 16 where changes[c].count > 1 {
            changes[c].sort { $0.at < $1.at }
        }
    }

    /// The last program change on `channel` before the given position in playing order, or 0.
    func program(channel: UInt8, tick: Int, track: Int, position: Int) -> UInt8 {
        let list = changes[Int(channel & 15)]
        if list.isEmpty { return 0 }
        let at = PlayingPosition(tick: tick, track: track, position: position)
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].at < at { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? 0 : list[lo - 1].program
    }
}
