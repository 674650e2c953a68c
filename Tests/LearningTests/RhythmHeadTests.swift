import Foundation
import MIDI
import TestSupport
import XCTest
@testable import Learning

/// The rhythm head (categorical velocity, time step and note length): its classes, its cross-entropy
/// gradients against finite differences, the metre block of the input encoding read from a real
/// performance, and a model with it through the model file and the predictor.
final class RhythmHeadTests: XCTestCase {
    private let scaler = StandardScaler(mean: [60, 90, 0.5], scale: [10, 5, 0.25])

    /// A categorical loss with a rhythm head reading the default encoding plus metre.
    private func rhythmLoss(penalty: Double = 0) -> (FeatureLoss, InputEncoding) {
        let e = InputEncoding(metre: true)
        let head = RhythmHead(velocityMean: 90, velocityScale: 5, metreIndex: e.metreIndex)
        return (.categorical(noteMean: 60, noteScale: 10, musicalPenalty: penalty, rhythm: head), e)
    }

    /// Time steps and lengths map to 1/24-beat classes and back; out-of-range values clamp.
    func testClasses() {
        let r = RhythmHead(velocityMean: 90, velocityScale: 1, metreIndex: 0)
        XCTAssertEqual(r.deltaClass(beats: 0), 0)
        XCTAssertEqual(r.deltaClass(beats: 0.25), 6)       // a 16th note
        XCTAssertEqual(r.deltaClass(beats: 1.0 / 3), 8)    // an eighth-note triplet
        XCTAssertEqual(r.deltaClass(beats: 10), 96)        // longer gaps: the last class
        XCTAssertEqual(r.beats(deltaClass: 6), 0.25)
        XCTAssertEqual(r.durationClass(beats: 1), 23)
        XCTAssertEqual(r.beats(durationClass: 23), 1)
        XCTAssertEqual(r.durationClass(beats: 0), 0)       // at least one step
        XCTAssertEqual(r.durationClass(beats: 100), 191)
        XCTAssertEqual(r.width, 128 + 97 + 192)
        XCTAssertEqual(ArchitecturePreset.deep.architecture(.init(units: 8), timing: .categorical).outputWidth, 128 + r.width)
        XCTAssertEqual(ArchitecturePreset.deep.encoding(timing: .categorical)?.width, 17 + 34)
    }

    /// The encoded metre block: time step and length rounded to 1/24 beat and clamped, phase in the beat and
    /// beat in the bar one-hot.
    func testMetreEncoding() {
        let e = InputEncoding(metre: true)
        var f = FeatureFrame(note: 62, velocity: 90, timeDelta: 0.3, duration: 0.5, program: 0)
        f.beatDelta = 1.0 / 3 + 0.001
        f.beatDuration = 20
        f.barPosition = 2 + 1.0 / 3
        let row = e.encode([f], scaler: scaler)
        XCTAssertEqual(row.count, 17 + 34)
        XCTAssertEqual(row[e.metreIndex], Float(8.0 / 24))
        XCTAssertEqual(row[e.metreIndex + 1], 8)
        let phase = Array(row[(e.metreIndex + 2)..<(e.metreIndex + 26)])
        let beat = Array(row[(e.metreIndex + 26)...])
        XCTAssertEqual(phase.reduce(0, +), 1)
        XCTAssertEqual(phase[8], 1, "a triplet eighth after the beat")
        XCTAssertEqual(beat.count, 8)
        XCTAssertEqual(beat.reduce(0, +), 1)
        XCTAssertEqual(beat[2], 1, "the third beat")
    }

    /// Frames of a 3/4 performance carry time steps, lengths and bar positions in beats.
    func testFramesReadTheMetre() {
        let tpb = 480
        let notes = [Note(pitch: 60, velocity: 90, startTick: 0, durationTicks: 480),
                     Note(pitch: 64, velocity: 90, startTick: 480, durationTicks: 160),
                     Note(pitch: 67, velocity: 90, startTick: 640, durationTicks: 800),
                     Note(pitch: 72, velocity: 90, startTick: 1440 + 240, durationTicks: 240)]
        let perf = Performance(ticksPerBeat: tpb, tempoMap: TempoMap(ticksPerBeat: tpb),
                               timeSignatures: [TimeSignatureChange(tick: 0, numerator: 3, denominator: 4)], tracks: [NoteTrack(notes: notes)])
        let frames = PaperFeatures.frames(of: perf, configuration: FeatureConfiguration(includeDrums: false, encoding: InputEncoding(metre: true)))
        XCTAssertEqual(frames.map { $0.beatDelta! }, [0, 1, 1.0 / 3, 2 + 1.0 / 6])
        XCTAssertEqual(frames.map { $0.beatDuration! }, [1, 1.0 / 3, 5.0 / 3, 0.5])
        XCTAssertEqual(frames.map { $0.barPosition! }, [0, 1, 4.0 / 3, 0.5])
        let plain = PaperFeatures.frames(of: perf, configuration: FeatureConfiguration(includeDrums: false, encoding: InputEncoding()))
        XCTAssertNil(plain[1].barPosition)
    }

