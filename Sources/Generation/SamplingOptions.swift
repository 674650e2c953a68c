/// How predictions become notes: Gaussian noise around a regression head's output, and
/// temperature / top-k / top-p for categorical heads (softmax over pitches, issue 6).
public struct SamplingOptions: Sendable, Hashable {
    /// Scales the randomness of every head: 0 is the paper's deterministic stepping; 1 the default.
    public var temperature: Double
    /// Regression head: standard deviation of the Gaussian noise added to each standardised feature
    /// [note, velocity, time delta] at temperature 1 (categorical heads: time delta only; no time noise on an onset grid)
    /// (so noise in semitones = temperature x noise x the
    /// scaler's note standard deviation).
    public var noise: Double
    /// Categorical heads: keep only the k most likely classes (0: all).
    public var topK: Int
    /// Categorical heads: keep the smallest set of classes whose probability reaches p (1: all).
    public var topP: Double
    /// Rhythm-head models: nucleus of the velocity, time-step and length heads (1: all).
    public var rhythmTopP: Double
    /// Rhythm-head models: weight (0 ... 0.95) given to the piece's own earlier continuation when its latest
    /// notes repeat an earlier passage (``MotifMemory``); the model's distributions keep the rest. 0: off.
    public var motifMemory: Double
    /// Rhythm-head models: how much less likely (0 ... 0.95) a pitch outside the piece's own scale is drawn (``ScaleMemory``:
    /// the 7 pitch classes the piece has used most, recent notes weighing more). 0: off.
    public var scaleMemory: Double
    /// Rhythm-head models: the chance (0 ... 1) that a phrase (every ``phraseBeats`` beats from the start) begins by
    /// restating the piece's opening phrase, through the motif memory, while the
    /// melody has lately repeated itself less than the corpus's tunes do (see ``CategoricalStepper``); 0: off.
    public var phraseRecall: Double

    /// Default regression noise at temperature 1, in standardised units.
    public static let defaultNoise = 0.2
    /// Default nucleus for categorical heads: the least likely 10 % of the pitch distribution is never drawn
    /// (keeps the default model's music in key as often as the corpus; see Scripts/results-table).
    public static let defaultTopP = 0.9
    /// Default temperature of stateful models (whose cold starts at temperature 1 wander out of key; see
    /// `Benchmarks/generate/cold-start.sh`).
    public static let defaultStatefulTemperature = 0.8
    /// The default temperature for a model: ``defaultStatefulTemperature`` for a stateful one, else 1.
    public static func defaultTemperature(stateful: Bool) -> Double { stateful ? defaultStatefulTemperature : 1 }
    /// Default scale-memory weight: 0.5 (a pitch outside the piece's own 7 most used pitch classes is half as likely).
    /// Measured on the default model's cold starts at its default temperature, 20 seeds per style
    /// (`GENERATE_ARGS="--scale-memory W" Benchmarks/generate/cold-start.sh --style NAME`), 0.5 against off: games
    /// 0.909 -> 0.975 in key and interval 4-grams 0.26 -> 0.31 with distinct pitches and chord share still inside the
    /// corpus's ranges; chorales 0.968 -> 0.972 and their chord share into the corpus's range; folk tunes unchanged
    /// (0.985 -> 0.992, 11 distinct pitches either way). Weight 0.8 narrows folk tunes below the corpus's range.
    public static let defaultScaleMemory = 0.5
    /// Default motif-memory weight (see Scripts/results-table for its effect on repetition).
    public static let defaultMotifMemory = 0.8
    /// Default phrase-recall chance: every phrase while the melody repeats too little (see ``phraseRecall``).
    /// Measured on the default model's cold starts at temperature 0.8 (20 seeds per style,
    /// `GENERATE_ARGS="--phrase-recall 0" Benchmarks/generate/cold-start.sh --style NAME` against the default): interval
    /// 4-grams of chorales 0.153 -> 0.409 and of game pieces 0.304 -> 0.578, folk tunes as they were (0.764 -> 0.769),
    /// no exact loop over 0.35 at 0.5, 0.8 or 1.0.
    public static let defaultPhraseRecall = 1.0
    /// Beats per phrase for ``phraseRecall``: two bars of 4/4, a chorale's phrase, half a folk tune's.
    public static let phraseBeats = 8.0
    /// Default nucleus of the rhythm heads.
    public static let defaultRhythmTopP = 0.95

    /// Creates sampling options; throws for values outside temperature 0...100, noise 0...10,
    /// topK >= 0, topP and rhythmTopP in (0, 1], motifMemory and scaleMemory in [0, 0.95] and phraseRecall in [0, 1].
    public init(temperature: Double = 1, noise: Double = SamplingOptions.defaultNoise, topK: Int = 0, topP: Double = SamplingOptions.defaultTopP,
                motifMemory: Double = SamplingOptions.defaultMotifMemory, rhythmTopP: Double = SamplingOptions.defaultRhythmTopP,
                scaleMemory: Double = SamplingOptions.defaultScaleMemory,
                phraseRecall: Double = SamplingOptions.defaultPhraseRecall) throws(GenerationError) {
        guard temperature.isFinite, (0...100).contains(temperature) else {
            throw .outOfRange(option: "temperature", value: "\(temperature)", valid: "a number from 0 to 100")
        }
        guard noise.isFinite, (0...10).contains(noise) else {
            throw .outOfRange(option: "noise", value: "\(noise)", valid: "a number from 0 to 10 (standard deviations)")
        }
        guard topK >= 0 else { throw .outOfRange(option: "top-k", value: "\(topK)", valid: "0 (all) or a positive count") }
        guard topP.isFinite, topP > 0, topP <= 1 else {
            throw .outOfRange(option: "top-p", value: "\(topP)", valid: "a probability in (0, 1]")
        }
        guard rhythmTopP.isFinite, rhythmTopP > 0, rhythmTopP <= 1 else {
            throw .outOfRange(option: "rhythm top-p", value: "\(rhythmTopP)", valid: "a probability in (0, 1]")
        }
        guard motifMemory.isFinite, (0...0.95).contains(motifMemory) else {
            throw .outOfRange(option: "motif memory", value: "\(motifMemory)", valid: "a weight from 0 (off) to 0.95")
        }
        self.temperature = temperature
        guard scaleMemory.isFinite, (0...0.95).contains(scaleMemory) else {
            throw .outOfRange(option: "scale memory", value: "\(scaleMemory)", valid: "a weight from 0 (off) to 0.95")
        }
        guard phraseRecall.isFinite, (0...1).contains(phraseRecall) else {
            throw .outOfRange(option: "phrase recall", value: "\(phraseRecall)", valid: "a chance from 0 (off) to 1")
        }
        self.motifMemory = motifMemory
        self.scaleMemory = scaleMemory
        self.phraseRecall = phraseRecall
        self.rhythmTopP = rhythmTopP
        self.noise = noise
        self.topK = topK
        self.topP = topP
    }

    /// The paper's way: no noise at all (each step is the model's prediction).
    public static let deterministic = try! SamplingOptions(temperature: 0)

    /// Standard deviation of the Gaussian noise on standardised regression outputs.
    public var regressionStandardDeviation: Double { temperature * noise }
}
