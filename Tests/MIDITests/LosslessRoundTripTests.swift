import Foundation
import Support
import TestSupport
import XCTest
@testable import MIDI

/// Everything a file holds survives the note model: read -> Performance -> write -> read gives the same notes,
/// the same sysex and meta events at the same ticks in the same tracks, the same end_of_track times and format.
final class LosslessRoundTripTests: XCTestCase {
    /// A track body with every meta kind, sysex packets and notes; its end_of_track comes 2 bars after the last note.
    static func everyMetaKindTrack(channel: UInt8 = 0) -> [UInt8] {
        var b: [UInt8] = []
        b += [0x00, 0xFF, 0x00, 0x02, 0x00, 0x07]                       // sequence_number 7
        b += [0x00, 0xFF, 0x03, 0x05] + Array("Piano".utf8)              // track_name
        for (type, text) in [(0x01, "text"), (0x02, "(c) 2026"), (0x04, "Grand"), (0x08, "Prog"), (0x09, "Dev")] as [(UInt8, String)] {
            b += [0x00, 0xFF, type, UInt8(text.utf8.count)] + Array(text.utf8)
        }
        b += [0x00, 0xFF, 0x20, 0x01, channel]                          // channel_prefix
        b += [0x00, 0xFF, 0x21, 0x01, 0x01]                             // midi_port
        b += [0x00, 0xFF, 0x54, 0x05, 0x61, 0x00, 0x00, 0x00, 0x00]     // smpte_offset (30 fps, hour 1)
        b += [0x00, 0xF0, 0x05, 0x7E, 0x7F, 0x09, 0x01, 0xF7]           // GM reset sysex
        b += [0x00, 0xF7, 0x02, 0x43, 0x12]                             // escape packet
        b += [0x00, 0xFF, 0x7F, 0x03, 0x00, 0x00, 0x41]                 // sequencer_specific
        b += [0x00, 0xFF, 0x60, 0x02, 0x01, 0x02]                       // unknown meta type 0x60
        b += [0x00, 0xC0 | channel, 0x05]
        b += [0x00, 0xFF, 0x05, 0x03] + Array("la ".utf8)                // lyrics at the onset
        b += [0x00, 0x90 | channel, 60, 100]
        b += [0x83, 0x60, 0xFF, 0x06, 0x01, 0x41]                       // marker at 480
        b += [0x00, 0x80 | channel, 60, 0]
        b += [0x00, 0xFF, 0x07, 0x03] + Array("cue".utf8)                // cue_point at 480
        b += [0x00, 0xB0 | channel, 0x07, 0x64]
        b += [0x00, 0xFF, 0x05, 0x02] + Array("lo".utf8)
        b += [0x00, 0x90 | channel, 62, 90, 0x83, 0x60, 0x80 | channel, 62, 0]
        b += [0x00, 0xF0, 0x03, 0x43, 0x10, 0xF7]                       // sysex at 960
        b += [0x8F, 0x00, 0xFF, 0x2F, 0x00]                             // end_of_track at 960 + 1920
        return b
    }

    static let conductor: [UInt8] = [0x00, 0xFF, 0x03, 0x04] + Array("Cond".utf8)
        + [0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20, 0x00, 0xFF, 0x58, 0x04, 0x06, 0x03, 0x24, 0x08,
           0x00, 0xFF, 0x59, 0x02, 0xFD, 0x01, 0x83, 0x60, 0xFF, 0x51, 0x03, 0x09, 0x27, 0xC0, 0x00, 0xFF, 0x2F, 0x00]

    /// Sysex and non-conductor meta events per track, with ticks, in file order (what the model carries unread).
    static func carried(_ file: MIDIFile) -> [[MIDIEvent]] {
        file.tracks.enumerated().map { t, track in
            track.events.filter { e in
                switch e.message {
                case .sysex, .sysexEscape: return true
                case .meta(.endOfTrack): return false
                case .meta(.setTempo), .meta(.timeSignature), .meta(.keySignature): return file.format == 2 && t > 0
                case .meta: return true
                default: return false
                }
            }
        }
    }

    static func endOfTrackTicks(_ file: MIDIFile) -> [Int?] {
        file.tracks.map { $0.events.first { $0.message == .meta(.endOfTrack) }?.tick }
    }

