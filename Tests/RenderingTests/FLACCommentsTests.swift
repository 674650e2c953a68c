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

    /// The metadata blocks of a FLAC file: (type, length), in order, and whether the last one is flagged last.
    private func blocks(_ url: URL) throws -> [(type: UInt8, length: Int)] {
        let bytes = [UInt8](try Data(contentsOf: url))
        var offset = 4, last = false, out: [(UInt8, Int)] = []
        while !last {
            last = bytes[offset] & 0x80 != 0
            let n = Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            out.append((bytes[offset] & 0x7F, n))
            offset += 4 + n
        }
        return out
    }

    private func inode(_ url: URL) throws -> UInt64 {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
    }

    /// A tagged render reserves room for its tags: they end in PADDING, and the album's values (or a longer comment
    /// that still fits) are written over the metadata in place: same file, same metadata length, same audio frames.
    func testTagsFitTheRoomReservedAndAreWrittenInPlace() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "flac-room")
        let url = dir.appendingPathComponent("tagged.flac")
        let tags = AudioTags(title: "Room", album: "Tests", artist: "Tunesmith", trackNumber: 1, trackTotal: 2, genre: "Ambient",
                             comment: "a comment")
        _ = try RendererRegistry.standard.render(MasteringTests.piece, to: url, context: RenderContext(overwrite: true, tags: tags))
        let layout = try blocks(url)
        XCTAssertEqual(layout.map(\.type), [0, 4, 1], "STREAMINFO, the tags, then PADDING (last)")
        XCTAssertGreaterThanOrEqual(layout[2].length, FLACComments.padding, "room beyond the tags and every ReplayGain value")
        let (metadata, audio) = try split(url)
        let samples = try S.read(url).floats
        let file = try inode(url)
        XCTAssertTrue(try AlbumReplayGainTagger.setAlbumValues(path: url.path, gainDecibels: -12.25, peak: 0.75))
        XCTAssertEqual(try inode(url), file, "written in place, not replaced")
        XCTAssertEqual(try split(url).metadata.count, metadata.count)
        XCTAssertEqual(try split(url).audio, audio)
        XCTAssertEqual(try blocks(url).map(\.type), [0, 4, 1])
        // A longer comment that fits the room: in place too; the PADDING shrinks by what the comment grew.
        try FLACComments.rewrite(path: url.path, comments: [("TITLE", "Room"), ("COMMENT", String(repeating: "x", count: 500))],
                                 reportingAs: "t")
        XCTAssertEqual(try inode(url), file)
        XCTAssertEqual(try split(url).metadata.count, metadata.count)
        XCTAssertEqual(try FLACComments.comments(path: url.path, reportingAs: "t").last?.1.count, 500)
        XCTAssertEqual(try S.read(url).floats, samples)
    }

    /// Tags that do not fit the room (or a file written without room) rebuild the file with fresh PADDING: the audio
    /// frames unchanged, and the next tags fit in place.
    func testTagsBeyondTheRoomRebuildTheFileWithPadding() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "flac-no-room")
        let url = dir.appendingPathComponent("plain.flac")
        _ = try RendererRegistry.standard.render(MasteringTests.piece, to: url, context: RenderContext(overwrite: true))
        XCTAssertEqual(try blocks(url).map(\.type), [0, 4], "an untagged render has no room reserved (libFLAC's empty comment only)")
        let audio = try split(url).audio
        let samples = try S.read(url).floats
        let long = [("COMMENT", String(repeating: "y", count: 3000))]
        try FLACComments.rewrite(path: url.path, comments: long, reportingAs: "t")
        XCTAssertEqual(try blocks(url).map(\.type), [0, 4, 1])
        XCTAssertEqual(try blocks(url)[2].length, FLACComments.padding)
        XCTAssertEqual(try split(url).audio, audio)
        XCTAssertEqual(try S.read(url).floats, samples)
        // The rebuilt file's padding takes the album values in place.
        let file = try inode(url)
        XCTAssertTrue(try AlbumReplayGainTagger.setAlbumValues(path: url.path, gainDecibels: -3, peak: 0.5))
        XCTAssertEqual(try inode(url), file)
        // Longer than the room: replaced by a rebuilt file, the audio still the same bytes.
        try FLACComments.rewrite(path: url.path, comments: [("COMMENT", String(repeating: "z", count: 6000))], reportingAs: "t")
        XCTAssertEqual(try FLACComments.comments(path: url.path, reportingAs: "t").first?.1.count, 6000)
        XCTAssertEqual(try split(url).audio, audio)
        XCTAssertEqual(try S.read(url).floats, samples)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["plain.flac"], "no staging file is left behind")
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
