/// The piece's memory of its own notes: when the latest drawn notes (pitch, time step and length together)
/// repeat an earlier passage of the same piece, it proposes the note that followed that passage, so a
/// categorical stepper can mix it into the model's distributions (a cache model beside the network), and
/// ``NextNoteEvaluation`` can score that mixed distribution on a song's true notes.
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
/// The same scan tells the stepper which next notes would carry on a loop of the model's own (``continuesLoop(_:)``).
/// A phrase can also be brought back on purpose: ``recall(from:)`` and ``recall(_:)`` cue an earlier passage, proposed
/// note by note where no match proposes one (the stepper's phrase recall, ``SamplingOptions/phraseRecall``).
public struct MotifMemory: Sendable {
    /// One drawn note: pitch, time-step class and length class.
    public struct Event: Hashable, Sendable {
        public var pitch: Int16
        public var step: Int16
        public var length: Int16

        /// The three fields in one integer (compared in one instruction).
        public var packed: UInt64 {
            UInt64(UInt16(bitPattern: pitch)) | UInt64(UInt16(bitPattern: step)) << 16 | UInt64(UInt16(bitPattern: length)) << 32
        }

        /// The event packed as ``packed``.
        public init(packed p: UInt64) {
            pitch = Int16(bitPattern: UInt16(truncatingIfNeeded: p))
            step = Int16(bitPattern: UInt16(truncatingIfNeeded: p >> 16))
            length = Int16(bitPattern: UInt16(truncatingIfNeeded: p >> 32))
        }

        /// An event.
        public init(pitch: Int16, step: Int16, length: Int16) {
            self.pitch = pitch
            self.step = step
            self.length = length
        }
    }

    /// Most notes remembered.
    public let capacity: Int
    /// Fewest matching notes before a continuation is proposed.
    public let minimumMatch: Int
    /// Fewest notes between the end of the earlier passage and the latest note: restating a phrase, not
    /// looping a figure of a few notes (the two passages never overlap either).
    public let minimumDistance: Int
    /// Most notes copied from one earlier passage in a row: a match this long proposes nothing.
    public let maximumCopy: Int
    /// The drawn notes, packed (``Event/packed``).
    private var events: [UInt64] = []
    /// The notes that would carry on a passage already played twice in a row (filled by ``proposal()``).
    private var forbidden: [UInt64] = []

    /// Creates an empty memory.
    public init(capacity: Int = 1024, minimumMatch: Int = 4, minimumDistance: Int = 8, maximumCopy: Int = 32) {
        self.capacity = max(8, capacity)
        self.minimumMatch = max(1, minimumMatch)
        self.minimumDistance = max(1, minimumDistance)
        self.maximumCopy = max(self.minimumMatch + 1, maximumCopy)
        events.reserveCapacity(self.capacity)
        forbidden.reserveCapacity(Self.forbiddenLimit)
        cued.reserveCapacity(self.maximumCopy)
    }

    /// Most loop-continuing notes remembered per step (more periods at once than this are not told apart).
    public static let forbiddenLimit = 16
    /// Most notes a short figure may repeat over: a periodic tail may cover max(2 x period, this) notes, and never more
    /// than ``loopShare`` of the piece so far.
    public static let shortLoopNotes = 16
    /// Largest share of the piece's notes so far an exact periodic tail may cover.
    public static let loopShare = 0.3

    /// Whether `e` as the next note would carry on a loop (as of the last ``proposal()``): make the piece's latest notes
    /// an exact periodic tail (every note equal to the one a period earlier, two periods at least) covering more than
    /// max(2 x period, ``shortLoopNotes``) notes or more than ``loopShare`` of the piece. So a passage is played at most
    /// twice in a row (its second copy varied at the end when two copies would fill too much of the piece) and a short
    /// figure repeats over at most 16 notes.
    public func continuesLoop(_ e: Event) -> Bool { forbidden.contains(e.packed) }

    /// The number (as ``recorded`` counts) of the oldest note still remembered.
    public var firstRemembered: Int { recorded - events.count }

    /// Notes recorded since the start of the piece (including forgotten ones).
    public private(set) var recorded = 0

    /// Remembers a drawn note.
    public mutating func record(_ e: Event) {
        if cursor < cued.count {
            // A cued passage goes on note by note, also past a note drawn otherwise (a varied restatement), until it
            // ends or the drawn notes have left it ``cueMisses`` times in a row.
            cueMissed = cued[cursor] == e.packed ? 0 : cueMissed + 1
            cursor = cueMissed < Self.cueMisses ? cursor + 1 : cued.count
        }
        if events.count == capacity { events.removeFirst(capacity / 2) }
        events.append(e.packed)
        recorded += 1
    }

