import Foundation
import Processing
import Rendering

/// One request to the production path: where the notes come from, the processors they pass through and the files
/// to write.
///
/// `tunesmith generate`, `render` and `process` each build one; an album builds one per track.
public struct ProductionRequest: Sendable {
    /// Where the notes come from.
    public enum Source: Sendable {
        /// Generate with these settings; `model` is the loaded model when the caller already has it (an album shares
        /// one between tracks), else the settings' model is loaded.
        case generate(GenerationSettings, model: ProductionModel?)
        /// Read a MIDI file.
        case file(URL)
    }

    /// Where the notes come from.
    public var source: Source
    /// Post-processors, run in order.
    public var pipeline: Pipeline
    /// The files to write, each with its renderer and options.
    public var outputs: [OutputRequest]
    /// Whether existing output files may be replaced.
    public var overwrite: Bool
    /// Whether a MIDI file source is read strictly (any damage refuses it) rather than tolerantly (what is
    /// readable is kept; the problems are in ``ProductionResult/readingWarnings``).
    public var strictReading = false

    /// Creates a request.
    public init(source: Source, pipeline: Pipeline = Pipeline([]), outputs: [OutputRequest], overwrite: Bool = false) {
        self.source = source
        self.pipeline = pipeline
        self.outputs = outputs
        self.overwrite = overwrite
    }
}

/// One file to write: its path, the renderer (by name, else by the path's extension), the renderer's options and tags.
public struct OutputRequest: Sendable {
    /// The file.
    public var url: URL
    /// A renderer name, or nil to choose by ``url``'s extension.
    public var renderer: String?
    /// Option values, checked against the renderer's declared options.
    public var options: RenderOptions
    /// Tags for formats that carry them.
    public var tags: AudioTags?

    /// Creates an output request.
    public init(url: URL, renderer: String? = nil, options: RenderOptions = RenderOptions(), tags: AudioTags? = nil) {
        self.url = url
        self.renderer = renderer
        self.options = options
        self.tags = tags
    }
}
