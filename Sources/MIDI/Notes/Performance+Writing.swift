import Foundation
import Support

extension Performance {
    /// A MIDI file playing this performance: format 1 (conductor events in track 0, one MIDI track per
    /// note track), format 2 (the same layout, patterns independent) or format 0 (everything merged into
    /// one track); nil writes ``format``.
    ///
    /// Every track's ``NoteTrack/otherEvents`` are written at their ticks and its end_of_track at
    /// ``NoteTrack/endOfTrackTick`` (or after its last event). At equal ticks the order is: other events,
    /// conductor events (tempo, time and key signatures, track 0), releases of earlier notes, control
    /// messages, note onsets, then releases of zero-length notes, so back-to-back and zero-length notes
    /// survive a round trip. A program change is inserted before a note whose program differs from the
    /// one in force on its channel. Reading the result with ``init(midiFile:)`` gives the same performance.
    public func midiFile(format: Int? = nil) -> MIDIFile {
        var collector = MIDIFileCollector()
        let header = MIDIEncodingPlan(self, format: format).write(into: &collector)
        return MIDIFile(format: header.format, division: header.division, tracks: collector.tracks)
    }

    /// The Standard MIDI File bytes of ``midiFile(format:)``, encoded straight from the note model (no event
    /// list in between: memory stays near the model's and the output's own size).
    public func encodedMIDI(format: Int? = nil) -> [UInt8] {
        var encoder = SMFWriterSink()
        // Most events take 3-4 bytes (running status, short deltas): reserve that much once.
        let events = tracks.reduce(0) { $0 + $1.otherEvents.count + $1.controls.count + 2 * $1.notes.count }
        encoder.writer.reserve(14 + 8 * (tracks.count + 1) + 4 * events + 64)
        _ = MIDIEncodingPlan(self, format: format).write(into: &encoder)
        return encoder.writer.out
    }

    /// Writes ``encodedMIDI(format:)`` to `url` atomically; an existing file is replaced only if `overwrite`.
    public func writeMIDI(to url: URL, format: Int? = nil, overwrite: Bool = false) throws {
        try AtomicFileWriter(destination: url, overwrite: overwrite).write(encodedMIDI(format: format))
    }
}

/// Receives the tracks of a performance being written, event by event in tick order.
protocol MIDIEncodingSink {
    mutating func header(format: Int, tracks: Int, division: Division)
    mutating func beginTrack()
    mutating func event(tick: Int, _ message: MIDIMessage)
    /// The track ends; its end_of_track goes at `tick` or after the last event.
    mutating func endTrack(atLeast tick: Int)
}

/// Builds ``MIDITrack`` values.
struct MIDIFileCollector: MIDIEncodingSink {
    var tracks: [MIDITrack] = []
    private var events: [MIDIEvent] = []
    mutating func header(format: Int, tracks: Int, division: Division) { self.tracks.reserveCapacity(tracks) }
    mutating func beginTrack() { events = [] }
    mutating func event(tick: Int, _ message: MIDIMessage) { events.append(MIDIEvent(tick: tick, message)) }
    mutating func endTrack(atLeast tick: Int) {
        if case .meta(.endOfTrack)? = events.last?.message {} else {
            events.append(MIDIEvent(tick: max(tick, events.last?.tick ?? 0), .meta(.endOfTrack)))
        }
        tracks.append(MIDITrack(events: events))
        events = []
    }
}

/// Encodes bytes directly.
struct SMFWriterSink: MIDIEncodingSink {
    var writer = SMFWriter()
    mutating func header(format: Int, tracks: Int, division: Division) { writer.header(format: format, tracks: tracks, division: division) }
    mutating func beginTrack() { writer.beginTrack() }
    mutating func event(tick: Int, _ message: MIDIMessage) { writer.event(tick: tick, message) }
    mutating func endTrack(atLeast tick: Int) { writer.endTrack(atLeast: tick) }
}

/// How a performance is laid out as MIDI tracks, and the writing of them.
///
/// Each output track is a sorted list of 24-byte entries (tick, order, source) pointing into the performance,
/// so writing needs no copy of the events.
struct MIDIEncodingPlan {
    /// Where an entry's message comes from.
    enum Source: UInt32 {
        case other = 0, conductor, control, onset, release, name
    }

    /// Order among events at one tick.
    enum Phase: UInt64 {
        case other = 0, conductor = 1, release = 2, control = 3, onset = 4, zeroLengthRelease = 5
    }

    /// One event to write: its tick, its order at that tick (phase << 56 | sequence) and where it comes from
    /// (source track << 3 | ``Source``, element index).
    struct Entry {
        var tick: Int
        var order: UInt64
        var ref: UInt32
        var index: UInt32
    }

    let performance: Performance
    let format: Int
    /// Tempo, time and key signature events for track 0.
    let conductor: [MIDIEvent]

