import Foundation
import TestSupport
import XCTest
@testable import Learning

/// Tunesmith's paper LSTM against Keras 3 / TensorFlow on the shared parity file.
final class KerasParityTests: XCTestCase {
    typealias Parity = KerasParityFile

    func load() throws -> Parity { try KerasParityFile.load() }

    /// The paper network with Keras's weights.
    static func network<T: NeuralScalar>(_ p: Parity, as: T.Type) -> Network<T> {
        var net = Network<T>(architecture: .paper, seed: 0)
        for n in KerasParityFile.names { net.setTensor(n.ours, p.weights[n.keras]!.values.map { T($0) }) }
        return net
    }

    func run<T: NeuralScalar>(_ p: Parity, as: T.Type) -> (outputs: [Double], loss: Double, gradients: [String: [Double]]) {
        let net = Self.network(p, as: T.self)
        let batch = p.inputs.count
        let worker = NetworkWorker<T>(architecture: .paper, maxBatch: batch)
        for t in 0..<3 { for b in 0..<batch { for f in 0..<3 { worker.input[(t * batch + b) * 3 + f] = T(p.inputs[b][t][f]) } } }
        let targets = p.mse_targets.flatMap { $0 }.map { T($0) }
        let loss = FeatureLoss(mode: .mse, noteScale: 1)
        var result: LossComponents = LossComponents()
        net.parameters.withUnsafeBufferPointer { params in
            worker.forward(parameters: params.baseAddress!, batch: batch)
            result = targets.withUnsafeBufferPointer {
                loss.evaluate(output: worker.output, target: $0.baseAddress!, batch: batch, normalizer: Double(batch), gradient: worker.outputGradient)
            }
            worker.zeroGradients()
            worker.backward(parameters: params.baseAddress!, batch: batch)
        }
        let outputs = (0..<(batch * 3)).map { Double(worker.output[$0]) }
        var grads: [String: [Double]] = [:]
        for t in net.layout.tensors { grads[t.name] = (0..<t.count).map { Double(worker.gradients[t.offset + $0]) } }
        return (outputs, result.total, grads)
    }

    func check<T: NeuralScalar>(_ type: T.Type) throws {
        let p = try load()
        let r = run(p, as: T.self)
        let expected = p.outputs.flatMap { $0 }
        let maxOut = zip(r.outputs, expected).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(maxOut, 1e-5, "\(T.self) outputs differ from Keras by \(maxOut)")
        XCTAssertLessThan(abs(r.loss - p.mse_loss) / p.mse_loss, 1e-4, "\(T.self) loss \(r.loss) vs Keras \(p.mse_loss)")
        for n in KerasParityFile.names {
            let k = p.mse_gradients[n.keras]!.values, ours = r.gradients[n.ours]!
            let scale = k.map(abs).max()!
            let diff = zip(k, ours).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(diff / scale, 1e-4, "\(T.self) gradient \(n.keras) relative difference \(diff / scale)")
        }
    }

    /// The batch-1 stepper, reset before each window and stepped once per frame, gives Keras's outputs.
    func checkStepper<T: NeuralScalar>(_ type: T.Type) throws {
        let p = try load()
        let stepper = NetworkStepper(network: Self.network(p, as: T.self))
        var worst = 0.0
        for (window, expected) in zip(p.inputs, p.outputs) {
            stepper.reset()
            for frame in window { _ = stepper.step(frame.map { T($0) }) }
            for j in 0..<3 { worst = max(worst, abs(Double(stepper.output[j]) - expected[j])) }
        }
        XCTAssertLessThan(worst, 1e-5, "\(T.self) stepper outputs differ from Keras by \(worst)")
    }

    func testFloatForwardLossAndGradientsMatchKeras() throws { try check(Float.self) }
    func testFloatStepperMatchesKeras() throws { try checkStepper(Float.self) }
    func testDoubleStepperMatchesKeras() throws { try checkStepper(Double.self) }
    func testDoubleForwardLossAndGradientsMatchKeras() throws { try check(Double.self) }
}
