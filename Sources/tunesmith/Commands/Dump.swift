import ArgumentParser
import Foundation
import MIDI

/// `tunesmith dump FILE`: every event of a MIDI file as JSON Lines (mido's names).
struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every event of a MIDI file as JSON Lines (header line, then events with absolute ticks).",
        discussion: "The format is the project's MIDI event dump: mido's event and field names, one JSON object per line."
    )

    @Argument(help: "The Standard MIDI File to dump.")
    var file: String

    func run() throws {
        var writer = EventDumpWriter { StandardStream.write($0, to: StandardStream.output) }
        do {
            try writer.write(contentsOfFile: file)
        } catch {
            StandardStream.write("error: \(error)\n", to: StandardStream.error)
            throw ExitCode.failure
        }
    }
}