    /// d loss / d output for every output of the head (pitch, velocity, time step and length logits).
    func testGradientMatchesFiniteDifferences() {
        let (loss, e) = rhythmLoss(penalty: 0.3)
        let w = loss.categorical!.outputWidth, batch = 2
        var g = SeededGenerator(seed: 5)
        let out = (0..<(batch * w)).map { _ in 2 * g.nextNormal() }
        var frames: [FeatureFrame] = []
        for i in 0..<batch {
            var f = FeatureFrame(note: Double(55 + 7 * i), velocity: Double(85 + 10 * i), timeDelta: 0.2, duration: 0.4, program: 0)
            f.beatDelta = 0.5 * Double(i); f.beatDuration = 1.5; f.barPosition = 1
            frames.append(f)
        }
        let tgt = e.encode(frames, scaler: scaler).map(Double.init)
        var grad = [Double](repeating: .nan, count: out.count)
        _ = loss.evaluate(output: out, target: tgt, targetStride: e.width, batch: batch, normalizer: Double(batch), gradient: &grad)
        let h = 1e-6
        var worst = 0.0
        for i in out.indices {
            var p = out, m = out
            p[i] += h; m[i] -= h
            let lp = loss.evaluate(output: p, target: tgt, targetStride: e.width, batch: batch, normalizer: Double(batch), gradient: nil).total
            let lm = loss.evaluate(output: m, target: tgt, targetStride: e.width, batch: batch, normalizer: Double(batch), gradient: nil).total
            let numeric = (lp - lm) / (2 * h)
            worst = max(worst, abs(numeric - grad[i]) / max(1e-3, abs(numeric) + abs(grad[i])))
        }
        XCTAssertLessThan(worst, 1e-5)
    }

    /// Confident logits on the true classes give a loss near 0; uniform ones give the sum of the log class counts.
    func testCrossEntropyReadsTheTrueClasses() {
        let (loss, e) = rhythmLoss()
        let r = loss.categorical!.rhythm!
        var f = FeatureFrame(note: 64, velocity: 95, timeDelta: 0.2, duration: 0.4, program: 0)
        f.beatDelta = 0.75; f.beatDuration = 2; f.barPosition = 0
        let tgt = e.encode([f], scaler: scaler).map(Double.init)
        var out = [Double](repeating: 0, count: loss.categorical!.outputWidth)
        let uniform = loss.evaluate(output: out, target: tgt, targetStride: e.width, batch: 1, normalizer: 1, gradient: nil)
        XCTAssertEqual(uniform.note, log(128), accuracy: 1e-9)
        XCTAssertEqual(uniform.velocity, log(128), accuracy: 1e-9)
        XCTAssertEqual(uniform.timeDelta, log(97) + log(192), accuracy: 1e-9)
        XCTAssertEqual(uniform.total, uniform.note + 0.5 * (uniform.velocity + uniform.timeDelta), accuracy: 1e-9)
        out[64] = 50
        out[r.velocityOffset + 95] = 50
        out[r.deltaOffset + 18] = 50
        out[r.durationOffset + 47] = 50
        let sure = loss.evaluate(output: out, target: tgt, targetStride: e.width, batch: 1, normalizer: 1, gradient: nil)
        XCTAssertLessThan(sure.total, 1e-12)
    }

    /// A rhythm model survives the model file; its predictor's frame carries the arg-max velocity, step and length;
    /// an encoding stored without the metre field (older files) reads as metre off.
    func testModelFileAndPredictor() throws {
        let arch = ArchitecturePreset.deep.architecture(.init(layers: 1, units: 8, lookBack: 4), timing: .categorical)
        let (loss, e) = rhythmLoss()
        let record = TrainingRecord(corpus: "-", trainingSongs: 0, validationSongs: 0, trainingSamples: 0, epochs: 0, bestEpoch: 0,
                                    seed: 1, optimizer: "adam", learningRate: 0.001, batchSize: 1, history: [], toolVersion: "test", date: "-")
        let model = TrainedModel(network: Network(architecture: arch, seed: 2), scaler: scaler,
                                 features: FeatureConfiguration(includeDrums: false, encoding: e), loss: loss, training: record)
        let dir = try TestPaths.temporaryFolder(self, prefix: "learning-tests")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("r.tsmodel")
        try model.write(to: url, overwrite: false)
        let back = try TrainedModel(contentsOf: url)
        XCTAssertEqual(back.loss.categorical, model.loss.categorical)
        XCTAssertEqual(back.features, model.features)
        let window = (0..<5).map { i -> FeatureFrame in
            var f = FeatureFrame(note: Double(60 + i), velocity: 90, timeDelta: 0.25, duration: 0.2, program: 0)
            f.beatDelta = 0.5; f.beatDuration = 0.5; f.barPosition = 0.5 * Double(i)
            return f
        }
        let p = back.makePredictor()
        let frame = p.predict(window)
        let o = window.withUnsafeBufferPointer { p.predictOutput($0) }
        let r = loss.categorical!.rhythm!
        func argMax(_ start: Int, _ n: Int) -> Int { (0..<n).max { o[start + $0] < o[start + $1] }! }
        XCTAssertEqual(frame.velocity, Double(argMax(r.velocityOffset, 128)))
        XCTAssertEqual(frame.beatDelta, r.beats(deltaClass: argMax(r.deltaOffset, r.deltaClasses)))
        XCTAssertEqual(frame.beatDuration, r.beats(durationClass: argMax(r.durationOffset, r.durationClasses)))

        let old = #"{"pitchClasses":true,"duration":true,"program":false}"#
        let decoded = try JSONDecoder().decode(InputEncoding.self, from: Data(old.utf8))
        XCTAssertEqual(decoded, InputEncoding(program: false))
    }
}
