import Foundation
import Generation
import MIDI
import Processing
import Rendering
import Support

/// A checked request, ready to run: ``run(cancellation:synthesisThreads:stage:)`` makes the notes, processes them
/// and writes every output; each file appears complete or not at all.
public struct PreparedProduction: Sendable {
    /// Where the notes come from, resolved.
    public enum Source: Sendable {
        /// A generation.
        case generated(PreparedGeneration)
        /// A MIDI file already read (and its path).
        case file(Performance, URL)
    }

    /// Where the notes come from.
    public let source: Source
    /// The processors.
    public let pipeline: Pipeline
    /// The outputs, in the order given.
    public let outputs: [PreparedOutput]
    /// Whether existing files may be replaced.
    public let overwrite: Bool
    /// Problems tolerant reading of a MIDI file source worked around (one per kind and track).
    public var readingWarnings: [MIDIWarning] = []

    /// The generation, when the notes are generated.
    public var generation: PreparedGeneration? {
        if case .generated(let g) = source { return g }
        return nil
    }

    /// Makes the notes (generating, or the file's), then processes and renders them; `stage` hears each stage as it
    /// starts. Throws the interruption error of the stage running when `cancellation` is set. `mixMemory` and
    /// `soundFonts` are shared by the audio renders (nil: the production's own, shared by its outputs and stems).
    public func run(cancellation: Cancellation = Cancellation(), synthesisThreads: Int? = nil,
                    renderProgress: (@Sendable (URL, Double) -> Void)? = nil, mixMemory: MixMemory? = nil,
                    soundFonts: SoundFontShelf? = nil,
                    stage: (ProductionStage) -> Void = { _ in }) throws -> ProductionResult {
        let notes = try makeNotes(cancellation: cancellation, stage: stage)
        return try finish(notes, cancellation: cancellation, synthesisThreads: synthesisThreads, renderProgress: renderProgress,
                          mixMemory: mixMemory, soundFonts: soundFonts, stage: stage)
    }

    /// Notes made by ``makeNotes(cancellation:stage:)``, before processing: the performance, the model steps that made
    /// it (0 for a file) and the time it took.
    public struct Notes: Sendable {
        /// The generated (or read) notes.
        public var performance: Performance
        /// Model steps of the generation.
        public var steps: Int
        /// The generation's wall and CPU time.
        public var timing: ProductionTiming
    }

    /// Makes the notes (generating, or the file's) without processing or rendering them; ``finish(_:cancellation:synthesisThreads:renderProgress:mixMemory:soundFonts:stage:)``
    /// completes the production. So an album can make every track's notes first and render the heaviest tracks first.
    public func makeNotes(cancellation: Cancellation = Cancellation(), stage: (ProductionStage) -> Void = { _ in }) throws -> Notes {
        let clock = ContinuousClock()
        let start = clock.now
        let cpu = ProcessClock.cpuSeconds()
        let performance: Performance
        var steps = 0
        switch source {
        case .generated(let g):
            stage(.generating)
            (performance, steps) = try g.generator.run(cancellation: cancellation)
        case .file(let p, _):
            performance = p
        }
        var timing = ProductionTiming()
        timing.generation = ProductionTiming.seconds(clock.now - start)
        timing.generationCPU = ProcessClock.cpuSeconds() - cpu
        return Notes(performance: performance, steps: steps, timing: timing)
    }

    /// Processes and renders notes from ``makeNotes(cancellation:stage:)``, completing the result (with the reading
    /// warnings of a file source).
    public func finish(_ notes: Notes, cancellation: Cancellation = Cancellation(), synthesisThreads: Int? = nil,
                       renderProgress: (@Sendable (URL, Double) -> Void)? = nil, mixMemory: MixMemory? = nil,
                       soundFonts: SoundFontShelf? = nil, stage: (ProductionStage) -> Void = { _ in }) throws -> ProductionResult {
        var result = try finish(notes.performance, steps: notes.steps, timing: notes.timing, cancellation: cancellation,
                                synthesisThreads: synthesisThreads, renderProgress: renderProgress, mixMemory: mixMemory,
                                soundFonts: soundFonts, stage: stage)
        result.readingWarnings = readingWarnings
        return result
    }

