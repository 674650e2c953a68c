import Foundation

/// A corpus encoded once into network input rows and cut into shard files, one per part of a data-parallel
/// batch, so that each training process streams only the shards of its parts from disk (no corpus in memory).
///
/// Folder layout: `index.json` (this type) and `part-1.f32` ... `part-P.f32`, each the Float32 little-endian
/// rows (``width`` values per note) of its songs back to back, in ``parts`` order.
public struct ShardedCorpus: Codable, Sendable, Hashable {
    /// Format identifier.
    public var format = "tunesmith-sharded-corpus/1"
    /// The feature configuration the rows were encoded with (a model trained on them uses it).
    public var features: FeatureConfiguration
    /// The scaler fitted on the source songs and applied to every row.
    public var scaler: StandardScaler
    /// Values per row.
    public var width: Int
    /// The source corpus folder.
    public var corpus: String
    /// Songs read from it.
    public var sourceSongs: Int
    /// Per part, the note (row) count of each of its songs in file order.
    public var parts: [[Int32]]

    /// The index file's name.
    public static let indexName = "index.json"

    /// The shard file of part `p` (0-based).
    public static func partName(_ p: Int) -> String { "part-\(p + 1).f32" }

    /// Bytes of part `p`'s shard file.
    public func byteCount(part p: Int) -> Int { parts[p].reduce(0) { $0 + Int($1) } * width * 4 }

    /// Songs in all parts.
    public var songCount: Int { parts.reduce(0) { $0 + $1.count } }

    /// Training windows of part `p` for a look-back (a song of n notes gives n - lookBack).
    public func windowCount(part p: Int, lookBack: Int) -> Int {
        parts[p].reduce(0) { $0 + max(0, Int($1) - lookBack) }
    }

    /// Reads a cache folder's index; errors name the path and say what is wrong. The shard files are checked
    /// when opened (``ShardStream``): a process needs only its own parts' files.
    public init(folder: URL) throws(ShardedCorpusError) {
        let url = folder.appendingPathComponent(Self.indexName)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .unreadable(path: url.path) }
        do {
            self = try JSONDecoder().decode(ShardedCorpus.self, from: data)
        } catch {
            throw .invalid(path: url.path, reason: "not a tunesmith sharded corpus index")
        }
        guard format == "tunesmith-sharded-corpus/1", width == features.inputWidth, !parts.isEmpty else {
            throw .invalid(path: url.path, reason: "unsupported format or inconsistent width")
        }
    }

    /// Creates an index.
    public init(features: FeatureConfiguration, scaler: StandardScaler, corpus: String, sourceSongs: Int, parts: [[Int32]]) {
        self.features = features
        self.scaler = scaler
        self.width = features.inputWidth
        self.corpus = corpus
        self.sourceSongs = sourceSongs
        self.parts = parts
    }
}

/// Why a sharded corpus cannot be built or read.
public enum ShardedCorpusError: Error, Equatable, LocalizedError {
    /// A file is missing or unreadable.
    case unreadable(path: String)
    /// A file is not what the index says.
    case invalid(path: String, reason: String)
    /// The output exists and overwriting was not asked for.
    case outputExists(path: String)
    /// The source corpus has no readable song.
    case noSongs(path: String)
    /// The cache does not fit the training run.
    case mismatch(String)

    /// One-line description.
    public var errorDescription: String? {
        switch self {
        case .unreadable(let p): return "\(p): missing or unreadable (build the cache with tunesmith shard-corpus)"
        case .invalid(let p, let r): return "\(p): \(r)"
        case .outputExists(let p): return "\(p): already exists (use --force to replace it)"
        case .noSongs(let p): return "\(p): no readable MIDI song to encode"
        case .mismatch(let m): return m
        }
    }
}
