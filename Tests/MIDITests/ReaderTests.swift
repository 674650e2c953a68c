import TestSupport
import XCTest
@testable import MIDI
import Support

final class ReaderTests: XCTestCase {
    func testEveryChannelMessageAndRunningStatus() throws {
        let body: [UInt8] = [
            0x00, 0x90, 60, 100,        // note_on
            0x10, 62, 90,               // running status note_on at +16
            0x00, 0x80, 60, 64,         // note_off
            0x00, 0xA1, 61, 20,         // polytouch ch 1
            0x00, 0xB2, 7, 110,         // control_change ch 2
            0x00, 0xC3, 5,              // program_change ch 3
            0x00, 0xD4, 33,             // aftertouch ch 4
            0x00, 0xE5, 0x00, 0x40,     // pitchwheel centre
            0x00, 0xE5, 0x7F, 0x7F,     // max
            0x00, 0xE5, 0x00, 0x00,     // min
        ] + SMF.eot
        let file = try MIDIFile(bytes: SMF.file(format: 0, body))
        let m = file.tracks[0].events.map(\.message)
        XCTAssertEqual(m, [
            .noteOn(channel: 0, note: 60, velocity: 100), .noteOn(channel: 0, note: 62, velocity: 90),
            .noteOff(channel: 0, note: 60, velocity: 64), .polyTouch(channel: 1, note: 61, value: 20),
            .controlChange(channel: 2, control: 7, value: 110), .programChange(channel: 3, program: 5),
            .aftertouch(channel: 4, value: 33), .pitchWheel(channel: 5, pitch: 0), .pitchWheel(channel: 5, pitch: 8191),
            .pitchWheel(channel: 5, pitch: -8192), .meta(.endOfTrack),
        ])
        XCTAssertEqual(file.tracks[0].events.map(\.tick), [0, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16])
        XCTAssertEqual(file.format, 0)
        XCTAssertEqual(file.division, .ticksPerBeat(480))
    }

    func testRunningStatusContinuesAfterMetaAndSysex() throws {
        let body: [UInt8] = [
            0x00, 0x90, 60, 100,
            0x00, 0xFF, 0x01, 0x02, 0x68, 0x69,   // text "hi"
            0x05, 64, 100,                        // running status after meta
            0x00, 0xF0, 0x03, 0x7E, 0x01, 0xF7,   // sysex
            0x05, 67, 100,                        // running status after sysex
        ] + SMF.eot
        let events = try MIDIFile(bytes: SMF.file(body)).tracks[0].events
        XCTAssertEqual(events.map(\.message), [
            .noteOn(channel: 0, note: 60, velocity: 100), .meta(.text(.text, [0x68, 0x69])),
            .noteOn(channel: 0, note: 64, velocity: 100), .sysex(data: [0x7E, 0x01]),
            .noteOn(channel: 0, note: 67, velocity: 100), .meta(.endOfTrack),
        ])
        XCTAssertEqual(events.map(\.tick), [0, 0, 5, 5, 10, 10])
    }