    /// The passage a cue restates (packed), the next of its notes to propose, and the drawn notes in a row that did not
    /// follow it.
    private var cued: [UInt64] = []
    private var cursor = 0, cueMissed = 0
    /// Drawn notes in a row that leave a cued passage and end it.
    public static let cueMisses = 3

    /// Cues a restatement of the remembered notes from number `start` (counted as ``recorded`` counts) on, at most
    /// ``maximumCopy`` of them: see ``recall(_:)``. Nothing happens if they are forgotten or fewer than ``minimumMatch``.
    public mutating func recall(from start: Int) {
        let i = start - firstRemembered
        guard i >= 0, events.count - i >= minimumMatch else { return }
        cue(events[i..<min(events.count, i + maximumCopy)])
    }

    /// Cues a restatement of `passage` (at most ``maximumCopy`` notes of it): where no match proposes a note, the next
    /// notes proposed are the passage's, one per note drawn, also past a note drawn otherwise (a varied restatement),
    /// until it ends or the drawn notes have left it ``cueMisses`` times in a row. Once the latest notes repeat a
    /// remembered passage the matching proposes the rest, under the same rules against loops. How a phrase comes back
    /// at a phrase boundary, as the corpus's tunes bring back their opening phrase, rather than only when the drawn
    /// notes happen to repeat it.
    public mutating func recall(_ passage: [Event]) {
        cue(passage.prefix(maximumCopy).lazy.map(\.packed))
    }

    private mutating func cue<S: Sequence>(_ passage: S) where S.Element == UInt64 {
        cued.removeAll(keepingCapacity: true)
        cued.append(contentsOf: passage)
        cursor = 0
        cueMissed = 0
    }

    /// The note that followed the longest earlier occurrence (most recent on ties) of the latest notes, if at least
    /// ``minimumMatch`` and fewer than ``maximumCopy`` of them match, unless that note would carry on a loop
    /// (``continuesLoop(_:)``, which this call updates for the next note).
    public mutating func proposal() -> Event? {
        let n = events.count
        forbidden.removeAll(keepingCapacity: true)
        guard n > minimumMatch else { return nil }
        var best = 0, bestEnd = -1
        // Longest periodic tail the next note may complete or extend (see continuesLoop).
        // In whole notes: a tail of x notes is longer than min(max(2 x period, shortLoopNotes), loopShare x piece) exactly
        // when x exceeds the floor of that limit (x is whole), and the floor of the minimum is the minimum of the floors.
        let pieceLimit = Int((Self.loopShare * Double(recorded + 1)).rounded(.down))
        events.withUnsafeBufferPointer { e in
            // Every period `lag`: l = how many of the latest notes equal the note `lag` before them. The next note equal
            // to e[n - lag] would make l + 1 of them, a periodic tail (l + 1 >= lag) covering l + 1 + lag notes.
            let latest = e[n - 1]
            var lag = 1
            while lag <= n - 1 {
                // Most periods fail at once (the latest note differs from the one `lag` before it): l = 0 then, which
                // neither makes a periodic tail (l >= lag - 1 needs lag 1) nor a restatement (l >= minimumMatch).
                if lag > 1, e[n - 1 - lag] != latest { lag += 1; continue }
                let limit = min(max(2 * lag, Self.shortLoopNotes), pieceLimit)
                // The tail only counts (and is only looked for) once it holds two periods: l >= lag - 1 trailing matches,
                // and it is too long when l + 1 + lag > limit.
                let needed = max(lag - 1, limit - lag)
                var l = 0
                while l < needed, n - 1 - l - lag >= 0, e[n - 1 - l] == e[n - 1 - l - lag] { l += 1 }
                if l >= lag - 1, l + 1 + lag > limit, forbidden.count < Self.forbiddenLimit { forbidden.append(e[n - lag]) }
                // A restatement: the passage ending `lag` notes back, matched over l notes, proposes what followed it.
                if lag >= minimumDistance, lag < n, l >= minimumMatch, l < maximumCopy, l < lag, l > best {
                    best = l
                    bestEnd = n - 1 - lag
                }
                lag += 1
            }
        }
        guard best >= minimumMatch else {
            // The cued passage's next note, if a cue runs.
            guard cursor < cued.count else { return nil }
            return forbidden.contains(cued[cursor]) ? nil : Event(packed: cued[cursor])
        }
        let proposed = events[bestEnd + 1]
        return forbidden.contains(proposed) ? nil : Event(packed: proposed)
    }
}
