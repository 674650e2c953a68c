import Foundation
import TestSupport
import XCTest
@testable import Learning

/// The batch-1 ``NetworkStepper`` against the windowed ``NetworkWorker`` forward pass, and its state handling.
final class NetworkStepperTests: XCTestCase {
    /// A committed model, or a skip when it is missing.
    func committedModel(_ name: String) throws -> TrainedModel {
        let url = TestPaths.packageRoot.appendingPathComponent("Samples/Models/\(name).tsmodel")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("no model at \(url.path)") }
        return try TrainedModel(contentsOf: url)
    }

    /// `count` random frames, encoded with the model's features (rows of `inputWidth`).
    func encodedFrames(_ model: TrainedModel, count: Int, generator g: inout SeededGenerator) -> [Float] {
        let frames = (0..<count).map { _ in
            var f = FeatureFrame(note: 40 + 50 * g.nextUnit(), velocity: 1 + 126 * g.nextUnit(), timeDelta: g.nextUnit() < 0.3 ? 0 : g.nextUnit(),
                                 duration: 0.05 + g.nextUnit(), program: Double(Int(g.nextUnit() * 128)))
            f.beatDelta = Double(Int(g.nextUnit() * 8)) / 4
            f.beatDuration = Double(1 + Int(g.nextUnit() * 8)) / 4
            f.barPosition = Double(Int(g.nextUnit() * 16)) / 4
            return f
        }
        return model.features.encode(frames, scaler: model.scaler)
    }

    /// The windowed forward pass of `network` (with look-back `rows.count / inputWidth`) over encoded rows.
    func windowed<T: NeuralScalar>(_ network: Network<T>, rows: [T]) -> [T] {
        var a = network.architecture
        a.lookBack = rows.count / a.inputWidth
        let worker = NetworkWorker<T>(architecture: a, maxBatch: 1)
        worker.input.update(from: rows, count: rows.count)
        network.parameters.withUnsafeBufferPointer { worker.forward(parameters: $0.baseAddress!, batch: 1) }
        return Array(UnsafeBufferPointer(start: worker.output, count: a.outputWidth))
    }

    /// Resets `stepper` and steps it through the encoded rows; the last output row.
    func stepped<T: NeuralScalar>(_ stepper: NetworkStepper<T>, rows: [T], reset: Bool = true) -> [T] {
        if reset { stepper.reset() }
        let w = stepper.inputWidth
        var out: [T] = []
        for t in 0..<(rows.count / w) { out = stepper.step(Array(rows[(t * w)..<((t + 1) * w)])) }
        return out
    }

    /// Largest difference relative to the largest magnitude of `expected` (at least 1).
    func relativeDifference<T: NeuralScalar>(_ a: [T], _ expected: [T]) -> Double {
        XCTAssertEqual(a.count, expected.count)
        let scale = max(1, expected.map { abs(Double($0)) }.max() ?? 0)
        return zip(a, expected).map { abs(Double($0) - Double($1)) }.max()! / scale
    }

    /// The committed windowed models (the paper model and the previous default); the stateful default is stepped
    /// against its own training forward pass in the stateful tests.
    func testStepperMatchesTheWindowedForwardOnTheCommittedModels() throws {
        for name in ["paper", "windowed"] {
            let model = try committedModel(name)
            let stepper = model.makeStepper()
            var g = SeededGenerator(seed: 21)
            for window in 0..<6 {
                let rows = encodedFrames(model, count: model.network.architecture.lookBack, generator: &g)
                let expected = windowed(model.network, rows: rows)
                let diff = relativeDifference(stepped(stepper, rows: rows), expected)
                XCTAssertLessThan(diff, 1e-5, "\(name) window \(window)")
            }
        }
    }

    /// A stacked network (two LSTM layers, the first returning sequences) with seeded weights.
    func stackedNetwork() -> Network<Float> {
        let a = Architecture(name: "stacked", lookBack: 3, inputWidth: 5,
                             layers: [.lstm(units: 12, returnSequences: true), .lstm(units: 9, returnSequences: false),
                                      .dense(units: 7, activation: .tanh), .dense(units: 4, activation: .linear)])
        let n = Network<Float>(architecture: a, seed: 5)
        return Network(architecture: a, parameters: n.parameters.map { $0 * 3 })
    }

    func testStateCarriesOverWithoutReset() throws {
        for network in [stackedNetwork(), try committedModel("paper").network] {
            let stepper = NetworkStepper(network: network)
            var g = SeededGenerator(seed: 8)
            let w = network.architecture.inputWidth
            let first = (0..<(3 * w)).map { _ in Float(g.nextNormal()) }, second = (0..<(4 * w)).map { _ in Float(g.nextNormal()) }
            _ = stepped(stepper, rows: first)
            let carried = stepped(stepper, rows: second, reset: false)
            XCTAssertEqual(stepper.stepsSinceReset, 7)
            XCTAssertLessThan(relativeDifference(carried, windowed(network, rows: first + second)), 1e-5, "state over 7 frames")
            let fresh = stepped(stepper, rows: second)
            XCTAssertEqual(stepper.stepsSinceReset, 4)
            XCTAssertLessThan(relativeDifference(fresh, windowed(network, rows: second)), 1e-5, "state after a reset")
            XCTAssertGreaterThan(relativeDifference(carried, fresh), 1e-3, "carried state must change the output")
        }
    }

    func testPredictorStepsThroughTheLeftPaddedWindow() throws {
        let model = try committedModel("default")
        let p = model.makePredictor()
        let frames = (0..<5).map { FeatureFrame(note: Double(60 + 2 * $0), velocity: 80, timeDelta: 0.25, duration: 0.2, program: 0) }
        let width = model.network.architecture.outputWidth, lookBack = p.lookBack
        let windowOut = frames.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: p.predictOutput($0), count: width)) }
        p.reset()
        for _ in 0..<(lookBack - frames.count) { p.step(frames[0]) }
        var stepOut: [Float] = []
        for f in frames { stepOut = Array(UnsafeBufferPointer(start: p.step(f), count: width)) }
        XCTAssertEqual(stepOut, windowOut, "a short window is left-padded with its first frame")
        p.step(frames[4])
        let carried = Array(UnsafeBufferPointer(start: p.stepper.output, count: width))
        XCTAssertNotEqual(carried, windowOut, "a further step moves on from the window's state")
    }

    func testOnlyStackedLSTMsThatReturnSequencesCanBeStepped() {
        XCTAssertTrue(Architecture.paper.isSteppable)
        XCTAssertTrue(stackedNetwork().architecture.isSteppable)
        XCTAssertTrue(ArchitecturePreset.deep.architecture().isSteppable)
        let oneStepSequence = Architecture(name: "x", lookBack: 3, inputWidth: 3,
                                           layers: [.lstm(units: 4, returnSequences: false), .lstm(units: 4, returnSequences: false)])
        XCTAssertFalse(oneStepSequence.isSteppable)
    }
}
