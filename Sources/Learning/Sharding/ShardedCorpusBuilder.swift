import Foundation
import Support

/// Writes a ``ShardedCorpus``: reads a MIDI folder, fits the scaler on its songs, and encodes `songs` songs
/// (the corpus's songs, then their ``SongVariant`` copies 1, 2, ... in turn) into `parts` shard files, song
/// `i` going to part `i mod parts`. Streams: one song's rows at a time, never the whole output in memory.
/// The cache appears complete or not at all (written in a temporary folder beside it, then renamed).
public struct ShardedCorpusBuilder: Sendable {
    /// The MIDI folder.
    public var corpus: URL
    /// The cache folder to write.
    public var output: URL
    /// Features to encode.
    public var features: FeatureConfiguration
    /// Shard files (the parts of a training batch).
    public var parts: Int
    /// Songs to write (nil: the corpus once).
    public var songs: Int?
    /// Read at most this many MIDI files.
    public var fileLimit: Int?
    /// Replace an existing cache.
    public var overwrite = false

    /// Creates a builder.
    public init(corpus: URL, output: URL, features: FeatureConfiguration, parts: Int, songs: Int? = nil, fileLimit: Int? = nil) {
        self.corpus = corpus
        self.output = output
        self.features = features
        self.parts = parts
        self.songs = songs
        self.fileLimit = fileLimit
    }

    /// What a build wrote.
    public struct Summary: Sendable {
        /// The index written.
        public var index: ShardedCorpus
        /// Notes (rows) written.
        public var rows: Int
        /// Bytes of the shard files.
        public var bytes: Int
        /// MIDI files that could not be read.
        public var failures: [CorpusFailure]
    }

    /// Builds the cache; `progress` gets the songs written so far.
    public func run(progress: (Int) -> Void = { _ in }) throws -> Summary {
        let fm = FileManager.default
        if fm.fileExists(atPath: output.path) && !overwrite { throw ShardedCorpusError.outputExists(path: output.path) }
        let source = try Corpus(folder: corpus, configuration: features, limit: fileLimit)
        let originals = source.songs.filter { !$0.frames.isEmpty }
        guard !originals.isEmpty else { throw ShardedCorpusError.noSongs(path: corpus.path) }
        let scaler = StandardScaler(fitting: originals.map(\.frames))
        let total = songs ?? originals.count
        let parent = output.deletingLastPathComponent()
        let temp = parent.appendingPathComponent(".\(output.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        try? fm.removeItem(at: temp)
        do {
            try fm.createDirectory(at: temp, withIntermediateDirectories: false)
        } catch {
            throw FileError.folderNotWritable(path: output.path)
        }
        do {
            let handles: [FileHandle] = try (0..<parts).map { p in
                let path = temp.appendingPathComponent(ShardedCorpus.partName(p)).path
                guard fm.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
                    throw FileError.folderNotWritable(path: path)
                }
                return h
            }
            defer { for h in handles { try? h.close() } }
            var counts = [[Int32]](repeating: [], count: parts)
            var rows = 0
            for i in 0..<total {
                let song = originals[i % originals.count]
                let frames = SongVariant(copy: i / originals.count).apply(song.frames)
                let encoded = features.encode(frames, scaler: scaler)
                let p = i % parts
                try encoded.withUnsafeBytes { try handles[p].write(contentsOf: Data($0)) }
                counts[p].append(Int32(frames.count))
                rows += frames.count
                if (i + 1) % 1000 == 0 || i + 1 == total { progress(i + 1) }
            }
            for h in handles { try h.synchronize() }
            let index = ShardedCorpus(features: features, scaler: scaler, corpus: corpus.path, sourceSongs: originals.count, parts: counts)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(index).write(to: temp.appendingPathComponent(ShardedCorpus.indexName))
            if fm.fileExists(atPath: output.path) { try fm.removeItem(at: output) }
            try fm.moveItem(at: temp, to: output)
            return Summary(index: index, rows: rows, bytes: rows * features.inputWidth * 4, failures: source.failures)
        } catch {
            try? fm.removeItem(at: temp)
            throw error
        }
    }
}
