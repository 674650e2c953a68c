/// What a network is made of, independent of its weights: the input, the layers in order and the output head.
///
/// Stored in the model file as JSON. Later architectures add layers, units, look-back and heads without
/// changing the core.
public struct Architecture: Codable, Sendable, Hashable {
    /// Short name ("paper", ...).
    public var name: String
    /// Time steps of input per prediction (the paper's look-back, 3).
    public var lookBack: Int
    /// Values per input time step (3: note, velocity, time delta).
    public var inputWidth: Int
    /// The layers, input first.
    public var layers: [LayerSpec]
    /// True for a model trained statefully (truncated back-propagation through time over whole songs, state carried
    /// from chunk to chunk): every LSTM returns sequences, the dense head reads every step, and ``lookBack`` is the
    /// training chunk length, not a window a prediction needs. Absent (nil) in files of windowed models.
    public var stateful: Bool? = nil

    /// Creates an architecture.
    public init(name: String, lookBack: Int, inputWidth: Int, layers: [LayerSpec]) {
        self.name = name
        self.lookBack = lookBack
        self.inputWidth = inputWidth
        self.layers = layers
    }

    /// The paper's model: LSTM(48) -> Dense(24) -> Dense(3), linear dense layers, look-back 3.
    public static let paper = Architecture(
        name: "paper", lookBack: 3, inputWidth: 3,
        layers: [.lstm(units: 48, returnSequences: false), .dense(units: 24, activation: .linear), .dense(units: 3, activation: .linear)])

    /// Whether the model was trained statefully (see ``stateful``): generation feeds each note once through a
    /// ``NetworkStepper`` and keeps its state, never re-running a window.
    public var isStateful: Bool { stateful ?? false }

    /// Width of the final layer's output.
    public var outputWidth: Int {
        var w = inputWidth
        for l in layers { w = l.outputWidth(inputWidth: w) }
        return w
    }

    /// The input width of each layer, in order.
    public var layerInputWidths: [Int] {
        var w = inputWidth
        var out: [Int] = []
        for l in layers { out.append(w); w = l.outputWidth(inputWidth: w) }
        return out
    }
}

/// One layer of an ``Architecture``.
public enum LayerSpec: Codable, Sendable, Hashable {
    /// A Keras-compatible LSTM (gates i, f, c, o); `returnSequences` emits every step, else the last.
    case lstm(units: Int, returnSequences: Bool)
    /// A fully connected layer applied to every row (and every step of a sequence).
    case dense(units: Int, activation: Activation)

    /// Output width for an input width.
    public func outputWidth(inputWidth: Int) -> Int {
        switch self {
        case .lstm(let units, _): return units
        case .dense(let units, _): return units
        }
    }

    /// Trainable parameter count for an input width (Keras's count).
    public func parameterCount(inputWidth: Int) -> Int {
        switch self {
        case .lstm(let u, _): return 4 * u * (inputWidth + u + 1)
        case .dense(let u, _): return u * (inputWidth + 1)
        }
    }

    /// Human-readable kind ("LSTM", "Dense").
    public var kindName: String {
        switch self {
        case .lstm: return "LSTM"
        case .dense: return "Dense"
        }
    }
}

/// Element-wise activation of a dense layer.
public enum Activation: String, Codable, Sendable, Hashable {
    /// Identity (the paper's dense layers).
    case linear
    /// max(0, x).
    case relu
    /// Hyperbolic tangent.
    case tanh
}
