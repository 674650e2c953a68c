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

    /// Default regression noise at temperature 1, in standardised units.
    public static let defaultNoise = 0.2
    /// Default nucleus for categorical heads: the least likely 10 % of the pitch distribution is never drawn
    /// (keeps the default model's music in key as often as the corpus; see Scripts/results-table).
    public static let defaultTopP = 0.9

    /// Creates sampling options; throws for values outside temperature 0...100, noise 0...10,
    /// topK >= 0 and topP in (0, 1].
    public init(temperature: Double = 1, noise: Double = SamplingOptions.defaultNoise, topK: Int = 0, topP: Double = SamplingOptions.defaultTopP) throws(GenerationError) {
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
        self.temperature = temperature
        self.noise = noise
        self.topK = topK
        self.topP = topP
    }

    /// The paper's way: no noise at all (each step is the model's prediction).
    public static let deterministic = try! SamplingOptions(temperature: 0)

    /// Standard deviation of the Gaussian noise on standardised regression outputs.
    public var regressionStandardDeviation: Double { temperature * noise }
}
