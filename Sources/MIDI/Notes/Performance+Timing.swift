import Foundation
import Support

extension Performance {
    /// The last tick of any note release or control message (0 when empty).
    public var endTick: Int {
        var end = 0
        for track in tracks {
            for note in track.notes { end = max(end, note.endTick) }
            if let last = track.controls.last { end = max(end, last.tick) }
        }
        return end
    }

    /// Playing time in seconds up to ``endTick``.
    public var durationSeconds: Double { tempoMap.seconds(atTick: endTick) }

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

    /// Reads a MIDI file into the note model; throws ``FileError`` or ``MIDIError`` naming the path.
    public init(contentsOf url: URL) throws {
        self.init(midiFile: try MIDIFile(contentsOf: url))
    }
}
