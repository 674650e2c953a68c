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
///
/// Networks of the paper's shape (one LSTM, then dense layers) run on a batch-1 kernel made for
/// generation; any other shape runs through the Learning module's ``Predictor``.
public struct RegressionStepper: NoteStepper {
    private let kernel: PaperKernel?
    private let predictor: Predictor
    private let mean: (Double, Double, Double)
    private let scale: (Double, Double, Double)
    private let sd: (Double, Double, Double)

    /// Creates a stepper for a model; without `timeNoise` the time delta gets no noise (an ``OnsetGrid``
    /// draws the time step instead).
    public init(model: TrainedModel, sampling: SamplingOptions, timeNoise: Bool = true) {
        predictor = model.makePredictor()
        let a = model.network.architecture
        kernel = a.outputWidth == 3 && a.inputWidth == 3 ? PaperKernel(network: model.network) : nil
        let m = model.scaler.mean, sc = model.scaler.scale
        mean = (m[0], m[1], m[2])
        scale = (sc[0], sc[1], sc[2])
        let s = sampling.regressionStandardDeviation
        sd = (s * sc[0], s * sc[1], timeNoise ? s * sc[2] : 0)
    }

    /// Frames of context a step reads.
    public var lookBack: Int { predictor.lookBack }

    /// The model's prediction after `window` (its last ``lookBack`` frames; fewer are left-padded with the first).
    @inline(__always)
    func predict(_ window: UnsafeBufferPointer<FeatureFrame>) -> FeatureFrame {
        guard let k = kernel else { return predictor.predict(window) }
        let l = k.lookBack, x = k.input
        for t in 0..<l {
            let f = window[max(0, window.count - l + t)]
            x[3 * t] = Float((f.note - mean.0) / scale.0)
            x[3 * t + 1] = Float((f.velocity - mean.1) / scale.1)
            x[3 * t + 2] = Float((f.timeDelta - mean.2) / scale.2)
        }
        k.forward()
        let o = k.output
        return FeatureFrame(note: Double(o[0]) * scale.0 + mean.0, velocity: Double(o[1]) * scale.1 + mean.1,
                            timeDelta: Double(o[2]) * scale.2 + mean.2)
    }

    /// The prediction after `window`, with noise.
    public mutating func next(after window: UnsafeBufferPointer<FeatureFrame>, generator: inout SeededGenerator) -> FeatureFrame {
        var f = predict(window)
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
    public static func make(model: TrainedModel, sampling: SamplingOptions, timeNoise: Bool = true) -> any NoteStepper {
        if model.loss.categorical != nil { return CategoricalStepper(model: model, sampling: sampling, timeNoise: timeNoise) }
        return RegressionStepper(model: model, sampling: sampling, timeNoise: timeNoise)
    }
}
