import Learning

/// One step of a model: given the recent frames, proposes the next frame (in model units:
/// semitones, velocity, seconds), drawing any randomness from the caller's generator.
///
/// The paper's regression head is ``RegressionStepper``; categorical heads (softmax over pitches)
/// plug in as another stepper that draws with ``CategoricalSampler``.
public protocol NoteStepper {
    /// Frames of context a step reads.
    var lookBack: Int { get }
    /// Whether the stepper keeps the model's state from step to step: its first step feeds the whole window (the
    /// start's context) and every later step only the window's newest frame (the note drawn last), once.
    /// A windowed stepper re-reads the last ``lookBack`` frames at every step.
    var isStateful: Bool { get }
    /// The next frame after `window` (its last ``lookBack`` frames are used; a stateful stepper after its first
    /// step reads only the newest frame).
    mutating func next(after window: UnsafeBufferPointer<FeatureFrame>, generator: inout SeededGenerator) -> FeatureFrame
}

extension NoteStepper {
    /// Windowed unless the stepper says otherwise.
    public var isStateful: Bool { false }
}

/// Steps a regression model (the paper's LSTM -> Dense -> Dense(3)): the prediction plus Gaussian
/// noise of standard deviation `temperature x noise` in standardised units.
///
/// Predictions run through the Learning module's ``Predictor`` (its batch-1 ``NetworkStepper``).
public struct RegressionStepper: NoteStepper {
    private let predictor: Predictor
    private let sd: (Double, Double, Double)

    /// Creates a stepper for a model; without `timeNoise` the time delta gets no noise (an ``OnsetGrid``
    /// draws the time step instead).
    public init(model: TrainedModel, sampling: SamplingOptions, timeNoise: Bool = true) {
        predictor = model.makePredictor()
        let sc = model.scaler.scale
        let s = sampling.regressionStandardDeviation
        sd = (s * sc[0], s * sc[1], timeNoise ? s * sc[2] : 0)
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
    /// Checks that the model has a head this engine can step (the paper's 3-value regression head, or a
    /// categorical pitch head of 128 logits + velocity + time delta or + a rhythm head) reading its feature encoding;
    /// the error names `path`.
    public static func validate(model: TrainedModel, path: String) throws(GenerationError) {
        let a = model.network.architecture
        guard a.lookBack >= 1 else { throw .unsupportedModel(path: path, reason: "look-back must be at least 1") }
        guard a.inputWidth == model.features.inputWidth else {
            throw .unsupportedModel(path: path, reason: "the network reads \(a.inputWidth) inputs but the feature encoding gives \(model.features.inputWidth)")
        }
        if let c = model.loss.categorical {
            guard a.outputWidth == c.outputWidth else {
                throw .unsupportedModel(path: path, reason: "a categorical head needs \(c.outputWidth) outputs, found \(a.outputWidth)")
            }
        } else {
            guard a.outputWidth == 3 else {
                throw .unsupportedModel(path: path, reason: "a regression head needs 3 outputs (note, velocity, time delta), found \(a.outputWidth)")
            }
        }
    }

    /// The stepper for a validated `model`: ``CategoricalStepper`` for a categorical pitch head, else ``RegressionStepper``;
    /// without `timeNoise` time deltas get no Gaussian noise (an ``OnsetGrid`` draws the time step instead).
    /// A categorical model trained statefully (``TrainedModel/isStateful``) is stepped once per note, keeping its state;
    /// windowed models (the paper's, older files) re-read their look-back window at every step, as they were trained.
    public static func make(model: TrainedModel, sampling: SamplingOptions, timeNoise: Bool = true, style: Int? = nil) -> any NoteStepper {
        if model.loss.categorical != nil {
            return CategoricalStepper(model: model, sampling: sampling, timeNoise: timeNoise, stateful: model.isStateful, style: style)
        }
        return RegressionStepper(model: model, sampling: sampling, timeNoise: timeNoise)
    }
}
