/// One step of the paper's sequence: the note-on's pitch, its velocity and the time since the previous note-on.
public struct FeatureFrame: Sendable, Hashable, Codable {
    /// MIDI pitch (semitones; fractional while still a prediction).
    public var note: Double
    /// Attack velocity (1 ... 127 once rounded).
    public var velocity: Double
    /// Seconds since the previous note-on (0 for the first).
    public var timeDelta: Double
    /// Seconds the note sounds (filled only when the feature configuration's encoding reads it).
    public var duration: Double?
    /// General MIDI program 0 ... 127 of the note's channel (filled only when the encoding reads it).
    public var program: Double?
    /// Quarter-note beats since the previous note-on (filled only when the encoding reads the metre).
    public var beatDelta: Double?
    /// Quarter-note beats the note sounds (filled only when the encoding reads the metre).
    public var beatDuration: Double?
    /// Quarter-note beats from the start of the note's bar to its onset (filled only when the encoding reads the metre).
    public var barPosition: Double?
    /// MIDI pitch the piece's motif memory proposes for the next note, from the notes up to and including this one
    /// (``MotifMemory/recallPitches(of:)``; nil: no proposal, or the encoding does not read it).
    public var recall: Int?

    /// Creates a frame with a duration (seconds) and program, the inputs of richer encodings.
    public init(note: Double, velocity: Double, timeDelta: Double, duration: Double?, program: Double?) {
        self.init(note: note, velocity: velocity, timeDelta: timeDelta)
        self.duration = duration
        self.program = program
    }

    /// Creates a frame.
    public init(note: Double, velocity: Double, timeDelta: Double) {
        self.note = note
        self.velocity = velocity
        self.timeDelta = timeDelta
    }
}

/// Which notes become features.
public struct FeatureConfiguration: Sendable, Hashable, Codable {
    /// Whether notes on the General MIDI drum channel (channel 10) are included (the default excludes them).
    public var includeDrums: Bool
    /// The network input built from the frames (nil: the paper's scaled [note, velocity, time delta]).
    public var encoding: InputEncoding?

    /// Creates a configuration.
    public init(includeDrums: Bool = false) {
        self.includeDrums = includeDrums
    }

    /// Creates a configuration with an input encoding.
    public init(includeDrums: Bool, encoding: InputEncoding?) {
        self.includeDrums = includeDrums
        self.encoding = encoding
    }

    /// Values per network input step (3 for the paper).
    public var inputWidth: Int { encoding?.width ?? 3 }
}
