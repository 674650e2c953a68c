import Foundation
import Learning
import Support

/// Steps a categorical model (softmax over the 128 MIDI pitches): the pitch is drawn from the logits with
/// ``CategoricalSampler`` (temperature, top-k, top-p).
///
/// With regressed timing (128 logits + velocity + time delta) the velocity is the predicted one (the pitch
/// carries the randomness: velocity noise only jitters what the corpus plays evenly) and the time delta is
/// the prediction plus Gaussian noise of standard deviation `temperature x noise` in standardised units (as
/// ``RegressionStepper``; none when an ``OnsetGrid`` draws the time step).
/// With a ``RhythmHead`` the velocity, the time step and the note length (beats) are drawn from their own
/// softmax at the same temperature with their own nucleus (``SamplingOptions/rhythmTopP``), without top-k; the
/// nucleus keeps the many barely likely off-beat steps from shifting every later onset (time steps are
/// relative). The frame then carries `beatDelta` and `beatDuration` and a time delta of 0.
/// A ``MotifMemory`` of the piece's own drawn notes adds, with weight ``SamplingOptions/motifMemory``, the
/// note that followed an earlier passage the latest notes repeat (to pitch, time step and length alike:
/// p = (1 - w) p_model + w one-hot), so phrases come back as in the corpus's tunes.
/// Phrase recall: at the first note of every phrase (``SamplingOptions/phraseBeats`` beats from the first note), while
/// the recent melody repeats its interval 4-grams less than ``recallBelow`` (``MelodyRepetition``), the memory is cued
/// (with chance ``SamplingOptions/phraseRecall``) to restate the piece's opening phrase, so themes come back as in the
/// corpus's tunes, not only when the drawn notes happen to repeat one.
/// A ``ScaleMemory`` of the piece's drawn pitches makes a pitch outside the 7 pitch classes the piece has used most
/// (1 - ``SamplingOptions/scaleMemory``) times as likely, so a long piece keeps its tonality.
/// A note drawn at the same onset as the notes before it (time step 0: a chord) never repeats one of their pitches: such
/// a pitch would sound once and add no note, so pitch and time step are drawn again together (up to ``chordRedraws``
/// times), then the chord's pitches are masked and the pitch drawn again. No onset sounds more than ``largestChord``
/// notes: a note drawn onto a chord that large starts the next onset.
/// Temperature 0 takes the arg-max of every head (and the predicted regressed values).
///
/// A stateful stepper (for models trained statefully) feeds the network each frame once and keeps its LSTM state:
/// the first step feeds the whole window (the start's context), every later step only the newest frame; a windowed
/// one re-reads the last ``lookBack`` frames from a zero state at every step, as a windowed model was trained.
///
/// The window is encoded with the model's own input encoding (pitch class, duration, instrument family, metre),
/// so its frames should carry those details; missing ones read as the encoding's defaults.
/// No allocation per step once created.
public struct CategoricalStepper: NoteStepper {
    private let predictor: Predictor
    private let sampling: SamplingOptions
    private let rhythmSampling: SamplingOptions
    private let rhythm: RhythmHead?
    private let timeSD: Double
    private var sampler = CategoricalSampler()
    private var logits: [Float]
    private var memory = MotifMemory()
    private var scale = ScaleMemory()
    /// The pitches drawn at the current onset (since the last time step above 0), as a 128-bit set.
    private var chord = ChordPitches()
    private var mixed: [Float]
    /// Feeds each frame once and keeps the network's state (see the type's documentation).
    public let isStateful: Bool
    /// Style index given to a stateful step's input (nil: none).
    private let style: Int?
    /// The motif memory's proposal given to the network with the newest note at the latest step (what a model whose
    /// encoding has the recall block, ``InputEncoding/recall``, read; nil: none).
    private(set) var lastRecall: Int?
    /// Whether a stateful stepper has fed its start context.
    private var primed = false
    /// Onset of the latest drawn note, in beats from the first.
    private var onsetBeats = 0.0
    /// The phrases begun so far (see ``SamplingOptions/phraseRecall``) and the opening phrase's notes after its first.
    private var phrasesBegun = 0
    private var opening: [MotifMemory.Event] = []
    /// The recent melody's repetition (phrases are recalled only while it is below ``recallBelow``).
    private var melody = MelodyRepetition()
    /// Repeated interval 4-gram share of the recent top line at or above which no phrase is recalled: a little above
    /// the 0.35 that issue 14 asks of cold starts, below what folk tunes play (about 0.48 in the corpus).
    static let recallBelow = 0.4

