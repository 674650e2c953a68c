import Foundation
import MIDI
import Support

/// An audio mix with its stems, so that the stems sum to the mix.
///
/// Each part (``MIDI/Performance/parts``) is synthesized alone, by its own FluidSynth engine with the render's
/// settings, into a temporary float file (its own release tail; shorter parts are padded with silence). The mix is the
/// sum of the parts, put through the ``MasterChain`` (loudness gain and true-peak limiter, as a plain render) and
/// written; each stem is its part multiplied by the gain the master chain applied to the mix, frame by frame
/// (``MasterGain``), written in the same format.
///
/// Why not render the mix in one engine: the engine starts each note on a synthesizer instance aligned to its exact
/// sample, but note-offs and controls take effect on that instance's 64-frame block grid, and which instance a note
/// gets depends on the other notes sounding. A part rendered alone therefore releases some notes up to 63 frames
/// apart from the same part inside a one-engine mix (measured: -36 dBFS residual on a four-part band, -17 dBFS on
/// drum hits), so such stems would not sum to that mix. With one engine per part, each part's timing is the same in
/// its stem and in the mix, and the mix differs from a one-engine render of the same piece only by that release timing.
struct StemRenderJob {
    var mix: AudioRenderJob

    /// Frames moved at a time between the temporary files, the master chain and the writers.
    static let chunk = 16_384

    func run() throws -> RenderSummary {
        try StemFolder.check(output: mix.url, overwrite: mix.context.overwrite)
        let options = mix.options
        let limit = options.declaredNumber("max-length")
        let seconds = mix.performance.durationSeconds
        if seconds > limit { throw RenderError.tooLong(path: mix.url.path, seconds: seconds, limit: limit) }
        let fontPath = try SoundFontLocator.resolve(options.string("soundfont"))
        let settings = SynthesisSettings(soundFontPath: fontPath, options: options, defaultThreads: mix.context.synthesisThreads)
        let parts = mix.performance.parts
        let scratch = mix.url.deletingLastPathComponent()
            .appendingPathComponent(".\(mix.url.lastPathComponent).parts-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: false)
        } catch {
            throw FileError.folderNotWritable(path: mix.url.path)
        }
        defer { try? FileManager.default.removeItem(at: scratch) }

        // 1. Each part alone, raw interleaved floats.
        var rendered: [(file: URL, frames: Int, endFrame: Int, instances: Int, work: Int)] = []
        for (i, part) in parts.enumerated() {
            let file = scratch.appendingPathComponent("\(i).f32")
            rendered.append(try renderPart(mix.performance.isolating(part), settings: settings, to: file))
        }
        let total = rendered.map(\.frames).max() ?? 0

        // 2. The mix: the sum of the parts, measured, then through the master chain (gain to the loudness target and the
        //    true-peak limiter) exactly as a plain render, recording the gain applied to each frame.
        let cancellation = mix.context.cancellation
        let shown = mix.url.path
        let spool = AudioSpool(folder: mix.url.deletingLastPathComponent(), reportingAs: shown, memory: mix.context.mixMemory)
        let inputMeter = try LoudnessMeter(sampleRate: settings.sampleRate, truePeak: false, blockPeaks: true)
        try replaySum(rendered.map(\.file), total: total) { l, r, n in
            if cancellation.isCancelled { throw RenderError.cancelled(path: shown) }
            inputMeter.add(l, r, n)
            try spool.append(l, r, n)
        }
        let input = inputMeter.measurement()
        let chain = MasterChain(settings: MasterSettings(options: options), sampleRate: settings.sampleRate)
        let gain = try AudioRenderJob.gain(for: spool, input: input, chain: chain, cancellation: cancellation, path: shown,
                                           forecast: LimiterForecast(meter: inputMeter))
        let mastered = try AudioRenderJob.writeMastered(spool, input: input, chain: chain, gain: gain.decibels, to: mix.url,
                                                        format: mix.format, compression: mix.compression, options: options,
                                                        context: mix.context, recordingEnvelope: true, checkingLoudness: gain.checkOutput)
        let written = mastered.frames
        let peak = mastered.peak
        let master = MasterGain.perFrame(mastered.envelope)
        var summary = RenderSummary(path: mix.url.path, renderer: mix.rendererName, frames: written, sampleRate: settings.sampleRate,
                                    musicFrames: min(written, rendered.map(\.endFrame).max() ?? 0), peak: Double(peak))
        summary.synthInstances = rendered.reduce(0) { $0 + $1.instances }
        summary.instanceFrames = rendered.reduce(0) { $0 + $1.work }
        summary.master = mastered.report
        summary.blockEnergies = mastered.blockEnergies

        // 3. The stems: each part times the mix's master gain.
        let ext = mix.url.pathExtension
        summary.stems = try StemFolder.write(output: mix.url, overwrite: mix.context.overwrite) { folder in
            try parts.enumerated().map { i, part in
                let file = folder.appendingPathComponent(StemFolder.fileName(part: part.name, ext: ext))
                var stem = try writeStem(rendered[i].file, part: part.name, frames: total, master: master, to: file, sampleRate: settings.sampleRate)
                stem.path = StemFolder.url(for: mix.url).appendingPathComponent(file.lastPathComponent).path
                stem.part = part.name
                stem.musicFrames = min(total, rendered[i].endFrame)
                stem.synthInstances = rendered[i].instances
                stem.instanceFrames = rendered[i].work
                return stem
            }
        }
        return summary
    }

