/// Receives the events of a Standard MIDI File as ``SMFReader`` parses it, track by track.
protocol SMFEventSink {
    /// A track chunk of `byteLength` bytes starts.
    mutating func beginTrack(byteLength: Int)
    /// The next event of the current track, at an absolute tick.
    mutating func event(tick: Int, _ message: MIDIMessage)
    /// The current track chunk ended.
    mutating func endTrack()
}

/// Collects the parsed events into ``MIDITrack`` values.
struct TrackCollector: SMFEventSink {
    var tracks: [MIDITrack] = []
    private var events: [MIDIEvent] = []

    mutating func beginTrack(byteLength: Int) {
        // The smallest event (delta + one running-status data byte) is 2 bytes; most are 3-4.
        events = []
        events.reserveCapacity(byteLength / 3 + 1)
    }

    mutating func event(tick: Int, _ message: MIDIMessage) {
        events.append(MIDIEvent(tick: tick, message))
    }

    mutating func endTrack() {
        tracks.append(MIDITrack(events: events))
        events = []
    }
}

/// Ignores every event (for checking a file without keeping it).
struct DiscardingSink: SMFEventSink {
    mutating func beginTrack(byteLength: Int) {}
    mutating func event(tick: Int, _ message: MIDIMessage) {}
    mutating func endTrack() {}
}

/// The header fields of a parsed file.
struct SMFHeader {
    var format: Int
    var division: Division
    var tracks: Int
}

