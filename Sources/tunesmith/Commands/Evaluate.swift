import ArgumentParser
import Foundation
import MIDI
import Music
import Support

/// `tunesmith evaluate FILES_OR_DIRS... [--reference DIR] [--json]`: musicality metrics per piece and
/// over the set, optionally beside a reference corpus with the distance between the distributions.
struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure pieces: key, dynamics, beat, rhythm, repetition, chords and range, per piece and for the set.",
        discussion: """
        Folders are searched recursively for .mid/.midi files; files are read in parallel. With --reference, \
        each metric's mean sits beside the reference set's, with the overlapping area and KL divergence of the \
        two smoothed distributions (Yang & Lerch). Unreadable files are reported; the exit status is 1 if any failed.
        """
    )

    @Argument(help: "MIDI files or folders to evaluate.")
    var paths: [String]

    @Option(help: "A reference folder (or file) of MIDI files to compare against, e.g. the training corpus.")
    var reference: [String] = []

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @Option(help: "Length of the interval and rhythm n-grams counted as repeated structure.")
    var ngram = 4

    @Option(help: "Files read in parallel (default: the number of cores).")
    var jobs: Int?

    @Option(name: .customLong("first-notes"),
            help: "Measure only each piece's first N pitched notes, to compare pieces at one length (e.g. a corpus with 200-note generations).")
    var firstNotes: Int?

    @Flag(help: "Also compare each piece's first third with its last, metric by metric (what moved when a piece drifts out of its style).")
    var thirds = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one MIDI file or folder") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if ngram < 1 { throw ValidationError("--ngram must be at least 1") }
        if let firstNotes, firstNotes < 1 { throw ValidationError("--first-notes must be at least 1") }
    }

    func run() async throws {
        let workers = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let evaluation = await MetricsEvaluation.run(paths: paths, referencePaths: reference, workers: workers,
                                                     options: MetricsOptions(nGramLength: ngram, firstNotes: firstNotes), thirds: thirds)
        if evaluation.pieces.isEmpty { throw CommandFailure("no .mid or .midi files found in \(paths.joined(separator: " "))") }
        if !reference.isEmpty {
            if evaluation.reference.isEmpty { throw CommandFailure("no .mid or .midi files found in the reference \(reference.joined(separator: " "))") }
            for f in evaluation.referenceFailures { StandardStream.write("warning: reference skipped: \(f.error ?? f.path)\n", to: StandardStream.error) }
            if evaluation.referenceFailures.count == evaluation.reference.count {
                throw CommandFailure("none of the \(evaluation.reference.count) reference files could be read")
            }
        }
        let failures = evaluation.failures
        for f in failures { StandardStream.write("tunesmith: \(f.error ?? f.path)\n", to: StandardStream.error) }
        if failures.count < evaluation.pieces.count {
            StandardStream.write(json ? evaluation.json() : evaluation.table(), to: StandardStream.output)
        }
        if !failures.isEmpty {
            if evaluation.pieces.count == 1 { throw ExitCode.failure }
            StandardStream.write("tunesmith: \(failures.count) of \(evaluation.pieces.count) files could not be read\n", to: StandardStream.error)
            throw ExitCode.failure
        }
    }

}
