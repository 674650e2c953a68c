import CSndFile
import Foundation
import MIDI
@testable import Rendering
import Support
import TestSupport
import XCTest

/// Ogg Vorbis files carry the full Vorbis comment set (as FLAC does): read back by our own page parser, by libsndfile
/// and, where installed, by ffprobe; rewriting the comment header keeps the audio; several-page comment headers work;
/// corrupt streams give a clear error.
final class OggTagTests: XCTestCase {
    typealias S = RenderTestSupport

    static let tags = AudioTags(title: "Morning", album: "Tests", artist: "Tunesmith", trackNumber: 3, trackTotal: 8, genre: "Ambient",
                                comment: "seed 7")

    /// A tagged Ogg render in a fresh folder, or a skip when libsndfile has no Vorbis.
    private func render(_ name: String, tags: AudioTags?) throws -> URL {
        guard AudioFileFormat(.ogg, .vorbis).isSupported() else { throw XCTSkip("libsndfile without Vorbis") }
        let dir = try TestPaths.temporaryFolder(self, prefix: "ogg-tags")
        let url = dir.appendingPathComponent(name)
        _ = try RendererRegistry.standard.render(MasteringTests.piece, to: url, context: RenderContext(overwrite: true, tags: tags))
        return url
    }

    private func comments(_ url: URL) throws -> [String: String] {
        let read = try OggVorbisComments.read([UInt8](try Data(contentsOf: url)))
        return Dictionary(read.comments.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
    }

    private func libsndfileStrings(_ url: URL) throws -> [Int32: String] {
        var info = SF_INFO()
        let f = try XCTUnwrap(sf_open(url.path, Int32(SFM_READ), &info), String(cString: sf_strerror(nil)))
        defer { sf_close(f) }
        var out: [Int32: String] = [:]
        for kind in [SF_STR_TITLE, SF_STR_ARTIST, SF_STR_ALBUM, SF_STR_TRACKNUMBER, SF_STR_GENRE, SF_STR_COMMENT] {
            if let s = sf_get_string(f, Int32(kind)) { out[Int32(kind)] = String(cString: s) }
        }
        return out
    }

    /// ffprobe's tags of a file (format and stream tags, upper-cased keys), nil when ffprobe is not installed.
    private func ffprobeTags(_ url: URL) throws -> [String: String]? {
        guard let text = try FFmpegTool.output(of: "ffprobe", ["-v", "error", "-show_format", "-show_streams", "-of", "default=noprint_wrappers=1", url.path]) else {
            return nil
        }
        var tags: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("TAG:") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            tags[String(line[line.index(line.startIndex, offsetBy: 4)..<eq]).uppercased()] = String(line[line.index(after: eq)...])
        }
        return tags
    }

