import MIDI
import Music

/// Chooses one diatonic chord per chord point to fit the melody sounding until the next point.
struct Harmoniser: Sendable {
    let key: Key
    let chords: [Chord]
    /// Tie-break bonus per scale degree (I, V, IV, vi, ii, iii, vii preference).
    let degreeBonus: [Double]

    init(key: Key, style: ChordStyle) {
        self.key = key
        self.chords = key.diatonicChords(style)
        let order = [0, 4, 3, 5, 1, 2, 6]
        var bonus = [Double](repeating: 0, count: chords.count)
        for (rank, degree) in order.enumerated() where degree < chords.count {
            bonus[degree] = Double(order.count - rank) * 1e-3
        }
        self.degreeBonus = bonus
    }

    /// One chord per point (`points` ascending, the last segment ending at `end`); `melody` sorted by onset.
    func choose(melody: [Note], points: [Int], end: Int) -> [Chord] {
        var result: [Chord] = []
        result.reserveCapacity(points.count)
        var firstCandidate = 0 // melody notes before this index end before the current segment
        for (i, a) in points.enumerated() {
            let b = i + 1 < points.count ? points[i + 1] : end
            var weights = [Double](repeating: 0, count: 12)
            while firstCandidate < melody.count, melody[firstCandidate].endTick <= a,
                  melody[firstCandidate].startTick < a { firstCandidate += 1 }
            var j = firstCandidate
            var total = 0.0
            while j < melody.count, melody[j].startTick < b {
                let n = melody[j]
                let overlap = min(n.endTick, b) - max(n.startTick, a)
                if overlap > 0 {
                    // Notes struck at the chord point count double.
                    let w = Double(overlap) * (n.startTick == a ? 2 : 1)
                    weights[Int(n.pitch) % 12] += w
                    total += w
                }
                j += 1
            }
            if total == 0, let previous = result.last {
                result.append(previous)
                continue
            }
            let edge = i == 0 || i == points.count - 1
            var best = 0
            var bestScore = -Double.infinity
            for (c, chord) in chords.enumerated() {
                var covered = 0.0
                for pc in chord.pitchClasses { covered += weights[pc.value] }
                var score = (total > 0 ? covered / total : 0) + degreeBonus[c]
                if edge, c == 0 { score += 0.05 }
                if score > bestScore { bestScore = score; best = c }
            }
            result.append(chords[best])
        }
        return result
    }
}
