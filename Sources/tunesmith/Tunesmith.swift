import ArgumentParser
import Foundation
import Learning
import MIDI
import Rendering
import Support

/// The `tunesmith` command: learn from MIDI, generate, process and render music.
@main
struct Tunesmith: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tunesmith",
        abstract: "Learn from MIDI files, generate music, shape it and render it to \(OutputFormats.preferred).",
        version: "tunesmith \(TunesmithVersion.string) (libfluidsynth \(LibraryVersions.fluidSynth), \(LibraryVersions.sndFile), libebur128 \(LibraryVersions.ebur128))",
        subcommands: [
            // One line per subcommand; each lives in Commands/<Name>.swift.
            Dump.self,
            Inspect.self,
            Generate.self,
            Process.self,
            Plugins.self,
            Train.self,
            Model.self,
            Baseline.self,
            Render.self,
            Soundfonts.self,
            Evaluate.self,
            Plot.self,
            EvaluateModel.self,
            AlbumCommand.self,
            ShardCorpus.self,
        ]
    )

    /// Runs the command line, printing any error as one line (`tunesmith: message`) with a non-zero
    /// exit status instead of the parser's usage block; `--help` and `--version` print as usual.
    static func main() async {
        BLASThreads.stopIdleWorkers()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exitCode as ExitCode {
            // A command that already reported its failure chose this status.
            Foundation.exit(exitCode.rawValue)
        } catch {
            if let interruption = error as? any InterruptionReporting, interruption.isInterruption {
                FileHandle.standardError.write(Data("tunesmith: \(oneLine(error))\n".utf8))
                Foundation.exit(130)
            }
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let message = self.message(for: error)
                .split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("tunesmith: \(message)\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}

/// An error's message as one line (its localized description when it has one).
func oneLine(_ error: any Error) -> String {
    let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
    return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
}