    /// Creates a stepper for a model with a categorical pitch head (precondition: `model.loss.categorical != nil`);
    /// without `timeNoise` a regressed time delta gets no noise.
    /// With `stateful`, each frame is fed once and the state kept; `style` is the style index the input carries.
    public init(model: TrainedModel, sampling: SamplingOptions, timeNoise: Bool = true, stateful: Bool = false, style: Int? = nil) {
        precondition(model.loss.categorical != nil, "CategoricalStepper needs a categorical pitch head")
        predictor = model.makePredictor()
        isStateful = stateful
        self.style = style
        predictor.style = style
        self.sampling = sampling
        rhythm = model.loss.categorical?.rhythm
        rhythmSampling = (try? SamplingOptions(temperature: sampling.temperature, noise: 0, topK: 0, topP: sampling.rhythmTopP)) ?? .deterministic
        timeSD = timeNoise ? sampling.regressionStandardDeviation * model.scaler.scale[2] : 0
        logits = [Float](repeating: 0, count: CategoricalPitchLoss.pitchCount)
        opening.reserveCapacity(memory.maximumCopy)
        mixed = [Float](repeating: 0, count: model.loss.categorical?.outputWidth ?? 0)
    }

    /// Frames of context a step reads.
    public var lookBack: Int { predictor.lookBack }

    /// Whether the frames this stepper draws carry their time step and length in beats.
    public var drawsBeats: Bool { rhythm != nil }

