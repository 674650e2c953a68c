import Dispatch
import Foundation

/// Stateful training: truncated back-propagation through time over whole songs.
///
/// An epoch deals the songs into batches of ``Trainer/batchSize`` songs of similar length (shuffled, then sorted by
/// length within groups of 32 batches, the batches in shuffled order). Each batch runs from the first note of its
/// songs to the last in chunks of ``Architecture/lookBack`` steps: every LSTM's state is carried from chunk to chunk,
/// the gradient of a chunk stops at the state it started from (the truncation), and each chunk is one optimiser step.
/// Every note after a song's first is a target exactly once per epoch. Songs are dealt to the workers in turn (song
/// k of a batch, longest first, to worker k mod n), and a song that ends leaves its worker's batch: rows of songs
/// still playing stay a prefix, so no padding is computed beyond the longest song of each worker.
extension Trainer {
    /// The batches of one epoch: song indices (songs of two or more notes) in groups of up to `batchSize`, each sorted
    /// longest first, drawn from `generator`.
    static func songBatches(_ source: any SongSource, batchSize: Int, generator: inout SeededGenerator) -> [[Int]] {
        var ids = (0..<source.count).filter { source.length($0) >= 2 }
        for i in stride(from: ids.count - 1, to: 0, by: -1) { ids.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
        var batches: [[Int]] = []
        let group = batchSize * 32
        var g = 0
        while g < ids.count {
            let part = ids[g..<min(ids.count, g + group)].sorted { (source.length($0), $1) > (source.length($1), $0) }
            var b = 0
            while b < part.count { batches.append(Array(part[b..<min(part.count, b + batchSize)])); b += batchSize }
            g += group
        }
        for i in stride(from: batches.count - 1, to: 0, by: -1) { batches.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
        return batches
    }

    /// Trains one stateful epoch over `source` (see the extension's documentation); `progress` is called after every
    /// chunk (one optimiser step), `shouldStop` before each. Songs are transposed and their style labels dropped as
    /// `augmentation` says, drawn from `generator`. Returns the mean loss per target note and the notes per second.
    public func trainStatefulEpoch(_ source: any SongSource, features: FeatureConfiguration, scaler: StandardScaler,
                                   augmentation: SongAugmentation, epoch: Int, generator: inout SeededGenerator,
                                   progress: (BatchProgress) -> Void = { _ in },
                                   shouldStop: () -> Bool = { false }) throws -> (loss: LossComponents, samplesPerSecond: Double)? {
        let chunk = network.architecture.lookBack
        let batches = Self.songBatches(source, batchSize: batchSize, generator: &generator)
        guard !batches.isEmpty else { throw TrainingError.noSamples }
        let stepCount = batches.reduce(0) { $0 + (source.length($1[0]) - 1 + chunk - 1) / chunk }
        let workers = self.workers, loss = self.loss, chunks = parameterChunks
        // Data-parallel (issue 18): this process's workers compute parts firstPart ..< firstPart + workers.count of `parts`.
        let parts = dataParallel?.parts ?? workers.count, firstPart = dataParallel?.localParts.lowerBound ?? 0
        var parallelStep = dataParallel.map { DataParallelStep(trainer: self, split: $0) }
        let dropoutRate = dropout, dropoutSeed = self.dropoutSeed
        let results = UnsafeMutablePointer<LossComponents>.allocate(capacity: parts)
        defer { results.deallocate() }
        let norms = UnsafeMutablePointer<Float>.allocate(capacity: parts)
        defer { norms.deallocate() }
        let shared = (results: SharedPointer(pointer: results), norms: SharedPointer(pointer: norms))
        let gradientPointers = workers.map { SharedPointer(pointer: $0.gradients) }
        var sum = LossComponents()
        var seen = 0, step = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for (b, ids) in batches.enumerated() {
            var shifts: [Int] = [], styles: [Int?] = []
            for i in ids {
                let r = source.pitchRange(i)
                let t = augmentation.transpose
                let draw = t > 0 ? Int(generator.next() % UInt64(2 * t + 1)) - t : 0
                shifts.append(min(max(draw, -r.low), 127 - r.high))
                let keep = generator.nextUnit() >= augmentation.styleDropout
                styles.append(keep ? source.style(i) : nil)
            }
            let songs = try EncodedSongs(source: source, ids: ids, shifts: shifts, styles: styles, features: features, scaler: scaler)
            let targets = songs.lengths.map { $0 - 1 }
            let longest = targets[0]
            var c = 0
            while c * chunk < longest {
                if parallelStep == nil, shouldStop() { throw CancellationError() }
                let from = c * chunk
                let n = targets.reduce(0) { $0 + min(chunk, max(0, $1 - from)) }
                let key = DropoutMask.key(seed: dropoutSeed, epoch: epoch, batch: b << 20 | c)
                let first = c == 0
                try network.parameters.withUnsafeMutableBufferPointer { pbuf in
                    let params = SharedPointer(pointer: pbuf.baseAddress!)
                    try songs.rows.withUnsafeBufferPointer { rbuf in
                        let rows = SharedPointer(pointer: UnsafeMutablePointer(mutating: rbuf.baseAddress!))
                        runParts { w in
                            let worker = workers[w]
                            worker.zeroGradients()
                            shared.results.pointer[w] = LossComponents()
                            let mine = Array(stride(from: firstPart + w, to: targets.count, by: parts))
                            let active = mine.prefix { targets[$0] > from }.count
                            guard active > 0 else { return }
                            if first { worker.resetState(batch: active) } else { worker.carryState(keeping: active) }
                            let steps = min(chunk, targets[mine[0]] - from)
                            Trainer.gatherChunk(songs, rows: rows.pointer, songs: mine.prefix(active), from: from, steps: steps, into: worker)
                            let mask = dropoutRate > 0 ? DropoutMask(rate: dropoutRate, key: key, firstSample: firstPart + w, sampleStride: parts) : nil
                            worker.forwardChunk(parameters: params.pointer, batch: active, steps: steps, dropout: mask)
                            shared.results.pointer[w] = Trainer.chunkLoss(loss, worker: worker, targets: mine.prefix(active).map { targets[$0] - from },
                                                                          steps: steps, width: songs.width, normalizer: Double(n), gradient: true)
                            worker.backwardChunk(parameters: params.pointer, batch: active, steps: steps)
                        }
                    }
                    if var s = parallelStep {  // the exact sum over processes, then the same update everywhere
                        let losses = (0..<workers.count).map { shared.results.pointer[$0] }
                        let chunkLoss = try s.reduceAndUpdate(trainer: self, parameters: pbuf.baseAddress!, localLosses: losses,
                                                              epoch: epoch, step: step, stop: shouldStop())
                        parallelStep = s
                        sum = sum + chunkLoss.scaled(by: Double(n))
                        return
                    }
                    var chunkLoss = LossComponents()
                    for w in 0..<parts { chunkLoss = chunkLoss + shared.results.pointer[w] }
                    let norm2 = sumGradients(gradientPointers, norms: shared.norms, chunks: chunks)
                    guard chunkLoss.total.isFinite, norm2.isFinite else { throw TrainingError.nonFinite(epoch: epoch, batch: step + 1) }
                    var factor: Float = 1
                    if let clip = clipNorm, Double(norm2) > clip * clip { factor = Float(clip / Double(norm2).squareRoot()) }
                    optimizer.update(pbuf.baseAddress!, gradients: gradientPointers[0].pointer, chunks: chunks, gradientScale: factor, run: runShortParts)
                    sum = sum + chunkLoss.scaled(by: Double(n))
                }
                seen += n
                step += 1
                c += 1
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                progress(BatchProgress(epoch: epoch, batch: step, batchCount: stepCount, loss: sum.total / Double(max(seen, 1)),
                                       samplesPerSecond: Double(seen) / max(elapsed, 1e-9), samples: seen))
            }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (sum.scaled(by: 1 / Double(max(seen, 1))), Double(seen) / max(elapsed, 1e-9))
    }

    /// The batch gradient: sums every worker's parameter gradients into the first worker's buffer and returns the
    /// squared global norm. This is the one place where per-worker (per-example-group) gradients meet; each parameter
    /// chunk is summed over the workers in worker order (0, 1, ...), so the result does not depend on timing. An
    /// all-reduce across processes hooks in here: after this call, `gradients[0]` holds this process's batch gradient.
    func sumGradients(_ gradients: [SharedPointer<Float>], norms: SharedPointer<Float>, chunks: [Range<Int>]) -> Float {
        runShortParts { w in norms.pointer[w] = Trainer.reduce(gradients, range: chunks[w]) }
        var norm2: Float = 0
        for w in 0..<chunks.count { norm2 += norms.pointer[w] }
        return norm2
    }

    /// Writes one chunk of `songs` (their indices into `encoded`, longest first) into the worker: input step t of row r
    /// is note `from + t` of song r (zeros past its last target), its target the note after it.
    static func gatherChunk<S: Collection<Int>>(_ encoded: EncodedSongs, rows: UnsafePointer<Float>, songs: S, from: Int, steps: Int,
                                              into worker: NetworkWorker<Float>) {
        let w = encoded.width, batch = songs.count
        let input = worker.input, target = worker.target
        for (r, s) in songs.enumerated() {
            let base = rows + encoded.offsets[s] * w
            let last = encoded.lengths[s] - 1  // targets are notes 1 ... last
            for t in 0..<steps {
                let dst = input + (t * batch + r) * w, tgt = target + (t * batch + r) * w
                let i = from + t
                if i < last {
                    dst.update(from: base + i * w, count: w)
                    tgt.update(from: base + (i + 1) * w, count: w)
                } else {
                    dst.update(repeating: 0, count: w)
                    tgt.update(from: base + last * w, count: w)
                }
            }
        }
    }

    /// The loss of a chunk's output (steps x rows, time-major) where row r has `targets[r]` valid steps (a non-increasing
    /// list); each valid step weighs 1 / `normalizer`. With `gradient`, writes d loss / d output into the worker
    /// (zero for steps past a song's end).
    static func chunkLoss<T: NeuralScalar>(_ loss: FeatureLoss, worker: NetworkWorker<T>, targets: [Int], steps: Int, width: Int,
                          normalizer: Double, gradient: Bool) -> LossComponents {
        let batch = targets.count, ow = worker.architecture.outputWidth
        var total = LossComponents()
        for t in 0..<steps {
            let valid = targets.prefix { $0 > t }.count
            let out = worker.output + t * batch * ow
            let g = gradient ? worker.outputGradient + t * batch * ow : nil
            if valid > 0 {
                total = total + loss.evaluate(output: out, target: worker.target + t * batch * width, targetStride: width, batch: valid,
                                              normalizer: normalizer, gradient: g)
            }
            if let g, valid < batch { (g + valid * ow).update(repeating: 0, count: (batch - valid) * ow) }
        }
        return total
    }

    /// Mean loss per note and next-note accuracy of the network on whole songs run statefully (each song from its first
    /// note, every later note a target; no augmentation), in parallel over the evaluation workers.
    public func evaluateStateful(_ source: any SongSource, features: FeatureConfiguration, scaler: StandardScaler) throws -> Evaluation {
        let rowsPer = evaluators[0].maxBatch, chunk = network.architecture.lookBack
        var ids = (0..<source.count).filter { source.length($0) >= 2 }
        ids.sort { (source.length($0), $1) > (source.length($1), $0) }
        let batches: [[Int]] = stride(from: 0, to: ids.count, by: rowsPer).map { Array(ids[$0..<min(ids.count, $0 + rowsPer)]) }
        let slots = EvaluationSlots(count: batches.count)
        let evaluators = self.evaluators, loss = self.loss, network = self.network
        DispatchQueue.concurrentPerform(iterations: evaluators.count) { e in
            var k = e
            while k < batches.count {
                do {
                    let ids = batches[k]
                    let songs = try EncodedSongs(source: source, ids: ids, shifts: ids.map { _ in 0 }, styles: ids.map { source.style($0) },
                                                 features: features, scaler: scaler)
                    let worker = evaluators[e]
                    let targets = songs.lengths.map { $0 - 1 }
                    var sum = LossComponents(), correct = 0, notes = 0, c = 0
                    try network.parameters.withUnsafeBufferPointer { p in
                        try songs.rows.withUnsafeBufferPointer { r in
                            while c * chunk < targets[0] {
                                let from = c * chunk
                                let active = targets.prefix { $0 > from }.count
                                if c == 0 { worker.resetState(batch: active) } else { worker.carryState(keeping: active) }
                                let steps = min(chunk, targets[0] - from)
                                let rows = Array(0..<active)
                                Trainer.gatherChunk(songs, rows: r.baseAddress!, songs: rows, from: from, steps: steps, into: worker)
                                worker.forwardChunk(parameters: p.baseAddress!, batch: active, steps: steps, dropout: nil)
                                let left = rows.map { targets[$0] - from }
                                sum = sum + Trainer.chunkLoss(loss, worker: worker, targets: left, steps: steps, width: songs.width,
                                                              normalizer: 1, gradient: false)
                                for t in 0..<steps {
                                    for row in 0..<active where left[row] > t {
                                        let o = worker.output + (t * active + row) * worker.architecture.outputWidth
                                        let target = Double(worker.target[(t * active + row) * songs.width])
                                        if Trainer.isCorrect(loss, output: o, scaledNote: target, scaler: scaler) { correct += 1 }
                                        notes += 1
                                    }
                                }
                                c += 1
                            }
                        }
                    }
                    slots.set(k, .success((sum, correct, notes)))
                } catch {
                    slots.set(k, .failure(error))
                }
                k += evaluators.count
            }
        }
        var sum = LossComponents(), correct = 0, notes = 0
        for r in slots.values {
            switch r {
            case .success(let v): sum = sum + v.0; correct += v.1; notes += v.2
            case .failure(let e): throw e
            case nil: break
            }
        }
        let d = Double(max(1, notes))
        return Evaluation(loss: sum.scaled(by: 1 / d), noteAccuracy: Double(correct) / d, samples: notes)
    }

    /// Whether output row `o` predicts the pitch of the scaled note `scaledNote` (arg-max logit, or the rounded regression).
    static func isCorrect(_ loss: FeatureLoss, output o: UnsafePointer<Float>, scaledNote: Double, scaler: StandardScaler) -> Bool {
        if let head = loss.categorical {
            var best = 0
            for j in 1..<CategoricalPitchLoss.pitchCount where o[j] > o[best] { best = j }
            return best == head.pitch(scaled: scaledNote)
        }
        let p = (Double(o[0]) * scaler.scale[0] + scaler.mean[0]).rounded()
        return p == (scaledNote * scaler.scale[0] + scaler.mean[0]).rounded()
    }
}

/// Per-batch evaluation results, each slot written by one worker.
private final class EvaluationSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<(LossComponents, Int, Int), any Error>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<(LossComponents, Int, Int), any Error>) { lock.lock(); slots[i] = r; lock.unlock() }
    var values: [Result<(LossComponents, Int, Int), any Error>?] { lock.lock(); defer { lock.unlock() }; return slots }
}
