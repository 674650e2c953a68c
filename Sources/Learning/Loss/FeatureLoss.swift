/// Loss values of a batch, each a mean over the batch.
public struct LossComponents: Sendable, Hashable, Codable {
    /// The optimised total.
    public var total: Double = 0
    /// Note component (musical note loss, or MSE on the scaled note).
    public var note: Double = 0
    /// Velocity MSE (scaled units), or a rhythm head's velocity cross-entropy (nats).
    public var velocity: Double = 0
    /// Time-delta MSE (scaled units), or a rhythm head's time-step plus note-length cross-entropy (nats).
    public var timeDelta: Double = 0

    /// Creates zero components.
    public init() {}

    /// Component-wise sum.
    public static func + (a: LossComponents, b: LossComponents) -> LossComponents {
        var r = a
        r.total += b.total; r.note += b.note; r.velocity += b.velocity; r.timeDelta += b.timeDelta
        return r
    }

    /// Component-wise scaling.
    public func scaled(by f: Double) -> LossComponents {
        var r = self
        r.total *= f; r.note *= f; r.velocity *= f; r.timeDelta *= f
        return r
    }
}

/// How the note is scored in the training loss.
public enum NoteLossMode: String, Codable, Sendable, CaseIterable {
    /// Fourier-series musical loss (default, well posed).
    case musical
    /// The paper's literal least-squares polynomial (documented not to work).
    case polynomial
    /// Plain MSE on all three features (Keras's `mse`).
    case mse
}

/// The paper's training loss on [note, velocity, time delta] outputs in scaled units:
/// note loss + 0.2 x velocity MSE + 0.2 x time-delta MSE, or plain MSE over the three.
public struct FeatureLoss: Sendable, Hashable, Codable {
    /// Note scoring.
    public var mode: NoteLossMode
    /// The fitted curve (nil for ``NoteLossMode/mse``).
    public var curve: NoteLossCurve?
    /// Semitones per scaled note unit (the scaler's note scale), to turn scaled differences into semitones.
    public var noteScale: Double
    /// Weight of the velocity and time-delta MSE terms (0.2 in the paper).
    public var auxiliaryWeight: Double = 0.2
    /// Present for a categorical pitch head (softmax over 128 pitches); nil for the paper's regression head.
    public var categorical: CategoricalPitchLoss?

    /// Creates the loss for a mode; fits its curve in Swift.
    public init(mode: NoteLossMode, noteScale: Double) {
        self.mode = mode
        self.noteScale = noteScale
        switch mode {
        case .musical: curve = .fittedFourier()
        case .polynomial: curve = .fittedPolynomial()
        case .mse: curve = nil
        }
    }

    /// A short name of the loss as trained, for titles and reports: `cross-entropy` for a categorical head
    /// (`cross-entropy + 0.2 x musical` with a musical penalty), else the note-loss mode (`musical`, `polynomial`, `mse`).
    public var name: String {
        guard let categorical else { return mode.rawValue }
        return categorical.musicalPenalty > 0 ? "cross-entropy + \(categorical.musicalPenalty) x musical" : "cross-entropy"
    }

    /// The loss of a categorical pitch head (cross-entropy, plus `musicalPenalty` x expected musical note loss).
    /// With `rhythm`, velocity, time step and note length are categorical too.
    public static func categorical(noteMean: Double, noteScale: Double, musicalPenalty: Double = 0, rhythm: RhythmHead? = nil) -> FeatureLoss {
        var l = FeatureLoss(mode: musicalPenalty > 0 ? .musical : .mse, noteScale: noteScale)
        l.categorical = CategoricalPitchLoss(noteMean: noteMean, noteScale: noteScale, musicalPenalty: musicalPenalty)
        l.categorical?.rhythm = rhythm
        return l
    }

    /// Loss of `batch` rows of 3 outputs (or a categorical head's 130) against targets (rows of
    /// `targetStride` values, the first 3 being [note, velocity, time delta]), each sample weighted
    /// 1 / `normalizer`; writes d loss / d output into `gradient` when given.
    public func evaluate<T: NeuralScalar>(output: UnsafePointer<T>, target: UnsafePointer<T>, targetStride: Int = 3, batch: Int,
                                          normalizer: Double, gradient: UnsafeMutablePointer<T>?) -> LossComponents {
        if let categorical {
            return categorical.evaluate(output: output, target: target, targetStride: targetStride, batch: batch,
                                        normalizer: normalizer, gradient: gradient)
        }
        var c = LossComponents()
        let inv = 1 / normalizer
        for b in 0..<batch {
            let o = output + 3 * b, t = target + targetStride * b
            let en = Double(o[0] - t[0]), ev = Double(o[1] - t[1]), ed = Double(o[2] - t[2])
            c.velocity += ev * ev
            c.timeDelta += ed * ed
            if let curve {
                let (v, dv) = curve.valueAndDerivative(en * noteScale)
                c.note += v
                if let g = gradient {
                    g[3 * b] = T(dv * noteScale * inv)
                    g[3 * b + 1] = T(2 * auxiliaryWeight * ev * inv)
                    g[3 * b + 2] = T(2 * auxiliaryWeight * ed * inv)
                }
            } else {
                c.note += en * en
                if let g = gradient {
                    g[3 * b] = T(2 * en * inv / 3)
                    g[3 * b + 1] = T(2 * ev * inv / 3)
                    g[3 * b + 2] = T(2 * ed * inv / 3)
                }
            }
        }
        c.note *= inv; c.velocity *= inv; c.timeDelta *= inv
        c.total = curve == nil ? (c.note + c.velocity + c.timeDelta) / 3 : c.note + auxiliaryWeight * (c.velocity + c.timeDelta)
        return c
    }
}
