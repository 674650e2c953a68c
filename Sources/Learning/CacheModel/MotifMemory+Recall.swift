/// The motif memory as a network input: what a memory of a song's notes so far proposes at every note
/// (``InputEncoding/recall``), the same in training, evaluation and generation.
extension MotifMemory.Event {
    /// The event of a song's note: its pitch (rounded, 0 ... 127), its time step and its length as a ``RhythmHead`` with the
    /// default ranges (4-beat steps, 8-beat lengths) classes them (1/24-beat steps), so a song's notes compare as a generated piece's drawn ones.
    public init(frame f: FeatureFrame) {
        let pitch = f.note.isFinite ? min(127, max(0, Int(f.note.rounded()))) : 60
        self.init(pitch: Int16(pitch), step: Int16(RhythmHead.deltaClass(beats: f.beatDelta ?? 0)),
                  length: Int16(RhythmHead.durationClass(beats: f.beatDuration ?? 0)))
    }
}

extension MotifMemory {
    /// For every note of a song, the pitch a fresh memory holding the song's notes up to and including that note
    /// proposes for the next one (nil: no proposal). Note i's entry is what the network reads with note i's frame.
    public static func recallPitches(of frames: [FeatureFrame]) -> [Int?] {
        var memory = MotifMemory()
        var out: [Int?] = []
        out.reserveCapacity(frames.count)
        for f in frames {
            memory.record(Event(frame: f))
            out.append(memory.proposal().map { Int($0.pitch) })
        }
        return out
    }

    /// The frames with ``FeatureFrame/recall`` filled from ``recallPitches(of:)``.
    public static func withRecall(_ frames: [FeatureFrame]) -> [FeatureFrame] {
        var out = frames
        for (i, p) in recallPitches(of: frames).enumerated() { out[i].recall = p }
        return out
    }
}
