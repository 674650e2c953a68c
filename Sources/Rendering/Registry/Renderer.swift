import Foundation
import MIDI
import Support

/// Turns a ``Performance`` into an output file of one format (MIDI, WAV, FLAC, ...).
///
/// A renderer declares its name, the file extensions it writes and its options; the
/// ``RendererRegistry`` picks one by output extension or by name. To add a renderer, write one
/// type conforming to this protocol and add one line to ``RendererRegistry/standard``.
public protocol Renderer: Sendable {
    /// Unique lowercase name, e.g. "wav".
    var name: String { get }
    /// One line describing the output, e.g. "WAV audio (16/24-bit PCM, 32-bit float) via FluidSynth".
    var summary: String { get }
    /// File extensions it writes, lowercase without the dot; the first is the preferred one.
    var fileExtensions: [String] { get }
    /// The options it accepts.
    var options: [RenderOptionSpec] { get }
    /// Nil when the renderer can run here; otherwise why not (e.g. a codec missing from libsndfile).
    var unavailableReason: String? { get }
    /// The media type of its files when a web browser's `<audio>` can play them (`audio/flac`), else nil.
    var playableMediaType: String? { get }

    /// Renders `performance` to `url` (atomically: temporary file + rename; an existing file is
    /// replaced only when `context.overwrite`), with options already validated against ``options``.
    func render(_ performance: Performance, to url: URL, options: ResolvedRenderOptions, context: RenderContext) throws -> RenderSummary

    /// Renders `performance` to `url` as ``render(_:to:options:context:)`` does, plus one file per part
    /// (``MIDI/Performance/parts``) in ``StemFolder/url(for:)`` (`OUT.stems/Melody.ext`, ...); the returned summary
    /// lists them in ``RenderSummary/stems``. Audio renderers apply the mix's master gain to every stem, so the stems
    /// sum to the mix.
    func renderStems(_ performance: Performance, to url: URL, options: ResolvedRenderOptions, context: RenderContext) throws -> RenderSummary
}

/// How one render runs: overwrite permission, a cancellation flag, tags, threads, progress, and the mix memory and
/// SoundFont copies it shares with the renders before and after it.
public struct RenderContext: Sendable {
    /// Whether an existing output may be replaced.
    public var overwrite: Bool
    /// Set from another thread (e.g. on Ctrl-C) to stop the render; it then throws ``RenderError/cancelled`` and leaves no file.
    public var cancellation: Cancellation
    /// Text tags written into every audio file (FLAC and Ogg Vorbis comments, a WAV INFO chunk); nil writes none.
    public var tags: AudioTags?
    /// Synthesis threads when the `threads` option is not given (nil: ``SynthesisSettings/defaultThreads(concurrentRenders:)``);
    /// set by callers running several renders at once so they do not oversubscribe the cores.
    public var synthesisThreads: Int?
    /// Hears the render's progress, 0 ... 1, from the rendering thread (nil: nobody listens).
    public var progress: (@Sendable (Double) -> Void)?
    /// Memory for the mix between an audio render's two passes, shared by renders that follow one another (an album's
    /// tracks, a production's outputs and stems); nil: each render maps its own.
    public var mixMemory: MixMemory?
    /// Loaded SoundFont copies, shared likewise by renders that follow one another; nil: each render loads its own.
    public var soundFonts: SoundFontShelf?

    /// Creates a context.
    public init(overwrite: Bool = false, cancellation: Cancellation = Cancellation(), tags: AudioTags? = nil,
                synthesisThreads: Int? = nil, progress: (@Sendable (Double) -> Void)? = nil, mixMemory: MixMemory? = nil,
                soundFonts: SoundFontShelf? = nil) {
        self.progress = progress
        self.mixMemory = mixMemory
        self.soundFonts = soundFonts
        self.overwrite = overwrite
        self.cancellation = cancellation
        self.tags = tags
        self.synthesisThreads = synthesisThreads
    }
}

extension Renderer {
    /// Available unless the renderer says otherwise.
    public var unavailableReason: String? { nil }
    /// Not playable in a browser unless the renderer says otherwise.
    public var playableMediaType: String? { nil }

    /// The mix, then each part rendered alone by ``render(_:to:options:context:)`` into the stems folder.
    public func renderStems(_ performance: Performance, to url: URL, options: ResolvedRenderOptions, context: RenderContext) throws -> RenderSummary {
        try StemFolder.check(output: url, overwrite: context.overwrite)
        var summary = try render(performance, to: url, options: options, context: context)
        var inner = context
        inner.overwrite = true
        summary.stems = try StemFolder.write(output: url, overwrite: context.overwrite) { folder in
            try performance.parts.map { part in
                let file = folder.appendingPathComponent(StemFolder.fileName(part: part.name, ext: url.pathExtension))
                var stem = try render(performance.isolating(part), to: file, options: options, context: inner)
                stem.path = StemFolder.url(for: url).appendingPathComponent(file.lastPathComponent).path
                stem.part = part.name
                return stem
            }
        }
        return summary
    }
}

/// What a render produced.
public struct RenderSummary: Sendable, Hashable {
    /// The file written.
    public var path: String
    /// The renderer used.
    public var renderer: String
    /// Audio frames written (0 for non-audio outputs).
    public var frames: Int
    /// Sample rate in Hz (0 for non-audio outputs).
    public var sampleRate: Int
    /// Frames of the music itself, up to the last note-off (0 for non-audio outputs).
    public var musicFrames: Int
    /// Largest absolute sample value written, before integer quantisation (0 ... 1).
    public var peak: Double
    /// FluidSynth instances used (audio only).
    public var synthInstances: Int = 0
    /// Frames rendered summed over instances (audio only): synthesis work relative to ``frames``.
    public var instanceFrames: Int = 0
    /// The part this file holds, for a stem (nil for a mix).
    public var part: String?
    /// The stems written beside this file (`OUT.stems/...`), in part order; empty without stems.
    public var stems: [RenderSummary] = []
    /// What the master stage did: loudness before and after, gain, limiter (audio only).
    public var master: MasterReport?
    /// The K-weighted energy of every 100 ms block of the audio as written (audio mixes only; empty otherwise): what an
    /// album's loudness is gated from without decoding the file again (``LoudnessMeter/integrated(ofBlocks:)``).
    public var blockEnergies: [Double] = []

    /// Creates a summary.
    public init(path: String, renderer: String, frames: Int = 0, sampleRate: Int = 0, musicFrames: Int = 0, peak: Double = 0) {
        self.path = path
        self.renderer = renderer
        self.frames = frames
        self.sampleRate = sampleRate
        self.musicFrames = musicFrames
        self.peak = peak
    }

    /// Length of the written audio in seconds.
    public var seconds: Double { sampleRate > 0 ? Double(frames) / Double(sampleRate) : 0 }
    /// Length of the release tail after the last note-off, in seconds.
    public var tailSeconds: Double { sampleRate > 0 ? Double(frames - musicFrames) / Double(sampleRate) : 0 }
}
