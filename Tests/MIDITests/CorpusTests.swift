import Foundation
import XCTest
@testable import MIDI
import Support
import TestSupport

/// Whole-corpus properties: conformance with mido's reference dumps, the manifest's figures, and round trips.
final class CorpusTests: XCTestCase {
    /// Every reference dump (written by mido) equals our dump byte for byte (all events, all fields,
    /// mido's key order).
    func testDumpsMatchMidoReferenceDumps() throws {
        guard let reference = TestPaths.sharedItem("conformance/reference"), let corpus = TestPaths.sharedCorpus else {
            throw XCTSkip("../shared/conformance/reference and ../shared/corpus not found; conformance test skipped")
        }
        let enumerator = FileManager.default.enumerator(atPath: reference.path)!
        var checked = 0
        while let rel = enumerator.nextObject() as? String {
            guard rel.hasSuffix(".jsonl") else { continue }
            let midiPath = corpus.appendingPathComponent(String(rel.dropLast(6))).path
            let expected = try String(contentsOfFile: reference.appendingPathComponent(rel).path, encoding: .utf8)
            let got = try MIDIFile(path: midiPath).dumpLines()
            var streamed: [UInt8] = []
            var writer = EventDumpWriter { streamed += $0 }
            try writer.write(contentsOfFile: midiPath)
            XCTAssertEqual(String(decoding: streamed, as: UTF8.self), got.joined(separator: "\n") + "\n", "streaming dump: \(rel)")
            let expectedLines = expected.split(separator: "\n")
            XCTAssertEqual(got.count, expectedLines.count, rel)
            for (n, (a, b)) in zip(expectedLines, got).enumerated() where a != b {
                XCTFail("\(rel) line \(n + 1): expected \(a), got \(b)")
                break
            }
            checked += 1
        }
        XCTAssertEqual(checked, 91, "reference dumps compared")
    }

    /// Format, tracks, division, note count and duration agree with manifest.tsv (computed with mido):
    /// the shared corpus's 2,207 files, or the sample corpus's 300 in a user's clone.
    func testSummariesMatchManifest() throws {
        try checkManifest(of: TestPaths.corpus, expectedFiles: TestPaths.usesSharedCorpus ? 2207 : 300)
    }

    /// The sample corpus shipped in Samples/Corpus (always present) agrees with its own manifest,
    /// and its files survive both round trips.
    func testSampleCorpusMatchesItsManifestAndRoundTrips() throws {
        let samples = TestPaths.sampleCorpus
        try checkManifest(of: samples, expectedFiles: 300)
        for path in MIDIInspector.collect([samples.path]).map(\.path) {
            let file = try MIDIFile(path: path)
            XCTAssertEqual(try MIDIFile(bytes: file.encoded()), file, path)
            let perf = Performance(midiFile: file)
            XCTAssertEqual(Performance(midiFile: try MIDIFile(bytes: perf.midiFile().encoded())).allNotes, perf.allNotes, path)
        }
    }

    private func checkManifest(of folder: URL, expectedFiles: Int) throws {
        let manifest = try String(contentsOfFile: folder.appendingPathComponent("manifest.tsv").path, encoding: .utf8)
        var rows = manifest.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let header = rows.removeFirst()
        func col(_ name: String) -> Int { header.firstIndex(of: name)! }
        XCTAssertEqual(rows.count, expectedFiles)
        XCTAssertEqual(MIDIInspector.collect([folder.path]).count, expectedFiles, "every MIDI file is in the manifest")
        for row in rows {
            let path = folder.appendingPathComponent(row[col("path")]).path
            let s = MIDIFileSummary(try MIDIFile(path: path))
            let bytes = try FileBytes.read(path: path)
            XCTAssertEqual(bytes.count, Int(row[col("bytes")]), path)
            XCTAssertEqual(try bytes.withUnsafeBytes { try MIDIFileSummary(bytes: $0) }, s, "streaming summary: \(path)")
            XCTAssertEqual(s.format, Int(row[col("format")]), path)
            XCTAssertEqual(s.tracks, Int(row[col("tracks")]), path)
            XCTAssertEqual(s.division, .ticksPerBeat(Int(row[col("ticks_per_beat")])!), path)
            XCTAssertEqual(s.notes, Int(row[col("notes")]), path)
            let seconds = Double(row[col("seconds")])!
            XCTAssertEqual(s.durationSeconds, seconds, accuracy: 0.0005 + 1e-9, path)  // manifest rounds to ms
        }
    }

    /// file -> events -> bytes -> events gives the same events, and encoding is deterministic.
    func testEventRoundTripOverWholeCorpus() throws {
        for path in Fixtures.corpusFiles() {
            let file = try MIDIFile(path: path)
            let bytes = file.encoded()
            let again = try MIDIFile(bytes: bytes)
            var expected = file
            for t in expected.tracks.indices {
                if case .meta(.endOfTrack)? = expected.tracks[t].events.last?.message {} else {
                    expected.tracks[t].events.append(MIDIEvent(tick: expected.tracks[t].events.last?.tick ?? 0, .meta(.endOfTrack)))
                }
            }
            XCTAssertEqual(again, expected, path)
            XCTAssertEqual(again.encoded(), bytes, "byte-exact re-encoding: \(path)")
        }
    }

    /// file -> notes -> file -> notes gives the same notes (and the same whole performance).
    func testNoteRoundTripOverWholeCorpus() throws {
        var notes = 0
        for path in Fixtures.corpusFiles() {
            let perf = Performance(midiFile: try MIDIFile(path: path))
            let back = Performance(midiFile: try MIDIFile(bytes: perf.midiFile().encoded()))
            XCTAssertEqual(back.allNotes, perf.allNotes, path)
            XCTAssertEqual(back.tracks.map(\.notes), perf.tracks.map(\.notes), path)
            XCTAssertEqual(back.tempoMap, perf.tempoMap, path)
            XCTAssertEqual(back.timeSignatures, perf.timeSignatures, path)
            XCTAssertEqual(back.keySignatures, perf.keySignatures, path)
            XCTAssertEqual(back.tracks.map(\.name), perf.tracks.map(\.name), path)
            notes += perf.noteCount
        }
        // The manifests' note totals: 777,591 in the shared corpus, 75,098 in the sample corpus.
        XCTAssertEqual(notes, TestPaths.usesSharedCorpus ? 777_591 : 75_098, "every note_on with velocity > 0 of the corpus becomes a note")
    }
}