    /// Reads `bytes`, writes the performance and reads it back; asserts every guarantee; returns the written file.
    @discardableResult
    static func assertRoundTrip(_ bytes: [UInt8], _ what: String, file: StaticString = #filePath, line: UInt = #line) throws -> MIDIFile {
        let original = try MIDIFile.reading(bytes: bytes).file
        let performance = try bytes.withUnsafeBytes { raw throws(MIDIError) in try Performance.read(bytes: raw) }.performance
        XCTAssertEqual(performance, Performance(midiFile: original), "\(what): streaming and event-list reading agree", file: file, line: line)
        let written = performance.encodedMIDI()
        let back = try MIDIFile(bytes: written)
        XCTAssertEqual(back.format, original.format, "\(what): format", file: file, line: line)
        XCTAssertEqual(back.tracks.count, original.format == 0 ? 1 : max(1, original.tracks.count), "\(what): track count", file: file, line: line)
        if original.format != 0 || original.tracks.count == 1 {
            XCTAssertEqual(carried(back), carried(original) + Array(repeating: [], count: max(0, back.tracks.count - original.tracks.count)),
                           "\(what): sysex and meta events at their ticks and tracks", file: file, line: line)
        } else {
            XCTAssertEqual(carried(back).joined().count, carried(original).joined().count, "\(what): sysex and meta events", file: file, line: line)
        }
        let expectedEnds = original.tracks.map { track -> Int? in
            guard let eot = track.events.first(where: { $0.message == .meta(.endOfTrack) })?.tick else { return nil }
            return max(eot, track.events.last?.tick ?? 0)
        }
        for (t, end) in expectedEnds.enumerated() {
            if let end { XCTAssertEqual(endOfTrackTicks(back)[t], end, "\(what): track \(t) end_of_track", file: file, line: line) }
        }
        let again = Performance(midiFile: back)
        XCTAssertEqual(again.tracks.map(\.notes), performance.tracks.map(\.notes), "\(what): notes", file: file, line: line)
        XCTAssertEqual(again.tracks.map(\.otherEvents), performance.tracks.map(\.otherEvents), "\(what): other events", file: file, line: line)
        XCTAssertEqual(again.tracks.map(\.name), performance.tracks.map(\.name), "\(what): names", file: file, line: line)
        XCTAssertEqual(again.tempoMap, performance.tempoMap, "\(what): tempo map", file: file, line: line)
        XCTAssertEqual(again.timeSignatures, performance.timeSignatures, "\(what): time signatures", file: file, line: line)
        XCTAssertEqual(again.keySignatures, performance.keySignatures, "\(what): key signatures", file: file, line: line)
        for (a, b) in zip(again.tracks, performance.tracks) {
            // Controls come back, plus program changes inserted where a note's program needs one.
            let extra = a.controls.count - b.controls.count
            XCTAssertGreaterThanOrEqual(extra, 0, "\(what): controls", file: file, line: line)
            if extra == 0 { XCTAssertEqual(a.controls, b.controls, "\(what): controls", file: file, line: line) }
        }
        // Writing again is a fixed point.
        // Writing again is a fixed point: the same events (a channel switching programs between notes of one tick
        // may gain program changes, placed before the onsets of that tick).
        let rewritten = again.encodedMIDI()
        if rewritten != written {
            func withoutPrograms(_ bytes: [UInt8]) -> [[MIDIEvent]] {
                MIDIFile.reading(bytesOrEmpty: bytes).map { $0.filter { if case .programChange = $0.message { return false }; return true } }
            }
            let a = withoutPrograms(written), b = withoutPrograms(rewritten)
            if a != b {
                let diff = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }.map { "track \($0.offset): first difference at event \(zip($0.element.0, $0.element.1).enumerated().first { $0.element.0 != $0.element.1 }.map { "\($0.offset): \($0.element.0) vs \($0.element.1)" } ?? "count")" }
                XCTFail("\(what): a second round trip changes the file (\(diff ?? "track count"))", file: file, line: line)
            }
        }
        return back
    }

    func testEveryMetaKindSurvivesInFormats0And1And2() throws {
        let track = Self.everyMetaKindTrack()
        let format0 = SMF.file(format: 0, track)
        let back0 = try Self.assertRoundTrip(format0, "format 0")
        XCTAssertEqual(back0.format, 0)
        let format1 = SMF.file(format: 1, Self.conductor, track, Self.everyMetaKindTrack(channel: 1))
        let back1 = try Self.assertRoundTrip(format1, "format 1")
        // The lyrics and markers are where they were.
        XCTAssertEqual(back1.tracks[1].events.filter { if case .meta(.text(.lyrics, _)) = $0.message { return true }; return false }.map(\.tick), [0, 480])
        XCTAssertTrue(back1.tracks[1].events.contains(MIDIEvent(tick: 0, .sysex(data: [0x7E, 0x7F, 0x09, 0x01]))))
        XCTAssertEqual(back1.tracks[1].events.last, MIDIEvent(tick: 2880, .meta(.endOfTrack)))
        // Time signature details are kept.
        XCTAssertTrue(back1.tracks[0].events.contains(MIDIEvent(tick: 0, .meta(.timeSignature(numerator: 6, denominatorPower: 3, clocksPerClick: 36, thirtySecondNotesPerBeat: 8)))))
        // Format 2: tempo of a later pattern stays in that pattern.
        let pattern2: [UInt8] = [0x00, 0xFF, 0x51, 0x03, 0x0F, 0x42, 0x40] + Self.everyMetaKindTrack()
        let format2 = SMF.file(format: 2, Self.conductor, Self.everyMetaKindTrack(), pattern2)
        let back2 = try Self.assertRoundTrip(format2, "format 2")
        XCTAssertEqual(back2.format, 2)
        XCTAssertEqual(back2.tracks[2].events.first, MIDIEvent(tick: 0, .meta(.setTempo(microsecondsPerBeat: 1_000_000))))
    }

    func testDurationLastsToEndOfTrack() throws {
        let p = try Performance.read(bytes: SMF.file(Self.everyMetaKindTrack())).performance
        XCTAssertEqual(p.endTick, 960, "the notes end at beat 2")
        XCTAssertEqual(p.lengthTick, 2880, "the closing rest counts")
        XCTAssertEqual(p.lengthSeconds, 3.0, accuracy: 1e-9)
        // Format 2 lasts as long as its patterns one after another.
        let two = try Performance.read(bytes: SMF.file(format: 2, Self.everyMetaKindTrack(), Self.everyMetaKindTrack())).performance
        XCTAssertEqual(two.lengthTick, 5760)
        let sequenced = two.sequencedForPlayback()
        XCTAssertEqual(sequenced.format, 1)
        XCTAssertEqual(sequenced.tracks[1].notes.map(\.startTick), [2880, 3360])
        XCTAssertEqual(sequenced.tracks[1].endOfTrackTick, 5760)
    }

    func testRenamedAndUnnamedTracks() throws {
        var p = try Performance.read(bytes: SMF.file(Self.everyMetaKindTrack())).performance
        XCTAssertEqual(p.tracks[0].name, "Piano")
        p.tracks[0].name = "Keys"
        var back = Performance(midiFile: try MIDIFile(bytes: p.encodedMIDI()))
        XCTAssertEqual(back.tracks[0].name, "Keys")
        XCTAssertEqual(back.tracks[0].otherEvents.filter { if case .meta(.text(.trackName, _)) = $0.message { return true }; return false }.count, 1)
        p.tracks[0].name = nil
        back = Performance(midiFile: try MIDIFile(bytes: p.encodedMIDI()))
        XCTAssertNil(back.tracks[0].name)
        // A generated track's name is written at tick 0.
        let generated = Performance(tracks: [NoteTrack(name: "Lead", notes: [Note(pitch: 60, velocity: 90, startTick: 0, durationTicks: 240)])])
        XCTAssertEqual(Performance(midiFile: try MIDIFile(bytes: generated.encodedMIDI())).tracks[0].name, "Lead")
        XCTAssertEqual(generated.midiFile(), try MIDIFile(bytes: generated.encodedMIDI()))
    }

    func testNoteModelStorageIsCompact() {
        XCTAssertLessThanOrEqual(MemoryLayout<Note>.stride, 32, "a note (two events) in at most 32 bytes")
        XCTAssertLessThanOrEqual(MemoryLayout<MIDIEvent>.stride, 48, "a control or other event in at most 48 bytes")
    }

    /// Every file of the corpus: the round trip keeps notes, sysex and meta events, end_of_track times and format.
    func testCorpusRoundTrip() throws {
        var checked = 0, notes = 0, carried = 0, failures = 0
        for path in Fixtures.corpusFiles() {
            let bytes = try FileBytes.read(path: path)
            guard (try? MIDIFile.reading(bytes: bytes)) != nil else { continue }
            let before = testRun?.failureCount ?? 0
            let back = try Self.assertRoundTrip(bytes, path)
            if (testRun?.failureCount ?? 0) > before { failures += 1; if failures > 5 { break } }
            checked += 1
            notes += back.noteCount
            carried += Self.carried(back).reduce(0) { $0 + $1.count }
        }
        print("corpus round trip: \(checked) files, \(notes) notes, \(carried) sysex/meta events kept")
        XCTAssertGreaterThan(checked, TestPaths.usesSharedCorpus ? 2000 : 250)
    }
}

extension MIDIFile {
    /// The events per track of `bytes` (empty when unreadable), for messages.
    fileprivate static func reading(bytesOrEmpty bytes: [UInt8]) -> [[MIDIEvent]] {
        ((try? MIDIFile(bytes: bytes))?.tracks ?? []).map(\.events)
    }
}
