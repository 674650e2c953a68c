import ArgumentParser
import Foundation
import MIDI
import Rendering
import Support

/// `tunesmith render IN.mid... -o OUT`: render MIDI files to MIDI, WAV, FLAC or Ogg Vorbis.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render MIDI files to .mid, .wav, .flac or .ogg (audio synthesized by FluidSynth).",
        discussion: """
            The output's extension picks the renderer (or --renderer). With several inputs, -o is a folder and \
            --renderer names the format. Without --soundfont the bundled TunesmithGM.sf2 is used. \
            Renderer-specific options: --option NAME=VALUE (see --list-renderers).
            """
    )

    @Argument(help: "MIDI file(s) to render.")
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: "Output file (one input) or folder (several inputs).")
    var output: String?

    @Option(help: "Renderer name (mid, wav, flac, ogg); default: from the output's extension.")
    var renderer: String?

    @Option(help: "SoundFont (.sf2) to synthesize with (default: the bundled TunesmithGM.sf2).")
    var soundfont: String?

    @Option(parsing: .unconditional, help: "Sample rate in Hz (default 44100).")
    var sampleRate: String?

    @Option(parsing: .unconditional, help: "Sample format: 16, 24 or 32f (WAV), 16 or 24 (FLAC). Default 16.")
    var bits: String?

    @Option(parsing: .unconditional, help: "FluidSynth master gain (default 0.2).")
    var gain: String?

    @Option(parsing: .unconditional, help: "Longest release tail after the last note-off, in seconds (default 5).")
    var tailMax: String?

    @Option(name: .customLong("option"), help: "Renderer option NAME=VALUE (repeatable), e.g. reverb=off, compression=1.")
    var rendererOptions: [String] = []

    @Option(help: "Files rendered at once (default: the number of cores).")
    var jobs: Int?

    @Flag(help: "Replace existing output files.")
    var force = false

    @Flag(help: "List the renderers, their extensions and options, then exit.")
    var listRenderers = false

    func run() throws {
        let registry = RendererRegistry.standard
        if listRenderers {
            print(RendererListing.text(registry), terminator: "")
            return
        }
        guard !inputs.isEmpty else { fail("no input MIDI file given") }
        guard let output else { fail("no output given (use -o OUT.wav|.flac|.ogg|.mid)") }

        var options = RenderOptions()
        do {
            for (name, text) in [("soundfont", soundfont), ("sample-rate", sampleRate), ("bits", bits), ("gain", gain), ("tail-max", tailMax)] {
                if let text { options.set(name, try RenderOptionParsing.value(name: name, text: text, registry: registry, renderer: renderer, output: output)) }
            }
            for item in rendererOptions {
                guard let eq = item.firstIndex(of: "=") else { fail("--option expects NAME=VALUE, got '\(item)'") }
                let name = String(item[..<eq])
                options.set(name, try RenderOptionParsing.value(name: name, text: String(item[item.index(after: eq)...]),
                                                                registry: registry, renderer: renderer, output: output))
            }
        } catch {
            fail("\(error)")
        }

        var batch: [FileRenderJob] = []
        if inputs.count == 1 {
            batch.append(FileRenderJob(input: URL(fileURLWithPath: inputs[0]), output: URL(fileURLWithPath: output),
                                       renderer: renderer, options: options, overwrite: force))
        } else {
            let ext: String
            do {
                ext = try registry.renderer(named: renderer ?? "wav").fileExtensions[0]
            } catch {
                fail("\(error)")
            }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: output, isDirectory: &isDir), isDir.boolValue else {
                fail("\(output): with several inputs, -o must be an existing folder")
            }
            for input in inputs {
                let base = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
                batch.append(FileRenderJob(input: URL(fileURLWithPath: input),
                                           output: URL(fileURLWithPath: output).appendingPathComponent(base + "." + ext),
                                           renderer: renderer, options: options, overwrite: force))
            }
        }

        // Ctrl-C / SIGTERM stop the renders, which then remove their temporary files.
        let cancellation = RenderCancellation()
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { cancellation.cancel() }
            source.resume()
            sources.append(source)
        }
        let results = registry.render(batch, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, cancellation: cancellation)
        sources.forEach { $0.cancel() }
        var failed = false
        for result in results {
            switch result {
            case .success(let s):
                if s.sampleRate > 0 {
                    print(String(format: "%@: %.2f s (%.2f s music + %.2f s tail), %d Hz, peak %.3f, %d synth instances (%.2fx work)",
                                 s.path, s.seconds, Double(s.musicFrames) / Double(s.sampleRate), s.tailSeconds, s.sampleRate, s.peak,
                                 s.synthInstances, Double(s.instanceFrames) / Double(max(1, s.frames))))
                } else {
                    print("\(s.path): written (\(s.renderer))")
                }
            case .failure(let error):
                failed = true
                StandardStream.write("error: \(error)\n", to: StandardStream.error)
            }
        }
        if failed { throw ExitCode.failure }
    }

    private func fail(_ message: String) -> Never {
        StandardStream.write("error: \(message)\n", to: StandardStream.error)
        Render.exit(withError: ExitCode.failure)
    }
}
