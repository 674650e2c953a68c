import Foundation
import Generation
import Learning
import MIDI
import TestSupport
import XCTest

final class CategoricalStepperTests: XCTestCase {
    /// Random windows of rich frames (pitch, velocity, time delta, duration, program).
    private func windows(_ count: Int, lookBack: Int, seed: UInt64) -> [[FeatureFrame]] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            (0..<lookBack).map { _ in
                FeatureFrame(note: (40 + 50 * g.nextUnit()).rounded(), velocity: 1 + 126 * g.nextUnit(), timeDelta: g.nextUnit() * 0.8,
                             duration: g.nextUnit(), program: Double(g.next() % 128))
            }
        }
    }

    /// The factory picks the categorical stepper for a categorical head and validates it.
    func testFactoryStepsCategoricalHeads() throws {
        let model = try Fixtures.randomCategoricalModel()
        XCTAssertNoThrow(try StepperFactory.validate(model: model, path: "m"))
        XCTAssertTrue(StepperFactory.make(model: model, sampling: try SamplingOptions()) is CategoricalStepper)
        XCTAssertTrue(StepperFactory.make(model: try Fixtures.paperModel(), sampling: try SamplingOptions()) is RegressionStepper)
        // A categorical loss on a 3-output network is refused with the path.
        var broken = try Fixtures.paperModel()
        broken.loss = .categorical(noteMean: 60, noteScale: 12)
        XCTAssertThrowsError(try StepperFactory.validate(model: broken, path: "/x/broken.tsmodel")) { error in
            XCTAssertTrue("\(error)".contains("/x/broken.tsmodel"), "\(error)")
        }
    }

    /// top-k = 1 (and temperature 0) draws exactly the predictor's arg-max pitch; velocity and time delta
    /// at temperature 0 are the predictor's.
    func testTopOneIsThePredictorsArgMax() throws {
        let model = try Fixtures.randomCategoricalModel()
        let predictor = model.makePredictor()
        var topOne = CategoricalStepper(model: model, sampling: try SamplingOptions(temperature: 1, noise: 0, topK: 1))
        var greedy = CategoricalStepper(model: model, sampling: .deterministic)
        var g = SeededGenerator(seed: 9)
        var distinct = Set<Int>()
        for window in windows(300, lookBack: 4, seed: 2) {
            let expected = predictor.predictDistribution(window).frame
            let a = window.withUnsafeBufferPointer { topOne.next(after: $0, generator: &g) }
            let b = window.withUnsafeBufferPointer { greedy.next(after: $0, generator: &g) }
            XCTAssertEqual(a.note, expected.note)
            XCTAssertEqual(b.note, expected.note)
            XCTAssertEqual(b.velocity, expected.velocity, accuracy: 1e-9)
            XCTAssertEqual(b.timeDelta, expected.timeDelta, accuracy: 1e-9)
            distinct.insert(Int(expected.note))
        }
        XCTAssertGreaterThan(distinct.count, 1, "the windows should not all have the same arg-max")
    }

    /// Drawn pitches follow the softmax at temperature 1 and spread more (higher entropy, lower arg-max share)
    /// as the temperature rises; top-k keeps at most k pitches.
    func testTemperatureChangesTheSpread() throws {
        let model = try Fixtures.randomCategoricalModel()
        let window = windows(1, lookBack: 4, seed: 5)[0]
        let (probabilities, frame) = model.makePredictor().predictDistribution(window)
        func draws(_ sampling: SamplingOptions, n: Int = 4000) -> [Int: Int] {
            var stepper = CategoricalStepper(model: model, sampling: sampling)
            var g = SeededGenerator(seed: 21)
            var counts: [Int: Int] = [:]
            for _ in 0..<n { counts[Int(window.withUnsafeBufferPointer { stepper.next(after: $0, generator: &g) }.note), default: 0] += 1 }
            return counts
        }
        func entropy(_ c: [Int: Int]) -> Double {
            let n = Double(c.values.reduce(0, +))
            return -c.values.reduce(0.0) { $0 + Double($1) / n * log(Double($1) / n) }
        }
        let cold = draws(try SamplingOptions(temperature: 0.5, topP: 1)), warm = draws(try SamplingOptions(temperature: 1, topP: 1)),
            hot = draws(try SamplingOptions(temperature: 2, topP: 1))
        XCTAssertLessThan(entropy(cold), entropy(warm))
        XCTAssertLessThan(entropy(warm), entropy(hot))
        let best = Int(frame.note)
        XCTAssertGreaterThan(cold[best, default: 0], warm[best, default: 0])
        XCTAssertGreaterThan(warm[best, default: 0], hot[best, default: 0])
        // Temperature 1 matches the model's probabilities (4000 draws: within 3 percentage points).
        XCTAssertEqual(Double(warm[best, default: 0]) / 4000, probabilities[best], accuracy: 0.03)
        XCTAssertLessThanOrEqual(draws(try SamplingOptions(temperature: 1, topK: 3)).count, 3)
    }

    /// Whole generations from a categorical model: integer pitches in 0 ... 127, byte-identical per seed,
    /// different for another seed; from random starts, primers and corpus songs.
    func testGenerationIsInRangeAndDeterministic() throws {
        let model = try Fixtures.randomCategoricalModel()
        let corpus = TestPaths.sampleCorpus
        let song = try GenerationStart.corpusSong(inFolder: corpus, seed: 4, features: model.features)
        let primerURL = URL(fileURLWithPath: song.path)
        let primer = try GenerationStart.primer(fileAt: primerURL, features: model.features)
        for start in [GenerationStart.random, primer, song.start] {
            let options = try GenerationOptions(length: .notes(150), seed: 11, start: start)
            let a = try Generator(model: model, options: options).performance()
            let b = try Generator(model: model, options: options).performance()
            XCTAssertEqual(a.allNotes.count, 150)
            XCTAssertTrue(a.allNotes.allSatisfy { $0.pitch <= 127 && $0.velocity >= 1 && $0.velocity <= 127 && $0.durationTicks > 0 })
            XCTAssertEqual(try a.midiFile().encoded(), try b.midiFile().encoded())
            var other = options
            other.seed = 12
            XCTAssertNotEqual(try Generator(model: model, options: other).performance().allNotes, a.allNotes)
        }
    }

    /// The committed default model continues a corpus song in range, in order, deterministically.
    func testDefaultModelContinuesACorpusSong() throws {
        let model = try Fixtures.defaultModel()
        XCTAssertNotNil(model.loss.categorical)
        let corpus = TestPaths.sampleCorpus
        let song = try GenerationStart.corpusSong(inFolder: corpus, seed: 2, features: model.features)
        let options = try GenerationOptions(length: .seconds(20), seed: 3, start: song.start)
        let a = try Generator(model: model, options: options).performance()
        XCTAssertGreaterThan(a.noteCount, 10)
        XCTAssertEqual(a.allNotes, try Generator(model: model, options: options).performance().allNotes)
        let pitches = Set(a.allNotes.map(\.pitch))
        XCTAssertGreaterThan(pitches.count, 3, "a melody, not one repeated pitch")
        XCTAssertTrue(pitches.allSatisfy { $0 <= 127 })
    }

    /// The limit on chord size: the default model, left alone, now and then stacks a scale run into one onset (chorale
    /// seeds 2 and 6 did within their first 1,000 notes); no onset of a generated piece sounds more than 6 notes
    /// (``CategoricalStepper/largestChord``).
    func testNoOnsetSoundsMoreThanTheLargestChord() throws {
        let model = try Fixtures.defaultModel()
        guard model.loss.categorical?.rhythm != nil, let style = model.features.styles.firstIndex(of: "chorales") else {
            throw XCTSkip("the default model has no rhythm head or no chorale style")
        }
        var largest = 0, chords = 0
        for seed in [2, 6] as [UInt64] {
            let sampling = try SamplingOptions(temperature: SamplingOptions.defaultTemperature(stateful: model.isStateful))
            let options = try GenerationOptions(length: .notes(1_000), seed: seed, start: .random, sampling: sampling, style: style)
            let performance = try Generator(model: model, options: options).performance()
            var perOnset: [Int: Int] = [:]
            for track in performance.tracks { for n in track.notes { perOnset[n.startTick, default: 0] += 1 } }
            largest = max(largest, perOnset.values.max() ?? 0)
            chords += perOnset.values.filter { $0 >= 2 }.count
        }
        XCTAssertLessThanOrEqual(largest, 6, "the largest chord")
        XCTAssertGreaterThan(chords, 100, "the chorales still play chords")
    }
}