    func testMetaEventsAndSysexEscape() throws {
        let body: [UInt8] = [
            0x00, 0xFF, 0x00, 0x02, 0x00, 0x07,                  // sequence number 7
            0x00, 0xFF, 0x03, 0x03, 0x42, 0x61, 0x73,            // track name "Bas"
            0x00, 0xFF, 0x20, 0x01, 0x02,                        // channel prefix
            0x00, 0xFF, 0x21, 0x01, 0x01,                        // port
            0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20,            // tempo 500000
            0x00, 0xFF, 0x54, 0x05, 0x60, 0x01, 0x02, 0x03, 0x04, // smpte offset
            0x00, 0xFF, 0x58, 0x04, 0x06, 0x03, 0x24, 0x08,      // 6/8
            0x00, 0xFF, 0x59, 0x02, 0xFD, 0x01,                  // 3 flats minor
            0x00, 0xFF, 0x7F, 0x02, 0x00, 0x41,                  // sequencer specific
            0x00, 0xFF, 0x60, 0x01, 0x09,                        // unknown meta
            0x00, 0xF7, 0x02, 0xF3, 0x01,                        // escape
        ] + SMF.eot
        let events = try MIDIFile(bytes: SMF.file(body)).tracks[0].events.map(\.message)
        XCTAssertEqual(events, [
            .meta(.sequenceNumber(7)), .meta(.text(.trackName, Array("Bas".utf8))), .meta(.channelPrefix(2)),
            .meta(.port(1)), .meta(.setTempo(microsecondsPerBeat: 500_000)), .meta(.smpteOffset([0x60, 1, 2, 3, 4])),
            .meta(.timeSignature(numerator: 6, denominatorPower: 3, clocksPerClick: 36, thirtySecondNotesPerBeat: 8)),
            .meta(.keySignature(sharpsOrFlats: -3, minor: true)), .meta(.sequencerSpecific([0, 0x41])),
            .meta(.unknown(type: 0x60, data: [9])), .sysexEscape(data: [0xF3, 0x01]), .meta(.endOfTrack),
        ])
        let dump = try MIDIFile(bytes: SMF.file(body)).dumpLines()
        XCTAssertTrue(dump.contains(#"{"track":0,"tick":0,"type":"key_signature","key":"Cm"}"#), "\(dump)")
        XCTAssertTrue(dump.contains(#"{"track":0,"tick":0,"type":"time_signature","numerator":6,"denominator":8,"clocks_per_click":36,"notated_32nd_notes_per_beat":8}"#))
        XCTAssertTrue(dump.contains(#"{"track":0,"tick":0,"type":"track_name","name":"Bas"}"#))
    }

    func testSMPTEDivision() throws {
        // -25 fps (0xE7), 40 ticks per frame.
        let file = try MIDIFile(bytes: SMF.file(division: 0xE728, [0x00, 0x90, 60, 1, 0x83, 0x60, 0x80, 60, 0] + SMF.eot))
        XCTAssertEqual(file.division, .smpte(framesPerSecond: 25, ticksPerFrame: 40))
        XCTAssertEqual(file.dumpLines().first, #"{"format":1,"tracks":1,"smpte_fps":25,"ticks_per_frame":40}"#)
        // 1000 ticks at 1000 ticks per second = 1 s, whatever the tempo.
        XCTAssertEqual(file.durationSeconds, 0.48, accuracy: 1e-12)  // 480 ticks at 1000 ticks per second
        XCTAssertEqual(try MIDIFile(bytes: file.encoded()), file)
        // The note model keeps the SMPTE timing through a round trip.
        let perf = Performance(midiFile: file)
        XCTAssertEqual(perf.allNotes.first?.durationTicks, 480)
        XCTAssertEqual(perf.durationSeconds, 0.48, accuracy: 1e-12)
        let back = perf.midiFile()
        XCTAssertEqual(back.division, .smpte(framesPerSecond: 25, ticksPerFrame: 40))
        XCTAssertEqual(Performance(midiFile: back), perf)
    }

    func testToleratedQuirks() throws {
        // Trailing garbage, an unknown chunk before the track, a missing end_of_track, velocity-0 note-off.
        let body: [UInt8] = [0x00, 0x90, 60, 100, 0x60, 60, 0]
        var bytes = SMF.header(tracks: 1) + Array("XFIH".utf8) + SMF.be32(3) + [1, 2, 3] + SMF.track(body)
        bytes += [0x00, 0x01, 0x02, 0xFF]
        let file = try MIDIFile(bytes: bytes)
        XCTAssertEqual(file.tracks.count, 1)
        XCTAssertEqual(file.tracks[0].events.map(\.message), [.noteOn(channel: 0, note: 60, velocity: 100), .noteOn(channel: 0, note: 60, velocity: 0)])
        XCTAssertEqual(Performance(midiFile: file).allNotes, [Note(pitch: 60, velocity: 100, startTick: 0, durationTicks: 96)])
        // A header chunk longer than 6 bytes is skipped over.
        let long = SMF.header(tracks: 1, length: 10) + SMF.track(SMF.eot)
        XCTAssertEqual(try MIDIFile(bytes: long).tracks.count, 1)
    }

    func testEventsAreCompact() {
        // The in-memory model costs 24 bytes per event (about 6-8x the 3-4 bytes an event takes in a file).
        XCTAssertLessThanOrEqual(MemoryLayout<MIDIEvent>.stride, 24)
    }

    func testFourByteVLQIsAccepted() throws {
        let body: [UInt8] = [0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0x2F, 0x00]
        let file = try MIDIFile(bytes: SMF.file(body))
        XCTAssertEqual(file.tracks[0].events.first?.tick, 0x0FFF_FFFF)
    }

    func testFileErrorsNameThePath() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "midi-tests")
        XCTAssertThrowsError(try MIDIFile(contentsOf: dir.appendingPathComponent("none.mid"))) { error in
            XCTAssertEqual(error as? FileError, .notFound(path: dir.appendingPathComponent("none.mid").path))
            XCTAssertTrue("\(error)".hasSuffix("none.mid: no such file or directory"))
        }
        XCTAssertThrowsError(try MIDIFile(contentsOf: dir)) { error in
            XCTAssertEqual(error as? FileError, .isDirectory(path: dir.path))
        }
        let bad = dir.appendingPathComponent("bad.mid")
        try Data("hello".utf8).write(to: bad)
        XCTAssertThrowsError(try MIDIFile(contentsOf: bad)) { error in
            XCTAssertEqual((error as? MIDIError)?.path, bad.path)
            XCTAssertEqual("\(error)", "\(bad.path): not a Standard MIDI File: it does not start with an MThd header chunk (at byte 0)")
        }
    }
}
