import Foundation
import MIDI
import Music
import Plotting
import TestSupport
import XCTest

/// Properties of the piano roll drawn from constructed and real performances.
final class PianoRollTests: XCTestCase {
    /// A one-track melody: `pitches` as quarter notes from tick 0 at 480 ticks per beat.
    func melody(_ pitches: [Int], velocity: (Int) -> Int = { _ in 80 }, signatures: [TimeSignatureChange] = []) -> Performance {
        let notes = pitches.enumerated().map { i, p in
            Note(pitch: UInt8(p), velocity: UInt8(velocity(i)), startTick: i * 480, durationTicks: 480)
        }
        return Performance(ticksPerBeat: 480, timeSignatures: signatures, tracks: [NoteTrack(name: "melody", notes: notes)])
    }

    func testWellFormedWithOneRectPerNoteInItsTrackColour() {
        let a = (0..<37).map { Note(pitch: UInt8(60 + $0 % 12), velocity: 90, startTick: $0 * 240, durationTicks: 200) }
        let b = (0..<11).map { Note(pitch: UInt8(40 + $0), velocity: 50, startTick: $0 * 960, durationTicks: 960) }
        let p = Performance(tracks: [NoteTrack(name: "conductor"), NoteTrack(name: "right", notes: a), NoteTrack(name: "left", notes: b)])
        let svg = ParsedSVG(PianoRoll(performance: p).render())
        XCTAssertEqual(svg.root, "svg")
        XCTAssertEqual(svg.elements(withClass: "note").count, 48)
        let groups = svg.elements(withClass: "track")
        XCTAssertEqual(groups.map { $0.attributes["data-track"] }, ["1", "2"], "the empty conductor track gets no group")
        XCTAssertNotEqual(groups[0].attributes["fill"], groups[1].attributes["fill"], "tracks have different colours")
        XCTAssertEqual(svg.elements(withClass: "legend").count, 2)
        XCTAssertTrue(svg.elements.contains { $0.name == "text" && $0.text == "right" })
    }

    func testNoteGeometryFollowsTimeAndPitch() {
        let roll = PianoRoll(performance: melody([60, 64, 67, 72]), options: .init(pixelsPerBeat: 10, rowHeight: 5))
        let notes = ParsedSVG(roll.render()).elements(withClass: "note")
        let xs = notes.map { ParsedSVG.number($0, "x") }, ys = notes.map { ParsedSVG.number($0, "y") }
        XCTAssertEqual(zip(xs, xs.dropFirst()).map { $1 - $0 }, [10, 10, 10], "one beat = 10 px apart")
        XCTAssertEqual(notes.map { ParsedSVG.number($0, "width") }, [10, 10, 10, 10])
        XCTAssertEqual(zip(ys, ys.dropFirst()).map { $0 - $1 }, [20, 15, 25], "higher pitches are higher up, 5 px a semitone")
        XCTAssertEqual(roll.pitchRows, 59...73)
    }

    func testVelocityIsShade() {
        let roll = PianoRoll(performance: melody([60, 62, 64, 65], velocity: { [20, 60, 100, 127][$0] }))
        let opacities = ParsedSVG(roll.render()).elements(withClass: "note").map { ParsedSVG.number($0, "fill-opacity") }
        XCTAssertEqual(opacities, opacities.sorted())
        XCTAssertEqual(Set(opacities).count, 4)
        XCTAssertEqual(opacities.last, 1)
    }

    func testBarLinesEqualBarsInThreeFour() {
        // 12 quarter notes in 3/4 = 4 bars exactly.
        let roll = PianoRoll(performance: melody(Array(repeating: 67, count: 12), signatures: [.init(tick: 0, numerator: 3, denominator: 4)]),
                             options: .init(pixelsPerBeat: 8))
        let bars = ParsedSVG(roll.render()).elements(withClass: "bar")
        XCTAssertEqual(bars.count, 4)
        XCTAssertEqual(bars.map { ParsedSVG.number($0, "x1") - ParsedSVG.number(bars[0], "x1") }, [0, 24, 48, 72])
        XCTAssertEqual(bars.map { $0.attributes["data-bar"] }, ["1", "2", "3", "4"])
        XCTAssertEqual(roll.endTick, 12 * 480)
    }

