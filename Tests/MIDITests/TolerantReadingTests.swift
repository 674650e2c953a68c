import Foundation
import Support
import XCTest
@testable import MIDI
import TestSupport

/// Damaged files built byte by byte: tolerant reading keeps what is readable and warns once per problem with its
/// byte offset; strict reading refuses the same bytes with a ``MIDIError``.
final class TolerantReadingTests: XCTestCase {
    /// A note (C4, 1 beat) on channel 0: 8 bytes.
    static let note: [UInt8] = [0x00, 0x90, 60, 100, 0x83, 0x60, 0x80, 60, 0x00]
    /// A second note (E4) after the first.
    static let note2: [UInt8] = [0x00, 0x90, 64, 90, 0x83, 0x60, 0x80, 64, 0x00]

    private func tolerant(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> PerformanceReading {
        let reading = try bytes.withUnsafeBytes { raw throws(MIDIError) in try Performance.read(bytes: raw, strict: false) }
        // The event-level reader and the dump see the same problems.
        let events = try MIDIFile.reading(bytes: bytes, strict: false)
        XCTAssertEqual(events.warnings, reading.warnings, file: file, line: line)
        return reading
    }

    private func assertStrictRefuses(_ bytes: [UInt8], _ kind: MIDIError.Kind, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try MIDIFile(bytes: bytes), file: file, line: line) { error in
            XCTAssertEqual((error as? MIDIError)?.kind, kind, "\(error)", file: file, line: line)
        }
        XCTAssertThrowsError(try bytes.withUnsafeBytes { raw throws(MIDIError) in try Performance.read(bytes: raw, strict: true) },
                             file: file, line: line)
    }

    /// The offset of the first occurrence of `pattern` in `bytes`.
    private func offset(of pattern: [UInt8], in bytes: [UInt8]) -> Int {
        (0 ... bytes.count - pattern.count).first { Array(bytes[$0 ..< $0 + pattern.count]) == pattern }!
    }

    func testKeySignatureWithModeByte255IsKeptAsMajorWithAWarning() throws {
        let meta: [UInt8] = [0xFF, 0x59, 0x02, 0x02, 0xFF]
        let bytes = SMF.file([0x00] + meta + Self.note + SMF.eot)
        let reading = try tolerant(bytes)
        XCTAssertEqual(reading.performance.noteCount, 1)
        XCTAssertEqual(reading.performance.keySignatures, [KeySignatureChange(tick: 0, sharpsOrFlats: 2, minor: false)])
        XCTAssertEqual(reading.warnings.map(\.kind), [.keySignatureOutOfRange])
        XCTAssertEqual(reading.warnings.first?.offset, offset(of: meta, in: bytes))
        XCTAssertTrue(reading.warnings[0].description.contains("mode 255"), reading.warnings[0].description)
        assertStrictRefuses(bytes, .badEvent)
    }

    func testKeySignatureWithNineSharpsIsDroppedWithAWarning() throws {
        for sharps: UInt8 in [8, 9, 10] {
            let bytes = SMF.file([0x00, 0xFF, 0x59, 0x02, sharps, 0x00] + Self.note + SMF.eot)
            let reading = try tolerant(bytes)
            XCTAssertEqual(reading.performance.noteCount, 1)
            XCTAssertEqual(reading.performance.keySignatures, [])
            XCTAssertEqual(reading.warnings.map(\.kind), [.keySignatureOutOfRange])
            XCTAssertEqual(reading.warnings.first?.offset, 14 + 8 + 1)
            assertStrictRefuses(bytes, .badEvent)
        }
    }

    func testTwoByteTimeSignatureIsCompletedWithTheStandardValues() throws {
        let bytes = SMF.file([0x00, 0xFF, 0x58, 0x02, 0x03, 0x03] + Self.note + SMF.eot)
        let reading = try tolerant(bytes)
        XCTAssertEqual(reading.performance.timeSignatures,
                       [TimeSignatureChange(tick: 0, numerator: 3, denominator: 8, clocksPerClick: 24, thirtySecondNotesPerBeat: 8)])
        XCTAssertEqual(reading.warnings.map(\.kind), [.shortTimeSignature])
        XCTAssertEqual(reading.performance.noteCount, 1)
        assertStrictRefuses(bytes, .badEvent)
    }

