import Album
import CSndFile
import Foundation
import Rendering
import Support
import TestSupport
import XCTest

/// ReplayGain comes from measuring the files as written, not from the loudness target: a track whose limiter keeps it
/// below the target gets the gain of its measured loudness, and the album's gain is -18 LUFS minus the loudness of
/// all tracks' files taken together (libebur128 over every track at once), in FLAC, Ogg and WAV alike.
final class AlbumReplayGainTests: XCTestCase {
    private func vorbisComment(_ field: String, in url: URL) throws -> String? {
        let text = String(decoding: try Data(contentsOf: url).prefix(16_384), as: UTF8.self)
        guard let r = text.range(of: field + "=") else { return nil }
        return String(text[r.upperBound...].prefix { $0 != "\0" && $0.isASCII && ($0.isLetter || $0.isNumber || " .+-".contains($0)) })
    }

    private func decibels(_ text: String?) -> Double? { text.flatMap { Double($0.replacingOccurrences(of: " dB", with: "")) } }

    func testTrackAndAlbumGainsAreMeasuredNotTheTarget() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "album-replaygain")
        // Track 2's ceiling of -12 dBTP keeps it well below the -14 LUFS target: its gain is not -18 - (-14).
        let spec = try AlbumFixtures.writeSpec(in: dir, formats: "[flac, ogg, wav]", tracks: """
              - title: Open
                seed: 7
              - title: Held Down
                seed: 8
                true-peak: -12
            """)
        let out = dir.appendingPathComponent("out")
        let parsed = try AlbumSpecParser().parse(fileAt: spec.path)
        let result = try AlbumExporter(spec: parsed, folder: out, jobs: 2).run()
        let manifest = result.manifest
        let target = -14.0

        var meters: [LoudnessMeter] = []
        var peaks: [Double] = []
        for track in manifest.tracks {
            let flac = out.appendingPathComponent(track.files[0].name)
            let meter = try LoudnessMeter.measure(fileAt: flac.path)
            meters.append(meter)
            let measured = meter.measurement().integrated
            let gain = try XCTUnwrap(decibels(try vorbisComment("REPLAYGAIN_TRACK_GAIN", in: flac)))
            XCTAssertEqual(gain, -18 - measured, accuracy: 0.02, "track \(track.number): -18 LUFS minus the file's measured loudness")
            peaks.append(try XCTUnwrap(track.loudness?.truePeakDBTP))
        }
        let held = try XCTUnwrap(decibels(try vorbisComment("REPLAYGAIN_TRACK_GAIN", in: out.appendingPathComponent(manifest.tracks[1].files[0].name))))
        XCTAssertGreaterThan(held - (-18 - target), 1, "the limited track is quieter than the target, so its gain is larger than -4 dB")

        let album = LoudnessMeter.integrated(of: meters)
        let albumGain = try XCTUnwrap(manifest.loudness?.replayGainDB)
        XCTAssertEqual(albumGain, -18 - album, accuracy: 0.01)
        XCTAssertGreaterThan(albumGain - (-18 - target), 0.3, "the album is quieter than its target too")
        XCTAssertEqual(try XCTUnwrap(manifest.loudness?.integratedLUFS), album, accuracy: 0.01)
        let albumPeak = try XCTUnwrap(manifest.loudness?.replayGainPeak)
        XCTAssertEqual(albumPeak, pow(10, peaks.max()! / 20), accuracy: 1e-5)

        for track in manifest.tracks {
            for file in track.files {
                let url = out.appendingPathComponent(file.name)
                XCTAssertEqual(try SHA256.hex(ofFileAt: url.path), file.sha256, "the manifest records the tagged file")
                if url.pathExtension == "wav" {
                    let comment = try XCTUnwrap(AlbumFixtures.tag(Int32(SF_STR_COMMENT), of: url.path))
                    XCTAssertTrue(comment.contains(String(format: "REPLAYGAIN_ALBUM_GAIN=%+.2f dB", albumGain)), comment)
                    XCTAssertTrue(comment.contains("REPLAYGAIN_TRACK_GAIN="), comment)
                    XCTAssertEqual(AlbumFixtures.tag(Int32(SF_STR_TITLE), of: url.path), track.title)
                } else {
                    XCTAssertEqual(decibels(try vorbisComment("REPLAYGAIN_ALBUM_GAIN", in: url)), albumGain, file.name)
                    XCTAssertEqual(try vorbisComment("REPLAYGAIN_ALBUM_PEAK", in: url).flatMap(Double.init) ?? 0, albumPeak, accuracy: 1e-6)
                    XCTAssertEqual(try vorbisComment("TRACKTOTAL", in: url), "2", file.name)
                    XCTAssertEqual(AlbumFixtures.tag(Int32(SF_STR_TITLE), of: url.path), track.title, "libsndfile still reads \(file.name)")
                }
            }
        }

        // Running the export again keeps every file (tagging again gives the same bytes).
        let before = try manifest.tracks.flatMap(\.files).map { try Data(contentsOf: out.appendingPathComponent($0.name)) }
        let again = try AlbumExporter(spec: parsed, folder: out, jobs: 2).run()
        XCTAssertEqual(again.rendered, [])
        XCTAssertEqual(try manifest.tracks.flatMap(\.files).map { try Data(contentsOf: out.appendingPathComponent($0.name)) }, before)
    }
}
