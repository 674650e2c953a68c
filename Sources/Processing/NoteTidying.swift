import MIDI

/// Restores the note-list invariants after pitches or onsets moved.
enum NoteTidying {
    /// Sorts notes in ``Note/playingOrder(_:_:)`` (start tick, pitch, channel, ...); merges notes with the same onset, pitch and
    /// channel into one (pitched notes only; the longest duration, the highest velocity); shortens a note that would
    /// still sound when the next note of the same pitch and channel starts (to at least 1 tick).
    static func tidy(_ notes: [Note]) -> [Note] {
        var sorted = notes.sorted(by: Note.playingOrder)
        var out: [Note] = []
        out.reserveCapacity(sorted.count)
        // Last kept index per (channel, pitch).
        var lastIndex = [Int](repeating: -1, count: 16 * 128)
        for i in sorted.indices {
            let n = sorted[i]
            if n.isDrum { out.append(n); continue }
            let slot = Int(n.channel & 15) * 128 + Int(n.pitch & 127)
            let j = lastIndex[slot]
            if j >= 0 {
                if out[j].startTick == n.startTick {
                    out[j].durationTicks = max(out[j].durationTicks, n.durationTicks)
                    out[j].velocity = max(out[j].velocity, n.velocity)
                    continue
                }
                if out[j].endTick > n.startTick {
                    out[j].durationTicks = max(1, n.startTick - out[j].startTick)
                }
            }
            lastIndex[slot] = out.count
            out.append(n)
        }
        sorted.removeAll()
        return out
    }
}
