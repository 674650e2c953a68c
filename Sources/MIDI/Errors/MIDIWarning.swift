/// A problem tolerant reading found and worked around: what was wrong, what was done about it, where.
///
/// Tolerant reading (the default of ``MIDIReadOptions``) keeps what is readable and reports each problem
/// once; strict reading throws a ``MIDIError`` for the same problem instead.
public struct MIDIWarning: Sendable, Hashable, CustomStringConvertible {
    /// Classes of recoverable problems (one warning per class and track; repeats are counted).
    public enum Kind: String, Sendable, Hashable {
        /// A meta event whose data does not fit its type (set_tempo of 2 bytes, ...): dropped.
        case damagedMeta
        /// A key_signature out of range (mode byte not 0/1, more than 7 sharps or flats).
        case keySignatureOutOfRange
        /// A time_signature shorter than 4 bytes: completed with 24 clocks per click, 8 32nds per beat.
        case shortTimeSignature
        /// A system real-time or common status byte inside a track: skipped.
        case strayStatus
        /// A track ends inside an event, or its chunk runs past the end of the file: kept up to there.
        case truncatedTrack
        /// An undecodable byte sequence inside a track (data byte without status, over-long number, data byte over 127): the rest of that track is skipped.
        case damagedTrack
        /// Fewer tracks than the header declares, or a damaged chunk header: the tracks before it are kept.
        case missingTracks
        /// A track chunk declaring length 0 followed by events: the events are read up to end_of_track.
        case zeroLengthTrack
        /// Bytes that are not a chunk where a track should start: skipped up to the next MTrk chunk.
        case skippedBytes
        /// A format-0 file with no tracks or with several.
        case headerMismatch
    }

    /// The class of problem.
    public var kind: Kind
    /// Byte offset from the start of the file where it was found.
    public var offset: Int
    /// The 0-based track it is in, nil for the header and chunk structure.
    public var track: Int?
    /// The absolute tick where it was found in that track (0 outside tracks).
    public var tick: Int
    /// One line: what is wrong and what was done about it, without the path or offset.
    public var message: String
    /// Further occurrences of the same kind in the same track after this one (reported once, counted here).
    public var repeats: Int

    /// Creates a warning.
    public init(_ kind: Kind, at offset: Int, track: Int?, tick: Int = 0, _ message: String, repeats: Int = 0) {
        self.kind = kind
        self.offset = offset
        self.track = track
        self.tick = tick
        self.message = message
        self.repeats = repeats
    }

    /// `MESSAGE (at byte N)`, with the number of repeats when there were some.
    public var description: String {
        var s = "\(message) (at byte \(offset)"
        if let track { s += ", track \(track)" }
        if repeats > 0 { s += "; \(repeats) more like it in this track" }
        return s + ")"
    }

    /// One line for standard error: `PATH: warning: MESSAGE (at byte N)`.
    public func line(path: String?) -> String {
        (path.map { "\($0): " } ?? "") + "warning: " + description
    }
}

/// Collects warnings, keeping the first of each kind per track and counting the rest.
struct MIDIWarningLog: Sendable {
    private(set) var warnings: [MIDIWarning] = []
    private var index: [String: Int] = [:]

    /// Records `warning`, or counts it as a repeat of an earlier one of its kind in its track.
    mutating func add(_ warning: MIDIWarning) {
        let key = "\(warning.kind.rawValue)/\(warning.track ?? -1)"
        if let i = index[key] {
            warnings[i].repeats += 1 + warning.repeats
        } else {
            index[key] = warnings.count
            warnings.append(warning)
        }
    }
}
