import ArgumentParser
import Foundation
import MIDI
import Rendering
import Support

/// `tunesmith soundfonts`: list the bundled and system SoundFonts; `soundfonts build`: rebuild the bundled one.
struct Soundfonts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the bundled and system SoundFonts (marking the default), or rebuild the bundled one.",
        subcommands: [List.self, Build.self],
        defaultSubcommand: List.self
    )

    /// Lists SoundFonts.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the bundled SoundFont and those installed on the system.")

        func run() throws {
            let bundled = SoundFontLocator.bundledPath
            if let bundled {
                print("* \(bundled)  (bundled TunesmithGM, default)")
            } else {
                print("  bundled TunesmithGM.sf2: missing from this installation")
            }
            for path in SoundFontLocator.systemSoundFonts() {
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int).flatMap { $0 } ?? 0
                print("  \(path)  (\(size / 1024) KiB)")
            }
            print("* = used when render gets no --soundfont")
        }
    }

    /// Rebuilds the bundled SoundFont byte-identically.
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the bundled TunesmithGM SoundFont (synthesized by Tunesmith's code; byte-identical on every run).")

        @Option(name: .shortAndLong, help: "Output .sf2 path, e.g. Soundfonts/TunesmithGM.sf2.")
        var output: String

        @Flag(help: "Replace an existing file.")
        var force = false

        func run() throws {
            do {
                try TunesmithGM.write(to: URL(fileURLWithPath: output), overwrite: force)
                let check = try SoundFontCheck.load(output)
                let problems = check.messages.filter(\.isProblem)
                let size = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int).flatMap { $0 } ?? 0
                print("\(output): \(size) bytes, \(check.presets) presets, FluidSynth warnings: \(problems.count)")
                for p in problems { print("  \(p)") }
            } catch {
                StandardStream.write("tunesmith: \(error)\n", to: StandardStream.error)
                throw ExitCode.failure
            }
        }
    }
}
