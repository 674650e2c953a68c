import Foundation
import XCTest
@testable import MIDI

/// Hostile and huge inputs (issue 8 §2), small enough to run in a few seconds: each file is read,
/// converted to the note model, dumped and written back, and its content checked exactly.
/// The full-size versions (a million events, 100 MB, ten hours) are measured by Benchmarks/limits/.
final class LimitsTests: XCTestCase {
    /// Reads bytes, dumps them (returning the number of dump lines), converts to notes and back.
    private func readAll(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> (MIDIFile, Performance, Int) {
        let midi = try MIDIFile(bytes: bytes)
        var lines = 0
        var dump = EventDumpWriter { chunk in for b in chunk where b == 0x0A { lines += 1 } }
        dump.write(midi)
        let performance = Performance(midiFile: midi)
        let back = try MIDIFile(bytes: performance.midiFile().encoded())
        XCTAssertEqual(Performance(midiFile: back).noteCount, performance.noteCount, "notes -> file -> notes", file: file, line: line)
        return (midi, performance, lines)
    }

    func testFiftyThousandNotesInRunningStatus() throws {
        let n = 50_000
        let (midi, performance, lines) = try readAll(HostileMIDI.file([HostileMIDI.noteStream(notes: n)]))
        XCTAssertEqual(midi.tracks[0].events.count, 2 * n + 1)
        XCTAssertEqual(lines, 2 * n + 2, "a header line plus a line per event")
        XCTAssertEqual(midi.noteCount, n)
        XCTAssertEqual(performance.noteCount, n)
        let notes = performance.tracks[0].notes
        XCTAssertTrue(notes.allSatisfy { $0.durationTicks == 5 && $0.velocity == 100 })
        XCTAssertEqual(notes.last?.startTick, (n - 1) * 10)
        XCTAssertEqual(midi.lastTick, (n - 1) * 10 + 5)
    }

    func testTrackOfOnlySysex() throws {
        var track = HostileMIDI(reserving: 2_100_000)
        for i in 0..<8_000 { track.sysex(delta: i % 2, count: 250) }
        track.endOfTrack()
        let bytes = HostileMIDI.file(format: 0, [track])
        XCTAssertGreaterThan(bytes.count, 2_000_000)
        let (midi, performance, lines) = try readAll(bytes)
        XCTAssertEqual(midi.tracks[0].events.count, 8_001)
        XCTAssertEqual(lines, 8_002)
        for event in midi.tracks[0].events.dropLast() {
            guard case .sysex(let data) = event.message else { return XCTFail("expected sysex, got \(event.message)") }
            XCTAssertEqual(data.count, 249)
        }
        XCTAssertEqual(midi.lastTick, 4_000, "deltas alternate 0 and 1")
        XCTAssertEqual(performance.noteCount, 0)
        XCTAssertTrue(performance.tracks[0].controls.isEmpty)
    }

    func testExtremeTempos() throws {
        for tempo in [1, 16_777_215] {
            var track = HostileMIDI()
            track.tempo(microsecondsPerBeat: tempo)
            track.event(delta: 0, 0x90, 60, 1)
            track.event(delta: 480, 0x80, 60, 0)
            track.endOfTrack(delta: 480)
            let (midi, performance, _) = try readAll(HostileMIDI.file(format: 0, division: 480, [track]))
            XCTAssertEqual(midi.tempoMap.microsecondsPerBeat(atTick: 0), tempo)
            XCTAssertEqual(midi.durationSeconds, 2 * Double(tempo) / 1e6, accuracy: 1e-9)
            XCTAssertEqual(performance.seconds(atTick: 480), Double(tempo) / 1e6, accuracy: 1e-9)
            XCTAssertEqual(midi.tempoMap.tick(atSeconds: Double(tempo) / 1e6), 480)
            XCTAssertEqual(performance.tracks[0].notes, [Note(pitch: 60, velocity: 1, startTick: 0, durationTicks: 480)])
        }
    }

    func testExtremeTicksPerBeat() throws {
        for division in [1, 32_767] {
            var track = HostileMIDI()
            track.event(delta: 0, 0x90, 60, 64)
            track.event(delta: division, 0x80, 60, 0)
            track.endOfTrack()
            let (midi, performance, _) = try readAll(HostileMIDI.file(format: 0, division: UInt16(division), [track]))
            XCTAssertEqual(midi.division, .ticksPerBeat(division))
            XCTAssertEqual(performance.ticksPerBeat, division)
            XCTAssertEqual(midi.durationSeconds, 0.5, accuracy: 1e-12, "one beat at the default 120 BPM")
            XCTAssertEqual(performance.tracks[0].notes.first?.durationTicks, division)
        }
    }

    func testNotesNeverReleasedEndAtTrackEnd() throws {
        var track = HostileMIDI()
        track.event(delta: 0, 0x90, 0, 1)
        for i in 1..<5_000 { track.event(delta: 1, UInt8(i % 128), UInt8(1 + i % 127)) }   // running status, never off
        track.endOfTrack(delta: 100)
        let (_, performance, _) = try readAll(HostileMIDI.file(format: 0, [track]))
        let notes = performance.tracks[0].notes
        XCTAssertEqual(notes.count, 5_000)
        let end = 4_999 + 100
        XCTAssertTrue(notes.allSatisfy { $0.endTick == end }, "every unreleased note ends at the track's last tick")
    }

    func testStackedIdenticalNotesPairFirstInFirstOut() throws {
        // 20,000 note_ons of the same pitch at the same tick, then their note_offs one tick apart:
        // FIFO pairing must give lengths 1, 2, 3, ... and must not be quadratic.
        let n = 20_000
        var track = HostileMIDI(reserving: n * 4)
        track.event(delta: 0, 0x90, 64, 100)
        for _ in 1..<n { track.event(delta: 0, 64, 100) }
        for _ in 0..<n { track.event(delta: 1, 64, 0) }
        track.endOfTrack()
        let (_, performance, _) = try readAll(HostileMIDI.file(format: 0, [track]))
        let lengths = performance.tracks[0].notes.map(\.durationTicks)
        XCTAssertEqual(lengths, Array(1...n))
        XCTAssertTrue(performance.tracks[0].notes.allSatisfy { $0.startTick == 0 && $0.pitch == 64 })
    }

    func testTenHourPiece() throws {
        // 120 BPM, 480 ticks per beat: ten hours = 72,000 beats; a note every fourth beat, each half a beat long.
        let notes = 72_000 / 4
        var track = HostileMIDI(reserving: notes * 8)
        track.tempo(microsecondsPerBeat: 500_000)
        track.event(delta: 0, 0x90, 60, 80)
        track.event(delta: 240, 60, 0)
        for _ in 1..<notes {
            track.event(delta: 4 * 480 - 240, 62, 80)
            track.event(delta: 240, 62, 0)
        }
        track.endOfTrack(delta: 4 * 480 - 240)   // pads the last bar: exactly 72,000 beats
        let (midi, performance, _) = try readAll(HostileMIDI.file(format: 0, [track]))
        XCTAssertEqual(midi.lastTick, 72_000 * 480)
        XCTAssertEqual(midi.durationSeconds, 36_000, accuracy: 1e-6)
        XCTAssertEqual(performance.noteCount, notes)
        XCTAssertEqual(performance.durationSeconds, 36_000 - 1.75, accuracy: 1e-6, "the last note ends 3.5 beats before the end")
        XCTAssertEqual(performance.lengthSeconds, 36_000, accuracy: 1e-6, "the piece lasts to its end_of_track")
    }

    func testLongestDeltaTimesDoNotOverflow() throws {
        // 10,000 maximal delta times (0x0FFFFFFF ticks each): 2.7e12 ticks, read and timed exactly.
        var track = HostileMIDI()
        track.event(delta: 0, 0x90, 60, 100)
        for _ in 0..<10_000 { track.event(delta: 0x0FFF_FFFF, 0xFF, 0x06, 0x00) }
        track.event(delta: 0, 0x80, 60, 0)
        let (midi, performance, _) = try readAll(HostileMIDI.file(format: 0, division: 1, [track]))
        XCTAssertEqual(midi.lastTick, 10_000 * 0x0FFF_FFFF)
        XCTAssertEqual(performance.tracks[0].notes.first?.durationTicks, 10_000 * 0x0FFF_FFFF)
        XCTAssertEqual(midi.durationSeconds, Double(10_000 * 0x0FFF_FFFF) * 0.5, accuracy: 1)
    }
}
