import Foundation
import MIDI
import Support

/// One audio render: FluidSynth engine -> overload guard -> libsndfile writer, written atomically.
struct AudioRenderJob {
    var performance: Performance
    var url: URL
    var context: RenderContext
    var format: AudioFileFormat
    var compression: Double?
    var options: ResolvedRenderOptions
    var rendererName: String

    func run() throws -> RenderSummary {
        let limit = options.declaredNumber("max-length")
        let seconds = performance.lengthSeconds
        if seconds > limit { throw RenderError.tooLong(path: url.path, seconds: seconds, limit: limit) }
        let fontPath = try SoundFontLocator.resolve(options.string("soundfont"))
        let settings = SynthesisSettings(soundFontPath: fontPath, options: options, defaultThreads: context.synthesisThreads)
        let schedule = SynthSchedule(performance: performance, sampleRate: settings.sampleRate)
        let engine = try FluidSynthEngine(settings: settings)
        let normalize = options.declaredString("peak") == "normalize"
        var frames = 0
        var peak: Float = 0
        let cancellation = context.cancellation
        let shownPath = url.path
        try AtomicFileWriter(destination: url, overwrite: context.overwrite).write { temp in
            let writer = try SoundFileWriter(path: temp.path, format: format, sampleRate: settings.sampleRate,
                                             compression: compression, reportingAs: url.path)
            if let tags = context.tags, format.container != .wav { writer.setTags(tags) }
            let emit: (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void = { l, r, n in
                if cancellation.isCancelled { throw RenderError.cancelled(path: shownPath) }
                for k in 0..<n { peak = max(peak, abs(l[k]), abs(r[k])) }
                try writer.write(l, r, n)
            }
            if normalize {
                var allL: [Float] = [], allR: [Float] = []
                var rawPeak: Float = 0
                _ = try engine.render(schedule) { l, r, n in
                    if cancellation.isCancelled { throw RenderError.cancelled(path: shownPath) }
                    allL.append(contentsOf: UnsafeBufferPointer(start: l, count: n))
                    allR.append(contentsOf: UnsafeBufferPointer(start: r, count: n))
                    for k in 0..<n { rawPeak = max(rawPeak, abs(l[k]), abs(r[k])) }
                }
                let scale: Float = rawPeak > 0 ? 0.891_250_9 / rawPeak : 1  // -1 dBFS
                for k in allL.indices { allL[k] *= scale; allR[k] *= scale }
                try allL.withUnsafeBufferPointer { lb in
                    try allR.withUnsafeBufferPointer { rb in
                        var offset = 0
                        while offset < lb.count {
                            let n = min(65_536, lb.count - offset)
                            try emit(lb.baseAddress! + offset, rb.baseAddress! + offset, n)
                            offset += n
                        }
                    }
                }
            } else {
                var limiter = PeakLimiter(sampleRate: settings.sampleRate)
                _ = try engine.render(schedule) { l, r, n in try limiter.process(l, r, n, emit: emit) }
                try limiter.finish(emit: emit)
            }
            try writer.close()
            if format.container == .ogg { try OggSerialNumber.normalise(path: temp.path, reportingAs: shownPath) }
            frames = writer.frames
        }
        var summary = RenderSummary(path: url.path, renderer: rendererName, frames: frames, sampleRate: settings.sampleRate,
                                    musicFrames: min(frames, schedule.endFrame), peak: Double(peak))
        summary.synthInstances = engine.instanceCount
        summary.instanceFrames = engine.instanceFrames
        return summary
    }
}
