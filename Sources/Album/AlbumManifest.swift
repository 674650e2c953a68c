import Foundation
import MIDI
import Support

/// `manifest.json`: what an album export wrote, enough to verify, resume, merge and rebuild the page.
/// Holds no time stamps or absolute paths, so the same spec gives the same manifest on any machine.
public struct AlbumManifest: Sendable, Hashable, Codable {
    /// Format identifier.
    public var format: String = "tunesmith-album/1"
    /// Album title.
    public var album: String
    /// Artist.
    public var artist: String
    /// Genre, if given.
    public var genre: String?
    /// Comment, if given.
    public var comment: String?
    /// Number of tracks in the whole album (all shards).
    public var trackCount: Int
    /// The part this manifest covers; nil for a whole album.
    public var shard: Shard?
    /// Versions of the tool and the libraries that rendered.
    public var tool: ToolVersions
    /// Completed tracks in track order.
    public var tracks: [TrackRecord]
    /// The album's loudness: mode, target, the album's integrated loudness and largest true peak (nil in older manifests).
    public var loudness: AlbumLoudness?

    /// The file name of a whole album's manifest.
    public static let fileName = "manifest.json"

    /// Reads a manifest; errors name the path.
    public init(contentsOf url: URL) throws(AlbumError) {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .unreadable(path: url.path) }
        do {
            self = try JSONDecoder().decode(AlbumManifest.self, from: data)
        } catch {
            throw .badManifest(path: url.path, reason: "not a tunesmith album manifest (\(Self.reason(error)))")
        }
    }

    /// Creates a manifest.
    public init(album: String, artist: String, genre: String?, comment: String?, trackCount: Int, shard: Shard?,
                tool: ToolVersions, tracks: [TrackRecord]) {
        self.album = album
        self.artist = artist
        self.genre = genre
        self.comment = comment
        self.trackCount = trackCount
        self.shard = shard
        self.tool = tool
        self.tracks = tracks
    }

    /// Pretty, key-sorted JSON with a final newline.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }

    /// Writes atomically, replacing any earlier manifest.
    public func write(to url: URL) throws {
        try AtomicFileWriter(destination: url, overwrite: true).write(try encoded())
    }

    private static func reason(_ error: Error) -> String {
        if case DecodingError.keyNotFound(let key, _) = error { return "missing \(key.stringValue)" }
        if case DecodingError.typeMismatch(_, let c) = error { return "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: "."))" }
        if case DecodingError.dataCorrupted = error { return "invalid JSON" }
        return "\(error)"
    }
}

/// Versions recorded in the manifest.
public struct ToolVersions: Sendable, Hashable, Codable {
    /// Tunesmith's version.
    public var tunesmith: String
    /// libfluidsynth's version.
    public var fluidsynth: String
    /// libsndfile's version.
    public var sndfile: String
}

/// One finished track.
public struct TrackRecord: Sendable, Hashable, Codable {
    /// 1-based track number.
    public var number: Int
    /// Title.
    public var title: String
    /// Generation seed.
    public var seed: UInt64
    /// Resolved options.
    public var options: TrackOptions
    /// The model used.
    public var model: ModelRecord
    /// Length of the music (to the last note-off), in seconds.
    public var durationSeconds: Double
    /// Notes after processing.
    public var notes: Int
    /// Tempo in BPM.
    public var tempoBPM: Double
    /// Key metrics for the page.
    public var metrics: KeyMetrics
    /// The files written, one per format.
    public var files: [FileRecord]
    /// The inline SVG piano roll shown on the page.
    public var pianoRoll: String
    /// The names of the track's parts (its named tracks with notes: Melody, Chords, Bass, Drums, ...), if recorded.
    public var parts: [String]?
    /// The loudness the audio files were written at (nil without audio).
    public var loudness: TrackLoudness?
}

/// The model that generated a track.
public struct ModelRecord: Sendable, Hashable, Codable {
    /// File name of the model.
    public var name: String
    /// SHA-256 of the model file.
    public var sha256: String
    /// Architecture name.
    public var architecture: String
    /// Tunesmith version that trained it.
    public var trainedWith: String
}

/// One output file.
public struct FileRecord: Sendable, Hashable, Codable {
    /// File name inside the album folder.
    public var name: String
    /// Renderer that wrote it.
    public var format: String
    /// Size in bytes.
    public var bytes: Int
    /// SHA-256 (lowercase hex).
    public var sha256: String
    /// The stems written beside the file, one per part, with their sizes and hashes (names relative to the album
    /// folder: `NN - Title.stems/Melody.flac`); nil without stems.
    public var stems: [FileRecord]?
}

/// The metrics shown on the page for each track.
public struct KeyMetrics: Sendable, Hashable, Codable {
    /// Estimated key, e.g. "A minor".
    public var key: String?
    /// Fraction of notes in the estimated key's scale (0 ... 1).
    public var scaleConsistency: Double
    /// Pitch-class entropy in bits.
    public var pitchClassEntropy: Double
    /// Highest minus lowest pitch, in semitones.
    public var pitchRange: Int
    /// Mean number of notes sounding at once.
    public var polyphony: Double
    /// Fraction of onsets on a 16th-note grid.
    public var onsetGrid16Fraction: Double
    /// Mean velocity.
    public var velocityMean: Double
}
