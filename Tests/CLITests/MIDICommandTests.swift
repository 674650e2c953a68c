import Foundation
import TestSupport
import XCTest
import MIDI

/// End-to-end tests of `tunesmith dump` and `tunesmith inspect` on the built binary.
final class MIDICommandTests: XCTestCase {
    /// A small two-track performance: a conductor track and three notes at 90 BPM in 3/4, D major.
    private func samplePerformance(pitches: [UInt8] = [62, 66, 69]) -> Performance {
        var perf = Performance(ticksPerBeat: 96, tempoMap: TempoMap(ticksPerBeat: 96, changes: [.init(tick: 0, microsecondsPerBeat: 666_667)]),
                               timeSignatures: [TimeSignatureChange(tick: 0, numerator: 3, denominator: 4)],
                               keySignatures: [KeySignatureChange(tick: 0, sharpsOrFlats: 2, minor: false)])
        perf.tracks = [NoteTrack(), NoteTrack(name: "Flute", notes: pitches.enumerated().map {
            Note(pitch: $0.element, velocity: 80, startTick: $0.offset * 96, durationTicks: 96, program: 73)
        })]
        return perf
    }

    func testDumpMatchesMidoReferenceExactly() throws {
        guard let corpus = TestPaths.sharedCorpus,
              let reference = TestPaths.sharedItem("conformance/reference/chorales/bwv104.6.mid.jsonl") else {
            throw XCTSkip("../shared conformance reference dump absent")
        }
        let run = try ToolRunner.run(["dump", corpus.appendingPathComponent("chorales/bwv104.6.mid").path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.output, try String(contentsOf: reference, encoding: .utf8))
    }

    func testDumpOfAWrittenFile() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "cli-midi")
        let path = dir.appendingPathComponent("flute.mid")
        try samplePerformance().midiFile().write(to: path)
        let run = try ToolRunner.run(["dump", path.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, #"{"format":1,"tracks":2,"ticks_per_beat":96}"#)
        XCTAssertTrue(lines.contains(#"{"track":0,"tick":0,"type":"set_tempo","tempo":666667}"#))
        XCTAssertTrue(lines.contains(#"{"track":0,"tick":0,"type":"key_signature","key":"D"}"#))
        XCTAssertTrue(lines.contains(#"{"track":1,"tick":0,"type":"program_change","program":73,"channel":0}"#))
        XCTAssertTrue(lines.contains(#"{"track":1,"tick":192,"type":"note_on","note":69,"velocity":80,"channel":0}"#))
        XCTAssertEqual(lines.last, #"{"track":1,"tick":288,"type":"end_of_track"}"#)
        for line in lines { XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)), line) }
    }

    func testDumpRejectsBadInputWithOneLine() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "cli-midi")
        let missing = dir.appendingPathComponent("missing.mid").path
        var run = try ToolRunner.run(["dump", missing])
        ToolRunner.assertCleanFailure(run, mentioning: missing)
        XCTAssertTrue(run.stdout.isEmpty)
        run = try ToolRunner.run(["dump", dir.path])
        ToolRunner.assertCleanFailure(run, mentioning: "is a directory")
        let cases: [(String, [UInt8])] = [
            ("empty.mid", []),
            ("text.mid", Array("just some text\n".utf8)),
            ("zero-tracks.mid", Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 0, 0x01, 0xE0]),
            ("truncated.mid", Array(samplePerformance().midiFile().encoded().dropLast(5))),
            ("vlq.mid", Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0] + Array("MTrk".utf8) + [0, 0, 0, 9, 0x81, 0x81, 0x81, 0x81, 0x01, 0xFF, 0x2F, 0x00, 0x00]),
            ("running.mid", Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0] + Array("MTrk".utf8) + [0, 0, 0, 7, 0x00, 60, 100, 0x00, 0xFF, 0x2F, 0x00]),
        ]
        for (name, bytes) in cases {
            let path = dir.appendingPathComponent(name)
            try Data(bytes).write(to: path)
            let run = try ToolRunner.run(["dump", "--strict", path.path], timeout: 5)
            ToolRunner.assertCleanFailure(run, mentioning: path.path)
            XCTAssertTrue(run.stderr.contains("(at byte "), "\(name): \(run.stderr)")
            XCTAssertTrue(run.stdout.isEmpty, "\(name): no partial output")
        }
        run = try ToolRunner.run(["dump"])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("Missing expected argument"), run.stderr)
    }

    func testInspectFolderListsFilesErrorsAndTotals() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "cli-midi")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try samplePerformance().midiFile().write(to: dir.appendingPathComponent("a.mid"))
        try samplePerformance(pitches: [60, 64]).midiFile(format: 0).write(to: dir.appendingPathComponent("sub/b.MIDI"))
        try Data("notes".utf8).write(to: dir.appendingPathComponent("readme.txt"))
        var run = try ToolRunner.run(["inspect", dir.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4, run.output)
        XCTAssertTrue(lines[1].hasSuffix("/a.mid") && lines[1].contains("    3 ") && lines[1].contains("90.0") && lines[1].contains("3/4") && lines[1].contains(" D "), lines[1])
        XCTAssertTrue(lines[2].hasSuffix("/sub/b.MIDI"), lines[2])
        XCTAssertEqual(lines[3], "total: 2 files, 2 read, 0 failed, 5 notes, 3.3 s (0.00 h)")

        try Data("MThd".utf8).write(to: dir.appendingPathComponent("broken.mid"))
        run = try ToolRunner.run(["inspect", dir.path, dir.appendingPathComponent("nope.mid").path])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.output.contains("ERROR  \(dir.path)/broken.mid: file ends inside the MThd header chunk (4 bytes) (at byte 4)"), run.output)
        XCTAssertTrue(run.output.contains("ERROR  \(dir.appendingPathComponent("nope.mid").path): no such file or directory"), run.output)
        XCTAssertTrue(run.output.contains("total: 4 files, 2 read, 2 failed, 5 notes"), run.output)
        XCTAssertEqual(run.errorLines, ["tunesmith: 2 of 4 files could not be read"])

