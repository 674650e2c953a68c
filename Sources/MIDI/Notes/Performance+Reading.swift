extension Performance {
    /// Builds the note-level model of a MIDI file.
    ///
    /// Note-on/off pairs are matched first-in first-out per (track, channel, pitch), so overlapping
    /// identical notes each keep their own length; a note_on with velocity 0 is a note-off; a note
    /// never released ends at its track's last tick. Each note's program is the last program change
    /// on its channel before it in time (all tracks, file order at equal ticks), or 0.
    /// Tempo, time and key signatures come from every track (format 2: from the first track); every other
    /// event but end_of_track is kept in its track's ``NoteTrack/otherEvents``.
    public init(midiFile file: MIDIFile) {
        var builder = PerformanceBuilder(format: file.format, division: file.division, programs: ProgramTimeline(file))
        for track in file.tracks {
            builder.beginTrack(byteLength: 0)
            for event in track.events { builder.event(tick: event.tick, event.message) }
            builder.endTrack()
        }
        self = builder.performance()
    }

    /// Reads Standard MIDI File bytes straight into the note model (two passes over the bytes, no event list
    /// in between, so memory stays near the model's own size). `strict` throws at the first problem; else
    /// what is readable is kept and the problems are returned, one per kind and track.
    public static func read(bytes: UnsafeRawBufferPointer, strict: Bool = false) throws(MIDIError) -> PerformanceReading {
        var programs = ProgramCollector()
        let header = try SMFReader(bytes, strict: strict).parse(into: &programs)
        var builder = PerformanceBuilder(format: header.format, division: header.division, programs: ProgramTimeline(programs.changes))
        _ = try SMFReader(bytes, strict: strict).parse(into: &builder)
        return PerformanceReading(performance: builder.performance(), warnings: programs.log.warnings)
    }
}

extension Performance {
    /// Reads Standard MIDI File bytes as ``read(bytes:strict:)-(UnsafeRawBufferPointer,_)`` does.
    public static func read(bytes: [UInt8], strict: Bool = false) throws(MIDIError) -> PerformanceReading {
        var result: Result<PerformanceReading, MIDIError>!
        bytes.withUnsafeBytes { raw in
            do throws(MIDIError) { result = .success(try read(bytes: raw, strict: strict)) } catch { result = .failure(error) }
        }
        return try result.get()
    }
}

/// A performance read from a file, with the problems tolerant reading worked around.
public struct PerformanceReading: Sendable {
    /// The notes and everything else the file held.
    public var performance: Performance
    /// Problems found and worked around (empty for an intact file or strict reading).
    public var warnings: [MIDIWarning]

    /// Creates a reading.
    public init(performance: Performance, warnings: [MIDIWarning] = []) {
        self.performance = performance
        self.warnings = warnings
    }
}

/// Collects every program change with its place in playing order (first pass of ``Performance/read(bytes:strict:)``).
struct ProgramCollector: SMFEventSink {
    var changes: [(at: PlayingPosition, channel: UInt8, program: UInt8)] = []
    var log = MIDIWarningLog()
    private var track = -1
    private var position = 0

    mutating func beginTrack(byteLength: Int) {
        track += 1
        position = 0
    }

    mutating func event(tick: Int, _ message: MIDIMessage) {
        if case .programChange(let c, let p) = message {
            changes.append((PlayingPosition(tick: tick, track: track, position: position), c & 15, p))
        }
        position += 1
    }

    mutating func endTrack() {}
    mutating func warning(_ warning: MIDIWarning) { log.add(warning) }
}

/// Builds a ``Performance`` from events track by track: pairs notes, keeps controls and every other event.
struct PerformanceBuilder: SMFEventSink {
    private struct Pending { var start: Int; var velocity: UInt8; var program: UInt8 }

    let format: Int
    let division: Division
    let programs: ProgramTimeline
    private var tracks: [NoteTrack] = []
    private var tempos: [TempoMap.Change] = []
    private var timeSignatures: [TimeSignatureChange] = []
    private var keySignatures: [KeySignatureChange] = []

    // The track being built. One FIFO queue per (channel, pitch), reused between tracks; `head` is each
    // queue's first unreleased entry (O(1) dequeue: stacked identical notes must not be quadratic).
    private var open = [[Pending]](repeating: [], count: 16 * 128)
    private var head = [Int](repeating: 0, count: 16 * 128)
    private var openCount = 0
    private var notes: [Note] = []
    private var controls: [MIDIEvent] = []
    private var others: [MIDIEvent] = []
    private var name: String?
    private var endOfTrack: Int?
    private var lastTick = 0
    private var position = 0

    init(format: Int, division: Division, programs: ProgramTimeline) {
        self.format = format
        self.division = division
        self.programs = programs
    }

    mutating func beginTrack(byteLength: Int) {
        notes = []
        controls = []
        others = []
        name = nil
        endOfTrack = nil
        lastTick = 0
        position = 0
    }

