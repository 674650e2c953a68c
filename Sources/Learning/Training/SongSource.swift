import Foundation

/// Whole songs for stateful training and evaluation, read a few at a time (a batch), so a source may keep its songs
/// in memory (``SongList``) or stream them from a pre-encoded cache file (``SongCache``).
public protocol SongSource: Sendable {
    /// Number of songs.
    var count: Int { get }
    /// Notes (frames) of song `index`.
    func length(_ index: Int) -> Int
    /// Style index of song `index` (into the encoding's ``InputEncoding/styles``), or nil.
    func style(_ index: Int) -> Int?
    /// Lowest and highest MIDI pitch of song `index` (the room for transposition).
    func pitchRange(_ index: Int) -> (low: Int, high: Int)
    /// The frames of song `index`.
    func frames(_ index: Int) throws -> [FeatureFrame]
}

extension SongSource {
    /// Targets (notes after the first) over all songs: the notes one epoch predicts.
    public var targetCount: Int { (0..<count).reduce(0) { $0 + max(0, length($1) - 1) } }
}

/// Songs held in memory, each with its style.
public struct SongList: SongSource {
    /// The songs.
    public let songs: [CorpusSong]
    /// Their styles (nil: none), in song order.
    public let styles: [Int?]
    private let ranges: [(low: Int, high: Int)]

    /// Wraps songs; `styles` has one entry per song (or is empty: no styles).
    public init(songs: [CorpusSong], styles: [Int?] = []) {
        self.songs = songs
        self.styles = styles.isEmpty ? Array(repeating: nil, count: songs.count) : styles
        ranges = songs.map { s in
            var lo = 127, hi = 0
            for f in s.frames where f.note.isFinite { let p = Int(f.note.rounded()); lo = min(lo, p); hi = max(hi, p) }
            return lo <= hi ? (lo, hi) : (60, 60)
        }
    }

    public var count: Int { songs.count }
    public func length(_ index: Int) -> Int { songs[index].frames.count }
    public func style(_ index: Int) -> Int? { styles[index] }
    public func pitchRange(_ index: Int) -> (low: Int, high: Int) { ranges[index] }
    public func frames(_ index: Int) throws -> [FeatureFrame] { songs[index].frames }
}

/// How songs are varied in stateful training: transposition and dropped style labels.
public struct SongAugmentation: Sendable, Hashable, Codable {
    /// Each song is transposed per epoch by a whole number of semitones drawn uniformly from -`transpose` ... +`transpose`
    /// (limited so its notes stay within 0 ... 127); 0: no transposition.
    public var transpose: Int = 0
    /// Probability that a song is shown without its style label in an epoch (style block zero), so the network also
    /// learns "no style given".
    public var styleDropout: Double = 0.1

    /// Creates an augmentation.
    public init(transpose: Int = 0, styleDropout: Double = 0.1) {
        self.transpose = transpose
        self.styleDropout = styleDropout
    }

    /// No augmentation (validation and evaluation).
    public static let none = SongAugmentation(transpose: 0, styleDropout: 0)
}

/// A batch of songs encoded as network input rows, each song's rows contiguous.
struct EncodedSongs {
    /// All rows (``width`` values each), song after song.
    var rows: [Float]
    /// First row of each song.
    var offsets: [Int]
    /// Rows of each song.
    var lengths: [Int]
    /// Values per row.
    var width: Int

    /// Encodes songs `ids` of `source`, transposed by `shifts` semitones and with `styles` (one per song).
    init(source: any SongSource, ids: [Int], shifts: [Int], styles: [Int?], features: FeatureConfiguration, scaler: StandardScaler) throws {
        width = features.inputWidth
        var total = 0
        offsets = []; lengths = []
        for i in ids { offsets.append(total); let n = source.length(i); lengths.append(n); total += n }
        rows = [Float](repeating: 0, count: total * width)
        let w = width
        for (k, i) in ids.enumerated() {
            var frames = try source.frames(i)
            if shifts[k] != 0 { for j in frames.indices { frames[j].note += Double(shifts[k]) } }
            if features.encoding?.recall == true { frames = MotifMemory.withRecall(frames) }
            let base = offsets[k] * w
            rows.withUnsafeMutableBufferPointer { buf in
                for (j, f) in frames.enumerated() where j < lengths[k] {
                    features.encode(f, scaler: scaler, style: styles[k], into: buf.baseAddress! + base + j * w)
                }
            }
        }
    }
}
