/// Training examples as windows over standardised feature sequences: `lookBack` frames predict the next.
///
/// All songs' frames live in one contiguous array; a sample is the index of its window's first frame.
/// Windows never cross a song boundary.
public struct WindowedDataset: Sendable {
    /// Values per frame (3: note, velocity, time delta).
    public let width: Int
    /// Frames per input window.
    public let lookBack: Int
    /// All frames of all songs, concatenated (`width` values each, standardised).
    public let frames: [Float]
    /// First frame of each sample's window.
    public let windowStarts: [Int32]
    /// Number of songs.
    public let songCount: Int

    /// Builds the windows of the given songs (each a flat array of `width`-value frames).
    public init(songs: [[Float]], width: Int = 3, lookBack: Int) {
        self.width = width
        self.lookBack = lookBack
        var frames: [Float] = []
        frames.reserveCapacity(songs.reduce(0) { $0 + $1.count })
        var starts: [Int32] = []
        for song in songs {
            let base = frames.count / width
            let n = song.count / width
            if n > lookBack {
                for s in 0..<(n - lookBack) { starts.append(Int32(base + s)) }
            }
            frames += song
        }
        self.frames = frames
        self.windowStarts = starts
        self.songCount = songs.count
    }

    /// Number of samples (windows with a next frame).
    public var count: Int { windowStarts.count }

    /// The window starts in one epoch's order (a Fisher-Yates shuffle drawn from `generator`), laid out in that order
    /// so the batches read them one after another (fewer cache misses than going through a shuffled index).
    func shuffledStarts(generator: inout SeededGenerator) -> [Int32] {
        var order = (0..<count).map { Int32($0) }
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            let j = Int(generator.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return windowStarts.withUnsafeBufferPointer { s in order.map { s[Int($0)] } }
    }
}
