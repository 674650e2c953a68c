import Rendering

/// Renderer options as the user gives them (`gain` = `0.5`, `bits` = `24`), before a renderer is chosen.
///
/// The options themselves are declared only by the renderers (``RenderOptionSpec``: kind, default, help); this
/// keeps the text and checks it against the spec of each renderer an output uses.
public struct RenderSettings: Sendable, Hashable, Codable {
    /// Option name and text, in the order given; a later value for the same name wins.
    public private(set) var values: [String: String] = [:]

    /// No options.
    public init() {}

    /// Sets option `name` to `text`, checking that some renderer of `registry` declares it and can take the value.
    public mutating func set(_ name: String, to text: String, registry: RendererRegistry = .standard) throws {
        let declaring = registry.renderers.compactMap { r in r.options.first { $0.name == name } }
        guard !declaring.isEmpty else {
            throw ProductionError("unknown render option \"\(name)\"; expected one of \(Self.optionNames(registry).joined(separator: ", "))")
        }
        // Valid for at least one renderer that declares it (bits: 32f is WAV only).
        var lastError: (any Error)?
        for s in declaring {
            do { _ = try s.parse(text); lastError = nil; break } catch { lastError = error }
        }
        if let lastError { throw lastError }
        values[name] = text
    }

    /// These settings with `other`'s values replacing ours.
    public func overridden(by other: RenderSettings) -> RenderSettings {
        var copy = self
        copy.values.merge(other.values) { _, new in new }
        return copy
    }

    /// The typed options for `renderer`: every value parsed by its own spec. With `strict`, an option the renderer
    /// does not declare is an error (one output on the command line); otherwise it is left out (an album's
    /// `bits: 24` concerns its WAV and FLAC files, not its MIDI file).
    public func options(for renderer: any Renderer, strict: Bool) throws -> RenderOptions {
        var options = RenderOptions()
        for (name, text) in values.sorted(by: { $0.key < $1.key }) {
            guard let spec = renderer.options.first(where: { $0.name == name }) else {
                if strict { throw RenderError.unknownOption(name: name, renderer: renderer.name, known: renderer.options.map(\.name)) }
                continue
            }
            options.set(name, try spec.parse(text))
        }
        return options
    }

    /// Every option name some renderer of `registry` declares, in declaration order.
    public static func optionNames(_ registry: RendererRegistry = .standard) -> [String] {
        var names: [String] = []
        for r in registry.renderers { for o in r.options where !names.contains(o.name) { names.append(o.name) } }
        return names
    }

    /// The first declaration of option `name` in `registry` (for help texts).
    public static func declaration(named name: String, in registry: RendererRegistry = .standard) -> RenderOptionSpec? {
        for r in registry.renderers { if let o = r.options.first(where: { $0.name == name }) { return o } }
        return nil
    }
}
