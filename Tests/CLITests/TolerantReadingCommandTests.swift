import Foundation
import MIDI
import TestSupport
import XCTest

/// `dump`, `inspect`, `process` and `render` read damaged files with warnings on standard error; `--strict` refuses them.
final class TolerantReadingCommandTests: XCTestCase {
    /// A format-0 file whose key signature has mode byte 255 and with a stray clock byte, then two notes.
    static let damaged: [UInt8] = {
        let body: [UInt8] = [0x00, 0xFF, 0x59, 0x02, 0x02, 0xFF, 0x00, 0xFF, 0x05, 0x02, 0x6C, 0x61,
                             0x00, 0x90, 60, 100, 0x00, 0xF8, 0x83, 0x60, 0x80, 60, 0,
                             0x00, 0x90, 64, 90, 0x83, 0x60, 0x80, 64, 0, 0x00, 0xFF, 0x2F, 0x00]
        return Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0] + Array("MTrk".utf8) + [0, 0, 0, UInt8(body.count)] + body
    }()

    func testDamagedFileIsReadWithWarningsOrRefusedWhenStrict() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "cli-tolerant")
        let input = dir.appendingPathComponent("damaged.mid")
        try Data(Self.damaged).write(to: input)

        var run = try ToolRunner.run(["dump", input.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.errorLines.count, 2, "one warning per problem: \(run.stderr)")
        XCTAssertTrue(run.errorLines[0].hasPrefix("tunesmith: \(input.path): warning: key_signature"), run.stderr)
        XCTAssertTrue(run.errorLines[0].contains("(at byte 23, track 0)"), run.stderr)
        XCTAssertTrue(run.output.contains(#""type":"warning","offset":23,"#), run.output)
        XCTAssertTrue(run.output.contains(#""type":"lyrics","text":"la""#), run.output)

        run = try ToolRunner.run(["dump", "--strict", input.path])
        ToolRunner.assertCleanFailure(run, mentioning: input.path)
        XCTAssertTrue(run.stdout.isEmpty)

        let output = dir.appendingPathComponent("out.mid")
        run = try ToolRunner.run(["process", input.path, "-o", output.path, "--process", "quantize:grid=1/4"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("warning: key_signature"), run.stderr)
        let back = try Performance.read(contentsOf: output, strict: true)
        XCTAssertEqual(back.performance.noteCount, 2)
        XCTAssertEqual(back.performance.format, 0, "format 0 stays format 0")
        XCTAssertEqual(back.performance.tracks[0].otherEvents.map(\.message), [.meta(.text(.lyrics, Array("la".utf8)))], "the lyrics survive")

        run = try ToolRunner.run(["process", "--strict", input.path, "-o", dir.appendingPathComponent("strict.mid").path, "--process", "quantize"])
        ToolRunner.assertCleanFailure(run, mentioning: input.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("strict.mid").path))

        run = try ToolRunner.run(["inspect", input.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("warning:"), run.stderr)
        run = try ToolRunner.run(["inspect", "--strict", input.path])
        XCTAssertNotEqual(run.status, 0)
    }

    func testProcessReportsCollisions() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "cli-tolerant")
        let input = dir.appendingPathComponent("close.mid")
        // Two C4s 10 ticks apart: a quarter-note grid puts both on tick 0.
        let p = Performance(tracks: [NoteTrack(notes: [Note(pitch: 60, velocity: 80, startTick: 0, durationTicks: 100),
                                                       Note(pitch: 60, velocity: 90, startTick: 10, durationTicks: 200)])])
        try p.writeMIDI(to: input)
        var run = try ToolRunner.run(["process", input.path, "-o", dir.appendingPathComponent("keep.mid").path, "--process", "quantize:grid=1/4"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.output.contains("2 notes after quantize"), run.output)
        XCTAssertTrue(run.stderr.contains("quantize: kept 1 note sharing an onset"), run.stderr)
        run = try ToolRunner.run(["process", input.path, "-o", dir.appendingPathComponent("merge.mid").path, "--process", "quantize:grid=1/4,collisions=merge"])
        XCTAssertTrue(run.output.contains("1 notes after quantize"), run.output)
        XCTAssertTrue(run.stderr.contains("quantize: merged 1 note into others"), run.stderr)
    }
}
