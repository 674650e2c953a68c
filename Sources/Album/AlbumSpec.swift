import Foundation
import Rendering

/// Per-album settings, each overridable per track: the generation settings and render options under the command
/// line's names (`length`, `motif-memory`, `gain`, ...), the processors and the formats; absent means "not given here".
public struct TrackSettings: Sendable, Hashable, Codable {
    /// Generation settings by name (``GenerationSettings/declarations``), as text; paths as the spec gives them.
    public var generation: [String: String]
    /// Renderer options by name, as text; paths as the spec gives them.
    public var render: [String: String]
    /// Post-processor specs (`name:k=v,...`), in order.
    public var processors: [String]?
    /// Output formats by renderer name, e.g. `[mid, flac]`.
    public var formats: [String]?
    /// Whether each output also gets its parts as stems (`NN - Title.stems/Melody.ext`, ...).
    public var stems: Bool?

    /// Creates settings.
    public init(generation: [String: String] = [:], render: [String: String] = [:], processors: [String]? = nil, formats: [String]? = nil,
                stems: Bool? = nil) {
        self.generation = generation
        self.render = render
        self.processors = processors
        self.formats = formats
        self.stems = stems
    }

    /// These settings with every value `other` gives replacing ours.
    public func overridden(by other: TrackSettings) -> TrackSettings {
        TrackSettings(generation: generation.merging(other.generation) { _, new in new },
                      render: render.merging(other.render) { _, new in new },
                      processors: other.processors ?? processors, formats: other.formats ?? formats, stems: other.stems ?? stems)
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

/// How an album's tracks are brought to its loudness target.
public enum LoudnessMode: String, Sendable, Hashable, Codable {
    /// Each track to the target on its own.
    case track
    /// One gain for every track, bringing the album as a whole to the target: the tracks keep their relative levels.
    case album
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
    /// `loudness-mode`: each track to the loudness target (default), or the album as a whole.
    public var loudnessMode: LoudnessMode = .track

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

extension AlbumSpec {
    /// A path-valued render option as the renderer takes it: a SoundFont alias (`gm`, `bundled`) as given, else the
    /// path resolved against the spec's folder.
    func resolveRenderPath(_ text: String) -> String {
        SoundFontLocator.aliases.contains(text) ? text : resolve(text).path
    }
}
