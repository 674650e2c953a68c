import Learning

/// Steps a categorical model (softmax over the 128 MIDI pitches, plus velocity and time-delta regression):
/// the pitch is drawn from the logits with ``CategoricalSampler`` (temperature, top-k, top-p), velocity and
/// time delta are the regression outputs plus Gaussian noise of standard deviation `temperature x noise`
/// in standardised units (as ``RegressionStepper``). Temperature 0 is the arg-max pitch without noise.
///
/// The window is encoded with the model's own input encoding (pitch class, duration, instrument family),
/// so its frames should carry durations (seconds) and programs; missing ones read as the encoding's defaults.
/// No allocation per step once created.
public struct CategoricalStepper: NoteStepper {
    private let predictor: Predictor
    private let sampling: SamplingOptions
    private let sd: (velocity: Double, timeDelta: Double)
    private var sampler = CategoricalSampler()
    private var logits: [Float]

    /// Creates a stepper for a model with a categorical pitch head (precondition: `model.loss.categorical != nil`).
    public init(model: TrainedModel, sampling: SamplingOptions) {
        precondition(model.loss.categorical != nil, "CategoricalStepper needs a categorical pitch head")
        predictor = model.makePredictor()
        self.sampling = sampling
        let s = sampling.regressionStandardDeviation, sc = model.scaler.scale
        sd = (s * sc[1], s * sc[2])
        logits = [Float](repeating: 0, count: CategoricalPitchLoss.pitchCount)
    }

    /// Frames of context a step reads.
    public var lookBack: Int { predictor.lookBack }

    /// The drawn next frame after `window` (its last ``lookBack`` frames; fewer are left-padded with the first):
    /// an integer pitch 0 ... 127, velocity and time delta (seconds) with noise.
    public mutating func next(after window: UnsafeBufferPointer<FeatureFrame>, generator: inout SeededGenerator) -> FeatureFrame {
        let predictor = self.predictor
        var f = logits.withUnsafeMutableBufferPointer { predictor.predictLogits(window, logits: $0.baseAddress!) }
        let options = sampling
        let pitch = logits.withUnsafeBufferPointer { sampler.sample(logits: $0, options: options, generator: &generator) }
        f.note = Double(pitch)
        if sd.velocity > 0 || sd.timeDelta > 0 {
            f.velocity += sd.velocity * generator.nextNormal()
            f.timeDelta += sd.timeDelta * generator.nextNormal()
        }
        return f
    }
}
