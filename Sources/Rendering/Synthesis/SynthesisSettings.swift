import Foundation

/// How FluidSynth synthesizes one render.
public struct SynthesisSettings: Sendable, Hashable {
    /// Path of the SF2 file.
    public var soundFontPath: String
    /// Output sample rate in Hz.
    public var sampleRate: Int = 44_100
    /// FluidSynth's master gain (its own default is 0.2).
    public var gain: Double = 0.2
    /// Whether FluidSynth's reverb is on.
    public var reverb: Bool = true
    /// Whether FluidSynth's chorus is on.
    public var chorus: Bool = true
    /// Most voices sounding at once in each synthesizer instance.
    public var polyphony: Int = 256
    /// Longest release tail rendered after the last note-off, in seconds.
    public var tailMaxSeconds: Double = 5
    /// The tail ends at the first block whose peak is below this level, in dBFS.
    public var silenceDecibels: Double = -90
    /// Most synthesizer instances used to start notes exactly on their sample (see ``FluidSynthEngine``).
    public var maxInstances: Int = 16
    /// A note may start this many frames late to share an instance instead of waking another one.
    public var onsetToleranceFrames: Int = 0
    /// Threads rendering the instances (each with its own copy of the SoundFont); the output is the same for any count.
    public var threads: Int = SynthesisSettings.defaultThreads()

    /// Creates settings for a SoundFont with defaults for everything else.
    public init(soundFontPath: String) {
        self.soundFontPath = soundFontPath
    }

    /// Default thread count when `concurrentRenders` renders run at once: the cores shared between them, at most 4.
    /// On a busy machine the render adapts by itself: a thread that has not started its part of a segment when
    /// the calling thread is free gets that part taken back (see ``FluidSynthEngine``).
    public static func defaultThreads(concurrentRenders: Int = 1) -> Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return max(1, min(4, cores / max(1, concurrentRenders)))
    }
}
