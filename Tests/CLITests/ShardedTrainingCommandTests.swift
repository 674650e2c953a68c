import Foundation
import TestSupport
import XCTest

/// `tunesmith shard-corpus` and `train --shards` / `--batch-parts` end to end (one process; the MPI runs are
/// Tests/Cluster/mpi-train.sh): the cache's files, training from it, and clean failures.
final class ShardedTrainingCommandTests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = try TestPaths.temporaryFolder(self, prefix: "sharded-cli")
    }

    func testShardCorpusThenTrainFromTheCache() throws {
        let corpus = try ToolRunner.copyChorales(6, into: work)
        let cache = work.appendingPathComponent("cache").path
        let build = try ToolRunner.run(["shard-corpus", "--corpus", corpus.path, "-o", cache, "--parts", "2", "--songs", "15"])
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.output.contains("15 songs from 6 files"), build.output)
        let files = try FileManager.default.contentsOfDirectory(atPath: cache).sorted()
        XCTAssertEqual(files, ["index.json", "part-1.f32", "part-2.f32"])
        // Songs alternate between the shards: 8 and 7 of the 15.
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cache + "/index.json"))) as? [String: Any]
        let parts = try XCTUnwrap(index?["parts"] as? [[Int]])
        XCTAssertEqual(parts.map(\.count), [8, 7])
        // Copy 1 of song 1 (song 7 of 15, in shard 1) is the same song transposed: same note count.
        XCTAssertEqual(parts[0][0], parts[0][3])
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: cache + "/part-1.f32")[.size] as? Int)
        XCTAssertEqual(size, parts[0].reduce(0, +) * 3 * 4, "3 Float32 values per note (paper features)")

        let again = try ToolRunner.run(["shard-corpus", "--corpus", corpus.path, "-o", cache, "--parts", "2"])
        ToolRunner.assertCleanFailure(again, mentioning: "already exists")

        let model = work.appendingPathComponent("m.tsmodel").path
        let train = try ToolRunner.run(["train", "--shards", cache, "--batch-parts", "2", "--epochs", "2", "--max-batches", "5", "-o", model], timeout: 300)
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertEqual(train.output.split(separator: "\n").filter { $0.hasPrefix("epoch ") }.count, 2, train.output)
        let info = try ToolRunner.run(["model", "info", model])
        XCTAssertTrue(info.output.contains("total parameters: 11,235"), info.output)

        let wrongParts = try ToolRunner.run(["train", "--shards", cache, "--batch-parts", "4", "-o", work.appendingPathComponent("x.tsmodel").path])
        ToolRunner.assertCleanFailure(wrongParts, mentioning: "has 2 shards: train with --batch-parts 2")
        let wrongFeatures = try ToolRunner.run(["train", "--shards", cache, "--architecture", "categorical", "--batch-parts", "2", "-o", work.appendingPathComponent("y.tsmodel").path])
        ToolRunner.assertCleanFailure(wrongFeatures, mentioning: "other input features")
    }

    func testBadCacheAndBatchPartsAreCleanFailures() throws {
        let model = work.appendingPathComponent("m.tsmodel").path
        let missing = try ToolRunner.run(["train", "--shards", work.appendingPathComponent("nope").path, "-o", model])
        ToolRunner.assertCleanFailure(missing, mentioning: "index.json: missing or unreadable")
        let both = try ToolRunner.run(["train", "--shards", work.path, "--corpus", work.path, "-o", model])
        ToolRunner.assertCleanFailure(both, mentioning: "either --corpus DIR or --shards DIR")
        let zero = try ToolRunner.run(["train", "--corpus", work.path, "--batch-parts", "0", "-o", model])
        ToolRunner.assertCleanFailure(zero, mentioning: "--batch-parts must be 1 or more")
        XCTAssertFalse(FileManager.default.fileExists(atPath: model))
    }
}
