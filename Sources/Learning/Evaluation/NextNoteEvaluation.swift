import Foundation

/// Next-note prediction quality of a model over songs (for `tunesmith evaluate-model`).
///
/// Every note that has a full context window before it (the model's look-back, or the baseline's
/// context) is scored, as in training. Top-1: the predicted pitch is the true one. Top-5: for a
/// regression head (the paper's model, which predicts one real-valued pitch) the true pitch is one
/// of the 5 integer pitches nearest the prediction, i.e. within 2 semitones of the rounded prediction;
/// for a probabilistic head (the baseline's softmax) it is among the 5 most probable pitches.
public struct NextNoteEvaluation: Sendable, Hashable, Codable {
    /// Songs read.
    public var songs: Int
    /// Notes scored (predictions made).
    public var notes: Int
    /// Top-1 accuracy, 0 ... 1.
    public var top1: Double
    /// Top-5 accuracy, 0 ... 1.
    public var top5: Double
    /// Mean loss per scored note: the model's own training loss in scaled units, or cross-entropy in nats for a softmax head.
    public var loss: Double
    /// What ``loss`` is, e.g. `musical note loss + 0.2 x (velocity, time-delta MSE)` or `cross-entropy (nats)`.
    public var lossName: String
    /// Mean cross-entropy of the pitch alone per scored note (nats), for probabilistic heads (nil for regression).
    public var pitchLoss: Double?
    /// The same figures per style (the songs' top-level folder under the corpus), when asked for.
    public var perStyle: [String: NextNoteEvaluation]? = nil
    /// The pitch predictions with the song's motif memory mixed in as generation mixes it, when asked for (stateful
    /// models with rhythm heads).
    public var withMotifMemory: MemoryScores? = nil

    /// Next-pitch figures of the network's distribution mixed with a ``MotifMemory`` of the song's notes so far:
    /// where the latest notes repeat an earlier passage of the song, the pitch that followed it gets weight `weight`
    /// beside the network's distribution (p = (1 - w) p_network + w one-hot), exactly the pitch distribution
    /// `generate` draws from before temperature and scale memory.
    public struct MemoryScores: Sendable, Hashable, Codable {
        /// The memory's weight.
        public var weight: Double
        /// Top-1 and top-5 accuracy of the mixed distribution, 0 ... 1.
        public var top1: Double
        public var top5: Double
        /// Mean cross-entropy of the pitch under the mixed distribution (nats per note).
        public var pitchLoss: Double
        /// Share of the scored notes at which the memory proposed a pitch, 0 ... 1.
        public var proposalShare: Double
        /// Share of the proposals that were the true next pitch, 0 ... 1.
        public var proposalPrecision: Double
    }

    /// What is being scored.
    public enum Model: Sendable {
        /// A trained network with the paper's regression output [note, velocity, time delta].
        case regression(TrainedModel)
        /// The paper's softmax-regression baseline.
        case baseline(NoteBaselineModel)
    }

