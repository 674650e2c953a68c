import Foundation
import MIDI
import Support

/// One audio render: FluidSynth engine -> master (two passes: measure, then gain and true-peak limiter) -> libsndfile
/// writer (TPDF dither at 16 bits), written atomically, then tagged.
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
        let cancellation = context.cancellation
        let shownPath = url.path
        let progress = context.progress
        let expectedFrames = max(1, schedule.endFrame)

        // Pass 1: synthesize, measure and keep the mix.
        let spool = try AudioSpool(folder: url.deletingLastPathComponent(), reportingAs: shownPath)
        let inputMeter = try LoudnessMeter(sampleRate: settings.sampleRate, truePeak: false)
        _ = try engine.render(schedule) { l, r, n in
            if cancellation.isCancelled { throw RenderError.cancelled(path: shownPath) }
            inputMeter.add(l, r, n)
            try spool.append(l, r, n)
            progress?(min(1, Double(spool.frames) / Double(expectedFrames)) * 0.85)
        }
        let input = inputMeter.measurement()
        let master = MasterSettings(options: options)
        let chain = MasterChain(settings: master, sampleRate: settings.sampleRate)
        let gain = try Self.gain(for: spool, input: input, chain: chain, cancellation: cancellation, path: shownPath)

        // Pass 2: gain and limiter, dither and write; the output is measured again as written.
        var frames = 0
        var peak: Float = 0
        var report: MasterReport?
        let outputMeter = try LoudnessMeter(sampleRate: settings.sampleRate)
        var stream = MasterStream(chain: chain, gainDecibels: gain)
        let dither = options.flag("dither") ?? true
        try AtomicFileWriter(destination: url, overwrite: context.overwrite).write { temp in
            let writer = try SoundFileWriter(path: temp.path, format: format, sampleRate: settings.sampleRate,
                                             compression: compression, dither: dither, reportingAs: url.path)
            if let tags = context.tags, format.container == .ogg { writer.setTags(tags) }
            let emit: (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void = { l, r, n in
                if cancellation.isCancelled { throw RenderError.cancelled(path: shownPath) }
                for k in 0..<n { peak = max(peak, abs(l[k]), abs(r[k])) }
                outputMeter.add(l, r, n)
                try writer.write(l, r, n)
                progress?(0.85 + 0.15 * min(1, Double(writer.frames) / Double(max(1, spool.frames))))
            }
            try spool.replay { l, r, n in try stream.process(l, r, n, emit: emit) }
            try stream.finish(emit: emit)
            let measured = MasterReport(input: input, gainDecibels: gain, output: outputMeter.measurement(),
                                        limiterReduction: -20 * log10(Double(max(stream.lowestLimiterGain, 1e-9))))
            // WAV keeps its strings in a RIFF INFO chunk libsndfile writes on closing.
            if let tags = context.tags, format.container == .wav { writer.setTags(tags.completed(with: measured)) }
            try writer.close()
            if format.container == .ogg { try OggSerialNumber.normalise(path: temp.path, reportingAs: shownPath) }
            if let tags = context.tags, format.container == .flac {
                try FLACComments.rewrite(path: temp.path, tags: tags.completed(with: measured), reportingAs: shownPath)
            }
            frames = writer.frames
            report = measured
        }
        var summary = RenderSummary(path: url.path, renderer: rendererName, frames: frames, sampleRate: settings.sampleRate,
                                    musicFrames: min(frames, schedule.endFrame), peak: Double(peak))
        summary.synthInstances = engine.instanceCount
        summary.instanceFrames = engine.instanceFrames
        summary.master = report
        return summary
    }

    /// The gain in dB that brings the spooled mix (measured as `input`) to the chain's target. Where the limiter may
    /// take loudness off a target, the limited mix is measured and the gain corrected by what it took (a second
    /// correction only when the first was large). Skipped when even the sample peaks stay 3 dB under the ceiling: true
    /// peaks exceed sample peaks by far less, so the limiter cannot act.
    static func gain(for spool: AudioSpool, input: LoudnessMeasurement, chain: MasterChain, cancellation: Cancellation,
                     path: String) throws -> Double {
        let master = chain.settings
        var gain = master.gainDecibels(for: input)
        let limiterMayAct = input.samplePeak + gain > master.truePeak - 3
        if master.loudness != nil, master.fixedGain == nil, input.isMeasurable, limiterMayAct, let target = master.loudness {
            var largest = 0.0
            for round in 0..<2 where round == 0 || largest > 1 {
                let (measured, lowest) = try evaluate(spool, chain: chain, gain: gain, cancellation: cancellation, path: path)
                guard lowest < 1, measured.isMeasurable else { break }
                let deficit = target - measured.integrated
                if abs(deficit) < 0.1 { break }
                gain += deficit
                largest = abs(deficit)
            }
        }
        return gain
    }

    /// The loudness of the mastered spool at `gain` without writing it, and the limiter's lowest gain.
    static func evaluate(_ spool: AudioSpool, chain: MasterChain, gain: Double, cancellation: Cancellation,
                         path: String) throws -> (LoudnessMeasurement, Float) {
        let meter = try LoudnessMeter(sampleRate: chain.sampleRate, truePeak: false)
        var stream = MasterStream(chain: chain, gainDecibels: gain)
        let measure: (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void = { l, r, n in
            if cancellation.isCancelled { throw RenderError.cancelled(path: path) }
            meter.add(l, r, n)
        }
        try spool.replay { l, r, n in try stream.process(l, r, n, emit: measure) }
        try stream.finish(emit: measure)
        return (meter.measurement(), stream.lowestLimiterGain)
    }
}
