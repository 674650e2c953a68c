/// The options every FluidSynth audio renderer declares, and their conversion to ``SynthesisSettings``.
public enum AudioOptions {
    /// Options shared by the WAV, FLAC and Ogg renderers.
    public static let common: [RenderOptionSpec] = [
        RenderOptionSpec("soundfont", .path, default: nil, doc: "SF2 file to synthesize with (default: the bundled TunesmithGM.sf2)"),
        RenderOptionSpec("sample-rate", .integer(8_000...192_000), default: .integer(44_100), doc: "output sample rate in Hz"),
        RenderOptionSpec("gain", .number(0...10), default: .number(0.2), doc: "FluidSynth master gain (linear; FluidSynth's default is 0.2)"),
        RenderOptionSpec("reverb", .flag, default: .flag(false), doc: "FluidSynth reverb (off by default: a dry render; reverb or chorus on adds one synthesizer that plays every note for the effects, about 2x CPU)"),
        RenderOptionSpec("chorus", .flag, default: .flag(false), doc: "FluidSynth chorus (off by default: a dry render)"),
        RenderOptionSpec("polyphony", .integer(1...65_535), default: .integer(256), doc: "most voices at once per synthesizer instance"),
        RenderOptionSpec("tail-max", .number(0...60), default: .number(5), doc: "longest release tail after the last note-off, in seconds (ends earlier at silence)"),
        RenderOptionSpec("max-length", .number(1...360_000), default: .number(7_200),
                         doc: "longest music rendered to audio, in seconds (a longer piece is refused before any work)"),
        RenderOptionSpec("silence", .number(-140 ... -20), default: .number(-90), doc: "level in dBFS below which the tail counts as silent"),
        RenderOptionSpec("instances", .integer(1...64), default: .integer(16),
                         doc: "most FluidSynth instances used to start notes on their exact sample (1 = FluidSynth's own 64-frame grid)"),
        RenderOptionSpec("onset-tolerance", .integer(0...63), default: .integer(0),
                         doc: "frames a note may start late to share an instance (0 = every onset exact; larger renders faster)"),
        RenderOptionSpec("threads", .integer(1...16), default: nil,
                         doc: "threads synthesizing one render (default: the cores, at most 4; with --jobs, the cores shared between the jobs; a thread that is late for a segment has its part taken back by the render's own thread); the output is the same for any count"),
        RenderOptionSpec("loudness", .numberOrOff(-70 ... -5), default: .number(-14),
                         doc: "integrated loudness to normalise to, in LUFS (ITU-R BS.1770-4 / EBU R128, our K-weighting held to libebur128's figures; two passes: measure, then gain and limit); off keeps the synthesizer's level"),
        RenderOptionSpec("true-peak", .number(-20...0), default: .number(-1),
                         doc: "true-peak ceiling in dBTP: a look-ahead limiter keeps the 4x-oversampled peak at or below it"),
        RenderOptionSpec("loudness-gain", .number(-60...60), default: nil,
                         doc: "a fixed gain in dB instead of a loudness target (albums in loudness-mode album set it), before the true-peak limiter"),
        RenderOptionSpec("dither", .flag, default: .flag(true), doc: "TPDF dither when the float mix is written as 16-bit integers"),
    ]

    /// Every common option at its declared default.
    public static let defaults: ResolvedRenderOptions = {
        do { return try RenderOptions().validated(against: common, renderer: "audio") } catch { preconditionFailure("\(error)") }
    }()
}