    func testDamagedTempoMetaIsDroppedAndTheRestKept() throws {
        let bytes = SMF.file([0x00, 0xFF, 0x51, 0x02, 0x07, 0xA1] + Self.note + [0x00, 0xFF, 0x05, 0x02, 0x6C, 0x61] + SMF.eot)
        let reading = try tolerant(bytes)
        XCTAssertEqual(reading.warnings.map(\.kind), [.damagedMeta])
        XCTAssertEqual(reading.performance.tempoMap.changes.count, 0, "the damaged tempo is not used")
        XCTAssertEqual(reading.performance.noteCount, 1)
        XCTAssertEqual(reading.performance.tracks[0].otherEvents.map(\.message), [.meta(.text(.lyrics, [0x6C, 0x61]))])
        assertStrictRefuses(bytes, .badEvent)
    }

    func testStrayRealTimeBytesAreSkippedAndReportedOnce() throws {
        // Three clock bytes as events of their own, one between the notes.
        let bytes = SMF.file([0x00, 0xF8, 0x00, 0xFA] + Self.note + [0x00, 0xF8] + Self.note2 + SMF.eot)
        let reading = try tolerant(bytes)
        XCTAssertEqual(reading.performance.noteCount, 2)
        XCTAssertEqual(reading.performance.tracks[0].notes.map(\.pitch), [60, 64])
        XCTAssertEqual(reading.performance.tracks[0].notes.map(\.startTick), [0, 480])
        XCTAssertEqual(reading.warnings.count, 1, "one warning per kind of problem and track")
        XCTAssertEqual(reading.warnings[0].kind, .strayStatus)
        XCTAssertEqual(reading.warnings[0].repeats, 2)
        XCTAssertEqual(reading.warnings[0].offset, 14 + 8 + 1)
        assertStrictRefuses(bytes, .badEvent)
    }

    func testTruncatedLastTrackKeepsItsReadableEvents() throws {
        let full = SMF.file([0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20] + SMF.eot, Self.note + Self.note2 + SMF.eot)
        // Cut inside the second note's note_off: the first note and the second onset survive.
        let cut = Array(full.dropLast(SMF.eot.count + 2))
        let reading = try tolerant(cut)
        XCTAssertEqual(reading.performance.tracks.count, 2)
        XCTAssertEqual(reading.performance.tracks[1].notes.map(\.pitch), [60, 64])
        XCTAssertEqual(reading.performance.tracks[1].notes[0].durationTicks, 480)
        XCTAssertEqual(Set(reading.warnings.map(\.kind)), [.truncatedTrack])
        XCTAssertEqual(reading.performance.tempoMap.changes.first?.microsecondsPerBeat, 500_000)
        assertStrictRefuses(cut, .truncated)
    }

    func testFormat1WithNoTracksIsAnEmptySong() throws {
        for strict in [true, false] {
            let reading = try SMF.header(format: 1, tracks: 0).withUnsafeBytes { raw throws(MIDIError) in try Performance.read(bytes: raw, strict: strict) }
            XCTAssertEqual(reading.performance.tracks.count, 0)
            XCTAssertEqual(reading.warnings, [])
            XCTAssertEqual(reading.performance.format, 1)
        }
        // A file of no tracks writes and reads back.
        let back = try MIDIFile(bytes: Performance(format: 1).encodedMIDI())
        XCTAssertEqual(back.tracks.count, 1)
    }

