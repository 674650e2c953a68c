/// Steps a trained model on one sequence: given the last `lookBack` frames, predicts the next frame.
///
/// Built on the model's ``NetworkStepper``: a prediction after a window resets it and steps through the window's
/// last ``lookBack`` frames, which computes what the windowed network computes. ``reset()`` and ``step(_:)``
/// expose the stateful stepping itself (one frame in, one output row out, state kept between calls).
/// Reuses its buffers: no allocation per prediction. Not thread-safe; make one per thread.
public final class Predictor {
    /// The model.
    public let model: TrainedModel
    /// The batch-1 network stepper the predictions run on (its state is the predictor's).
    public let stepper: NetworkStepper<Float>
    /// One encoded frame (the network's input row).
    private let frame: ScalarBuffer<Float>
    /// The style every frame this predictor encodes is given (an index into ``TrainedModel/styles``; nil: none,
    /// the style block stays zero). Set it once before stepping a piece.
    public var style: Int?

    /// Creates a predictor.
    public init(model: TrainedModel) {
        self.model = model
        stepper = model.makeStepper()
        frame = ScalarBuffer(count: model.features.inputWidth)
    }

    /// Frames of context a prediction reads.
    public var lookBack: Int { model.network.architecture.lookBack }

    /// Sets the network's state back to zero (as at the start of a window).
    public func reset() { stepper.reset() }

    /// Encodes `frame` (unscaled: semitones, velocity, seconds, and the encoding's details) and steps the network
    /// once from its current state; returns the raw output row (``Architecture/outputWidth`` values, valid until the
    /// next step).
    @discardableResult
    public func step(_ frame: FeatureFrame) -> UnsafePointer<Float> {
        model.features.encode(frame, scaler: model.scaler, style: style, into: self.frame.pointer)
        return stepper.step(input: self.frame.pointer)
    }

    /// The predicted next frame (unscaled: semitones, velocity, seconds) after `window`, whose last
    /// ``lookBack`` frames are used (earlier frames ignored; fewer frames are left-padded with the first).
    public func predict(_ window: UnsafeBufferPointer<FeatureFrame>) -> FeatureFrame {
        precondition(window.count > 0, "predict needs at least one frame")
        let o = run(window)
        if isCategorical {
            var best = 0
            for j in 1..<CategoricalPitchLoss.pitchCount where o[j] > o[best] { best = j }
            return categoricalFrame(o, pitch: best)
        }
        return model.scaler.inverse(o[0], o[1], o[2])
    }

    /// Whether the model has a categorical pitch head (a softmax over 128 pitches).
    public var isCategorical: Bool { model.loss.categorical != nil }

    /// A categorical head's frame for output row `o` with the given pitch: the regressed velocity and time delta,
    /// or with a rhythm head the most probable velocity, time step and length (beats; time delta in seconds 0).
    private func categoricalFrame(_ o: UnsafePointer<Float>, pitch: Int) -> FeatureFrame {
        let k = CategoricalPitchLoss.pitchCount
        guard let r = model.loss.categorical?.rhythm else {
            let f = model.scaler.inverse(0, o[k], o[k + 1])
            return FeatureFrame(note: Double(pitch), velocity: f.velocity, timeDelta: f.timeDelta)
        }
        func argMax(_ start: Int, _ count: Int) -> Int {
            var best = 0
            for j in 1..<count where o[start + j] > o[start + best] { best = j }
            return best
        }
        var f = FeatureFrame(note: Double(pitch), velocity: Double(argMax(r.velocityOffset, RhythmHead.velocityClasses)), timeDelta: 0)
        f.beatDelta = r.beats(deltaClass: argMax(r.deltaOffset, r.deltaClasses))
        f.beatDuration = r.beats(durationClass: argMax(r.durationOffset, r.durationClasses))
        return f
    }

    /// The network's raw output row after `window` (``Architecture/outputWidth`` values, valid until the next
    /// prediction): for a categorical head the pitch logits, then the regressed values or the rhythm head's logits.
    public func predictOutput(_ window: UnsafeBufferPointer<FeatureFrame>) -> UnsafePointer<Float> {
        precondition(window.count > 0, "predict needs at least one frame")
        return run(window)
    }

    /// Resets the network and steps it through the last ``lookBack`` frames of `window` (left-padded with the
    /// first); returns the output row.
    private func run(_ window: UnsafeBufferPointer<FeatureFrame>) -> UnsafePointer<Float> {
        let l = lookBack
        stepper.reset()
        for t in 0..<(l - 1) {
            model.features.encode(window[max(0, window.count - l + t)], scaler: model.scaler, style: style, into: frame.pointer)
            stepper.advance(input: frame.pointer)
        }
        return step(window[window.count - 1])
    }

    /// For a categorical head: the next note's pitch probabilities (128 values, MIDI pitch order, summing to 1)
    /// written to `probabilities`, and the predicted velocity and time delta (seconds) returned in a frame whose
    /// note is the most probable pitch. Precondition: ``isCategorical``.
    public func predictDistribution(_ window: UnsafeBufferPointer<FeatureFrame>, probabilities: UnsafeMutablePointer<Double>) -> FeatureFrame {
        precondition(isCategorical, "predictDistribution needs a categorical pitch head")
        precondition(window.count > 0, "predict needs at least one frame")
        let o = run(window), k = CategoricalPitchLoss.pitchCount
        CategoricalPitchLoss.softmax(o, into: probabilities)
        var best = 0
        for j in 1..<k where probabilities[j] > probabilities[best] { best = j }
        return categoricalFrame(o, pitch: best)
    }

    /// For a categorical head: the 128 raw pitch logits (MIDI pitch order, for a temperature / top-k / top-p sampler)
    /// written to `logits`, and the predicted velocity and time delta (seconds) in a frame whose note is the
    /// most probable pitch. Precondition: ``isCategorical``.
    public func predictLogits(_ window: UnsafeBufferPointer<FeatureFrame>, logits: UnsafeMutablePointer<Float>) -> FeatureFrame {
        precondition(isCategorical, "predictLogits needs a categorical pitch head")
        precondition(window.count > 0, "predict needs at least one frame")
        let o = run(window), k = CategoricalPitchLoss.pitchCount
        logits.update(from: o, count: k)
        var best = 0
        for j in 1..<k where o[j] > o[best] { best = j }
        return categoricalFrame(o, pitch: best)
    }

    /// Convenience over arrays: the pitch distribution (128 probabilities) and the frame of the most probable pitch.
    public func predictDistribution(_ window: [FeatureFrame]) -> (probabilities: [Double], frame: FeatureFrame) {
        var p = [Double](repeating: 0, count: CategoricalPitchLoss.pitchCount)
        let f = window.withUnsafeBufferPointer { w in p.withUnsafeMutableBufferPointer { predictDistribution(w, probabilities: $0.baseAddress!) } }
        return (p, f)
    }

    /// Convenience over an array (no copy).
    public func predict(_ window: [FeatureFrame]) -> FeatureFrame {
        window.withUnsafeBufferPointer { predict($0) }
    }
}