    init(_ performance: Performance, format: Int?) {
        self.performance = performance
        let f = format ?? performance.format
        self.format = f == 0 ? 0 : f == 2 ? 2 : 1
        self.conductor = Self.conductorEvents(performance)
    }

    /// The source tracks of each output track.
    private var layout: [[Int]] {
        let tracks = performance.tracks
        if format == 0 { return [Array(tracks.indices)] }
        return tracks.isEmpty ? [[]] : tracks.indices.map { [$0] }
    }

    /// Writes the header and every track to `sink`; returns the header fields.
    func write<Sink: MIDIEncodingSink>(into sink: inout Sink) -> (format: Int, division: Division) {
        let tempoMap = performance.tempoMap
        let division: Division = tempoMap.ticksPerSecond != nil ? tempoMap.division
            : .ticksPerBeat(min(max(performance.ticksPerBeat, 1), 0x7FFF))
        let layout = self.layout
        sink.header(format: format, tracks: min(layout.count, 0xFFFF), division: division)
        var inserts = programInsertions(layout)
        let names = performance.tracks.map(\.firstNameIndex)
        for (t, sources) in layout.enumerated().prefix(0xFFFF) {
            var entries = self.entries(sources, conductorTrack: t == 0, names: names)
            entries.sort { ($0.tick, $0.order) < ($1.tick, $1.order) }
            var pending = inserts[t][...]
            inserts[t] = []
            sink.beginTrack()
            for e in entries {
                let source = Source(rawValue: e.ref & 7)!
                if source == .onset {
                    while let first = pending.first, (first.tick, first.order) <= (e.tick, e.order) {
                        if (first.tick, first.order) == (e.tick, e.order) {
                            sink.event(tick: e.tick, .programChange(channel: first.channel, program: first.program))
                        }
                        pending = pending.dropFirst()
                    }
                }
                sink.event(tick: e.tick, message(e, source: source, names: names))
            }
            var end = 0
            for s in sources { end = max(end, performance.tracks[s].endOfTrackTick ?? 0) }
            sink.endTrack(atLeast: end)
        }
        return (format, division)
    }

    /// The message of an entry.
    private func message(_ e: Entry, source: Source, names: [Int?]) -> MIDIMessage {
        let i = Int(e.index)
        if source == .conductor { return conductor[i].message }
        let t = Int(e.ref >> 3)
        switch source {
        case .other:
            let event = performance.tracks[t].otherEvents[i]
            if i == names[t], let name = performance.tracks[t].name {
                return .meta(.text(.trackName, TrackNameText.bytes(name, original: event.message)))
            }
            return event.message
        case .control: return performance.tracks[t].controls[i].message
        case .name: return .meta(.text(.trackName, Array((performance.tracks[t].name ?? "").utf8)))
        case .onset:
            let n = performance.tracks[t].notes[i]
            return .noteOn(channel: n.channel & 15, note: n.pitch & 127, velocity: min(max(n.velocity, 1), 127))
        case .release, .conductor:
            let n = performance.tracks[t].notes[i]
            return .noteOff(channel: n.channel & 15, note: n.pitch & 127, velocity: 0)
        }
    }

    /// The entries of one output track (unsorted). Sequence numbers count per phase kind, so that
    /// ``programInsertions(_:)`` can give the same orders to controls and onsets.
    private func entries(_ sources: [Int], conductorTrack: Bool, names: [Int?]) -> [Entry] {
        var count = conductorTrack ? conductor.count : 0
        for s in sources {
            let t = performance.tracks[s]
            count += t.otherEvents.count + t.controls.count + 2 * t.notes.count + 1
        }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        func add(_ tick: Int, _ phase: Phase, _ sequence: Int, _ track: Int, _ source: Source, _ index: Int) {
            entries.append(Entry(tick: max(0, tick), order: phase.rawValue << 56 | UInt64(sequence),
                                 ref: UInt32(track) << 3 | source.rawValue, index: UInt32(index)))
        }
        var others = 0
        for s in sources {
            let t = performance.tracks[s]
            if t.name != nil && names[s] == nil { add(0, .other, others, s, .name, 0); others += 1 }
            let skipped = t.name == nil ? names[s] : nil
            for (i, e) in t.otherEvents.enumerated() where i != skipped { add(e.tick, .other, others, s, .other, i); others += 1 }
        }
        if conductorTrack {
            for (i, e) in conductor.enumerated() { add(e.tick, .conductor, i, sources.first ?? 0, .conductor, i) }
        }
        var controls = 0
        for s in sources {
            for (i, c) in performance.tracks[s].controls.enumerated() { add(c.tick, .control, controls, s, .control, i); controls += 1 }
        }
        var onsets = 0
        for s in sources {
            let notes = performance.tracks[s].notes
            let order = performance.tracks[s].playingOrderIfUnsorted
            for k in notes.indices {
                let i = order?[k] ?? k
                let n = notes[i]
                let start = max(0, n.startTick)
                let end = max(start, n.startTick + n.durationTicks)
                add(start, .onset, onsets, s, .onset, i)
                add(end, end == start ? .zeroLengthRelease : .release, onsets, s, .release, i)
                onsets += 1
            }
        }
        return entries
    }

