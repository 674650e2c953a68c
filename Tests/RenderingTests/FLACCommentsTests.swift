import CSndFile
import Foundation
import MIDI
@testable import Rendering
import Support
import TestSupport
import XCTest

/// FLAC's Vorbis comments as we rewrite them: only the metadata changes (the audio frames are the same bytes and
/// decode to the same samples through libsndfile), the comments read back, and the album values replace each other.
final class FLACCommentsTests: XCTestCase {
    typealias S = RenderTestSupport

    /// The bytes of a FLAC file from its first audio frame on, and the metadata before it.
    private func split(_ url: URL) throws -> (metadata: [UInt8], audio: [UInt8]) {
        let bytes = [UInt8](try Data(contentsOf: url))
        var offset = 4, last = false
        while !last {
            last = bytes[offset] & 0x80 != 0
            offset += 4 + (Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3]))
        }
        return (Array(bytes[..<offset]), Array(bytes[offset...]))
    }

    func testTaggingKeepsTheAudioFramesAndTheSamples() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "flac-comments")
        let tagged = dir.appendingPathComponent("tagged.flac"), plain = dir.appendingPathComponent("plain.flac")
        let tags = AudioTags(title: "Morning", album: "Tests", artist: "Tunesmith", trackNumber: 3, trackTotal: 8, genre: "Ambient")
        _ = try RendererRegistry.standard.render(MasteringTests.piece, to: tagged, context: RenderContext(overwrite: true, tags: tags))
        _ = try RendererRegistry.standard.render(MasteringTests.piece, to: plain, context: RenderContext(overwrite: true))
        XCTAssertEqual(try split(tagged).audio, try split(plain).audio, "the audio frames are copied unchanged")
        XCTAssertEqual(try S.read(tagged).floats, try S.read(plain).floats)
        let comments = Dictionary(try FLACComments.comments(path: tagged.path, reportingAs: "t").map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(comments["TITLE"], "Morning")
        XCTAssertEqual(comments["TRACKTOTAL"], "8")
        XCTAssertNotNil(comments["REPLAYGAIN_TRACK_GAIN"])

        // The album values: added beside the others, replaced when set again, the audio still the same bytes.
        let before = try split(tagged).audio
        XCTAssertTrue(try AlbumReplayGainTagger.setAlbumValues(path: tagged.path, gainDecibels: -3.25, peak: 0.5))
        XCTAssertTrue(try AlbumReplayGainTagger.setAlbumValues(path: tagged.path, gainDecibels: -4.5, peak: 0.25))
        XCTAssertFalse(try AlbumReplayGainTagger.setAlbumValues(path: tagged.path, gainDecibels: -4.5, peak: 0.25), "same values: not rewritten")
        let album = try FLACComments.comments(path: tagged.path, reportingAs: "t")
        XCTAssertEqual(album.filter { $0.0 == "REPLAYGAIN_ALBUM_GAIN" }.map(\.1), ["-4.50 dB"])
        XCTAssertEqual(album.filter { $0.0 == "REPLAYGAIN_ALBUM_PEAK" }.map(\.1), ["0.250000"])
        XCTAssertEqual(album.first { $0.0 == "TITLE" }?.1, "Morning")
        XCTAssertEqual(try split(tagged).audio, before)
        XCTAssertEqual(try S.read(tagged).floats, try S.read(plain).floats)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasSuffix(".flac") }
        XCTAssertEqual(leftovers, [], "no staging file is left behind")
    }

    func testTruncatedMetadataGivesAClearError() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "flac-comments-bad")
        let url = dir.appendingPathComponent("bad.flac")
        try Data(Array("fLaC".utf8) + [0x00, 0x00, 0x00, 0x22, 1, 2, 3]).write(to: url)
        XCTAssertThrowsError(try FLACComments.comments(path: url.path, reportingAs: "bad.flac")) { error in
            XCTAssertTrue("\(error)".contains("truncated FLAC metadata"), "\(error)")
        }
        try Data("RIFF....".utf8).write(to: url)
        XCTAssertThrowsError(try FLACComments.rewrite(path: url.path, comments: [("TITLE", "x")], reportingAs: "bad.flac")) { error in
            XCTAssertTrue("\(error)".contains("no fLaC marker"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["bad.flac"])
    }
}
