import Foundation
import MIDI
@testable import Rendering
import TestSupport
import XCTest

/// Audio lasts at least to the file's end (its tracks' end_of_track), and format-2 patterns play one after another.
final class PlaybackLengthTests: XCTestCase {
    typealias S = RenderTestSupport

    /// A quarter note then a closing rest: the track ends at beat 8 (4 s at 120 BPM).
    func loop() -> Performance {
        var p = S.performance([Note(pitch: 69, velocity: 100, startTick: 0, durationTicks: 480)])
        p.tracks[0].endOfTrackTick = 8 * 480
        return p
    }

    func testScheduleRunsToEndOfTrack() {
        let schedule = SynthSchedule(performance: loop(), sampleRate: 44_100)
        XCTAssertEqual(schedule.events.last?.frame, 22_050, "the last note-off at 0.5 s")
        XCTAssertEqual(schedule.endFrame, 4 * 44_100, "the music ends at the end_of_track, 4 s")
    }

    func testRenderKeepsTheClosingRestThenTheTail() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        let (summary, audio) = try S.render(loop(), dir, "loop.wav")
        XCTAssertEqual(summary.musicFrames, 4 * 44_100)
        XCTAssertGreaterThanOrEqual(audio.frames, 4 * 44_100, "a loop keeps its length")
        XCTAssertLessThanOrEqual(Double(audio.frames) / 44_100, 4 + 5.01, "then at most the tail")
        // The note sounds at the start; the end is silent rest.
        let left = audio.left
        XCTAssertGreaterThan(left[1000 ..< 20_000].map(abs).max() ?? 0, 0.01)
        XCTAssertLessThan(left[(3 * 44_100) ..< (4 * 44_100)].map(abs).max() ?? 1, 1e-3)
    }

    func testFormat2PatternsPlayOneAfterAnother() throws {
        var p = Performance(ticksPerBeat: 480, tempoMap: TempoMap(ticksPerBeat: 480), tracks: [
            NoteTrack(notes: [Note(pitch: 60, velocity: 100, startTick: 0, durationTicks: 480)], endOfTrackTick: 4 * 480),
            NoteTrack(notes: [Note(pitch: 69, velocity: 100, startTick: 0, durationTicks: 480)], endOfTrackTick: 2 * 480),
        ], format: 2)
        var schedule = SynthSchedule(performance: p, sampleRate: 44_100)
        let onsets = schedule.events.filter { $0.kind == .noteOn }.map { ($0.data1, $0.frame) }
        XCTAssertEqual(onsets.map(\.0), [60, 69])
        XCTAssertEqual(onsets.map(\.1), [0, 2 * 44_100], "the second pattern starts where the first ends (beat 4 = 2 s)")
        XCTAssertEqual(schedule.endFrame, 3 * 44_100, "both patterns: 6 beats")
        // As format 1 the same tracks sound together.
        p.format = 1
        schedule = SynthSchedule(performance: p, sampleRate: 44_100)
        XCTAssertEqual(schedule.events.filter { $0.kind == .noteOn }.map(\.frame), [0, 0])
        XCTAssertEqual(schedule.endFrame, 2 * 44_100)
        // MIDI output keeps format 2.
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        p.format = 2
        _ = try RendererRegistry.standard.render(p, to: dir.appendingPathComponent("p.mid"), options: RenderOptions([:]), overwrite: true)
        XCTAssertEqual(try MIDIFile(path: dir.appendingPathComponent("p.mid").path).format, 2)
    }
}
