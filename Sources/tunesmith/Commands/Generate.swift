import ArgumentParser
import Foundation
import Generation
import MIDI
import Production
import Support

/// `tunesmith generate -o OUT`: generates a piece with a model, shapes it with post-processors and renders it,
/// all through the production path (or streams the notes as JSON Lines).
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate music with a trained model and render it to \(OutputFormats.preferred).",
        discussion: """
        Without --model the embedded default model is used. Generation starts from random values, from the end of \
        --primer FILE, or from a song of --corpus FOLDER chosen by the seed. The same --seed and settings give \
        byte-identical files, here and in an album; without --seed a random seed is drawn and printed. --process stages \
        (see `tunesmith plugins`) run in order after generation. --stream writes each note to standard output as a JSON \
        line as soon as it is generated. Ctrl-C stops at once and leaves no file.
        """
    )

    @OptionGroup(title: "Generation") var generation: GenerationFlags
    @OptionGroup(title: "Processing") var processing: PipelineFlags
    @OptionGroup(title: "Audio output") var rendering: RenderFlags
    @Option(name: .shortAndLong, help: "Output file; its extension picks the renderer (\(OutputFormats.extensions)).") var output: String?
    @Flag(help: "Write each note to standard output as a JSON line as it is generated.") var stream = false
    @Flag(help: "Replace the output file if it exists.") var force = false
    @Flag(help: "Also write one file per part (Melody, Chords, Bass, Drums, ...) in OUT.stems/ beside the output; audio stems sum to the mix.") var stems = false
    @Flag(help: "Print generation, processing and render times.") var timing = false

    func run() throws {
        try Interruptible.run { cancellation in
            let prepared = try Producer().prepare(try request())
            let progress = stream ? nil : RenderProgress()
            let result = stream ? try streamed(prepared, cancellation: cancellation)
                : try prepared.run(cancellation: cancellation, renderProgress: progress?.callback)
            progress?.finish()
            guard let output else { return }
            report(result, output: output)
        }
    }

    /// The production request, checked as far as the flags alone allow.
    func request() throws -> ProductionRequest {
        let settings = try generation.settings()
        let length = try settings.parsedLength()
        if length == .endless && (!stream || output != nil) {
            throw CommandFailure("--length endless needs --stream and no -o (an endless piece has no file)")
        }
        guard stream || output != nil else { throw CommandFailure("no output given (use -o OUT with \(OutputFormats.preferred), or --stream)") }
        if stream && !processing.isEmpty { throw CommandFailure("--process needs the whole piece and cannot be combined with --stream") }
        let render = try rendering.settings()
        var outputs: [OutputRequest] = []
        if let output {
            let url = URL(fileURLWithPath: output)
            let renderer = try Producer().renderers.renderer(forOutput: url)
            outputs.append(OutputRequest(url: url, renderer: renderer.name, options: try render.options(for: renderer, strict: true),
                                         tags: rendering.tags, stems: stems))
        } else if stems {
            throw CommandFailure("--stems needs an output file (-o)")
        } else if !render.values.isEmpty || rendering.title != nil {
            throw CommandFailure("render options need an output file (-o)")
        }
        return ProductionRequest(source: .generate(settings, model: nil), pipeline: try processing.pipeline(), outputs: outputs,
                                 overwrite: force)
    }

    /// Streams each note as a JSON line while generating, then finishes any output from the notes streamed.
    func streamed(_ prepared: PreparedProduction, cancellation: Cancellation) throws -> ProductionResult {
        guard let generation = prepared.generation else { throw CommandFailure("nothing to stream") }
        signal(SIGPIPE, SIG_IGN)
        var engine = generation.generator.makeEngine()
        var notes: [Note] = []
        let tempoMap = generation.generator.plan.tempoMap
        while let note = engine.next() {
            if cancellation.isCancelled { throw GenerationError.cancelled }
            if !StandardStream.write(NoteJSONLine.line(note, tempoMap: tempoMap), to: StandardStream.output) { break }
            if output != nil { notes.append(note) }
        }
        return try prepared.finish(generation.generator.performance(of: notes), steps: engine.steps, cancellation: cancellation)
    }

    /// The summary line (on standard error when the notes went to standard output) and the timings.
    func report(_ result: ProductionResult, output: String) {
        let info = stream ? StandardStream.error : StandardStream.output
        var line = "\(output): \(result.summary)"
        if let m = result.files.lazy.compactMap(\.master).first { line += ", " + Render.loudnessText(m) }
        StandardStream.write(line + "\n", to: info)
        for file in result.files where !file.stems.isEmpty {
            StandardStream.write("stems: " + file.stems.map { $0.path }.joined(separator: ", ") + "\n", to: info)
        }
        guard timing else { return }
        let t = result.timing
        StandardStream.write(String(format: "timing: generate %.3f ms, %.3f ms CPU (%d notes, %.0f notes/s; %d model steps, %.0f steps/s), process %.3f ms, render %.3f ms\n",
                                    t.generation * 1e3, t.generationCPU * 1e3, result.generatedNotes, Double(result.generatedNotes) / max(t.generation, 1e-9),
                                    result.steps, Double(result.steps) / max(t.generation, 1e-9), t.processing * 1e3, t.rendering * 1e3), to: info)
    }
}
