import Foundation
import MIDI
import Plotting
import XCTest

/// An arrangement's parts are drawn in their own colours and named in the legend.
final class PianoRollPartsTests: XCTestCase {
    func testPartsHaveTheirColoursAndALegend() {
        func notes(_ pitch: Int, channel: UInt8 = 0) -> [Note] {
            (0..<8).map { Note(pitch: UInt8(pitch + $0 % 3), velocity: 80, startTick: $0 * 480, durationTicks: 400, channel: channel) }
        }
        // Parts in an unusual order, plus an unnamed track: colours follow the part names, not the positions.
        let p = Performance(tracks: [NoteTrack(name: PartName.drums, notes: notes(36, channel: 9)), NoteTrack(name: PartName.bass, notes: notes(40)),
                                     NoteTrack(name: "Strings", notes: notes(55)), NoteTrack(name: PartName.chords, notes: notes(60)),
                                     NoteTrack(name: PartName.melody, notes: notes(72))])
        let svg = ParsedSVG(PianoRoll(performance: p).render())
        let groups = svg.elements(withClass: "track")
        XCTAssertEqual(groups.map { $0.attributes["data-part"] }, ["Drums", "Bass", "Strings", "Chords", "Melody"])
        for g in groups {
            let part = g.attributes["data-part"]!
            if let colour = PianoRoll.partColors[part] { XCTAssertEqual(g.attributes["fill"], colour, part) }
        }
        XCTAssertEqual(Set(groups.compactMap { $0.attributes["fill"] }).count, 5, "five distinct colours")
        let legend = svg.elements(withClass: "legend")
        XCTAssertEqual(legend.map { $0.attributes["data-part"] }, ["Drums", "Bass", "Strings", "Chords", "Melody"])
        XCTAssertEqual(legend.map { $0.attributes["fill"] }, groups.map { $0.attributes["fill"] }, "legend swatches match the notes")
        for name in ["Melody", "Chords", "Bass", "Drums"] { XCTAssertTrue(svg.elements.contains { $0.name == "text" && $0.text == name }, name) }
    }
}
