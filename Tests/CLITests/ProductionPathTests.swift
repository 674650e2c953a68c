import Foundation
import TestSupport
import XCTest

/// The production path as users reach it: `generate` and `album` make the same piece from the same settings, every
/// command reports errors one way and stops on Ctrl-C, and the regressions issue 13 listed stay fixed.
final class ProductionPathTests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("production-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    /// A committed model's path (skips when it is absent).
    func model(_ name: String) throws -> String {
        let url = TestPaths.package("Samples/Models/\(name).tsmodel")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("no model at \(url.path)") }
        return url.path
    }

    /// Starts `tunesmith ARGS`, sends SIGINT after `after` seconds and waits; returns the status, stderr and the
    /// seconds from the signal to the exit.
    func interrupted(_ args: [String], after: TimeInterval) throws -> (status: Int32, stderr: String, exitDelay: Double) {
        let process = Process()
        process.executableURL = try ToolRunner.binary()
        process.arguments = args
        process.currentDirectoryURL = work
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        Thread.sleep(forTimeInterval: after)
        XCTAssertTrue(process.isRunning, "tunesmith \(args.joined(separator: " ")) ended before the signal")
        let signalled = Date()
        kill(process.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let delay = Date().timeIntervalSince(signalled)
        if process.isRunning { process.terminate(); XCTFail("still running 30 s after Ctrl-C") }
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, stderr, delay)
    }

    /// A MIDI file whole; a WAV file's `data` chunk (its samples, without the tag chunks).
    static func music(_ file: Data, _ ext: String) -> Data {
        guard ext == "wav" else { return file }
        let bytes = [UInt8](file)
        var offset = 12
        while offset + 8 <= bytes.count {
            let size = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            if bytes[offset..<(offset + 4)].elementsEqual("data".utf8) { return Data(bytes[(offset + 8)..<min(bytes.count, offset + 8 + size)]) }
            offset += 8 + size + (size & 1)
        }
        return Data()
    }

    func testAlbumTrackIsTheGeneratedPieceForEveryShippedModel() throws {
        for name in ["paper", "default"] {
            let path = try model(name)
            let settings = "model: \(path), length: 3s, tempo: 100, temperature: 0.8, top-p: 0.9, motif-memory: 0.3, gain: 0.3, bits: 24"
            try """
                album: Same
                artist: Tests
                settings: {\(settings), processors: ["scale:key=D,mode=dorian"], formats: [mid, wav]}
                tracks: [{title: One, seed: 7}]

                """.write(to: work.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
            let album = try ToolRunner.run(["album", "\(name).yaml", "-o", "albums/\(name)"], in: work, timeout: 300)
            XCTAssertEqual(album.status, 0, album.stderr)
            for ext in ["mid", "wav"] {
                let audio = ext == "wav" ? ["--gain", "0.3", "--bits", "24"] : []
                let generate = try ToolRunner.run(
                    ["generate", "--model", path, "--length", "3s", "--tempo", "100", "--temperature", "0.8", "--top-p", "0.9",
                     "--motif-memory", "0.3", "--process", "scale:key=D,mode=dorian", "--seed", "7", "-o", "\(name).\(ext)"] + audio,
                    in: work, timeout: 300)
                XCTAssertEqual(generate.status, 0, generate.stderr)
                let fromAlbum = try Data(contentsOf: work.appendingPathComponent("albums/\(name)/01 - One.\(ext)"))
                let fromGenerate = try Data(contentsOf: work.appendingPathComponent("\(name).\(ext)"))
                XCTAssertGreaterThan(fromGenerate.count, 100)
                // The same bytes of music; the tags differ (the album's title, artist, album and track number).
                XCTAssertEqual(Self.music(fromAlbum, ext), Self.music(fromGenerate, ext), "\(name) model: the album's .\(ext) differs from generate's")
            }
        }
    }

    func testAlbumRecordsTheKeyTheScaleStageImposedAndCreatesMissingParents() throws {
        let path = try model("paper")
        try """
            album: Keyed
            artist: Tests
            settings: {model: \(path), length: 4s, processors: ["scale:key=D,mode=dorian", "scale:key=Eb"], formats: [mid]}
            tracks: [{title: One, seed: 3}]

            """.write(to: work.appendingPathComponent("keyed.yaml"), atomically: true, encoding: .utf8)
        let run = try ToolRunner.run(["album", "keyed.yaml", "-o", "Albums/deeper/keyed"], in: work)
        XCTAssertEqual(run.status, 0, run.stderr)
        let manifest = try String(contentsOf: work.appendingPathComponent("Albums/deeper/keyed/manifest.json"), encoding: .utf8)
        let page = try String(contentsOf: work.appendingPathComponent("Albums/deeper/keyed/index.html"), encoding: .utf8)
        XCTAssertTrue(manifest.contains("\"key\" : \"Eb major\""), manifest)
        XCTAssertTrue(page.contains("Eb major"), "the page shows the imposed key")
    }

    func testNegativeValuesGetRealMessages() throws {
        for (flag, value) in [("--seed", "-5"), ("--temperature", "-1"), ("--length", "-10s"), ("--tempo", "-3")] {
            let run = try ToolRunner.run(["generate", flag, value, "-o", "x.mid"], in: work)
            ToolRunner.assertCleanFailure(run, mentioning: "\(flag): bad ")
            XCTAssertTrue(run.stderr.contains("\"\(value)\""), run.stderr)
            XCTAssertEqual(run.status, 1)
            XCTAssertTrue(run.stderr.hasPrefix("tunesmith: "), run.stderr)
        }
    }

    func testOverlongAudioIsRefusedBeforeGenerating() throws {
        let started = Date()
        let run = try ToolRunner.run(["generate", "--length", "121m", "-o", "x.wav"], in: work)
        ToolRunner.assertCleanFailure(run, mentioning: "over the render cap of 7200 s")
        // The default model makes about 10 notes/s in a debug build: a 2-hour piece would take hours.
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "refused only after generating")
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("x.wav").path))
    }

    func testCtrlCStopsALongGenerationAtOnce() throws {
        let r = try interrupted(["generate", "--model", try model("paper"), "--length", "600m", "-o", "long.mid"], after: 1.5)
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssertEqual(r.stderr, "tunesmith: interrupted; no output written\n")
        XCTAssertLessThan(r.exitDelay, 2, "cancellation should reach the generation loop at once")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work.path), [])
    }

    func testCtrlCStopsAnAlbumInItsGenerationStage() throws {
        try """
            album: Endless
            artist: Tests
            settings: {model: \(try model("paper")), length: 600m, formats: [mid]}
            tracks: {count: 2, seed: 1}

            """.write(to: work.appendingPathComponent("long.yaml"), atomically: true, encoding: .utf8)
        let r = try interrupted(["album", "long.yaml", "-o", "out"], after: 2)
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssertTrue(r.stderr.contains("tunesmith: interrupted"), r.stderr)
        XCTAssertLessThan(r.exitDelay, 3)
        let files = try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("out").path)
        XCTAssertFalse(files.contains { $0.hasSuffix(".mid") || $0.hasSuffix(".tmp") }, "\(files)")
    }

    func testHelpListsFormatsAndProcessorsFromTheRegistries() throws {
        let top = try ToolRunner.run(["--help"])
        XCTAssertTrue(top.output.contains(".ogg"), top.output)
        let generate = try ToolRunner.run(["generate", "--help"])
        for needle in [".ogg", ".flac", "scale", "quantize", "--motif-memory", "--sample-rate", "--bits"] {
            XCTAssertTrue(generate.output.contains(needle), "generate --help lacks \(needle)")
        }
        let flat = generate.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(flat.contains("Models without a rhythm head hold each note"), "legato applies to regression models only")
    }

    func testSummaryNamesTheModelPlainly() throws {
        let run = try ToolRunner.run(["generate", "--length", "6n", "--seed", "1", "-o", "x.mid"], in: work)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.output.contains("default model"), run.output)
        XCTAssertFalse(run.output.contains(".resources"), run.output)
        let render = try ToolRunner.run(["render", "x.mid", "-o", "x.wav"], in: work)
        XCTAssertEqual(render.status, 0, render.stderr)
        XCTAssertFalse(render.output.contains("work)"), render.output)
    }
}
