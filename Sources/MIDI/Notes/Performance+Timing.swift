import Foundation
import Support

extension Performance {
    /// The last tick of any note release or control message (0 when empty): where the notes end.
    public var endTick: Int {
        var end = 0
        for track in tracks {
            for note in track.notes { end = max(end, note.endTick) }
            if let last = track.controls.last { end = max(end, last.tick) }
        }
        return end
    }

    /// Playing time in seconds up to ``endTick`` (the notes' end).
    public var durationSeconds: Double { tempoMap.seconds(atTick: endTick) }

    /// Where the piece ends: the latest note release, control, other event or end_of_track of any track (at
    /// least ``endTick``; a loop's closing rest counts). In format 2, where the patterns play one after another,
    /// the sum of the tracks' lengths. Audio renders last at least this long before the release tail.
    public var lengthTick: Int {
        if format == 2 { return tracks.reduce(0) { $0 + $1.endTick } }
        return tracks.reduce(0) { max($0, $1.endTick) }
    }

    /// Playing time in seconds up to ``lengthTick`` (mido's `MidiFile.length` for a file read as it is).
    public var lengthSeconds: Double { tempoMap.seconds(atTick: lengthTick) }

    /// The time in seconds of a tick, through the tempo map.
    public func seconds(atTick tick: Int) -> Double { tempoMap.seconds(atTick: tick) }

    /// Every note of every track, sorted by start tick, then pitch (``Note/playingOrder(_:_:)``).
    public var allNotes: [Note] {
        var all: [Note] = []
        all.reserveCapacity(tracks.reduce(0) { $0 + $1.notes.count })
        for track in tracks { all += track.notes }
        all.sort(by: Note.playingOrder)
        return all
    }

    /// Number of notes in all tracks.
    public var noteCount: Int { tracks.reduce(0) { $0 + $1.notes.count } }

    /// Reads a MIDI file into the note model, refusing any damage (strict reading); throws ``FileError`` or
    /// ``MIDIError`` naming the path.
    public init(contentsOf url: URL) throws {
        self = try Self.read(contentsOf: url, strict: true).performance
    }

    /// Reads a MIDI file into the note model. Tolerant reading (the default) keeps what is readable and returns
    /// the problems it worked around; `strict` refuses any damage. Throws ``FileError`` or ``MIDIError`` naming the path.
    public static func read(contentsOf url: URL, strict: Bool = false) throws -> PerformanceReading {
        let bytes = try FileBytes.read(path: url.path)
        var result: Result<PerformanceReading, MIDIError>!
        bytes.withUnsafeBytes { raw in
            do throws(MIDIError) { result = .success(try read(bytes: raw, strict: strict)) } catch { result = .failure(error) }
        }
        do {
            return try result.get()
        } catch {
            throw error.with(path: url.path)
        }
    }

    /// The performance as it plays: a format-2 performance becomes a format-1 one whose patterns (tracks) follow
    /// one another, each starting where the previous one's ``NoteTrack/endTick`` ends (tempo changes of later
    /// patterns join the tempo map at their shifted ticks); any other performance is returned as it is.
    public func sequencedForPlayback() -> Performance {
        guard format == 2 else { return self }
        var out = self
        out.format = 1
        var offset = 0
        var tempos = tempoMap.changes
        for t in out.tracks.indices {
            let length = tracks[t].endTick
            if t > 0 {
                out.tracks[t].shift(by: offset)
                for event in out.tracks[t].otherEvents {
                    if case .meta(.setTempo(let us)) = event.message {
                        tempos.append(TempoMap.Change(tick: event.tick, microsecondsPerBeat: us))
                    }
                }
            }
            offset += length
        }
        if tempoMap.ticksPerBeat != nil {
            out.tempoMap = TempoMap(division: tempoMap.division, changes: tempos)
        }
        return out
    }
}

extension NoteTrack {
    /// Moves every note, control, other event and the end_of_track later by `ticks`.
    mutating func shift(by ticks: Int) {
        guard ticks != 0 else { return }
        for i in notes.indices { notes[i].startTick += ticks }
        for i in controls.indices { controls[i].tick += ticks }
        for i in otherEvents.indices { otherEvents[i].tick += ticks }
        if let end = endOfTrackTick { endOfTrackTick = end + ticks }
    }
}
