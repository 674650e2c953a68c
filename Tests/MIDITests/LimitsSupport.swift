import Foundation

/// Builds hostile and huge Standard MIDI Files byte by byte (independently of the library's writer),
/// for the limits tests: millions of events, sysex-only tracks, extreme tempos and divisions.
struct HostileMIDI {
    /// The bytes of the track being built (without its MTrk header).
    private(set) var body: [UInt8] = []

    /// Reserves room for a track of about `bytes` bytes.
    init(reserving bytes: Int = 0) { body.reserveCapacity(bytes) }

    /// Appends a variable-length quantity (0 ... 0x0FFFFFFF).
    mutating func vlq(_ value: Int) {
        precondition(value >= 0 && value <= 0x0FFF_FFFF)
        var shift = 21
        while shift > 0 && value >> shift == 0 { shift -= 7 }
        while shift > 0 {
            body.append(UInt8(0x80 | (value >> shift) & 0x7F))
            shift -= 7
        }
        body.append(UInt8(value & 0x7F))
    }

    /// Appends an event: its delta time then its bytes (status included unless running status is meant).
    mutating func event(delta: Int, _ bytes: UInt8...) {
        vlq(delta)
        body += bytes
    }

    /// Appends a set_tempo meta event.
    mutating func tempo(delta: Int = 0, microsecondsPerBeat t: Int) {
        event(delta: delta, 0xFF, 0x51, 0x03, UInt8(t >> 16 & 0xFF), UInt8(t >> 8 & 0xFF), UInt8(t & 0xFF))
    }

    /// Appends an F0 sysex event with `count` data bytes (the last one F7).
    mutating func sysex(delta: Int = 0, count: Int) {
        vlq(delta)
        body.append(0xF0)
        vlq(count)
        for i in 0..<(count - 1) { body.append(UInt8(i & 0x7F)) }
        body.append(0xF7)
    }

    /// Appends end_of_track.
    mutating func endOfTrack(delta: Int = 0) { event(delta: delta, 0xFF, 0x2F, 0x00) }

    /// The MTrk chunk of this track.
    var chunk: [UInt8] { Array("MTrk".utf8) + Self.be32(body.count) + body }

    /// A whole file: header (format, division word) then the tracks' chunks.
    static func file(format: Int = 1, division: UInt16 = 480, _ tracks: [HostileMIDI]) -> [UInt8] {
        var bytes = Array("MThd".utf8) + be32(6)
        bytes += [0, UInt8(format), UInt8(tracks.count >> 8), UInt8(tracks.count & 0xFF), UInt8(division >> 8), UInt8(division & 0xFF)]
        bytes.reserveCapacity(bytes.count + tracks.reduce(0) { $0 + $1.body.count + 8 })
        for t in tracks { bytes += t.chunk }
        return bytes
    }

    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    /// `notes` notes on channel 0, one every `spacing` ticks, each `length` ticks, in running status
    /// (note-offs as note_on velocity 0): 2 events per note.
    static func noteStream(notes: Int, spacing: Int = 10, length: Int = 5) -> HostileMIDI {
        var t = HostileMIDI(reserving: notes * 8 + 16)
        t.event(delta: 0, 0x90, 60, 100)
        t.event(delta: length, 60, 0)
        for i in 1..<notes {
            let pitch = UInt8(36 + i % 60)
            t.event(delta: spacing - length, pitch, 100)
            t.event(delta: length, pitch, 0)
        }
        t.endOfTrack()
        return t
    }
}
