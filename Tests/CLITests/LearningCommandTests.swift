import Foundation
import TestSupport
import XCTest

/// `tunesmith train`, `model info` and `baseline` end to end on real chorales.
final class LearningCommandTests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = try TestPaths.temporaryFolder(self, prefix: "learning-cli")
    }

    /// A folder with the first `count` chorales of the corpus (shared, or the sample corpus in a user's clone).
    func chorales(_ count: Int) throws -> URL { try ToolRunner.copyChorales(count, into: work) }

    func testTrainWritesModelCurveAndCheckpointThenResumes() throws {
        let corpus = try chorales(12)
        let model = work.appendingPathComponent("paper.tsmodel").path
        let r = try ToolRunner.run(["train", "--corpus", corpus.path, "--epochs", "2", "--batch-size", "64", "-o", model], timeout: 300)
        XCTAssertEqual(r.status, 0, r.stderr)
        let epochLines = r.output.split(separator: "\n").filter { $0.hasPrefix("epoch ") }
        XCTAssertEqual(epochLines.count, 2, r.output)
        for l in epochLines {
            for part in ["train ", "note ", "velocity ", "dt ", "val ", "next-note accuracy", "samples/s"] { XCTAssertTrue(l.contains(part), "\(part) missing in: \(l)") }
        }
        XCTAssertFalse(r.stderr.contains("\u{1B}["), "no progress bar when not on a terminal")
        let svg = try String(contentsOfFile: work.appendingPathComponent("paper.loss.svg").path, encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg") && svg.contains("polyline"))
        XCTAssertTrue(svg.contains(">tunesmith train: paper, musical loss<"), "the curve names the default musical note loss")
        XCTAssertTrue(FileManager.default.fileExists(atPath: model + ".checkpoint"))

        let info = try ToolRunner.run(["model", "info", model])
        XCTAssertEqual(info.status, 0, info.stderr)
        for needle in ["LSTM(48)", "9,984", "Dense(24, linear)", "1,176", "Dense(3, linear)", "75", "total parameters: 11,235", "scaler mean", "epochs"] {
            XCTAssertTrue(info.output.contains(needle), "model info lacks \(needle):\n\(info.output)")
        }

        // Resume continues from epoch 2 to 3.
        let resumed = work.appendingPathComponent("resumed.tsmodel").path
        let r2 = try ToolRunner.run(["train", "--corpus", corpus.path, "--epochs", "3", "--resume", model + ".checkpoint", "-o", resumed], timeout: 300)
        XCTAssertEqual(r2.status, 0, r2.stderr)
        XCTAssertTrue(r2.output.contains("resuming after epoch 2"), r2.output)
        XCTAssertTrue(r2.output.contains("epoch 3/3"), r2.output)
        XCTAssertFalse(r2.output.contains("epoch 1/3"), r2.output)

        // Existing output without --force: refused before training, file untouched.
        let again = try ToolRunner.run(["train", "--corpus", corpus.path, "--epochs", "1", "-o", model])
        ToolRunner.assertCleanFailure(again, mentioning: model)

        // A corrupted model is a one-line error naming the file.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: model))
        bytes[bytes.count / 2] ^= 0xFF
        let corrupt = work.appendingPathComponent("corrupt.tsmodel")
        try bytes.write(to: corrupt)
        ToolRunner.assertCleanFailure(try ToolRunner.run(["model", "info", corrupt.path]), mentioning: corrupt.path)
    }

    func testBaselinePrintsAccuraciesBesideThePaper() throws {
        let corpus = try chorales(20)
        let r = try ToolRunner.run(["baseline", "--corpus", corpus.path, "--context", "10", "--epochs", "3"], timeout: 300)
        XCTAssertEqual(r.status, 0, r.stderr)
        for needle in ["logistic regression", "majority class", "repeat last note", "6.21 %"] {
            XCTAssertTrue(r.output.contains(needle), "baseline output lacks \(needle):\n\(r.output)")
        }
        // Every accuracy is a percentage in 0 ... 100.
        let values = r.output.split(separator: "\n").compactMap { line -> Double? in
            guard let pct = line.range(of: " %") else { return nil }
            return Double(line[..<pct.lowerBound].split(separator: " ").last ?? "")
        }
        XCTAssertEqual(values.count, 4, r.output)
        XCTAssertTrue(values.allSatisfy { (0...100).contains($0) })
    }
}
