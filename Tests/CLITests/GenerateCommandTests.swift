import Foundation
import MIDI
import TestSupport
import XCTest

/// `tunesmith generate` end to end on the built binary with the committed default model.
final class GenerateCommandTests: XCTestCase {
    private var work: URL!

    override func setUpWithError() throws {
        work = try TestPaths.temporaryFolder(self, prefix: "generate-cli")
    }

    private func path(_ name: String) -> String { work.appendingPathComponent(name).path }

    /// The default model is found from another working directory; same seed, same bytes; --force needed to replace.
    func testGeneratesMIDIDeterministicallyFromAnyFolder() throws {
        let a = path("a.mid"), b = path("b.mid")
        var r = try ToolRunner.run(["generate", "--length", "120n", "--seed", "7", "-o", a], in: URL(fileURLWithPath: "/"))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.output.contains("120 notes"), r.output)
        XCTAssertTrue(r.output.contains("seed 7"), r.output)
        r = try ToolRunner.run(["generate", "--length", "120n", "--seed", "7", "-o", b], in: work)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)))
        XCTAssertEqual(try Performance(contentsOf: URL(fileURLWithPath: a)).noteCount, 120)
        // Refuses to overwrite without --force, and leaves the file alone.
        r = try ToolRunner.run(["generate", "--length", "20n", "--seed", "8", "-o", a])
        ToolRunner.assertCleanFailure(r, mentioning: a)
        XCTAssertEqual(try Performance(contentsOf: URL(fileURLWithPath: a)).noteCount, 120)
        r = try ToolRunner.run(["generate", "--length", "20n", "--seed", "8", "-o", a, "--force"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try Performance(contentsOf: URL(fileURLWithPath: a)).noteCount, 20)
    }

    /// Scale constraint, then quantiser, from the command line: every note in the key, every onset on the grid.
    func testProcessorsRunInOrderOnTheGeneratedPiece() throws {
        let out = path("p.mid")
        let r = try ToolRunner.run(["generate", "--length", "16bars", "--seed", "3", "--tempo", "100", "--program", "24",
                                    "--process", "scale:key=D,mode=dorian", "--process", "quantize:grid=1/8", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.output.contains("scale > quantize"), r.output)
        let p = try Performance(contentsOf: URL(fileURLWithPath: out))
        let dorian: Set<Int> = [2, 4, 5, 7, 9, 11, 0]
        XCTAssertGreaterThan(p.noteCount, 0)
        XCTAssertTrue(p.allNotes.allSatisfy { dorian.contains(Int($0.pitch) % 12) })
        XCTAssertTrue(p.allNotes.allSatisfy { $0.startTick % (p.ticksPerBeat / 2) == 0 })
        XCTAssertTrue(p.allNotes.allSatisfy { $0.program == 24 })
        XCTAssertEqual(p.tempoMap.microsecondsPerBeat(atTick: 0), 600_000)
        XCTAssertLessThanOrEqual(p.allNotes.map(\.startTick).max()!, 16 * 4 * p.ticksPerBeat)
    }

    /// Audio through the renderer registry with the bundled SoundFont; byte-identical for the same seed (and title tag:
    /// by default the title is the file's name).
    func testRendersWAVDeterministically() throws {
        let a = path("a.wav"), b = path("b.wav")
        var r = try ToolRunner.run(["generate", "--length", "4s", "--seed", "11", "--process", "scale:key=auto,mode=major", "--title", "Same", "-o", a])
        if r.status != 0 && r.stderr.contains("SoundFont") { throw XCTSkip("no SoundFont available: \(r.stderr)") }
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try ToolRunner.run(["generate", "--length", "4s", "--seed", "11", "--process", "scale:key=auto,mode=major", "--title", "Same", "-o", b])
        XCTAssertEqual(r.status, 0, r.stderr)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: a))
        XCTAssertEqual(Array(bytes.prefix(4)), Array("RIFF".utf8))
        XCTAssertGreaterThan(bytes.count, 44_100 * 4 * 3, "at least 3 s of 16-bit stereo audio")
        XCTAssertEqual(bytes, try Data(contentsOf: URL(fileURLWithPath: b)))
    }

    /// --stream writes one JSON object per note to standard output, the same notes as the file.
    func testStreamWritesJSONLines() throws {
        let out = path("s.mid")
        let r = try ToolRunner.run(["generate", "--stream", "--length", "50n", "--seed", "5", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.output.split(separator: "\n")
        XCTAssertEqual(lines.count, 50)
        let notes = try Performance(contentsOf: URL(fileURLWithPath: out)).allNotes
        XCTAssertEqual(notes.count, 50)
        // The same onsets and the same releases per pitch. (Where two notes of one pitch overlap, a MIDI file cannot
        // say which note-off ends which note, and a reader pairs them first in, first out; so compare onsets and
        // releases as sets, not durations note by note.)
        var streamed: [(pitch: Int, start: Int, end: Int)] = []
        for line in lines {
            let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let pitch = try XCTUnwrap(o["pitch"] as? Int), start = try XCTUnwrap(o["start_tick"] as? Int)
            streamed.append((pitch, start, start + (try XCTUnwrap(o["duration_ticks"] as? Int))))
        }
        func sorted(_ pairs: [(Int, Int)]) -> [[Int]] { pairs.map { [$0.0, $0.1] }.sorted { $0.lexicographicallyPrecedes($1) } }
        XCTAssertEqual(sorted(streamed.map { ($0.pitch, $0.start) }), sorted(notes.map { (Int($0.pitch), $0.startTick) }))
        XCTAssertEqual(sorted(streamed.map { ($0.pitch, $0.end) }), sorted(notes.map { (Int($0.pitch), $0.startTick + $0.durationTicks) }))
        // Endless streaming stops cleanly when the reader goes away is not testable without a pipe here;
        // an endless length without --stream is refused.
        ToolRunner.assertCleanFailure(try ToolRunner.run(["generate", "--length", "endless", "-o", path("e.mid")]), mentioning: "endless")
    }

    /// Primer continuation and corpus starts from the sample corpus.
    func testPrimerAndCorpusStarts() throws {
        let corpus = TestPaths.sampleCorpus
        let primer = try XCTUnwrap(TestPaths.midiFiles(in: corpus).first, "the sample corpus has MIDI files")
        var r = try ToolRunner.run(["generate", "--primer", primer.path, "--length", "40n",
                                    "--seed", "1", "-o", path("primer.mid")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.output.contains("primer"), r.output)
        r = try ToolRunner.run(["generate", "--corpus", corpus.path, "--length", "40n", "--seed", "1", "-o", path("corpus.mid")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.output.contains("corpus song"), r.output)
    }

    /// Each bad input: one line naming the problem, non-zero exit, no output file.
    func testBadInputsFailCleanly() throws {
        let out = path("bad.mid")
        let notAModel = path("notamodel.tsmodel")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: notAModel))
        let cases: [([String], String)] = [
            (["--model", "/nonexistent/m.tsmodel"], "/nonexistent/m.tsmodel"),
            (["--model", notAModel], notAModel),
            (["--length", "12parsecs"], "bad length"),
            (["--length", "0n"], "bad length"),
            (["--process", "transpose:by=2"], "unknown processor"),
            (["--process", "scale:key=H"], "bad value"),
            (["--process", "scale:colour=blue"], "no parameter"),
            (["--temperature=-1"], "temperature"),
            (["--program", "128"], "program"),
            (["--tempo", "0"], "tempo"),
            (["--primer", "/nonexistent/p.mid"], "/nonexistent/p.mid"),
            (["--corpus", "/nonexistent/folder"], "/nonexistent/folder"),
            (["--articulation", "bouncy"], "articulation"),
            (["--soundfont", "/nonexistent/x.sf2"], "soundfont"),
        ]
        for (args, needle) in cases {
            let r = try ToolRunner.run(["generate", "--seed", "1", "-o", out] + args)
            ToolRunner.assertCleanFailure(r, mentioning: needle)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(args) left a file")
        }
        ToolRunner.assertCleanFailure(try ToolRunner.run(["generate", "-o", path("x.xyz")]), mentioning: "x.xyz")
        ToolRunner.assertCleanFailure(try ToolRunner.run(["generate", "-o", "/nonexistent/dir/x.mid"]), mentioning: "/nonexistent/dir/x.mid")
        ToolRunner.assertCleanFailure(try ToolRunner.run(["generate", "--length", "10n"]), mentioning: "no output")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0 != "notamodel.tsmodel" }, [])
    }
}
