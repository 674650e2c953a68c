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
