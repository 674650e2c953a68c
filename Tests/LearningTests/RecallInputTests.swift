import Foundation
import TestSupport
import XCTest
@testable import Learning

/// The recall input (``InputEncoding/recall``): the pitch a motif memory of the song's notes so far proposes for the next
/// note, as a one-hot block. It never reads ahead, it is the same in training and evaluation, and a network given it
/// learns to complete a restated phrase that it cannot predict otherwise.
final class RecallInputTests: XCTestCase {
    /// A note of a test song: `steps` 1/24 beats after the previous one, half a beat long.
    func frame(_ pitch: Int, steps: Int = 12, bar: Double = 0) -> FeatureFrame {
        var f = FeatureFrame(note: Double(pitch), velocity: 80, timeDelta: 0.25, duration: 0.25, program: 0)
        f.beatDelta = Double(steps) / 24; f.beatDuration = 0.5; f.barPosition = bar
        return f
    }

    /// The recall block closes the row after the key block: one 1 at the proposed pitch, zeros without a proposal (or
    /// with one outside 0 ... 127); encodings without it decode and encode as before.
    func testRecallBlockEncoding() throws {
        let e = InputEncoding(metre: true, styles: ["folk"], pitchOneHot: true, recall: true)
        XCTAssertEqual(e.width, InputEncoding(metre: true, styles: ["folk"], pitchOneHot: true).width + 128)
        XCTAssertEqual(e.recallIndex, e.pitchIndex + 128)
        let scaler = StandardScaler(mean: [60, 80, 0.3], scale: [10, 10, 0.3])
        var row = [Float](repeating: 9, count: e.width)
        for (recall, expected) in [(67, Optional(67)), (0, 0), (127, 127), (nil, nil), (128, nil), (-1, nil)] as [(Int?, Int?)] {
            var f = frame(62)
            f.recall = recall
            row.withUnsafeMutableBufferPointer { e.encode(f, scaler: scaler, style: 0, into: $0.baseAddress!) }
            let block = Array(row[e.recallIndex...])
            XCTAssertEqual(block.count, 128)
            XCTAssertEqual(block.firstIndex(of: 1), expected, "recall \(String(describing: recall))")
            XCTAssertEqual(block.reduce(0, +), expected == nil ? 0 : 1)
            XCTAssertEqual(Array(row[e.pitchIndex..<e.recallIndex]).firstIndex(of: 1), 62, "the key block is unchanged")
        }
        XCTAssertEqual(try JSONDecoder().decode(InputEncoding.self, from: JSONEncoder().encode(e)), e)
        let old = try JSONDecoder().decode(InputEncoding.self, from: Data(#"{"pitchClasses":true,"duration":true,"program":true,"metre":true}"#.utf8))
        XCTAssertFalse(old.recall)
        let json = String(decoding: try JSONEncoder().encode(InputEncoding(metre: true, pitchOneHot: true)), as: UTF8.self)
        XCTAssertFalse(json.contains("recall"), "files without the recall block are written as before")
    }

    /// A tune: phrase A (10 notes), 8 other notes, then A again. Once the second A has matched 4 notes the memory proposes
    /// the rest of A note by note; entry i depends on notes 0 ... i only, and a transposed song gets transposed proposals.
    func testRecallPitchesProposeWhatFollowedAndNeverLookAhead() {
        let a = [60, 62, 64, 65, 67, 69, 71, 72, 74, 76]
        let filler = [50, 53, 51, 55, 52, 57, 54, 58]
        let pitches = a + filler + a
        let frames = pitches.map { frame($0) }
        let recall = MotifMemory.recallPitches(of: frames)
        XCTAssertEqual(recall.count, frames.count)
        XCTAssertTrue(recall[0..<21].allSatisfy { $0 == nil }, "nothing repeats before the second A's fourth note: \(recall)")
        for i in 21..<(frames.count - 1) {
            XCTAssertEqual(recall[i], pitches[i + 1], "note \(i): the memory proposes the next note of A")
        }
        for i in frames.indices {
            XCTAssertEqual(MotifMemory.recallPitches(of: Array(frames[0...i])).last!, recall[i], "entry \(i) reads no later note")
        }
        // Another rhythm in the second A is another passage: nothing to restate.
        let varied = (a + filler).map { frame($0) } + a.map { frame($0, steps: 6) }
        XCTAssertTrue(MotifMemory.recallPitches(of: varied)[0..<27].allSatisfy { $0 == nil })
        let up = frames.map { f -> FeatureFrame in var g = f; g.note += 5; return g }
        XCTAssertEqual(MotifMemory.recallPitches(of: up), recall.map { $0.map { $0 + 5 } })
        XCTAssertEqual(MotifMemory.withRecall(frames).map(\.recall), recall)
    }

    /// Songs that restate a random phrase: phrase P (12 random pitches), 6 random notes, P again, 6 random notes.
    func restatingSongs(_ count: Int, seed: UInt64) -> SongList {
        var g = SeededGenerator(seed: seed)
        func random() -> Int { 48 + Int(g.next() % 24) }
        let songs = (0..<count).map { s -> CorpusSong in
            let phrase = (0..<12).map { _ in random() }
            let pitches = phrase + (0..<6).map { _ in random() } + phrase + (0..<6).map { _ in random() }
            let frames = pitches.enumerated().map { i, p in frame(p, bar: Double(i % 8) / 2) }
            return CorpusSong(path: "/c/folk/\(s).mid", frames: frames)
        }
        return SongList(songs: songs)
    }

    /// A stateful network (one LSTM(32)) trained on songs that restate a random phrase: given the recall block it learns
    /// to complete the restatement, which the same network without the block cannot predict (its notes are random);
    /// and the trainer's stateful evaluation and `NextNoteEvaluation` (which fills the block from the song itself, as
    /// generation does from the piece) score the recall model alike.
    func testRecallModelLearnsRestatements() throws {
        let train = restatingSongs(96, seed: 1), test = restatingSongs(40, seed: 2)
        let scaler = StandardScaler(fitting: train.songs.map(\.frames))
        func trained(recall: Bool) throws -> (Trainer, FeatureConfiguration) {
            let features = FeatureConfiguration(includeDrums: false, encoding: InputEncoding(metre: true, pitchOneHot: true, recall: recall))
            var a = ArchitecturePreset.stateful.architecture(.init(layers: 1, units: 32, lookBack: 16), timing: .regression)
            a.inputWidth = features.inputWidth
            let net = Network<Float>(architecture: a, seed: 3)
            let t = Trainer(network: net, optimizer: Optimizer(kind: .adam, learningRate: 0.02, parameterCount: net.parameterCount),
                            loss: .categorical(noteMean: scaler.mean[0], noteScale: scaler.scale[0]), batchSize: 8,
                            noteScaler: (scaler.mean[0], scaler.scale[0]), threads: 2)
            var g = SeededGenerator(seed: 4)
            for e in 1...8 { _ = try t.trainStatefulEpoch(train, features: features, scaler: scaler, augmentation: .none, epoch: e, generator: &g) }
            return (t, features)
        }
        let (with, features) = try trained(recall: true)
        let (without, plain) = try trained(recall: false)
        let scoredWith = try with.evaluateStateful(test, features: features, scaler: scaler)
        let scoredWithout = try without.evaluateStateful(test, features: plain, scaler: scaler)
        // 8 of a song's 35 targets are the restated phrase's notes after its fourth: those the recall can give.
        XCTAssertGreaterThan(scoredWith.noteAccuracy, scoredWithout.noteAccuracy + 0.1,
                             "with the recall block \(scoredWith.noteAccuracy), without \(scoredWithout.noteAccuracy)")
        let model = TrainedModel(network: with.network, scaler: scaler, features: features, loss: with.loss,
                                 training: TrainingRecord(corpus: "", trainingSongs: 0, validationSongs: 0, trainingSamples: 0, epochs: 0, bestEpoch: 0,
                                                          seed: 1, optimizer: "adam", learningRate: 0.02, batchSize: 8, history: [], toolVersion: "", date: ""))
        let r = NextNoteEvaluation.evaluate(.regression(model), songs: test.songs, styles: test.styles, workers: 1)
        XCTAssertEqual(r.notes, scoredWith.samples)
        XCTAssertEqual(r.top1, scoredWith.noteAccuracy, accuracy: 1e-9)
        XCTAssertEqual(r.pitchLoss!, scoredWith.loss.note, accuracy: 1e-4)
    }
}
