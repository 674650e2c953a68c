import Foundation
import TestSupport
import XCTest
@testable import Learning

/// End-to-end training on real chorales: the loss falls, predictions stay in range, runs are reproducible.
final class TrainingTests: XCTestCase {
    func chorales(limit: Int) throws -> Corpus {
        let dir = TestPaths.corpus.appendingPathComponent("chorales")
        return try Corpus(folder: dir, limit: limit)
    }

    func train(_ corpus: Corpus, mode: NoteLossMode, epochs: Int, seed: UInt64 = 5) throws -> (Trainer, StandardScaler, WindowedDataset, [Double]) {
        let (trainSongs, valSongs) = corpus.split(validationFraction: 0.2, seed: seed)
        let scaler = StandardScaler(fitting: trainSongs.map(\.frames))
        let data = WindowedDataset(songs: trainSongs.map { scaler.transform($0.frames) }, lookBack: 3)
        let val = WindowedDataset(songs: valSongs.map { scaler.transform($0.frames) }, lookBack: 3)
        let net = Network<Float>(architecture: .paper, seed: seed)
        let trainer = Trainer(network: net, optimizer: Optimizer(kind: .adam, learningRate: 0.003, parameterCount: net.parameterCount),
                              loss: FeatureLoss(mode: mode, noteScale: scaler.scale[0]), batchSize: 32,
                              noteScaler: (scaler.mean[0], scaler.scale[0]))
        var g = SeededGenerator(seed: seed)
        var losses: [Double] = []
        for e in 1...epochs { losses.append(try trainer.trainEpoch(data, epoch: e, generator: &g)!.loss.total) }
        return (trainer, scaler, val, losses)
    }

    /// A model trained with the musical loss predicts notes in the corpus's range (the literal polynomial does not).
    func testMusicalLossModelPredictsNotesInRange() throws {
        // The first 30 shared chorales suffice; the sample corpus's first 30 do not fall in 4 epochs, its first 50 do.
        let corpus = try chorales(limit: TestPaths.usesSharedCorpus ? 30 : 50)
        let (trainer, scaler, val, losses) = try train(corpus, mode: .musical, epochs: 4)
        XCTAssertLessThan(losses.last!, losses.first!, "training loss should fall")
        let model = TrainedModel(network: trainer.network, scaler: scaler, features: FeatureConfiguration(), loss: trainer.loss,
                                 training: TrainingRecord(corpus: "", trainingSongs: 0, validationSongs: 0, trainingSamples: 0, epochs: 4, bestEpoch: 4,
                                                          seed: 5, optimizer: "adam", learningRate: 0.003, batchSize: 32, history: [], toolVersion: "", date: ""))
        let predictor = model.makePredictor()
        let notes = corpus.songs.flatMap { $0.frames.map(\.note) }
        let lo = notes.min()!, hi = notes.max()!
        var inRange = 0, total = 0
        for song in corpus.songs.prefix(10) {
            for i in 3..<min(song.frames.count, 60) {
                let p = predictor.predict(Array(song.frames[(i - 3)..<i]))
                total += 1
                if p.note.rounded() >= lo - 2 && p.note.rounded() <= hi + 2 { inRange += 1 }
            }
        }
        XCTAssertGreaterThan(Double(inRange) / Double(total), 0.99, "predicted notes outside \(lo)...\(hi)")
        let eval = trainer.evaluate(val)
        XCTAssertGreaterThan(eval.noteAccuracy, 0.02, "next-note accuracy")
    }

    func testTrainingIsReproducibleFromTheSeed() throws {
        let corpus = try chorales(limit: 8)
        let a = try train(corpus, mode: .mse, epochs: 1, seed: 9).0.network.parameters
        let b = try train(corpus, mode: .mse, epochs: 1, seed: 9).0.network.parameters
        XCTAssertEqual(a, b)
    }

    func testNonFiniteLossStopsWithEpochAndBatch() throws {
        var songs: [[Float]] = [(0..<300).map { Float($0 % 7) - 3 }]
        songs[0][100] = .nan
        let data = WindowedDataset(songs: songs, lookBack: 3)
        let net = Network<Float>(architecture: .paper, seed: 1)
        let trainer = Trainer(network: net, optimizer: Optimizer(kind: .sgd, learningRate: 0.01, parameterCount: net.parameterCount),
                              loss: FeatureLoss(mode: .mse, noteScale: 1), batchSize: 16, noteScaler: (0, 1))
        var g = SeededGenerator(seed: 1)
        XCTAssertThrowsError(try trainer.trainEpoch(data, epoch: 1, generator: &g)) { error in
            guard case .nonFinite(let e, let b)? = error as? TrainingError else { return XCTFail("\(error)") }
            XCTAssertEqual(e, 1)
            XCTAssertGreaterThan(b, 0)
        }
        XCTAssertTrue(trainer.network.isFinite, "weights never become non-finite")
    }
}