    func testBarLinesFollowTimeSignatureChanges() {
        // Two bars of 4/4 (8 beats), then 6/8 bars of 3 quarter notes' length; 17 quarter notes in all.
        let sigs = [TimeSignatureChange(tick: 0, numerator: 4, denominator: 4), TimeSignatureChange(tick: 8 * 480, numerator: 6, denominator: 8)]
        let roll = PianoRoll(performance: melody(Array(repeating: 60, count: 17), signatures: sigs), options: .init(pixelsPerBeat: 4))
        // Bars start at beats 0, 4, 8, 11, 14 (the last note ends at beat 17 = a bar line, so no bar starts there).
        XCTAssertEqual(roll.barLines, [0, 4, 8, 11, 14].map { $0 * 480 })
        XCTAssertEqual(ParsedSVG(roll.render()).elements(withClass: "bar").count, 5)
    }

    func testScaleRowsAreExactlyTheKeysPitchClasses() {
        // A D major scale over two octaves, tonic-heavy.
        let scale = [62, 64, 66, 67, 69, 71, 73, 74, 76, 78, 79, 81, 83, 85, 86, 62, 66, 69, 74]
        let roll = PianoRoll(performance: melody(scale))
        XCTAssertEqual(roll.key?.key.name, "D major")
        let shaded = ParsedSVG(roll.render()).elements(withClass: "scale-row").compactMap { Int($0.attributes["data-pitch"] ?? "") }
        let dMajor: Set<Int> = [2, 4, 6, 7, 9, 11, 1]
        XCTAssertEqual(Set(shaded), Set(roll.pitchRows.filter { dMajor.contains($0 % 12) }))
        XCTAssertEqual(shaded.count, roll.pitchRows.filter { dMajor.contains($0 % 12) }.count, "one shaded row per scale pitch")
        XCTAssertFalse(shaded.contains(72), "C natural is not in D major")
    }

    func testEscapesTitlesAndTrackNames() {
        var p = melody([60, 62])
        p.tracks[0].name = "Bass & <Drums> \"x\" 'y'"
        let svg = ParsedSVG(PianoRoll(performance: p, options: .init(title: "a<b>&c.mid")).render())
        XCTAssertTrue(svg.elements.contains { $0.text == "Bass & <Drums> \"x\" 'y'" })
        XCTAssertTrue(svg.elements.contains { $0.text == "a<b>&c.mid" })
    }

    func testEmptyPerformanceStillDraws() {
        let roll = PianoRoll(performance: Performance())
        let svg = ParsedSVG(roll.render())
        XCTAssertEqual(svg.root, "svg")
        XCTAssertNil(roll.key)
        XCTAssertEqual(svg.elements(withClass: "note").count, 0)
        XCTAssertEqual(svg.elements(withClass: "scale-row").count, 0)
        XCTAssertEqual(svg.elements(withClass: "bar").count, 1)
    }

    func testCorpusFilesDrawEveryNoteAndBar() throws {
        let files = ["chorales", "folk"].flatMap { TestPaths.midiFiles(in: TestPaths.corpus.appendingPathComponent($0)).prefix(4) }
        XCTAssertEqual(files.count, 8, "four chorales and four folk tunes")
        for url in files {
            let p = try Performance(contentsOf: url)
            let roll = PianoRoll(performance: p)
            let svg = ParsedSVG(roll.render())
            XCTAssertEqual(svg.elements(withClass: "note").count, p.noteCount, url.lastPathComponent)
            let bars = svg.elements(withClass: "bar").count
            XCTAssertEqual(bars, Meter(p).barStarts(from: 0, before: max(1, p.endTick)).count, url.lastPathComponent)
            XCTAssertEqual(Double(bars) * Double(Meter(p).segment(at: 0).barTicks), Double(roll.endTick), accuracy: 1e-9,
                           "single-meter files: drawing ends after the last bar (\(url.lastPathComponent))")
            let key = try XCTUnwrap(KeyFinder().estimate(notes: p.allNotes)?.best.key)
            let shaded = svg.elements(withClass: "scale-row").compactMap { Int($0.attributes["data-pitch"] ?? "") }
            XCTAssertTrue(shaded.allSatisfy { key.contains(pitch: $0) })
            XCTAssertEqual(shaded.count, roll.pitchRows.filter { key.contains(pitch: $0) }.count)
        }
    }
}
