import Learning

/// One step of a model: given the recent frames, proposes the next frame (in model units:
/// semitones, velocity, seconds), drawing any randomness from the caller's generator.
///
/// The paper's regression head is ``RegressionStepper``; categorical heads (softmax over pitches)
/// plug in as another stepper that draws with ``CategoricalSampler``.
public protocol NoteStepper {
    /// Frames of context a step reads.
    var lookBack: Int { get }
    /// The next frame after `window` (its last ``lookBack`` frames are used).
    mutating func next(after window: UnsafeBufferPointer<FeatureFrame>, generator: inout SeededGenerator) -> FeatureFrame
}

/// Steps a regression model (the paper's LSTM -> Dense -> Dense(3)): the prediction plus Gaussian
/// noise of standard deviation `temperature x noise` in standardised units.
public struct RegressionStepper: NoteStepper {
    private let predictor: Predictor
    private let sd: (Double, Double, Double)

    /// Creates a stepper for a model.
    public init(model: TrainedModel, sampling: SamplingOptions) {
        predictor = model.makePredictor()
        let s = sampling.regressionStandardDeviation
        sd = (s * model.scaler.scale[0], s * model.scaler.scale[1], s * model.scaler.scale[2])
    }

    /// Frames of context a step reads.
    public var lookBack: Int { predictor.lookBack }

    /// The prediction after `window`, with noise.
    public mutating func next(after window: UnsafeBufferPointer<FeatureFrame>, generator: inout SeededGenerator) -> FeatureFrame {
        var f = predictor.predict(window)
        if sd.0 > 0 || sd.1 > 0 || sd.2 > 0 {
            f.note += sd.0 * generator.nextNormal()
            f.velocity += sd.1 * generator.nextNormal()
            f.timeDelta += sd.2 * generator.nextNormal()
        }
        return f
    }
}

/// Chooses the stepper for a model's output head.
public enum StepperFactory {
    /// Checks that the model has a head this engine can step; the error names `path`.
    public static func validate(model: TrainedModel, path: String) throws(GenerationError) {
        let a = model.network.architecture
        guard a.outputWidth == 3, a.inputWidth == 3 else {
            throw .unsupportedModel(path: path, reason: "expected 3 input and 3 output features, found \(a.inputWidth) and \(a.outputWidth)")
        }
        guard a.lookBack >= 1 else { throw .unsupportedModel(path: path, reason: "look-back must be at least 1") }
    }

    /// The stepper for a validated `model`: today every model has the paper's 3-value regression head.
    public static func make(model: TrainedModel, sampling: SamplingOptions) -> any NoteStepper {
        RegressionStepper(model: model, sampling: sampling)
    }
}