    /// Scores `predictor` on every song, splitting songs over `workers` threads. A stateful model reads each song from
    /// its first note with its state carried (every later note scored), given style `styles[i]` for song i (an index
    /// into the model's styles; empty: none); a windowed model scores every note with a full window before it.
    ///
    /// `motifMemory` > 0 also scores the pitch with the song's motif memory mixed in at that weight (``MemoryScores``;
    /// stateful models with rhythm heads only, whose generation uses it).
    public static func evaluate(_ predictor: Model, songs: [CorpusSong], styles: [Int?] = [], workers: Int = 2,
                                motifMemory: Double = 0) -> NextNoteEvaluation {
        let n = max(1, min(workers, songs.count))
        let parts = PartSlots(count: n)
        DispatchQueue.concurrentPerform(iterations: n) { w in
            var tally = Tally()
            tally.memoryWeight = motifMemory
            var i = w
            switch predictor {
            case .regression(let model):
                let p = model.makePredictor()
                while i < songs.count {
                    if model.isStateful {
                        p.style = styles.isEmpty ? nil : styles[i]
                        tally.add(stateful: p, model: model, frames: songs[i].frames)
                    } else {
                        tally.add(regression: p, model: model, frames: songs[i].frames)
                    }
                    i += n
                }
            case .baseline(let model):
                while i < songs.count { tally.add(baseline: model, frames: songs[i].frames); i += n }
            }
            parts.set(w, tally)
        }
        let t = parts.values.reduce(Tally()) { $0.merged($1) }
        let d = Double(max(1, t.notes))
        let lossName: String
        switch predictor {
        case .regression(let m) where m.loss.categorical?.rhythm != nil:
            lossName = "cross-entropy (nats) of pitch + velocity + time step + note length"
        case .regression(let m) where m.loss.categorical != nil:
            lossName = "cross-entropy (nats) + \(m.loss.auxiliaryWeight) x (velocity, time-delta squared error, scaled units)"
        case .regression(let m):
            switch m.loss.mode {
            case .mse: lossName = "MSE of the 3 scaled features"
            default: lossName = "\(m.loss.mode.rawValue) note loss + \(m.loss.auxiliaryWeight) x (velocity, time-delta MSE), scaled units"
            }
        case .baseline: lossName = "cross-entropy (nats)"
        }
        var isProbabilistic = true
        if case .regression(let m) = predictor, m.loss.categorical == nil { isProbabilistic = false }
        var result = NextNoteEvaluation(songs: songs.count, notes: t.notes, top1: Double(t.top1) / d, top5: Double(t.top5) / d,
                                        loss: t.loss / d, lossName: lossName, pitchLoss: isProbabilistic ? t.pitchLoss / d : nil)
        if t.memoryNotes > 0 {
            let m = Double(t.memoryNotes)
            result.withMotifMemory = MemoryScores(weight: motifMemory, top1: Double(t.memoryTop1) / m, top5: Double(t.memoryTop5) / m,
                                                  pitchLoss: t.memoryPitchLoss / m, proposalShare: Double(t.proposals) / m,
                                                  proposalPrecision: Double(t.proposalHits) / Double(max(1, t.proposals)))
        }
        return result
    }

    /// Running counts of one worker.
    struct Tally: Sendable {
        var notes = 0, top1 = 0, top5 = 0
        var loss = 0.0, pitchLoss = 0.0
        /// The motif memory's weight (0: not scored) and the mixed distribution's counts.
        var memoryWeight = 0.0
        var memoryNotes = 0, memoryTop1 = 0, memoryTop5 = 0, proposals = 0, proposalHits = 0
        var memoryPitchLoss = 0.0

        func merged(_ o: Tally) -> Tally {
            Tally(notes: notes + o.notes, top1: top1 + o.top1, top5: top5 + o.top5, loss: loss + o.loss, pitchLoss: pitchLoss + o.pitchLoss,
                  memoryWeight: memoryWeight, memoryNotes: memoryNotes + o.memoryNotes, memoryTop1: memoryTop1 + o.memoryTop1,
                  memoryTop5: memoryTop5 + o.memoryTop5, proposals: proposals + o.proposals, proposalHits: proposalHits + o.proposalHits,
                  memoryPitchLoss: memoryPitchLoss + o.memoryPitchLoss)
        }

        /// Scores the pitch under p = (1 - w) `pb` + w one-hot(`proposed`) (the motif memory's mixing; `pb` unmixed).
        mutating func countMixed(truth: Int, probabilities pb: UnsafeBufferPointer<Double>, proposed: Int?) {
            let w = memoryWeight
            func mixed(_ q: Int) -> Double { (1 - w) * pb[q] + (q == proposed ? w : 0) }
            let pt = mixed(truth)
            var better = 0
            for q in pb.indices where mixed(q) > pt { better += 1 }
            if better == 0 { memoryTop1 += 1 }
            if better < 5 { memoryTop5 += 1 }
            memoryPitchLoss += -Foundation.log(max(pt, 1e-300))
            memoryNotes += 1
            if let proposed {
                proposals += 1
                if proposed == truth { proposalHits += 1 }
            }
        }