    /// Synthesizes one part into a raw file of interleaved stereo floats.
    private func renderPart(_ performance: Performance, settings: SynthesisSettings, to file: URL) throws
        -> (file: URL, frames: Int, endFrame: Int, instances: Int, work: Int) {
        let schedule = SynthSchedule(performance: performance, sampleRate: settings.sampleRate)
        let engine = try FluidSynthEngine(settings: settings, shelf: mix.context.soundFonts)
        guard FileManager.default.createFile(atPath: file.path, contents: nil), let handle = FileHandle(forWritingAtPath: file.path) else {
            throw FileError.folderNotWritable(path: mix.url.path)
        }
        defer { try? handle.close() }
        let cancellation = mix.context.cancellation
        let shown = mix.url.path
        var interleaved: [Float] = []
        var failure: (any Error)?
        let frames = try engine.render(schedule) { l, r, n in
            if cancellation.isCancelled { throw RenderError.cancelled(path: shown) }
            interleaved.removeAll(keepingCapacity: true)
            for k in 0..<n { interleaved.append(l[k]); interleaved.append(r[k]) }
            do {
                try interleaved.withUnsafeBytes { try handle.write(contentsOf: Data($0)) }
            } catch {
                failure = error
                throw RenderError.writeFailed(path: shown, reason: "cannot write a temporary part file: \(error.localizedDescription)")
            }
        }
        if let failure { throw failure }
        return (file, frames, schedule.endFrame, engine.instanceCount, engine.instanceFrames)
    }

    /// Feeds the sum of the raw part files, `total` frames (shorter parts padded with silence), to `body` in chunks.
    private func replaySum(_ files: [URL], total: Int, body: (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void) throws {
        let readers = try files.map { try RawPartReader(url: $0, shown: mix.url.path) }
        var l = [Float](repeating: 0, count: Self.chunk), r = [Float](repeating: 0, count: Self.chunk)
        var position = 0
        while position < total {
            let n = min(Self.chunk, total - position)
            for k in 0..<n { l[k] = 0; r[k] = 0 }
            for reader in readers { try reader.add(into: &l, &r, n) }
            try l.withUnsafeBufferPointer { lb in try r.withUnsafeBufferPointer { rb in try body(lb.baseAddress!, rb.baseAddress!, n) } }
            position += n
        }
    }

    /// Writes one stem: its raw part padded to `frames`, times the master gain.
    private func writeStem(_ raw: URL, part: String, frames: Int, master: MasterGain, to url: URL, sampleRate: Int) throws -> RenderSummary {
        let writer = try SoundFileWriter(path: url.path, format: mix.format, sampleRate: sampleRate, compression: mix.compression,
                                         dither: mix.options.flag("dither") ?? true, reportingAs: url.path)
        var tags = mix.context.tags
        if var named = tags {
            named.title = (named.title.map { $0 + " - " } ?? "") + part
            tags = named
        }
        if let tags, mix.format.container == .wav { writer.setTags(tags) }
        if let tags { writer.reserveTagRoom(for: tags) }
        let reader = try RawPartReader(url: raw, shown: mix.url.path)
        var l = [Float](repeating: 0, count: Self.chunk), r = [Float](repeating: 0, count: Self.chunk)
        var position = 0
        var peak: Float = 0
        while position < frames {
            if mix.context.cancellation.isCancelled { throw RenderError.cancelled(path: url.path) }
            let n = min(Self.chunk, frames - position)
            for k in 0..<n { l[k] = 0; r[k] = 0 }
            try reader.add(into: &l, &r, n)
            try l.withUnsafeMutableBufferPointer { lb in
                try r.withUnsafeMutableBufferPointer { rb in
                    master.apply(lb.baseAddress!, rb.baseAddress!, n, from: position)
                    peak = SamplePeak.largest(lb.baseAddress!, rb.baseAddress!, count: n, from: peak)
                    try writer.write(lb.baseAddress!, rb.baseAddress!, n)
                }
            }
            position += n
        }
        try writer.close()
        try AudioFileTagger.finish(url.path, container: mix.format.container, tags: tags, reportingAs: url.path)
        return RenderSummary(path: url.path, renderer: mix.rendererName, frames: writer.frames, sampleRate: sampleRate, peak: Double(peak))
    }
}

/// Reads a raw part file (interleaved stereo floats) chunk by chunk; past its end it reads silence.
final class RawPartReader {
    private let handle: FileHandle
    private let shown: String

    init(url: URL, shown: String) throws {
        guard let h = FileHandle(forReadingAtPath: url.path) else {
            throw RenderError.writeFailed(path: shown, reason: "a temporary part file vanished")
        }
        handle = h
        self.shown = shown
    }

    deinit { try? handle.close() }

    /// Adds the next `n` frames (or what is left of them) into `l` and `r`.
    func add(into l: inout [Float], _ r: inout [Float], _ n: Int) throws {
        let data: Data
        do { data = try handle.read(upToCount: n * 8) ?? Data() } catch {
            throw RenderError.writeFailed(path: shown, reason: "cannot read a temporary part file: \(error.localizedDescription)")
        }
        let frames = data.count / 8
        guard frames > 0 else { return }
        data.withUnsafeBytes { raw in
            let f = raw.bindMemory(to: Float.self)
            for k in 0..<frames {
                l[k] += f[2 * k]
                r[k] += f[2 * k + 1]
            }
        }
    }
}