    /// The drawn next frame after `window` (its last ``lookBack`` frames; fewer are left-padded with the first):
    /// an integer pitch 0 ... 127, and the velocity and timing described in the type's documentation.
    public mutating func next(after window: UnsafeBufferPointer<FeatureFrame>, generator: inout SeededGenerator) -> FeatureFrame {
        if let rhythm { return drawRhythm(rhythm, after: window, generator: &generator) }
        let o = output(after: window), k = CategoricalPitchLoss.pitchCount
        logits.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: o, count: k) }
        var f = predictor.model.scaler.inverse(0, o[k], o[k + 1])
        let options = sampling
        let pitch = logits.withUnsafeBufferPointer { sampler.sample(logits: $0, options: options, generator: &generator) }
        f.note = Double(pitch)
        if timeSD > 0 { f.timeDelta += timeSD * generator.nextNormal() }
        return f
    }

    /// A frame drawn from every head of a model with a rhythm head. The drawn note never carries on an exact loop
    /// (``MotifMemory/continuesLoop(_:)``: a third copy in a row of a passage, or a short figure past 16 notes): such a
    /// pitch is masked and the pitch drawn again (at most ``loopRedraws`` times), so a piece cannot get stuck.
    private mutating func drawRhythm(_ r: RhythmHead, after window: UnsafeBufferPointer<FeatureFrame>,
                                     generator: inout SeededGenerator) -> FeatureFrame {
        // The memory's proposal first: a model that reads it (``InputEncoding/recall``) gets it with the newest note.
        let found = memory.proposal()
        let raw = output(after: window, recall: found.map { Int($0.pitch) })
        let weight = sampling.motifMemory
        let scaleWeight = sampling.scaleMemory, scalePenalty = Float(log(1 - sampling.scaleMemory))
        let proposal = weight > 0 ? found : nil
        let k = CategoricalPitchLoss.pitchCount
        let plain = rhythmSampling, options = sampling
        let drawn = mixed.withUnsafeMutableBufferPointer { m -> (Int, Int, Int, Int) in
            let out = m.baseAddress!
            var o: UnsafePointer<Float>
            if let proposal {
                Self.mix(raw, count: k, favoured: Int(proposal.pitch), weight: weight, into: out)
                out.advanced(by: k).update(from: raw + k, count: RhythmHead.velocityClasses)
                Self.mix(raw + r.deltaOffset, count: r.deltaClasses, favoured: Int(proposal.step), weight: weight, into: out + r.deltaOffset)
                Self.mix(raw + r.durationOffset, count: r.durationClasses, favoured: Int(proposal.length), weight: weight, into: out + r.durationOffset)
                o = UnsafePointer(out)
            } else {
                o = raw
            }
            /// Makes the row drawn from the buffer's, copying the network's whole row in first while it is still the
            /// network's (every head is drawn from the same row), so it can be changed.
            func ownRow() {
                if o != UnsafePointer(out) {
                    out.update(from: raw, count: m.count)
                    o = UnsafePointer(out)
                }
            }
            if scaleWeight > 0, let mask = scale.scale() {
                // Pitches outside the piece's scale: probability times (1 - weight), in the pitch logits.
                ownRow()
                for p in 0..<k where mask & (1 << (p % 12)) == 0 { out[p] += scalePenalty }
            }
            var pitch = sampler.sample(logits: UnsafeBufferPointer(start: o, count: k), options: options, generator: &generator)
            let velocity = sampler.sample(logits: UnsafeBufferPointer(start: o + r.velocityOffset, count: RhythmHead.velocityClasses),
                                          options: plain, generator: &generator)
            var delta = sampler.sample(logits: UnsafeBufferPointer(start: o + r.deltaOffset, count: r.deltaClasses), options: plain, generator: &generator)
            // A pitch the chord already has: the pitch and the time step are drawn again together (the heads' joint
            // distribution given that the note adds one), the chord's pitches masked only if that keeps failing.
            var chordRedraws = 0
            while delta == 0, chord.contains(pitch), chordRedraws < Self.chordRedraws {
                pitch = sampler.sample(logits: UnsafeBufferPointer(start: o, count: k), options: options, generator: &generator)
                delta = sampler.sample(logits: UnsafeBufferPointer(start: o + r.deltaOffset, count: r.deltaClasses), options: plain, generator: &generator)
                chordRedraws += 1
            }
            if delta == 0, chord.count >= Self.largestChord {
                // The onset has its largest chord: this note starts the next onset (time step 0 masked), so a chord
                // cannot grow into a cluster (which leads the network out of its style: see ``largestChord``).
                ownRow()
                out[r.deltaOffset] = -.infinity
                delta = sampler.sample(logits: UnsafeBufferPointer(start: o + r.deltaOffset, count: r.deltaClasses), options: plain, generator: &generator)
            }
            let length = sampler.sample(logits: UnsafeBufferPointer(start: o + r.durationOffset, count: r.durationClasses), options: plain, generator: &generator)
            var redraws = 0, chordMasked = false
            while redraws < Self.loopRedraws {
                let repeatsChord = delta == 0 && chord.contains(pitch)
                guard repeatsChord || memory.continuesLoop(.init(pitch: Int16(pitch), step: Int16(delta), length: Int16(length))) else { break }
                // Mask the pitch and, in a chord, every pitch it already has.
                ownRow()
                out[pitch] = -.infinity
                if delta == 0 && !chordMasked {
                    chord.forEach { out[$0] = -.infinity }
                    chordMasked = true
                }
                pitch = sampler.sample(logits: UnsafeBufferPointer(start: UnsafePointer(out), count: k), options: options, generator: &generator)
                redraws += 1
            }
            return (pitch, velocity, delta, length)
        }
        if drawn.2 > 0 { chord = ChordPitches() }
        chord.insert(drawn.0)
        scale.record(pitch: drawn.0)
        var f = FeatureFrame(note: Double(drawn.0), velocity: Double(drawn.1), timeDelta: 0)
        let stepBeats = r.beats(deltaClass: drawn.2)
        f.beatDelta = stepBeats
        f.beatDuration = r.beats(durationClass: drawn.3)
        let previousOnset = onsetBeats
        onsetBeats += stepBeats
        let number = memory.recorded
        let event = MotifMemory.Event(pitch: Int16(drawn.0), step: Int16(drawn.2), length: Int16(drawn.3))
        memory.record(event)
        melody.record(pitch: drawn.0, step: drawn.2)
        if number == 0 || (onsetBeats / SamplingOptions.phraseBeats).rounded(.down) > (previousOnset / SamplingOptions.phraseBeats).rounded(.down) {
            recallPhrase(startingWith: number, generator: generator)
        }
        // The opening phrase from its second note, kept for when the memory has forgotten it.
        if phrasesBegun == 1, number > 0, opening.count < memory.maximumCopy { opening.append(event) }
        return f
    }

    /// At the first note of a phrase (number `first`), while the melody has lately repeated itself less than
    /// ``recallBelow`` (``MelodyRepetition``): with chance ``SamplingOptions/phraseRecall`` (and a motif memory on),
    /// cues the memory to restate the piece's opening phrase from its second note (from the copy kept of it once the
    /// memory has forgotten it, so a long piece comes back to its beginning). Only the opening: restating phrases of
    /// the last few hundred notes copies copies, and each copy drifts a little (5-minute chorales grew a third denser
    /// from start to end, and 11 of 30 held their style against 15 recalling only the opening), where the opening
    /// holds a piece to its start. The chance is decided from a hash of the
    /// generator's state (at temperature 0, of the note number), not by drawing from it, so the notes drawn are the
    /// same whatever the chance as long as no phrase is recalled.
    private mutating func recallPhrase(startingWith first: Int, generator: SeededGenerator) {
        defer { phrasesBegun += 1 }
        guard sampling.phraseRecall > 0, sampling.motifMemory > 0, phrasesBegun > 0,
              melody.repeatedShare() < Self.recallBelow else { return }
        // At temperature 0 nothing depends on the seed, so neither does the decision: it hashes the phrase's note number.
        let key = sampling.temperature > 0 ? generator.state[0] : UInt64(first)
        let h = SplitMix64.mix(key ^ 0x5851_F42D_4C95_7F2D)
        guard Double(h >> 11) * 0x1.0p-53 < sampling.phraseRecall else { return }
        if memory.firstRemembered == 0 {
            memory.recall(from: 1)
        } else if opening.count >= memory.minimumMatch {
            memory.recall(opening)
        }
    }

    /// Most notes one onset may sound; a note drawn onto a chord this large starts the next onset. The network, left to
    /// itself, now and then stacks 7 to 14 notes at one onset, scale runs piled into clusters of seconds (the corpus's
    /// chorales sound 7 or more notes at 3.4 % of their onsets, doubled voices; its game files at 2.9 %); after one it
    /// tends to leave its style for good (off-grid steps, denser texture).
    /// 5-minute chorales (30 seeds, recalling the opening phrase) held their style in 6 pieces without this limit and
    /// in 15 with it.
    static let largestChord = 6
    /// Most times a looping pitch is masked and redrawn in one step.
    static let loopRedraws = 4
    /// Joint redraws of pitch and time step for a note that would repeat a pitch of its chord, before its pitches are masked.
    static let chordRedraws = 8

    /// The network's output row for the next frame after `window`: windowed, the last ``lookBack`` frames from a zero
    /// state; stateful, the state carried on by the newest frame (by the whole window at the first step). `recall` is
    /// the motif memory's proposal given with the newest frame (read only by a model whose encoding has the recall block;
    /// the start's context, which the memory does not hold, carries none).
    private mutating func output(after window: UnsafeBufferPointer<FeatureFrame>, recall: Int? = nil) -> UnsafePointer<Float> {
        guard isStateful else { return predictor.predictOutput(window) }
        var newest = window[window.count - 1]
        newest.recall = recall
        lastRecall = recall
        if primed { return predictor.step(newest) }
        primed = true
        predictor.reset()
        for var f in window.dropLast() { f.recall = nil; predictor.step(f) }
        return predictor.step(newest)
    }

    /// Log-probabilities of `(1 - weight) softmax(logits) + weight one-hot(favoured)` for `count` classes.
    private static func mix(_ logits: UnsafePointer<Float>, count: Int, favoured: Int, weight: Double, into out: UnsafeMutablePointer<Float>) {
        var m = -Float.infinity
        for j in 0..<count where logits[j] > m { m = logits[j] }
        var z: Float = 0
        for j in 0..<count {
            let e = expf(logits[j] - m)
            out[j] = e
            z += e
        }
        let keep = Float(1 - weight) / z
        for j in 0..<count {
            let p = keep * out[j] + (j == favoured ? Float(weight) : 0)
            out[j] = p > 0 ? logf(p) : -.infinity
        }
    }
}

/// A set of MIDI pitches 0 ... 127 in two words: the notes of one onset, kept without allocation.
struct ChordPitches {
    private var low: UInt64 = 0, high: UInt64 = 0

    /// Whether `pitch` is in the set.
    func contains(_ pitch: Int) -> Bool {
        pitch < 64 ? low & (1 << UInt64(pitch)) != 0 : high & (1 << UInt64(pitch - 64)) != 0
    }

    /// Pitches in the set.
    var count: Int { low.nonzeroBitCount + high.nonzeroBitCount }

    /// Adds `pitch` (0 ... 127).
    mutating func insert(_ pitch: Int) {
        if pitch < 64 { low |= 1 << UInt64(pitch) } else { high |= 1 << UInt64(pitch - 64) }
    }

    /// Calls `body` with each pitch in the set, lowest first.
    func forEach(_ body: (Int) -> Void) {
        var w = low
        while w != 0 { body(w.trailingZeroBitCount); w &= w - 1 }
        w = high
        while w != 0 { body(64 + w.trailingZeroBitCount); w &= w - 1 }
    }
}
