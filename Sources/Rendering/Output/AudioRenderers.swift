import Foundation
import MIDI

/// WAV audio synthesized by FluidSynth: 16- or 24-bit PCM or 32-bit float.
public struct WAVRenderer: Renderer {
    /// Creates the renderer.
    public init() {}
    /// See ``Renderer/name``.
    public var name: String { "wav" }
    /// See ``Renderer/summary``.
    public var summary: String { "WAV audio (16/24-bit PCM or 32-bit float) synthesized by FluidSynth, written by libsndfile" }
    /// See ``Renderer/fileExtensions``.
    public var fileExtensions: [String] { ["wav"] }
    /// See ``Renderer/playableMediaType``.
    public var playableMediaType: String? { "audio/wav" }
    /// See ``Renderer/options``.
    public var options: [RenderOptionSpec] {
        AudioOptions.common + [
            RenderOptionSpec("bits", .choice(["16", "24", "32f"]), default: .choice("16"), doc: "sample format: 16- or 24-bit integer PCM, or 32-bit float"),
        ]
    }

    /// Renders through FluidSynth and libsndfile (MIDI: through the MIDI writer).
    public func render(_ performance: Performance, to url: URL, options: ResolvedRenderOptions, context: RenderContext) throws -> RenderSummary {
        try job(performance, url, options, context).run()
    }

    /// The mix and its stems (the mix's master gain applied to each stem).
    public func renderStems(_ performance: Performance, to url: URL, options: ResolvedRenderOptions, context: RenderContext) throws -> RenderSummary {
        try StemRenderJob(mix: job(performance, url, options, context)).run()
    }

    private func job(_ performance: Performance, _ url: URL, _ options: ResolvedRenderOptions, _ context: RenderContext) -> AudioRenderJob {
        let encoding = AudioFileFormat.Encoding(rawValue: options.declaredString("bits")) ?? .pcm16
        return AudioRenderJob(performance: performance, url: url, context: context, format: AudioFileFormat(.wav, encoding),
                              compression: nil, options: options, rendererName: name)
    }
}

/// FLAC audio synthesized by FluidSynth: 16- or 24-bit, with a compression level.
public struct FLACRenderer: Renderer {
    /// Creates the renderer.
    public init() {}
    /// See ``Renderer/name``.
    public var name: String { "flac" }
    /// See ``Renderer/summary``.
    public var summary: String { "FLAC audio (16/24-bit, lossless) synthesized by FluidSynth, written by libsndfile" }
    /// See ``Renderer/fileExtensions``.
    public var fileExtensions: [String] { ["flac"] }
    /// See ``Renderer/playableMediaType``.
    public var playableMediaType: String? { "audio/flac" }
    /// See ``Renderer/options``.
    public var options: [RenderOptionSpec] {
        AudioOptions.common + [
            RenderOptionSpec("bits", .choice(["16", "24"]), default: .choice("16"), doc: "sample format: 16- or 24-bit integer"),
            RenderOptionSpec("compression", .number(0...1), default: .number(0.5), doc: "FLAC compression level, 0 (fastest) ... 1 (smallest; libsndfile maps it to FLAC levels 0 ... 8)"),
        ]
    }
    /// Nil when the loaded libsndfile can write this format.
    public var unavailableReason: String? {
        AudioFileFormat(.flac, .pcm16).isSupported() ? nil : "this libsndfile was built without FLAC"
    }

    /// Renders through FluidSynth and libsndfile (MIDI: through the MIDI writer).
    public func render(_ performance: Performance, to url: URL, options: ResolvedRenderOptions, context: RenderContext) throws -> RenderSummary {
        try job(performance, url, options, context).run()
    }

    /// The mix and its stems (the mix's master gain applied to each stem).
    public func renderStems(_ performance: Performance, to url: URL, options: ResolvedRenderOptions, context: RenderContext) throws -> RenderSummary {
        try StemRenderJob(mix: job(performance, url, options, context)).run()
    }

    private func job(_ performance: Performance, _ url: URL, _ options: ResolvedRenderOptions, _ context: RenderContext) -> AudioRenderJob {
        let encoding: AudioFileFormat.Encoding = options.declaredString("bits") == "24" ? .pcm24 : .pcm16
        return AudioRenderJob(performance: performance, url: url, context: context, format: AudioFileFormat(.flac, encoding),
                              compression: options.declaredNumber("compression"), options: options, rendererName: name)
    }
}

/// Ogg Vorbis audio synthesized by FluidSynth, where the loaded libsndfile supports it.
public struct OggVorbisRenderer: Renderer {
    /// Creates the renderer.
    public init() {}
    /// See ``Renderer/name``.
    public var name: String { "ogg" }
    /// See ``Renderer/summary``.
    public var summary: String { "Ogg Vorbis audio (lossy) synthesized by FluidSynth, written by libsndfile" }
    /// See ``Renderer/fileExtensions``.
    public var fileExtensions: [String] { ["ogg", "oga"] }
    /// See ``Renderer/playableMediaType``.
    public var playableMediaType: String? { "audio/ogg" }
    /// See ``Renderer/options``.
    public var options: [RenderOptionSpec] {
        AudioOptions.common + [
            RenderOptionSpec("quality", .number(0...1), default: .number(0.5), doc: "Vorbis VBR quality, 0 (smallest) ... 1 (best)"),
        ]
    }
    /// Nil when the loaded libsndfile can write this format.
    public var unavailableReason: String? {
        AudioFileFormat(.ogg, .vorbis).isSupported() ? nil : "this libsndfile was built without Ogg Vorbis"
    }

    /// Renders through FluidSynth and libsndfile (MIDI: through the MIDI writer).
    public func render(_ performance: Performance, to url: URL, options: ResolvedRenderOptions, context: RenderContext) throws -> RenderSummary {
        try job(performance, url, options, context).run()
    }

    /// The mix and its stems (the mix's master gain applied to each stem; Vorbis is lossy, so they do not null exactly).
    public func renderStems(_ performance: Performance, to url: URL, options: ResolvedRenderOptions, context: RenderContext) throws -> RenderSummary {
        try StemRenderJob(mix: job(performance, url, options, context)).run()
    }

    private func job(_ performance: Performance, _ url: URL, _ options: ResolvedRenderOptions, _ context: RenderContext) -> AudioRenderJob {
        // libsndfile's compression level for Vorbis is the inverse of quality.
        let quality = options.declaredNumber("quality")
        return AudioRenderJob(performance: performance, url: url, context: context, format: AudioFileFormat(.ogg, .vorbis),
                              compression: 1 - quality, options: options, rendererName: name)
    }
}
