import MIDI
import Music
@testable import Processing

/// Independent measurements of the arrangement guarantees (bass range, key and roots; drum grid, pulses, fills,
/// repetition; grooves), used on fixtures, corpus files and their arrangements.
enum ArrangementChecks {
    /// The notes of the last track named `name` (the one a processor added, when the piece had its own, e.g. a
    /// chorale's Bass voice).
    static func part(_ p: Performance, _ name: String) -> [Note] {
        p.tracks.last { $0.name == name }?.notes ?? []
    }

    /// Fraction of chord changes (onsets of the Chords track whose pitch-class set differs from the previous one) where
    /// a bass note starting at that tick is the chord's root. The root is that of the key's diatonic triad or seventh
    /// whose pitch classes are exactly the chord's; changes no diatonic chord matches are not counted. Onsets within
    /// `tolerance` ticks count as one (a humanized chord is spread by a few milliseconds).
    static func rootsOnChanges(_ p: Performance, key: Key, tolerance: Int = 0) -> (fraction: Double, changes: Int) {
        let chords = part(p, PartName.chords).sorted { $0.startTick < $1.startTick }, bass = part(p, PartName.bass)
        var clusters: [(tick: Int, set: Set<Int>)] = []
        for n in chords {
            if let last = clusters.last, n.startTick - last.tick <= tolerance {
                clusters[clusters.count - 1].set.insert(Int(n.pitch) % 12)
            } else {
                clusters.append((n.startTick, [Int(n.pitch) % 12]))
            }
        }
        let diatonic = key.diatonicChords(.triad) + key.diatonicChords(.seventh)
        var previous: Set<Int>?
        var changes = 0, hits = 0
        for (t, set) in clusters {
            defer { previous = set }
            guard set != previous, let chord = diatonic.first(where: { Set($0.pitchClasses.map(\.value)) == set }) else { continue }
            changes += 1
            if bass.contains(where: { abs($0.startTick - t) <= 2 * tolerance && Int($0.pitch) % 12 == chord.root.value }) { hits += 1 }
        }
        return (changes == 0 ? 1 : Double(hits) / Double(changes), changes)
    }

    /// Drum hits per bar: a set of (offset in ticks from the bar line, key) per bar from the first bar.
    static func drumBars(_ drums: [Note], meter: Meter, end: Int) -> [(start: Int, hits: Set<[Int]>)] {
        let bars = meter.barStarts(from: 0, before: end)
        var out = bars.map { (start: $0, hits: Set<[Int]>()) }
        for n in drums {
            var lo = 0, hi = bars.count
            while lo < hi { let mid = (lo + hi) / 2; if bars[mid] <= n.startTick { lo = mid + 1 } else { hi = mid } }
            guard lo > 0 else { continue }
            out[lo - 1].hits.insert([n.startTick - bars[lo - 1], Int(n.pitch)])
        }
        return out
    }

    /// Groove figures of a drum part over the bars from its first to its last hit: hits (distinct onset and key) per
    /// bar, groove consistency (1 - mean Hamming distance of consecutive bars' 16-slot onset patterns / 16, as the
    /// metrics compute it), and the fraction of bars identical (onsets and keys) to the one before.
    static func groove(_ drums: [Note], meter: Meter) -> (hitsPerBar: Double, consistency: Double, repeats: Double)? {
        guard let first = drums.map(\.startTick).min(), let last = drums.map(\.startTick).max() else { return nil }
        let bars = meter.barStarts(from: meter.barStart(atOrBefore: first), before: last + 1)
        guard bars.count >= 2 else { return nil }
        var patterns = [[Bool]](repeating: [Bool](repeating: false, count: 16), count: bars.count)
        var sets = [Set<[Int]>](repeating: [], count: bars.count)
        for n in drums {
            var lo = 0, hi = bars.count
            while lo < hi { let mid = (lo + hi) / 2; if bars[mid] <= n.startTick { lo = mid + 1 } else { hi = mid } }
            guard lo > 0 else { continue }
            let b = lo - 1
            let length = meter.segment(at: bars[b]).barTicks
            let slot = min(15, (n.startTick - bars[b]) * 16 / max(1, length))
            patterns[b][slot] = true
            sets[b].insert([n.startTick - bars[b], Int(n.pitch)])
        }
        var distance = 0.0, repeats = 0
        for i in 1..<bars.count {
            distance += Double(zip(patterns[i - 1], patterns[i]).filter { $0 != $1 }.count) / 16
            if sets[i] == sets[i - 1] { repeats += 1 }
        }
        let hits = Double(sets.reduce(0) { $0 + $1.count }) / Double(bars.count)
        return (hits, 1 - distance / Double(bars.count - 1), Double(repeats) / Double(bars.count - 1))
    }
}
