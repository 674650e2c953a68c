import Learning

/// Steps a categorical model (softmax over the 128 MIDI pitches, plus velocity and time-delta regression):
/// the pitch is drawn from the logits with ``CategoricalSampler`` (temperature, top-k, top-p); the velocity is
/// the predicted one (the pitch carries the randomness: velocity noise only jitters what the corpus plays
/// evenly); the time delta is the prediction plus Gaussian noise of standard deviation `temperature x noise`
/// in standardised units (as ``RegressionStepper``; none when an ``OnsetGrid`` draws the time step).
/// Temperature 0 is the arg-max pitch and the predicted velocity and time delta.
///
/// The window is encoded with the model's own input encoding (pitch class, duration, instrument family),
/// so its frames should carry durations (seconds) and programs; missing ones read as the encoding's defaults.
/// No allocation per step once created.
public struct CategoricalStepper: NoteStepper {
    private let predictor: Predictor
    private let sampling: SamplingOptions
    private let timeSD: Double
    private var sampler = CategoricalSampler()
    private var logits: [Float]

    /// Creates a stepper for a model with a categorical pitch head (precondition: `model.loss.categorical != nil`);
    /// without `timeNoise` the time delta gets no noise.
    public init(model: TrainedModel, sampling: SamplingOptions, timeNoise: Bool = true) {
        precondition(model.loss.categorical != nil, "CategoricalStepper needs a categorical pitch head")
        predictor = model.makePredictor()
        self.sampling = sampling
        timeSD = timeNoise ? sampling.regressionStandardDeviation * model.scaler.scale[2] : 0
        logits = [Float](repeating: 0, count: CategoricalPitchLoss.pitchCount)
    }

    /// Frames of context a step reads.
    public var lookBack: Int { predictor.lookBack }

    /// The drawn next frame after `window` (its last ``lookBack`` frames; fewer are left-padded with the first):
    /// an integer pitch 0 ... 127, the predicted velocity and a time delta (seconds) with noise.
    public mutating func next(after window: UnsafeBufferPointer<FeatureFrame>, generator: inout SeededGenerator) -> FeatureFrame {
        let predictor = self.predictor
        var f = logits.withUnsafeMutableBufferPointer { predictor.predictLogits(window, logits: $0.baseAddress!) }
        let options = sampling
        let pitch = logits.withUnsafeBufferPointer { sampler.sample(logits: $0, options: options, generator: &generator) }
        f.note = Double(pitch)
        if timeSD > 0 { f.timeDelta += timeSD * generator.nextNormal() }
        return f
    }
}
