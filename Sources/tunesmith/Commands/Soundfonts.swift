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
                print("* \(bundled)  (bundled TunesmithGM, default; --soundfont bundled)")
                print("    " + Self.offers(bundled))
            } else {
                print("  bundled TunesmithGM.sf2: missing from this installation")
            }
            let gm = SoundFontLocator.fluidR3Path.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
            for path in SoundFontLocator.systemSoundFonts() {
                let alias = URL(fileURLWithPath: path).resolvingSymlinksInPath().path == gm && path.hasSuffix("FluidR3_GM.sf2") ? "; --soundfont gm" : ""
                print("  \(path)  (\(Self.size(path))\(alias))")
                print("    " + Self.offers(path))
            }
            if gm == nil { print("  --soundfont gm: not installed (apt-get install fluid-soundfont-gm gives FluidR3_GM)") }
            print("* = used when render gets no --soundfont")
        }

        static func size(_ path: String) -> String {
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int).flatMap { $0 } ?? 0
            return bytes >= 1 << 20 ? String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) : "\(bytes / 1024) KiB"
        }

        /// "138 presets: 128 of 128 GM programs, 10 drum kits (Standard Kit, ...)".
        static func offers(_ path: String) -> String {
            guard let (s, _) = try? SoundFontCheck.inspect(path) else { return "FluidSynth cannot load it" }
            let kits = s.drumKits.isEmpty ? "no drum kits" : "\(s.drumKits.count) drum kits (\(s.drumKits.prefix(6).joined(separator: ", "))\(s.drumKits.count > 6 ? ", ..." : ""))"
            return "\(s.presets) presets: \(s.generalMIDIPrograms) of 128 GM programs, \(kits)"
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
