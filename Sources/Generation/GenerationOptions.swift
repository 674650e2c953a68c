import MIDI

/// Where generation starts from.
public enum GenerationStart: Sendable, Hashable {
    /// The paper's way: `lookBack` frames of random values (standard normal in the model's
    /// standardised feature space), not played.
    case random
    /// Continue after the last note of a primer (its last `lookBack` non-drum note-ons are the context).
    case primer(Performance)
    /// Start from a window of a corpus song: `lookBack` consecutive note-ons at a position chosen by the seed.
    case corpusSong(Performance)
}

/// Everything that shapes one generation besides the model. Equal options and model give equal notes.
public struct GenerationOptions: Sendable, Hashable {
    /// How much to generate.
    public var length: GenerationLength
    /// Seed of every random draw (start frames, sampling noise, corpus window).
    public var seed: UInt64
    /// Where to start.
    public var start: GenerationStart
    /// Noise / temperature / top-k / top-p.
    public var sampling: SamplingOptions
    /// Output tempo in beats per minute; nil: the primer's or corpus song's tempo, else 120.
    public var tempoBPM: Double?
    /// General MIDI program (0-based, 0 ... 127) of the generated notes.
    public var program: UInt8
    /// 0-based MIDI channel of the generated notes (0 ... 15).
    public var channel: UInt8
    /// Note lengths.
    public var durations: DurationPolicy
    /// Ticks per quarter note of the output.
    public var ticksPerBeat: Int
    /// Most notes that may start at the same tick; a further simultaneous onset is moved a 32nd note
    /// (1/8 beat) later, so time always advances.
    public var maxChordNotes: Int
    /// Longest gap between onsets the model may ask for, in model seconds (longer gaps are shortened).
    public var maxGapSeconds: Double
    /// Rhythmic grid of the onsets (nil: the model's time deltas as they come, to the tick).
    public var onsetGrid: OnsetGrid?
    /// Index of the style the model plays in, among ``Learning/TrainedModel/styles`` (nil: none); checked by ``Generator``.
    public var style: Int?

    /// Creates options; throws for tempo outside 10 ... 400 BPM, program > 127, channel > 15,
    /// ticksPerBeat outside 24 ... 9600 or maxChordNotes outside 1 ... 32.
    public init(length: GenerationLength = .notes(200), seed: UInt64 = 0, start: GenerationStart = .random,
                sampling: SamplingOptions = try! SamplingOptions(), tempoBPM: Double? = nil, program: Int = 0, channel: Int = 0,
                durations: DurationPolicy = .legato, ticksPerBeat: Int = 480, maxChordNotes: Int = 8,
                maxGapSeconds: Double = 4, onsetGrid: OnsetGrid? = nil, style: Int? = nil) throws(GenerationError) {
        if let tempoBPM {
            guard tempoBPM.isFinite, (10...400).contains(tempoBPM) else {
                throw .outOfRange(option: "tempo", value: "\(tempoBPM)", valid: "10 to 400 BPM")
            }
        }
        guard (0...127).contains(program) else {
            throw .outOfRange(option: "program", value: "\(program)", valid: "a General MIDI program 0 to 127")
        }
        guard (0...15).contains(channel) else { throw .outOfRange(option: "channel", value: "\(channel)", valid: "0 to 15") }
        guard (24...9600).contains(ticksPerBeat) else {
            throw .outOfRange(option: "ticks per beat", value: "\(ticksPerBeat)", valid: "24 to 9600")
        }
        guard (1...32).contains(maxChordNotes) else {
            throw .outOfRange(option: "max chord notes", value: "\(maxChordNotes)", valid: "1 to 32")
        }
        guard maxGapSeconds.isFinite, maxGapSeconds > 0, maxGapSeconds <= 60 else {
            throw .outOfRange(option: "max gap", value: "\(maxGapSeconds)", valid: "seconds in (0, 60]")
        }
        self.length = length
        self.seed = seed
        self.start = start
        self.sampling = sampling
        self.tempoBPM = tempoBPM
        self.program = UInt8(program)
        self.channel = UInt8(channel)
        self.durations = durations
        self.ticksPerBeat = ticksPerBeat
        self.maxChordNotes = maxChordNotes
        self.maxGapSeconds = maxGapSeconds
        self.onsetGrid = onsetGrid
        self.style = style
    }
}
