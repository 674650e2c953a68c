import Foundation

/// The resolved options of one track: album settings with the track's overrides and the album's defaults filled in.
public struct TrackOptions: Sendable, Hashable, Codable {
    /// Generation settings given (with the album's default length), by name, as text.
    public var settings: [String: String]
    /// Renderer options given, by name, as text.
    public var render: [String: String]
    /// Post-processor specs in order.
    public var processors: [String]
    /// Renderer names, e.g. ["mid", "flac"].
    public var formats: [String]
    /// True when every output also gets its parts as stems; nil (not recorded) otherwise.
    public var stems: Bool?

    /// Default length when none is given.
    public static let defaultLength = "60s"
    /// Default formats when none are given.
    public static let defaultFormats = ["mid", "flac"]

    /// Resolves settings (album then track) with the defaults.
    public init(_ s: TrackSettings) {
        settings = s.generation
        if settings["length"] == nil { settings["length"] = Self.defaultLength }
        render = s.render
        processors = s.processors ?? []
        formats = s.formats ?? Self.defaultFormats
        stems = s.stems == true ? true : nil
    }

    /// The model as the spec gives it, or "default" for the embedded default model.
    public var model: String { settings["model"] ?? "default" }
}

/// One track to produce: number, title, seed, options and file names.
public struct PlannedTrack: Sendable, Hashable {
    /// 1-based track number.
    public var number: Int
    /// Title.
    public var title: String
    /// Generation seed.
    public var seed: UInt64
    /// Resolved options.
    public var options: TrackOptions
    /// `NN - Title` (no extension).
    public var stem: String

    /// The file name for a renderer's preferred extension.
    public func fileName(extension ext: String) -> String { "\(stem).\(ext)" }
}

/// Which part of an album one machine renders: the `index`-th (1-based) of `count` disjoint parts.
public struct Shard: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1-based part number.
    public var index: Int
    /// Number of parts.
    public var count: Int

    /// Parses `i/n` (1 <= i <= n <= 10000).
    public init(parsing text: String) throws(AlbumError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let n = Int(parts[1].trimmingCharacters(in: .whitespaces)), n >= 1, n <= 10_000, i >= 1, i <= n else {
            throw .badShard(text)
        }
        index = i
        count = n
    }

    /// Creates a shard.
    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Whether track `number` (1-based) belongs to this part (round robin, so parts get similar work).
    public func contains(track number: Int) -> Bool { (number - 1) % count == index - 1 }

    /// `i/n`.
    public var description: String { "\(index)/\(count)" }

    /// The manifest file name of this part.
    public var manifestName: String { "manifest.shard-\(index)-of-\(count).json" }
}

extension AlbumSpec {
    /// Every track with resolved options, in order.
    public var plannedTracks: [PlannedTrack] {
        tracks.enumerated().map { i, t in
            PlannedTrack(number: i + 1, title: t.title, seed: t.seed, options: TrackOptions(settings.overridden(by: t.settings)),
                         stem: FileNaming.stem(number: i + 1, title: t.title, count: tracks.count))
        }
    }

    /// A model or SoundFont path as the spec gives it, resolved against the spec's folder.
    public func resolve(_ given: String) -> URL {
        given.hasPrefix("/") ? URL(fileURLWithPath: given) : baseFolder.appendingPathComponent(given)
    }
}
