import Foundation
import MIDI

/// Standard MIDI File output: the performance written back through the note model and the MIDI writer.
public struct MIDIRenderer: Renderer {
    /// Creates the renderer.
    public init() {}
    /// See ``Renderer/name``.
    public var name: String { "mid" }
    /// See ``Renderer/summary``.
    public var summary: String { "Standard MIDI File (format 0 or 1) through Tunesmith's MIDI writer" }
    /// See ``Renderer/fileExtensions``.
    public var fileExtensions: [String] { ["mid", "midi", "smf"] }
    /// See ``Renderer/options``.
    public var options: [RenderOptionSpec] {
        [RenderOptionSpec("format", .integer(0...1), default: .integer(1), doc: "SMF format: 1 (one track per note track) or 0 (one merged track)")]
    }

    /// Renders through FluidSynth and libsndfile (MIDI: through the MIDI writer).
    public func render(_ performance: Performance, to url: URL, options: ResolvedRenderOptions, context: RenderContext) throws -> RenderSummary {
        try performance.midiFile(format: options.declaredInteger("format")).write(to: url, overwrite: context.overwrite)
        return RenderSummary(path: url.path, renderer: name)
    }
}
