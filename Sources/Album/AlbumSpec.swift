import Foundation

/// Per-album settings, each overridable per track; nil means "not given here".
public struct TrackSettings: Sendable, Hashable, Codable {
    /// Model file path (relative to the spec's folder); nil: the default model.
    public var model: String?
    /// Length in `generate` syntax: `200n`, `60s`, `16bars`.
    public var length: String?
    /// Tempo in BPM.
    public var tempo: Double?
    /// General MIDI program 0 ... 127.
    public var program: Int?
    /// Sampling temperature 0 ... 100.
    public var temperature: Double?
    /// Post-processor specs (`name:k=v,...`), in order.
    public var processors: [String]?
    /// SoundFont path (relative to the spec's folder); nil: the bundled one.
    public var soundfont: String?
    /// Output formats by renderer name or extension, e.g. `[mid, flac]`.
    public var formats: [String]?

    /// Creates settings.
    public init(model: String? = nil, length: String? = nil, tempo: Double? = nil, program: Int? = nil, temperature: Double? = nil,
                processors: [String]? = nil, soundfont: String? = nil, formats: [String]? = nil) {
        self.model = model
        self.length = length
        self.tempo = tempo
        self.program = program
        self.temperature = temperature
        self.processors = processors
        self.soundfont = soundfont
        self.formats = formats
    }

    /// These settings with every value `other` gives replacing ours.
    public func overridden(by other: TrackSettings) -> TrackSettings {
        TrackSettings(model: other.model ?? model, length: other.length ?? length, tempo: other.tempo ?? tempo,
                      program: other.program ?? program, temperature: other.temperature ?? temperature,
                      processors: other.processors ?? processors, soundfont: other.soundfont ?? soundfont,
                      formats: other.formats ?? formats)
    }
}

/// One track as the spec lists it.
public struct TrackEntry: Sendable, Hashable {
    /// Title (used in file names, tags, playlist and page).
    public var title: String
    /// Random seed of its generation.
    public var seed: UInt64
    /// Settings overriding the album's.
    public var settings: TrackSettings
    /// Spec line of the entry (for messages).
    public var line: Int

    /// Creates an entry.
    public init(title: String, seed: UInt64, settings: TrackSettings = TrackSettings(), line: Int = 0) {
        self.title = title
        self.seed = seed
        self.settings = settings
        self.line = line
    }
}

/// A parsed album spec: names, album-wide settings and the tracks.
public struct AlbumSpec: Sendable, Hashable {
    /// Album title.
    public var album: String
    /// Artist name.
    public var artist: String
    /// Genre tag (optional).
    public var genre: String?
    /// Free comment (optional); each track's comment tag adds its seed.
    public var comment: String?
    /// Album-wide settings.
    public var settings: TrackSettings
    /// The tracks in order (track numbers are 1-based positions).
    public var tracks: [TrackEntry]
    /// The folder relative paths in the spec are resolved against.
    public var baseFolder: URL

    /// Creates a spec.
    public init(album: String, artist: String, genre: String? = nil, comment: String? = nil, settings: TrackSettings = TrackSettings(),
                tracks: [TrackEntry], baseFolder: URL) {
        self.album = album
        self.artist = artist
        self.genre = genre
        self.comment = comment
        self.settings = settings
        self.tracks = tracks
        self.baseFolder = baseFolder
    }
}
