/// What `tunesmith inspect` shows about one MIDI file.
public struct MIDIFileSummary: Sendable, Hashable {
    /// SMF format (0, 1, 2).
    public var format: Int
    /// Number of tracks.
    public var tracks: Int
    /// The header's division.
    public var division: Division
    /// Note_on events with velocity above 0.
    public var notes: Int
    /// Playing time up to the last event of any track, in seconds.
    public var durationSeconds: Double
    /// Tempo at tick 0 in beats (quarter notes) per minute; nil for SMPTE files.
    public var initialBPM: Double?
    /// Number of distinct tempo changes in the tempo map.
    public var tempoChanges: Int
    /// First time signature, e.g. "4/4", if any.
    public var timeSignature: String?
    /// First key signature in mido spelling, e.g. "F#m", if any.
    public var keySignature: String?

    /// Problems tolerant reading worked around (one per kind and track; empty for strict reading).
    public var warnings: [MIDIWarning] = []

    /// Summarises Standard MIDI File bytes in one streaming pass, without keeping the events; `strict`
    /// refuses any damage, else what is readable is summarised and the problems are in ``warnings``.
    public init(bytes: UnsafeRawBufferPointer, strict: Bool = true) throws(MIDIError) {
        var sink = SummarySink()
        let header = try SMFReader(bytes, strict: strict).parse(into: &sink)
        warnings = sink.log.warnings
        format = header.format
        tracks = header.tracks
        division = header.division
        notes = sink.notes
        let changes = sink.tempos.filter { header.format != 2 || $0.track == 0 }.map(\.change)
        let map = TempoMap(division: header.division, changes: changes)
        durationSeconds = map.seconds(atTick: sink.lastTick)
        initialBPM = map.ticksPerBeat == nil ? nil : 60_000_000 / Double(map.microsecondsPerBeat(atTick: 0))
        tempoChanges = map.changes.count
        timeSignature = sink.firstTime?.1
        keySignature = sink.firstKey?.1
    }

    /// Summarises a parsed file.
    public init(_ file: MIDIFile) {
        format = file.format
        tracks = file.tracks.count
        division = file.division
        notes = file.noteCount
        let map = file.tempoMap
        durationSeconds = map.seconds(atTick: file.lastTick)
        initialBPM = map.ticksPerBeat == nil ? nil : 60_000_000 / Double(map.microsecondsPerBeat(atTick: 0))
        tempoChanges = map.changes.count
        var firstTime: (Int, String)?
        var firstKey: (Int, String)?
        for track in file.tracks {
            for event in track.events {
                guard case .meta(let meta) = event.message else { continue }
                switch meta {
                case .timeSignature(let n, let d, _, _) where firstTime == nil || event.tick < firstTime!.0:
                    firstTime = (event.tick, "\(n)/\(1 << Int(min(d, 30)))")
                case .keySignature(let sf, let minor) where firstKey == nil || event.tick < firstKey!.0:
                    firstKey = (event.tick, KeySpelling.name(sharpsOrFlats: Int(sf), minor: minor))
                default:
                    break
                }
            }
        }
        timeSignature = firstTime?.1
        keySignature = firstKey?.1
    }
}

/// Gathers what a summary needs while a file is parsed.
private struct SummarySink: SMFEventSink {
    var notes = 0
    var lastTick = 0
    var track = -1
    var tempos: [(track: Int, change: TempoMap.Change)] = []
    var firstTime: (Int, String)?
    var firstKey: (Int, String)?
    var log = MIDIWarningLog()

    mutating func warning(_ warning: MIDIWarning) { log.add(warning) }

    mutating func beginTrack(byteLength: Int) { track += 1 }
    mutating func endTrack() {}

    mutating func event(tick: Int, _ message: MIDIMessage) {
        if tick > lastTick { lastTick = tick }
        switch message {
        case .noteOn(_, _, let v):
            if v > 0 { notes += 1 }
        case .meta(.setTempo(let t)):
            tempos.append((track, TempoMap.Change(tick: tick, microsecondsPerBeat: t)))
        case .meta(.timeSignature(let n, let d, _, _)) where firstTime == nil || tick < firstTime!.0:
            firstTime = (tick, "\(n)/\(1 << Int(min(d, 30)))")
        case .meta(.keySignature(let sf, let minor)) where firstKey == nil || tick < firstKey!.0:
            firstKey = (tick, KeySpelling.name(sharpsOrFlats: Int(sf), minor: minor))
        default:
            break
        }
    }
}
