import Album
import CSndFile
import Foundation
import MIDI
import Rendering
import TestSupport
import Synchronization
import XCTest
import Support

/// End-to-end exports with a real model, FluidSynth and libsndfile: files, tags, manifest hashes,
/// playlist and page; resume; shards merged; cancellation.
final class AlbumExportTests: XCTestCase {
    func export(_ spec: URL, to folder: URL, jobs: Int = 2, shard: Shard? = nil, force: Bool = false,
                cancellation: Cancellation = Cancellation()) throws -> AlbumExportResult {
        let parsed = try AlbumSpecParser().parse(fileAt: spec.path)
        return try AlbumExporter(spec: parsed, folder: folder, jobs: jobs, shard: shard, force: force, cancellation: cancellation).run()
    }

    func testThreeTrackAlbumEndToEnd() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "album-tests")
        let spec = try AlbumFixtures.writeSpec(in: dir)
        let out = dir.appendingPathComponent("out")
        let result = try export(spec, to: out)
        XCTAssertEqual(result.rendered, [1, 2, 3])
        let stems = ["01 - Opening", "02 - Middle- Part", "03 - Closing"]
        var expected = ["album.m3u8", "index.html", "manifest.json"]
        for s in stems { expected += ["\(s).flac", "\(s).mid", "\(s).ogg"] }
        XCTAssertEqual(try AlbumFixtures.names(in: out), expected.sorted(), "only complete outputs, no temporaries")

        // Manifest: hashes and sizes of the files on disk, seeds, options, versions.
        let manifest = try AlbumManifest(contentsOf: out.appendingPathComponent("manifest.json"))
        XCTAssertEqual(manifest.tracks.map(\.seed), [7, 2, 3])
        XCTAssertEqual(manifest.tracks[1].options.settings["tempo"], "140")
        XCTAssertEqual(manifest.tracks[1].tempoBPM, 140)
        XCTAssertEqual(manifest.tracks[1].options.settings["program"], "40")
        XCTAssertEqual(manifest.tool.tunesmith, TunesmithVersion.string)
        XCTAssertEqual(manifest.tracks[0].model.name, "model.tsmodel")
        for t in manifest.tracks {
            XCTAssertGreaterThan(t.notes, 0)
            XCTAssertEqual(t.durationSeconds, 6, accuracy: 2.5)
            XCTAssertEqual(t.files.map(\.format), ["mid", "flac", "ogg"])
            for f in t.files {
                let path = out.appendingPathComponent(f.name).path
                XCTAssertEqual(try SHA256.hex(ofFileAt: path), f.sha256, f.name)
                XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, f.bytes)
            }
            let mid = try Performance(contentsOf: out.appendingPathComponent(t.files[0].name))
            XCTAssertEqual(mid.noteCount, t.notes)
        }

        // Tags read back through libsndfile.
        for (i, t) in manifest.tracks.enumerated() {
            for ext in ["flac", "ogg"] {
                let path = out.appendingPathComponent("\(stems[i]).\(ext)").path
                XCTAssertGreaterThan(AlbumFixtures.frames(of: path) ?? 0, 44_100 * 5)
                XCTAssertEqual(AlbumFixtures.tag(Int32(SF_STR_TITLE), of: path), t.title)
                XCTAssertEqual(AlbumFixtures.tag(Int32(SF_STR_ALBUM), of: path), "Test Sketches")
                XCTAssertEqual(AlbumFixtures.tag(Int32(SF_STR_ARTIST), of: path), "Album Tests")
                XCTAssertEqual(AlbumFixtures.tag(Int32(SF_STR_TRACKNUMBER), of: path), "\(i + 1)")
                XCTAssertEqual(AlbumFixtures.tag(Int32(SF_STR_GENRE), of: path), "Generative")
                XCTAssertEqual(AlbumFixtures.tag(Int32(SF_STR_COMMENT), of: path),
                               "made by AlbumTests; Tunesmith \(TunesmithVersion.string), seed \(t.seed), model model.tsmodel")
            }
            // TRACKTOTAL and ReplayGain (libsndfile has no strings for them): in the FLAC's Vorbis comments.
            let flac = String(decoding: try Data(contentsOf: out.appendingPathComponent("\(stems[i]).flac")).prefix(8192), as: UTF8.self)
            XCTAssertTrue(flac.contains("TRACKNUMBER=\(i + 1)") && flac.contains("TRACKTOTAL=3"), "track \(i + 1)")
            // ReplayGain from the measured loudness: the album's from all files together (AlbumReplayGainTests).
            let albumGain = try XCTUnwrap(manifest.loudness?.replayGainDB)
            XCTAssertTrue(flac.contains("REPLAYGAIN_TRACK_GAIN=") && flac.contains(String(format: "REPLAYGAIN_ALBUM_GAIN=%+.2f dB", albumGain)),
                          "track \(i + 1)")
            // Loudness: each track at the album default of -14 LUFS under -1 dBTP, as the meter read it back.
            let loudness = try XCTUnwrap(t.loudness)
            XCTAssertEqual(try XCTUnwrap(loudness.integratedLUFS), -14, accuracy: 0.5)
            XCTAssertLessThanOrEqual(try XCTUnwrap(loudness.truePeakDBTP), -1.0)
        }
        XCTAssertEqual(manifest.loudness?.mode, .track)
        XCTAssertEqual(manifest.loudness?.targetLUFS, -14)
        XCTAssertEqual(try XCTUnwrap(manifest.loudness?.integratedLUFS), -14, accuracy: 0.5)

        // Playlist: one entry per track, the FLAC, relative names.
        let playlist = try String(contentsOf: out.appendingPathComponent("album.m3u8"), encoding: .utf8)
        let entries = playlist.split(separator: "\n").filter { !$0.hasPrefix("#") }
        XCTAssertTrue(playlist.hasPrefix("#EXTM3U\n"))
        XCTAssertEqual(entries, stems.map { "\($0).flac"[...] })
        XCTAssertEqual(playlist.components(separatedBy: "#EXTINF:").count - 1, 3)

        // Page: self-contained (no http), one player, piano roll and metrics per track.
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "<audio ").count - 1, 3)
        XCTAssertEqual(html.components(separatedBy: " class=\"pianoroll\"").count - 1, 3)
        XCTAssertEqual(html.components(separatedBy: " class=\"note\"").count - 1, manifest.tracks.reduce(0) { $0 + $1.notes })
        XCTAssertTrue(html.contains("src=\"02%20-%20Middle-%20Part.flac\""))
        XCTAssertTrue(html.contains("<dt>Key</dt>"))
        XCTAssertFalse(html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"))
        XCTAssertFalse(html.contains("https://"))
    }

    /// `loudness-mode: album`: one gain for every track (their relative levels kept), the album as a whole at the target.
    /// Every track's notes are made first, then the renders go heaviest first (most sounding note-seconds per the
    /// notes): with one job, a 2-second track listed first renders after the 8-second one listed second and the
    /// 5-second one listed third; each track's MIDI file and loudness are those of the track rendered alone.
    func testNotesFirstThenHeaviestTrackRendersFirst() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "album-order")
        let spec = try AlbumFixtures.writeSpec(in: dir, formats: "[mid, wav]", tracks: """
              - {title: Short, seed: 1, length: 2s}
              - {title: Long, seed: 2, length: 8s}
              - {title: Middle, seed: 3, length: 5s}
            """)
        let parsed = try AlbumSpecParser().parse(fileAt: spec.path)
        let events = Mutex<[AlbumEvent]>([])
        let result = try AlbumExporter(spec: parsed, folder: dir.appendingPathComponent("out"), jobs: 1).run { e in events.withLock { $0.append(e) } }
        XCTAssertEqual(result.rendered, [1, 2, 3])
        let seen = events.withLock { $0 }
        var generated: [Int] = [], processed: [Int] = [], finished: [Int] = []
        for e in seen {
            switch e {
            case .stage(let track, _, .generating): generated.append(track)
            case .stage(let track, _, .processing): processed.append(track)
            case .finished(let track, _, _): finished.append(track)
            default: break
            }
        }
        XCTAssertEqual(generated, [1, 2, 3], "notes are made in track order")
        XCTAssertEqual(processed, [2, 3, 1], "then processed and rendered heaviest first")
        XCTAssertEqual(finished, [2, 3, 1])
        let firstProcessing = seen.firstIndex { if case .stage(_, _, .processing) = $0 { return true } else { return false } }!
        let lastGenerating = seen.lastIndex { if case .stage(_, _, .generating) = $0 { return true } else { return false } }!
        XCTAssertLessThan(lastGenerating, firstProcessing, "every track's notes before any render")
        // The same tracks as each produced on its own (a shard of one track).
        let manifest = try AlbumManifest(contentsOf: dir.appendingPathComponent("out/manifest.json"))
        XCTAssertEqual(manifest.tracks.map(\.number), [1, 2, 3])
        for (i, t) in manifest.tracks.enumerated() {
            XCTAssertEqual(t.durationSeconds, [2.0, 8.0, 5.0][i], accuracy: 1.5)
            let alone = try AlbumExporter(spec: parsed, folder: dir.appendingPathComponent("alone\(i)"), jobs: 1,
                                          shard: Shard(index: i + 1, count: 3)).run()
            let own = try XCTUnwrap(alone.manifest.tracks.first)
            XCTAssertEqual(own.files.first?.sha256, t.files.first?.sha256, "track \(t.number): the same MIDI file")
            XCTAssertEqual(own.loudness, t.loudness, "track \(t.number): the same audio, as loud")
        }
    }

    func testAlbumLoudnessModeKeepsRelativeLevels() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "album-tests")
        let spec = try AlbumFixtures.writeSpec(in: dir, length: "4s", formats: "[flac]", tracks: """
              - title: Soft
                seed: 3
                program: 73
              - title: Loud
                seed: 4
            """, extra: "loudness-mode: album")
        let out = dir.appendingPathComponent("out")
        let manifest = try export(spec, to: out).manifest
        XCTAssertEqual(manifest.loudness?.mode, .album)
        let gains = manifest.tracks.compactMap { $0.loudness?.gainDB }
        XCTAssertEqual(gains.count, 2)
        XCTAssertEqual(gains[0], gains[1], "one gain for the album")
        XCTAssertEqual(manifest.loudness?.albumGainDB ?? 0, gains[0], accuracy: 0.01)
        XCTAssertEqual(try XCTUnwrap(manifest.loudness?.integratedLUFS), -14, accuracy: 1.0)
        let levels = manifest.tracks.compactMap { $0.loudness?.integratedLUFS }
        let inputs = manifest.tracks.compactMap { $0.loudness?.inputLUFS }
        XCTAssertEqual(levels[1] - levels[0], inputs[1] - inputs[0], accuracy: 0.7, "relative levels kept")
        for t in manifest.tracks { XCTAssertLessThanOrEqual(try XCTUnwrap(t.loudness?.truePeakDBTP), -1.0) }
    }

    func testResumeRerendersOnlyTheDeletedFile() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "album-tests")
        let spec = try AlbumFixtures.writeSpec(in: dir, formats: "[mid, flac]")
        let out = dir.appendingPathComponent("out")
        _ = try export(spec, to: out)
        let manifestBefore = try AlbumFixtures.bytes(out.appendingPathComponent("manifest.json"))
        func inode(_ name: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(name).path)[.systemFileNumber] as? Int) ?? -1
        }
        let names = try AlbumFixtures.names(in: out).filter { $0.hasSuffix(".flac") || $0.hasSuffix(".mid") }
        let before = try Dictionary(uniqueKeysWithValues: names.map { ($0, try inode($0)) })
        let victim = "02 - Middle- Part.flac"
        try FileManager.default.removeItem(at: out.appendingPathComponent(victim))

        let again = try export(spec, to: out)
        XCTAssertEqual(again.rendered, [2])
        XCTAssertEqual(again.skipped, [1, 3])
        for n in names where n != victim { XCTAssertEqual(try inode(n), before[n], "\(n) was rewritten") }
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(victim).path))
        XCTAssertEqual(try AlbumFixtures.bytes(out.appendingPathComponent("manifest.json")), manifestBefore, "same bytes re-rendered")

        // A third run does nothing; a corrupted file is redone.
        XCTAssertEqual(try export(spec, to: out).rendered, [])
        try Data("garbage".utf8).write(to: out.appendingPathComponent("01 - Opening.mid"))
        XCTAssertEqual(try export(spec, to: out).rendered, [1])
        XCTAssertEqual(try AlbumFixtures.bytes(out.appendingPathComponent("manifest.json")), manifestBefore)
    }

    func testForeignFileNeedsForce() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "album-tests")
        let spec = try AlbumFixtures.writeSpec(in: dir, formats: "[mid]")
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: out.appendingPathComponent("03 - Closing.mid"))
        XCTAssertThrowsError(try export(spec, to: out)) { e in
            XCTAssertEqual(e as? AlbumError, .foreignFile(path: out.appendingPathComponent("03 - Closing.mid").path))
        }
        XCTAssertEqual(try AlbumFixtures.names(in: out), ["03 - Closing.mid"], "nothing written before the check")
        XCTAssertEqual(try export(spec, to: out, force: true).rendered, [1, 2, 3])
    }

    func testTwoShardsMergedEqualTheUnshardedAlbum() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "album-tests")
        let spec = try AlbumFixtures.writeSpec(in: dir, formats: "[mid, flac]")
        let whole = dir.appendingPathComponent("whole"), a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
        _ = try export(spec, to: whole)
        XCTAssertEqual(try export(spec, to: a, jobs: 1, shard: Shard(index: 1, count: 2)).rendered, [1, 3])
        XCTAssertEqual(try export(spec, to: b, jobs: 1, shard: Shard(index: 2, count: 2)).rendered, [2])
        XCTAssertFalse(FileManager.default.fileExists(atPath: a.appendingPathComponent("index.html").path))

        // Incomplete: one shard alone cannot be merged.
        XCTAssertThrowsError(try AlbumMerger(folders: [a]).run()) { e in XCTAssertTrue("\(e)".contains("tracks 2 of 3 are missing"), "\(e)") }

        try AlbumMerger(folders: [a, b]).run()
        let merged = try AlbumFixtures.names(in: a).filter { !$0.hasPrefix("manifest.shard-") }
        XCTAssertEqual(merged, try AlbumFixtures.names(in: whole))
        for name in merged {
            XCTAssertEqual(try AlbumFixtures.bytes(a.appendingPathComponent(name)), try AlbumFixtures.bytes(whole.appendingPathComponent(name)), name)
        }
        // A tampered shard file is refused.
        try Data("x".utf8).write(to: b.appendingPathComponent("02 - Middle- Part.mid"))
        let c = dir.appendingPathComponent("c")
        XCTAssertThrowsError(try AlbumMerger(folders: [a, b], output: c).run()) { e in
            XCTAssertEqual(e as? AlbumError, .hashMismatch(path: b.appendingPathComponent("02 - Middle- Part.mid").path))
        }
    }

    func testCancellationLeavesOnlyCompleteFiles() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "album-tests")
        let spec = try AlbumFixtures.writeSpec(in: dir, length: "40s", formats: "[flac]")
        let out = dir.appendingPathComponent("out")
        let cancellation = Cancellation()
        DispatchQueue.global().asyncAfter(deadline: .now() + 1.0) { cancellation.cancel() }
        XCTAssertThrowsError(try export(spec, to: out, cancellation: cancellation)) { e in
            guard case AlbumError.interrupted = e else { return XCTFail("\(e)") }
        }
        let names = try AlbumFixtures.names(in: out)
        XCTAssertFalse(names.contains { $0.hasPrefix(".") }, "temporary files left: \(names)")
        XCTAssertTrue(names.contains("manifest.json"))
        let manifest = try AlbumManifest(contentsOf: out.appendingPathComponent("manifest.json"))
        let recorded = Set(manifest.tracks.flatMap { $0.files.map(\.name) })
        XCTAssertEqual(Set(names.filter { $0.hasSuffix(".flac") }), recorded, "every audio file present is complete and recorded")
        // Resuming finishes the album.
        let done = try export(spec, to: out)
        XCTAssertEqual(done.manifest.tracks.count, 3)
    }
}
