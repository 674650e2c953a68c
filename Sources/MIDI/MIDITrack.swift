/// One track (an `MTrk` chunk): its events in file order with absolute tick times.
public struct MIDITrack: Sendable, Hashable {
    /// The events in file order; `tick` is absolute from the start of the track.
    public var events: [MIDIEvent]

    /// Creates a track from events already in file order.
    public init(events: [MIDIEvent] = []) {
        self.events = events
    }
}

/// One timed event of a track.
public struct MIDIEvent: Sendable, Hashable {
    /// Absolute time in ticks from the start of the track (the sum of the delta times).
    public var tick: Int
    /// What happens at that time.
    public var message: MIDIMessage

    /// Creates an event at an absolute tick.
    public init(tick: Int, _ message: MIDIMessage) {
        self.tick = tick
        self.message = message
    }
}
