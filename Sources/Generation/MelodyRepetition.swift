/// How much the latest stretch of a piece's melody repeats itself: the top line (the highest pitch of each onset) of
/// the last ``window`` onsets, and the share of its interval 4-grams that occur more than once in it (the
/// `repeatedIntervalNGramShare` that `tunesmith evaluate` reports for a whole piece, over a recent window).
///
/// Why: phrase recall (``SamplingOptions/phraseRecall``) restates an earlier phrase only while the melody has lately
/// repeated less than the corpus's tunes do; a folk tune that already repeats its figures is left alone. Fixed
/// storage, no allocation per note.
struct MelodyRepetition {
    /// Onsets of the top line kept.
    static let window = 64
    /// Interval n-gram length.
    static let n = 4
    /// The top pitches of the latest complete onsets, a ring (oldest at `start` once full).
    private var tops = [Int16](repeating: 0, count: MelodyRepetition.window)
    private var count = 0, start = 0
    /// The highest pitch of the onset being drawn (nil before the first note).
    private var current: Int16?

    /// Records a drawn note: `step` 0 adds it to the current onset (a chord), above 0 starts a new onset.
    mutating func record(pitch: Int, step: Int) {
        if step > 0, let c = current {
            if count < Self.window {
                tops[count] = c
                count += 1
            } else {
                tops[start] = c
                start = (start + 1) % Self.window
            }
            current = Int16(pitch)
        } else {
            current = max(current ?? Int16(pitch), Int16(pitch))
        }
    }

    /// The share (0 ... 1) of the recent top line's interval 4-grams whose intervals occur more than once in it.
    func repeatedShare() -> Double {
        let grams = count - Self.n
        guard grams > 0 else { return 0 }
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: grams) { packed in
            // Each 4-gram's intervals (each -128 ... 127, wider leaps folded in) packed into one word.
            for g in 0..<grams {
                var word: UInt32 = 0
                for k in 0..<Self.n {
                    let a = tops[(start + g + k) % Self.window], b = tops[(start + g + k + 1) % Self.window]
                    word = word << 8 | UInt32(UInt8(truncatingIfNeeded: Int(b) - Int(a)))
                }
                packed[g] = word
            }
            var repeated = 0
            for g in 0..<grams where (0..<grams).contains(where: { $0 != g && packed[$0] == packed[g] }) { repeated += 1 }
            return Double(repeated) / Double(grams)
        }
    }
}
