import Foundation
import MIDI
import TestSupport
import XCTest

/// `process --process arrange`, `render --stems` and the stems errors, run as the built binary.
final class ArrangementCommandTests: XCTestCase {
    func testArrangeAChoraleAndRenderItsStems() throws {
        let work = try TestPaths.temporaryFolder(self, prefix: "arrange-cli")
        let chorales = try ToolRunner.copyChorales(1, into: work)
        let input = try XCTUnwrap(TestPaths.midiFiles(in: chorales).first)
        let arranged = work.appendingPathComponent("band.mid")
        var r = try ToolRunner.run(["process", input.path, "-o", arranged.path, "--process", "scale:key=auto", "--process", "arrange:style=band"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let p = try Performance(contentsOf: arranged)
        XCTAssertTrue(p.tracks.contains { $0.name == "Chords" } && p.tracks.contains { $0.name == "Drums" }, "\(p.parts.map(\.name))")
        XCTAssertTrue(p.tracks.first { $0.name == "Drums" }!.notes.allSatisfy { $0.channel == 9 })

        let out = work.appendingPathComponent("band.wav")
        r = try ToolRunner.run(["render", arranged.path, "-o", out.path, "--stems", "--bits", "32f"], timeout: 900)
        XCTAssertEqual(r.status, 0, r.stderr)
        let stems = try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("band.stems").path).sorted()
        XCTAssertEqual(stems, p.parts.map { $0.name + ".wav" }.sorted())
        XCTAssertTrue(r.output.contains("band.stems/Drums.wav"), r.output)

        // Existing stems are not replaced without --force; with it they are.
        r = try ToolRunner.run(["render", arranged.path, "-o", work.appendingPathComponent("band.wav").path, "--stems"])
        ToolRunner.assertCleanFailure(r, mentioning: "already exists")
        // --stems needs an output.
        r = try ToolRunner.run(["generate", "--stream", "--length", "4n", "--stems"])
        ToolRunner.assertCleanFailure(r, mentioning: "--stems")
        // A file where the stems folder goes is refused before any work.
        try Data().write(to: work.appendingPathComponent("x.stems"))
        r = try ToolRunner.run(["render", arranged.path, "-o", work.appendingPathComponent("x.mid").path, "--stems"])
        ToolRunner.assertCleanFailure(r, mentioning: "x.stems")
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("x.mid").path), "no output after a refused request")
    }
}
