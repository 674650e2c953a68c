import MIDI

/// What a processor does with notes that land on the same onset, pitch and channel.
public enum CollisionPolicy: String, CaseIterable, Sendable, Hashable {
    /// Keep every note (no note is ever lost); they sound together.
    case keep
    /// Merge them into one (the longest duration, the highest velocity), and report how many merged.
    case merge

    /// The `collisions` parameter every processor that moves notes declares.
    static let parameter = ParameterSpec(
        "collisions", .choice(allCases.map(\.rawValue)), default: "keep",
        "notes landing on the same onset, pitch and channel: keep all, or merge into one (reported)")
}

/// Restores the note-list invariants after pitches or onsets moved.
enum NoteTidying {
    /// Sorts notes in ``Note/playingOrder(_:_:)`` (start tick, pitch, channel, ...) and shortens a note that would
    /// still sound when a later note of the same pitch and channel starts (to at least 1 tick). Pitched notes with
    /// the same onset, pitch and channel are kept as they are (`.keep`) or merged into one, the longest duration
    /// and the highest velocity (`.merge`). Returns the notes and how many notes collided (merged away, or kept
    /// beside another).
    static func tidy(_ notes: [Note], collisions: CollisionPolicy = .keep) -> (notes: [Note], collided: Int) {
        var sorted = notes
        if !notes.isSortedInPlayingOrder { sorted.sort(by: Note.playingOrder) }
        var out: [Note] = []
        out.reserveCapacity(sorted.count)
        var collided = 0
        // Last kept index per (channel, pitch).
        var lastIndex = [Int](repeating: -1, count: 16 * 128)
        for i in sorted.indices {
            let n = sorted[i]
            if n.isDrum { out.append(n); continue }
            let slot = Int(n.channel & 15) * 128 + Int(n.pitch & 127)
            let j = lastIndex[slot]
            if j >= 0 {
                if out[j].startTick == n.startTick {
                    collided += 1
                    if collisions == .merge {
                        out[j].durationTicks = max(out[j].durationTicks, n.durationTicks)
                        out[j].velocity = max(out[j].velocity, n.velocity)
                        continue
                    }
                } else if out[j].endTick > n.startTick {
                    // Every note of the same onset as out[j] (kept collisions) is shortened alike.
                    var k = j
                    while k >= 0 {
                        if out[k].channel == n.channel && out[k].pitch == n.pitch && !out[k].isDrum {
                            guard out[k].startTick == out[j].startTick else { break }
                            if out[k].endTick > n.startTick { out[k].durationTicks = max(1, n.startTick - out[k].startTick) }
                        } else if out[k].startTick < out[j].startTick {
                            break
                        }
                        k -= 1
                    }
                }
            }
            lastIndex[slot] = out.count
            out.append(n)
        }
        return (out, collided)
    }

    /// The report line for `collided` notes of processor `name` under `policy` (nil when there were none).
    static func report(_ name: String, collided: Int, policy: CollisionPolicy) -> String? {
        guard collided > 0 else { return nil }
        switch policy {
        case .merge:
            return "\(name): merged \(collided) note\(collided == 1 ? "" : "s") into others on the same onset, pitch and channel (collisions=merge)"
        case .keep:
            return "\(name): kept \(collided) note\(collided == 1 ? "" : "s") sharing an onset, pitch and channel with another (collisions=keep; collisions=merge merges them)"
        }
    }
}

extension Array where Element == Note {
    /// Whether the notes are in ``Note/playingOrder(_:_:)``.
    var isSortedInPlayingOrder: Bool {
        var i = 1
        while i < count {
            if Note.playingOrder(self[i], self[i - 1]) { return false }
            i += 1
        }
        return true
    }
}