    mutating func event(tick: Int, _ message: MIDIMessage) {
        defer { position += 1 }
        if tick > lastTick { lastTick = tick }
        let index = tracks.count
        switch message {
        case .noteOn(let c, let n, let v) where v > 0:
            let program = programs.program(channel: c, tick: tick, track: index, position: position)
            open[Int(c) << 7 | Int(n)].append(Pending(start: tick, velocity: v, program: program))
            openCount += 1
        case .noteOn(let c, let n, _), .noteOff(let c, let n, _):
            let key = Int(c) << 7 | Int(n)
            guard head[key] < open[key].count else { return }
            let p = open[key][head[key]]
            head[key] += 1
            if head[key] == open[key].count { open[key].removeAll(keepingCapacity: true); head[key] = 0 }
            openCount -= 1
            notes.append(Note(pitch: n, velocity: p.velocity, startTick: p.start,
                              durationTicks: tick - p.start, channel: c, program: p.program))
        case .polyTouch, .controlChange, .programChange, .aftertouch, .pitchWheel:
            controls.append(MIDIEvent(tick: tick, message))
        case .meta(.endOfTrack):
            if endOfTrack == nil { endOfTrack = tick }
        case .meta(let meta) where format != 2 || index == 0:
            switch meta {
            case .setTempo(let t):
                tempos.append(TempoMap.Change(tick: tick, microsecondsPerBeat: t))
            case .timeSignature(let n, let d, let c, let b):
                timeSignatures.append(TimeSignatureChange(tick: tick, numerator: Int(n), denominator: 1 << Int(min(d, 30)),
                                                          clocksPerClick: Int(c), thirtySecondNotesPerBeat: Int(b)))
            case .keySignature(let sf, let minor):
                keySignatures.append(KeySignatureChange(tick: tick, sharpsOrFlats: Int(sf), minor: minor))
            default:
                keepOther(tick, message)
            }
        default:
            keepOther(tick, message)
        }
    }

    private mutating func keepOther(_ tick: Int, _ message: MIDIMessage) {
        if name == nil, case .meta(.text(.trackName, let bytes)) = message { name = TrackNameText.decode(bytes) }
        others.append(MIDIEvent(tick: tick, message))
    }

    mutating func endTrack() {
        if openCount > 0 {
            for key in open.indices where head[key] < open[key].count {
                for p in open[key][head[key]...] {
                    notes.append(Note(pitch: UInt8(key & 127), velocity: p.velocity, startTick: p.start,
                                      durationTicks: max(0, lastTick - p.start), channel: UInt8(key >> 7), program: p.program))
                }
                open[key].removeAll(keepingCapacity: true)
                head[key] = 0
            }
            openCount = 0
        }
        if !Note.isInPlayingOrder(notes) { notes.sort(by: Note.playingOrder) }
        notes.shrinkToFit()
        controls.shrinkToFit()
        others.shrinkToFit()
        tracks.append(NoteTrack(name: name, notes: notes, controls: controls, otherEvents: others, endOfTrackTick: endOfTrack))
        notes = []
        controls = []
        others = []
    }

    /// The finished performance.
    func performance() -> Performance {
        let tempoMap = TempoMap(division: division, changes: tempos)
        // Stable: changes at the same tick keep track order.
        let ts = timeSignatures.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(\.element)
        let ks = keySignatures.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(\.element)
        let ticksPerBeat = division.ticksPerBeat ?? max(1, Int(((tempoMap.ticksPerSecond ?? 960) / 2).rounded()))
        return Performance(ticksPerBeat: ticksPerBeat, tempoMap: tempoMap, timeSignatures: ts, keySignatures: ks,
                           tracks: tracks, format: format)
    }
}

/// Track names as text: UTF-8 when the bytes are valid UTF-8, else Latin-1.
enum TrackNameText {
    static func decode(_ bytes: [UInt8]) -> String {
        String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
    }
}

extension Array where Element == Note {
    /// Frees unused capacity (the builder's arrays grow by doubling).
    fileprivate mutating func shrinkToFit() {
        if capacity > count + count / 8 + 16 { self = Array(self) }
    }
}

extension Array where Element == MIDIEvent {
    /// Frees unused capacity (the builder's arrays grow by doubling).
    fileprivate mutating func shrinkToFit() {
        if capacity > count + count / 8 + 16 { self = Array(self) }
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

    /// Whether `notes` is already in ``playingOrder(_:_:)``.
    static func isInPlayingOrder(_ notes: [Note]) -> Bool {
        var i = 1
        while i < notes.count {
            if playingOrder(notes[i], notes[i - 1]) { return false }
            i += 1
        }
        return true
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
        var all: [(at: PlayingPosition, channel: UInt8, program: UInt8)] = []
        for (t, track) in file.tracks.enumerated() {
            for (i, event) in track.events.enumerated() {
                if case .programChange(let c, let p) = event.message {
                    all.append((PlayingPosition(tick: event.tick, track: t, position: i), c & 15, p))
                }
            }
        }
        self.init(all)
    }

    init(_ all: [(at: PlayingPosition, channel: UInt8, program: UInt8)]) {
        for change in all { changes[Int(change.channel & 15)].append((change.at, change.program)) }
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
