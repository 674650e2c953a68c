import ArgumentParser
import Foundation
import Production
import Support

/// `tunesmith process IN.mid -o OUT.mid --process SPEC ...`: runs post-processors over a MIDI file through the
/// production path and writes the result as MIDI.
struct Process: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run post-processors (\(ProcessorNames.list)) over a MIDI file and write the result as MIDI.",
        discussion: """
        Stages run in order: those of --pipeline FILE first (one spec per line, # comments), then each \
        --process in the order given. A spec is name:key=value,key=value, e.g. scale:key=auto,mode=major, \
        quantize:grid=1/16,strength=0.8, chords:style=seventh,every=bar. `tunesmith plugins` lists every \
        processor with its parameters and defaults. To render audio, use `tunesmith render` on the result.
        """
    )

    @Argument(help: "The Standard MIDI File to process.") var input: String
    @Option(name: .shortAndLong, help: "The MIDI file to write (.mid or .midi).") var output: String
    @OptionGroup(title: "Processing") var processing: PipelineFlags
    @Flag(help: "Replace the output file if it exists.") var force = false
    @Flag(help: "Refuse a damaged input file instead of reading what is readable with warnings.") var strict = false
    @Flag(help: "Print processing and write times in milliseconds.") var timing = false

    func run() throws {
        let url = URL(fileURLWithPath: output)
        guard ["mid", "midi"].contains(url.pathExtension.lowercased()) else {
            throw CommandFailure("\(output): the output must be a .mid or .midi file (render audio with `tunesmith render`)")
        }
        let pipeline = try processing.pipeline()
        guard !pipeline.processors.isEmpty else {
            throw CommandFailure("no processors given; use --process name:key=value or --pipeline FILE (processors: \(ProcessorNames.list))")
        }
        var request = ProductionRequest(source: .file(URL(fileURLWithPath: input)), pipeline: pipeline,
                                        outputs: [OutputRequest(url: url, renderer: "mid")], overwrite: force)
        request.strictReading = strict
        let result = try Interruptible.run { try Producer().prepare(request).run(cancellation: $0) }
        for w in result.readingWarnings { StandardStream.write("tunesmith: \(w.line(path: input))\n", to: StandardStream.error) }
        for report in result.processing.reports { StandardStream.write("tunesmith: \(report)\n", to: StandardStream.error) }
        var line = "\(output): \(result.performance.noteCount) notes after \(result.processing.applied.joined(separator: " > "))"
        if let key = result.processing.key { line += " (key \(key))" }
        print(line)
        if timing {
            print(String(format: "timing: process %.2f ms (%d notes in), write %.2f ms", result.timing.processing * 1e3,
                         result.generatedNotes, result.timing.rendering * 1e3))
        }
    }
}
