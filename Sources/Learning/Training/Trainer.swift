import Dispatch
import Foundation

/// Why training stopped with an error.
public enum TrainingError: Error, LocalizedError, Equatable {
    /// The loss or a gradient became NaN or infinite; the weights were not updated.
    case nonFinite(epoch: Int, batch: Int)
    /// No training samples.
    case noSamples

    /// One-line description.
    public var errorDescription: String? {
        switch self {
        case .nonFinite(let e, let b):
            return "training diverged: non-finite loss or gradient at epoch \(e), batch \(b); no weights were updated (try a lower --learning-rate)"
        case .noSamples:
            return "no training samples: the corpus has no song longer than the look-back"
        }
    }
}

/// Progress within an epoch, reported after each batch.
public struct BatchProgress: Sendable {
    /// 1-based epoch.
    public var epoch: Int
    /// Batches done in this epoch.
    public var batch: Int
    /// Batches per epoch.
    public var batchCount: Int
    /// Mean training loss so far this epoch.
    public var loss: Double
    /// Samples per second so far this epoch.
    public var samplesPerSecond: Double
    /// Samples (windows, or target notes of a stateful epoch) trained on so far this epoch.
    public var samples: Int = 0
}

/// Loss components and next-note accuracy of a model on a dataset.
public struct Evaluation: Sendable, Codable, Hashable {
    /// Mean loss components.
    public var loss: LossComponents
    /// Fraction of samples whose rounded predicted pitch equals the true pitch.
    public var noteAccuracy: Double
    /// Samples evaluated.
    public var samples: Int
}

/// Mini-batch training of a `Float` network on windowed features, batch-parallel across worker threads.
///
/// Each batch is split between the workers (one per core); each runs forward and backward on its part
/// with its own buffers, then the gradients are summed, clipped by global norm and applied once.
public final class Trainer {
    /// The network being trained.
    public internal(set) var network: Network<Float>
    /// Its optimiser and state.
    public var optimizer: Optimizer
    /// The loss.
    public let loss: FeatureLoss
    /// Mini-batch size.
    public let batchSize: Int
    /// Global gradient-norm clip (nil: none).
    public let clipNorm: Double?
    /// Scaler of the note feature, for next-note accuracy (mean, scale).
    public let noteScaler: (mean: Double, scale: Double)

    /// Probability of dropping each LSTM-layer output value in training (inverted dropout; 0: none).
    /// Evaluation and prediction never drop.
    public var dropout: Double = 0
    /// Seed of the dropout masks (the run's seed); with the epoch and batch it fixes every mask.
    public var dropoutSeed: UInt64 = 0

    let workers: [NetworkWorker<Float>]
    private let evaluationBatch = 1024
    let evaluators: [NetworkWorker<Float>]
    /// Persistent threads for the per-batch work (a ``WorkerTeam``; nil with one worker or without the Synchronization module).
    let team: AnyObject?
    /// The parameter ranges the workers reduce and update in parallel (boundaries on multiples of 16).
    let parameterChunks: [Range<Int>]
    /// The data-parallel split (nil: this process alone, today's batch split between threads).
    public let dataParallel: DataParallelism?

