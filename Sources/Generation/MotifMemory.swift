/// The piece's memory of its own notes: when the latest drawn notes (pitch, time step and length together)
/// repeat an earlier passage of the same piece, it proposes the note that followed that passage, so a
/// categorical stepper can mix it into the model's distributions (a cache model beside the network).
///
/// Why: an LSTM reading the last 32 notes cannot see that a tune's second phrase restates its first;
/// the corpus's tunes repeat whole phrases. The memory holds only what this piece has drawn (never the
/// primer), at most ``capacity`` notes (older ones are forgotten in blocks), and searches it in
/// O(capacity x match length) per step without allocating.
///
/// Restating, never looping: a passage is restated once, not again and again. The memory proposes nothing that
/// would start a third consecutive copy of a passage (when the latest notes already repeat the passage just
/// before them in full, the note that would carry the repeat on is never proposed, whatever earlier match points
/// to it), and lets go of a copy after ``maximumCopy`` notes, so the model's own choices take over again. (Without
/// these rules the memory fed itself: at temperature 0.5 every piece ended in an exact loop covering most of it.)
struct MotifMemory {
    /// One drawn note: pitch, time-step class and length class.
    struct Event: Hashable {
        var pitch: Int16
        var step: Int16
        var length: Int16

        /// The three fields in one integer (compared in one instruction).
        var packed: UInt64 {
            UInt64(UInt16(bitPattern: pitch)) | UInt64(UInt16(bitPattern: step)) << 16 | UInt64(UInt16(bitPattern: length)) << 32
        }

        /// The event packed as ``packed``.
        init(packed p: UInt64) {
            pitch = Int16(bitPattern: UInt16(truncatingIfNeeded: p))
            step = Int16(bitPattern: UInt16(truncatingIfNeeded: p >> 16))
            length = Int16(bitPattern: UInt16(truncatingIfNeeded: p >> 32))
        }

        /// An event.
        init(pitch: Int16, step: Int16, length: Int16) {
            self.pitch = pitch
            self.step = step
            self.length = length
        }
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
    /// Most notes copied from one earlier passage in a row: a match this long proposes nothing.
    let maximumCopy: Int
    /// The drawn notes, packed (``Event/packed``).
    private var events: [UInt64] = []
    /// The notes that would carry on a passage already played twice in a row (filled by ``proposal()``).
    private var forbidden: [UInt64] = []

    /// Creates an empty memory.
    init(capacity: Int = 1024, minimumMatch: Int = 4, maximumMatch: Int = 64, minimumDistance: Int = 8, maximumCopy: Int = 32) {
        self.capacity = max(8, capacity)
        self.minimumMatch = max(1, minimumMatch)
        self.maximumMatch = max(self.minimumMatch, maximumMatch)
        self.minimumDistance = max(1, minimumDistance)
        self.maximumCopy = max(self.minimumMatch + 1, maximumCopy)
        events.reserveCapacity(self.capacity)
        forbidden.reserveCapacity(Self.forbiddenLimit)
    }

    /// Most loop-continuing notes remembered per step (more periods at once than this are not told apart).
    static let forbiddenLimit = 16

    /// Remembers a drawn note.
    mutating func record(_ e: Event) {
        if events.count == capacity { events.removeFirst(capacity / 2) }
        events.append(e.packed)
    }

    /// The note that followed the longest earlier occurrence (most recent on ties) of the latest notes, if at least
    /// ``minimumMatch`` and fewer than ``maximumCopy`` of them match, unless that note would carry on a passage
    /// already played twice in a row.
    mutating func proposal() -> Event? {
        let n = events.count
        guard n > minimumMatch else { return nil }
        var best = 0, bestEnd = -1
        forbidden.removeAll(keepingCapacity: true)
        let longest = max(maximumMatch, maximumCopy)
        // An earlier passage ending at j, `lag` = n - 1 - j notes before the latest (at least minimumDistance),
        // followed by events[j + 1]. A match as long as its lag means the latest `lag` notes repeat the `lag` before
        // them: two copies in a row, whose continuation is forbidden.
        events.withUnsafeBufferPointer { e in
            var j = n - 1 - minimumDistance
            while j >= minimumMatch - 1 {
                let lag = n - 1 - j
                var l = 0
                while l < longest, l < lag, j - l >= 0, e[j - l] == e[n - 1 - l] { l += 1 }
                if l == lag {
                    if forbidden.count < Self.forbiddenLimit { forbidden.append(e[j + 1]) }
                } else if l > best && l < maximumCopy {
                    best = l
                    bestEnd = j
                }
                j -= 1
            }
        }
        guard best >= minimumMatch else { return nil }
        let proposed = events[bestEnd + 1]
        return forbidden.contains(proposed) ? nil : Event(packed: proposed)
    }
}
