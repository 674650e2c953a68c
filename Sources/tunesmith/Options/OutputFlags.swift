import Processing
import Rendering

/// Names the registries hold, for help texts (so help never lists a format or processor that does not exist).
enum ProcessorNames {
    /// The standard processors' names, comma separated.
    static var list: String { ProcessorRegistry.standard.names.joined(separator: ", ") }
}

/// Output formats the renderer registry writes, for help texts.
enum OutputFormats {
    /// `.mid, .wav, .flac, .ogg, .oga`.
    static var extensions: String { RendererRegistry.standard.fileExtensions.map { "." + $0 }.joined(separator: ", ") }
    /// `mid, wav, flac, ogg`.
    static var names: String { RendererRegistry.standard.names.joined(separator: ", ") }
    /// `.mid, .wav, .flac or .ogg` (each renderer's preferred extension).
    static var preferred: String {
        let exts = RendererRegistry.standard.renderers.map { "." + $0.fileExtensions[0] }
        guard exts.count > 1 else { return exts.joined() }
        return exts.dropLast().joined(separator: ", ") + " or " + exts.last!
    }
}