/// Parses Standard MIDI File bytes into a ``MIDIFile``, or streams them to an ``SMFEventSink``.
///
/// Works on one contiguous buffer; every length read from the file is checked against the bytes
/// actually present before anything is allocated or read, so damaged files end in a ``MIDIError``.
struct SMFReader {
    private let p: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) {
        self.p = bytes
    }

    // MARK: - File and chunks

    func parse() throws(MIDIError) -> MIDIFile {
        var collector = TrackCollector()
        let header = try parse(into: &collector)
        return MIDIFile(format: header.format, division: header.division, tracks: collector.tracks)
    }

    /// Parses the whole file, handing every event to `sink`; returns the header fields.
    func parse<Sink: SMFEventSink>(into sink: inout Sink) throws(MIDIError) -> SMFHeader {
        let n = p.count
        if n == 0 { throw MIDIError(.emptyFile, at: 0, "file is empty") }
        if n < 4 || !(p[0] == 0x4D && p[1] == 0x54 && p[2] == 0x68 && p[3] == 0x64) {
            throw MIDIError(.notMIDI, at: 0, "not a Standard MIDI File: it does not start with an MThd header chunk")
        }
        if n < 14 { throw MIDIError(.truncated, at: n, "file ends inside the MThd header chunk (\(n) bytes)") }
        let headerLength = be32(4)
        if headerLength < 6 {
            throw MIDIError(.badHeader, at: 4, "MThd header chunk length is \(headerLength), expected 6")
        }
        if headerLength > n - 8 {
            throw MIDIError(.truncated, at: 4, "MThd header chunk length \(headerLength) runs past the end of the file (\(n) bytes)")
        }
        let format = be16(8)
        if format > 2 {
            throw MIDIError(.badHeader, at: 8, "unsupported MIDI file format \(format) (expected 0, 1 or 2)")
        }
        let declaredTracks = be16(10)
        if declaredTracks == 0 { throw MIDIError(.badHeader, at: 10, "header declares no tracks") }
        let division = try readDivision(at: 12)

        var pos = 8 + headerLength
        var trackCount = 0
        while trackCount < declaredTracks {
            if pos >= n {
                throw MIDIError(.badChunk, at: pos, "file ends after \(trackCount) of \(declaredTracks) tracks declared in the header")
            }
            if n - pos < 8 {
                throw MIDIError(.truncated, at: pos, "file ends inside a chunk header (\(n - pos) bytes left, track \(trackCount + 1) of \(declaredTracks))")
            }
            let isTrack = p[pos] == 0x4D && p[pos + 1] == 0x54 && p[pos + 2] == 0x72 && p[pos + 3] == 0x6B
            if !isTrack {
                for k in 0..<4 where p[pos + k] < 0x20 || p[pos + k] > 0x7E {
                    throw MIDIError(.badChunk, at: pos, "expected an MTrk chunk header for track \(trackCount + 1) of \(declaredTracks), found bytes \(hex(pos, 4))")
                }
            }
            let length = be32(pos + 4)
            let left = n - pos - 8
            if length > left {
                let name = isTrack ? "MTrk" : "chunk '\(chunkName(pos))'"
                throw MIDIError(.truncated, at: pos + 4, "\(name) length \(length) runs past the end of the file (\(left) bytes left)")
            }
            if isTrack {
                sink.beginTrack(byteLength: length)
                try readTrack(from: pos + 8, to: pos + 8 + length, into: &sink)
                sink.endTrack()
                trackCount += 1
            }
            pos += 8 + length
        }
        // Bytes after the last declared track are ignored, as real files often have some.
        return SMFHeader(format: format, division: division, tracks: trackCount)
    }

    private func readDivision(at offset: Int) throws(MIDIError) -> Division {
        let raw = be16(offset)
        if raw & 0x8000 != 0 {
            let fps = 256 - (raw >> 8)
            let ticksPerFrame = raw & 0xFF
            guard fps == 24 || fps == 25 || fps == 29 || fps == 30 else {
                throw MIDIError(.badHeader, at: offset, "SMPTE division has \(fps) frames per second (expected 24, 25, 29 or 30)")
            }
            guard ticksPerFrame > 0 else {
                throw MIDIError(.badHeader, at: offset, "SMPTE division has 0 ticks per frame")
            }
            return .smpte(framesPerSecond: fps, ticksPerFrame: ticksPerFrame)
        }
        guard raw > 0 else { throw MIDIError(.badHeader, at: offset, "division is 0 ticks per quarter note") }
        return .ticksPerBeat(raw)
    }

    // MARK: - Events

    /// Reads the events of one MTrk chunk occupying bytes `start ..< end`.
    private func readTrack<Sink: SMFEventSink>(from start: Int, to end: Int, into sink: inout Sink) throws(MIDIError) {
        var i = start
        var tick = 0
        var running: UInt8 = 0
        while i < end {
            tick += try readVLQ(&i, end: end, what: "delta time")
            if i >= end {
                throw MIDIError(.truncated, at: i, "track chunk ends after a delta time, with no event")
            }
            var status = p[i]
            if status < 0x80 {
                if running == 0 {
                    throw MIDIError(.badEvent, at: i, "data byte \(hex(i, 1)) without a status byte (running status with no previous status)")
                }
                status = running
            } else {
                i += 1
            }
            if status < 0xF0 {
                running = status
                sink.event(tick: tick, try readChannelMessage(status, &i, end: end))
            } else if status == 0xFF {
                sink.event(tick: tick, .meta(try readMeta(&i, end: end)))
            } else if status == 0xF0 || status == 0xF7 {
                let at = i - 1
                let length = try readVLQ(&i, end: end, what: "sysex length")
                if length > end - i {
                    throw MIDIError(.truncated, at: at, "sysex length \(length) runs past the end of the track chunk (\(end - i) bytes left)")
                }
                var data = Array(p[i ..< i + length])
                i += length
                if status == 0xF0 {
                    if data.last == 0xF7 { data.removeLast() }
                    sink.event(tick: tick, .sysex(data: data))
                } else {
                    sink.event(tick: tick, .sysexEscape(data: data))
                }
            } else {
                throw MIDIError(.badEvent, at: i - 1, "status byte \(hex(i - 1, 1)) is a system real-time or common message, not allowed in a MIDI file track")
            }
        }
    }

    @inline(__always)
    private func readChannelMessage(_ status: UInt8, _ i: inout Int, end: Int) throws(MIDIError) -> MIDIMessage {
        let kind = status & 0xF0
        let channel = status & 0x0F
        let count = (kind == 0xC0 || kind == 0xD0) ? 1 : 2
        if end - i < count {
            throw MIDIError(.truncated, at: i, "\(Self.name(kind)) message cut off by the end of the track chunk")
        }
        let a = p[i]
        if a > 0x7F { throw MIDIError(.badEvent, at: i, "data byte \(hex(i, 1)) over 127 in a \(Self.name(kind)) message") }
        if count == 1 {
            i += 1
            return kind == 0xC0 ? .programChange(channel: channel, program: a) : .aftertouch(channel: channel, value: a)
        }
        let b = p[i + 1]
        if b > 0x7F { throw MIDIError(.badEvent, at: i + 1, "data byte \(hex(i + 1, 1)) over 127 in a \(Self.name(kind)) message") }
        i += 2
        switch kind {
        case 0x80: return .noteOff(channel: channel, note: a, velocity: b)
        case 0x90: return .noteOn(channel: channel, note: a, velocity: b)
        case 0xA0: return .polyTouch(channel: channel, note: a, value: b)
        case 0xB0: return .controlChange(channel: channel, control: a, value: b)
        default: return .pitchWheel(channel: channel, pitch: Int16(Int(a) | Int(b) << 7) - 8192)
        }
    }

    private func readMeta(_ i: inout Int, end: Int) throws(MIDIError) -> MetaEvent {
        let at = i - 1
        if i >= end { throw MIDIError(.truncated, at: at, "meta event cut off by the end of the track chunk") }
        let type = p[i]
        i += 1
        let length = try readVLQ(&i, end: end, what: "meta event length")
        if length > end - i {
            throw MIDIError(.truncated, at: at, "meta event (type \(hex(at + 1, 1))) length \(length) runs past the end of the track chunk (\(end - i) bytes left)")
        }
        let d = i
        i += length
        func need(_ k: Int, _ name: String) throws(MIDIError) {
            if length < k {
                throw MIDIError(.badEvent, at: at, "\(name) meta event has \(length) data bytes, expected \(k)")
            }
        }
        switch type {
        case 0x00:
            if length == 0 { return .sequenceNumber(nil) }
            try need(2, "sequence_number")
            return .sequenceNumber(Int(p[d]) << 8 | Int(p[d + 1]))
        case 0x01...0x09:
            return .text(MetaEvent.TextKind(rawValue: type)!, Array(p[d ..< d + length]))
        case 0x20:
            try need(1, "channel_prefix")
            return .channelPrefix(p[d])
        case 0x21:
            return .port(length == 0 ? 0 : p[d])
        case 0x2F:
            return .endOfTrack
        case 0x51:
            try need(3, "set_tempo")
            return .setTempo(microsecondsPerBeat: Int(p[d]) << 16 | Int(p[d + 1]) << 8 | Int(p[d + 2]))
        case 0x54:
            try need(5, "smpte_offset")
            return .smpteOffset(Array(p[d ..< d + 5]))
        case 0x58:
            try need(4, "time_signature")
            return .timeSignature(numerator: p[d], denominatorPower: p[d + 1], clocksPerClick: p[d + 2], thirtySecondNotesPerBeat: p[d + 3])
        case 0x59:
            try need(2, "key_signature")
            let sf = Int8(bitPattern: p[d])
            let mode = p[d + 1]
            guard (-7...7).contains(sf), mode <= 1 else {
                throw MIDIError(.badEvent, at: at, "key_signature meta event has invalid key (\(sf) sharps/flats, mode \(mode))")
            }
            return .keySignature(sharpsOrFlats: sf, minor: mode == 1)
        case 0x7F:
            return .sequencerSpecific(Array(p[d ..< d + length]))
        default:
            return .unknown(type: type, data: Array(p[d ..< d + length]))
        }
    }

    // MARK: - Primitives

    /// Reads a variable-length quantity of at most 4 bytes inside `..< end`.
    @inline(__always)
    private func readVLQ(_ i: inout Int, end: Int, what: String) throws(MIDIError) -> Int {
        let start = i
        var value = 0
        for _ in 0 ..< 4 {
            if i >= end {
                throw MIDIError(.truncated, at: start, "\(what) cut off by the end of the track chunk")
            }
            let b = p[i]
            i += 1
            value = value << 7 | Int(b & 0x7F)
            if b < 0x80 { return value }
        }
        throw MIDIError(.badEvent, at: start, "\(what) is a variable-length quantity longer than 4 bytes")
    }

    @inline(__always) private func be16(_ o: Int) -> Int { Int(p[o]) << 8 | Int(p[o + 1]) }
    @inline(__always) private func be32(_ o: Int) -> Int {
        Int(p[o]) << 24 | Int(p[o + 1]) << 16 | Int(p[o + 2]) << 8 | Int(p[o + 3])
    }

    private func hex(_ o: Int, _ count: Int) -> String {
        let digits: [Character] = Array("0123456789ABCDEF")
        return (o ..< o + count).map { k in "0x" + String([digits[Int(p[k] >> 4)], digits[Int(p[k] & 15)]]) }.joined(separator: " ")
    }

    private func chunkName(_ o: Int) -> String {
        String(decoding: (o ..< o + 4).map { p[$0] }, as: Unicode.ASCII.self)
    }

    private static func name(_ kind: UInt8) -> String {
        switch kind {
        case 0x80: return "note_off"
        case 0x90: return "note_on"
        case 0xA0: return "polytouch"
        case 0xB0: return "control_change"
        case 0xC0: return "program_change"
        case 0xD0: return "aftertouch"
        default: return "pitchwheel"
        }
    }
}
