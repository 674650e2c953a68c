/// Receives the events of a Standard MIDI File as ``SMFReader`` parses it, track by track.
protocol SMFEventSink {
    /// A track chunk of `byteLength` bytes starts.
    mutating func beginTrack(byteLength: Int)
    /// The next event of the current track, at an absolute tick.
    mutating func event(tick: Int, _ message: MIDIMessage)
    /// The current track chunk ended.
    mutating func endTrack()
    /// Tolerant reading worked around a problem (strict reading throws instead); called where it was found.
    mutating func warning(_ warning: MIDIWarning)
}

extension SMFEventSink {
    /// Ignores the warning (sinks that do not report warnings).
    mutating func warning(_ warning: MIDIWarning) {}
}

/// Collects the parsed events into ``MIDITrack`` values, and the warnings.
struct TrackCollector: SMFEventSink {
    var tracks: [MIDITrack] = []
    var log = MIDIWarningLog()
    private var events: [MIDIEvent] = []

    mutating func beginTrack(byteLength: Int) {
        // The smallest event (delta + one running-status data byte) is 2 bytes; most are 3-4.
        events = []
        events.reserveCapacity(min(byteLength, 1 << 26) / 3 + 1)
    }

    mutating func event(tick: Int, _ message: MIDIMessage) {
        events.append(MIDIEvent(tick: tick, message))
    }

    mutating func endTrack() {
        tracks.append(MIDITrack(events: events))
        events = []
    }

    mutating func warning(_ warning: MIDIWarning) { log.add(warning) }
}

/// Ignores every event, keeping the warnings (for checking a file without keeping it).
struct DiscardingSink: SMFEventSink {
    var log = MIDIWarningLog()
    mutating func beginTrack(byteLength: Int) {}
    mutating func event(tick: Int, _ message: MIDIMessage) {}
    mutating func endTrack() {}
    mutating func warning(_ warning: MIDIWarning) { log.add(warning) }
}

/// The header fields of a parsed file.
struct SMFHeader {
    var format: Int
    var division: Division
    /// Tracks actually read.
    var tracks: Int
}

/// Parses Standard MIDI File bytes into a ``MIDIFile``, or streams them to an ``SMFEventSink``.
///
/// Works on one contiguous buffer; every length read from the file is checked against the bytes
/// actually present before anything is allocated or read. A RIFF `RMID` wrapper is unwrapped (its
/// `data` chunk is the file). Strict reading throws a ``MIDIError`` at the first problem; tolerant
/// reading keeps what is readable, reports each problem to the sink as a ``MIDIWarning`` and goes on
/// (a file whose header cannot be read is refused either way). Offsets are from the start of the file.
struct SMFReader {
    private let p: UnsafeRawBufferPointer
    private let strict: Bool

    /// The SMF bytes are `p[s ..< n]` (s > 0 inside an RMID wrapper).
    private var s = 0
    private var n = 0

    init(_ bytes: UnsafeRawBufferPointer, strict: Bool = true) {
        self.p = bytes
        self.strict = strict
        self.n = bytes.count
    }

    // MARK: - File and chunks

    func parse() throws(MIDIError) -> MIDIFile {
        var collector = TrackCollector()
        let header = try parse(into: &collector)
        return MIDIFile(format: header.format, division: header.division, tracks: collector.tracks)
    }

    /// Parses the whole file, handing every event to `sink`; returns the header fields.
    func parse<Sink: SMFEventSink>(into sink: inout Sink) throws(MIDIError) -> SMFHeader {
        var reader = self
        try reader.unwrapRIFF()
        return try reader.parseSMF(into: &sink)
    }

    /// Finds the SMF inside a RIFF `RMID` file (the payload of its `data` chunk); other RIFF files are refused.
    private mutating func unwrapRIFF() throws(MIDIError) {
        guard p.count >= 12, p[0] == 0x52, p[1] == 0x49, p[2] == 0x46, p[3] == 0x46 else { return }  // "RIFF"
        guard p[8] == 0x52, p[9] == 0x4D, p[10] == 0x49, p[11] == 0x44 else {  // "RMID"
            throw MIDIError(.notMIDI, at: 8, "a RIFF file of type '\(chunkName(8))', not a MIDI file (RIFF type RMID)")
        }
        var pos = 12
        while pos + 8 <= p.count {
            let size = Int(p[pos + 4]) | Int(p[pos + 5]) << 8 | Int(p[pos + 6]) << 16 | Int(p[pos + 7]) << 24
            if p[pos] == 0x64, p[pos + 1] == 0x61, p[pos + 2] == 0x74, p[pos + 3] == 0x61 {  // "data"
                s = pos + 8
                n = min(p.count, s + size)
                return
            }
            pos += 8 + size + (size & 1)
        }
        throw MIDIError(.notMIDI, at: 12, "RIFF RMID file without a 'data' chunk")
    }

