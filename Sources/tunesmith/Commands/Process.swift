import ArgumentParser
import Foundation
import MIDI
import Processing
import Support

/// `tunesmith process IN.mid -o OUT.mid --process SPEC ...`: runs a post-processor pipeline over a MIDI file.
struct Process: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run post-processors (scale, quantize, chords, ...) over a MIDI file and write the result as MIDI.",
        discussion: """
        Stages run in order: those of --pipeline FILE first (one spec per line, # comments), then each \
        --process in the order given. A spec is name:key=value,key=value, e.g. scale:key=auto,mode=major, \
        quantize:grid=1/16,strength=0.8, chords:style=seventh,every=bar. `tunesmith plugins` lists every \
        processor with its parameters and defaults.
        """
    )

    @Argument(help: "The Standard MIDI File to process.")
    var input: String

    @Option(name: .shortAndLong, help: "The MIDI file to write (.mid or .midi).")
    var output: String

    @Option(name: .customLong("process"), help: "A processor spec name:key=value,...; repeat for a pipeline, in order.")
    var specs: [String] = []

    @Option(name: .customLong("pipeline"), help: "A pipeline file: one processor spec per line, # comments.")
    var pipelineFile: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    @Flag(help: "Print read, processing and write times in milliseconds.")
    var timing = false

    func run() throws {
        do {
            try execute()
        } catch let error as ExitCode {
            throw error
        } catch {
            StandardStream.write("error: \(error)\n", to: StandardStream.error)
            throw ExitCode.failure
        }
    }

    private func execute() throws {
        let ext = (output as NSString).pathExtension.lowercased()
        guard ext == "mid" || ext == "midi" else {
            throw ValidationFailure("\(output): the output must be a .mid or .midi file (render audio with the renderers)")
        }
        let registry = ProcessorRegistry.standard
        var processors: [any PostProcessor] = []
        if let pipelineFile { processors += try registry.makePipeline(fileAt: pipelineFile).processors }
        processors += try registry.makePipeline(specs).processors
        guard !processors.isEmpty else {
            throw ValidationFailure("no processors given; use --process name:key=value or --pipeline FILE (valid processors: \(registry.names.joined(separator: ", ")))")
        }
        if !force, FileManager.default.fileExists(atPath: output) { throw FileError.alreadyExists(path: output) }

        let clock = ContinuousClock()
        let t0 = clock.now
        let performance = try Performance(midiFile: MIDIFile(path: input))
        let t1 = clock.now
        var context = ProcessingContext()
        let processed = try Pipeline(processors).run(performance, context: &context)
        let t2 = clock.now
        try processed.midiFile().write(to: URL(fileURLWithPath: output), overwrite: force)
        let t3 = clock.now

        var line = "\(output): \(processed.noteCount) notes after \(context.applied.joined(separator: " > "))"
        if let key = context.key { line += " (key \(key))" }
        StandardStream.write(line + "\n", to: StandardStream.output)
        if timing {
            func ms(_ d: Duration) -> String { String(format: "%.2f", Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1e3) }
            StandardStream.write("timing: read \(ms(t1 - t0)) ms, process \(ms(t2 - t1)) ms (\(performance.noteCount) notes in), write \(ms(t3 - t2)) ms\n", to: StandardStream.output)
        }
    }
}

/// A one-line usage problem found before any work is done.
private struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
