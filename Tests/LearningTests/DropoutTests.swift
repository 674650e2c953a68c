import Foundation
import TestSupport
import XCTest
@testable import Learning

/// Dropout on LSTM-layer outputs: training only, seeded masks, recorded in the model file.
final class DropoutTests: XCTestCase {
    /// The mask drops about `rate` of the values and scales the kept ones by 1 / (1 - rate); it repeats for a key.
    func testMaskDropsTheRateAndScalesTheRest() {
        let rate = 0.3, steps = 2, batch = 50, width = 48
        let n = steps * batch * width
        var values = [Float](repeating: 1, count: n), mask = [Float](repeating: 0, count: n)
        let d = DropoutMask(rate: rate, key: DropoutMask.key(seed: 3, epoch: 1, batch: 0))
        d.apply(layer: 0, steps: steps, batch: batch, width: width, values: &values, mask: &mask)
        let dropped = values.filter { $0 == 0 }.count
        XCTAssertEqual(Double(dropped) / Double(n), rate, accuracy: 0.02)
        XCTAssertTrue(values.allSatisfy { $0 == 0 || $0 == Float(1 / (1 - rate)) })
        XCTAssertEqual(values, mask)
        var again = [Float](repeating: 1, count: n)
        d.apply(layer: 0, steps: steps, batch: batch, width: width, values: &again, mask: &mask)
        XCTAssertEqual(values, again, "same key, same mask")
        var other = [Float](repeating: 1, count: n)
        DropoutMask(rate: rate, key: DropoutMask.key(seed: 3, epoch: 1, batch: 1))
            .apply(layer: 0, steps: steps, batch: batch, width: width, values: &other, mask: &mask)
        XCTAssertNotEqual(values, other, "another batch, another mask")
    }

    /// A worker's second half computed alone (first sample offset) gets the same mask as in the whole batch:
    /// masks do not depend on how a batch is split between threads.
    func testMaskDoesNotDependOnTheSplit() {
        let width = 8, batch = 6
        var whole = [Float](repeating: 1, count: batch * width), mask = [Float](repeating: 0, count: batch * width)
        let key = DropoutMask.key(seed: 1, epoch: 2, batch: 3)
        DropoutMask(rate: 0.5, key: key).apply(layer: 0, steps: 1, batch: batch, width: width, values: &whole, mask: &mask)
        var half = [Float](repeating: 1, count: 3 * width)
        DropoutMask(rate: 0.5, key: key, firstSample: 3).apply(layer: 0, steps: 1, batch: 3, width: width, values: &half, mask: &mask)
        XCTAssertEqual(Array(whole[(3 * width)...]), half)
    }