    /// Creates a trainer; `threads` defaults to the number of active cores.
    public init(network: Network<Float>, optimizer: Optimizer, loss: FeatureLoss, batchSize: Int, clipNorm: Double? = 5,
                noteScaler: (mean: Double, scale: Double), threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                dataParallel: DataParallelism? = nil) {
        self.network = network
        self.optimizer = optimizer
        self.loss = loss
        self.batchSize = batchSize
        self.clipNorm = clipNorm
        self.noteScaler = noteScaler
        self.dataParallel = dataParallel
        BLASThreads.useSingleThread()
        // Splitting tiny batches costs more in synchronisation than it gains: a windowed worker takes 8 windows or more, a
        // stateful one 4 songs or more (each runs a whole chunk, 32 steps by default, per optimiser step: a batch of 8
        // songs on 2 workers trains 1.5x as fast as on one).
        var n = max(1, min(threads, batchSize / (network.architecture.isStateful ? 4 : 8)))
        var per = (batchSize + n - 1) / n
        if let dp = dataParallel {  // one worker per local part of the batch
            n = dp.localParts.count
            per = (batchSize + dp.parts - 1) / dp.parts
        }
        workers = (0..<n).map { _ in NetworkWorker<Float>(architecture: network.architecture, maxBatch: per) }
        let en = max(1, threads)
        // A stateful worker holds whole chunks per row: keep its evaluation batches near the training batch.
        let evaluationRows = network.architecture.isStateful ? max(8, min(64, batchSize)) : 1024
        evaluators = (0..<en).map { _ in NetworkWorker<Float>(architecture: network.architecture, maxBatch: evaluationRows) }
        if n > 1, #available(macOS 15.0, *) { team = WorkerTeam(size: n) } else { team = nil }
        let count = network.parameterCount
        parameterChunks = (0..<n).map { w in
            let cut = { (i: Int) in i == n ? count : min(count, (count * i / n) / 16 * 16) }
            return cut(w)..<cut(w + 1)
        }
    }

    deinit {
        if #available(macOS 15.0, *), let team = team as? WorkerTeam { team.shutdown() }
    }

