import Foundation
import MIDI
import Support

/// A trained model as stored in a model file: network, scaler, feature configuration, loss and training record.
///
/// Load one with ``init(contentsOf:)``, step it with ``makePredictor()`` or ``makeStepper()``.
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
        guard header.architecture.isSteppable else {
            throw .invalidHeader(path: path, reason: "an LSTM returning only its last step is followed by another LSTM")
        }
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

    /// A batch-1 stepper over this model's network (encoded frames in, raw output rows out), in its zero state.
    public func makeStepper() -> NetworkStepper<Float> { NetworkStepper(network: network) }

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
