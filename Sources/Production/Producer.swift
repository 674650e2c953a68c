import Foundation
import Generation
import MIDI
import Processing
import Rendering
import Support

/// The production path's entry point: checks a ``ProductionRequest`` completely before any work, then makes the
/// notes, runs the processors and writes every output.
///
/// ```swift
/// let prepared = try Producer().prepare(request)      // every check: settings, model, renderers, options, outputs
/// let result = try prepared.run(cancellation: flag)    // generate or read -> process -> render each output
/// ```
public struct Producer: Sendable {
    /// The renderers outputs may name.
    public var renderers: RendererRegistry

    /// Creates a producer with a renderer registry.
    public init(renderers: RendererRegistry = .standard) {
        self.renderers = renderers
    }

    /// Checks everything a request needs and sets up its generation: renderers (each looked up once), their options,
    /// the output paths, the model and every generation setting; a time-limited piece longer than an audio output's
    /// `max-length` is refused here, before any work.
    public func prepare(_ request: ProductionRequest) throws -> PreparedProduction {
        let outputs = try request.outputs.map { try prepareOutput($0, overwrite: request.overwrite) }
        try checkDistinct(outputs)
        switch request.source {
        case .file(let url):
            let reading = try Performance.read(contentsOf: url, strict: request.strictReading)
            let performance = reading.performance
            try checkLength(seconds: performance.lengthSeconds, outputs: outputs)
            return PreparedProduction(source: .file(performance, url), pipeline: request.pipeline, outputs: outputs,
                                      overwrite: request.overwrite, readingWarnings: reading.warnings)
        case .generate(let settings, let given):
            let model = try given ?? ProductionModel.load(settings.model)
            let generation = try PreparedGeneration(settings: settings, model: model)
            if let end = generation.generator.plan.endTick {
                try checkLength(seconds: generation.generator.plan.tempoMap.seconds(atTick: end), outputs: outputs)
            }
            return PreparedProduction(source: .generated(generation), pipeline: request.pipeline, outputs: outputs,
                                      overwrite: request.overwrite)
        }
    }

    /// The renderer for an output (looked up once), checked available, with its options validated against its spec.
    func prepareOutput(_ output: OutputRequest, overwrite: Bool) throws -> PreparedOutput {
        let renderer = try output.renderer.map { name throws(RenderError) in try renderers.renderer(named: name) }
            ?? renderers.renderer(forOutput: output.url)
        if let reason = renderer.unavailableReason { throw RenderError.formatUnavailable(renderer: renderer.name, reason: reason) }
        let options = try output.options.validated(against: renderer.options, renderer: renderer.name)
        try RendererRegistry.checkOutput(output.url, overwrite: overwrite)
        return PreparedOutput(url: output.url, renderer: renderer, options: options, tags: output.tags)
    }

    /// Two outputs may not write the same file.
    func checkDistinct(_ outputs: [PreparedOutput]) throws {
        var seen = Set<String>()
        for o in outputs where !seen.insert(o.url.standardizedFileURL.path).inserted {
            throw ProductionError("\(o.url.path): given twice as an output")
        }
    }

    /// Refuses music longer than any output's `max-length` option (seconds), before any work.
    func checkLength(seconds: Double, outputs: [PreparedOutput]) throws {
        for o in outputs {
            if let limit = o.options.number("max-length"), seconds > limit {
                throw RenderError.tooLong(path: o.url.path, seconds: seconds, limit: limit)
            }
        }
    }
}

/// One output ready to render: its renderer (looked up once) and validated options.
public struct PreparedOutput: Sendable {
    /// The file.
    public let url: URL
    /// The renderer.
    public let renderer: any Renderer
    /// Validated options with the declared defaults filled in.
    public let options: ResolvedRenderOptions
    /// Tags for formats that carry them.
    public let tags: AudioTags?
}