    /// A program change to insert before the onset with this tick and order.
    struct ProgramInsert {
        var tick: Int
        var order: UInt64
        var channel: UInt8
        var program: UInt8
    }

    /// Where program changes must be inserted so each note plays with its own program, per output track,
    /// in writing order: walks every program change and onset of all tracks in playing order.
    private func programInsertions(_ layout: [[Int]]) -> [[ProgramInsert]] {
        // 16 bytes per item: the tick, then track (16 bits) | onset (1) | sequence (36) | channel (4) | program (7),
        // so sorting by (tick, key) walks the playing order (tick, track, controls before onsets, sequence).
        struct Item { var tick: Int; var key: UInt64 }
        func key(track: Int, onset: Bool, sequence: UInt64, channel: UInt8, program: UInt8) -> UInt64 {
            UInt64(min(track, 0xFFFF)) << 48 | (onset ? 1 << 47 : 0) | (sequence & 0xF_FFFF_FFFF) << 11
                | UInt64(channel & 15) << 7 | UInt64(program & 127)
        }
        var items: [Item] = []
        for (t, sources) in layout.enumerated() {
            var controls: UInt64 = 0
            for s in sources {
                for c in performance.tracks[s].controls {
                    if case .programChange(let ch, let p) = c.message {
                        items.append(Item(tick: max(0, c.tick), key: key(track: t, onset: false, sequence: controls, channel: ch, program: p)))
                    }
                    controls += 1
                }
            }
            var onsets: UInt64 = 0
            for s in sources {
                let notes = performance.tracks[s].notes
                let order = performance.tracks[s].playingOrderIfUnsorted
                for k in notes.indices {
                    let n = notes[order?[k] ?? k]
                    items.append(Item(tick: max(0, n.startTick), key: key(track: t, onset: true, sequence: onsets, channel: n.channel, program: n.program)))
                    onsets += 1
                }
            }
        }
        items.sort { ($0.tick, $0.key) < ($1.tick, $1.key) }
        var current = [UInt8](repeating: 0, count: 16)
        var inserts = [[ProgramInsert]](repeating: [], count: layout.count)
        for item in items {
            let c = Int((item.key >> 7) & 15), program = UInt8(item.key & 127)
            if item.key & (1 << 47) != 0 && current[c] != program {
                let order = Phase.onset.rawValue << 56 | (item.key >> 11) & 0xF_FFFF_FFFF
                inserts[Int(item.key >> 48)].append(ProgramInsert(tick: item.tick, order: order, channel: UInt8(c), program: program))
            }
            current[c] = program
        }
        items = []
        return inserts
    }

    /// Tempo, time and key signature events (for track 0).
    private static func conductorEvents(_ p: Performance) -> [MIDIEvent] {
        var events: [MIDIEvent] = []
        if p.tempoMap.ticksPerSecond == nil {
            for change in p.tempoMap.changes {
                events.append(MIDIEvent(tick: max(0, change.tick), .meta(.setTempo(microsecondsPerBeat: change.microsecondsPerBeat))))
            }
        }
        for ts in p.timeSignatures {
            let d = max(1, ts.denominator)
            let power = UInt8(min(Int.bitWidth - 1 - d.leadingZeroBitCount, 127))
            events.append(MIDIEvent(tick: max(0, ts.tick), .meta(.timeSignature(
                numerator: UInt8(min(max(ts.numerator, 1), 255)), denominatorPower: power,
                clocksPerClick: UInt8(min(max(ts.clocksPerClick, 0), 255)),
                thirtySecondNotesPerBeat: UInt8(min(max(ts.thirtySecondNotesPerBeat, 0), 255))))))
        }
        for ks in p.keySignatures {
            events.append(MIDIEvent(tick: max(0, ks.tick), .meta(.keySignature(sharpsOrFlats: Int8(min(max(ks.sharpsOrFlats, -7), 7)), minor: ks.minor))))
        }
        return events
    }
}

extension NoteTrack {
    /// The index in ``otherEvents`` of the first track_name meta event, if any.
    var firstNameIndex: Int? {
        otherEvents.firstIndex { if case .meta(.text(.trackName, _)) = $0.message { return true } else { return false } }
    }

    /// Indices of ``notes`` in playing order, nil when they already are (as usual).
    var playingOrderIfUnsorted: [Int]? {
        if Note.isInPlayingOrder(notes) { return nil }
        return notes.indices.sorted { Note.playingOrder(notes[$0], notes[$1]) }
    }
}

extension TrackNameText {
    /// The bytes to write for a track name: the original bytes when they still spell `name`, else UTF-8.
    static func bytes(_ name: String, original: MIDIMessage) -> [UInt8] {
        if case .meta(.text(.trackName, let bytes)) = original, decode(bytes) == name { return bytes }
        return Array(name.utf8)
    }
}