        /// A stateful model: the predictor is reset at the song's start and steps through it once; the output after
        /// note i predicts note i + 1 (every note after the first is scored). Loss as the windowed heads'.
        mutating func add(stateful p: Predictor, model: TrainedModel, frames song: [FeatureFrame]) {
            guard song.count >= 2 else { return }
            p.reset()
            let k = CategoricalPitchLoss.pitchCount
            var probs = [Double](repeating: 0, count: k)
            var target = [Float](repeating: 0, count: model.features.inputWidth)
            let rhythm = model.loss.categorical?.rhythm, aux = model.loss.auxiliaryWeight
            // What a motif memory of the song's notes so far proposes after each note (as a generated piece's memory of
            // its drawn notes): mixed into the scored distribution, and given with every note to a model that reads it.
            let usesMemory = memoryWeight > 0 && rhythm != nil, readsRecall = model.features.encoding?.recall == true
            let proposals = usesMemory || readsRecall ? MotifMemory.recallPitches(of: song) : []
            var frames = song
            if readsRecall { for j in frames.indices { frames[j].recall = proposals[j] } }
            for i in 0..<(frames.count - 1) {
                let o = p.step(frames[i])
                let next = frames[i + 1]
                let truth = min(127, max(0, Int(next.note.rounded())))
                guard model.loss.categorical != nil else {
                    let predicted = model.scaler.inverse(o[0], o[1], o[2])
                    let guess = predicted.note.isFinite ? Int(predicted.note.rounded()) : Int.min / 2
                    if guess == truth { top1 += 1 }
                    if abs(guess - truth) <= 2 { top5 += 1 }
                    let (t0, t1, t2) = model.scaler.transform(next)
                    loss += model.loss.evaluate(output: [Double(o[0]), Double(o[1]), Double(o[2])], target: [Double(t0), Double(t1), Double(t2)],
                                                batch: 1, normalizer: 1, gradient: nil).total
                    notes += 1
                    continue
                }
                let proposed = usesMemory ? proposals[i] : nil
                let pt = probs.withUnsafeMutableBufferPointer { pb -> Double in
                    CategoricalPitchLoss.softmax(o, into: pb.baseAddress!)
                    if usesMemory { countMixed(truth: truth, probabilities: UnsafeBufferPointer(pb), proposed: proposed) }
                    return count(truth: truth, probabilities: UnsafeBufferPointer(pb))
                }
                let ce = -Foundation.log(max(pt, 1e-300))
                pitchLoss += ce
                if let rhythm {
                    target.withUnsafeMutableBufferPointer { tb in
                        model.features.encode(next, scaler: model.scaler, style: p.style, into: tb.baseAddress!)
                        let (v, timing) = rhythm.evaluate(output: o, target: UnsafePointer(tb.baseAddress!), inv: 1, gradient: nil)
                        loss += ce + v + timing
                    }
                } else {
                    let (_, t1, t2) = model.scaler.transform(next)
                    let ev = Double(o[k] - t1), ed = Double(o[k + 1] - t2)
                    loss += ce + aux * (ev * ev + ed * ed)
                }
                notes += 1
            }
        }

        mutating func add(regression p: Predictor, model: TrainedModel, frames: [FeatureFrame]) {
            let l = p.lookBack
            guard frames.count > l else { return }
            if p.isCategorical { add(categorical: p, model: model, frames: frames); return }
            frames.withUnsafeBufferPointer { all in
                for i in l..<all.count {
                    let window = UnsafeBufferPointer(rebasing: all[(i - l)..<i])
                    let predicted = p.predict(window)
                    let truth = Int(all[i].note.rounded())
                    let guess = predicted.note.isFinite ? Int(predicted.note.rounded()) : Int.min / 2
                    if guess == truth { top1 += 1 }
                    if abs(guess - truth) <= 2 { top5 += 1 }
                    let (o0, o1, o2) = model.scaler.transform(predicted)
                    let (t0, t1, t2) = model.scaler.transform(all[i])
                    let out: [Double] = [Double(o0), Double(o1), Double(o2)], target: [Double] = [Double(t0), Double(t1), Double(t2)]
                    loss += model.loss.evaluate(output: out, target: target, batch: 1, normalizer: 1, gradient: nil).total
                    notes += 1
                }
            }
        }

