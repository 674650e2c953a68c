import Foundation
import TestSupport
import XCTest

/// `tunesmith train --architecture categorical|deep`, `model info` and `evaluate-model` end to end on real chorales.
final class CategoricalModelCommandTests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = try TestPaths.temporaryFolder(self, prefix: "categorical-cli")
    }

    /// A folder with the first `count` chorales of the corpus (shared, or the sample corpus in a user's clone).
    func chorales(_ count: Int) throws -> URL { try ToolRunner.copyChorales(count, into: work) }

    func testDeepCategoricalModelTrainsReportsAndScores() throws {
        let corpus = try chorales(10)
        let model = work.appendingPathComponent("deep.tsmodel").path
        let r = try ToolRunner.run(["train", "--corpus", corpus.path, "--architecture", "deep", "--layers", "2", "--units", "16",
                                    "--look-back", "8", "--musical-penalty", "0.2", "--epochs", "2", "--batch-size", "64", "-o", model], timeout: 300)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.output.split(separator: "\n").filter { $0.hasPrefix("epoch ") }.count, 2, r.output)
        let svg = try String(contentsOfFile: work.appendingPathComponent("deep.loss.svg").path, encoding: .utf8)
        XCTAssertTrue(svg.contains("tunesmith train: deep, cross-entropy + 0.2 x musical loss"), "loss curve title names the trained loss")

        let info = try ToolRunner.run(["model", "info", model])
        XCTAssertEqual(info.status, 0, info.stderr)
        // 4 x 16 x (17 + 16 + 1) = 2,176; 4 x 16 x (16 + 16 + 1) = 2,112; 130 x (16 + 1) = 2,210.
        for part in ["architecture deep: look-back 8, 17 inputs", "LSTM(16)", "2,176", "2,112", "Dense(130, linear)", "2,210",
                     "total parameters: 6,498", "pitch class", "duration", "categorical pitch head"] {
            XCTAssertTrue(info.output.contains(part), "\(part) missing in:\n\(info.output)")
        }

        let e = try ToolRunner.run(["evaluate-model", "--model", model, "--corpus", corpus.path])
        XCTAssertEqual(e.status, 0, e.stderr)
        XCTAssertTrue(e.output.contains("top-1 accuracy") && e.output.contains("cross-entropy"), e.output)
    }

    /// `--timing categorical`: a rhythm head trains, reports its metre inputs, scores with its cross-entropies and
    /// generates notes whose onsets and lengths sit on its 1/24-beat lattice (no 16th grid imposed by default).
    func testRhythmHeadTrainsScoresAndGenerates() throws {
        let corpus = try chorales(6)
        let model = work.appendingPathComponent("rhythm.tsmodel").path
        let r = try ToolRunner.run(["train", "--corpus", corpus.path, "--architecture", "deep", "--layers", "1", "--units", "16",
                                    "--look-back", "8", "--timing", "categorical", "--epochs", "1", "--batch-size", "64", "-o", model], timeout: 300)
        XCTAssertEqual(r.status, 0, r.stderr)
        let svg = try String(contentsOfFile: work.appendingPathComponent("rhythm.loss.svg").path, encoding: .utf8)
        XCTAssertTrue(svg.contains(">tunesmith train: deep, cross-entropy loss<"), "a categorical model's curve is not titled mse")
        XCTAssertFalse(svg.contains("mse loss"))
        let info = try ToolRunner.run(["model", "info", model])
        XCTAssertEqual(info.status, 0, info.stderr)
        // 17 + 34 inputs; 128 pitch + 128 velocity + 97 step + 192 length logits.
        for part in ["51 inputs", "Dense(545, linear)", "phase in the beat", "note lengths (1/24-beat classes)"] {
            XCTAssertTrue(info.output.contains(part), "\(part) missing in:\n\(info.output)")
        }
        let e = try ToolRunner.run(["evaluate-model", "--model", model, "--corpus", corpus.path])
        XCTAssertEqual(e.status, 0, e.stderr)
        XCTAssertTrue(e.output.contains("pitch + velocity + time step + note length"), e.output)

        let out = work.appendingPathComponent("g.mid").path
        let g = try ToolRunner.run(["generate", "--model", model, "--length", "80n", "--seed", "2", "-o", out])
        XCTAssertEqual(g.status, 0, g.stderr)
        let dump = try ToolRunner.run(["dump", out])
        let ticks = dump.output.split(separator: "\n").compactMap { line -> Int? in
            guard line.contains("\"note_on\"") || line.contains("\"note_off\""),
                  let r = line.range(of: "\"tick\":") else { return nil }
            return Int(line[r.upperBound...].prefix { $0.isNumber })
        }
        XCTAssertEqual(ticks.count, 160, dump.output)
        XCTAssertTrue(ticks.allSatisfy { $0 % 20 == 0 }, "note events off the 1/24-beat lattice of 480 ticks per beat")
    }

    func testBadArchitectureOptionsAreOneLineErrors() throws {
        let corpus = try chorales(2)
        let model = work.appendingPathComponent("x.tsmodel").path
        for (args, text) in [(["--architecture", "huge"], "unknown architecture 'huge'"),
                             (["--architecture", "paper", "--units", "64"], "apply to categorical and deep"),
                             (["--architecture", "categorical", "--layers", "0"], "--layers must be"),
                             (["--architecture", "deep", "--timing", "swing"], "unknown timing 'swing'"),
                             (["--architecture", "paper", "--timing", "categorical"], "applies to categorical and deep"),
                             (["--architecture", "deep", "--timing", "categorical", "--timing-weight", "0"], "--timing-weight must be")] {
            let r = try ToolRunner.run(["train", "--corpus", corpus.path, "-o", model] + args)
            XCTAssertNotEqual(r.status, 0)
            XCTAssertTrue(r.stderr.contains(text), r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: model))
        }
    }
}
