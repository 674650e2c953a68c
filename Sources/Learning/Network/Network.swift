/// A network's architecture and its weights in one flat, contiguous parameter vector.
public struct Network<T: NeuralScalar>: Sendable {
    /// The layers.
    public let architecture: Architecture
    /// Where each tensor lives in ``parameters``.
    public let layout: ParameterLayout
    /// All weights, tensor after tensor (Keras layouts).
    public var parameters: [T]

    /// A freshly initialised network (Keras initialisers), reproducible from `seed`.
    public init(architecture: Architecture, seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        self.init(architecture: architecture, generator: &g)
    }

    /// A freshly initialised network drawing from `generator`.
    public init(architecture: Architecture, generator: inout SeededGenerator) {
        self.architecture = architecture
        layout = ParameterLayout(architecture: architecture)
        parameters = Initializer.initialParameters(for: architecture, layout: layout, generator: &generator)
    }

    /// A network with given weights (count must match the layout).
    public init(architecture: Architecture, parameters: [T]) {
        self.architecture = architecture
        layout = ParameterLayout(architecture: architecture)
        precondition(parameters.count == layout.count, "parameter count \(parameters.count) != \(layout.count)")
        self.parameters = parameters
    }

    /// Total trainable parameter count.
    public var parameterCount: Int { layout.count }

    /// Replaces the tensor named `name` (row-major values).
    public mutating func setTensor(_ name: String, _ values: [T]) {
        guard let t = layout.tensors.first(where: { $0.name == name }) else { preconditionFailure("no tensor \(name)") }
        precondition(values.count == t.count, "tensor \(name) needs \(t.count) values")
        parameters.replaceSubrange(t.offset..<(t.offset + t.count), with: values)
    }

    /// Whether every weight is finite.
    public var isFinite: Bool { parameters.allSatisfy { $0.isFinite } }
}
