import Foundation
import TestSupport
import XCTest
@testable import Learning

/// The categorical pitch head: cross-entropy (+ musical penalty) gradients against finite differences in
/// double precision, presets, the rich input encoding, model-file round trip and the predictor's distribution.
final class CategoricalHeadTests: XCTestCase {
    /// Targets whose scaled note maps to known pitches (mean 60, scale 10), plus a wider input row (stride 5).
    private func targets(batch: Int, stride: Int, generator g: inout SeededGenerator) -> [Double] {
        var t = [Double](repeating: 0, count: batch * stride)
        for b in 0..<batch {
            let pitch = 48 + Int(g.next() % 30)
            t[b * stride] = (Double(pitch) - 60) / 10
            t[b * stride + 1] = g.nextNormal()
            t[b * stride + 2] = g.nextNormal()
            for j in 3..<stride { t[b * stride + j] = 99 }  // extra input columns must be ignored
        }
        return t
    }

    /// d loss / d output of the head alone, every output, for pure cross-entropy and with the musical penalty.
    func testLossGradientMatchesFiniteDifferences() {
        for penalty in [0.0, 0.5] {
            let loss = FeatureLoss.categorical(noteMean: 60, noteScale: 10, musicalPenalty: penalty)
            var g = SeededGenerator(seed: 3)
            let batch = 3, w = CategoricalPitchLoss.outputWidth, stride = 5
            let out = (0..<(batch * w)).map { _ in 2 * g.nextNormal() }
            let tgt = targets(batch: batch, stride: stride, generator: &g)
            var grad = [Double](repeating: .nan, count: out.count)
            _ = loss.evaluate(output: out, target: tgt, targetStride: stride, batch: batch, normalizer: Double(batch), gradient: &grad)
            let h = 1e-6
            var worst = 0.0
            for i in out.indices {
                var p = out, m = out
                p[i] += h; m[i] -= h
                let lp = loss.evaluate(output: p, target: tgt, targetStride: stride, batch: batch, normalizer: Double(batch), gradient: nil).total
                let lm = loss.evaluate(output: m, target: tgt, targetStride: stride, batch: batch, normalizer: Double(batch), gradient: nil).total
                let numeric = (lp - lm) / (2 * h)
                worst = max(worst, abs(numeric - grad[i]) / max(1e-3, abs(numeric) + abs(grad[i])))
            }
            XCTAssertLessThan(worst, 1e-5, "penalty \(penalty)")
        }
    }

    /// Cross-entropy of uniform logits is log(128); a confident correct logit drives it to 0.
    func testCrossEntropyValues() {
        let loss = FeatureLoss.categorical(noteMean: 60, noteScale: 10)
        var out = [Double](repeating: 0, count: CategoricalPitchLoss.outputWidth)
        let tgt = [0.0, 0, 0]  // pitch 60, exact velocity and time delta
        let uniform = loss.evaluate(output: out, target: tgt, targetStride: 3, batch: 1, normalizer: 1, gradient: nil)
        XCTAssertEqual(uniform.note, log(128), accuracy: 1e-9)
        out[60] = 40
        XCTAssertLessThan(loss.evaluate(output: out, target: tgt, targetStride: 3, batch: 1, normalizer: 1, gradient: nil).note, 1e-12)
    }

    /// Back-propagation through stacked LSTMs into the softmax head, every parameter of a small network.
    func testStackedNetworkWithCategoricalHead() {
        let arch = Architecture(name: "deep", lookBack: 4, inputWidth: 5, layers: [
            .lstm(units: 5, returnSequences: true), .lstm(units: 4, returnSequences: false),
            .dense(units: CategoricalPitchLoss.outputWidth, activation: .linear),
        ])
        let loss = FeatureLoss.categorical(noteMean: 60, noteScale: 10, musicalPenalty: 0.3)
        var g = SeededGenerator(seed: 11)
        var net = Network<Double>(architecture: arch, generator: &g)
        for i in net.parameters.indices { net.parameters[i] += 0.1 * (g.nextUnit() - 0.5) }
        let batch = 3
        let worker = NetworkWorker<Double>(architecture: arch, maxBatch: batch)
        let n = arch.lookBack * batch * arch.inputWidth
        let input = (0..<n).map { _ in g.nextNormal() }
        let tgt = targets(batch: batch, stride: arch.inputWidth, generator: &g)
        func value(_ params: [Double], gradient: Bool) -> Double {
            for i in 0..<n { worker.input[i] = input[i] }
            return params.withUnsafeBufferPointer { p in
                worker.forward(parameters: p.baseAddress!, batch: batch)
                return tgt.withUnsafeBufferPointer {
                    loss.evaluate(output: worker.output, target: $0.baseAddress!, targetStride: arch.inputWidth, batch: batch,
                                  normalizer: Double(batch), gradient: gradient ? worker.outputGradient : nil).total
                }
            }
        }
        _ = value(net.parameters, gradient: true)
        worker.zeroGradients()
        net.parameters.withUnsafeBufferPointer { worker.backward(parameters: $0.baseAddress!, batch: batch) }
        let analytic = (0..<net.parameterCount).map { worker.gradients[$0] }
        var worst = 0.0, worstAt = -1
        let h = 1e-6
        for i in Swift.stride(from: 0, to: net.parameterCount, by: 3) {
            var p = net.parameters, m = net.parameters
            p[i] += h; m[i] -= h
            let numeric = (value(p, gradient: false) - value(m, gradient: false)) / (2 * h)
            let err = abs(numeric - analytic[i]) / max(1e-3, abs(numeric) + abs(analytic[i]))
            if err > worst { worst = err; worstAt = i }
        }
        XCTAssertLessThan(worst, 1e-5, "parameter \(worstAt)")
    }

