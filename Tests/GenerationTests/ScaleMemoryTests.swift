import Foundation
@testable import Generation
import Learning
import MIDI
import TestSupport
import XCTest

/// The scale memory makes pitches outside the piece's own 7 most used pitch classes less likely, and touches nothing
/// else: the rhythm heads are drawn from the network's own distributions whether it is on or off.
final class ScaleMemoryTests: XCTestCase {
    private func piece(_ model: TrainedModel, seed: UInt64, scaleMemory: Double, notes: Int) throws -> [Note] {
        let sampling = try SamplingOptions(temperature: SamplingOptions.defaultTemperature(stateful: model.isStateful),
                                           motifMemory: 0, scaleMemory: scaleMemory)
        let options = try GenerationOptions(length: .notes(notes), seed: seed, start: .random, sampling: sampling)
        return try Generator(model: model, options: options).performance().allNotes
    }

    func testKeepsThePieceInItsScale() {
        var memory = ScaleMemory()
        for _ in 0..<3 { for p in [61, 60, 62, 64, 65, 67, 69, 71] { memory.record(pitch: p) } }  // C# oldest in each round
        let mask = try! XCTUnwrap(memory.scale())
        XCTAssertEqual((0..<12).filter { mask & (1 << $0) != 0 }, [0, 2, 4, 5, 7, 9, 11], "C major; C#, always the oldest, is out")
    }

    /// Regression: with the motif memory silent, the scale penalty used to be written into a buffer whose rhythm
    /// logits were stale, so time steps and lengths came from garbage (chorale chord share 0.7 -> 0.01). The note at
    /// which the scale first applies is drawn with the same random numbers on and off: its rhythm must not change.
    func testRhythmIsTheNetworksWithTheScaleOn() throws {
        let model = try Fixtures.defaultModel()
        guard model.loss.categorical?.rhythm != nil else { throw XCTSkip("the default model has no rhythm head") }
        let count = ScaleMemory.warmUp + 1
        for seed in 1...4 as ClosedRange<UInt64> {
            let off = try piece(model, seed: seed, scaleMemory: 0, notes: count)
            let on = try piece(model, seed: seed, scaleMemory: 0.9, notes: count)
            XCTAssertEqual(off.count, count)
            XCTAssertEqual(on.map(\.startTick).sorted(), off.map(\.startTick).sorted(), "seed \(seed): onsets")
            XCTAssertEqual(on.map(\.durationTicks).sorted(), off.map(\.durationTicks).sorted(), "seed \(seed): lengths")
            XCTAssertEqual(on.map(\.velocity).sorted(), off.map(\.velocity).sorted(), "seed \(seed): velocities")
        }
    }

    func testRaisesTheShareOfNotesInThePiecesOwnScale() throws {
        let model = try Fixtures.defaultModel()
        guard model.loss.categorical?.rhythm != nil else { throw XCTSkip("the default model has no rhythm head") }
        func inScaleShare(_ weight: Double) throws -> Double {
            var inside = 0, total = 0
            for seed in 1...6 as ClosedRange<UInt64> {
                let notes = try piece(model, seed: seed, scaleMemory: weight, notes: 200)
                var counts = [Int](repeating: 0, count: 12)
                for n in notes { counts[Int(n.pitch) % 12] += 1 }
                inside += counts.sorted(by: >).prefix(7).reduce(0, +)
                total += notes.count
            }
            return Double(inside) / Double(total)
        }
        let off = try inScaleShare(0), on = try inScaleShare(0.8)
        XCTAssertGreaterThan(on, off + 0.01, "scale memory on \(on), off \(off)")
        XCTAssertGreaterThan(on, 0.95, "scale memory on \(on)")
    }
}

/// A chord never repeats one of its pitches: a pitch drawn at the onset of the notes before it (time step 0) that one of
/// them already has is masked and drawn again, so every model step adds a note and no onset holds a pitch twice.
final class ChordPitchTests: XCTestCase {
    func testEveryStepAddsANoteAndNoOnsetRepeatsAPitch() throws {
        let model = try Fixtures.defaultModel()
        guard model.loss.categorical?.rhythm != nil, !model.styles.isEmpty else { throw XCTSkip("the default model has no rhythm head or styles") }
        var chords = 0
        for style in model.styles.indices {
            for seed in 1...3 as ClosedRange<UInt64> {
                let options = try GenerationOptions(length: .notes(300), seed: seed, start: .random,
                                                    sampling: SamplingOptions(temperature: 1), style: style)
                let (performance, steps) = try Generator(model: model, options: options).run()
                let notes = performance.allNotes
                XCTAssertEqual(notes.count, 300)
                XCTAssertEqual(steps, 300, "\(model.styles[style]), seed \(seed): no step was lost to a repeated pitch")
                var seen = Set<[Int]>()
                for n in notes { XCTAssertTrue(seen.insert([n.startTick, Int(n.pitch)]).inserted, "onset \(n.startTick) holds \(n.pitch) twice") }
                chords += Dictionary(grouping: notes, by: \.startTick).values.filter { $0.count >= 2 }.count
            }
        }
        XCTAssertGreaterThan(chords, 20, "the pieces have chords (the case the rule is for)")
    }

    func testChordPitchesSet() {
        var c = ChordPitches()
        for p in [0, 63, 64, 127, 60] { c.insert(p) }
        XCTAssertTrue(c.contains(64) && c.contains(0) && c.contains(127) && !c.contains(65))
        var listed: [Int] = []
        c.forEach { listed.append($0) }
        XCTAssertEqual(listed, [0, 60, 63, 64, 127])
    }
}
