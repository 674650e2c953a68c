extension TrainedModel {
    /// Whether the model draws each note's time step and length in beats (a categorical model with a ``RhythmHead``);
    /// otherwise it regresses the time to the next onset in seconds.
    public var hasRhythmHead: Bool { loss.categorical?.rhythm != nil }
}