    /// Every field FLAC gets: title, artist, album, TRACKNUMBER + TRACKTOTAL, genre, comment, REPLAYGAIN_* from the
    /// measured loudness; libvorbis's vendor string is kept.
    func testOggCarriesTheFullVorbisCommentSet() throws {
        let url = try render("t.ogg", tags: Self.tags)
        let ours = try comments(url)
        XCTAssertEqual(ours["TITLE"], "Morning")
        XCTAssertEqual(ours["ARTIST"], "Tunesmith")
        XCTAssertEqual(ours["ALBUM"], "Tests")
        XCTAssertEqual(ours["TRACKNUMBER"], "3")
        XCTAssertEqual(ours["TRACKTOTAL"], "8")
        XCTAssertEqual(ours["GENRE"], "Ambient")
        XCTAssertEqual(ours["COMMENT"], "seed 7")
        XCTAssertEqual(ours["REPLAYGAIN_REFERENCE_LOUDNESS"], "-18.0 LUFS")
        let gain = try XCTUnwrap(ours["REPLAYGAIN_TRACK_GAIN"].flatMap { Double($0.replacingOccurrences(of: " dB", with: "")) })
        XCTAssertEqual(gain, -4, accuracy: 0.5, "a -14 LUFS track is 4 dB above ReplayGain's -18 LUFS reference")
        let peak = try XCTUnwrap(ours["REPLAYGAIN_TRACK_PEAK"].flatMap(Double.init))
        XCTAssertLessThanOrEqual(peak, pow(10, -1.0 / 20) + 1e-6)
        XCTAssertGreaterThan(peak, 0.3)
        XCTAssertTrue(try OggVorbisComments.read([UInt8](try Data(contentsOf: url))).vendor.contains("Xiph"), "libvorbis's vendor string is kept")

        let strings = try libsndfileStrings(url)
        XCTAssertEqual(strings[Int32(SF_STR_TITLE)], "Morning")
        XCTAssertEqual(strings[Int32(SF_STR_ARTIST)], "Tunesmith")
        XCTAssertEqual(strings[Int32(SF_STR_ALBUM)], "Tests")
        XCTAssertEqual(strings[Int32(SF_STR_TRACKNUMBER)], "3")
        XCTAssertEqual(strings[Int32(SF_STR_COMMENT)], "seed 7")

        if let probed = try ffprobeTags(url) {
            XCTAssertEqual(probed["TRACKTOTAL"], "8", "\(probed)")
            XCTAssertEqual(probed["TRACKNUMBER"] ?? probed["TRACK"], "3", "\(probed)")
            XCTAssertEqual(probed["REPLAYGAIN_TRACK_GAIN"], ours["REPLAYGAIN_TRACK_GAIN"], "\(probed)")
            XCTAssertEqual(probed["TITLE"], "Morning")
        } else {
            print("ffprobe not installed: skipping its reading of the Ogg tags")
        }
    }

    /// The tags change only the header pages: the tagged file decodes to exactly the samples of the untagged one, and
    /// every page after the headers keeps its body.
    func testRewritingTheCommentHeaderKeepsTheAudio() throws {
        let tagged = try render("tagged.ogg", tags: Self.tags)
        let plain = try render("plain.ogg", tags: nil)
        let a = try S.read(tagged), b = try S.read(plain)
        XCTAssertEqual(a.frames, b.frames)
        XCTAssertEqual(a.floats, b.floats)
        let taggedPages = try OggPage.parseAll([UInt8](try Data(contentsOf: tagged)))
        let plainPages = try OggPage.parseAll([UInt8](try Data(contentsOf: plain)))
        let firstAudio = try OggVorbisComments.headerPackets(taggedPages).firstAudioPage
        let plainFirstAudio = try OggVorbisComments.headerPackets(plainPages).firstAudioPage
        XCTAssertEqual(Array(taggedPages[firstAudio...].map(\.body)), Array(plainPages[plainFirstAudio...].map(\.body)))
        XCTAssertEqual(taggedPages.map(\.sequence), (0..<UInt32(taggedPages.count)).map { $0 }, "pages are numbered from 0 without gaps")
        XCTAssertEqual(taggedPages.last.map { $0.flags & OggPage.end }, OggPage.end)
    }

