import Foundation
import Support

/// A corpus read once into a compact file of note frames, streamed song by song during training so memory stays
/// bounded by a batch, whatever the corpus size (`tunesmith train --cache FILE`).
///
/// Format (little-endian): magic `TSCACHE\n`, UInt32 version (1), UInt32 zero; then every song's frames, each 8
/// Float32 (note, velocity, time delta s, duration s, program, time step in beats, length in beats, bar position in
/// beats; NaN for a missing value); then a JSON index (``Index``: corpus, drums, per song its path, first frame, frame
/// count and pitch range; the unreadable files); then UInt64 index offset, UInt64 index length and the magic again.
/// Songs are in path order with unreadable files left out, exactly as ``Corpus`` lists them, so song-level splits agree.
public final class SongCache: @unchecked Sendable {
    /// The magic at both ends of the file.
    static let magic: [UInt8] = Array("TSCACHE\n".utf8)
    /// Float32 values per frame.
    static let frameValues = 8

    /// The cache's index.
    public struct Index: Codable, Sendable {
        /// One song.
        public struct Song: Codable, Sendable {
            /// The MIDI file.
            public var path: String
            /// Its first frame in the file.
            public var offset: Int
            /// Its frames.
            public var count: Int
            /// Its lowest and highest pitch.
            public var low: Int, high: Int
        }
        /// The corpus folder the cache was built from.
        public var corpus: String
        /// MIDI files found (read or not).
        public var files: Int
        /// Whether drum notes were kept.
        public var includeDrums: Bool
        /// The songs, in path order.
        public var songs: [Song]
        /// Files that could not be read, with the reader's message.
        public var failures: [String]
    }

    /// The index.
    public let index: Index
    private let descriptor: Int32
    private let path: String

    /// Opens a cache file.
    public init(url: URL) throws {
        path = url.path
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw FileError.system(path: url.path, operation: "open", reason: String(cString: strerror(errno))) }
        descriptor = fd
        let size = lseek(fd, 0, SEEK_END)
        func bytes(_ offset: Int, _ count: Int) throws -> [UInt8] {
            var b = [UInt8](repeating: 0, count: count)
            let n = b.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            guard n == count else { throw ModelFileError.truncated(path: url.path) }
            return b
        }
        guard size >= 40, try bytes(0, 8) == Self.magic, try bytes(Int(size) - 8, 8) == Self.magic else {
            close(fd)
            throw ModelFileError.invalidHeader(path: url.path, reason: "not a Tunesmith song cache")
        }
        let trailer = try bytes(Int(size) - 24, 16)
        func u64(_ o: Int) -> Int { Int((0..<8).reduce(UInt64(0)) { $0 | UInt64(trailer[o + $1]) << (8 * UInt64($1)) }) }
        let (at, length) = (u64(0), u64(8))
        guard at >= 16, length > 0, at + length <= Int(size) - 24 else {
            close(fd)
            throw ModelFileError.invalidHeader(path: url.path, reason: "song cache index lies outside the file")
        }
        do {
            index = try JSONDecoder().decode(Index.self, from: Data(try bytes(at, length)))
        } catch {
            close(fd)
            throw ModelFileError.invalidHeader(path: url.path, reason: "song cache index: \(error)")
        }
    }

    deinit { close(descriptor) }

    /// Number of songs.
    public var count: Int { index.songs.count }

    /// The frames of song `i`, read from the file.
    public func frames(_ i: Int) throws -> [FeatureFrame] {
        let s = index.songs[i]
        let n = s.count * Self.frameValues
        var values = [Float](repeating: 0, count: n)
        let read = values.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, n * 4, off_t(16 + s.offset * Self.frameValues * 4)) }
        guard read == n * 4 else { throw ModelFileError.truncated(path: path) }
        func opt(_ v: Float) -> Double? { v.isNaN ? nil : Double(v) }
        return (0..<s.count).map { j in
            let v = j * Self.frameValues
            var f = FeatureFrame(note: Double(values[v]), velocity: Double(values[v + 1]), timeDelta: Double(values[v + 2]),
                                 duration: opt(values[v + 3]), program: opt(values[v + 4]))
            f.beatDelta = opt(values[v + 5]); f.beatDuration = opt(values[v + 6]); f.barPosition = opt(values[v + 7])
            return f
        }
    }

    /// Reads every MIDI file under `corpus` (at most `limit`) in groups of `group` files (each group in parallel) and
    /// writes the cache atomically to `url`; memory holds one group's songs at a time. `progress(done, total)` after
    /// each group.
    public static func build(corpus: URL, includeDrums: Bool, limit: Int? = nil, to url: URL, group: Int = 64,
                             progress: (Int, Int) -> Void = { _, _ in }) throws -> Index {
        var files = try Corpus.midiFiles(in: corpus)
        if let limit { files = Array(files.prefix(limit)) }
        let configuration = FeatureConfiguration(includeDrums: includeDrums, encoding: InputEncoding(metre: true))
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw FileError.folderNotWritable(path: url.path)
        }
        defer { try? FileManager.default.removeItem(at: temporary) }
        let handle = try FileHandle(forWritingTo: temporary)
        defer { try? handle.close() }
        var head = magic
        head += [1, 0, 0, 0, 0, 0, 0, 0]
        try handle.write(contentsOf: head)
        var songs: [Index.Song] = [], failures: [String] = []
        var written = 0
        var start = 0
        while start < files.count {
            let part = Array(files[start..<min(files.count, start + group)])
            let read = Corpus(files: part, configuration: configuration)
            failures += read.failures.map { "\($0.message)" }
            var buffer = [UInt8]()
            for song in read.songs {
                var lo = 127, hi = 0
                for f in song.frames {
                    let p = Int(f.note.rounded()); lo = min(lo, p); hi = max(hi, p)
                    for v in [f.note, f.velocity, f.timeDelta, f.duration ?? .nan, f.program ?? .nan, f.beatDelta ?? .nan, f.beatDuration ?? .nan,
                              f.barPosition ?? .nan] {
                        let bits = Float(v).bitPattern
                        buffer += [UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 24)]
                    }
                }
                songs.append(Index.Song(path: song.path, offset: written, count: song.frames.count, low: lo <= hi ? lo : 60, high: lo <= hi ? hi : 60))
                written += song.frames.count
            }
            try handle.write(contentsOf: buffer)
            start += group
            progress(min(start, files.count), files.count)
        }
        let index = Index(corpus: corpus.standardizedFileURL.path, files: files.count, includeDrums: includeDrums, songs: songs, failures: failures)
        let json = Array(try JSONEncoder().encode(index))
        let at = 16 + written * frameValues * 4
        var tail = json
        for v in [UInt64(at), UInt64(json.count)] { for i in 0..<8 { tail.append(UInt8(v >> (8 * UInt64(i)) & 0xFF)) } }
        tail += magic
        try handle.write(contentsOf: tail)
        try handle.synchronize()
        try handle.close()
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.moveItem(at: temporary, to: url)
        return index
    }

    /// The cache at `url` when it was built from `corpus` with the same drum setting and file count, else a new one
    /// built there.
    public static func openOrBuild(corpus: URL, includeDrums: Bool, limit: Int?, at url: URL, progress: (Int, Int) -> Void = { _, _ in }) throws -> SongCache {
        if FileManager.default.fileExists(atPath: url.path), let c = try? SongCache(url: url) {
            var files = try Corpus.midiFiles(in: corpus)
            if let limit { files = Array(files.prefix(limit)) }
            if c.index.corpus == corpus.standardizedFileURL.path, c.index.includeDrums == includeDrums, c.index.files == files.count { return c }
        }
        _ = try build(corpus: corpus, includeDrums: includeDrums, limit: limit, to: url, progress: progress)
        return try SongCache(url: url)
    }
}

