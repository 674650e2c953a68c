/// Encodes a ``MIDIFile`` as Standard MIDI File bytes.
///
/// Uses running status for consecutive channel messages with the same status byte (reset after
/// meta and sysex events, as the standard requires), and always ends each track with end_of_track.
/// Out-of-range values are clamped to what the format can hold.
struct SMFWriter {
    private(set) var out: [UInt8] = []

    mutating func encode(_ file: MIDIFile) -> [UInt8] {
        let eventCount = file.tracks.reduce(0) { $0 + $1.events.count }
        out.reserveCapacity(14 + 8 * file.tracks.count + 4 * eventCount + 16)
        header(format: file.format, tracks: file.tracks.count, division: file.division)
        for track in file.tracks.prefix(0xFFFF) {
            encode(track)
        }
        return out
    }

    /// Reserves room for `bytes` bytes of output.
    mutating func reserve(_ bytes: Int) { out.reserveCapacity(bytes) }

    /// Writes the MThd chunk.
    mutating func header(format: Int, tracks: Int, division: Division) {
        out += [0x4D, 0x54, 0x68, 0x64, 0, 0, 0, 6]
        put16(min(max(format, 0), 0xFFFF))
        put16(min(tracks, 0xFFFF))
        switch division {
        case .ticksPerBeat(let t):
            put16(min(max(t, 1), 0x7FFF))
        case .smpte(let fps, let tpf):
            out.append(UInt8(truncatingIfNeeded: 256 - min(max(fps, 1), 127)))
            out.append(UInt8(min(max(tpf, 1), 255)))
        }
    }

    private mutating func encode(_ track: MIDITrack) {
        var events = track.events
        if !events.isEmpty && zip(events, events.dropFirst()).contains(where: { $0.tick > $1.tick }) {
            events = events.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(\.element)
        }
        beginTrack()
        for e in events { event(tick: e.tick, e.message) }
        endTrack(atLeast: 0)
    }

    // MARK: - One track at a time (events in tick order)

    private var lengthAt = 0
    private var trackStart = 0
    private var previous = 0
    private var running: UInt8 = 0
    private var endedWithEndOfTrack = false

    /// Starts an MTrk chunk.
    mutating func beginTrack() {
        out += [0x4D, 0x54, 0x72, 0x6B, 0, 0, 0, 0]
        lengthAt = out.count - 4
        trackStart = out.count
        previous = 0
        running = 0
        endedWithEndOfTrack = false
    }

    /// Writes the next event of the track (an earlier tick than the previous event's is written at that tick).
    mutating func event(tick: Int, _ message: MIDIMessage) {
        let t = max(tick, previous)
        putVLQ(t - previous)
        previous = t
        running = put(message, running: running)
        if case .meta(.endOfTrack) = message { endedWithEndOfTrack = true } else { endedWithEndOfTrack = false }
    }

    /// Ends the chunk with an end_of_track (at `tick`, or at the last event if later) unless the last event was one.
    mutating func endTrack(atLeast tick: Int) {
        if !endedWithEndOfTrack {
            putVLQ(max(tick, previous) - previous)
            out += [0xFF, 0x2F, 0x00]
        }
        let length = out.count - trackStart
        out[lengthAt] = UInt8(truncatingIfNeeded: length >> 24)
        out[lengthAt + 1] = UInt8(truncatingIfNeeded: length >> 16)
        out[lengthAt + 2] = UInt8(truncatingIfNeeded: length >> 8)
        out[lengthAt + 3] = UInt8(truncatingIfNeeded: length)
    }

    /// Writes one message; returns the running status in force after it (0 = none).
    private mutating func put(_ message: MIDIMessage, running: UInt8) -> UInt8 {
        func channel(_ kind: UInt8, _ ch: UInt8, _ a: UInt8, _ b: UInt8? = nil) -> UInt8 {
            let status = kind | (ch & 0x0F)
            if status != running { out.append(status) }
            out.append(a & 0x7F)
            if let b { out.append(b & 0x7F) }
            return status
        }
        switch message {
        case .noteOff(let c, let n, let v): return channel(0x80, c, n, v)
        case .noteOn(let c, let n, let v): return channel(0x90, c, n, v)
        case .polyTouch(let c, let n, let v): return channel(0xA0, c, n, v)
        case .controlChange(let c, let n, let v): return channel(0xB0, c, n, v)
        case .programChange(let c, let p): return channel(0xC0, c, p)
        case .aftertouch(let c, let v): return channel(0xD0, c, v)
        case .pitchWheel(let c, let pitch):
            let v = Int(min(max(pitch, -8192), 8191)) + 8192
            return channel(0xE0, c, UInt8(v & 0x7F), UInt8(v >> 7))
        case .sysex(let data):
            out.append(0xF0)
            putVLQ(data.count + 1)
            out += data
            out.append(0xF7)
            return 0
        case .sysexEscape(let data):
            out.append(0xF7)
            putVLQ(data.count)
            out += data
            return 0
        case .meta(let meta):
            putMeta(meta)
            return 0
        }
    }

    private mutating func putMeta(_ meta: MetaEvent) {
        func m(_ type: UInt8, _ data: [UInt8]) {
            out += [0xFF, type]
            putVLQ(data.count)
            out += data
        }
        switch meta {
        case .sequenceNumber(let n):
            if let n { m(0x00, [UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]) } else { m(0x00, []) }
        case .text(let kind, let bytes): m(kind.rawValue, bytes)
        case .channelPrefix(let c): m(0x20, [c])
        case .port(let p): m(0x21, [p])
        case .endOfTrack: m(0x2F, [])
        case .setTempo(let t):
            let v = min(max(t, 1), 0xFFFFFF)
            m(0x51, [UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)])
        case .smpteOffset(let bytes): m(0x54, Array((bytes + [0, 0, 0, 0, 0]).prefix(5)))
        case .timeSignature(let n, let d, let c, let b): m(0x58, [n, d, c, b])
        case .keySignature(let sf, let minor): m(0x59, [UInt8(bitPattern: min(max(sf, -7), 7)), minor ? 1 : 0])
        case .sequencerSpecific(let bytes): m(0x7F, bytes)
        case .unknown(let type, let bytes): m(type, bytes)
        }
    }

    private mutating func put16(_ v: Int) {
        out.append(UInt8(truncatingIfNeeded: v >> 8))
        out.append(UInt8(truncatingIfNeeded: v))
    }

    /// Writes a variable-length quantity (clamped to the 4-byte maximum, 0x0FFFFFFF).
    private mutating func putVLQ(_ value: Int) {
        let v = min(max(value, 0), 0x0FFF_FFFF)
        if v >= 1 << 21 { out.append(UInt8(0x80 | (v >> 21) & 0x7F)) }
        if v >= 1 << 14 { out.append(UInt8(0x80 | (v >> 14) & 0x7F)) }
        if v >= 1 << 7 { out.append(UInt8(0x80 | (v >> 7) & 0x7F)) }
        out.append(UInt8(v & 0x7F))
    }
}
