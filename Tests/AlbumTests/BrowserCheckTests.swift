import Album
import Foundation
import TestSupport
import XCTest

/// Opens an exported album's index.html from disk in headless Chromium (Debian's `chromium`): every
/// track's player must load its FLAC and every piano roll must be laid out; saves a screenshot.
/// Skips when Chromium is not installed (`apt-get install -y chromium`).
final class BrowserCheckTests: XCTestCase {
    static func chromium() -> String? {
        for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] where FileManager.default.isExecutableFile(atPath: p) {
            return p
        }
        return nil
    }

    /// Runs Chromium headless with `arguments`, returning standard output (killed after 90 s).
    func runChromium(_ path: String, _ arguments: [String]) throws -> String {
        let profile = try TestPaths.temporaryFolder(self, prefix: "album-chromium")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                       "--user-data-dir=" + profile.path]
            + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let deadline = Date().addingTimeInterval(90)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning { p.terminate(); XCTFail("chromium timed out") }
        return String(decoding: data, as: UTF8.self)
    }

    func testPageWorksInHeadlessChromium() throws {
        guard let chromium = Self.chromium() else { throw XCTSkip("chromium not installed (apt-get install -y chromium)") }
        let dir = try TestPaths.temporaryFolder(self, prefix: "album-tests")
        let spec = try AlbumFixtures.writeSpec(in: dir, length: "5s", formats: "[mid, flac]")
        let out = dir.appendingPathComponent("out")
        let result = try AlbumExporter(spec: try AlbumSpecParser().parse(fileAt: spec.path), folder: out, jobs: 2).run()
        let page = out.appendingPathComponent("index.html")

        let dom = try runChromium(chromium, ["--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom", page.absoluteString])
        for t in result.manifest.tracks {
            guard let start = dom.range(of: "id=\"track-\(t.number)\"") else { XCTFail("track \(t.number) missing from the page"); continue }
            let rest = dom[start.upperBound...]
            let section = rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)]
            XCTAssertTrue(section.contains("data-state=\"ready\""), "track \(t.number): the player did not load its audio: \(section.prefix(600))")
            let duration = section.range(of: "data-duration=\"").map { section[$0.upperBound...].prefix { $0 != "\"" } }
            XCTAssertEqual(Double(duration.map(String.init) ?? "") ?? 0, t.durationSeconds, accuracy: 6, "track \(t.number) audio length")
            XCTAssertTrue(section.contains("data-rendered=\"yes\""), "track \(t.number): piano roll not laid out")
            XCTAssertTrue(section.contains("data-notes=\"\(t.notes)\""), "track \(t.number): piano roll note count")
        }

        // The screenshot goes with the test output: $TEST_OUTPUT_DIR or .build-test-output/ in the package.
        let outputDir = ProcessInfo.processInfo.environment["TEST_OUTPUT_DIR"].map { URL(fileURLWithPath: $0) }
            ?? TestPaths.packageRoot.appendingPathComponent(".build-test-output")
        try FileManager.default.createDirectory(at: outputDir, withIntermediateDirectories: true)
        let shot = outputDir.appendingPathComponent("album-index.png")
        try? FileManager.default.removeItem(at: shot)
        _ = try runChromium(chromium, ["--window-size=900,1300", "--virtual-time-budget=5000", "--screenshot=\(shot.path)", page.absoluteString])
        let png = try Data(contentsOf: shot)
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG screenshot")
        XCTAssertGreaterThan(png.count, 10_000)
        print("album page screenshot: \(shot.path)")
    }
}
