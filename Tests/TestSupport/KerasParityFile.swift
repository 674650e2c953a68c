import Foundation
import XCTest

/// The shared Keras reference for the paper model (`../shared/parity/keras-paper-lstm.json`): Keras's weights and
/// scaler, 32 input windows with Keras's outputs for them, and an MSE loss with its gradients.
public struct KerasParityFile: Decodable, Sendable {
    /// The standard scaler Keras's model was trained with.
    public struct Scaler: Decodable, Sendable {
        /// Per-feature means (note, velocity, time delta).
        public var mean: [Double]
        /// Per-feature standard deviations.
        public var scale: [Double]
    }

    /// A 1-D or 2-D JSON array flattened row-major.
    public struct Tensor: Decodable, Sendable {
        /// The values, row-major.
        public var values: [Double]

        /// Decodes either shape.
        public init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let m = try? c.decode([[Double]].self) { values = m.flatMap { $0 } } else { values = try c.decode([Double].self) }
        }
    }

    /// Keras's weights by Keras name (see ``names``).
    public var weights: [String: Tensor]
    /// The scaler.
    public var scaler: Scaler
    /// Input windows (standardised), window x step x feature.
    public var inputs: [[[Double]]]
    /// Keras's outputs for them (standardised).
    public var outputs: [[Double]]
    /// Targets of the MSE loss check.
    public var mse_targets: [[Double]]
    /// Keras's MSE loss on those targets.
    public var mse_loss: Double
    /// Keras's gradients of that loss, by Keras name.
    public var mse_gradients: [String: Tensor]

    /// Keras's tensor names and Tunesmith's parameter names for the paper architecture.
    public static let names: [(keras: String, ours: String)] = [
        ("lstm_kernel", "layer0.lstm.kernel"), ("lstm_recurrent_kernel", "layer0.lstm.recurrent_kernel"),
        ("lstm_bias", "layer0.lstm.bias"), ("dense1_kernel", "layer1.dense.kernel"), ("dense1_bias", "layer1.dense.bias"),
        ("dense2_kernel", "layer2.dense.kernel"), ("dense2_bias", "layer2.dense.bias"),
    ]

    /// Reads the shared file, or skips the test when `../shared` is absent.
    public static func load() throws -> KerasParityFile {
        guard let url = TestPaths.sharedItem("parity/keras-paper-lstm.json") else {
            throw XCTSkip("../shared/parity/keras-paper-lstm.json absent; Keras parity skipped")
        }
        return try JSONDecoder().decode(KerasParityFile.self, from: Data(contentsOf: url))
    }
}
