import Foundation

/// The categorical timing part of a categorical head: after the 128 pitch logits come 128 velocity logits,
/// the logits of the time step to the next onset and those of the note's length, both counted in
/// ``stepsPerBeat`` steps of a quarter-note beat (1/24 beat: 32nd notes and 16th-note triplets alike).
///
/// Each part is scored by softmax cross-entropy (nats) against the true class, which the loss reads from the
/// target row (the next frame's encoded input, see ``InputEncoding/metre``). Classes: velocity 0 ... 127;
/// time step 0 ... ``maxDeltaSteps`` (0 = same onset, longer gaps fall in the last class); length
/// 1 ... ``maxDurationSteps`` steps (class = steps - 1, longer notes in the last class).
public struct RhythmHead: Sendable, Hashable, Codable {
    /// Steps per quarter-note beat of the time-step and length classes.
    public static let stepsPerBeat = 24
    /// Number of velocity classes (MIDI velocities 0 ... 127).
    public static let velocityClasses = 128
    /// The default longest time step, in steps (4 beats).
    public static let defaultMaxDeltaSteps = 4 * stepsPerBeat
    /// The default longest note length, in steps (8 beats).
    public static let defaultMaxDurationSteps = 8 * stepsPerBeat
    /// Longest time step, in steps (4 beats).
    public var maxDeltaSteps: Int = RhythmHead.defaultMaxDeltaSteps
    /// Longest note length, in steps (8 beats).
    public var maxDurationSteps: Int = RhythmHead.defaultMaxDurationSteps
    /// Mean of the velocity feature, to recover the true velocity from a scaled target.
    public var velocityMean: Double
    /// Scale of the velocity feature (velocity units per scaled unit).
    public var velocityScale: Double
    /// Index in a target row of the time step in beats (``InputEncoding``'s metre block).
    public var deltaIndex: Int
    /// Index in a target row of the note length in beats.
    public var durationIndex: Int
    /// Weight of the velocity, time-step and length cross-entropies beside the pitch's (weight 1).
    public var weight: Double = 0.5

    /// Creates the head for a velocity scaler and the target row's metre block starting at `metreIndex`;
    /// `weight` scales its cross-entropies in the loss (0.5: the pitch stays the main task).
    public init(velocityMean: Double, velocityScale: Double, metreIndex: Int, weight: Double = 0.5) {
        self.velocityMean = velocityMean
        self.velocityScale = velocityScale
        deltaIndex = metreIndex
        durationIndex = metreIndex + 1
        self.weight = weight
    }

    /// Number of time-step classes.
    public var deltaClasses: Int { maxDeltaSteps + 1 }
    /// Number of note-length classes.
    public var durationClasses: Int { maxDurationSteps }
    /// Logits after the pitch logits: velocity, time step and length classes.
    public var width: Int { Self.velocityClasses + deltaClasses + durationClasses }
    /// Offset of the velocity logits in the head's output (after the 128 pitch logits).
    public var velocityOffset: Int { CategoricalPitchLoss.pitchCount }
    /// Offset of the time-step logits.
    public var deltaOffset: Int { velocityOffset + Self.velocityClasses }
    /// Offset of the note-length logits.
    public var durationOffset: Int { deltaOffset + deltaClasses }

    /// The class of a time step of `beats` quarter notes (nearest step, clamped).
    @inline(__always)
    public func deltaClass(beats: Double) -> Int { Self.deltaClass(beats: beats, maxSteps: maxDeltaSteps) }

    /// The class of a note length of `beats` quarter notes (nearest step, at least one step, clamped).
    @inline(__always)
    public func durationClass(beats: Double) -> Int { Self.durationClass(beats: beats, maxSteps: maxDurationSteps) }

    /// The class of a time step of `beats` quarter notes for a head whose longest step is `maxSteps` (the default
    /// head's when not given).
    @inline(__always)
    public static func deltaClass(beats: Double, maxSteps: Int = defaultMaxDeltaSteps) -> Int {
        let s = (beats * Double(stepsPerBeat)).rounded()
        return s.isFinite ? min(maxSteps, max(0, Int(s))) : 0
    }

    /// The class of a note length of `beats` quarter notes for a head whose longest length is `maxSteps` (the default
    /// head's when not given).
    @inline(__always)
    public static func durationClass(beats: Double, maxSteps: Int = defaultMaxDurationSteps) -> Int {
        let s = (beats * Double(stepsPerBeat)).rounded()
        return (s.isFinite ? min(maxSteps, max(1, Int(s))) : stepsPerBeat) - 1
    }

    /// The time step, in beats, of a class.
    @inline(__always)
    public func beats(deltaClass c: Int) -> Double { Double(c) / Double(Self.stepsPerBeat) }

    /// The note length, in beats, of a class.
    @inline(__always)
    public func beats(durationClass c: Int) -> Double { Double(c + 1) / Double(Self.stepsPerBeat) }

    /// The velocity class of a scaled velocity target.
    @inline(__always)
    func velocityClass(scaled v: Double) -> Int {
        let x = (v * velocityScale + velocityMean).rounded()
        return x.isFinite ? min(127, max(0, Int(x))) : 64
    }

    /// Cross-entropies (nats, unweighted) of one output row's velocity, time-step and length logits against the
    /// target row; writes ``weight`` x `inv` x (softmax - one-hot) into `gradient` when given. Returns
    /// (velocity, time step + length).
    func evaluate<T: NeuralScalar>(output o: UnsafePointer<T>, target t: UnsafePointer<T>, inv: Double,
                                   gradient g: UnsafeMutablePointer<T>?) -> (velocity: Double, timing: Double) {
        let inv = inv * weight
        let v = Self.crossEntropy(o + velocityOffset, count: Self.velocityClasses, truth: velocityClass(scaled: Double(t[1])),
                                  inv: inv, gradient: g.map { $0 + velocityOffset })
        let d = Self.crossEntropy(o + deltaOffset, count: deltaClasses, truth: deltaClass(beats: Double(t[deltaIndex])),
                                  inv: inv, gradient: g.map { $0 + deltaOffset })
        let l = Self.crossEntropy(o + durationOffset, count: durationClasses, truth: durationClass(beats: Double(t[durationIndex])),
                                  inv: inv, gradient: g.map { $0 + durationOffset })
        return (v, d + l)
    }

    /// Softmax cross-entropy of `count` logits against class `truth`, with its gradient scaled by `inv`.
    @inline(__always)
    static func crossEntropy<T: NeuralScalar>(_ o: UnsafePointer<T>, count: Int, truth: Int, inv: Double,
                                              gradient: UnsafeMutablePointer<T>?) -> Double {
        var m = -Double.infinity
        for j in 0..<count { m = max(m, Double(o[j])) }
        var z = 0.0
        for j in 0..<count { z += Foundation.exp(Double(o[j]) - m) }
        if let g = gradient {
            let iz = 1 / z
            for j in 0..<count {
                let p = Foundation.exp(Double(o[j]) - m) * iz
                g[j] = T((p - (j == truth ? 1 : 0)) * inv)
            }
        }
        return -(Double(o[truth]) - m - Foundation.log(z))
    }
}