    func testZeroLengthTrackFollowedByEventsIsRecovered() throws {
        let body = Self.note + Self.note2 + SMF.eot
        let bytes = SMF.header(format: 0, tracks: 1) + SMF.track(body, declaredLength: 0)
        let reading = try tolerant(bytes)
        XCTAssertEqual(reading.performance.noteCount, 2, "never silently empty")
        XCTAssertEqual(reading.warnings.map(\.kind), [.zeroLengthTrack])
        XCTAssertEqual(reading.warnings[0].offset, 14 + 4)
        assertStrictRefuses(bytes, .badChunk)
        // Two such tracks in a format-1 file: each read up to its end_of_track.
        let two = SMF.header(format: 1, tracks: 2) + SMF.track(Self.note + SMF.eot, declaredLength: 0) + SMF.track(Self.note2 + SMF.eot, declaredLength: 0)
        let both = try tolerant(two)
        XCTAssertEqual(both.performance.tracks.map { $0.notes.map(\.pitch) }, [[60], [64]])
    }

    func testRMIDWrapperIsRead() throws {
        let smf = SMF.file([0x00, 0xFF, 0x03, 0x01, 0x41] + Self.note + SMF.eot)
        func le32(_ v: Int) -> [UInt8] { [UInt8(v & 255), UInt8((v >> 8) & 255), UInt8((v >> 16) & 255), UInt8(v >> 24)] }
        let data = Array("data".utf8) + le32(smf.count) + smf + (smf.count % 2 == 1 ? [0] : [])
        let info = Array("LIST".utf8) + le32(4) + Array("INFO".utf8)
        let riff = Array("RIFF".utf8) + le32(4 + info.count + data.count) + Array("RMID".utf8) + info + data
        for strict in [true, false] {
            let wrapped = try riff.withUnsafeBytes { raw throws(MIDIError) in try Performance.read(bytes: raw, strict: strict) }
            let bare = try smf.withUnsafeBytes { raw throws(MIDIError) in try Performance.read(bytes: raw, strict: strict) }
            XCTAssertEqual(wrapped.performance, bare.performance)
            XCTAssertEqual(wrapped.performance.tracks.first?.name, "A")
        }
        // Offsets count from the start of the RIFF file.
        var damaged = riff
        damaged.replaceSubrange(riff.count - 4 ..< riff.count, with: [0x00, 0xF8, 0x00, 0xFF])
        let reading = try tolerant(damaged)
        XCTAssertEqual(reading.warnings.first.map { $0.offset > 12 + info.count + 8 + 14 } ?? false, true)
        XCTAssertThrowsError(try MIDIFile(bytes: Array("RIFF".utf8) + le32(4) + Array("WAVE".utf8))) { error in
            XCTAssertEqual((error as? MIDIError)?.kind, .notMIDI)
        }
    }

    func testUndecodableBytesEndTheirTrackButNotTheFile() throws {
        // A delta time over 4 bytes long.
        let vlq = SMF.file(Self.note + [0x81, 0x81, 0x81, 0x81, 0x01, 0x90, 60, 100] + SMF.eot, Self.note2 + SMF.eot)
        let reading = try tolerant(vlq)
        XCTAssertEqual(reading.performance.tracks.map { $0.notes.map(\.pitch) }, [[60], [64]])
        XCTAssertEqual(reading.warnings.map(\.kind), [.damagedTrack])
        XCTAssertEqual(reading.warnings[0].track, 0)
        assertStrictRefuses(vlq, .badEvent)
        // Data bytes with no status at all.
        let orphan = SMF.file([0x00, 60, 100] + SMF.eot, Self.note2 + SMF.eot)
        let read2 = try tolerant(orphan)
        XCTAssertEqual(read2.performance.tracks.map { $0.notes.map(\.pitch) }, [[], [64]])
        XCTAssertEqual(read2.warnings.map(\.kind), [.damagedTrack])
    }

    func testMissingTracksKeepThoseRead() throws {
        let bytes = SMF.header(format: 1, tracks: 3) + SMF.track(Self.note + SMF.eot)
        let reading = try tolerant(bytes)
        XCTAssertEqual(reading.performance.tracks.count, 1)
        XCTAssertEqual(reading.warnings.map(\.kind), [.missingTracks])
        assertStrictRefuses(bytes, .badChunk)
    }

