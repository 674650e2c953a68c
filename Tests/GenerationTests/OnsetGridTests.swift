import Generation
import Learning
import MIDI
import XCTest

final class OnsetGridTests: XCTestCase {
    func testParsesNoteValues() throws {
        XCTAssertEqual(try OnsetGrid.parse("1/16")?.beats, 0.25)
        XCTAssertEqual(try OnsetGrid.parse("1/8")?.beats, 0.5)
        XCTAssertEqual(try OnsetGrid.parse("1/12")?.beats ?? 0, 1.0 / 3, accuracy: 1e-12)
        XCTAssertNil(try OnsetGrid.parse("off"))
        for bad in ["16", "1/0", "x/4", "1/1000", ""] {
            XCTAssertThrowsError(try OnsetGrid.parse(bad), bad)
        }
    }

    /// Every onset falls on the grid, for regression and categorical models, and a seed still gives one piece.
    func testOnsetsFallOnTheGrid() throws {
        for model in [try Fixtures.paperModel(), try Fixtures.randomCategoricalModel()] {
            for grid in [OnsetGrid.sixteenth, try OnsetGrid.parse("1/12")!] {
                let options = try GenerationOptions(length: .notes(300), seed: 6, onsetGrid: grid)
                let notes = try Generator(model: model, options: options).performance().allNotes
                XCTAssertEqual(notes.count, 300)
                let step = grid.beats * Double(options.ticksPerBeat)
                for n in notes {
                    let k = Double(n.startTick) / step
                    XCTAssertEqual(k, k.rounded(), accuracy: 1e-6, "tick \(n.startTick) off the grid of \(step) ticks")
                }
                XCTAssertEqual(notes, try Generator(model: model, options: options).performance().allNotes)
            }
        }
    }

    /// Stochastic rounding keeps the model's mean time step: a constant model asking for 0.3 beats between
    /// notes gets 0.25 and 0.5 beats in a 4:1 ratio (0.3 beats on average); at temperature 0 always 0.25.
    func testStochasticRoundingKeepsTheMeanStep() throws {
        // 120 BPM without a primer: 0.15 s = 0.3 beats.
        let model = try Fixtures.constantModel(note: 60, velocity: 80, timeDelta: 0.15)
        let options = try GenerationOptions(length: .notes(2001), seed: 3, sampling: SamplingOptions(temperature: 1, noise: 0),
                                            onsetGrid: .sixteenth)
        let notes = try Generator(model: model, options: options).performance().allNotes
        let gaps = zip(notes, notes.dropFirst()).map { Double($1.startTick - $0.startTick) / 480 }
        XCTAssertEqual(Set(gaps), [0.25, 0.5])
        XCTAssertEqual(gaps.reduce(0, +) / Double(gaps.count), 0.3, accuracy: 0.01)
        var cold = options
        cold.sampling = .deterministic
        let coldNotes = try Generator(model: model, options: cold).performance().allNotes
        XCTAssertEqual(Set(zip(coldNotes, coldNotes.dropFirst()).map { $1.startTick - $0.startTick }), [120])
    }
}
