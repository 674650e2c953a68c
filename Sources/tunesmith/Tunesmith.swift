import ArgumentParser
import MIDI
import Rendering

/// The `tunesmith` command: learn from MIDI, generate, process and render music.
@main
struct Tunesmith: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tunesmith",
        abstract: "Learn from MIDI files, generate music, shape it and render it to MIDI, WAV or FLAC.",
        version: "tunesmith \(TunesmithVersion.string) (libfluidsynth \(LibraryVersions.fluidSynth), \(LibraryVersions.sndFile))",
        subcommands: [
            // One line per subcommand; each lives in Commands/<Name>.swift.
            Dump.self,
            Generate.self,
            Process.self,
            Plugins.self,
            Inspect.self,
            Train.self,
            Model.self,
            Baseline.self,
            Render.self,
            Soundfonts.self,
            Evaluate.self,
            Plot.self,
            EvaluateModel.self,
            AlbumCommand.self,
        ]
    )
}