    /// Processes and renders notes made elsewhere (a streamed generation's), completing the result; `renderProgress`
    /// hears each output's progress (0 ... 1) while it renders; `mixMemory` and `soundFonts` are shared by the audio
    /// renders (nil: the production's own, shared by its outputs and stems).
    public func finish(_ performance: Performance, steps: Int, timing: ProductionTiming = ProductionTiming(),
                       cancellation: Cancellation = Cancellation(), synthesisThreads: Int? = nil,
                       renderProgress: (@Sendable (URL, Double) -> Void)? = nil, mixMemory: MixMemory? = nil,
                       soundFonts: SoundFontShelf? = nil,
                       stage: (ProductionStage) -> Void = { _ in }) throws -> ProductionResult {
        let clock = ContinuousClock()
        var timing = timing
        stage(.processing)
        let t0 = clock.now
        var context = ProcessingContext()
        // Generated parts get their reverb and chorus sends and pan before the processors (which may place them anew).
        let prepared = generation == nil ? performance : GeneratedPartSetup.apply(performance)
        let processed = try pipeline.run(prepared, context: &context)
        timing.processing = ProductionTiming.seconds(clock.now - t0)
        let t1 = clock.now
        var files: [RenderSummary] = []
        let memory = mixMemory ?? MixMemory(concurrentRenders: 1)
        let fonts = soundFonts ?? SoundFontShelf(concurrentRenders: 1)
        for output in outputs {
            if cancellation.isCancelled { throw RenderError.cancelled(path: output.url.path) }
            stage(.rendering(output.renderer.name))
            let url = output.url
            var progress: (@Sendable (Double) -> Void)?
            if let renderProgress { progress = { @Sendable fraction in renderProgress(url, fraction) } }
            let renderContext = RenderContext(overwrite: overwrite, cancellation: cancellation, tags: tags(for: output),
                                              synthesisThreads: synthesisThreads, progress: progress, mixMemory: memory,
                                              soundFonts: fonts)
            files.append(output.stems
                ? try output.renderer.renderStems(processed, to: output.url, options: output.options, context: renderContext)
                : try output.renderer.render(processed, to: output.url, options: output.options, context: renderContext))
        }
        timing.rendering = ProductionTiming.seconds(clock.now - t1)
        return ProductionResult(performance: processed, generatedNotes: performance.noteCount, steps: steps,
                                generation: generation, processing: context, files: files, timing: timing)
    }
}

extension PreparedProduction {
    /// The tags of an output: those requested, with the title defaulting to the file's name and the comment to the
    /// tool version with the seed and model (generated) or the source file (rendered).
    func tags(for output: PreparedOutput) -> AudioTags {
        var tags = output.tags ?? AudioTags()
        if tags.title == nil { tags.title = output.url.deletingPathExtension().lastPathComponent }
        if tags.comment == nil {
            switch source {
            case .generated(let g):
                tags.comment = "Tunesmith \(TunesmithVersion.string), seed \(g.seed), model \(g.model.label)"
            case .file(_, let url):
                tags.comment = "Tunesmith \(TunesmithVersion.string), rendered from \(url.lastPathComponent)"
            }
        }
        return tags
    }
}

/// What stage a production is in (for progress displays).
public enum ProductionStage: Sendable, Hashable, CustomStringConvertible {
    /// Generating notes.
    case generating
    /// Running the processors.
    case processing
    /// Rendering one output (its renderer's name).
    case rendering(String)

    /// Short text.
    public var description: String {
        switch self {
        case .generating: return "generating"
        case .processing: return "processing"
        case .rendering(let f): return "rendering \(f)"
        }
    }
}
