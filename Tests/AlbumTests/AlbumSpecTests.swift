import Album
import Foundation
import XCTest

/// Spec parsing: both track forms, overrides, JSON, and errors naming the line and key.
final class AlbumSpecTests: XCTestCase {
    let base = URL(fileURLWithPath: "/tmp")

    func parse(_ text: String) throws -> AlbumSpec { try AlbumSpecParser().parse(text, path: "spec.yaml", baseFolder: base) }

    /// The error for `text`, asserting it names `line` and `key`.
    func assertError(_ text: String, line: Int, key: String, mentioning needle: String, file: StaticString = #filePath, lineNo: UInt = #line) {
        do {
            _ = try parse(text)
            XCTFail("accepted an invalid spec", file: file, line: lineNo)
        } catch let e as AlbumSpecError {
            XCTAssertEqual(e.line, line, "\(e)", file: file, line: lineNo)
            XCTAssertEqual(e.key, key, "\(e)", file: file, line: lineNo)
            XCTAssertTrue(e.description.hasPrefix("spec.yaml:\(line): \(key)"), "\(e)", file: file, line: lineNo)
            XCTAssertTrue(e.description.contains(needle), "\(e)", file: file, line: lineNo)
            XCTAssertFalse(e.description.contains("\n"), file: file, line: lineNo)
        } catch {
            XCTFail("unexpected error type: \(error)", file: file, line: lineNo)
        }
    }

    func testCountFormWithBaseSeedAndDefaults() throws {
        let spec = try parse("album: A\nartist: B\nsettings: {length: 30s, formats: [mid, flac]}\ntracks: {count: 4, seed: 100}\n")
        let tracks = spec.plannedTracks
        XCTAssertEqual(tracks.map(\.seed), [100, 101, 102, 103])
        XCTAssertEqual(tracks.map(\.stem), ["01 - Track 1", "02 - Track 2", "03 - Track 3", "04 - Track 4"])
        XCTAssertEqual(tracks[0].options.settings["length"], "30s")
        XCTAssertEqual(tracks[0].options.formats, ["mid", "flac"])
        XCTAssertEqual(tracks[0].options.model, "default")
        XCTAssertNil(tracks[0].options.settings["temperature"], "unset settings take generate's defaults")
    }

    func testListFormWithOverridesAndFormatsByExtension() throws {
        let spec = try parse("""
            album: A
            artist: B
            seed: 10
            settings:
              tempo: 90
              formats: [mid, oga]
              processors: ["quantize:grid=1/16"]
            tracks:
              - title: One
              - title: "Two/Three"
                tempo: 150
                program: 40
                formats: wav
              - Four
            """)
        let t = spec.plannedTracks
        XCTAssertEqual(t.map(\.seed), [10, 11, 12])
        XCTAssertEqual(t.map { $0.options.settings["tempo"] }, ["90", "150", "90"])
        XCTAssertEqual(t[1].options.settings["program"], "40")
        XCTAssertEqual(t[0].options.formats, ["mid", "ogg"])
        XCTAssertEqual(t[1].options.formats, ["wav"])
        XCTAssertEqual(t[1].options.processors, ["quantize:grid=1/16"])
        XCTAssertEqual(t[1].stem, "02 - Two-Three")
        XCTAssertEqual(t[2].title, "Four")
    }

    func testJSONSpec() throws {
        let spec = try parse("""
            {"album": "J", "artist": "K",
             "settings": {"length": "16bars", "temperature": 0.5},
             "tracks": [{"title": "x", "seed": 18446744073709551615}]}
            """)
        XCTAssertEqual(spec.plannedTracks[0].seed, UInt64.max)
        XCTAssertEqual(spec.plannedTracks[0].options.settings["length"], "16bars")
    }

