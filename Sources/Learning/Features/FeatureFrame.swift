/// One step of the paper's sequence: the note-on's pitch, its velocity and the time since the previous note-on.
public struct FeatureFrame: Sendable, Hashable, Codable {
    /// MIDI pitch (semitones; fractional while still a prediction).
    public var note: Double
    /// Attack velocity (1 ... 127 once rounded).
    public var velocity: Double
    /// Seconds since the previous note-on (0 for the first).
    public var timeDelta: Double

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

    /// Creates a configuration.
    public init(includeDrums: Bool = false) {
        self.includeDrums = includeDrums
    }
}
