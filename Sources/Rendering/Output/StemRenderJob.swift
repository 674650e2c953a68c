import Foundation
import MIDI
import Support

/// An audio mix and its stems: the mix is rendered as usual (the same file as without stems) while its master gain is
/// recorded; then each part is rendered alone with the same synthesis settings to exactly the mix's length, multiplied
/// by that same gain frame by frame (``MasterGain``) and written in the same format.
///
/// FluidSynth's voices are independent and its reverb and chorus are linear, so a part rendered alone is what the part
/// contributes to the mix: on 32-bit float the stems sum to the mix within float rounding (a part alone cannot steal
/// voices from another, so the sum differs only where the mix ran out of polyphony, 256 voices per instance by default).
struct StemRenderJob {
    var mix: AudioRenderJob

    func run() throws -> RenderSummary {
        try StemFolder.check(output: mix.url, overwrite: mix.context.overwrite)
        let (summary, recorded) = try mix.run(recordingGain: true)
        let master = recorded ?? .constant(1)
        var out = summary
        let ext = mix.url.pathExtension
        out.stems = try StemFolder.write(output: mix.url, overwrite: mix.context.overwrite) { folder in
            try mix.performance.parts.map { part in
                let file = folder.appendingPathComponent(StemFolder.fileName(part: part.name, ext: ext))
                var stem = try renderStem(mix.performance.isolating(part), part: part.name, to: file, frames: summary.frames, master: master)
                stem.path = StemFolder.url(for: mix.url).appendingPathComponent(file.lastPathComponent).path
                stem.part = part.name
                return stem
            }
        }
        return out
    }

    /// Renders one part to exactly `frames` frames with the master gain applied (written directly: the whole folder is
    /// the atomic unit).
    private func renderStem(_ performance: Performance, part: String, to url: URL, frames: Int, master: MasterGain) throws -> RenderSummary {
        let options = mix.options
        let fontPath = try SoundFontLocator.resolve(options.string("soundfont"))
        let settings = SynthesisSettings(soundFontPath: fontPath, options: options, defaultThreads: mix.context.synthesisThreads)
        let schedule = SynthSchedule(performance: performance, sampleRate: settings.sampleRate)
        let engine = try FluidSynthEngine(settings: settings)
        let writer = try SoundFileWriter(path: url.path, format: mix.format, sampleRate: settings.sampleRate,
                                         compression: mix.compression, reportingAs: url.path)
        if var tags = mix.context.tags, mix.format.container != .wav {
            tags.title = (tags.title.map { $0 + " - " } ?? "") + part
            writer.setTags(tags)
        }
        let cancellation = mix.context.cancellation
        let shown = url.path
        var position = 0
        var peak: Float = 0
        var bufL = [Float](repeating: 0, count: FluidSynthEngine.segment)
        var bufR = [Float](repeating: 0, count: FluidSynthEngine.segment)
        _ = try engine.render(schedule, exactFrames: frames) { l, r, n in
            if cancellation.isCancelled { throw RenderError.cancelled(path: shown) }
            if bufL.count < n { bufL = [Float](repeating: 0, count: n); bufR = bufL }
            try bufL.withUnsafeMutableBufferPointer { lb in
                try bufR.withUnsafeMutableBufferPointer { rb in
                    let ol = lb.baseAddress!, or = rb.baseAddress!
                    ol.update(from: l, count: n)
                    or.update(from: r, count: n)
                    master.apply(ol, or, n, from: position)
                    for k in 0..<n { peak = max(peak, abs(ol[k]), abs(or[k])) }
                    try writer.write(ol, or, n)
                }
            }
            position += n
        }
        try writer.close()
        if mix.format.container == .ogg { try OggSerialNumber.normalise(path: url.path, reportingAs: shown) }
        var summary = RenderSummary(path: url.path, renderer: mix.rendererName, frames: writer.frames, sampleRate: settings.sampleRate,
                                    musicFrames: min(writer.frames, schedule.endFrame), peak: Double(peak))
        summary.synthInstances = engine.instanceCount
        summary.instanceFrames = engine.instanceFrames
        return summary
    }
}
