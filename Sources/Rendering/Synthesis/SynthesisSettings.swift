import Foundation

/// How FluidSynth synthesizes one render.
///
/// Made from a render's validated options: every value and default is declared once, in ``AudioOptions/common``.
public struct SynthesisSettings: Sendable, Hashable {
    /// Path of the SF2 file.
    public var soundFontPath: String
    /// Output sample rate in Hz.
    public var sampleRate: Int
    /// FluidSynth's master gain (its own default is 0.2).
    public var gain: Double
    /// Whether FluidSynth's reverb is on.
    public var reverb: Bool
    /// Whether FluidSynth's chorus is on.
    public var chorus: Bool
    /// Most voices sounding at once in each synthesizer instance.
    public var polyphony: Int
    /// Longest release tail rendered after the last note-off, in seconds.
    public var tailMaxSeconds: Double
    /// The tail ends at the first block whose peak is below this level, in dBFS.
    public var silenceDecibels: Double
    /// Most synthesizer instances used to start notes exactly on their sample (see ``FluidSynthEngine``).
    public var maxInstances: Int
    /// A note may start this many frames late to share an instance instead of waking another one.
    public var onsetToleranceFrames: Int
    /// Threads rendering the instances (each with its own copy of the SoundFont); the output is the same for any count.
    public var threads: Int

    /// Settings for a SoundFont from validated render options (by default every declared default); `defaultThreads`
    /// applies when the `threads` option is not given (nil: ``defaultThreads(concurrentRenders:)``).
    public init(soundFontPath: String, options: ResolvedRenderOptions = AudioOptions.defaults, defaultThreads: Int? = nil) {
        self.soundFontPath = soundFontPath
        sampleRate = options.declaredInteger("sample-rate")
        gain = options.declaredNumber("gain")
        reverb = options.declaredFlag("reverb")
        chorus = options.declaredFlag("chorus")
        polyphony = options.declaredInteger("polyphony")
        tailMaxSeconds = options.declaredNumber("tail-max")
        silenceDecibels = options.declaredNumber("silence")
        maxInstances = options.declaredInteger("instances")
        onsetToleranceFrames = options.declaredInteger("onset-tolerance")
        threads = options.integer("threads") ?? defaultThreads ?? Self.defaultThreads()
    }

    /// Default thread count when `concurrentRenders` renders run at once: the cores shared between them, at most 4.
    /// On a busy machine the render adapts by itself: a thread that has not started its part of a segment when
    /// the calling thread is free gets that part taken back (see ``FluidSynthEngine``).
    public static func defaultThreads(concurrentRenders: Int = 1) -> Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return max(1, min(4, cores / max(1, concurrentRenders)))
    }
}