        run = try ToolRunner.run(["inspect", "--json", dir.path])
        XCTAssertEqual(run.status, 1)
        let json = try JSONSerialization.jsonObject(with: run.stdout) as! [String: Any]
        let files = json["files"] as! [[String: Any]]
        XCTAssertEqual(files.count, 3)
        let a = files.first { ($0["path"] as! String).hasSuffix("/a.mid") }!
        XCTAssertEqual(a["notes"] as? Int, 3)
        XCTAssertEqual(a["ticks_per_beat"] as? Int, 96)
        XCTAssertEqual(a["key_signature"] as? String, "D")
        XCTAssertEqual(a["time_signature"] as? String, "3/4")
        XCTAssertEqual(a["duration_seconds"] as! Double, 2.000001, accuracy: 1e-9)
        XCTAssertNotNil(files.first { ($0["path"] as! String).hasSuffix("/broken.mid") }?["error"] as? String)
        let totals = json["totals"] as! [String: Any]
        XCTAssertEqual(totals["failed"] as? Int, 1)
        XCTAssertEqual(totals["notes"] as? Int, 5)
    }

    /// The whole corpus: the shared one (2,207 files), or the sample corpus (300 files) in a user's clone.
    func testInspectWholeCorpus() throws {
        let run = try ToolRunner.run(["inspect", TestPaths.corpus.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let total = TestPaths.usesSharedCorpus ? "total: 2207 files, 2207 read, 0 failed, 777591 notes" : "total: 300 files, 300 read, 0 failed, 75098 notes"
        XCTAssertTrue(run.output.contains(total), String(run.output.suffix(200)))
    }

    func testInspectWithoutMIDIFilesFails() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "cli-midi")
        let run = try ToolRunner.run(["inspect", dir.path])
        ToolRunner.assertCleanFailure(run, mentioning: "no .mid or .midi files")
    }
}
