import Foundation
import Generation
import Learning
import MIDI
import TestSupport
import XCTest

/// Generation with a rhythm head: onsets and lengths on the model's 1/24-beat lattice, each note with its own
/// drawn length, context frames that read back what was played, the primer's bar phase kept, and the usual
/// determinism and length limits.
final class RhythmGenerationTests: XCTestCase {
    /// Every onset and note length is a whole number of 1/24 beats; lengths stay within 8 beats; notes differ in length.
    func testOnsetsAndLengthsFollowTheDrawnSteps() throws {
        let model = try Fixtures.randomRhythmModel()
        let p = try Generator.make(model, length: .notes(300), seed: 4).performance()
        let notes = p.allNotes
        XCTAssertEqual(notes.count, 300)
        let step = p.ticksPerBeat / RhythmHead.stepsPerBeat
        XCTAssertTrue(notes.allSatisfy { $0.startTick % step == 0 }, "onsets off the 1/24-beat lattice")
        XCTAssertTrue(notes.allSatisfy { $0.durationTicks % step == 0 && $0.durationTicks > 0 && $0.durationTicks <= 8 * p.ticksPerBeat })
        XCTAssertGreaterThan(Set(notes.map(\.durationTicks)).count, 3, "lengths are drawn per note, not one policy")
        // A drawn length may outlast the next onset (a held voice), which the legato policy never allows.
        let onsets = Set(notes.map(\.startTick)).sorted()
        let held = notes.contains { n in onsets.first { $0 > n.startTick }.map { n.endTick > $0 } ?? false }
        XCTAssertTrue(held, "no note sounds past the next onset")
    }

    /// Same seed, same notes; temperature 0 needs no seed.
    func testDeterminism() throws {
        let model = try Fixtures.randomRhythmModel()
        let a = try Generator.make(model, length: .notes(120), seed: 8).performance()
        let b = try Generator.make(model, length: .notes(120), seed: 8).performance()
        let c = try Generator.make(model, length: .notes(120), seed: 9).performance()
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.allNotes, c.allNotes)
        let start = try GenerationStart.primer(fileAt: try Corpus.midiFiles(in: TestPaths.sampleCorpus)[2], features: model.features)
        let g1 = try Generator.make(model, length: .notes(50), seed: 1, start: start, temperature: 0).performance()
        let g2 = try Generator.make(model, length: .notes(50), seed: 2, start: start, temperature: 0).performance()
        XCTAssertEqual(g1.allNotes, g2.allNotes)
    }

    /// The greedy first note after a primer is the predictor's arg-max of every head; it is placed at the bar position
    /// the primer's last note had plus the drawn step, so the output's bars line up with the model's.
    func testPrimerPhaseAndFirstNote() throws {
        let model = try Fixtures.randomRhythmModel()
        let file = try Corpus.midiFiles(in: TestPaths.sampleCorpus)[5]
        let start = try GenerationStart.primer(fileAt: file, features: model.features)
        guard case .primer(let primer) = start else { return XCTFail("not a primer") }
        let frames = PaperFeatures.frames(of: primer, configuration: model.features)
        XCTAssertNotNil(frames.last?.barPosition)
        let generator = try Generator.make(model, length: .notes(10), start: start, temperature: 0)
        let predicted = model.makePredictor().predict(Array(frames.suffix(4)))
        let first = generator.performance().allNotes.min { ($0.startTick, $0.pitch) < ($1.startTick, $1.pitch) }!
        let plan = generator.plan
        let bar = Double(plan.timeSignature.numerator) * 4 / Double(plan.timeSignature.denominator)
        var position = frames.last!.barPosition! + predicted.beatDelta!
        position -= (position / bar).rounded(.down) * bar
        XCTAssertEqual(first.startTick, Int((position * Double(plan.ticksPerBeat)).rounded()))
        XCTAssertEqual(first.durationTicks, Int((predicted.beatDuration! * Double(plan.ticksPerBeat)).rounded()))
        XCTAssertEqual(Int(first.velocity), Int(min(127, max(1, predicted.velocity))))
        XCTAssertEqual(Int(first.pitch), Int(predicted.note))
    }

    /// A time-limited piece cuts every note at its end; an explicit onset grid still snaps a rhythm head's onsets.
    func testEndCutsAndExplicitGrid() throws {
        let model = try Fixtures.randomRhythmModel()
        let p = try Generator.make(model, length: .bars(4)).performance()
        let end = 4 * 4 * p.ticksPerBeat
        XCTAssertFalse(p.allNotes.isEmpty)
        XCTAssertTrue(p.allNotes.allSatisfy { $0.startTick < end && $0.endTick <= end })
        let options = try GenerationOptions(length: .notes(100), seed: 3, onsetGrid: try OnsetGrid.parse("1/8"))
        let gridded = try Generator(model: model, options: options).performance()
        let first = gridded.allNotes.map(\.startTick).min()!
        XCTAssertTrue(gridded.allNotes.allSatisfy { ($0.startTick - first) % (gridded.ticksPerBeat / 2) == 0 }, "\(gridded.allNotes.map(\.startTick).prefix(20))")
    }
}
