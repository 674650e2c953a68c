import Foundation

/// Text descriptions of registered renderers.
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
