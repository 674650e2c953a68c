import Foundation
import MIDI

/// The renderers Tunesmith knows, looked up by output file extension or by name.
public struct RendererRegistry: Sendable {
    /// Registered renderers in registration order.
    public private(set) var renderers: [any Renderer] = []

    /// Creates an empty registry.
    public init() {}

    /// Adds a renderer; a later renderer with the same name or extension wins lookups.
    public mutating func register(_ renderer: any Renderer) {
        renderers.removeAll { $0.name == renderer.name }
        renderers.append(renderer)
    }

    /// Every registered name.
    public var names: [String] { renderers.map(\.name) }

    /// Every extension some renderer writes.
    public var fileExtensions: [String] { renderers.flatMap(\.fileExtensions) }

    /// The renderer with this name (case-insensitive).
    public func renderer(named name: String) throws(RenderError) -> any Renderer {
        let key = name.lowercased()
        guard let r = renderers.last(where: { $0.name == key }) else {
            throw .unknownRenderer(name: name, known: names)
        }
        return r
    }

    /// The renderer for an output path, chosen by its extension (case-insensitive).
    public func renderer(forOutput url: URL) throws(RenderError) -> any Renderer {
        let ext = url.pathExtension.lowercased()
        guard !ext.isEmpty, let r = renderers.last(where: { $0.fileExtensions.contains(ext) }) else {
            throw .unknownExtension(path: url.path, known: fileExtensions)
        }
        return r
    }

    /// Chooses a renderer (by `name`, else by the output's extension), checks it is available,
    /// validates `options` against it and renders.
    public func render(
        _ performance: Performance, to url: URL, renderer name: String? = nil,
        options: RenderOptions = RenderOptions(), context: RenderContext = RenderContext()
    ) throws -> RenderSummary {
        let renderer = try name.map { name throws(RenderError) in try self.renderer(named: name) } ?? self.renderer(forOutput: url)
        if let reason = renderer.unavailableReason { throw RenderError.formatUnavailable(renderer: renderer.name, reason: reason) }
        let resolved = try options.validated(against: renderer.options, renderer: renderer.name)
        return try renderer.render(performance, to: url, options: resolved, context: context)
    }

    /// Same as ``render(_:to:renderer:options:context:)`` with only an overwrite permission.
    public func render(
        _ performance: Performance, to url: URL, renderer name: String? = nil,
        options: RenderOptions = RenderOptions(), overwrite: Bool
    ) throws -> RenderSummary {
        try render(performance, to: url, renderer: name, options: options, context: RenderContext(overwrite: overwrite))
    }
}
