import XCTest
@testable import MIDI

final class PerformanceTests: XCTestCase {
    private func notes(_ body: [UInt8]) throws -> [Note] {
        Performance(midiFile: try MIDIFile(bytes: SMF.file(format: 0, body))).allNotes
    }

    func testOverlappingIdenticalNotesPairFirstInFirstOut() throws {
        // on@0, on@10, off@20, off@40 (same pitch): first note 0-20, second 10-40.
        let n = try notes([0x00, 0x90, 60, 100, 0x0A, 60, 90, 0x0A, 0x80, 60, 0, 0x14, 60, 0] + SMF.eot)
        XCTAssertEqual(n, [Note(pitch: 60, velocity: 100, startTick: 0, durationTicks: 20),
                           Note(pitch: 60, velocity: 90, startTick: 10, durationTicks: 30)])
    }

    func testVelocityZeroIsNoteOffAndUnreleasedNotesEndAtTrackEnd() throws {
        let n = try notes([0x00, 0x90, 60, 100, 0x00, 64, 80, 0x10, 60, 0, 0x30, 0xFF, 0x2F, 0x00])
        XCTAssertEqual(n, [Note(pitch: 60, velocity: 100, startTick: 0, durationTicks: 16),
                           Note(pitch: 64, velocity: 80, startTick: 0, durationTicks: 64)])
    }

    func testStrayNoteOffIsIgnoredAndChannelsAreSeparate() throws {
        let n = try notes([0x00, 0x80, 60, 0, 0x00, 0x90, 60, 100, 0x00, 0x91, 60, 50, 0x05, 0x80, 60, 0, 0x05, 0x81, 60, 0] + SMF.eot)
        XCTAssertEqual(n, [Note(pitch: 60, velocity: 100, startTick: 0, durationTicks: 5, channel: 0),
                           Note(pitch: 60, velocity: 50, startTick: 0, durationTicks: 10, channel: 1)])
    }

    func testProgramIsTheChannelsLastProgramChangeAcrossTracks() throws {
        let file = try MIDIFile(bytes: SMF.file(
            [0x00, 0xC0, 40, 0x20, 0xC0, 41] + SMF.eot,                                  // ch 0: 40 at 0, 41 at 32
            [0x00, 0x90, 60, 100, 0x10, 60, 0, 0x10, 60, 100, 0x10, 60, 0, 0x00, 0xC1, 7, 0x00, 0x91, 62, 9, 0x01, 62, 0] + SMF.eot
        ))
        let perf = Performance(midiFile: file)
        XCTAssertEqual(perf.allNotes.map(\.program), [40, 41, 7])
        XCTAssertEqual(perf.tracks[1].controls.map(\.message), [.programChange(channel: 1, program: 7)])
        // Written back, each note keeps its program.
        XCTAssertEqual(Performance(midiFile: perf.midiFile()).allNotes, perf.allNotes)
    }

    func testProgramsAreInsertedWhereNotesNeedThem() throws {
        var perf = Performance(ticksPerBeat: 96)
        perf.tracks = [NoteTrack(name: "Piano", notes: [
            Note(pitch: 60, velocity: 90, startTick: 0, durationTicks: 96, channel: 0, program: 0),
            Note(pitch: 62, velocity: 90, startTick: 96, durationTicks: 96, channel: 0, program: 24),
            Note(pitch: 64, velocity: 90, startTick: 192, durationTicks: 96, channel: 0, program: 24),
        ])]
        let file = perf.midiFile()
        let pcs = file.tracks[0].events.filter { if case .programChange = $0.message { return true } else { return false } }
        XCTAssertEqual(pcs, [MIDIEvent(tick: 96, .programChange(channel: 0, program: 24))])
        let back = Performance(midiFile: file)
        XCTAssertEqual(back.allNotes, perf.allNotes)
        XCTAssertEqual(back.tracks[0].name, "Piano")
    }

    func testZeroLengthAndBackToBackNotesSurvive() throws {
        var perf = Performance(ticksPerBeat: 480, tempoMap: TempoMap(ticksPerBeat: 480, changes: [.init(tick: 0, microsecondsPerBeat: 600_000)]),
                               timeSignatures: [TimeSignatureChange(tick: 0, numerator: 3, denominator: 4)],
                               keySignatures: [KeySignatureChange(tick: 0, sharpsOrFlats: 2, minor: false)])
        perf.tracks = [NoteTrack(), NoteTrack(name: "Lead", notes: [
            Note(pitch: 60, velocity: 80, startTick: 0, durationTicks: 480),
            Note(pitch: 60, velocity: 81, startTick: 480, durationTicks: 0),
            Note(pitch: 60, velocity: 82, startTick: 480, durationTicks: 480),
            Note(pitch: 60, velocity: 83, startTick: 960, durationTicks: 240),
            Note(pitch: 67, velocity: 84, startTick: 960, durationTicks: 0),
        ], controls: [MIDIEvent(tick: 0, .controlChange(channel: 0, control: 7, value: 100))])]
        for format in [0, 1] {
            let file = perf.midiFile(format: format)
            XCTAssertEqual(file.format, format)
            let bytes = file.encoded()
            let back = Performance(midiFile: try MIDIFile(bytes: bytes))
            XCTAssertEqual(back.allNotes, perf.allNotes, "format \(format)")
            XCTAssertEqual(back.tempoMap, perf.tempoMap)
            XCTAssertEqual(back.timeSignatures, perf.timeSignatures)
            XCTAssertEqual(back.keySignatures, perf.keySignatures)
            if format == 1 {
                XCTAssertEqual(back.tracks.map(\.notes), perf.tracks.map(\.notes))
                XCTAssertEqual(back.tracks.map(\.controls), perf.tracks.map(\.controls))
                XCTAssertEqual(back.tracks.map(\.name), perf.tracks.map(\.name))
                XCTAssertEqual(back.tracks.map(\.endOfTrackTick), [0, 1200], "read tracks know where they end")
                XCTAssertEqual(Performance(midiFile: back.midiFile()), back, "a performance read from a file round-trips exactly")
            }
        }
        XCTAssertEqual(perf.endTick, 1200)
        XCTAssertEqual(perf.durationSeconds, 1.5, accuracy: 1e-12)
        XCTAssertEqual(perf.seconds(atTick: 480), 0.6, accuracy: 1e-12)
    }
}
