import Foundation
import TestSupport
import XCTest

/// `tunesmith album` and `tunesmith album merge` run as the built binary: spec errors, shards + merge,
/// and a real Ctrl-C (SIGINT) in the middle of rendering.
final class AlbumCommandTests: XCTestCase {
    /// A temporary folder (removed after the test) holding the committed paper model.
    func workspace() throws -> URL {
        let dir = try TestPaths.temporaryFolder(self, prefix: "album-cli")
        try FileManager.default.copyItem(at: TestPaths.paperModel, to: dir.appendingPathComponent("paper.tsmodel"))
        return dir
    }

    func writeSpec(_ dir: URL, length: String, formats: String, count: Int) throws -> URL {
        let url = dir.appendingPathComponent("spec.yaml")
        try """
            album: CLI Album
            artist: CLI Tests
            settings:
              model: paper.tsmodel
              length: \(length)
              formats: \(formats)
            tracks: {count: \(count), seed: 40}

            """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testSpecErrorIsOneLineNamingLineAndKeyAndWritesNothing() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = dir.appendingPathComponent("bad.yaml")
        try "album: A\nartist: B\nsettings:\n  tempo: fast\ntracks: {count: 2}\n".write(to: spec, atomically: true, encoding: .utf8)
        let run = try ToolRunner.run(["album", spec.path, "-o", dir.appendingPathComponent("out").path])
        ToolRunner.assertCleanFailure(run, mentioning: "bad.yaml:4: settings.tempo")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))

        let shard = try ToolRunner.run(["album", try writeSpec(dir, length: "2s", formats: "[mid]", count: 1).path, "--shard", "3/2"])
        ToolRunner.assertCleanFailure(shard, mentioning: "bad shard")
        let merge = try ToolRunner.run(["album", "merge", dir.path])
        ToolRunner.assertCleanFailure(merge, mentioning: "no shard manifest")
    }

    func testShardsThenMergeEqualTheWholeAlbum() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = try writeSpec(dir, length: "4s", formats: "[mid, flac]", count: 3)
        func path(_ n: String) -> String { dir.appendingPathComponent(n).path }
        let whole = try ToolRunner.run(["album", spec.path, "-o", path("whole"), "--jobs", "2"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertTrue(whole.output.contains("track 3 \"Track 3\" done"), whole.output)  // plain lines when not a terminal
        XCTAssertFalse(whole.output.contains("\u{1B}["), "no terminal escapes in plain output")
        for i in 1...2 {
            let r = try ToolRunner.run(["album", spec.path, "-o", path("s\(i)"), "--shard", "\(i)/2"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let merged = try ToolRunner.run(["album", "merge", path("s1"), path("s2"), "-o", path("merged")])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        let names = try FileManager.default.contentsOfDirectory(atPath: path("whole")).sorted()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("merged")).sorted(), names)
        for n in names {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("whole/\(n)"))),
                           try Data(contentsOf: URL(fileURLWithPath: path("merged/\(n)"))), n)
        }
        let again = try ToolRunner.run(["album", spec.path, "-o", path("whole")])
        XCTAssertTrue(again.output.contains("0 rendered, 3 up to date"), again.output)
    }

    func testCtrlCLeavesOnlyCompleteFiles() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = try writeSpec(dir, length: "90s", formats: "[flac]", count: 4)
        let out = dir.appendingPathComponent("out")
        let process = Process()
        process.executableURL = try ToolRunner.binary()
        process.arguments = ["album", spec.path, "-o", out.path, "--jobs", "2"]
        process.standardOutput = FileHandle.nullDevice
        let errPipe = Pipe()
        process.standardError = errPipe
        try process.run()
        // Wait until a render is under way (a temporary file exists), then press Ctrl-C.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
            if names.contains(where: { $0.hasSuffix(".tmp") }) { break }
            usleep(20_000)
        }
        usleep(300_000)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stderr = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.hasPrefix("tunesmith: interrupted"), stderr)
        XCTAssertEqual(stderr.split(separator: "\n").count, 1, stderr)
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
        XCTAssertFalse(names.contains { $0.hasPrefix(".") }, "partial files left: \(names)")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any]
        let tracks = manifest?["tracks"] as? [[String: Any]] ?? []
        let recorded = Set(tracks.flatMap { ($0["files"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } })
        XCTAssertEqual(Set(names.filter { $0.hasSuffix(".flac") }), recorded)
        XCTAssertLessThan(tracks.count, 4, "interrupted before the end")
    }
}
