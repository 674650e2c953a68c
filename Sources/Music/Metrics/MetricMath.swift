import Foundation

import MIDI

/// Small statistics used by the metrics.
public enum MetricMath {
    /// Arithmetic mean (0 for no values).
    public static func mean(_ x: [Double]) -> Double { x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count) }

    /// Population standard deviation (0 for no values).
    public static func standardDeviation(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return 0 }
        let m = mean(x)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)).squareRoot()
    }

    /// Shannon entropy in bits of a histogram of non-negative weights (0 when empty).
    public static func entropyBits(_ weights: [Double]) -> Double {
        let total = weights.reduce(0, +)
        guard total > 0 else { return 0 }
        var h = 0.0
        for w in weights where w > 0 {
            let p = w / total
            h -= p * log2(p)
        }
        return h
    }

    /// Share of the n-grams of a sequence whose exact content occurs more than once (0 when there are none).
    public static func repeatedNGramShare<T: Hashable>(_ sequence: [T], n: Int) -> Double {
        guard n > 0, sequence.count >= n else { return 0 }
        var counts: [ArraySlice<T>: Int] = [:]
        let total = sequence.count - n + 1
        for i in 0..<total { counts[sequence[i..<(i + n)], default: 0] += 1 }
        let repeated = counts.values.reduce(0) { $0 + ($1 > 1 ? $1 : 0) }
        return Double(repeated) / Double(total)
    }

    /// Cosine similarity of two equal-length vectors (0 when either is all zeros).
    public static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in a.indices { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
        guard na > 0, nb > 0 else { return 0 }
        return dot / (na * nb).squareRoot()
    }

    /// Mean number of notes sounding over the time when at least one sounds (0 when none).
    public static func polyphony(_ notes: [Note]) -> Double {
        var events: [(tick: Int, delta: Int)] = []
        events.reserveCapacity(notes.count * 2)
        for n in notes where n.durationTicks > 0 {
            events.append((n.startTick, 1))
            events.append((n.endTick, -1))
        }
        events.sort { ($0.tick, $0.delta) < ($1.tick, $1.delta) }
        var active = 0, lastTick = 0, sounding = 0, weighted = 0
        for e in events {
            if active > 0 {
                sounding += e.tick - lastTick
                weighted += (e.tick - lastTick) * active
            }
            active += e.delta
            lastTick = e.tick
        }
        return sounding == 0 ? 0 : Double(weighted) / Double(sounding)
    }
}