    func testErrorsNameLineAndKey() {
        assertError("album: A\nartist: B\ntrack: {count: 2}\n", line: 3, key: "track", mentioning: "unknown key")
        assertError("album: A\nartist: B\nsettings:\n  tempo: 900\ntracks: {count: 2}\n", line: 4, key: "settings.tempo", mentioning: "10 to 400")
        assertError("album: A\nartist: B\ntracks:\n  - title: a\n  - title: b\n    length: forever\n", line: 6, key: "tracks[2].length", mentioning: "bad length")
        assertError("album: A\nartist: B\nsettings:\n  formats: [mid, mp3]\ntracks: {count: 1}\n", line: 4, key: "settings.formats[2]", mentioning: "unknown format")
        assertError("album: A\nartist: B\nsettings:\n  processors:\n    - nosuch\ntracks: {count: 1}\n", line: 5, key: "settings.processors[1]", mentioning: "nosuch")
        assertError("album: A\nartist: B\nsettings:\n  model: missing.tsmodel\ntracks: {count: 1}\n", line: 4, key: "settings.model", mentioning: "no such file")
        assertError("album: A\nartist: B\ntracks:\n  - title: a\n    seed: -3\n", line: 5, key: "tracks[1].seed", mentioning: "bad seed")
        assertError("album: A\nartist: B\ntracks: {count: 0}\n", line: 3, key: "tracks.count", mentioning: "1 to 999")
        assertError("album: A\nartist: B\ntracks:\n  - title: a\n    program: 128\n", line: 5, key: "tracks[1].program", mentioning: "0 to 127")
        assertError("album: A\nartist: B\nartist: C\ntracks: {count: 1}\n", line: 3, key: "artist", mentioning: "given twice")
        assertError("album: A\ntracks: {count: 1}\n", line: 1, key: "artist", mentioning: "missing")
        assertError("album: A\nartist: B\nsettings:\n  length: endless\ntracks: {count: 1}\n", line: 4, key: "settings.length", mentioning: "needs an end")
    }

    func testSyntaxErrorNamesLine() {
        do {
            _ = try parse("album: A\nartist: B\ntracks:\n  - title: [unclosed\n  - x\n")
            XCTFail("accepted broken YAML")
        } catch let e as AlbumSpecError {
            XCTAssertGreaterThanOrEqual(e.line, 4, "\(e)")
            XCTAssertTrue(e.description.contains("YAML syntax error"), "\(e)")
        } catch { XCTFail("\(error)") }
    }

    func testMissingFileNamesPath() {
        XCTAssertThrowsError(try AlbumSpecParser().parse(fileAt: "/nonexistent/album.yaml")) { e in
            XCTAssertEqual("\(e)", "/nonexistent/album.yaml: no such file")
        }
    }

    func testFileNamesStayInsideTheAlbumFolder() {
        XCTAssertEqual(FileNaming.stem(number: 3, title: "../../etc/passwd", count: 12), "03 - -..-etc-passwd")
        XCTAssertEqual(FileNaming.stem(number: 7, title: "..", count: 120), "007 - Untitled")
        XCTAssertEqual(FileNaming.stem(number: 1, title: "a\\b:c*d?\"e<f>g|h", count: 1), "01 - a-b-c-d--e-f-g-h")
        for title in ["../x", "/abs", ".hidden", "a/../../b"] {
            XCTAssertFalse(FileNaming.stem(number: 1, title: title, count: 1).contains("/"), title)
            XCTAssertFalse(FileNaming.stem(number: 1, title: title, count: 1).hasPrefix("."), title)
        }
    }

    func testShardParsingAndPartition() throws {
        XCTAssertThrowsError(try Shard(parsing: "0/2"))
        XCTAssertThrowsError(try Shard(parsing: "3/2"))
        XCTAssertThrowsError(try Shard(parsing: "x"))
        let parts = try (1...3).map { try Shard(parsing: "\($0)/3") }
        for n in 1...10 { XCTAssertEqual(parts.filter { $0.contains(track: n) }.count, 1) }
    }
}
