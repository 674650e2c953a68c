import Foundation
import MIDI
import Support

/// A trained model as stored in a model file: network, scaler, feature configuration, loss and training record.
///
/// Load one with ``init(contentsOf:)``, step it with ``makePredictor()``.
public struct TrainedModel: Sendable {
    /// Network (architecture and Float32 weights).
    public var network: Network<Float>
    /// Feature standardisation.
    public var scaler: StandardScaler
    /// Which notes were features.
    public var features: FeatureConfiguration
    /// Training loss.
    public var loss: FeatureLoss
    /// How it was trained.
    public var training: TrainingRecord

    /// Creates a model from its parts.
    public init(network: Network<Float>, scaler: StandardScaler, features: FeatureConfiguration, loss: FeatureLoss, training: TrainingRecord) {
        self.network = network
        self.scaler = scaler
        self.features = features
        self.loss = loss
        self.training = training
    }

    /// The header for this model (with optional checkpoint state).
    func header(checkpoint: CheckpointState? = nil) -> ModelHeader {
        ModelHeader(architecture: network.architecture, tensors: network.layout.tensors, scaler: scaler, features: features,
                    loss: loss, training: training, blobs: [], checkpoint: checkpoint)
    }

    /// The model file's bytes.
    public func encoded() throws -> [UInt8] {
        try ModelFile.encode(header: header(), blobs: [("weights", network.parameters)])
    }

    /// Writes the model atomically (temp file + rename); refuses non-finite weights and, unless `overwrite`, an existing file.
    public func write(to url: URL, overwrite: Bool) throws {
        guard network.isFinite else { throw ModelFileError.invalidHeader(path: url.path, reason: "refusing to write non-finite weights") }
        try AtomicFileWriter(destination: url, overwrite: overwrite).write(try encoded())
    }

    /// Reads a model file; throws ``ModelFileError`` naming the path for a missing, foreign, truncated or corrupt file.
    public init(contentsOf url: URL) throws(ModelFileError) {
        let (header, blobs) = try Self.read(url)
        self = try Self.model(header: header, weights: blobs["weights"], path: url.path)
    }

    static func read(_ url: URL) throws(ModelFileError) -> (ModelHeader, [String: [Float]]) {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path: url.path)
        } catch {
            throw .unreadable(path: url.path, reason: error.description)
        }
        return try ModelFile.decode(bytes, path: url.path)
    }

    static func model(header: ModelHeader, weights: [Float]?, path: String) throws(ModelFileError) -> TrainedModel {
        let layout = ParameterLayout(architecture: header.architecture)
        guard let weights, weights.count == layout.count else {
            throw .invalidHeader(path: path, reason: "weights do not match the architecture (\(layout.count) parameters expected)")
        }
        guard layout.tensors == header.tensors else { throw .invalidHeader(path: path, reason: "tensor layout does not match the architecture") }
        guard header.scaler.mean.count == 3, header.scaler.scale.count == 3 else { throw .invalidHeader(path: path, reason: "scaler must have 3 features") }
        guard weights.allSatisfy({ $0.isFinite }) else { throw .invalidHeader(path: path, reason: "non-finite weights") }
        guard header.architecture.inputWidth == header.features.inputWidth else {
            throw .invalidHeader(path: path, reason: "architecture input width \(header.architecture.inputWidth) does not match the feature encoding (\(header.features.inputWidth))")
        }
        if let c = header.loss.categorical, header.architecture.outputWidth != c.outputWidth {
            throw .invalidHeader(path: path, reason: "a categorical head needs \(c.outputWidth) outputs")
        }
        if let r = header.loss.categorical?.rhythm {
            guard let e = header.features.encoding, e.metre, r.deltaIndex == e.metreIndex, r.durationIndex == e.metreIndex + 1 else {
                throw .invalidHeader(path: path, reason: "a rhythm head needs the input encoding's metre block")
            }
        }
        return TrainedModel(network: Network(architecture: header.architecture, parameters: weights), scaler: header.scaler,
                            features: header.features, loss: header.loss, training: header.training)
    }

    /// A predictor for stepping this model one sequence at a time.
    public func makePredictor() -> Predictor { Predictor(model: self) }

    /// Per-layer summary rows: (layer description, output shape, parameter count).
    public var layerSummary: [(name: String, output: String, parameters: Int)] {
        let a = network.architecture
        var rows: [(String, String, Int)] = []
        var steps = a.lookBack
        for (i, (spec, w)) in zip(a.layers, a.layerInputWidths).enumerated() {
            switch spec {
            case .lstm(let u, let seq):
                steps = seq ? steps : 1
                rows.append(("\(i + 1) LSTM(\(u))", seq ? "(\(steps), \(u))" : "(\(u))", spec.parameterCount(inputWidth: w)))
            case .dense(let u, let act):
                rows.append(("\(i + 1) Dense(\(u), \(act.rawValue))", steps > 1 ? "(\(steps), \(u))" : "(\(u))", spec.parameterCount(inputWidth: w)))
            }
        }
        return rows
    }
}

/// Steps a trained model on one sequence: given the last `lookBack` frames, predicts the next frame.
///
/// Reuses its buffers: no allocation per prediction. Not thread-safe; make one per thread.
public final class Predictor {
    /// The model.
    public let model: TrainedModel
    private let worker: NetworkWorker<Float>

    /// Creates a predictor.
    public init(model: TrainedModel) {
        self.model = model
        worker = NetworkWorker(architecture: model.network.architecture, maxBatch: 1)
    }

    /// Frames of context a prediction reads.
    public var lookBack: Int { model.network.architecture.lookBack }

    /// The predicted next frame (unscaled: semitones, velocity, seconds) after `window`, whose last
    /// ``lookBack`` frames are used (earlier frames ignored; fewer frames are left-padded with the first).
    public func predict(_ window: UnsafeBufferPointer<FeatureFrame>) -> FeatureFrame {
        let l = lookBack
        precondition(window.count > 0, "predict needs at least one frame")
        run(window)
        let o = worker.output
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
        run(window)
        return UnsafePointer(worker.output)
    }

    /// Runs the network on the last ``lookBack`` frames of `window` (left-padded with the first).
    private func run(_ window: UnsafeBufferPointer<FeatureFrame>) {
        let l = lookBack, w = model.features.inputWidth
        let input = worker.input
        for t in 0..<l {
            let idx = max(0, window.count - l + t)
            model.features.encode(window[idx], scaler: model.scaler, into: input + w * t)
        }
        model.network.parameters.withUnsafeBufferPointer { worker.forward(parameters: $0.baseAddress!, batch: 1) }
    }

    /// For a categorical head: the next note's pitch probabilities (128 values, MIDI pitch order, summing to 1)
    /// written to `probabilities`, and the predicted velocity and time delta (seconds) returned in a frame whose
    /// note is the most probable pitch. Precondition: ``isCategorical``.
    public func predictDistribution(_ window: UnsafeBufferPointer<FeatureFrame>, probabilities: UnsafeMutablePointer<Double>) -> FeatureFrame {
        precondition(isCategorical, "predictDistribution needs a categorical pitch head")
        precondition(window.count > 0, "predict needs at least one frame")
        run(window)
        let o = worker.output, k = CategoricalPitchLoss.pitchCount
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
        run(window)
        let o = worker.output, k = CategoricalPitchLoss.pitchCount
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