    /// A comment header longer than one page (a 150 kB comment spans three pages) is laid out on continued pages; the
    /// file decodes to the same samples, and our parser, libsndfile and ffprobe read the tags back.
    func testACommentHeaderSpanningSeveralPages() throws {
        let url = try render("long.ogg", tags: Self.tags)
        let before = try S.read(url)
        let long = String(repeating: "a long liner note. ", count: 8_000)
        var tags = Self.tags
        tags.comment = long
        let bytes = try OggVorbisComments.replacingComments(in: [UInt8](try Data(contentsOf: url)), with: tags.vorbisComments)
        let rewritten = url.deletingLastPathComponent().appendingPathComponent("rewritten.ogg")
        try Data(bytes).write(to: rewritten)

        let pages = try OggPage.parseAll(bytes)
        let headers = try OggVorbisComments.headerPackets(pages)
        XCTAssertGreaterThanOrEqual(headers.firstAudioPage, 4, "identification page plus at least three comment/setup pages")
        XCTAssertEqual(pages[2].flags & OggPage.continued, OggPage.continued, "the second comment page continues the packet")
        XCTAssertEqual(pages[1].granulePosition, OggPage.noGranule, "no packet ends on the first comment page")
        XCTAssertEqual(pages[headers.firstAudioPage - 1].granulePosition, 0)
        XCTAssertTrue(pages[..<headers.firstAudioPage].allSatisfy { $0.lacing.count <= 255 })
        XCTAssertEqual(try comments(rewritten)["COMMENT"], long)
        XCTAssertEqual(try comments(rewritten)["TRACKTOTAL"], "8")

        let after = try S.read(rewritten)
        XCTAssertEqual(after.floats, before.floats, "the audio decodes to the same samples")
        XCTAssertEqual(try libsndfileStrings(rewritten)[Int32(SF_STR_TITLE)], "Morning")
        if let probed = try ffprobeTags(rewritten) {
            XCTAssertEqual(probed["TRACKTOTAL"], "8", "\(probed.keys)")
            // The last comment: ffmpeg read the whole several-page packet (it exports ReplayGain of such a file as side
            // data rather than as a tag).
            XCTAssertEqual(probed["ENCODER"], "Tunesmith \(TunesmithVersion.string)", "\(probed.keys.sorted())")
        }
        // Rewriting again (back to the short comment) gives the original file byte for byte.
        let back = try OggVorbisComments.replacingComments(in: bytes, with: try OggVorbisComments.read([UInt8](try Data(contentsOf: url))).comments)
        XCTAssertEqual(back, [UInt8](try Data(contentsOf: url)))
    }

    /// Packets whose length is a multiple of 255 end with a zero lacing value; a packet longer than a page continues.
    func testPaginationLacesPacketsAsOggRequires() throws {
        let packets: [[UInt8]] = [[UInt8](repeating: 1, count: 510), [UInt8](repeating: 2, count: 255 * 300 + 7)]
        let pages = OggVorbisComments.paginate(packets, serial: 9, firstSequence: 1, beginning: false)
        XCTAssertEqual(pages.count, 2)
        XCTAssertEqual(Array(pages[0].lacing.prefix(3)), [255, 255, 0])
        XCTAssertEqual(pages[0].lacing.count, 255)
        XCTAssertEqual(pages[1].flags & OggPage.continued, OggPage.continued)
        XCTAssertEqual(pages[1].lacing.last, 7)
        XCTAssertEqual(pages.map(\.sequence), [1, 2])
        XCTAssertEqual(pages.flatMap(\.body).count, 510 + 255 * 300 + 7)
        // Written and parsed back with a valid CRC.
        XCTAssertEqual(try OggPage.parse(pages[1].bytes, at: 0), pages[1])
    }

    /// Corrupt or truncated Ogg streams give a one-line error naming the problem, not a crash.
    func testCorruptOggGivesAClearError() throws {
        let url = try render("c.ogg", tags: Self.tags)
        let good = [UInt8](try Data(contentsOf: url))
        var flipped = good
        flipped[flipped.count / 2] ^= 0x5A
        let cases: [(String, [UInt8], String)] = [
            ("flipped byte", flipped, "CRC"),
            ("truncated", Array(good.prefix(good.count - 100)), "truncated"),
            ("not Ogg", Array("RIFF....WAVEfmt ".utf8) + [UInt8](repeating: 0, count: 64), "no Ogg page"),
            ("empty", [], "Vorbis header"),
        ]
        for (name, bytes, expected) in cases {
            let path = url.deletingLastPathComponent().appendingPathComponent("bad.ogg").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try OggVorbisComments.rewrite(path: path, comments: Self.tags.vorbisComments, reportingAs: "song.ogg"), name) { error in
                let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                XCTAssertTrue(text.contains("song.ogg") && text.contains(expected), "\(name): \(text)")
            }
        }
    }
}
