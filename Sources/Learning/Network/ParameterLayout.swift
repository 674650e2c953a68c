/// Where each weight tensor lives in a network's single flat parameter vector.
///
/// All parameters share one contiguous buffer so optimisers, clipping, gradient sums and
/// saving work on one array. Tensors are row-major in Keras's layout.
public struct ParameterLayout: Codable, Sendable, Hashable {
    /// One named tensor.
    public struct Tensor: Codable, Sendable, Hashable {
        /// Name, e.g. "layer0.lstm.kernel".
        public var name: String
        /// Shape (rows, columns); a vector has one row.
        public var rows: Int
        /// Columns.
        public var columns: Int
        /// Offset in the flat vector (scalars).
        public var offset: Int
        /// Scalar count.
        public var count: Int { rows * columns }
    }

    /// Tensors in storage order.
    public private(set) var tensors: [Tensor] = []
    /// Total scalar count.
    public private(set) var count: Int = 0

    /// Lays out the tensors of an architecture.
    public init(architecture: Architecture) {
        for (index, (spec, inputWidth)) in zip(architecture.layers, architecture.layerInputWidths).enumerated() {
            switch spec {
            case .lstm(let u, _):
                append("layer\(index).lstm.kernel", inputWidth, 4 * u)
                append("layer\(index).lstm.recurrent_kernel", u, 4 * u)
                append("layer\(index).lstm.bias", 1, 4 * u)
            case .dense(let u, _):
                append("layer\(index).dense.kernel", inputWidth, u)
                append("layer\(index).dense.bias", 1, u)
            }
        }
    }

    private mutating func append(_ name: String, _ rows: Int, _ columns: Int) {
        tensors.append(Tensor(name: name, rows: rows, columns: columns, offset: count))
        count += rows * columns
    }

    /// The tensors belonging to layer `index`, in order.
    public func tensors(ofLayer index: Int) -> [Tensor] {
        tensors.filter { $0.name.hasPrefix("layer\(index).") }
    }
}
