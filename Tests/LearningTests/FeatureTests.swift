import Foundation
import MIDI
import TestSupport
import XCTest
@testable import Learning

/// The paper's features, the scaler and corpus loading.
final class FeatureTests: XCTestCase {
    func testFramesMergeTracksInTimeOrderAndSkipDrums() {
        // 480 ticks per beat at 120 BPM: 960 ticks per second.
        let a = NoteTrack(notes: [Note(pitch: 60, velocity: 90, startTick: 0, durationTicks: 480),
                                  Note(pitch: 64, velocity: 70, startTick: 960, durationTicks: 480)])
        let b = NoteTrack(notes: [Note(pitch: 67, velocity: 80, startTick: 480, durationTicks: 480, channel: 1),
                                  Note(pitch: 36, velocity: 100, startTick: 240, durationTicks: 100, channel: 9)])
        let perf = Performance(ticksPerBeat: 480, tempoMap: TempoMap(ticksPerBeat: 480), tracks: [a, b])
        let frames = PaperFeatures.frames(of: perf)
        XCTAssertEqual(frames.map(\.note), [60, 67, 64])
        XCTAssertEqual(frames.map(\.velocity), [90, 80, 70])
        XCTAssertEqual(frames.map(\.timeDelta), [0, 0.5, 0.5])
        let withDrums = PaperFeatures.frames(of: perf, configuration: FeatureConfiguration(includeDrums: true))
        XCTAssertEqual(withDrums.map(\.note), [60, 36, 67, 64])
        XCTAssertEqual(withDrums[1].timeDelta, 0.25, accuracy: 1e-12)
    }

    func testTempoChangesShapeTimeDeltas() {
        let tempo = TempoMap(ticksPerBeat: 480, changes: [.init(tick: 480, microsecondsPerBeat: 1_000_000)])
        let t = NoteTrack(notes: [0, 480, 960].map { Note(pitch: 60, velocity: 64, startTick: $0, durationTicks: 100) })
        let frames = PaperFeatures.frames(of: Performance(ticksPerBeat: 480, tempoMap: tempo, tracks: [t]))
        XCTAssertEqual(frames.map(\.timeDelta), [0, 0.5, 1.0])
    }

    func testFramesRoundTripThroughAPerformance() {
        let frames = [FeatureFrame(note: 60.2, velocity: 90, timeDelta: 0), FeatureFrame(note: 63.7, velocity: 300, timeDelta: 0.5),
                      FeatureFrame(note: -5, velocity: 0, timeDelta: -1), FeatureFrame(note: 72, velocity: 64, timeDelta: 0.25)]
        let perf = PaperFeatures.performance(from: frames)
        let back = PaperFeatures.frames(of: perf)
        XCTAssertEqual(back.map(\.note), [60, 0, 64, 72])  // same instant: ordered by pitch
        XCTAssertEqual(back.map(\.velocity), [90, 1, 127, 64])
        XCTAssertEqual(back.map(\.timeDelta).reduce(0, +), 0.75, accuracy: 1e-3)
    }

    func testScalerStandardisesAndInverts() {
        let songs = [[FeatureFrame(note: 60, velocity: 80, timeDelta: 0.5), FeatureFrame(note: 64, velocity: 100, timeDelta: 0.5)],
                     [FeatureFrame(note: 62, velocity: 90, timeDelta: 0.5)]]
        let s = StandardScaler(fitting: songs)
        XCTAssertEqual(s.mean[0], 62, accuracy: 1e-12)
        XCTAssertEqual(s.scale[0], (8.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(s.scale[2], 1, "a constant feature keeps scale 1")
        let (a, b, c) = s.transform(songs[0][1])
        let back = s.inverse(a, b, c)
        XCTAssertEqual(back.note, 64, accuracy: 1e-4)
        XCTAssertEqual(back.velocity, 100, accuracy: 1e-4)
    }

    func testCorpusLoadsInParallelAndListsUnreadableFiles() throws {
        let chorales = TestPaths.corpus.appendingPathComponent("chorales")
        let dir = try TestPaths.temporaryFolder(self, prefix: "learning-tests")
        let files = try Corpus.midiFiles(in: chorales).prefix(6)
        for f in files { try FileManager.default.copyItem(at: f, to: dir.appendingPathComponent(f.lastPathComponent)) }
        try Data("not a midi file".utf8).write(to: dir.appendingPathComponent("broken.mid"))
        let corpus = try Corpus(folder: dir)
        XCTAssertEqual(corpus.songs.count, 6)
        XCTAssertEqual(corpus.failures.count, 1)
        XCTAssertTrue(corpus.failures[0].path.hasSuffix("broken.mid"))
        XCTAssertFalse(corpus.failures[0].message.isEmpty)
        for s in corpus.songs {
            XCTAssertGreaterThan(s.frames.count, 10)
            XCTAssertTrue(s.frames.allSatisfy { (0...127).contains($0.note) && $0.timeDelta >= 0 })
        }
        let (train, val) = corpus.split(validationFraction: 0.34, seed: 3)
        XCTAssertEqual(train.count + val.count, 6)
        XCTAssertTrue(Set(train.map(\.path)).isDisjoint(with: val.map(\.path)))
        XCTAssertEqual(corpus.split(validationFraction: 0.34, seed: 3).validation.map(\.path), val.map(\.path), "split is seeded")
        XCTAssertThrowsError(try Corpus(folder: dir.appendingPathComponent("missing")))
    }
}
