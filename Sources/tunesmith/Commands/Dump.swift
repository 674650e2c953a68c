import ArgumentParser
import Foundation
import MIDI
import Support

/// `tunesmith dump FILE`: every event of a MIDI file as JSON Lines (mido's names).
struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every event of a MIDI file as JSON Lines (header line, then events with absolute ticks).",
        discussion: "The format is the project's MIDI event dump: mido's event and field names, one JSON object per line."
    )

    @Argument(help: "The Standard MIDI File to dump.")
    var file: String

    func run() throws {
        // The first refused write (full disk, closed pipe) is kept and reported once the dump stops.
        let outputFailure = OutputFailure()
        var writer = EventDumpWriter { bytes in
            guard outputFailure.error == nil else { return }
            do { try StandardStream.writeOrThrow(bytes, to: StandardStream.output, name: "standard output") } catch let error as FileError { outputFailure.error = error } catch {}
        }
        do {
            try writer.write(contentsOfFile: file)
            if let error = outputFailure.error { throw error }
        } catch {
            StandardStream.write("tunesmith: \(error)\n", to: StandardStream.error)
            throw ExitCode.failure
        }
    }
}

/// Remembers the first failed write to standard output during a streaming dump.
private final class OutputFailure {
    var error: FileError?
}
