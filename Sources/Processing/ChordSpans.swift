import MIDI
import Music

/// One chord sounding from ``start`` until ``end`` (ticks).
struct ChordSpan: Sendable, Hashable {
    /// First tick of the chord.
    var start: Int
    /// Tick where the next chord (or the piece) starts.
    var end: Int
    /// The chord.
    var chord: Chord
}

/// The harmony a bass line or drum part follows: the chords of an existing `Chords` track when the performance has
/// one (each distinct onset of that track is a chord point, named by the diatonic chord of the key that matches its
/// pitch classes best), else one diatonic chord per bar inferred from the pitched notes (``Harmoniser``).
enum ChordSpans {
    /// The chord spans of a performance in a key, covering its pitched notes; empty when there are none.
    static func of(_ performance: Performance, key: Key, meter: Meter) -> [ChordSpan] {
        let pitched = performance.tracks.flatMap { $0.notes.filter { !$0.isDrum && $0.durationTicks > 0 } }
        guard !pitched.isEmpty else { return [] }
        let end = pitched.reduce(0) { max($0, $1.endTick) }
        if let index = performance.trackIndex(named: PartName.chords),
           !performance.tracks[index].notes.isEmpty {
            return fromTrack(performance.tracks[index].notes, key: key, end: end)
        }
        return inferred(pitched, key: key, meter: meter, end: end)
    }

    /// One chord per bar, chosen to fit the notes sounding in the bar.
    static func inferred(_ notes: [Note], key: Key, meter: Meter, end: Int) -> [ChordSpan] {
        let melody = notes.sorted { ($0.startTick, $0.pitch) < ($1.startTick, $1.pitch) }
        let first = meter.barStart(atOrBefore: melody[0].startTick)
        var points = meter.barStarts(from: first, before: end)
        if points.isEmpty { points = [first] }
        let chords = Harmoniser(key: key, style: .triad).choose(melody: melody, points: points, end: end)
        return zip(points.indices, chords).map { i, chord in
            ChordSpan(start: points[i], end: i + 1 < points.count ? points[i + 1] : end, chord: chord)
        }
    }

    /// The chords of a chord track: one span per distinct onset.
    static func fromTrack(_ notes: [Note], key: Key, end: Int) -> [ChordSpan] {
        let sorted = notes.sorted { ($0.startTick, $0.pitch) < ($1.startTick, $1.pitch) }
        let candidates = key.diatonicChords(.seventh) + key.diatonicChords(.triad)
        var spans: [ChordSpan] = []
        var i = 0
        while i < sorted.count {
            let t = sorted[i].startTick
            var classes = Set<PitchClass>()
            var lowest = Int(sorted[i].pitch)
            var stop = t
            while i < sorted.count, sorted[i].startTick == t {
                classes.insert(PitchClass(pitch: Int(sorted[i].pitch)))
                lowest = min(lowest, Int(sorted[i].pitch))
                stop = max(stop, sorted[i].endTick)
                i += 1
            }
            let chord = best(for: classes, lowest: lowest, among: candidates)
            if let last = spans.last { spans[spans.count - 1].end = max(last.start + 1, t) }
            spans.append(ChordSpan(start: t, end: max(t + 1, max(stop, end)), chord: chord))
        }
        return spans
    }

    /// The candidate whose pitch classes match `classes` best (most shared, fewest extra), ties to the one rooted on
    /// the lowest sounding pitch; a chord built on the lowest pitch when nothing is shared.
    static func best(for classes: Set<PitchClass>, lowest: Int, among candidates: [Chord]) -> Chord {
        var best: Chord?
        var bestScore = Int.min
        for c in candidates {
            let set = Set(c.pitchClasses)
            let shared = set.intersection(classes).count
            var score = shared * 4 - set.subtracting(classes).count * 2 - classes.subtracting(set).count * 3
            if c.root == PitchClass(pitch: lowest) { score += 1 }
            if score > bestScore { bestScore = score; best = c }
        }
        return best ?? Chord(root: PitchClass(pitch: lowest), pitchClasses: Array(classes))
    }

    /// The span sounding at a tick (the first when before it, the last when after).
    static func span(at tick: Int, in spans: [ChordSpan]) -> ChordSpan {
        var lo = 0, hi = spans.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if spans[mid].start <= tick { lo = mid + 1 } else { hi = mid }
        }
        return spans[max(0, lo - 1)]
    }
}
