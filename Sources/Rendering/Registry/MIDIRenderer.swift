import Foundation
import MIDI

/// Standard MIDI File output: the performance written back through the note model and the MIDI writer.
public struct MIDIRenderer: Renderer {
    /// Creates the renderer.
    public init() {}
    /// See ``Renderer/name``.
    public var name: String { "mid" }
    /// See ``Renderer/summary``.
    public var summary: String { "Standard MIDI File (format 0, 1 or 2; by default the source's) through Tunesmith's MIDI writer, keeping sysex and meta events" }
    /// See ``Renderer/fileExtensions``.
    public var fileExtensions: [String] { ["mid", "midi", "smf"] }
    /// See ``Renderer/options``.
    public var options: [RenderOptionSpec] {
        [RenderOptionSpec("format", .choice(["auto", "0", "1", "2"]), default: .choice("auto"),
                          doc: "SMF format: auto (the source file's; 1 for generated music), 1 (one track per note track), 0 (one merged track) or 2 (independent patterns)")]
    }

    /// Renders through FluidSynth and libsndfile (MIDI: through the MIDI writer).
    public func render(_ performance: Performance, to url: URL, options: ResolvedRenderOptions, context: RenderContext) throws -> RenderSummary {
        try performance.writeMIDI(to: url, format: Int(options.declaredString("format")), overwrite: context.overwrite)
        return RenderSummary(path: url.path, renderer: name)
    }
}
