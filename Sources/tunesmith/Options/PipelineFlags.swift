import ArgumentParser
import Processing

/// The processor flags shared by `generate` and `process`: `--pipeline FILE` then each `--process SPEC`, in order.
struct PipelineFlags: ParsableArguments {
    @Option(name: .customLong("process"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("A processor spec name:key=value,...; repeat for a pipeline, in order. Processors: \(ProcessorNames.list).",
                               valueName: "spec"))
    var specs: [String] = []
    @Option(name: .customLong("pipeline"), help: "A pipeline file: one processor spec per line, # comments (run before --process stages).")
    var pipelineFile: String?

    /// Whether any stage was given.
    var isEmpty: Bool { specs.isEmpty && pipelineFile == nil }

    /// The stages of `--pipeline` then `--process`, each checked by the processor registry.
    func pipeline(_ registry: ProcessorRegistry = .standard) throws -> Pipeline {
        var processors: [any PostProcessor] = []
        if let pipelineFile { processors += try registry.makePipeline(fileAt: pipelineFile).processors }
        processors += try registry.makePipeline(specs).processors
        return Pipeline(processors)
    }
}
