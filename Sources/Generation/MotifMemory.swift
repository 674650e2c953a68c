/// The piece's memory of its own notes: when the latest drawn notes (pitch, time step and length together)
/// repeat an earlier passage of the same piece, it proposes the note that followed that passage, so a
/// categorical stepper can mix it into the model's distributions (a cache model beside the network).
///
/// Why: an LSTM reading the last 32 notes cannot see that a tune's second phrase restates its first;
/// the corpus's tunes repeat whole phrases. The memory holds only what this piece has drawn (never the
/// primer), at most ``capacity`` notes (older ones are forgotten in blocks), and searches it in
/// O(capacity x match length) per step without allocating.
struct MotifMemory {
    /// One drawn note: pitch, time-step class and length class.
    struct Event: Hashable {
        var pitch: Int16
        var step: Int16
        var length: Int16
    }

    /// Most notes remembered.
    let capacity: Int
    /// Fewest matching notes before a continuation is proposed.
    let minimumMatch: Int
    /// Longest match looked for (longer matches count as this long).
    let maximumMatch: Int
    /// Fewest notes between the end of the earlier passage and the latest note: restating a phrase, not
    /// looping a figure of a few notes (the two passages never overlap either).
    let minimumDistance: Int
    private var events: [Event] = []

    /// Creates an empty memory.
    init(capacity: Int = 1024, minimumMatch: Int = 4, maximumMatch: Int = 64, minimumDistance: Int = 8) {
        self.capacity = max(8, capacity)
        self.minimumMatch = max(1, minimumMatch)
        self.maximumMatch = max(self.minimumMatch, maximumMatch)
        self.minimumDistance = max(1, minimumDistance)
        events.reserveCapacity(self.capacity)
    }

    /// Remembers a drawn note.
    mutating func record(_ e: Event) {
        if events.count == capacity { events.removeFirst(capacity / 2) }
        events.append(e)
    }

    /// The note that followed the longest earlier occurrence (most recent on ties) of the latest notes,
    /// if at least ``minimumMatch`` of them match.
    func proposal() -> Event? {
        let n = events.count
        guard n > minimumMatch else { return nil }
        var best = 0, bestEnd = -1
        // An earlier passage ending at j (at least minimumDistance before the latest note), followed by events[j + 1].
        events.withUnsafeBufferPointer { e in
            var j = n - 1 - minimumDistance
            while j >= minimumMatch - 1 {
                var l = 0
                while l < maximumMatch, l < n - 1 - j, j - l >= 0, e[j - l] == e[n - 1 - l] { l += 1 }
                if l > best { best = l; bestEnd = j }
                j -= 1
            }
        }
        return best >= minimumMatch ? events[bestEnd + 1] : nil
    }
}
