/// Voices chords as MIDI pitches within a register, moving smoothly from one chord to the next:
/// common tones are kept and the other voices take the smallest moves.
public struct VoiceLeader: Sendable, Hashable {
    /// Lowest and highest MIDI pitch a voice may take; must span at least 12 semitones.
    public var range: ClosedRange<Int>
    /// Widest allowed distance in semitones between the lowest and highest voice (when possible).
    public var maxSpan: Int

    /// Creates a voice leader for a register (at least an octave wide) and maximum chord span.
    public init(range: ClosedRange<Int> = 48...72, maxSpan: Int = 16) {
        precondition(range.upperBound - range.lowerBound >= 11, "a register must hold every pitch class")
        self.range = max(0, range.lowerBound)...min(127, range.upperBound)
        self.maxSpan = maxSpan
    }

    /// The MIDI pitches (ascending) that sound a chord's pitch classes, each exactly once, in the
    /// register: the closest to `previous` when given, else a close root-position voicing near the
    /// register's middle.
    public func voice(_ chord: Chord, after previous: [Int]? = nil) -> [Int] {
        choose(from: candidates(for: chord), for: chord, after: previous)
    }

    /// The best of precomputed ``candidates(for:)`` of `chord` (see ``voice(_:after:)``); lets a
    /// caller voicing the same chords many times enumerate each chord's candidates once.
    public func choose(from candidates: [[Int]], for chord: Chord, after previous: [Int]? = nil) -> [Int] {
        let prev = previous.map { $0.sorted() }
        let middle = Double(range.lowerBound + range.upperBound) / 2
        var best: [Int] = []
        var bestScore: (Double, Int, Int, Int) = (.infinity, .max, .max, .max)
        for v in candidates {
            let span = v.last! - v.first!
            let score: (Double, Int, Int, Int)
            if let prev, !prev.isEmpty {
                // Fewest semitones moved, then most common tones, then narrowest, then lowest.
                let moved = prev.count == v.count ? zip(prev, v).reduce(0) { $0 + abs($1.0 - $1.1) } : Self.movement(from: prev, to: v)
                score = (Double(moved), -Self.commonTones(prev, v), span, v.reduce(0, +))
            } else {
                // Root in the bass first, then narrowest, then centred in the register.
                let rootBass = PitchClass(pitch: v[0]) == chord.root ? 0 : 1
                let mean = Double(v.reduce(0, +)) / Double(v.count)
                score = (Double(rootBass), span, Int((abs(mean - middle) * 2).rounded()), v.reduce(0, +))
            }
            if score < bestScore { bestScore = score; best = v }
        }
        return best
    }

    /// All voicings with one pitch per chord tone in the register, sorted ascending; limited to
    /// `maxSpan` when any voicing fits within it.
    public func candidates(for chord: Chord) -> [[Int]] {
        let options: [[Int]] = chord.pitchClasses.map { pc in
            var first = range.lowerBound + PitchClass(range.lowerBound).semitonesUp(to: pc)
            var out: [Int] = []
            while first <= range.upperBound { out.append(first); first += 12 }
            return out
        }
        var all: [[Int]] = [[]]
        for opts in options {
            var next: [[Int]] = []
            next.reserveCapacity(all.count * opts.count)
            for partial in all { for p in opts { next.append(partial + [p]) } }
            all = next
        }
        let sorted = all.map { $0.sorted() }
        let narrow = sorted.filter { $0.last! - $0.first! <= maxSpan }
        return narrow.isEmpty ? sorted : narrow
    }

    /// Total semitones moved between two voicings: voice by voice when they have the same size
    /// (both sorted), otherwise each note's distance to the nearest note of the other chord, both ways.
    public static func movement(from a: [Int], to b: [Int]) -> Int {
        if a.count == b.count {
            let sa = a.sorted(), sb = b.sorted()
            return zip(sa, sb).reduce(0) { $0 + abs($1.0 - $1.1) }
        }
        let ab = b.reduce(0) { acc, y in acc + a.map { abs($0 - y) }.min()! }
        let ba = a.reduce(0) { acc, x in acc + b.map { abs($0 - x) }.min()! }
        return ab + ba
    }

    /// Number of pitches (exact MIDI pitches) two voicings share.
    public static func commonTones(_ a: [Int], _ b: [Int]) -> Int {
        var count = 0
        for (i, x) in a.enumerated() where !a[..<i].contains(x) && b.contains(x) { count += 1 }
        return count
    }
}
