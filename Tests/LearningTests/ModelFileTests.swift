import Foundation
import TestSupport
import XCTest
@testable import Learning

/// The model file: round trip, and clear errors for corrupt, truncated and foreign files.
final class ModelFileTests: XCTestCase {
    func sampleModel() -> TrainedModel {
        let net = Network<Float>(architecture: .paper, seed: 42)
        let record = TrainingRecord(corpus: "c", trainingSongs: 1, validationSongs: 1, trainingSamples: 10, epochs: 1, bestEpoch: 1, seed: 42,
                                    optimizer: "adam", learningRate: 0.001, batchSize: 32, history: [], toolVersion: "test", date: "now")
        return TrainedModel(network: net, scaler: StandardScaler(mean: [60, 80, 0.2], scale: [7, 15, 0.3]), features: FeatureConfiguration(),
                            loss: FeatureLoss(mode: .musical, noteScale: 7), training: record)
    }

    func testRoundTripKeepsEverything() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "learning-tests")
        let url = dir.appendingPathComponent("m.tsm")
        let m = sampleModel()
        try m.write(to: url, overwrite: false)
        let back = try TrainedModel(contentsOf: url)
        XCTAssertEqual(back.network.parameters, m.network.parameters)
        XCTAssertEqual(back.network.architecture, .paper)
        XCTAssertEqual(back.scaler, m.scaler)
        XCTAssertEqual(back.loss, m.loss)
        XCTAssertEqual(back.network.parameterCount, 11_235)
        XCTAssertEqual(back.layerSummary.map(\.parameters), [9_984, 1_176, 75])
        XCTAssertThrowsError(try m.write(to: url, overwrite: false), "must not overwrite without force")
    }

    func testCorruptTruncatedAndForeignFilesAreClearErrors() throws {
        let bytes = try sampleModel().encoded()
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x40
        XCTAssertThrowsError(try ModelFile.decode(flipped, path: "x")) { XCTAssertEqual($0 as? ModelFileError, .checksumMismatch(path: "x")) }
        XCTAssertThrowsError(try ModelFile.decode(Array(bytes.prefix(bytes.count - 100)), path: "x")) {
            XCTAssertEqual($0 as? ModelFileError, .truncated(path: "x"))
        }
        XCTAssertThrowsError(try ModelFile.decode(Array(bytes.prefix(12)), path: "x")) { XCTAssertEqual($0 as? ModelFileError, .truncated(path: "x")) }
        XCTAssertThrowsError(try ModelFile.decode(Array("MThd\0\0\0\u{6}".utf8) + bytes, path: "x")) {
            XCTAssertEqual($0 as? ModelFileError, .notAModel(path: "x"))
        }
        var newer = bytes
        newer[8] = 99
        XCTAssertThrowsError(try ModelFile.decode(newer, path: "x")) { XCTAssertEqual($0 as? ModelFileError, .unsupportedVersion(path: "x", version: 99)) }
        XCTAssertThrowsError(try TrainedModel(contentsOf: URL(fileURLWithPath: "/nonexistent/m.tsm"))) {
            XCTAssertTrue(($0 as? LocalizedError)?.errorDescription?.contains("/nonexistent/m.tsm") ?? false)
        }
    }

    func testPredictorStepsWithoutChangingTheModel() {
        let m = sampleModel()
        let p = m.makePredictor()
        let window = [FeatureFrame(note: 60, velocity: 80, timeDelta: 0.25), FeatureFrame(note: 64, velocity: 80, timeDelta: 0.25),
                      FeatureFrame(note: 67, velocity: 80, timeDelta: 0.25)]
        let a = p.predict(window), b = p.predict(window)
        XCTAssertEqual(a, b)
        XCTAssertTrue(a.note.isFinite && a.velocity.isFinite && a.timeDelta.isFinite)
        // Same result as a batch forward pass through a fresh worker.
        let w = NetworkWorker<Float>(architecture: .paper, maxBatch: 1)
        for (t, f) in window.enumerated() {
            let (x, y, z) = m.scaler.transform(f)
            w.input[3 * t] = x; w.input[3 * t + 1] = y; w.input[3 * t + 2] = z
        }
        m.network.parameters.withUnsafeBufferPointer { w.forward(parameters: $0.baseAddress!, batch: 1) }
        XCTAssertEqual(m.scaler.inverse(w.output[0], w.output[1], w.output[2]), a)
    }
}