        /// A categorical head: top-k by rank of the true pitch's probability; loss = cross-entropy (nats)
        /// + auxiliary weight x (velocity, time-delta squared error in scaled units).
        mutating func add(categorical p: Predictor, model: TrainedModel, frames: [FeatureFrame]) {
            if let rhythm = model.loss.categorical?.rhythm { add(rhythm: rhythm, p: p, model: model, frames: frames); return }
            let l = p.lookBack, aux = model.loss.auxiliaryWeight
            var probs = [Double](repeating: 0, count: CategoricalPitchLoss.pitchCount)
            frames.withUnsafeBufferPointer { all in
                probs.withUnsafeMutableBufferPointer { pb in
                    for i in l..<all.count {
                        let predicted = p.predictDistribution(UnsafeBufferPointer(rebasing: all[(i - l)..<i]), probabilities: pb.baseAddress!)
                        let truth = min(127, max(0, Int(all[i].note.rounded())))
                        let pt = count(truth: truth, probabilities: UnsafeBufferPointer(pb))
                        let (_, o1, o2) = model.scaler.transform(predicted)
                        let (_, t1, t2) = model.scaler.transform(all[i])
                        let ev = Double(o1 - t1), ed = Double(o2 - t2)
                        loss += -Foundation.log(max(pt, 1e-300)) + aux * (ev * ev + ed * ed)
                        pitchLoss += -Foundation.log(max(pt, 1e-300))
                        notes += 1
                    }
                }
            }
        }

        /// Counts a top-1 / top-5 hit by the rank of the true pitch's probability; returns that probability.
        mutating func count(truth: Int, probabilities pb: UnsafeBufferPointer<Double>) -> Double {
            let pt = pb[truth]
            var better = 0
            for v in pb where v > pt { better += 1 }
            if better == 0 { top1 += 1 }
            if better < 5 { top5 += 1 }
            return pt
        }

        /// A categorical head with a rhythm head: top-k as above; loss = the cross-entropies of pitch, velocity,
        /// time step and note length (nats).
        mutating func add(rhythm: RhythmHead, p: Predictor, model: TrainedModel, frames: [FeatureFrame]) {
            let l = p.lookBack
            guard frames.count > l else { return }
            var probs = [Double](repeating: 0, count: CategoricalPitchLoss.pitchCount)
            var target = [Float](repeating: 0, count: model.features.inputWidth)
            frames.withUnsafeBufferPointer { all in
                probs.withUnsafeMutableBufferPointer { pb in
                    target.withUnsafeMutableBufferPointer { tb in
                        for i in l..<all.count {
                            let o = p.predictOutput(UnsafeBufferPointer(rebasing: all[(i - l)..<i]))
                            CategoricalPitchLoss.softmax(o, into: pb.baseAddress!)
                            let truth = min(127, max(0, Int(all[i].note.rounded())))
                            let pt = count(truth: truth, probabilities: UnsafeBufferPointer(pb))
                            model.features.encode(all[i], scaler: model.scaler, into: tb.baseAddress!)
                            let (v, timing) = rhythm.evaluate(output: o, target: UnsafePointer(tb.baseAddress!), inv: 1, gradient: nil)
                            loss += -Foundation.log(max(pt, 1e-300)) + v + timing
                            pitchLoss += -Foundation.log(max(pt, 1e-300))
                            notes += 1
                        }
                    }
                }
            }
        }

        mutating func add(baseline m: NoteBaselineModel, frames: [FeatureFrame]) {
            let c = m.context
            guard frames.count > c else { return }
            let pitches = frames.map(\.note)
            for i in c..<pitches.count {
                let probs = m.probabilities(previous: pitches[(i - c)..<i])
                let truth = min(127, max(0, Int(pitches[i].rounded())))
                let better = probs.reduce(0) { $0 + ($1 > probs[truth] ? 1 : 0) }
                if better == 0 { top1 += 1 }
                if better < 5 { top5 += 1 }
                loss -= log(max(probs[truth], 1e-300))
                pitchLoss -= log(max(probs[truth], 1e-300))
                notes += 1
            }
        }
    }
}

/// One result slot per worker, each written by exactly one iteration.
private final class PartSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [NextNoteEvaluation.Tally?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ t: NextNoteEvaluation.Tally) { lock.lock(); slots[i] = t; lock.unlock() }
    var values: [NextNoteEvaluation.Tally] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
}
