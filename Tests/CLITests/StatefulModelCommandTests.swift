import Foundation
import TestSupport
import XCTest

/// `tunesmith train --architecture stateful` with styles, a song cache and transposition; `model info` lists the styles;
/// `evaluate-model` scores per style (per corpus folder) and overall; misuse is a one-line error.
final class StatefulModelCommandTests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = try TestPaths.temporaryFolder(self, prefix: "stateful-cli")
    }

    /// Four songs from each of two folders of the sample corpus.
    func corpus() throws -> URL {
        let dir = work.appendingPathComponent("corpus")
        for style in ["chorales", "folk"] {
            let target = dir.appendingPathComponent(style)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for f in TestPaths.midiFiles(in: TestPaths.sampleCorpus.appendingPathComponent(style)).prefix(4) {
                try FileManager.default.copyItem(at: f, to: target.appendingPathComponent(f.lastPathComponent))
            }
        }
        return dir
    }

    func testStatefulModelWithStylesTrainsListsStylesAndScoresPerStyle() throws {
        let corpus = try corpus()
        let model = work.appendingPathComponent("s.tsmodel").path
        let r = try ToolRunner.run(["train", "--corpus", corpus.path, "--architecture", "stateful", "--layers", "1", "--units", "16",
                                    "--chunk", "16", "--timing", "categorical", "--styles", "--transpose", "2", "--cache",
                                    work.appendingPathComponent("songs.tscache").path, "--epochs", "2", "--batch-size", "4",
                                    "--validation", "0.25", "-o", model], timeout: 300)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.output.split(separator: "\n").filter { $0.hasPrefix("epoch ") }.count, 2, r.output)
        let info = try ToolRunner.run(["model", "info", model])
        XCTAssertEqual(info.status, 0, info.stderr)
        for part in ["stateful (trained over whole songs, chunks of 16 notes", "53 inputs", "style (2, one-hot)", "styles: 0 chorales (program 0), 1 folk (program 0)",
                     "transposed up to +-2 semitones"] {
            XCTAssertTrue(info.output.contains(part), "\(part) missing in:\n\(info.output)")
        }
        let e = try ToolRunner.run(["evaluate-model", "--model", model, "--corpus", corpus.path])
        XCTAssertEqual(e.status, 0, e.stderr)
        for part in ["stateful", "per style", "chorales", "folk", "overall", "pitch loss"] {
            XCTAssertTrue(e.output.contains(part), "\(part) missing in:\n\(e.output)")
        }
        let j = try ToolRunner.run(["evaluate-model", "--model", model, "--corpus", corpus.path, "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(j.output.utf8)) as? [String: Any]
        let per = json?["perStyle"] as? [String: [String: Any]]
        XCTAssertEqual(Set(per?.keys ?? [:].keys), ["chorales", "folk"])
        let notes = (per ?? [:]).values.compactMap { $0["notes"] as? Int }.reduce(0, +)
        XCTAssertEqual(notes, json?["notes"] as? Int, "the styles' notes add up to the overall count")
    }

    /// `--pitch-one-hot` adds the 128-key block and `--recall` the motif memory's proposed pitch (the model lists both
    /// and still generates and scores); `evaluate-model` matches a
    /// folder named in the singular to the plural style and takes `--style` for folders it does not know.
    func testKeyInputTrainsGeneratesAndStylesMatchLoosely() throws {
        let corpus = try corpus()
        let model = work.appendingPathComponent("k.tsmodel").path
        let r = try ToolRunner.run(["train", "--corpus", corpus.path, "--architecture", "stateful", "--layers", "1", "--units", "8",
                                    "--chunk", "16", "--timing", "categorical", "--styles", "--pitch-one-hot", "--recall", "--epochs", "1",
                                    "--batch-size", "4", "--validation", "0.25", "-o", model], timeout: 300)
        XCTAssertEqual(r.status, 0, r.stderr)
        let info = try ToolRunner.run(["model", "info", model])
        for part in ["309 inputs", "style (2, one-hot), key (128, one-hot), motif memory's next pitch (128, one-hot)"] {
            XCTAssertTrue(info.output.contains(part), "\(part) missing in:\n\(info.output)")
        }
        let piece = work.appendingPathComponent("k.mid").path
        let g = try ToolRunner.run(["generate", "--model", model, "--style", "folk", "--length", "40n", "--seed", "3", "-o", piece])
        XCTAssertEqual(g.status, 0, g.stderr)
        let dump = try ToolRunner.run(["dump", piece])
        XCTAssertEqual(dump.output.split(separator: "\n").filter { $0.contains("\"type\":\"note_on\"") }.count, 40, dump.output)

        // Folders "chorale" and "misc": the first is the style chorales, the second gets --style (or none).
        let loose = work.appendingPathComponent("loose")
        try FileManager.default.createDirectory(at: loose, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: corpus.appendingPathComponent("chorales"), to: loose.appendingPathComponent("chorale"))
        try FileManager.default.copyItem(at: corpus.appendingPathComponent("folk"), to: loose.appendingPathComponent("misc"))
        let e = try ToolRunner.run(["evaluate-model", "--model", model, "--corpus", loose.path, "--style", "FOLK"])
        XCTAssertEqual(e.status, 0, e.stderr)
        XCTAssertTrue(e.output.contains("style input: chorale -> chorales, misc -> folk"), e.output)
        let n = try ToolRunner.run(["evaluate-model", "--model", model, "--corpus", loose.path, "--style", "none"])
        XCTAssertTrue(n.output.contains("style input: chorale -> none (any style), misc -> none (any style)"), n.output)
        ToolRunner.assertCleanFailure(try ToolRunner.run(["evaluate-model", "--model", model, "--corpus", loose.path, "--style", "jazz"]),
                                      mentioning: "unknown style 'jazz'")
        ToolRunner.assertCleanFailure(try ToolRunner.run(["train", "--corpus", corpus.path, "--pitch-one-hot", "-o", model + ".paper"]),
                                      mentioning: "--pitch-one-hot")
        ToolRunner.assertCleanFailure(try ToolRunner.run(["train", "--corpus", corpus.path, "--architecture", "deep", "--recall", "-o", model + ".deep"]),
                                      mentioning: "--recall")
    }

    func testStatefulOptionsNeedTheStatefulArchitecture() throws {
        let corpus = try corpus()
        let out = work.appendingPathComponent("x.tsmodel").path
        ToolRunner.assertCleanFailure(try ToolRunner.run(["train", "--corpus", corpus.path, "--architecture", "deep", "--styles", "-o", out]),
                                      mentioning: "--architecture stateful")
        ToolRunner.assertCleanFailure(try ToolRunner.run(["train", "--corpus", corpus.path, "--architecture", "stateful", "--look-back", "8", "-o", out]),
                                      mentioning: "--chunk")
        ToolRunner.assertCleanFailure(try ToolRunner.run(["train", "--corpus", corpus.path, "--architecture", "stateful", "--transpose", "99", "-o", out]),
                                      mentioning: "--transpose")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}
