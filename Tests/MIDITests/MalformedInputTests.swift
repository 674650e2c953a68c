import Foundation
import Support
import XCTest
@testable import MIDI
import TestSupport

/// Damaged files made by the tests: each must end in a ``MIDIError`` under strict reading (never a crash or hang),
/// fast. (Tolerant reading of the same damage: TolerantReadingTests.)
final class MalformedInputTests: XCTestCase {
    /// A valid two-track file with channel, meta and sysex events.
    static let valid: [UInt8] = SMF.file(
        [0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20, 0x00, 0xFF, 0x58, 0x04, 0x04, 0x02, 0x18, 0x08] + SMF.eot,
        [0x00, 0xFF, 0x03, 0x04, 0x4C, 0x65, 0x61, 0x64, 0x00, 0xC0, 0x05, 0x00, 0xF0, 0x02, 0x41, 0xF7,
         0x00, 0x90, 60, 100, 0x81, 0x70, 60, 0, 0x00, 0xE0, 0x00, 0x40, 0x10, 0x80, 62, 64] + SMF.eot
    )

    private func expectError(_ bytes: [UInt8], _ kind: MIDIError.Kind? = nil, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        let start = Date()
        do {
            _ = try MIDIFile(bytes: bytes)
            XCTFail("\(what): read without error", file: file, line: line)
        } catch {
            if let kind { XCTAssertEqual(error.kind, kind, "\(what): \(error)", file: file, line: line) }
            XCTAssertFalse(error.message.isEmpty, file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), "\(what): message must be one line", file: file, line: line)
            XCTAssertTrue(error.offset >= 0 && error.offset <= bytes.count, "\(what): offset \(error.offset)", file: file, line: line)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.5, "\(what) took too long", file: file, line: line)
    }

    func testStreamingDumpWritesNothingForADamagedFile() throws {
        var damaged = Self.valid
        damaged.removeLast(2)
        var flushed = 0
        var writer = EventDumpWriter { flushed += $0.count }
        XCTAssertThrowsError(try damaged.withUnsafeBytes { try writer.write(bytes: $0, strict: true) })
        XCTAssertEqual(flushed, 0, "no partial dump")
        try Self.valid.withUnsafeBytes { try writer.write(bytes: $0) }
        XCTAssertGreaterThan(flushed, 0)
    }

    func testValidBaseReads() throws {
        let file = try MIDIFile(bytes: Self.valid)
        XCTAssertEqual(file.tracks.count, 2)
        XCTAssertEqual(file.tracks[1].events.count, 8)
    }

    func testTruncatedAtEveryPoint() {
        for n in 0 ..< Self.valid.count {
            expectError(Array(Self.valid.prefix(n)), nil, "truncated to \(n) bytes")
        }
        expectError([], .emptyFile, "empty file")
    }

    func testWrongChunkLengths() {
        let firstTrackLength = 15 + 4
        let secondTrackAt = 14 + 8 + firstTrackLength
        var tooBigLast = Self.valid
        tooBigLast.replaceSubrange(secondTrackAt + 4 ..< secondTrackAt + 8, with: SMF.be32(1_000_000))
        expectError(tooBigLast, .truncated, "last track length past the end")
        var hugeLast = Self.valid
        hugeLast.replaceSubrange(secondTrackAt + 4 ..< secondTrackAt + 8, with: [0xFF, 0xFF, 0xFF, 0xFF])
        expectError(hugeLast, .truncated, "last track length 4 GiB")
        for delta in [-3, -2, -1, 1, 2, 3, 5] {
            var first = Self.valid
            first.replaceSubrange(14 + 4 ..< 14 + 8, with: SMF.be32(firstTrackLength + delta))
            expectError(first, nil, "first track length off by \(delta)")
        }
        for delta in [-1, -2, -3] {
            var last = Self.valid
            last.replaceSubrange(secondTrackAt + 4 ..< secondTrackAt + 8, with: SMF.be32(Self.valid.count - secondTrackAt - 8 + delta))
            expectError(last, nil, "last track length short by \(-delta)")
        }
        var header = Self.valid
        header.replaceSubrange(4 ..< 8, with: SMF.be32(5))
        expectError(header, .badHeader, "header length 5")
        header.replaceSubrange(4 ..< 8, with: SMF.be32(0x7FFF_FFFF))
        expectError(header, .truncated, "header length past the end")
    }

    func testBadHeaders() {
        var magic = Self.valid
        magic[3] = 0x78
        expectError(magic, .notMIDI, "bad magic MThx")
        expectError(Array("RIFF....WAVEfmt ".utf8), .notMIDI, "a WAV header")
        expectError(SMF.header(format: 0, tracks: 0), .badHeader, "format 0 with zero tracks")
        expectError(SMF.header(format: 3, tracks: 1) + SMF.track(SMF.eot), .badHeader, "format 3")
        expectError(SMF.header(tracks: 1, division: 0) + SMF.track(SMF.eot), .badHeader, "division 0")
        expectError(SMF.header(tracks: 1, division: 0xE400) + SMF.track(SMF.eot), .badHeader, "SMPTE 28 fps")
        expectError(SMF.header(tracks: 3) + SMF.track(SMF.eot), .badChunk, "fewer tracks than declared")
        expectError(SMF.header(tracks: 1) + [0x00, 0x01, 0x02, 0x03, 0, 0, 0, 0], .badChunk, "binary chunk name")
    }

    func testBadEvents() {
        expectError(SMF.file([0x00, 60, 100] + SMF.eot), .badEvent, "running status with no prior status")
        expectError(SMF.file([0x00, 0xFF, 0x01, 0x00, 0x00, 60, 100] + SMF.eot), .badEvent, "running status after only a meta event")
        expectError(SMF.file([0x80, 0x80, 0x80, 0x80, 0x00, 0x90, 60, 100] + SMF.eot), .badEvent, "delta VLQ over 4 bytes")
        expectError(SMF.file([0x00, 0xFF, 0x01, 0x81, 0x81, 0x81, 0x81, 0x00] + SMF.eot), .badEvent, "meta length VLQ over 4 bytes")
        expectError(SMF.file([0x00, 0x90, 60, 0x80] + SMF.eot), .badEvent, "velocity over 127")
        expectError(SMF.file([0x00, 0xB0, 0xFE, 1] + SMF.eot), .badEvent, "controller over 127")
        expectError(SMF.file([0x00, 0xF8] + SMF.eot), .badEvent, "real-time clock byte in a track")
        expectError(SMF.file([0x00, 0xFF, 0x51, 0x02, 0x07, 0xA1] + SMF.eot), .badEvent, "set_tempo with 2 bytes")
        expectError(SMF.file([0x00, 0xFF, 0x59, 0x02, 0x09, 0x00] + SMF.eot), .badEvent, "key signature with 9 sharps")
        expectError(SMF.file([0x00, 0xFF, 0x01, 0x7F, 0x41, 0x42]), .truncated, "meta past the end of the track")
        expectError(SMF.file([0x00, 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0x7F, 0x41]), .truncated, "meta declaring 256 MiB")
        expectError(SMF.file([0x00, 0xF0, 0x64, 0x41, 0x42, 0xF7]), .truncated, "sysex past the end of the track")
        expectError(SMF.file([0x00, 0xF7, 0xFF, 0xFF, 0xFF, 0x7F]), .truncated, "escape declaring 256 MiB")
        expectError(SMF.file([0x00, 0x90, 60]), .truncated, "note_on cut off")
        expectError(SMF.file([0x00]), .truncated, "delta with no event")
        expectError(SMF.file([0x81]), .truncated, "delta cut off")
    }

    func testRandomBytesAndMutationsNeverCrash() {
        var rng = SplitMix64(seed: 20261125)
        var errors = 0
        let start = Date()
        for i in 0 ..< 3000 {
            var bytes: [UInt8]
            if i % 2 == 0 {
                bytes = (0 ..< Int(rng.next() % 512)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if i % 4 == 0 && bytes.count >= 4 { bytes.replaceSubrange(0 ..< 4, with: Array("MThd".utf8)) }
            } else {
                bytes = Self.valid
                for _ in 0 ..< 1 + Int(rng.next() % 4) {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
            }
            do {
                let file = try MIDIFile(bytes: bytes)
                // Whatever was read must also write and read back.
                XCTAssertEqual(try MIDIFile(bytes: file.encoded()).tracks.count, file.tracks.count)
                _ = Performance(midiFile: file).midiFile()
            } catch {
                errors += 1
                XCTAssertFalse(error.description.contains("\n"))
            }
        }
        XCTAssertGreaterThan(errors, 1500, "most random inputs must be rejected")
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }
}
