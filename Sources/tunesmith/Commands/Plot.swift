import ArgumentParser
import Foundation
import MIDI
import Plotting
import Support

/// `tunesmith plot FILE.mid -o roll.svg`: a piano roll picture of a MIDI file.
struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw a MIDI file as a piano-roll SVG: notes by track colour and velocity shade, bar lines, the key's scale rows shaded."
    )

    @Argument(help: "The Standard MIDI File to draw.")
    var input: String

    @Option(name: .shortAndLong, help: "The SVG file to write (.svg).")
    var output: String

    @Option(help: "Horizontal pixels per quarter note (default: fit the piece in about 4000 pixels).")
    var pixelsPerBeat: Double?

    @Option(help: "Pixels per pitch row.")
    var rowHeight = 6.0

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func validate() throws {
        if let pixelsPerBeat, !(pixelsPerBeat > 0 && pixelsPerBeat <= 1000) { throw ValidationError("--pixels-per-beat must be in (0, 1000]") }
        if !(rowHeight >= 1 && rowHeight <= 100) { throw ValidationError("--row-height must be in [1, 100]") }
    }

    func run() throws {
        do {
            guard (output as NSString).pathExtension.lowercased() == "svg" else {
                throw PlotFailure("\(output): the output must be an .svg file")
            }
            if !force, FileManager.default.fileExists(atPath: output) { throw FileError.alreadyExists(path: output) }
            let performance = Performance(midiFile: try MIDIFile(path: input))
            let roll = PianoRoll(performance: performance, options: .init(
                pixelsPerBeat: pixelsPerBeat, rowHeight: rowHeight, title: (input as NSString).lastPathComponent))
            try AtomicFileWriter(path: output, overwrite: force).write(Array(roll.render().utf8))
            let key = roll.key.map { ", key \($0.key.name)" } ?? ""
            StandardStream.write("\(output): \(performance.noteCount) notes, \(roll.barLines.count) bars\(key)\n", to: StandardStream.output)
        } catch {
            StandardStream.write("tunesmith: \((error as? LocalizedError)?.errorDescription ?? "\(error)")\n", to: StandardStream.error)
            throw ExitCode.failure
        }
    }
}

/// A one-line usage problem found before any work is done.
private struct PlotFailure: Error, LocalizedError {
    let errorDescription: String?
    init(_ message: String) { errorDescription = message }
}
