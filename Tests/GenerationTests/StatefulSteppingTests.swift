import Foundation
@testable import Generation
import Learning
import MIDI
import TestSupport
import XCTest

/// A stateful stepper feeds each note once and keeps the network's state; a windowed one re-reads its window.
final class StatefulSteppingTests: XCTestCase {
    /// Rich frames (pitch, velocity, time delta, duration, program).
    private func frames(_ count: Int, seed: UInt64) -> [FeatureFrame] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            FeatureFrame(note: (40 + 50 * g.nextUnit()).rounded(), velocity: 1 + 126 * g.nextUnit(), timeDelta: g.nextUnit() * 0.8,
                         duration: g.nextUnit(), program: Double(g.next() % 128))
        }
    }

    /// At temperature 0 the stateful stepper's pitch after each note is the arg-max of the network stepped once per frame
    /// from the start (the start window first, then each newest frame), not of a re-run window.
    func testStatefulStepperFeedsEachFrameOnce() throws {
        let model = try Fixtures.randomCategoricalModel()
        let all = frames(40, seed: 5)
        let start = model.network.architecture.lookBack
        var stepper = CategoricalStepper(model: model, sampling: .deterministic, stateful: true)
        var windowed = CategoricalStepper(model: model, sampling: .deterministic)
        XCTAssertTrue(stepper.isStateful)
        XCTAssertFalse(windowed.isStateful)
        let reference = model.makePredictor()
        var g = SeededGenerator(seed: 1)
        var differs = 0
        for end in start...all.count {
            // The engine's window: the last lookBack frames.
            let window = Array(all[(end - start)..<end])
            let drawn = window.withUnsafeBufferPointer { stepper.next(after: $0, generator: &g) }
            if end == start { for f in all[0..<(start - 1)] { reference.step(f) } }
            let o = reference.step(all[end - 1])
            var best = 0
            for j in 1..<CategoricalPitchLoss.pitchCount where o[j] > o[best] { best = j }
            XCTAssertEqual(Int(drawn.note), best, "after frame \(end)")
            let w = window.withUnsafeBufferPointer { windowed.next(after: $0, generator: &g) }
            if w.note != drawn.note { differs += 1 }
        }
        XCTAssertGreaterThan(differs, 0, "a window re-run from a zero state forgets what came before it")
    }

    /// A model that reads the motif memory's proposal (``InputEncoding/recall``) gets with every drawn note what a memory
    /// of the piece's drawn notes proposes next: what training reads from a song's own notes (`MotifMemory.recallPitches`).
    func testRecallModelReadsTheMemorysProposal() throws {
        let model = try Fixtures.randomRecallModel()
        XCTAssertTrue(model.isStateful)
        var stepper = CategoricalStepper(model: model, sampling: try SamplingOptions(temperature: 0, phraseRecall: 0), stateful: true)
        var g = SeededGenerator(seed: 2)
        var opening = FeatureFrame(note: 60, velocity: 80, timeDelta: 0, duration: 0.5, program: 0)
        opening.beatDelta = 0; opening.beatDuration = 1; opening.barPosition = 0
        var window = [opening], drawn: [FeatureFrame] = [], fed: [Int?] = []
        for _ in 0..<300 {
            let f = window.withUnsafeBufferPointer { stepper.next(after: $0, generator: &g) }
            fed.append(stepper.lastRecall)
            drawn.append(f)
            window.append(f)
            if window.count > stepper.lookBack { window.removeFirst() }
        }
        XCTAssertEqual(fed, [nil] + MotifMemory.recallPitches(of: drawn).dropLast(), "step k reads the proposal after drawn notes 0 ..< k")
        XCTAssertGreaterThan(fed.compactMap { $0 }.count, 20, "the piece restates passages, so the network is given proposals")
    }

    /// A stateful model is stepped statefully by the engine: deterministic for a seed, a cold start of one opening frame.
    func testGenerationWithAStatefulModel() throws {
        let model = try Fixtures.randomStatefulModel()
        XCTAssertTrue(model.isStateful)
        XCTAssertTrue(StepperFactory.make(model: model, sampling: try SamplingOptions()).isStateful)
        let options = try GenerationOptions(length: .notes(200), seed: 4)
        let generator = try Generator(model: model, options: options)
        XCTAssertEqual(generator.plan.context.count, 1, "a cold start is one opening note")
        let a = generator.performance()
        XCTAssertEqual(a, try Generator(model: model, options: options).performance())
        XCTAssertEqual(a.tracks[0].notes.count, 200)
    }

    /// The style index reaches the network's input: another style gives other notes; an index outside the model's
    /// styles is refused naming them.
    func testStyleChangesTheMusicAndIsChecked() throws {
        let model = try Fixtures.randomStatefulModel()
        func notes(_ style: Int?) throws -> [UInt8] {
            try Generator(model: model, options: GenerationOptions(length: .notes(100), seed: 2, style: style)).performance().allNotes.map(\.pitch)
        }
        XCTAssertNotEqual(try notes(0), try notes(1))
        XCTAssertNotEqual(try notes(nil), try notes(1))
        XCTAssertThrowsError(try Generator(model: model, options: GenerationOptions(style: 2))) { error in
            XCTAssertTrue("\(error)".contains("chorales, folk"), "\(error)")
        }
    }
}