    func testDumpMarksTheEventAndReportsOffsets() throws {
        let meta: [UInt8] = [0xFF, 0x59, 0x02, 0x02, 0xFF]
        let bytes = SMF.file([0x00] + meta + Self.note + SMF.eot)
        var out: [UInt8] = []
        var writer = EventDumpWriter { out += $0 }
        let warnings = try bytes.withUnsafeBytes { raw throws(MIDIError) in try writer.write(bytes: raw) }
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        XCTAssertEqual(warnings.count, 1)
        let at = offset(of: meta, in: bytes)
        XCTAssertTrue(lines[1].hasPrefix(#"{"track":0,"tick":0,"type":"warning","offset":\#(at),"message":"key_signature"#), lines[1])
        XCTAssertEqual(lines[2], #"{"track":0,"tick":0,"type":"key_signature","key":"D"}"#)
        for line in lines { XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)), line) }
        XCTAssertEqual(warnings[0].line(path: "x.mid"), "x.mid: warning: \(warnings[0].description)")
        XCTAssertTrue(warnings[0].description.contains("(at byte \(at)"))
        // Strict: nothing written, an error.
        var strictOut: [UInt8] = []
        var strictWriter = EventDumpWriter { strictOut += $0 }
        XCTAssertThrowsError(try bytes.withUnsafeBytes { raw throws(MIDIError) in try strictWriter.write(bytes: raw, strict: true) })
        XCTAssertTrue(strictOut.isEmpty)
    }

    func testUnreadableHeadersAreRefusedEvenTolerantly() {
        let cases: [[UInt8]] = [[], Array("text".utf8), Array("MThd".utf8) + [0, 0], SMF.header(format: 3, tracks: 1) + SMF.track(SMF.eot),
                                SMF.header(tracks: 1, division: 0) + SMF.track(SMF.eot), SMF.header(tracks: 1, length: 5)]
        for bytes in cases {
            XCTAssertThrowsError(try MIDIFile.reading(bytes: bytes, strict: false), "\(bytes.prefix(16))") { error in
                XCTAssertFalse("\(error)".contains("\n"))
            }
        }
    }

    /// Random bytes and mutations of a valid file: tolerant reading never crashes or hangs, and whatever it reads
    /// writes a file that strict reading accepts with the same notes and other events.
    func testRandomDamageIsReadOrRefusedNeverCrashes() throws {
        var rng = SplitMix64(seed: 20261206)
        let valid = SMF.file([0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20, 0x00, 0xFF, 0x58, 0x04, 0x04, 0x02, 0x18, 0x08] + SMF.eot,
                             [0x00, 0xFF, 0x03, 0x01, 0x41, 0x00, 0xF0, 0x02, 0x41, 0xF7] + Self.note + Self.note2 + SMF.eot)
        var read = 0, warned = 0
        let start = Date()
        for i in 0 ..< 3000 {
            var bytes = valid
            if i % 3 == 0 {
                bytes = Array(valid.prefix(Int(rng.next() % UInt64(valid.count + 1))))
            } else {
                for _ in 0 ..< 1 + Int(rng.next() % 4) {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
            }
            guard let reading = try? Performance.read(bytes: bytes) else { continue }
            read += 1
            if !reading.warnings.isEmpty { warned += 1 }
            XCTAssertTrue(reading.warnings.allSatisfy { $0.offset >= 0 && $0.offset <= bytes.count && !$0.description.contains("\n") })
            var dumped = 0
            var writer = EventDumpWriter { dumped += $0.count }
            _ = try bytes.withUnsafeBytes { raw throws(MIDIError) in try writer.write(bytes: raw) }
            XCTAssertGreaterThan(dumped, 0)
            let back = try Performance.read(bytes: reading.performance.encodedMIDI(), strict: true)
            XCTAssertEqual(back.performance.noteCount, reading.performance.noteCount)
            // (A file of no tracks is written with one empty track.)
            XCTAssertEqual(back.performance.tracks.map(\.otherEvents), reading.performance.tracks.map(\.otherEvents) + (reading.performance.tracks.isEmpty ? [[]] : []))
        }
        XCTAssertGreaterThan(read, 1000, "most damage is readable")
        XCTAssertGreaterThan(warned, 500, "and warned about")
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        print("tolerant reading of 3000 damaged variants: \(read) read (\(warned) with warnings), \(3000 - read) refused")
    }
}
