import Foundation

/// Loss of a categorical pitch head: the network outputs 128 pitch logits followed by the scaled
/// velocity and time delta; the pitch is scored by softmax cross-entropy (nats), optionally plus a
/// musical penalty (the expected value of the musical note-loss curve under the predicted distribution),
/// and velocity and time delta by MSE weighted by ``auxiliaryWeight`` (as the paper's loss).
/// With a ``RhythmHead``, velocity, time step and note length are categorical too (logits after the
/// pitch logits, each scored by cross-entropy weighted by the head's ``RhythmHead/weight``) instead of the
/// two regressed values.
///
/// Targets are rows of the scaled input frame (stride `targetStride`): [note, velocity, time delta, ...];
/// the true pitch is recovered as `round(note * noteScale + noteMean)`.
public struct CategoricalPitchLoss: Sendable, Hashable, Codable {
    /// Number of pitch classes of the softmax (MIDI pitches 0 ... 127).
    public static let pitchCount = 128
    /// Output width of the head without a rhythm head: 128 logits, velocity, time delta.
    public static let outputWidth = pitchCount + 2

    /// Mean of the note feature (semitones), to recover the true pitch from a scaled target.
    public var noteMean: Double
    /// Scale of the note feature (semitones per scaled unit).
    public var noteScale: Double
    /// Weight of the velocity and time-delta MSE terms (0.2 as the paper).
    public var auxiliaryWeight: Double = 0.2
    /// Weight of the expected musical note loss (0: pure cross-entropy).
    public var musicalPenalty: Double = 0
    /// The musical curve used by the penalty (semitone distance -> loss); nil without penalty.
    public var curve: NoteLossCurve?
    /// Categorical velocity, time step and note length (nil: velocity and time delta regressed).
    public var rhythm: RhythmHead?

    /// Output width of this head: 130, or 128 + the rhythm head's logits.
    public var outputWidth: Int { rhythm.map { Self.pitchCount + $0.width } ?? Self.outputWidth }

    /// Creates the loss for a note scaler; `musicalPenalty` > 0 adds the expected Fourier musical note loss.
    public init(noteMean: Double, noteScale: Double, musicalPenalty: Double = 0) {
        self.noteMean = noteMean
        self.noteScale = noteScale
        self.musicalPenalty = musicalPenalty
        curve = musicalPenalty > 0 ? .fittedFourier() : nil
    }

    /// The integer pitch (0 ... 127) of a scaled note value.
    @inline(__always)
    public func pitch(scaled v: Double) -> Int {
        let p = (v * noteScale + noteMean).rounded()
        return p.isFinite ? min(127, max(0, Int(p))) : 0
    }

    /// Loss of `batch` output rows (``outputWidth`` wide) against target rows (stride `targetStride`), each sample
    /// weighted 1 / `normalizer`; writes d loss / d output into `gradient` when given.
    public func evaluate<T: NeuralScalar>(output: UnsafePointer<T>, target: UnsafePointer<T>, targetStride: Int, batch: Int,
                                          normalizer: Double, gradient: UnsafeMutablePointer<T>?) -> LossComponents {
        let w = outputWidth, k = Self.pitchCount
        let inv = 1 / normalizer
        var c = LossComponents()
        var probs = [Double](repeating: 0, count: k)
        var penalties = [Double](repeating: 0, count: k)
        for b in 0..<batch {
            let o = output + w * b, t = target + targetStride * b
            let truth = pitch(scaled: Double(t[0]))
            var maxLogit = -Double.infinity
            for j in 0..<k { maxLogit = max(maxLogit, Double(o[j])) }
            var z = 0.0
            for j in 0..<k { let e = Foundation.exp(Double(o[j]) - maxLogit); probs[j] = e; z += e }
            for j in 0..<k { probs[j] /= z }
            let ce = -(Double(o[truth]) - maxLogit - Foundation.log(z))
            var note = ce
            var expected = 0.0
            if musicalPenalty > 0, let curve {
                for j in 0..<k { penalties[j] = curve.value(Double(j - truth)); expected += probs[j] * penalties[j] }
                note += musicalPenalty * expected
            }
            c.note += note
            if let g = gradient {
                let gr = g + w * b
                for j in 0..<k {
                    var d = probs[j] - (j == truth ? 1 : 0)
                    if musicalPenalty > 0 { d += musicalPenalty * probs[j] * (penalties[j] - expected) }
                    gr[j] = T(d * inv)
                }
            }
            if let rhythm {
                let (v, timing) = rhythm.evaluate(output: o, target: t, inv: inv, gradient: gradient.map { $0 + w * b })
                c.velocity += v
                c.timeDelta += timing
            } else {
                let ev = Double(o[k] - t[1]), ed = Double(o[k + 1] - t[2])
                c.velocity += ev * ev
                c.timeDelta += ed * ed
                if let g = gradient {
                    g[w * b + k] = T(2 * auxiliaryWeight * ev * inv)
                    g[w * b + k + 1] = T(2 * auxiliaryWeight * ed * inv)
                }
            }
        }
        c.note *= inv; c.velocity *= inv; c.timeDelta *= inv
        c.total = c.note + (rhythm?.weight ?? auxiliaryWeight) * (c.velocity + c.timeDelta)
        return c
    }

    /// Softmax of the 128 logits at `logits` into `probabilities` (128 values, summing to 1).
    public static func softmax(_ logits: UnsafePointer<Float>, into probabilities: UnsafeMutablePointer<Double>) {
        var m = -Double.infinity
        for j in 0..<pitchCount { m = max(m, Double(logits[j])) }
        var z = 0.0
        for j in 0..<pitchCount { let e = Foundation.exp(Double(logits[j]) - m); probabilities[j] = e; z += e }
        for j in 0..<pitchCount { probabilities[j] /= z }
    }
}
