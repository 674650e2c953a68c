/// One of the copies of a song that make a large corpus from a small one: transposed by a number of
/// semitones (pitches folded back into 0 ... 127 by octaves) and re-timed by a tempo factor (seconds scaled,
/// beats unchanged). Copy 0 is the song itself; copies 0 ..< 60 are all different.
public struct SongVariant: Sendable, Hashable {
    /// Semitones added to every pitch.
    public var transposition: Int
    /// Factor on every duration in seconds (time deltas and note lengths); 1.25 plays 20 % slower.
    public var timeScale: Double

    /// The 12 transpositions, each used with the 5 time scales.
    static let transpositions = [0, 2, -3, 5, -1, 4, -5, 1, 3, -2, 6, -4]
    static let timeScales = [1.0, 0.9, 1.12, 0.8, 1.25]

    /// Copy number `copy` (0: unchanged).
    public init(copy: Int) {
        transposition = Self.transpositions[copy % 12]
        timeScale = Self.timeScales[(copy / 12) % 5]
    }

    /// The frames of the copy.
    public func apply(_ frames: [FeatureFrame]) -> [FeatureFrame] {
        guard transposition != 0 || timeScale != 1 else { return frames }
        return frames.map { f in
            var g = f
            var pitch = f.note + Double(transposition)
            while pitch > 127 { pitch -= 12 }
            while pitch < 0 { pitch += 12 }
            g.note = pitch
            g.timeDelta = f.timeDelta * timeScale
            g.duration = f.duration.map { $0 * timeScale }
            return g
        }
    }
}
