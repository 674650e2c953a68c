import MIDI

/// Finds a piece that ends stuck in a loop: the longest exact periodic tail of its note sequence.
///
/// The notes (drums included) in playing order (start tick, then pitch) become events of pitch, time step (ticks
/// since the previous note's start) and length (ticks). A tail with period p repeats: every one of its events
/// equals the event p notes earlier. The tail counts only when its first period is played at least twice in full,
/// and then covers that first period plus its repeats. Computed in O(notes) with the Z-function of the
/// reversed sequence (for every period at once, the longest run of trailing events equal to those p earlier).
public enum LoopTail {
    /// One note as the loop detector compares it.
    struct Event: Equatable {
        var pitch: UInt8
        var step: Int
        var length: Int
    }

    /// The longest exact periodic tail of `notes`: its period (notes) and how many notes it covers (0, 0 for none).
    /// `notes` need not be sorted.
    public static func longest(_ notes: [Note]) -> (period: Int, covered: Int) {
        let sorted = notes.sorted { ($0.startTick, $0.pitch, $0.durationTicks) < ($1.startTick, $1.pitch, $1.durationTicks) }
        let n = sorted.count
        guard n >= 2 else { return (0, 0) }
        // Reversed events: r[k] is the k-th note from the end.
        var r = [Event](repeating: Event(pitch: 0, step: 0, length: 0), count: n)
        for i in 0..<n {
            let step = i == 0 ? 0 : sorted[i].startTick - sorted[i - 1].startTick
            r[n - 1 - i] = Event(pitch: sorted[i].pitch, step: step, length: sorted[i].durationTicks)
        }
        let z = zFunction(r)
        var best = (period: 0, covered: 0)
        // A period p repeats over z[p] trailing events; the tail covers them and the first period before them.
        for p in 1...(n / 2) where z[p] >= p {
            let covered = z[p] + p
            if covered > best.covered { best = (p, covered) }
        }
        return best
    }

    /// Fraction of the piece's notes (0 ... 1) in its longest exact periodic tail (0 when there is none).
    public static func share(_ notes: [Note]) -> Double {
        notes.isEmpty ? 0 : Double(longest(notes).covered) / Double(notes.count)
    }

    /// Z-function: z[k] = length of the longest common prefix of `s` and `s[k...]` (z[0] = count).
    static func zFunction<T: Equatable>(_ s: [T]) -> [Int] {
        let n = s.count
        var z = [Int](repeating: 0, count: n)
        guard n > 0 else { return z }
        z[0] = n
        var l = 0, r = 0
        for k in 1..<n {
            if k < r { z[k] = min(r - k, z[k - l]) }
            while k + z[k] < n, s[z[k]] == s[k + z[k]] { z[k] += 1 }
            if k + z[k] > r { l = k; r = k + z[k] }
        }
        return z
    }
}
