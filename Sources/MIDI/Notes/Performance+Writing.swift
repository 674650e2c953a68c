extension Performance {
    /// A MIDI file playing this performance: format 1 (conductor events in track 0, one MIDI track per
    /// note track) or format 0 (everything merged into one track).
    ///
    /// At equal ticks the order is: meta events, releases of earlier notes, control messages, note
    /// onsets, then releases of zero-length notes, so back-to-back and zero-length notes survive a
    /// round trip. A program change is inserted before a note whose program differs from the one in
    /// force on its channel. Reading the result with ``init(midiFile:)`` gives the same notes.
    public func midiFile(format: Int = 1) -> MIDIFile {
        var outTracks: [[Item]]
        if format == 0 {
            var all: [Item] = conductorItems()
            var seq = all.count
            if let name = tracks.first(where: { $0.name != nil })?.name {
                all.insert(Item(tick: 0, phase: .meta, seq: -1, message: .meta(.text(.trackName, Array(name.utf8)))), at: 0)
            }
            for track in tracks { Self.appendItems(of: track, to: &all, seq: &seq) }
            outTracks = [all]
        } else {
            outTracks = []
            let count = max(1, tracks.count)
            for index in 0 ..< count {
                var items: [Item] = []
                var seq = 0
                if index < tracks.count, let name = tracks[index].name {
                    items.append(Item(tick: 0, phase: .meta, seq: seq, message: .meta(.text(.trackName, Array(name.utf8)))))
                    seq += 1
                }
                if index == 0 {
                    for item in conductorItems() {
                        items.append(Item(tick: item.tick, phase: item.phase, seq: seq, message: item.message))
                        seq += 1
                    }
                }
                if index < tracks.count { Self.appendItems(of: tracks[index], to: &items, seq: &seq) }
                outTracks.append(items)
            }
        }
        for t in outTracks.indices {
            outTracks[t].sort { ($0.tick, $0.phase.rawValue, $0.seq) < ($1.tick, $1.phase.rawValue, $1.seq) }
        }
        let inserts = Self.programInsertions(outTracks)
        var midiTracks: [MIDITrack] = []
        midiTracks.reserveCapacity(outTracks.count)
        for (t, items) in outTracks.enumerated() {
            var events: [MIDIEvent] = []
            events.reserveCapacity(items.count + inserts[t].count + 1)
            var next = 0
            for (i, item) in items.enumerated() {
                while next < inserts[t].count && inserts[t][next].position == i {
                    events.append(MIDIEvent(tick: item.tick, inserts[t][next].message))
                    next += 1
                }
                events.append(MIDIEvent(tick: item.tick, item.message))
            }
            events.append(MIDIEvent(tick: items.last?.tick ?? 0, .meta(.endOfTrack)))
            midiTracks.append(MIDITrack(events: events))
        }
        let division: Division = tempoMap.ticksPerSecond != nil ? tempoMap.division : .ticksPerBeat(min(max(ticksPerBeat, 1), 0x7FFF))
        return MIDIFile(format: format == 0 ? 0 : 1, division: division, tracks: midiTracks)
    }

    /// One event to write, with its place among events at the same tick.
    private struct Item {
        enum Phase: Int { case meta = 0, release = 1, control = 2, onset = 3, zeroLengthRelease = 4 }
        var tick: Int
        var phase: Phase
        var seq: Int
        var message: MIDIMessage
        var program: UInt8 = 0
    }

    /// Tempo, time and key signature events (for track 0).
    private func conductorItems() -> [Item] {
        var items: [Item] = []
        var seq = 0
        func add(_ tick: Int, _ meta: MetaEvent) {
            items.append(Item(tick: max(0, tick), phase: .meta, seq: seq, message: .meta(meta)))
            seq += 1
        }
        if tempoMap.ticksPerSecond == nil {
            for change in tempoMap.changes { add(change.tick, .setTempo(microsecondsPerBeat: change.microsecondsPerBeat)) }
        }
        for ts in timeSignatures {
            let d = max(1, ts.denominator)
            let power = UInt8(min(Int.bitWidth - 1 - d.leadingZeroBitCount, 127))
            add(ts.tick, .timeSignature(numerator: UInt8(min(max(ts.numerator, 1), 255)), denominatorPower: power,
                                        clocksPerClick: 24, thirtySecondNotesPerBeat: 8))
        }
        for ks in keySignatures {
            add(ks.tick, .keySignature(sharpsOrFlats: Int8(min(max(ks.sharpsOrFlats, -7), 7)), minor: ks.minor))
        }
        return items
    }

    /// Appends the note and control events of a note track.
    private static func appendItems(of track: NoteTrack, to items: inout [Item], seq: inout Int) {
        for control in track.controls {
            items.append(Item(tick: max(0, control.tick), phase: .control, seq: seq, message: control.message))
            seq += 1
        }
        let notes = track.notes.sorted(by: Note.playingOrder)
        for note in notes {
            let c = note.channel & 15, p = note.pitch & 127
            let start = max(0, note.startTick)
            let end = max(start, note.startTick + note.durationTicks)
            items.append(Item(tick: start, phase: .onset, seq: seq,
                              message: .noteOn(channel: c, note: p, velocity: min(max(note.velocity, 1), 127)),
                              program: note.program & 127))
            items.append(Item(tick: end, phase: end == start ? .zeroLengthRelease : .release, seq: seq,
                              message: .noteOff(channel: c, note: p, velocity: 0)))
            seq += 1
        }
    }

    /// Where program changes must be inserted so each note plays with its own program, per track:
    /// (item position, program change), positions ascending.
    private static func programInsertions(_ tracks: [[Item]]) -> [[(position: Int, message: MIDIMessage)]] {
        var order: [(at: PlayingPosition, channel: UInt8, program: UInt8, isNote: Bool)] = []
        for (t, items) in tracks.enumerated() {
            for (i, item) in items.enumerated() {
                switch item.message {
                case .programChange(let c, let p):
                    order.append((PlayingPosition(tick: item.tick, track: t, position: i), c & 15, p, false))
                case .noteOn(let c, _, _):
                    order.append((PlayingPosition(tick: item.tick, track: t, position: i), c, item.program, true))
                default:
                    break
                }
            }
        }
        order.sort { $0.at < $1.at }
        var current = [UInt8](repeating: 0, count: 16)
        var inserts = [[(position: Int, message: MIDIMessage)]](repeating: [], count: tracks.count)
        for entry in order {
            let c = Int(entry.channel)
            if entry.isNote && current[c] != entry.program {
                inserts[entry.at.track].append((entry.at.position, .programChange(channel: entry.channel, program: entry.program)))
            }
            current[c] = entry.program
        }
        return inserts
    }
}