    /// Presets: paper unchanged, categorical/deep sizes, and their parameter counts.
    func testPresets() {
        XCTAssertEqual(ArchitecturePreset.paper.architecture(), .paper)
        XCTAssertNil(ArchitecturePreset.paper.encoding)
        let c = ArchitecturePreset.categorical.architecture()
        XCTAssertEqual(c.lookBack, 32)
        XCTAssertEqual(c.inputWidth, 17)
        XCTAssertEqual(c.outputWidth, 130)
        XCTAssertEqual(ParameterLayout(architecture: c).count, 4 * 256 * (17 + 256 + 1) + 130 * 257)
        let d = ArchitecturePreset.deep.architecture(.init(layers: 3, units: 64, lookBack: 16))
        XCTAssertEqual(d.layers, [.lstm(units: 64, returnSequences: true), .lstm(units: 64, returnSequences: true),
                                  .lstm(units: 64, returnSequences: false), .dense(units: 130, activation: .linear)])
        XCTAssertEqual(d.lookBack, 16)
    }

    /// The rich encoding: scaled values first, one-hot pitch class, duration and instrument family.
    func testInputEncoding() {
        let e = InputEncoding()
        let scaler = StandardScaler(mean: [60, 64, 0.5], scale: [10, 20, 0.25])
        let f = FeatureFrame(note: 62, velocity: 84, timeDelta: 0.75, duration: 0.25, program: 41)
        let row = e.encode([f], scaler: scaler)
        XCTAssertEqual(row.count, 17)
        XCTAssertEqual(Array(row[0..<3]), [0.2, 1, 1])
        XCTAssertEqual(row[3 + 2], 1)
        XCTAssertEqual(row[3..<15].reduce(0, +), 1)
        XCTAssertEqual(Double(row[15]), log(2), accuracy: 1e-6)
        XCTAssertEqual(Double(row[16]), 5.0 / 15, accuracy: 1e-6)
    }

    /// A categorical model survives the model file, and its predictor returns a proper distribution whose
    /// argmax is the frame's note; v1 files without the new fields still read (the paper model).
    func testModelFileRoundTripAndDistribution() throws {
        let arch = ArchitecturePreset.categorical.architecture(.init(units: 8, lookBack: 4))
        let scaler = StandardScaler(mean: [60, 64, 0.5], scale: [10, 20, 0.25])
        let features = FeatureConfiguration(includeDrums: false, encoding: InputEncoding())
        let record = TrainingRecord(corpus: "-", trainingSongs: 0, validationSongs: 0, trainingSamples: 0, epochs: 0, bestEpoch: 0,
                                    seed: 1, optimizer: "adam", learningRate: 0.001, batchSize: 1, history: [], toolVersion: "test", date: "-")
        let model = TrainedModel(network: Network(architecture: arch, seed: 5), scaler: scaler, features: features,
                                 loss: .categorical(noteMean: 60, noteScale: 10), training: record)
        let dir = try TestPaths.temporaryFolder(self, prefix: "learning-tests")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("c.tsmodel")
        try model.write(to: url, overwrite: false)
        let bytes = try model.encoded()
        XCTAssertEqual(bytes[8], 2, "a categorical model is format version 2")
        let paper = TrainedModel(network: Network(architecture: .paper, seed: 5), scaler: scaler, features: FeatureConfiguration(),
                                 loss: FeatureLoss(mode: .musical, noteScale: 10), training: record)
        XCTAssertEqual(try paper.encoded()[8], 1, "the paper model stays format version 1")
        let back = try TrainedModel(contentsOf: url)
        XCTAssertEqual(back.features, features)
        XCTAssertEqual(back.loss.categorical, model.loss.categorical)
        XCTAssertEqual(back.network.parameters, model.network.parameters)
        let window = (0..<6).map { FeatureFrame(note: Double(60 + $0), velocity: 80, timeDelta: 0.25, duration: 0.2, program: 0) }
        let p = back.makePredictor()
        XCTAssertTrue(p.isCategorical)
        let (probs, frame) = p.predictDistribution(window)
        XCTAssertEqual(probs.count, 128)
        XCTAssertEqual(probs.reduce(0, +), 1, accuracy: 1e-9)
        XCTAssertEqual(Int(frame.note), probs.indices.max { probs[$0] < probs[$1] })
        XCTAssertEqual(p.predict(window).note, frame.note)
        var logits = [Float](repeating: 0, count: 128)
        let viaLogits = window.withUnsafeBufferPointer { w in logits.withUnsafeMutableBufferPointer { p.predictLogits(w, logits: $0.baseAddress!) } }
        XCTAssertEqual(viaLogits, frame)
        let z = logits.map { exp(Double($0)) }.reduce(0, +)
        XCTAssertEqual(exp(Double(logits[40])) / z, probs[40], accuracy: 1e-6)
    }
}
