import Foundation
import MIDI

/// Measures how loud a performance synthesizes with given audio options, without writing anything: the first pass of
/// an album in `loudness-mode: album`, which needs every track's loudness before it chooses the one gain for all.
public enum LoudnessProbe {
    /// The integrated loudness and sample peak of `performance` synthesized with `options` (validated against an
    /// audio renderer's options; the master stage is not applied).
    public static func measure(_ performance: Performance, options: ResolvedRenderOptions, context: RenderContext = RenderContext())
        throws -> LoudnessMeasurement
    {
        let fontPath = try SoundFontLocator.resolve(options.string("soundfont"))
        let settings = SynthesisSettings(soundFontPath: fontPath, options: options, defaultThreads: context.synthesisThreads)
        let schedule = SynthSchedule(performance: performance, sampleRate: settings.sampleRate)
        let engine = try FluidSynthEngine(settings: settings, shelf: context.soundFonts)
        let meter = try LoudnessMeter(sampleRate: settings.sampleRate, truePeak: false)
        let cancellation = context.cancellation
        _ = try engine.render(schedule) { l, r, n in
            if cancellation.isCancelled { throw RenderError.cancelled(path: "loudness measurement") }
            meter.add(l, r, n)
        }
        return meter.measurement()
    }
}
