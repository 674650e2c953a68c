/// The note-level model every Tunesmith stage shares: notes in tracks, plus the tempo map
/// and the time and key signatures, all timed in ticks of ``ticksPerBeat``.
///
/// Lossless for MIDI files: what the model does not interpret (sysex, text, lyrics, markers, cue points,
/// copyright, instrument and track names, SMPTE offset, sequencer-specific and unknown meta events, ...)
/// travels in each track's ``NoteTrack/otherEvents`` at its tick, each track keeps its end_of_track time
/// (``NoteTrack/endOfTrackTick``) and the file's ``format`` is kept, so writing it back loses nothing but the
/// byte layout. Processors take a `Performance` and return one; renderers consume one.
public struct Performance: Sendable, Hashable {
    /// The Standard MIDI File format it came from and is written as by default: 0, 1, or 2 (independent
    /// patterns, played one after another); 1 for generated music.
    public var format: Int
    /// Ticks per quarter note of every tick value in this performance.
    public var ticksPerBeat: Int
    /// Tempo changes, for converting ticks to seconds and back.
    public var tempoMap: TempoMap
    /// Time signature changes in tick order.
    public var timeSignatures: [TimeSignatureChange]
    /// Key signature changes in tick order.
    public var keySignatures: [KeySignatureChange]
    /// The tracks, in order (track 0 of a format-1 file is usually a conductor track with no notes).
    public var tracks: [NoteTrack]

    /// Creates a performance.
    public init(
        ticksPerBeat: Int = 480,
        tempoMap: TempoMap = TempoMap(),
        timeSignatures: [TimeSignatureChange] = [],
        keySignatures: [KeySignatureChange] = [],
        tracks: [NoteTrack] = [],
        format: Int = 1
    ) {
        self.format = format
        self.ticksPerBeat = ticksPerBeat
        self.tempoMap = tempoMap
        self.timeSignatures = timeSignatures
        self.keySignatures = keySignatures
        self.tracks = tracks
    }
}

/// One track of notes, with the non-note channel events (program changes, controllers,
/// pitch bends, pressure) that shape how its notes sound, and the events the model carries unread.
public struct NoteTrack: Sendable, Hashable {
    /// The track's name (the text of its first track_name meta event), if any. Writing uses it for that
    /// event (replacing its text when changed), or adds a track_name at tick 0 when the track has none.
    public var name: String?
    /// Notes sorted by start tick, then pitch.
    public var notes: [Note]
    /// Non-note channel messages (program, control, pitch wheel, aftertouch, poly touch) with their ticks.
    public var controls: [MIDIEvent]
    /// Everything else the track held, in file order with its ticks: sysex and escape packets, and every meta
    /// event but end_of_track and the conductor events the model interprets (set_tempo, time_signature and
    /// key_signature, which are in ``Performance/tempoMap`` and the signature lists; in format 2 only those of
    /// track 0). Track names stay here too. Processors that move time should move these with it.
    public var otherEvents: [MIDIEvent]
    /// The tick of the track's end_of_track event as read, nil when unknown (generated music): the track lasts
    /// at least this long (a loop's closing rest), and writing puts its end_of_track there unless events come later.
    public var endOfTrackTick: Int?

    /// Creates a track.
    public init(name: String? = nil, notes: [Note] = [], controls: [MIDIEvent] = [], otherEvents: [MIDIEvent] = [],
                endOfTrackTick: Int? = nil) {
        self.name = name
        self.notes = notes
        self.controls = controls
        self.otherEvents = otherEvents
        self.endOfTrackTick = endOfTrackTick
    }

    /// The last tick of the track: its end_of_track, last note release, control or other event (0 when empty).
    public var endTick: Int {
        var end = endOfTrackTick ?? 0
        for note in notes { end = max(end, note.endTick) }
        if let last = controls.last { end = max(end, last.tick) }
        if let last = otherEvents.last { end = max(end, last.tick) }
        return end
    }
}

/// One sounding note.
public struct Note: Sendable, Hashable {
    /// MIDI pitch (0 ... 127; 60 is middle C, 69 is A4 = 440 Hz).
    public var pitch: UInt8
    /// Attack velocity (1 ... 127).
    public var velocity: UInt8
    /// Onset in ticks.
    public var startTick: Int
    /// Length in ticks (>= 0).
    public var durationTicks: Int
    /// 0-based MIDI channel (9 is the General MIDI drum channel).
    public var channel: UInt8
    /// 0-based General MIDI program sounding on that channel at the onset.
    public var program: UInt8

    /// Creates a note.
    public init(pitch: UInt8, velocity: UInt8, startTick: Int, durationTicks: Int, channel: UInt8 = 0, program: UInt8 = 0) {
        self.pitch = pitch
        self.velocity = velocity
        self.startTick = startTick
        self.durationTicks = durationTicks
        self.channel = channel
        self.program = program
    }

    /// The tick at which the note is released.
    public var endTick: Int { startTick + durationTicks }

    /// Whether the note sounds on the General MIDI drum channel (channel 10, index 9).
    public var isDrum: Bool { channel == 9 }
}

/// A time signature taking effect at a tick.
public struct TimeSignatureChange: Sendable, Hashable {
    /// Where it takes effect, in ticks.
    public var tick: Int
    /// Beats per bar.
    public var numerator: Int
    /// Beat unit as a note value: 4 for quarter notes, 8 for eighths.
    public var denominator: Int
    /// MIDI clocks per metronome click, as stored in the file (24 when unknown).
    public var clocksPerClick: Int
    /// Notated 32nd notes per MIDI quarter note, as stored in the file (8 when unknown).
    public var thirtySecondNotesPerBeat: Int

    /// Creates a time signature change.
    public init(tick: Int, numerator: Int, denominator: Int, clocksPerClick: Int = 24, thirtySecondNotesPerBeat: Int = 8) {
        self.tick = tick
        self.numerator = numerator
        self.denominator = denominator
        self.clocksPerClick = clocksPerClick
        self.thirtySecondNotesPerBeat = thirtySecondNotesPerBeat
    }
}

/// A key signature taking effect at a tick.
public struct KeySignatureChange: Sendable, Hashable {
    /// Where it takes effect, in ticks.
    public var tick: Int
    /// Sharps (positive) or flats (negative), -7 ... 7.
    public var sharpsOrFlats: Int
    /// Minor (true) or major (false).
    public var minor: Bool

    /// Creates a key signature change.
    public init(tick: Int, sharpsOrFlats: Int, minor: Bool) {
        self.tick = tick
        self.sharpsOrFlats = sharpsOrFlats
        self.minor = minor
    }
}
