import ArgumentParser
import Foundation
import Production
import Rendering
import Support

/// `tunesmith render IN.mid... -o OUT`: renders MIDI files through the production path's renderers.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render MIDI files to \(OutputFormats.preferred) (audio synthesized by FluidSynth).",
        discussion: """
            The output's extension picks the renderer (or --renderer). With several inputs, -o is a folder and \
            --renderer names the format (default wav). Without --soundfont the bundled TunesmithGM.sf2 is used. \
            Any renderer option: --option NAME=VALUE (see --list-renderers). Ctrl-C stops and leaves no partial file.
            """
    )

    @Argument(help: "MIDI file(s) to render.") var inputs: [String] = []
    @Option(name: .shortAndLong, help: "Output file (one input) or existing folder (several inputs).") var output: String?
    @Option(help: "Renderer name (\(OutputFormats.names)); default: from the output's extension.") var renderer: String?
    @OptionGroup(title: "Audio output") var rendering: RenderFlags
    @Option(help: "Files rendered at once (default: the number of cores).") var jobs: Int?
    @Flag(help: "Replace existing output files.") var force = false
    @Flag(help: "Refuse damaged input files instead of reading what is readable with warnings.") var strict = false
    @Flag(help: "Also write one file per part (each named track with notes) in OUT.stems/ beside each output; audio stems sum to the mix.") var stems = false
    @Flag(help: "List the renderers, their extensions and options, then exit.") var listRenderers = false

    func run() throws {
        let producer = Producer()
        if listRenderers {
            print(RendererListing.text(producer.renderers), terminator: "")
            return
        }
        guard !inputs.isEmpty else { throw CommandFailure("no input MIDI file given") }
        guard let output else { throw CommandFailure("no output given (use -o OUT with \(OutputFormats.preferred))") }
        if let jobs, jobs < 1 { throw CommandFailure("--jobs: bad value \"\(jobs)\"; expected 1 or more") }
        let requests = try self.requests(output: output, producer: producer)
        let progress = RenderProgress()
        let results = try Interruptible.run { cancellation in
            producer.run(requests, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, cancellation: cancellation,
                         renderProgress: progress.callback)
        }
        progress.finish()
        try report(results)
    }

    /// One request per input: the file, no processors, one output with the renderer's options.
    func requests(output: String, producer: Producer) throws -> [ProductionRequest] {
        let settings = try rendering.settings()
        let single = inputs.count == 1
        let chosen = try renderer.map { name throws(RenderError) in try producer.renderers.renderer(named: name) }
            ?? (single ? producer.renderers.renderer(forOutput: URL(fileURLWithPath: output)) : producer.renderers.renderer(named: "wav"))
        let options = try settings.options(for: chosen, strict: true)
        if !single, rendering.title != nil { throw CommandFailure("--title names one file; give it with one input only") }
        if !single {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: output, isDirectory: &isDir), isDir.boolValue else {
                throw CommandFailure("\(output): with several inputs, -o must be an existing folder")
            }
        }
        return inputs.map { input in
            let url = single ? URL(fileURLWithPath: output)
                : URL(fileURLWithPath: output).appendingPathComponent(URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent + "." + chosen.fileExtensions[0])
            var request = ProductionRequest(source: .file(URL(fileURLWithPath: input)),
                                            outputs: [OutputRequest(url: url, renderer: chosen.name, options: options, tags: rendering.tags, stems: stems)],
                                            overwrite: force)
            request.strictReading = strict
            return request
        }
    }

    /// One line per file (warnings about damaged inputs on standard error); each failure as `tunesmith: ...`, making the exit status 1 (130 if interrupted).
    func report(_ results: [Result<ProductionResult, any Error>]) throws {
        var status: Int32 = 0
        for (i, result) in results.enumerated() {
            switch result {
            case .success(let r):
                let input = i < inputs.count ? inputs[i] : nil
                for w in r.readingWarnings { StandardStream.write("tunesmith: \(w.line(path: input))\n", to: StandardStream.error) }
                for s in r.files {
                    print(Self.line(s))
                    for stem in s.stems { print(Self.line(stem)) }
                }
            case .failure(let error):
                StandardStream.write("tunesmith: \(oneLine(error))\n", to: StandardStream.error)
                let interrupted = (error as? any InterruptionReporting)?.isInterruption == true
                status = interrupted ? 130 : max(status, 1)
            }
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// `OUT.wav: 12.30 s (10.00 s music + 2.30 s tail), 44100 Hz, peak 0.512, -14.0 LUFS (gain +11.2 dB), true peak -1.2 dBTP`.
    static func line(_ s: RenderSummary) -> String {
        guard s.sampleRate > 0 else { return "\(s.path): written (\(s.renderer))" }
        var line = String(format: "%@: %.2f s (%.2f s music + %.2f s tail), %d Hz, peak %.3f", s.path, s.seconds,
                          Double(s.musicFrames) / Double(s.sampleRate), s.tailSeconds, s.sampleRate, s.peak)
        if let m = s.master { line += ", " + loudnessText(m) }
        return line
    }

    /// `-14.0 LUFS (gain +11.2 dB), true peak -1.2 dBTP` (what the meter read back from the written audio).
    static func loudnessText(_ m: MasterReport) -> String {
        guard m.output.isMeasurable else { return "silent" }
        return String(format: "%.1f LUFS (gain %+.1f dB), true peak %.1f dBTP", m.output.integrated, m.gainDecibels, m.output.truePeak)
    }
}
