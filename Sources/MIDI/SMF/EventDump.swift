import Support
/// Writes the JSON Lines event dump of `tunesmith dump` (see the project's midi-events spec): a header
/// line, then every event of every track with its absolute tick, fields named and ordered as in mido.
///
/// Output goes to a byte buffer that is handed to `flush` whenever it passes ``chunkSize`` bytes,
/// so dumping a large file needs little memory.
public struct EventDumpWriter {
    /// Bytes buffered before `flush` is called.
    public static let chunkSize = 1 << 16

    private var buffer: [UInt8] = []
    private let flush: ([UInt8]) -> Void

    /// Creates a writer handing each full buffer to `flush`.
    public init(flush: @escaping ([UInt8]) -> Void) {
        self.flush = flush
        buffer.reserveCapacity(Self.chunkSize + 4096)
    }

    /// Writes the dump of `file`, then flushes what is left.
    public mutating func write(_ file: MIDIFile) {
        header(file)
        for (index, track) in file.tracks.enumerated() {
            for event in track.events {
                line(track: index, event)
                if buffer.count >= Self.chunkSize {
                    flush(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        if !buffer.isEmpty {
            flush(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Checks the Standard MIDI File `bytes` completely (nothing is written for a file that is refused),
    /// then writes its dump while parsing it a second time, without building a ``MIDIFile``:
    /// memory stays near the file's own size. Strict reading refuses any damage; tolerant reading (the
    /// default) keeps what is readable, writes a `warning` record where each problem was found (before the
    /// event it affects) and returns the warnings, one per kind of problem and track.
    @discardableResult
    public mutating func write(bytes: UnsafeRawBufferPointer, strict: Bool = false) throws(MIDIError) -> [MIDIWarning] {
        var check = DiscardingSink()
        let info = try SMFReader(bytes, strict: strict).parse(into: &check)
        header(format: info.format, tracks: info.tracks, division: info.division)
        trackIndex = -1
        _ = try SMFReader(bytes, strict: strict).parse(into: &self)
        if !buffer.isEmpty {
            flush(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        return check.log.warnings
    }

    /// Reads the file at `path` and writes its dump as ``write(bytes:strict:)`` does; errors name the path.
    @discardableResult
    public mutating func write(contentsOfFile path: String, strict: Bool = false) throws -> [MIDIWarning] {
        let bytes = try FileBytes.read(path: path)
        var failure: MIDIError?
        var warnings: [MIDIWarning] = []
        bytes.withUnsafeBytes { raw in
            do throws(MIDIError) { warnings = try write(bytes: raw, strict: strict) } catch { failure = error }
        }
        if let failure { throw failure.with(path: path) }
        return warnings
    }

    private var trackIndex = -1

    private mutating func header(_ file: MIDIFile) {
        header(format: file.format, tracks: file.tracks.count, division: file.division)
    }

    private mutating func header(format: Int, tracks: Int, division: Division) {
        // Key order as mido's dump: format, tracks, division.
        raw("{\"format\":")
        int(format)
        raw(",\"tracks\":")
        int(tracks)
        switch division {
        case .ticksPerBeat(let t):
            raw(",\"ticks_per_beat\":")
            int(t)
        case .smpte(let fps, let tpf):
            raw(",\"smpte_fps\":")
            int(fps)
            raw(",\"ticks_per_frame\":")
            int(tpf)
        }
        raw("}\n")
    }

    private mutating func line(track: Int, _ event: MIDIEvent) {
        raw("{\"track\":")
        int(track)
        raw(",\"tick\":")
        int(event.tick)
        raw(",\"type\":\"")
        switch event.message {
        case .noteOn(let c, let n, let v): channel("note_on", c, "note", n, "velocity", v)
        case .noteOff(let c, let n, let v): channel("note_off", c, "note", n, "velocity", v)
        case .polyTouch(let c, let n, let v): channel("polytouch", c, "note", n, "value", v)
        case .controlChange(let c, let n, let v): channel("control_change", c, "control", n, "value", v)
        case .programChange(let c, let p): channel("program_change", c, "program", p)
        case .aftertouch(let c, let v): channel("aftertouch", c, "value", v)
        case .pitchWheel(let c, let p):
            raw("pitchwheel\",\"channel\":")
            int(Int(c))
            raw(",\"pitch\":")
            int(Int(p))
        case .sysex(let data):
            raw("sysex\",\"data\":")
            array(data.first == 0xF0 ? data.dropFirst() : data[...])
        case .sysexEscape(let data):
            // mido strips a leading F0 and a trailing F7 from every sysex packet.
            var d = data[...]
            if d.first == 0xF0 { d = d.dropFirst() }
            if d.last == 0xF7 { d = d.dropLast() }
            raw("sysex\",\"data\":")
            array(d)
        case .meta(let meta):
            self.meta(meta)
        }
        raw("}\n")
    }

    /// A channel message: its fields, then the channel (mido's key order).
    private mutating func channel(_ type: StaticString, _ c: UInt8, _ f1: StaticString, _ v1: UInt8,
                                  _ f2: StaticString? = nil, _ v2: UInt8 = 0) {
        raw(type)
        raw("\",\"")
        raw(f1)
        raw("\":")
        int(Int(v1))
        if let f2 {
            raw(",\"")
            raw(f2)
            raw("\":")
            int(Int(v2))
        }
        raw(",\"channel\":")
        int(Int(c))
    }

    private mutating func meta(_ meta: MetaEvent) {
        switch meta {
        case .sequenceNumber(let n):
            raw("sequence_number\",\"number\":")
            int(n ?? 0)
        case .text(let kind, let bytes):
            switch kind {
            case .text: raw("text\",\"text\":")
            case .copyright: raw("copyright\",\"text\":")
            case .trackName: raw("track_name\",\"name\":")
            case .instrumentName: raw("instrument_name\",\"name\":")
            case .lyrics: raw("lyrics\",\"text\":")
            case .marker: raw("marker\",\"text\":")
            case .cuePoint: raw("cue_marker\",\"text\":")
            case .deviceName: raw("device_name\",\"name\":")
            case .programName:
                // mido has no name for type 0x08.
                raw("unknown_meta\",\"type_byte\":8,\"data\":")
                array(bytes[...])
                return
            }
            latin1String(bytes)
        case .channelPrefix(let c):
            raw("channel_prefix\",\"channel\":")
            int(Int(c))
        case .port(let p):
            raw("midi_port\",\"port\":")
            int(Int(p))
        case .endOfTrack:
            raw("end_of_track\"")
        case .setTempo(let t):
            raw("set_tempo\",\"tempo\":")
            int(t)
        case .smpteOffset(let b):
            let rates = [24, 25, 29.97, 30] as [Double]
            let hours = b.count > 0 ? Int(b[0]) : 0
            raw("smpte_offset\",\"frame_rate\":")
            let rate = rates[(hours >> 5) & 3]
            if rate == 29.97 { raw("29.97") } else { int(Int(rate)) }
            raw(",\"hours\":")
            int(hours & 0x1F)
            for (name, k) in [("minutes", 1), ("seconds", 2), ("frames", 3), ("sub_frames", 4)] {
                raw(",\"")
                string(name)
                raw("\":")
                int(b.count > k ? Int(b[k]) : 0)
            }
        case .timeSignature(let n, let d, let c, let b):
            raw("time_signature\",\"numerator\":")
            int(Int(n))
            raw(",\"denominator\":")
            int(d < 63 ? 1 << Int(d) : 0)
            raw(",\"clocks_per_click\":")
            int(Int(c))
            raw(",\"notated_32nd_notes_per_beat\":")
            int(Int(b))
        case .keySignature(let sf, let minor):
            raw("key_signature\",\"key\":\"")
            string(KeySpelling.name(sharpsOrFlats: Int(sf), minor: minor))
            buffer.append(0x22)
        case .sequencerSpecific(let bytes):
            raw("sequencer_specific\",\"data\":")
            array(bytes[...])
        case .unknown(let type, let bytes):
            raw("unknown_meta\",\"type_byte\":")
            int(Int(type))
            raw(",\"data\":")
            array(bytes[...])
        }
    }

    // MARK: - JSON primitives

    @inline(__always)
    private mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    private mutating func string(_ s: String) {
        buffer.append(contentsOf: s.utf8)
    }

    @inline(__always)
    private mutating func int(_ value: Int) {
        if value < 0 { buffer.append(0x2D) }
        var v = value.magnitude
        if v < 10 { buffer.append(0x30 + UInt8(v)); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 {
                d[n] = 0x30 + UInt8(v % 10)
                v /= 10
                n += 1
            }
            while n > 0 {
                n -= 1
                buffer.append(d[n])
            }
        }
    }

    private mutating func array(_ bytes: ArraySlice<UInt8>) {
        buffer.append(0x5B)
        var first = true
        for b in bytes {
            if !first { buffer.append(0x2C) }
            first = false
            int(Int(b))
        }
        buffer.append(0x5D)
    }

    /// A JSON string of bytes read as Latin-1 (as mido decodes text), non-ASCII escaped as \u00XX.
    private mutating func latin1String(_ bytes: [UInt8]) {
        buffer.append(0x22)
        let hexDigits: StaticString = "0123456789abcdef"
        for b in bytes {
            switch b {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0x20 ... 0x7E: buffer.append(b)
            default:
                raw("\\u00")
                hexDigits.withUTF8Buffer { h in
                    buffer.append(h[Int(b >> 4)])
                    buffer.append(h[Int(b & 15)])
                }
            }
        }
        buffer.append(0x22)
    }
}

extension EventDumpWriter: SMFEventSink {
    mutating func beginTrack(byteLength: Int) {
        trackIndex += 1
    }

    mutating func event(tick: Int, _ message: MIDIMessage) {
        line(track: trackIndex, MIDIEvent(tick: tick, message))
        if buffer.count >= Self.chunkSize {
            flush(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    mutating func endTrack() {}

    /// A `warning` record: `{"track":T,"tick":N,"type":"warning","offset":BYTE,"message":"..."}`
    /// (a problem between tracks names the track read next; missing tracks, the last one read).
    mutating func warning(_ warning: MIDIWarning) {
        raw("{\"track\":")
        int(warning.track ?? (warning.kind == .missingTracks ? max(0, trackIndex) : trackIndex + 1))
        raw(",\"tick\":")
        int(warning.tick)
        raw(",\"type\":\"warning\",\"offset\":")
        int(warning.offset)
        raw(",\"message\":")
        latin1String(Array(warning.message.utf8))
        raw("}\n")
    }
}

extension MIDIFile {
    /// The JSON Lines event dump as lines without newlines (header first); see ``EventDumpWriter``.
    public func dumpLines() -> [String] {
        var bytes: [UInt8] = []
        var writer = EventDumpWriter { bytes += $0 }
        writer.write(self)
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

/// Key signature names as mido spells them ("C", "F#m", "Bb", ...).
public enum KeySpelling {
    private static let major = ["Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#"]
    private static let minor = ["Abm", "Ebm", "Bbm", "Fm", "Cm", "Gm", "Dm", "Am", "Em", "Bm", "F#m", "C#m", "G#m", "D#m", "A#m"]

    /// The name of a key signature with `sharpsOrFlats` in -7 ... 7 (clamped).
    public static func name(sharpsOrFlats: Int, minor isMinor: Bool) -> String {
        let i = min(max(sharpsOrFlats, -7), 7) + 7
        return isMinor ? minor[i] : major[i]
    }
}
