import ArgumentParser
import Foundation
import MIDI
import Support

/// `tunesmith inspect PATH...`: a row per MIDI file (format, tracks, division, notes, duration,
/// tempo, signatures) and totals; folders are searched recursively.
struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise MIDI files: format, tracks, ticks per beat, notes, duration, tempo, time and key signature.",
        discussion: "Folders are searched recursively for .mid/.midi files and read in parallel. Unreadable files are listed with their error; the exit status is 1 if any file failed."
    )

    @Argument(help: "MIDI files or folders.")
    var paths: [String]

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    @Option(name: .long, help: "Files read in parallel (default: the number of cores).")
    var jobs: Int?

    @Flag(help: "Refuse damaged files (listed with their error) instead of summarising them with warnings on standard error.")
    var strict = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one MIDI file or folder") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
        let workers = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let entries = await MIDIInspector.inspect(paths, workers: workers, strict: strict)
        for entry in entries {
            if case .success(let summary) = entry.result {
                for w in summary.warnings { StandardStream.write("tunesmith: \(w.line(path: entry.path))\n", to: StandardStream.error) }
            }
        }
        let report = InspectReport(entries)
        if report.entries.isEmpty {
            StandardStream.write("tunesmith: no .mid or .midi files found in \(paths.joined(separator: " "))\n", to: StandardStream.error)
            throw ExitCode.failure
        }
        do {
            try StandardStream.writeOrThrow(Array((json ? report.json() : report.table()).utf8), to: StandardStream.output, name: "standard output")
        } catch {
            StandardStream.write("tunesmith: \(error)\n", to: StandardStream.error)
            throw ExitCode.failure
        }
        if report.failedCount > 0 {
            StandardStream.write("tunesmith: \(report.failedCount) of \(report.entries.count) files could not be read\n", to: StandardStream.error)
            throw ExitCode.failure
        }
    }
}
