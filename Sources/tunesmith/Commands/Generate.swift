import ArgumentParser
import Foundation
import Generation
import Learning
import MIDI
import Processing
import Rendering
import Support

/// `tunesmith generate -o OUT`: generates a piece with a model, shapes it with post-processors and
/// renders it through the renderer registry (or streams the notes as JSON Lines).
struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate music with a trained model and render it to .mid, .wav, .flac or .ogg.",
        discussion: """
        Without --model the embedded default model is used (Samples/Models/default.tsmodel if present, else \
        paper.tsmodel). Generation starts from random values (the paper's way), from the end of --primer FILE, or \
        from a song of --corpus FOLDER chosen by the seed. Notes last until the next onset (legato; capped at 2 \
        beats, at least 1/8 beat; --articulation normal|staccato shortens them). The same --seed and options give \
        byte-identical files; without --seed a random seed is drawn and printed. --process stages (see `tunesmith \
        plugins`) run in order after generation. --stream writes each note to standard output as a JSON line as \
        soon as it is generated.
        """
    )

    @Option(help: "Model file (default: the embedded default model).") var model: String?
    @Option(help: "Length: notes (200n), seconds (60s, 1.5m), bars (16bars), or endless (with --stream only).") var length = "200n"
    @Option(help: "Random seed (any 64-bit number); same seed and options, same output.") var seed: UInt64?
    @Option(help: "Continue from the end of this MIDI file.") var primer: String?
    @Option(help: "Start from a song of this folder of MIDI files (chosen by the seed).") var corpus: String?
    @Option(help: "Tempo in BPM (default: the primer's or corpus song's tempo, else 120).") var tempo: Double?
    @Option(help: "General MIDI program 0-127 (0 = Acoustic Grand Piano).") var program = 0
    @Option(help: "MIDI channel 0-15 of the generated notes.") var channel = 0
    @Option(help: "Sampling temperature: 0 = the model's plain predictions; 1 = default noise.") var temperature = 1.0
    @Option(help: "Regression noise: standard deviation (in feature standard deviations) at temperature 1.") var noise = SamplingOptions.defaultNoise
    @Option(help: "Categorical heads: keep the k most likely classes (0 = all).") var topK = 0
    @Option(help: "Categorical heads: nucleus probability (1 = all).") var topP = SamplingOptions.defaultTopP
    @Option(help: "Models with a rhythm head: nucleus probability of the velocity, time-step and length heads (1 = all).") var rhythmTopP = SamplingOptions.defaultRhythmTopP
    @Option(help: "Models with a rhythm head: weight 0-0.95 of the piece's own earlier continuation when its latest notes repeat an earlier passage (0 = off).") var motifMemory = SamplingOptions.defaultMotifMemory
    @Option(help: "Note lengths: legato, normal, staccato, or a fraction of the gap to the next onset.") var articulation = "legato"
    @Option(help: "Onset grid the model's time steps are drawn on: a note value (1/16, 1/8, 1/12), off, or auto (1/16 for models that regress time in seconds, off for models that draw steps in beats).") var onsetGrid = "auto"
    @Option(name: .customLong("process"), help: "A processor spec name:key=value,...; repeat for a pipeline, in order.") var specs: [String] = []
    @Option(name: .customLong("pipeline"), help: "A pipeline file: one processor spec per line, # comments.") var pipelineFile: String?
    @Option(help: "SoundFont (.sf2) for audio outputs (default: the bundled one).") var soundfont: String?
    @Option(name: .customLong("option"), help: "Renderer option NAME=VALUE (repeatable), e.g. sample-rate=48000.") var rendererOptions: [String] = []
    @Option(name: .shortAndLong, help: "Output file; its extension picks the renderer (.mid, .wav, .flac, .ogg).") var output: String?
    @Flag(help: "Write each note to standard output as a JSON line as it is generated.") var stream = false
    @Flag(help: "Replace the output file if it exists.") var force = false
    @Flag(help: "Print generation, processing and render times.") var timing = false

    /// The onset grid for `text`: `auto` is none for a model that draws its time steps in beats, else 1/16.
    static func grid(_ text: String, model: TrainedModel) throws -> OnsetGrid? {
        guard text.trimmingCharacters(in: .whitespaces).lowercased() == "auto" else { return try OnsetGrid.parse(text) }
        return model.loss.categorical?.rhythm != nil ? nil : .sixteenth
    }

    func run() async throws {
        do {
            try await execute()
        } catch let error as ExitCode {
            throw error
        } catch {
            let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            StandardStream.write("error: \(text)\n", to: StandardStream.error)
            throw ExitCode.failure
        }
    }

    private func execute() async throws {
        // Everything is checked before any work: length, options, pipeline, renderer, output.
        let length = try GenerationLength(parsing: self.length)
        if length == .endless && (!stream || output != nil) {
            throw UsageError("--length endless needs --stream and no -o (an endless piece has no file)")
        }
        guard stream || output != nil else { throw UsageError("no output given (use -o OUT.mid|.wav|.flac|.ogg, or --stream)") }
        guard primer == nil || corpus == nil else { throw UsageError("give either --primer or --corpus, not both") }
        let sampling = try SamplingOptions(temperature: temperature, noise: noise, topK: topK, topP: topP, motifMemory: motifMemory, rhythmTopP: rhythmTopP)
        let durations = try Double(articulation).map { a throws(GenerationError) in try DurationPolicy(articulation: a) }
            ?? DurationPolicy.named(articulation)
        let registry = ProcessorRegistry.standard
        var processors: [any PostProcessor] = []
        if let pipelineFile { processors += try registry.makePipeline(fileAt: pipelineFile).processors }
        processors += try registry.makePipeline(specs).processors
        if stream && !processors.isEmpty {
            throw UsageError("--process needs the whole piece and cannot be combined with --stream")
        }
        let renderers = RendererRegistry.standard
        var renderOptions = RenderOptions()
        if let output {
            _ = try renderers.renderer(forOutput: URL(fileURLWithPath: output))
            if let soundfont {
                renderOptions.set("soundfont", try RenderOptionParsing.value(name: "soundfont", text: soundfont, registry: renderers,
                                                                             renderer: nil, output: output))
            }
            for item in rendererOptions {
                guard let eq = item.firstIndex(of: "=") else { throw UsageError("--option expects NAME=VALUE, got '\(item)'") }
                let name = String(item[..<eq])
                renderOptions.set(name, try RenderOptionParsing.value(name: name, text: String(item[item.index(after: eq)...]),
                                                                      registry: renderers, renderer: nil, output: output))
            }
            if !force, FileManager.default.fileExists(atPath: output) { throw FileError.alreadyExists(path: output) }
        }

        let modelURL = try model.map { URL(fileURLWithPath: $0) } ?? DefaultModel.locate()
        let trained = try TrainedModel(contentsOf: modelURL)
        let seed = self.seed ?? UInt64.random(in: 0...UInt64.max)
        var start = GenerationStart.random
        var startLabel = "random start"
        if let primer {
            start = try GenerationStart.primer(fileAt: URL(fileURLWithPath: primer), features: trained.features)
            startLabel = "primer \(primer)"
        } else if let corpus {
            let picked = try GenerationStart.corpusSong(inFolder: URL(fileURLWithPath: corpus), seed: seed, features: trained.features)
            start = picked.start
            startLabel = "corpus song \(picked.path)"
        }
        let options = try GenerationOptions(length: length, seed: seed, start: start, sampling: sampling, tempoBPM: tempo,
                                            program: program, channel: channel, durations: durations,
                                            onsetGrid: try Self.grid(onsetGrid, model: trained))
        let generator = try Generator(model: trained, options: options, modelPath: modelURL.path)

        let clock = ContinuousClock()
        let cpu0 = Self.cpuSeconds()
        let t0 = clock.now
        var performance: Performance
        var steps = 0
        if stream {
            signal(SIGPIPE, SIG_IGN)
            var notes: [Note] = []
            var count = 0
            for await note in generator.notes {
                if !StandardStream.write(NoteJSONLine.line(note, tempoMap: generator.plan.tempoMap), to: StandardStream.output) { break }
                if output != nil { notes.append(note) }
                count += 1
            }
            performance = generator.performance(of: notes)
            steps = count
        } else {
            (performance, steps) = generator.run()
        }
        let t1 = clock.now
        let cpu1 = Self.cpuSeconds()
        let generatedCount = performance.noteCount
        var context = ProcessingContext()
        performance = try Pipeline(processors).run(performance, context: &context)
        let t2 = clock.now
        guard let output else { return }
        _ = try renderers.render(performance, to: URL(fileURLWithPath: output), options: renderOptions, overwrite: force)
        let t3 = clock.now

        let info = stream ? StandardStream.error : StandardStream.output
        var line = String(format: "%@: %d notes, %.1f s at %g BPM, seed %llu, %@, model %@", output, performance.noteCount,
                          performance.durationSeconds, generator.plan.tempoBPM, seed, startLabel, modelURL.path)
        if !context.applied.isEmpty { line += ", processed by \(context.applied.joined(separator: " > "))" }
        if let key = context.key { line += " (key \(key))" }
        StandardStream.write(line + "\n", to: info)
        if timing {
            func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
            let g = seconds(t1 - t0)
            StandardStream.write(String(format: "timing: generate %.3f ms, %.3f ms CPU (%d notes, %.0f notes/s; %d model steps, %.0f steps/s), process %.3f ms, render %.3f ms\n",
                                        g * 1e3, (cpu1 - cpu0) * 1e3, generatedCount, Double(generatedCount) / max(g, 1e-9), steps, Double(steps) / max(g, 1e-9),
                                        seconds(t2 - t1) * 1e3, seconds(t3 - t2) * 1e3), to: info)
        }
    }
}

extension Generate {
    /// CPU time used by this process so far, in seconds.
    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

/// A one-line usage problem found before any work is done.
private struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
