import Foundation

/// The conventional names of an arrangement's parts: each part is one named track, so a DAW shows it as such.
public enum PartName {
    /// The tune.
    public static let melody = "Melody"
    /// The harmony (the chords stage's track).
    public static let chords = "Chords"
    /// The bass line.
    public static let bass = "Bass"
    /// The drum kit (General MIDI channel 10).
    public static let drums = "Drums"
}

/// One part of a performance: a track with notes, under a name unique within the performance.
public struct Part: Sendable, Hashable {
    /// The part's name: the track's name (`Melody`, `Bass`, ...), `Track N` (1-based track index) when it has none,
    /// with ` 2`, ` 3`, ... appended when several tracks share a name.
    public var name: String
    /// Index of the track in ``Performance/tracks``.
    public var trackIndex: Int
}

extension Performance {
    /// The parts: every track with at least one note, in track order, each under a unique name.
    public var parts: [Part] {
        var seen: [String: Int] = [:]
        var out: [Part] = []
        for (i, track) in tracks.enumerated() where !track.notes.isEmpty {
            let trimmed = (track.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let base = trimmed.isEmpty ? "Track \(i + 1)" : trimmed
            let count = (seen[base.lowercased()] ?? 0) + 1
            seen[base.lowercased()] = count
            out.append(Part(name: count == 1 ? base : "\(base) \(count)", trackIndex: i))
        }
        return out
    }

    /// The index of the first track named `name` (ignoring case), if any.
    public func trackIndex(named name: String) -> Int? {
        tracks.firstIndex { $0.name?.lowercased() == name.lowercased() }
    }

    /// The performance of one part alone: the same timing (ticks per beat, tempo map, time and key signatures),
    /// the part's track, and the controls of every other track on the channels the part's notes use (so the part
    /// sounds with the channel state it has in the whole performance).
    public func isolating(_ part: Part) -> Performance {
        var track = tracks[part.trackIndex]
        let channels = Set(track.notes.map(\.channel))
        var borrowed: [MIDIEvent] = []
        for (i, other) in tracks.enumerated() where i != part.trackIndex {
            for c in other.controls { if let ch = c.message.channel, channels.contains(ch) { borrowed.append(c) } }
        }
        if !borrowed.isEmpty {
            // Stable merge by tick: earlier tracks' controls before later ones' at equal ticks, as the writer orders them.
            let merged = (track.controls.map { (0, $0) } + borrowed.map { (1, $0) })
            track.controls = merged.enumerated().sorted { a, b in
                (a.element.1.tick, a.offset) < (b.element.1.tick, b.offset)
            }.map(\.element.1)
        }
        return Performance(ticksPerBeat: ticksPerBeat, tempoMap: tempoMap, timeSignatures: timeSignatures,
                           keySignatures: keySignatures, tracks: [track])
    }
}
