/// A Standard MIDI File as a plain value: header fields plus its tracks of timed events.
///
/// This is the event-level model (the mido picture of a file). The note-level model that
/// the rest of Tunesmith shares is ``Performance``.
public struct MIDIFile: Sendable, Hashable {
    /// SMF format: 0 (one track), 1 (simultaneous tracks) or 2 (independent sequences).
    public var format: Int
    /// How a tick relates to musical or absolute time.
    public var division: Division
    /// The tracks in file order.
    public var tracks: [MIDITrack]

    /// Creates a file from its header fields and tracks.
    public init(format: Int = 1, division: Division = .ticksPerBeat(480), tracks: [MIDITrack] = []) {
        self.format = format
        self.division = division
        self.tracks = tracks
    }
}

/// The header's division field: metrical (ticks per quarter note) or SMPTE time code.
public enum Division: Sendable, Hashable {
    /// Ticks per quarter note (1 ... 32767).
    case ticksPerBeat(Int)
    /// SMPTE frames per second (24, 25, 29 for 29.97 drop-frame, 30) and ticks per frame.
    case smpte(framesPerSecond: Int, ticksPerFrame: Int)

    /// Ticks per quarter note, or nil for an SMPTE division.
    public var ticksPerBeat: Int? {
        if case .ticksPerBeat(let t) = self { return t }
        return nil
    }
}