    private func parseSMF<Sink: SMFEventSink>(into sink: inout Sink) throws(MIDIError) -> SMFHeader {
        let size = n - s
        if size == 0 { throw MIDIError(.emptyFile, at: s, s == 0 ? "file is empty" : "the RMID data chunk is empty") }
        if size < 4 || !(p[s] == 0x4D && p[s + 1] == 0x54 && p[s + 2] == 0x68 && p[s + 3] == 0x64) {
            throw MIDIError(.notMIDI, at: s, "not a Standard MIDI File: it does not start with an MThd header chunk")
        }
        if size < 14 { throw MIDIError(.truncated, at: n, "file ends inside the MThd header chunk (\(size) bytes)") }
        let headerLength = be32(s + 4)
        if headerLength < 6 {
            throw MIDIError(.badHeader, at: s + 4, "MThd header chunk length is \(headerLength), expected 6")
        }
        if headerLength > size - 8 {
            throw MIDIError(.truncated, at: s + 4, "MThd header chunk length \(headerLength) runs past the end of the file (\(size) bytes)")
        }
        let format = be16(s + 8)
        if format > 2 {
            throw MIDIError(.badHeader, at: s + 8, "unsupported MIDI file format \(format) (expected 0, 1 or 2)")
        }
        let declaredTracks = be16(s + 10)
        if declaredTracks == 0 && format == 0 {
            // Formats 1 and 2 may hold no tracks; format 0 has exactly one.
            try problem(.headerMismatch, MIDIError(.badHeader, at: s + 10, "header declares no tracks"), track: nil, tick: 0,
                        "read as an empty song", into: &sink)
        }
        let division = try readDivision(at: s + 12)

        var pos = s + 8 + headerLength
        var trackCount = 0
        while trackCount < declaredTracks {
            if pos >= n {
                try problem(.missingTracks, MIDIError(.badChunk, at: pos, "file ends after \(trackCount) of \(declaredTracks) tracks declared in the header"),
                            track: nil, tick: 0, "kept the tracks read (\(trackCount))", into: &sink)
                break
            }
            if n - pos < 8 {
                try problem(.missingTracks, MIDIError(.truncated, at: pos, "file ends inside a chunk header (\(n - pos) bytes left, track \(trackCount + 1) of \(declaredTracks))"),
                            track: nil, tick: 0, "kept the tracks before it (\(trackCount))", into: &sink)
                break
            }
            var isTrack = isMTrk(pos)
            if !isTrack, !(0..<4).allSatisfy({ p[pos + $0] >= 0x20 && p[pos + $0] <= 0x7E }) {
                let error = MIDIError(.badChunk, at: pos, "expected an MTrk chunk header for track \(trackCount + 1) of \(declaredTracks), found bytes \(hex(pos, 4))")
                guard let next = nextMTrk(after: pos) else {
                    try problem(.missingTracks, error, track: nil, tick: 0, "no MTrk chunk follows; kept the tracks before it (\(trackCount))", into: &sink)
                    break
                }
                try problem(.skippedBytes, error, track: nil, tick: 0, "skipped \(next - pos) bytes to the next MTrk chunk", into: &sink)
                pos = next
                isTrack = true
            }
            var length = be32(pos + 4)
            let left = n - pos - 8
            if length > left {
                let name = isTrack ? "MTrk" : "chunk '\(chunkName(pos))'"
                let error = MIDIError(.truncated, at: pos + 4, "\(name) length \(length) runs past the end of the file (\(left) bytes left)")
                guard isTrack else {
                    try problem(.missingTracks, error, track: nil, tick: 0, "kept the tracks before it (\(trackCount))", into: &sink)
                    break
                }
                try problem(.truncatedTrack, error, track: trackCount, tick: 0, "read the track up to the end of the file", into: &sink)
                length = left
            }
            guard isTrack else {
                pos += 8 + length
                continue
            }
            if length == 0 && left > 0 && !looksLikeChunk(pos + 8) {
                // A track declaring length 0 with its events following: read them up to end_of_track.
                try problem(.zeroLengthTrack, MIDIError(.badChunk, at: pos + 4, "MTrk chunk declares length 0 but events follow it"),
                            track: trackCount, tick: 0, "read them up to its end_of_track", into: &sink)
                sink.beginTrack(byteLength: left)
                pos = try readTrack(from: pos + 8, to: n, track: trackCount, untilEndOfTrack: true, into: &sink)
                sink.endTrack()
                trackCount += 1
                continue
            }
            sink.beginTrack(byteLength: length)
            _ = try readTrack(from: pos + 8, to: pos + 8 + length, track: trackCount, untilEndOfTrack: false, into: &sink)
            sink.endTrack()
            trackCount += 1
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

    /// Strict: throws `error`. Tolerant: reports it to the sink as a warning of `kind`, `action` saying what was done.
    private func problem<Sink: SMFEventSink>(
        _ kind: MIDIWarning.Kind, _ error: MIDIError, track: Int?, tick: Int, _ action: String, into sink: inout Sink
    ) throws(MIDIError) {
        if strict { throw error }
        sink.warning(MIDIWarning(kind, at: error.offset, track: track, tick: tick, "\(error.message); \(action)"))
    }

    // MARK: - Events

    /// Why reading a track stops early (tolerant reading).
    private struct TrackStop: Error {
        var kind: MIDIWarning.Kind
        var error: MIDIError
    }

    /// Reads the events of one MTrk chunk occupying bytes `start ..< end` (with `untilEndOfTrack`, only up to
    /// its end_of_track); returns where reading stopped.
    private func readTrack<Sink: SMFEventSink>(
        from start: Int, to end: Int, track: Int, untilEndOfTrack: Bool, into sink: inout Sink
    ) throws(MIDIError) -> Int {
        var i = start
        var tick = 0
        var running: UInt8 = 0
        do throws(MIDIError) {
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
                    switch try readMeta(&i, end: end) {
                    case .event(let meta):
                        sink.event(tick: tick, .meta(meta))
                        if untilEndOfTrack, case .endOfTrack = meta { return i }
                    case .repaired(let meta, let kind, let error, let action):
                        try problem(kind, error, track: track, tick: tick, action, into: &sink)
                        sink.event(tick: tick, .meta(meta))
                    case .damaged(let kind, let error):
                        try problem(kind, error, track: track, tick: tick, "dropped it", into: &sink)
                    }
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
                    let error = MIDIError(.badEvent, at: i - 1, "status byte \(hex(i - 1, 1)) is a system real-time or common message, not allowed in a MIDI file track")
                    try problem(.strayStatus, error, track: track, tick: tick, "skipped it", into: &sink)
                    // System common messages carry data bytes (F1, F3: one; F2: two); real-time ones none.
                    let dataBytes = status == 0xF2 ? 2 : (status == 0xF1 || status == 0xF3) ? 1 : 0
                    for _ in 0..<dataBytes where i < end && p[i] < 0x80 { i += 1 }
                    if status < 0xF8 { running = 0 }
                }
            }
            return i
        } catch {
            if strict { throw error }
            let kind: MIDIWarning.Kind = error.kind == .truncated ? .truncatedTrack : .damagedTrack
            let action = kind == .truncatedTrack ? "kept the track up to there" : "skipped the rest of the track"
            sink.warning(MIDIWarning(kind, at: error.offset, track: track, tick: tick, "\(error.message); \(action)"))
            return end
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

    /// A meta event as read: whole, repaired (kept with a warning), or damaged (dropped with a warning).
    private enum MetaRead {
        case event(MetaEvent)
        case repaired(MetaEvent, MIDIWarning.Kind, MIDIError, String)
        case damaged(MIDIWarning.Kind, MIDIError)
    }

    /// Reads a meta event; throws only when its length runs past the chunk (the track cannot go on).
    private func readMeta(_ i: inout Int, end: Int) throws(MIDIError) -> MetaRead {
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
        func short(_ k: Int, _ name: String) -> MIDIError? {
            length < k ? MIDIError(.badEvent, at: at, "\(name) meta event has \(length) data bytes, expected \(k)") : nil
        }
        switch type {
        case 0x00:
            if length == 0 { return .event(.sequenceNumber(nil)) }
            if let e = short(2, "sequence_number") { return .damaged(.damagedMeta, e) }
            return .event(.sequenceNumber(Int(p[d]) << 8 | Int(p[d + 1])))
        case 0x01...0x09:
            return .event(.text(MetaEvent.TextKind(rawValue: type)!, Array(p[d ..< d + length])))
        case 0x20:
            if let e = short(1, "channel_prefix") { return .damaged(.damagedMeta, e) }
            return .event(.channelPrefix(p[d]))
        case 0x21:
            return .event(.port(length == 0 ? 0 : p[d]))
        case 0x2F:
            return .event(.endOfTrack)
        case 0x51:
            if let e = short(3, "set_tempo") { return .damaged(.damagedMeta, e) }
            return .event(.setTempo(microsecondsPerBeat: Int(p[d]) << 16 | Int(p[d + 1]) << 8 | Int(p[d + 2])))
        case 0x54:
            if let e = short(5, "smpte_offset") { return .damaged(.damagedMeta, e) }
            return .event(.smpteOffset(Array(p[d ..< d + 5])))
        case 0x58:
            if let e = short(4, "time_signature") {
                guard length >= 2 else { return .damaged(.damagedMeta, e) }
                let meta = MetaEvent.timeSignature(numerator: p[d], denominatorPower: p[d + 1],
                                                   clocksPerClick: length > 2 ? p[d + 2] : 24, thirtySecondNotesPerBeat: 8)
                return .repaired(meta, .shortTimeSignature, e, "kept it with the standard \(length > 2 ? "" : "24 clocks per click and ")8 32nd notes per beat")
            }
            return .event(.timeSignature(numerator: p[d], denominatorPower: p[d + 1], clocksPerClick: p[d + 2], thirtySecondNotesPerBeat: p[d + 3]))
        case 0x59:
            if let e = short(2, "key_signature") { return .damaged(.damagedMeta, e) }
            let sf = Int8(bitPattern: p[d])
            let mode = p[d + 1]
            guard (-7...7).contains(sf), mode <= 1 else {
                let e = MIDIError(.badEvent, at: at, "key_signature meta event has invalid key (\(sf) sharps/flats, mode \(mode))")
                guard (-7...7).contains(sf) else { return .damaged(.keySignatureOutOfRange, e) }
                return .repaired(.keySignature(sharpsOrFlats: sf, minor: false), .keySignatureOutOfRange, e, "kept it as a major key")
            }
            return .event(.keySignature(sharpsOrFlats: sf, minor: mode == 1))
        case 0x7F:
            return .event(.sequencerSpecific(Array(p[d ..< d + length])))
        default:
            return .event(.unknown(type: type, data: Array(p[d ..< d + length])))
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

    private func isMTrk(_ o: Int) -> Bool {
        o + 4 <= n && p[o] == 0x4D && p[o + 1] == 0x54 && p[o + 2] == 0x72 && p[o + 3] == 0x6B
    }

    /// Whether 8 bytes at `o` could be a chunk header (four printable ASCII characters).
    private func looksLikeChunk(_ o: Int) -> Bool {
        o + 8 <= n && (0..<4).allSatisfy { p[o + $0] >= 0x20 && p[o + $0] <= 0x7E }
    }

    /// The offset of the next `MTrk` after `o`, if any.
    private func nextMTrk(after o: Int) -> Int? {
        var k = o + 1
        while k + 8 <= n {
            if isMTrk(k) { return k }
            k += 1
        }
        return nil
    }

    private func hex(_ o: Int, _ count: Int) -> String {
        let digits: [Character] = Array("0123456789ABCDEF")
        return (o ..< o + count).map { k in "0x" + String([digits[Int(p[k] >> 4)], digits[Int(p[k] & 15)]]) }.joined(separator: " ")
    }

    private func chunkName(_ o: Int) -> String {
        String(decoding: (o ..< o + 4).map { p[$0] & 0x7F }, as: Unicode.ASCII.self)
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
