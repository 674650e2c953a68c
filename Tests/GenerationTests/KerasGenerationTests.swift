import Foundation
import Generation
import Learning
import TestSupport
import XCTest

/// Generation with the paper model at temperature 0 against Keras, on the shared parity file
/// (`../shared/parity/keras-paper-lstm.json`: Keras's weights, scaler, 32 input windows and its outputs for them).
final class KerasGenerationTests: XCTestCase {
    typealias Parity = KerasParityFile

    func load() throws -> Parity { try KerasParityFile.load() }

    func network<T: NeuralScalar>(_ p: Parity, as: T.Type) -> Network<T> {
        var net = Network<T>(architecture: .paper, seed: 0)
        for n in KerasParityFile.names { net.setTensor(n.ours, p.weights[n.keras]!.values.map { T($0) }) }
        return net
    }

    /// The paper model file with Keras's weights and scaler.
    func kerasModel(_ p: Parity) throws -> TrainedModel {
        var model = try Fixtures.paperModel()
        model.network = network(p, as: Float.self)
        model.scaler = StandardScaler(mean: p.scaler.mean, scale: p.scaler.scale)
        return model
    }

    /// A standardised row back in model units (semitones, velocity, seconds).
    func frame(_ x: [Double], _ p: Parity) -> FeatureFrame {
        FeatureFrame(note: x[0] * p.scaler.scale[0] + p.scaler.mean[0], velocity: x[1] * p.scaler.scale[1] + p.scaler.mean[1],
                     timeDelta: x[2] * p.scaler.scale[2] + p.scaler.mean[2])
    }

    /// A frame standardised with the parity scaler.
    func standardised(_ f: FeatureFrame, _ p: Parity) -> [Double] {
        [(f.note - p.scaler.mean[0]) / p.scaler.scale[0], (f.velocity - p.scaler.mean[1]) / p.scaler.scale[1],
         (f.timeDelta - p.scaler.mean[2]) / p.scaler.scale[2]]
    }

    /// Each temperature-0 generation step after a Keras input window is Keras's prediction (standardised units).
    func testTemperatureZeroStepsMatchKeras() throws {
        let p = try load()
        var stepper = RegressionStepper(model: try kerasModel(p), sampling: .deterministic)
        var g = SeededGenerator(seed: 1)
        var worst = 0.0
        for (window, expected) in zip(p.inputs, p.outputs) {
            let frames = window.map { frame($0, p) }
            let next = frames.withUnsafeBufferPointer { stepper.next(after: $0, generator: &g) }
            worst = max(worst, zip(standardised(next, p), expected).map { abs($0 - $1) }.max()!)
        }
        XCTAssertLessThan(worst, 1e-5, "largest difference from Keras in standardised units")
    }

    /// A temperature-0 rollout (each prediction fed back as the newest frame) from a Keras window follows a float64
    /// windowed forward pass of the same Keras weights step by step. The file records no Keras rollout; the float64
    /// path is the one KerasParityTests checks against Keras's outputs.
    func testTemperatureZeroRolloutFollowsTheFloat64Forward() throws {
        let p = try load()
        var stepper = RegressionStepper(model: try kerasModel(p), sampling: .deterministic)
        let reference = network(p, as: Double.self)
        let worker = NetworkWorker<Double>(architecture: .paper, maxBatch: 1)
        var g = SeededGenerator(seed: 1)
        var frames = p.inputs[0].map { frame($0, p) }
        var rows = p.inputs[0]
        var worst = 0.0, notes: Set<Double> = []
        for _ in 0..<64 {
            let next = frames.withUnsafeBufferPointer { stepper.next(after: $0, generator: &g) }
            frames = Array(frames.dropFirst()) + [next]
            notes.insert(next.note)
            for (t, row) in rows.enumerated() { for f in 0..<3 { worker.input[3 * t + f] = row[f] } }
            reference.parameters.withUnsafeBufferPointer { worker.forward(parameters: $0.baseAddress!, batch: 1) }
            let expected = (0..<3).map { worker.output[$0] }
            rows = Array(rows.dropFirst()) + [expected]
            worst = max(worst, zip(standardised(next, p), expected).map { abs($0 - $1) }.max()!)
        }
        XCTAssertLessThan(worst, 1e-5, "largest difference over the rollout in standardised units")
        XCTAssertGreaterThan(notes.count, 1, "the rollout moves")
    }
}