    /// Rate 0 is exactly the forward pass without dropout; inference never drops.
    func testRateZeroAndInferenceAreUnchanged() {
        let net = Network<Float>(architecture: .paper, seed: 4)
        let worker = NetworkWorker<Float>(architecture: .paper, maxBatch: 5)
        var g = SeededGenerator(seed: 2)
        for i in 0..<(3 * 5 * 3) { worker.input[i] = Float(g.nextNormal()) }
        func run(_ d: DropoutMask?) -> [Float] {
            net.parameters.withUnsafeBufferPointer { worker.forward(parameters: $0.baseAddress!, batch: 5, dropout: d) }
            return Array(UnsafeBufferPointer(start: worker.output, count: 15))
        }
        let plain = run(nil)
        XCTAssertEqual(run(DropoutMask(rate: 0, key: 9)), plain)
        let dropped = run(DropoutMask(rate: 0.5, key: 9))
        XCTAssertNotEqual(dropped, plain)
        net.parameters.withUnsafeBufferPointer { worker.forward(parameters: $0.baseAddress!, batch: 5) }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: worker.output, count: 15)), plain, "inference forward never drops")
    }

    func chorales(limit: Int) throws -> Corpus {
        let dir = TestPaths.corpus.appendingPathComponent("chorales")
        return try Corpus(folder: dir, limit: limit)
    }

    func train(_ corpus: Corpus, dropout: Double?, threads: Int = 2) throws -> Trainer {
        let (trainSongs, _) = corpus.split(validationFraction: 0.2, seed: 5)
        let scaler = StandardScaler(fitting: trainSongs.map(\.frames))
        let data = WindowedDataset(songs: trainSongs.map { scaler.transform($0.frames) }, lookBack: 3)
        let net = Network<Float>(architecture: .paper, seed: 5)
        let trainer = Trainer(network: net, optimizer: Optimizer(kind: .adam, learningRate: 0.003, parameterCount: net.parameterCount),
                              loss: FeatureLoss(mode: .musical, noteScale: scaler.scale[0]), batchSize: 32,
                              noteScaler: (scaler.mean[0], scaler.scale[0]), threads: threads)
        if let dropout { trainer.dropout = dropout; trainer.dropoutSeed = 11 }
        var g = SeededGenerator(seed: 5)
        for e in 1...2 { _ = try trainer.trainEpoch(data, epoch: e, generator: &g) }
        return trainer
    }

    /// Training with rate 0 is the training without dropout, bit for bit; rate 0.3 trains differently but
    /// reproducibly, and the trained model predicts deterministically.
    func testTrainingWithDropoutIsReproducibleAndPredictsDeterministically() throws {
        let corpus = try chorales(limit: 8)
        let plain = try train(corpus, dropout: nil).network.parameters
        XCTAssertEqual(try train(corpus, dropout: 0).network.parameters, plain)
        let a = try train(corpus, dropout: 0.3), b = try train(corpus, dropout: 0.3)
        XCTAssertEqual(a.network.parameters, b.network.parameters)
        XCTAssertNotEqual(a.network.parameters, plain)
        XCTAssertTrue(a.network.isFinite)
        let model = TrainedModel(network: a.network, scaler: StandardScaler(mean: [60, 80, 0.2], scale: [7, 15, 0.3]), features: FeatureConfiguration(),
                                 loss: a.loss, training: record(dropout: 0.3))
        let window = [FeatureFrame(note: 60, velocity: 80, timeDelta: 0.25), FeatureFrame(note: 64, velocity: 70, timeDelta: 0.5),
                      FeatureFrame(note: 67, velocity: 90, timeDelta: 0.25)]
        let p = model.makePredictor(), q = model.makePredictor()
        XCTAssertEqual(p.predict(window), p.predict(window))
        XCTAssertEqual(p.predict(window), q.predict(window))
    }

    func record(dropout: Double?) -> TrainingRecord {
        TrainingRecord(corpus: "c", trainingSongs: 1, validationSongs: 1, trainingSamples: 10, epochs: 1, bestEpoch: 1, seed: 42,
                       optimizer: "adam", learningRate: 0.001, batchSize: 32, history: [], toolVersion: "test", date: "now", dropout: dropout)
    }

    /// The rate is stored in the training record and shown by the summary; without dropout the header has no such key.
    func testModelFileRecordsTheRate() throws {
        let net = Network<Float>(architecture: .paper, seed: 42)
        func model(_ d: Double?) -> TrainedModel {
            TrainedModel(network: net, scaler: StandardScaler(mean: [60, 80, 0.2], scale: [7, 15, 0.3]), features: FeatureConfiguration(),
                         loss: FeatureLoss(mode: .musical, noteScale: 7), training: record(dropout: d))
        }
        let withDropout = try model(0.25).encoded()
        let back = try ModelFile.decode(withDropout, path: "m")
        XCTAssertEqual(back.header.training.dropout, 0.25)
        XCTAssertEqual(Array(withDropout[8..<12]), [1, 0, 0, 0], "still a version-1 file: older readers ignore the extra field")
        let loaded = try TrainedModel(network: net, scaler: back.header.scaler, features: back.header.features, loss: back.header.loss,
                                      training: back.header.training)
        XCTAssertTrue(ModelSummary.text(loaded, path: "m").contains("dropout 0.25"))
        let without = try model(nil).encoded()
        XCTAssertFalse(String(decoding: without, as: UTF8.self).contains("dropout"))
        XCTAssertNil(try ModelFile.decode(without, path: "m").header.training.dropout)
    }

    /// The shipped paper model (trained before dropout existed) still loads and re-encodes to the same bytes.
    func testPaperSampleModelLoadsBitIdentically() throws {
        let url = TestPaths.paperModel
        let bytes = [UInt8](try Data(contentsOf: url))
        let (header, blobs) = try ModelFile.decode(bytes, path: url.path)
        XCTAssertNil(header.training.dropout)
        XCTAssertEqual(try ModelFile.encode(header: header, blobs: [("weights", blobs["weights"]!)]), bytes)
    }

    /// The session refuses a rate outside [0, 1) before reading anything.
    func testSessionRefusesRatesOutsideTheRange() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "learning-tests")
        for bad in [-0.1, 1, 1.5, .nan] {
            var o = TrainingOptions(corpus: dir, output: dir.appendingPathComponent("m.tsm"))
            o.dropout = bad
            XCTAssertThrowsError(try TrainingSession(options: o).run(events: { _ in }, stop: StopFlag())) { error in
                guard case .invalidDropout? = error as? TrainingSessionError else { return XCTFail("\(error)") }
                XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains("[0, 1)") ?? false)
            }
        }
    }
}
