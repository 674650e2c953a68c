import ArgumentParser
import Foundation
import MIDI
import Support

/// `tunesmith dump FILE`: every event of a MIDI file as JSON Lines (mido's names).
struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every event of a MIDI file as JSON Lines (header line, then events with absolute ticks).",
        discussion: """
            The format is the project's MIDI event dump: mido's event and field names, one JSON object per line. \
            A damaged file is read as far as it is readable: each problem is reported once on standard error \
            with its byte offset and marked in the dump by a "warning" record before the event it affects; \
            --strict refuses the file instead.
            """
    )

    @Argument(help: "The Standard MIDI File to dump.")
    var file: String

    @Flag(help: "Refuse a damaged file (one-line error, exit status 1) instead of reading it with warnings.")
    var strict = false

    func run() throws {
        // The first refused write (full disk, closed pipe) is kept and reported once the dump stops.
        let outputFailure = OutputFailure()
        var writer = EventDumpWriter { bytes in
            guard outputFailure.error == nil else { return }
            do { try StandardStream.writeOrThrow(bytes, to: StandardStream.output, name: "standard output") } catch let error as FileError { outputFailure.error = error } catch {}
        }
        do {
            let warnings = try writer.write(contentsOfFile: file, strict: strict)
            for w in warnings { StandardStream.write("tunesmith: \(w.line(path: file))\n", to: StandardStream.error) }
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
