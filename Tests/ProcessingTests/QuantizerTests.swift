import MIDI
@testable import Processing
import XCTest

final class QuantizerTests: XCTestCase {
    func testStrengthOneOnEveryGridAtSeveralResolutions() throws {
        for tpb in [480, 96, 100, 384] {
            let input = Fixtures.performance(count: 300, seed: UInt64(tpb), ticksPerBeat: tpb)
            for grid in Quantizer.Grid.allCases {
                let q = Quantizer(grid: grid, strength: 1)
                let out = try q.process(input)
                let g = q.grid(for: out)
                XCTAssertTrue(out.tracks.allSatisfy { $0.notes.allSatisfy { g.contains($0.startTick) } }, "\(grid) at \(tpb)")
                XCTAssertTrue(Fixtures.wellFormed(out))
                // Independent check where the step is a whole number of ticks.
                let step = Double(tpb) * 4 * grid.wholeNoteFraction
                if step == step.rounded() {
                    XCTAssertTrue(out.tracks.allSatisfy { $0.notes.allSatisfy { $0.startTick % Int(step) == 0 } }, "\(grid) at \(tpb)")
                }
            }
        }
    }

    func testSixteenthsAtFourEightyAndTieGoesEarlier() throws {
        let notes = [0, 59, 60, 61, 119, 121, 1000].map { Note(pitch: 60, velocity: 80, startTick: $0, durationTicks: 10) }
        let p = Performance(ticksPerBeat: 480, tracks: [NoteTrack(notes: notes.enumerated().map { var n = $1; n.pitch = UInt8(50 + $0); return n })])
        let out = try Quantizer(grid: .sixteenth).process(p)
        XCTAssertEqual(out.tracks[0].notes.map(\.startTick), [0, 0, 0, 120, 120, 120, 960])
    }

    func testPartialStrengthMovesPartWay() throws {
        let p = Performance(ticksPerBeat: 480, tracks: [NoteTrack(notes: [Note(pitch: 60, velocity: 80, startTick: 100, durationTicks: 50)])])
        XCTAssertEqual(try Quantizer(grid: .sixteenth, strength: 0.5).process(p).tracks[0].notes[0].startTick, 110)
        XCTAssertEqual(try Quantizer(grid: .sixteenth, strength: 0).process(p).tracks[0].notes[0].startTick, 100)
        XCTAssertEqual(try Quantizer(grid: .quarter, strength: 0.75).process(p).tracks[0].notes[0].startTick, 25)
    }

    func testSwingDelaysOffbeats() throws {
        let notes = [0, 240, 480, 720].enumerated().map { Note(pitch: UInt8(60 + $0), velocity: 80, startTick: $1 + 5, durationTicks: 100) }
        let p = Performance(ticksPerBeat: 480, tracks: [NoteTrack(notes: notes)])
        let out = try ProcessorRegistry.standard.makeProcessor("quantize:grid=1/8,swing=0.5").process(p)
        XCTAssertEqual(out.tracks[0].notes.map(\.startTick), [0, 300, 480, 780])
    }

    func testTripletGrid() throws {
        let notes = [0, 150, 330, 490].enumerated().map { Note(pitch: UInt8(60 + $0), velocity: 80, startTick: $1, durationTicks: 100) }
        let p = Performance(ticksPerBeat: 480, tracks: [NoteTrack(notes: notes)])
        let out = try Quantizer(grid: .eighthTriplet).process(p)
        XCTAssertEqual(out.tracks[0].notes.map(\.startTick), [0, 160, 320, 480])
    }

    func testGridRestartsAtTimeSignatureChanges() throws {
        // 7/8 from 0 (bar = 1680 ticks at 480), then 4/4 from 1680: quarter grid anchored at 1680.
        let sigs = [TimeSignatureChange(tick: 0, numerator: 7, denominator: 8), TimeSignatureChange(tick: 1680, numerator: 4, denominator: 4)]
        let notes = [1500, 1700, 2150, 2700].enumerated().map { Note(pitch: UInt8(60 + $0), velocity: 80, startTick: $1, durationTicks: 100) }
        let p = Performance(ticksPerBeat: 480, timeSignatures: sigs, tracks: [NoteTrack(notes: notes)])
        let out = try Quantizer(grid: .quarter).process(p)
        // 1500 -> 1440 (segment one), 1700 -> 1680, 2150 -> 2160, 2700 -> 2640.
        XCTAssertEqual(out.tracks[0].notes.map(\.startTick), [1440, 1680, 2160, 2640])
        // A point near the end of the first segment snaps to the boundary rather than past it.
        let near = Performance(ticksPerBeat: 480, timeSignatures: sigs, tracks: [NoteTrack(notes: [Note(pitch: 60, velocity: 80, startTick: 1670, durationTicks: 10)])])
        XCTAssertEqual(try Quantizer(grid: .quarter).process(near).tracks[0].notes[0].startTick, 1680)
    }

    func testDurationQuantising() throws {
        let notes = [10, 100, 130, 500].enumerated().map { Note(pitch: UInt8(60 + $0), velocity: 80, startTick: $0 * 480, durationTicks: $1) }
        let p = Performance(ticksPerBeat: 480, tracks: [NoteTrack(notes: notes)])
        let out = try ProcessorRegistry.standard.makeProcessor("quantize:grid=1/16,durations=true").process(p)
        XCTAssertEqual(out.tracks[0].notes.map(\.durationTicks), [120, 120, 120, 480])
        let kept = try ProcessorRegistry.standard.makeProcessor("quantize:grid=1/16").process(p)
        XCTAssertEqual(kept.tracks[0].notes.map(\.durationTicks), [10, 100, 130, 500])
    }

    func testDrumsAreQuantisedToo() throws {
        let input = Fixtures.performance(count: 100, seed: 3)
        let out = try Quantizer(grid: .eighth).process(input)
        XCTAssertTrue(Fixtures.drums(out).allSatisfy { $0.startTick % 240 == 0 })
    }
}
