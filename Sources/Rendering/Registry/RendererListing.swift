/// Text descriptions of registered renderers and parsing of option values given by name.
public enum RendererListing {
    /// Every renderer with its extensions, availability and options (name, valid values, default, doc).
    public static func text(_ registry: RendererRegistry) -> String {
        var out = ""
        for r in registry.renderers {
            let status = r.unavailableReason.map { " [unavailable: \($0)]" } ?? ""
            out += "\(r.name) (\(r.fileExtensions.map { "." + $0 }.joined(separator: ", "))): \(r.summary)\(status)\n"
            for o in r.options {
                let def = o.defaultValue.map { " (default \($0))" } ?? ""
                out += "    \(o.name) = \(o.kind.validValues)\(def): \(o.doc)\n"
            }
        }
        return out
    }
}

/// Parses an option's text using the declaration of the renderer that will receive it.
public enum RenderOptionParsing {
    /// The typed value of option `name` for the renderer chosen by `renderer` (a name) or by `output`'s extension.
    public static func value(name: String, text: String, registry: RendererRegistry, renderer: String?, output: String) throws -> RenderOptionValue {
        let chosen: any Renderer
        if let renderer {
            chosen = try registry.renderer(named: renderer)
        } else if let byExt = try? registry.renderer(forOutput: URL(fileURLWithPath: output)) {
            chosen = byExt
        } else {
            chosen = try registry.renderer(named: "wav")  // several inputs into a folder: WAV by default
        }
        guard let spec = chosen.options.first(where: { $0.name == name }) else {
            throw RenderError.unknownOption(name: name, renderer: chosen.name, known: chosen.options.map(\.name))
        }
        return try spec.parse(text)
    }
}

import Foundation