    /// Runs the short per-parameter phases (gradient sum, update) in parallel only while the team spins:
    /// a blocking hand-off costs more than these phases.
    func runShortParts(_ body: @escaping (Int) -> Void) {
        if #available(macOS 15.0, *), let team = team as? WorkerTeam, team.isSpinning {
            team.run(body)
        } else {
            for w in 0..<workers.count { body(w) }
        }
    }

    /// Runs `body(part)` for parts 0 ..< workers.count on the team (or GCD without one) and waits.
    func runParts(_ body: @escaping (Int) -> Void) {
        if workers.count == 1 { body(0); return }
        if #available(macOS 15.0, *), let team = team as? WorkerTeam {
            team.run(body)
        } else {
            let box = UncheckedBody(body: body)
            DispatchQueue.concurrentPerform(iterations: workers.count) { box.body($0) }
        }
    }

    /// Copies windows `order[range]` of `data` into a worker's input (time-major) and target buffers.
    /// With `order` nil, `starts` is already in batch order.
    static func gather(_ data: UnsafePointer<Float>, width: Int, lookBack: Int, starts: UnsafePointer<Int32>,
                               order: UnsafePointer<Int32>?, range: Range<Int>, into worker: NetworkWorker<Float>, targets: UnsafeMutablePointer<Float>) {
        let batch = range.count
        let input = worker.input
        for (row, i) in range.enumerated() {
            let start = Int(order.map { starts[Int($0[i])] } ?? starts[i])
            for t in 0..<lookBack {
                let src = data + (start + t) * width, dst = input + (t * batch + row) * width
                for f in 0..<width { dst[f] = src[f] }
            }
            let src = data + (start + lookBack) * width
            for f in 0..<width { targets[row * width + f] = src[f] }
        }
    }

    /// Trains one epoch over `data` in an order shuffled by `generator`; `progress` is called after each batch,
    /// `shouldStop` before each batch (returning true ends the epoch early and returns nil).
    public func trainEpoch(_ data: WindowedDataset, epoch: Int, generator: inout SeededGenerator,
                           progress: (BatchProgress) -> Void = { _ in }, shouldStop: () -> Bool = { false }) throws -> (loss: LossComponents, samplesPerSecond: Double)? {
        guard data.count > 0 else { throw TrainingError.noSamples }
        if let dp = dataParallel {
            return try trainEpochDataParallel(data, epoch: epoch, split: dp, generator: &generator, progress: progress, shouldStop: shouldStop)
        }
        let shuffledStarts = data.shuffledStarts(generator: &generator)
        let batchCount = (data.count + batchSize - 1) / batchSize
        let width = data.width, lookBack = data.lookBack
        var sum = LossComponents()
        let start = DispatchTime.now().uptimeNanoseconds
        var seen = 0
        let workerResults = UnsafeMutablePointer<LossComponents>.allocate(capacity: workers.count)
        defer { workerResults.deallocate() }
        let results = SharedPointer(pointer: workerResults)
        let workers = self.workers, loss = self.loss
        let total = data.count
        let parts = workers.count
        let chunks = parameterChunks
        let dropoutRate = dropout, dropoutSeed = self.dropoutSeed
        let norms = UnsafeMutablePointer<Float>.allocate(capacity: parts)
        defer { norms.deallocate() }
        let normParts = SharedPointer(pointer: norms)
        let gradientPointers = workers.map { SharedPointer(pointer: $0.gradients) }
        try data.frames.withUnsafeBufferPointer { framesBuf in
            try shuffledStarts.withUnsafeBufferPointer { startsBuf in
                do {
                    let frames = SharedPointer(pointer: UnsafeMutablePointer(mutating: framesBuf.baseAddress!))
                    let starts = SharedPointer(pointer: UnsafeMutablePointer(mutating: startsBuf.baseAddress!))
                    for b in 0..<batchCount {
                        if shouldStop() { throw CancellationError() }
                        let lo = b * batchSize, hi = min(total, lo + batchSize)
                        let n = hi - lo
                        let per = (n + parts - 1) / parts
                        let key = DropoutMask.key(seed: dropoutSeed, epoch: epoch, batch: b)
                        try network.parameters.withUnsafeMutableBufferPointer { pbuf in
                            let params = SharedPointer(pointer: pbuf.baseAddress!)
                            // Forward, loss and backward of each worker's rows.
                            runParts { w in
                                let wlo = lo + w * per, whi = min(hi, wlo + per)
                                let worker = workers[w]
                                worker.zeroGradients()
                                guard wlo < whi else { results.pointer[w] = LossComponents(); return }
                                Trainer.gather(frames.pointer, width: width, lookBack: lookBack, starts: starts.pointer,
                                               order: nil, range: wlo..<whi, into: worker, targets: worker.target)
                                let mask = dropoutRate > 0 ? DropoutMask(rate: dropoutRate, key: key, firstSample: w * per) : nil
                                worker.forward(parameters: params.pointer, batch: whi - wlo, dropout: mask)
                                results.pointer[w] = loss.evaluate(output: worker.output, target: worker.target, targetStride: width, batch: whi - wlo,
                                                                    normalizer: Double(n), gradient: worker.outputGradient)
                                worker.backward(parameters: params.pointer, batch: whi - wlo)
                            }
                            var batchLoss = LossComponents()
                            for w in 0..<parts { batchLoss = batchLoss + results.pointer[w] }
                            // Sum the workers' gradients into worker 0's and take the squared norm (the one reduction point).
                            let norm2 = sumGradients(gradientPointers, norms: normParts, chunks: chunks)
                            guard batchLoss.total.isFinite, norm2.isFinite else { throw TrainingError.nonFinite(epoch: epoch, batch: b + 1) }
                            var factor: Float = 1
                            if let clip = clipNorm, Double(norm2) > clip * clip {
                                factor = Float(clip / Double(norm2).squareRoot())
                            }
                            optimizer.update(pbuf.baseAddress!, gradients: gradientPointers[0].pointer, chunks: chunks,
                                             gradientScale: factor, run: runShortParts)
                            sum = sum + batchLoss.scaled(by: Double(n))
                        }
                        seen += n
                        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                        progress(BatchProgress(epoch: epoch, batch: b + 1, batchCount: batchCount, loss: sum.total / Double(seen),
                                               samplesPerSecond: Double(seen) / max(elapsed, 1e-9), samples: seen))
                    }
                }
            }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (sum.scaled(by: 1 / Double(max(seen, 1))), Double(seen) / max(elapsed, 1e-9))
    }

    /// Adds every worker's gradients in `range` into the first worker's and returns their squared norm
    /// (eight partial sums, then summed in a fixed order).
    static func reduce(_ gradients: [SharedPointer<Float>], range: Range<Int>) -> Float {
        typealias V = SIMD8<Float>
        let g = gradients[0].pointer
        var acc = V.zero
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            var v = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            for w in 1..<max(1, gradients.count) { v += UnsafeRawPointer(gradients[w].pointer + i).loadUnaligned(as: V.self) }
            UnsafeMutableRawPointer(g + i).storeBytes(of: v, as: V.self)
            acc += v * v
            i += 8
        }
        var tail: Float = 0
        while i < range.upperBound {
            var v = g[i]
            for w in 1..<max(1, gradients.count) { v += gradients[w].pointer[i] }
            g[i] = v
            tail += v * v
            i += 1
        }
        return acc.sum() + tail
    }

    /// Mean loss components and next-note accuracy of the current network on `data` (parallel, no updates).
    public func evaluate(_ data: WindowedDataset) -> Evaluation {
        Self.evaluate(network: network, loss: loss, noteScaler: noteScaler, data: data, workers: evaluators)
    }

    static func evaluate(network: Network<Float>, loss: FeatureLoss, noteScaler: (mean: Double, scale: Double), data: WindowedDataset,
                         workers: [NetworkWorker<Float>]) -> Evaluation {
        guard data.count > 0 else { return Evaluation(loss: LossComponents(), noteAccuracy: 0, samples: 0) }
        let chunk = workers[0].maxBatch
        let chunks = (data.count + chunk - 1) / chunk
        let order = (0..<data.count).map { Int32($0) }
        let results = UnsafeMutablePointer<(LossComponents, Int)>.allocate(capacity: chunks)
        defer { results.deallocate() }
        let out = SharedPointer(pointer: results)
        let total = data.count, width = data.width, lookBack = data.lookBack
        let mean = noteScaler.mean, scale = noteScaler.scale
        network.parameters.withUnsafeBufferPointer { pbuf in
            data.frames.withUnsafeBufferPointer { fbuf in
                data.windowStarts.withUnsafeBufferPointer { sbuf in
                    order.withUnsafeBufferPointer { obuf in
                        let params = SharedPointer(pointer: UnsafeMutablePointer(mutating: pbuf.baseAddress!))
                        let frames = SharedPointer(pointer: UnsafeMutablePointer(mutating: fbuf.baseAddress!))
                        let starts = SharedPointer(pointer: UnsafeMutablePointer(mutating: sbuf.baseAddress!))
                        let ord = SharedPointer(pointer: UnsafeMutablePointer(mutating: obuf.baseAddress!))
                        DispatchQueue.concurrentPerform(iterations: workers.count) { w in
                            var c = w
                            while c < chunks {
                                let lo = c * chunk, hi = min(total, lo + chunk), n = hi - lo
                                let worker = workers[w], tgt = worker.target
                                gather(frames.pointer, width: width, lookBack: lookBack, starts: starts.pointer, order: ord.pointer,
                                       range: lo..<hi, into: worker, targets: tgt)
                                worker.forward(parameters: params.pointer, batch: n)
                                let l = loss.evaluate(output: worker.output, target: tgt, targetStride: width, batch: n, normalizer: 1, gradient: nil)
                                var correct = 0
                                if let head = loss.categorical {
                                    let ow = head.outputWidth
                                    for r in 0..<n {
                                        let o = worker.output + r * ow
                                        var best = 0
                                        for j in 1..<CategoricalPitchLoss.pitchCount where o[j] > o[best] { best = j }
                                        if best == head.pitch(scaled: Double(tgt[r * width])) { correct += 1 }
                                    }
                                } else {
                                for r in 0..<n {
                                    let p = (Double(worker.output[r * width]) * scale + mean).rounded()
                                    let t = (Double(tgt[r * width]) * scale + mean).rounded()
                                    if p == t { correct += 1 }
                                }
                                }
                                out.pointer[c] = (l, correct)
                                c += workers.count
                            }
                        }
                    }
                }
            }
        }
        var sum = LossComponents(), correct = 0
        for c in 0..<chunks { sum = sum + results[c].0; correct += results[c].1 }
        return Evaluation(loss: sum.scaled(by: 1 / Double(total)), noteAccuracy: Double(correct) / Double(total), samples: total)
    }

    /// A closure that may be handed to threads (the caller guarantees its parts touch disjoint memory).
    struct UncheckedBody: @unchecked Sendable { let body: (Int) -> Void }

    /// Replaces the network's weights (e.g. restoring the best checkpoint).
    public func setParameters(_ p: [Float]) { network.parameters = p }
}
