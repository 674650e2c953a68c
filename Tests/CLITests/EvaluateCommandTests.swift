import Foundation
import TestSupport
import XCTest
import MIDI

/// End-to-end tests of `tunesmith evaluate`, `tunesmith plot` and `tunesmith evaluate-model` on the built binary.
final class EvaluateCommandTests: XCTestCase {
    /// The package's sample corpus (committed with the package).
    private var samples: URL { TestPaths.sampleCorpus }

    /// A C major scale up and down in one track, 4/4, 480 ticks per beat.
    private func scalePerformance() -> Performance {
        let pitches: [UInt8] = [60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62, 60, 60]
        let notes = pitches.enumerated().map { Note(pitch: $0.element, velocity: UInt8(60 + $0.offset), startTick: $0.offset * 480, durationTicks: 480) }
        return Performance(ticksPerBeat: 480, timeSignatures: [TimeSignatureChange(tick: 0, numerator: 4, denominator: 4)],
                           tracks: [NoteTrack(name: "Piano", notes: notes)])
    }

    private func json(_ run: ToolRunner.Run) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any], run.output)
    }

    func testEvaluateTableListsEveryPieceAndMetric() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "cli-eval")
        let a = dir.appendingPathComponent("scale.mid")
        try scalePerformance().midiFile().write(to: a)
        let chorale = samples.appendingPathComponent("chorales/bwv1.6.mid")
        let run = try ToolRunner.run(["evaluate", a.path, chorale.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.output.contains("scale.mid"))
        XCTAssertTrue(run.output.contains("bwv1.6.mid"))
        XCTAssertTrue(run.output.contains("C major"), "the scale's key is named")
        for name in ["keyCorrelation", "scaleConsistency", "pitchClassEntropy", "velocityMean", "onsetGrid16Fraction", "emptyBeatRate",
                     "grooveConsistency", "ioiEntropy", "ioiSteadiness", "repeatedIntervalNGramShare", "selfSimilarity",
                     "polyphony", "chordOnsetFraction", "pitchRange", "distinctPitches"] {
            XCTAssertTrue(run.output.contains(name), name)
        }
        XCTAssertTrue(run.output.contains("2 pieces"))
    }

    func testEvaluateJSONValuesOfAKnownPiece() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "cli-eval")
        let a = dir.appendingPathComponent("scale.mid")
        try scalePerformance().midiFile().write(to: a)
        let run = try ToolRunner.run(["evaluate", a.path, "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let doc = try json(run)
        let pieces = try XCTUnwrap(doc["pieces"] as? [[String: Any]])
        XCTAssertEqual(pieces.count, 1)
        let m = try XCTUnwrap(pieces[0]["metrics"] as? [String: Any])
        XCTAssertEqual(m["key"] as? String, "C major")
        XCTAssertEqual(m["scaleConsistency"] as? Double, 1)
        XCTAssertEqual(m["noteCount"] as? Int, 16)
        XCTAssertEqual(m["pitchRange"] as? Int, 12)
        XCTAssertEqual(m["distinctPitches"] as? Int, 8)
        XCTAssertEqual(m["velocityRange"] as? Int, 15)
        XCTAssertEqual(m["onsetGrid16Fraction"] as? Double, 1)
        XCTAssertEqual(m["polyphony"] as? Double, 1)
        XCTAssertEqual(m["chordOnsetFraction"] as? Double, 0)
        XCTAssertNotNil(m["loopTailShare"] as? Double)
        let summary = try XCTUnwrap(doc["summary"] as? [[String: Any]])
        XCTAssertEqual(summary.count, 20)  // 18 per-piece metrics, loopTailShare and thirdsOverlap
        XCTAssertNil(doc["reference"])
    }

    func testFirstNotesCutsEveryPieceToOneLength() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "cli-eval")
        let a = dir.appendingPathComponent("scale.mid")
        try scalePerformance().midiFile().write(to: a)
        let run = try ToolRunner.run(["evaluate", a.path, "--first-notes", "5", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let pieces = try XCTUnwrap(try json(run)["pieces"] as? [[String: Any]])
        let m = try XCTUnwrap(pieces.first?["metrics"] as? [String: Any])
        XCTAssertEqual(m["noteCount"] as? Int, 5)
        XCTAssertEqual(m["distinctPitches"] as? Int, 5, "C D E F G")
        XCTAssertEqual(m["pitchRange"] as? Int, 7)
        let bad = try ToolRunner.run(["evaluate", a.path, "--first-notes", "0"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--first-notes must be at least 1"), bad.stderr)
    }

    func testReferenceComparisonSeparatesStylesAndMatchesItself() throws {
        let chorales = samples.appendingPathComponent("chorales").path, folk = samples.appendingPathComponent("folk").path
        let same = try ToolRunner.run(["evaluate", chorales, "--reference", chorales, "--json"])
        XCTAssertEqual(same.status, 0, same.stderr)
        let sameRows = try XCTUnwrap(try json(same)["summary"] as? [[String: Any]])
        for row in sameRows {
            let d = try XCTUnwrap(row["distance"] as? [String: Double], "\(row)")
            XCTAssertEqual(d["overlappingArea"] ?? 0, 1, accuracy: 1e-6, "a set overlaps itself fully")
            XCTAssertEqual(d["klDivergence"] ?? 1, 0, accuracy: 1e-6)
            XCTAssertEqual(row["mean"] as? Double, row["referenceMean"] as? Double)
        }
        let other = try ToolRunner.run(["evaluate", folk, "--reference", chorales, "--json"])
        XCTAssertEqual(other.status, 0, other.stderr)
        let doc = try json(other)
        XCTAssertEqual((doc["reference"] as? [String: Int])?["pieces"], 100)
        XCTAssertEqual((doc["pieces"] as? [Any])?.count, 200)
        let rows = try XCTUnwrap(doc["summary"] as? [[String: Any]])
        func overlap(_ name: String) throws -> Double {
            let row = try XCTUnwrap(rows.first { $0["name"] as? String == name })
            return try XCTUnwrap((row["distance"] as? [String: Double])?["overlappingArea"])
        }
        // Four-part chorales against single-line fiddle tunes: chord metrics barely overlap, the beat grid does.
        XCTAssertLessThan(try overlap("chordOnsetFraction"), 0.1)
        XCTAssertLessThan(try overlap("polyphony"), 0.2)
        XCTAssertGreaterThan(try overlap("emptyBeatRate"), 0.5)
        let table = try ToolRunner.run(["evaluate", folk, "--reference", chorales])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.output.contains("200 pieces vs 100 reference pieces"))
        XCTAssertTrue(table.output.contains("overlap"))
    }

    /// `--thirds`: each long enough piece's first third against its last, metric by metric, in the table and the JSON.
    func testThirdsCompareFirstAndLastThirdMetricByMetric() throws {
        let folder = samples.appendingPathComponent("folk").path
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".mid") }.sorted().prefix(20)
        let paths = files.map { folder + "/" + $0 }
        let table = try ToolRunner.run(["evaluate"] + paths + ["--thirds"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.output.contains("First third against last, metric by metric"), table.output)
        XCTAssertTrue(table.output.contains("velocityMean"))
        let plain = try ToolRunner.run(["evaluate"] + paths + ["--json"])
        XCTAssertFalse(plain.output.contains("\"thirds\""), "without --thirds the JSON is as before")
        let run = try ToolRunner.run(["evaluate"] + paths + ["--thirds", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(doc["thirds"] as? [[String: Any]])
        XCTAssertFalse(rows.isEmpty)
        // Each piece's thirds average to its thirdsOverlap.
        for piece in try XCTUnwrap(doc["pieces"] as? [[String: Any]]) {
            guard let drift = piece["thirds"] as? [[String: Any]], !drift.isEmpty else { continue }
            let mean = drift.compactMap { $0["overlap"] as? Double }.reduce(0, +) / Double(drift.count)
            let overlap = try XCTUnwrap((piece["metrics"] as? [String: Any])?["thirdsOverlap"] as? Double)
            XCTAssertEqual(mean, overlap, accuracy: 1e-12)
        }
    }

    func testEvaluateBadInputsFailCleanly() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "cli-eval")
        let junk = dir.appendingPathComponent("junk.mid")
        try Data("not a midi file".utf8).write(to: junk)
        ToolRunner.assertCleanFailure(try ToolRunner.run(["evaluate", junk.path]), mentioning: junk.path)
        let missing = dir.appendingPathComponent("missing.mid").path
        ToolRunner.assertCleanFailure(try ToolRunner.run(["evaluate", missing]), mentioning: missing)
        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        ToolRunner.assertCleanFailure(try ToolRunner.run(["evaluate", empty.path]), mentioning: empty.path)
        let good = dir.appendingPathComponent("good.mid")
        try scalePerformance().midiFile().write(to: good)
        ToolRunner.assertCleanFailure(try ToolRunner.run(["evaluate", good.path, "--reference", empty.path]), mentioning: empty.path)
        // A good file beside a bad one: the good one is reported, the bad one named, exit status 1.
        let mixed = try ToolRunner.run(["evaluate", good.path, junk.path])
        XCTAssertEqual(mixed.status, 1)
        XCTAssertTrue(mixed.output.contains("good.mid"))
        XCTAssertTrue(mixed.stderr.contains(junk.path))
        XCTAssertFalse(mixed.stderr.contains("Fatal error"))
    }

    func testPlotWritesAWellFormedPianoRoll() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "cli-eval")
        let mid = dir.appendingPathComponent("scale.mid"), svg = dir.appendingPathComponent("roll.svg")
        try scalePerformance().midiFile().write(to: mid)
        let run = try ToolRunner.run(["plot", mid.path, "-o", svg.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.output.contains("16 notes, 4 bars, key C major"), run.output)
        let text = try String(contentsOf: svg, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(text.hasSuffix("</svg>\n"))
        XCTAssertEqual(text.components(separatedBy: "class=\"note\"").count - 1, 16)
        XCTAssertEqual(text.components(separatedBy: "class=\"bar\"").count - 1, 4)
        // C major rows from B3 to C#5: B3 C4 D4 E4 F4 G4 A4 B4 C5 = 9 shaded.
        XCTAssertEqual(text.components(separatedBy: "class=\"scale-row\"").count - 1, 9)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["roll.svg", "scale.mid"], "no temporary files left")

        // Existing output: refused without --force, replaced with it.
        let again = try ToolRunner.run(["plot", mid.path, "-o", svg.path])
        ToolRunner.assertCleanFailure(again, mentioning: svg.path)
        let forced = try ToolRunner.run(["plot", samples.appendingPathComponent("chorales/bwv1.6.mid").path, "-o", svg.path, "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(try String(contentsOf: svg, encoding: .utf8).contains("bwv1.6.mid"))
    }

    func testPlotBadInputsFailCleanlyWithoutOutput() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "cli-eval")
        let junk = dir.appendingPathComponent("junk.mid")
        try Data("MThd garbage".utf8).write(to: junk)
        let out = dir.appendingPathComponent("out.svg")
        ToolRunner.assertCleanFailure(try ToolRunner.run(["plot", junk.path, "-o", out.path]), mentioning: junk.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        let mid = dir.appendingPathComponent("scale.mid")
        try scalePerformance().midiFile().write(to: mid)
        ToolRunner.assertCleanFailure(try ToolRunner.run(["plot", mid.path, "-o", dir.appendingPathComponent("out.png").path]), mentioning: "out.png")
        let noFolder = dir.appendingPathComponent("nowhere/out.svg").path
        ToolRunner.assertCleanFailure(try ToolRunner.run(["plot", mid.path, "-o", noFolder]), mentioning: noFolder)
        ToolRunner.assertCleanFailure(try ToolRunner.run(["plot", dir.appendingPathComponent("none.mid").path, "-o", out.path]), mentioning: "none.mid")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["junk.mid", "scale.mid"])
    }

    // MARK: evaluate-model

    /// Trains a one-epoch paper model on 6 sample folk tunes; returns the model path and the training report.
    private func tinyModel(in dir: URL) throws -> (URL, String) {
        let model = dir.appendingPathComponent("tiny.tsmodel")
        let run = try ToolRunner.run(["train", "--corpus", samples.appendingPathComponent("folk").path, "--limit", "6", "--epochs", "1",
                                      "--validation", "0.2", "--seed", "3", "--threads", "1", "-o", model.path], timeout: 300)
        XCTAssertEqual(run.status, 0, run.stderr)
        return (model, run.output + run.stderr)
    }

    func testEvaluateModelMatchesTrainingValidationAndCountsWindows() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "cli-eval")
        let (model, report) = try tinyModel(in: dir)
        let folk = samples.appendingPathComponent("folk").path
        // Held-out songs = the trainer's validation songs: same notes, accuracy and loss as its report.
        let held = try ToolRunner.run(["evaluate-model", "--model", model.path, "--corpus", folk, "--limit", "6",
                                       "--held-out", "0.2", "--seed", "3", "--json"], timeout: 300)
        XCTAssertEqual(held.status, 0, held.stderr)
        let r = try json(held)
        let notes = try XCTUnwrap(r["notes"] as? Int), top1 = try XCTUnwrap(r["top1"] as? Double)
        let top5 = try XCTUnwrap(r["top5"] as? Double), loss = try XCTUnwrap(r["loss"] as? Double)
        XCTAssertTrue(report.contains("validating on \(r["songs"] as? Int ?? -1) songs (\(notes) samples)"), report)
        XCTAssertTrue(report.contains(String(format: "next-note accuracy %.2f%%", top1 * 100)), report)
        XCTAssertTrue(report.contains(String(format: "val %.4f", loss)), report)
        XCTAssertLessThanOrEqual(top1, top5)
        XCTAssertLessThanOrEqual(top5, 1)

        // Every song: one scored note per note after the first look-back (3) notes of each song.
        let song = dir.appendingPathComponent("songs")
        try FileManager.default.createDirectory(at: song, withIntermediateDirectories: true)
        try scalePerformance().midiFile().write(to: song.appendingPathComponent("a.mid"))
        try scalePerformance().midiFile().write(to: song.appendingPathComponent("b.mid"))
        let all = try ToolRunner.run(["evaluate-model", "--model", model.path, "--corpus", song.path, "--json"])
        XCTAssertEqual(all.status, 0, all.stderr)
        let a = try json(all)
        XCTAssertEqual(a["songs"] as? Int, 2)
        XCTAssertEqual(a["notes"] as? Int, 2 * (16 - 3))
        XCTAssertEqual(a["top1"] as? Double, a["top1"] as? Double)
        let table = try ToolRunner.run(["evaluate-model", "--model", model.path, "--corpus", song.path])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.output.contains("scored 26 notes of 2 songs"), table.output)
        XCTAssertTrue(table.output.contains("top-5 accuracy"))
    }

    func testEvaluateModelBaselineMatchesBaselineCommand() throws {
        let corpus = samples.appendingPathComponent("chorales").path
        let base = try ToolRunner.run(["baseline", "--corpus", corpus, "--limit", "40", "--test", "0.25", "--epochs", "2", "--seed", "5"], timeout: 300)
        XCTAssertEqual(base.status, 0, base.stderr)
        let run = try ToolRunner.run(["evaluate-model", "--baseline", "--corpus", corpus, "--limit", "40", "--held-out", "0.25",
                                      "--epochs", "2", "--seed", "5", "--json"], timeout: 300)
        XCTAssertEqual(run.status, 0, run.stderr)
        let r = try json(run)
        let top1 = try XCTUnwrap(r["top1"] as? Double), top5 = try XCTUnwrap(r["top5"] as? Double), notes = try XCTUnwrap(r["notes"] as? Int)
        XCTAssertTrue(base.output.contains(String(format: "logistic regression (previous 10 notes)  %6.2f %%", top1 * 100)), base.output)
        XCTAssertTrue(base.output.contains("/ \(notes) notes predicted"), base.output)
        XCTAssertEqual(r["songs"] as? Int, 10)
        XCTAssertGreaterThan(top5, top1)
        let loss = try XCTUnwrap(r["loss"] as? Double)
        XCTAssertTrue(loss > 0 && loss < log(128.0) + 2, "cross-entropy in nats: \(loss)")
    }

    func testListSongsNamesTheHeldOutSongs() throws {
        let folk = samples.appendingPathComponent("folk").path
        let all = try ToolRunner.run(["evaluate-model", "--list-songs", "--corpus", folk, "--limit", "10"])
        XCTAssertEqual(all.status, 0, all.stderr)
        let allPaths = all.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(allPaths.count, 10)
        XCTAssertTrue(allPaths.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        let held = try ToolRunner.run(["evaluate-model", "--list-songs", "--corpus", folk, "--limit", "10", "--held-out", "0.2", "--seed", "3"])
        XCTAssertEqual(held.status, 0, held.stderr)
        let heldPaths = held.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(heldPaths.count, 2)
        XCTAssertTrue(Set(heldPaths).isSubset(of: Set(allPaths)))
    }

    func testEvaluateModelBadInputsFailCleanly() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "cli-eval")
        let folk = samples.appendingPathComponent("folk").path
        let missing = dir.appendingPathComponent("none.tsmodel").path
        ToolRunner.assertCleanFailure(try ToolRunner.run(["evaluate-model", "--model", missing, "--corpus", folk]), mentioning: missing)
        let junk = dir.appendingPathComponent("junk.tsmodel")
        try Data("not a model".utf8).write(to: junk)
        ToolRunner.assertCleanFailure(try ToolRunner.run(["evaluate-model", "--model", junk.path, "--corpus", folk]), mentioning: junk.path)
        ToolRunner.assertCleanFailure(try ToolRunner.run(["evaluate-model", "--baseline", "--corpus", folk]), mentioning: "--held-out")
        ToolRunner.assertCleanFailure(try ToolRunner.run(["evaluate-model", "--corpus", folk]), mentioning: "--baseline")
        let nowhere = dir.appendingPathComponent("nowhere").path
        ToolRunner.assertCleanFailure(try ToolRunner.run(["evaluate-model", "--baseline", "--held-out", "0.2", "--corpus", nowhere]), mentioning: nowhere)
        ToolRunner.assertCleanFailure(try ToolRunner.run(["evaluate-model", "--model", TestPaths.defaultModel.path, "--corpus", folk,
                                                          "--motif-memory", "1.5"]), mentioning: "--motif-memory")
    }

    /// The default model scored with the song's motif memory mixed in (its default, as generate mixes it) beside the
    /// network alone (`--motif-memory 0` leaves it out: `MotifMemoryEvaluationTests`); the default reads the memory's
    /// proposal itself, so the two score alike.
    func testEvaluateModelWithTheMotifMemory() throws {
        let folk = samples.appendingPathComponent("folk").path
        let model = TestPaths.defaultModel.path
        let run = try ToolRunner.run(["evaluate-model", "--model", model, "--corpus", folk, "--limit", "5", "--json"], timeout: 300)
        XCTAssertEqual(run.status, 0, run.stderr)
        let r = try json(run)
        let memory = try XCTUnwrap(r["withMotifMemory"] as? [String: Any], "stateful models are scored with the memory by default")
        XCTAssertEqual(memory["weight"] as? Double, 0.8)
        let share = try XCTUnwrap(memory["proposalShare"] as? Double), precision = try XCTUnwrap(memory["proposalPrecision"] as? Double)
        XCTAssertGreaterThan(share, 0.1, "folk tunes repeat their phrases")
        XCTAssertGreaterThan(precision, 0.7)
        // The default model reads the memory's proposal as an input (--recall), so mixing it in as well adds little and
        // takes nothing away (the model before it gained 20 points on folk tunes from the mixture).
        let mixed = try XCTUnwrap(memory["top1"] as? Double), alone = try XCTUnwrap(r["top1"] as? Double)
        XCTAssertGreaterThanOrEqual(mixed, alone - 0.01)
        XCTAssertLessThan(mixed, alone + 0.05, "the network has learned what the memory proposes")
        let table = try ToolRunner.run(["evaluate-model", "--model", model, "--corpus", samples.path, "--limit", "4"], timeout: 300)
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.output.contains("with the song's motif memory mixed in at weight 0.80"), table.output)
        XCTAssertTrue(table.output.contains("with memory: top-1"), table.output)
    }
}
