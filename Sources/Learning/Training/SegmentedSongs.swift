import Foundation

/// Songs longer than a limit cut into consecutive segments of at most that many notes, for stateful training.
///
/// Why: an epoch runs each batch from its songs' first notes to their last, one optimiser step per chunk. A few very
/// long songs (the game files run to 7,000 notes, a chorale to 200) otherwise make long unbroken runs of steps on one
/// kind of music, with the batch shrunk to one or two songs, and the network forgets the rest between them. Cut into
/// segments, the long songs are dealt among the others like any song. Consecutive segments share one note (the last
/// note of a segment is the first of the next), so every note after a song's first is still a target once per epoch;
/// each segment starts from a zero state, as generation does.
public struct SegmentedSongs: SongSource {
    /// The songs being cut.
    public let base: any SongSource
    /// Notes per segment at most (at least 2).
    public let maxLength: Int
    /// (song, first note, notes) of each segment, in song order.
    private let segments: [(song: Int, start: Int, count: Int)]

    /// Cuts every song of `base` longer than `maxLength` notes (at least 2) into segments.
    public init(_ base: any SongSource, maxLength: Int) {
        self.base = base
        let limit = max(2, maxLength)
        self.maxLength = limit
        var segments: [(song: Int, start: Int, count: Int)] = []
        for s in 0..<base.count {
            let n = base.length(s)
            guard n > limit else { segments.append((s, 0, n)); continue }
            var start = 0
            while start < n - 1 {
                let count = min(limit, n - start)
                segments.append((s, start, count))
                start += count - 1  // the next segment starts on this one's last note
            }
        }
        self.segments = segments
    }

    public var count: Int { segments.count }
    public func length(_ index: Int) -> Int { segments[index].count }
    public func style(_ index: Int) -> Int? { base.style(segments[index].song) }
    public func pitchRange(_ index: Int) -> (low: Int, high: Int) { base.pitchRange(segments[index].song) }
    public func frames(_ index: Int) throws -> [FeatureFrame] {
        let s = segments[index]
        let all = try base.frames(s.song)
        return Array(all[s.start..<min(all.count, s.start + s.count)])
    }
}