/// Some songs of a ``SongCache`` (a side of a split), each with its style, as a ``SongSource``.
public struct CachedSongs: SongSource {
    /// The cache.
    public let cache: SongCache
    /// Song indices in the cache.
    public let ids: [Int]
    /// Style of each selected song.
    public let styles: [Int?]

    /// Selects songs `ids` of `cache` with their styles (one per id, or empty for none).
    public init(cache: SongCache, ids: [Int], styles: [Int?] = []) {
        self.cache = cache
        self.ids = ids
        self.styles = styles.isEmpty ? ids.map { _ in nil } : styles
    }

    public var count: Int { ids.count }
    public func length(_ index: Int) -> Int { cache.index.songs[ids[index]].count }
    public func style(_ index: Int) -> Int? { styles[index] }
    public func pitchRange(_ index: Int) -> (low: Int, high: Int) { let s = cache.index.songs[ids[index]]; return (s.low, s.high) }
    public func frames(_ index: Int) throws -> [FeatureFrame] { try cache.frames(ids[index]) }
}

extension StandardScaler {
    /// Fits the scaler to every frame of `source`'s songs, reading one song at a time.
    public init(streaming source: any SongSource) throws {
        var n = 0.0
        var sum = [0.0, 0.0, 0.0], sq = [0.0, 0.0, 0.0]
        for i in 0..<source.count {
            for f in try source.frames(i) {
                let v = [f.note, f.velocity, f.timeDelta]
                for k in 0..<3 { sum[k] += v[k]; sq[k] += v[k] * v[k] }
                n += 1
            }
        }
        let m = (0..<3).map { n > 0 ? sum[$0] / n : 0 }
        let s = (0..<3).map { k -> Double in
            let sd = (n > 0 ? max(0, sq[k] / n - m[k] * m[k]) : 0).squareRoot()
            return sd > 1e-12 ? sd : 1
        }
        self.init(mean: m, scale: s)
    }
}
