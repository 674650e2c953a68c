import Album
import Foundation
import MIDI
import Support
import TestSupport
import XCTest

/// Album specs with `stems: true`: each track's parts beside its files, listed with hashes in the manifest and by
/// name on the page; resuming checks the stems too.
final class AlbumStemsTests: XCTestCase {
    private func export(_ spec: URL, to folder: URL) throws -> AlbumExportResult {
        try AlbumExporter(spec: try AlbumSpecParser().parse(fileAt: spec.path), folder: folder, jobs: 2).run()
    }

    func testStemsOfArrangedTracksAreWrittenListedAndVerified() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "album-stems")
        _ = try AlbumFixtures.writeModel(in: dir)
        let spec = dir.appendingPathComponent("album.yaml")
        try """
            album: Band Sketches
            artist: Album Tests
            settings:
              model: model.tsmodel
              length: 4s
              formats: [mid, wav]
              processors: ["scale", "arrange:style=band"]
              stems: true
            tracks:
              - title: One
                seed: 3
              - title: Two
                seed: 4
                stems: no
            """.write(to: spec, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        _ = try export(spec, to: out)
        let names = try AlbumFixtures.names(in: out)
        XCTAssertTrue(names.contains("01 - One.stems"))
        XCTAssertFalse(names.contains("02 - Two.stems"), "a track may turn stems off")
        let parts = ["Melody", "Chords", "Bass", "Drums"]
        let inFolder = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("01 - One.stems").path).sorted()
        XCTAssertEqual(inFolder, parts.flatMap { ["\($0).mid", "\($0).wav"] }.sorted(), "one stem per part and format, no temporaries")

        let manifest = try AlbumManifest(contentsOf: out.appendingPathComponent("manifest.json"))
        let one = manifest.tracks[0]
        XCTAssertEqual(one.parts, parts)
        XCTAssertEqual(manifest.tracks[1].parts, parts)
        for f in one.files {
            let stems = try XCTUnwrap(f.stems, f.name)
            XCTAssertEqual(stems.map { URL(fileURLWithPath: $0.name).deletingPathExtension().lastPathComponent }, parts)
            for s in stems {
                XCTAssertTrue(s.name.hasPrefix("01 - One.stems/"), s.name)
                XCTAssertEqual(try SHA256.hex(ofFileAt: out.appendingPathComponent(s.name).path), s.sha256, s.name)
            }
        }
        XCTAssertNil(manifest.tracks[1].files[0].stems)

        let page = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("Parts: <span class=\"part\">Melody"), "the page lists each track's parts")
        XCTAssertTrue(page.contains("href=\"01%20-%20One.stems/Drums.wav\""), "stems are linked")

        // Resume: nothing to do; a missing stem re-renders its track only.
        XCTAssertEqual(try export(spec, to: out).rendered, [])
        try FileManager.default.removeItem(at: out.appendingPathComponent("01 - One.stems/Bass.wav"))
        let again = try export(spec, to: out)
        XCTAssertEqual(again.rendered, [1])
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("01 - One.stems/Bass.wav").path))
        XCTAssertEqual(try AlbumManifest(contentsOf: out.appendingPathComponent("manifest.json")), manifest, "the same files again")
    }

    func testStemsMustBeABoolean() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "album-stems")
        _ = try AlbumFixtures.writeModel(in: dir)
        let spec = dir.appendingPathComponent("bad.yaml")
        try "album: A\nartist: B\nsettings:\n  model: model.tsmodel\n  stems: maybe\ntracks: {count: 1, seed: 1}\n".write(to: spec, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try AlbumSpecParser().parse(fileAt: spec.path)) { error in
            XCTAssertTrue("\(error)".contains("settings.stems"), "\(error)")
        }
    }
}
