import Dispatch

extension Trainer {
    /// One epoch of data-parallel training on windows in memory: every process shuffles the same windows in
    /// the same order, cuts each global batch into the split's fixed parts and computes only its own parts
    /// (one worker each); the parts' gradients are summed exactly (``FixedPointGradientSum``) and every process
    /// applies the same update, so the weights are bit-identical in every process and for any process count.
    func trainEpochDataParallel(_ data: WindowedDataset, epoch: Int, split: DataParallelism, generator: inout SeededGenerator,
                                progress: (BatchProgress) -> Void, shouldStop: () -> Bool) throws -> (loss: LossComponents, samplesPerSecond: Double)? {
        let shuffledStarts = data.shuffledStarts(generator: &generator)
        let batchCount = (data.count + batchSize - 1) / batchSize
        let width = data.width, lookBack = data.lookBack, total = data.count, batchSize = self.batchSize
        var step = DataParallelStep(trainer: self, split: split)
        var sum = LossComponents()
        var seen = 0
        let start = DispatchTime.now().uptimeNanoseconds
        try data.frames.withUnsafeBufferPointer { framesBuf in
            try shuffledStarts.withUnsafeBufferPointer { startsBuf in
                let frames = SharedPointer(pointer: UnsafeMutablePointer(mutating: framesBuf.baseAddress!))
                let starts = SharedPointer(pointer: UnsafeMutablePointer(mutating: startsBuf.baseAddress!))
                for b in 0..<batchCount {
                    let lo = b * batchSize, hi = min(total, lo + batchSize)
                    let n = hi - lo
                    let per = (n + split.parts - 1) / split.parts
                    let batchLoss = try step.run(trainer: self, epoch: epoch, batch: b, rows: n, partRows: per, width: width, shouldStop: shouldStop) { part, worker in
                        let plo = min(hi, lo + part * per), phi = min(hi, plo + per)
                        guard plo < phi else { return 0 }
                        Trainer.gather(frames.pointer, width: width, lookBack: lookBack, starts: starts.pointer,
                                       order: nil, range: plo..<phi, into: worker, targets: worker.target)
                        return phi - plo
                    }
                    sum = sum + batchLoss.scaled(by: Double(n))
                    seen += n
                    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                    progress(BatchProgress(epoch: epoch, batch: b + 1, batchCount: batchCount, loss: sum.total / Double(seen),
                                           samplesPerSecond: Double(seen) / max(elapsed, 1e-9)))
                }
            }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (sum.scaled(by: 1 / Double(max(seen, 1))), Double(seen) / max(elapsed, 1e-9))
    }
}

/// The buffers and the body of one data-parallel step, shared by the in-memory and the streaming epochs.
struct DataParallelStep {
    let split: DataParallelism
    /// Per part: the four loss components; then one slot per process for "stop requested".
    private var gathered: [Double]
    private var fixedPoint: FixedPointGradientSum
    private var summed: [Float]

    init(trainer: Trainer, split: DataParallelism) {
        self.split = split
        gathered = [Double](repeating: 0, count: split.parts * 4 + split.reducer.processCount)
        fixedPoint = FixedPointGradientSum(count: trainer.network.parameterCount, parts: split.parts)
        summed = [Float](repeating: 0, count: trainer.network.parameterCount)
    }

    /// Runs batch `batch` of `rows` global rows, `partRows` per part: `fill(part, worker)` loads the part's
    /// rows into the worker (on the worker's thread) and returns how many; then forward, loss and backward
    /// of this process's parts, the exact sum over processes, clipping and the update. Returns the batch's
    /// mean loss (the parts' losses added in part order).
    mutating func run(trainer: Trainer, epoch: Int, batch: Int, rows n: Int, partRows per: Int, width: Int, shouldStop: () -> Bool,
                      fill: @escaping @Sendable (Int, NetworkWorker<Float>) throws -> Int) throws -> LossComponents {
        let workers = trainer.workers, loss = trainer.loss
        let local = split.localParts
        let dropoutRate = trainer.dropout
        let key = DropoutMask.key(seed: trainer.dropoutSeed, epoch: epoch, batch: batch)
        let outcomes = UnsafeMutablePointer<Result<LossComponents, any Error>>.allocate(capacity: workers.count)
        outcomes.initialize(repeating: .success(LossComponents()), count: workers.count)
        defer { outcomes.deinitialize(count: workers.count); outcomes.deallocate() }
        let results = SharedPointer(pointer: outcomes)
        var batchLoss = LossComponents()
        try trainer.network.parameters.withUnsafeMutableBufferPointer { pbuf in
            let params = SharedPointer(pointer: pbuf.baseAddress!)
            trainer.runParts { w in
                let part = local.lowerBound + w
                let worker = workers[w]
                worker.zeroGradients()
                do {
                    let count = try fill(part, worker)
                    guard count > 0 else { results.pointer[w] = .success(LossComponents()); return }
                    let mask = dropoutRate > 0 ? DropoutMask(rate: dropoutRate, key: key, firstSample: part * per) : nil
                    worker.forward(parameters: params.pointer, batch: count, dropout: mask)
                    let l = loss.evaluate(output: worker.output, target: worker.target, targetStride: width, batch: count,
                                          normalizer: Double(n), gradient: worker.outputGradient)
                    worker.backward(parameters: params.pointer, batch: count)
                    results.pointer[w] = .success(l)
                } catch {
                    results.pointer[w] = .failure(error)
                }
            }
            var losses = [LossComponents]()
            losses.reserveCapacity(workers.count)
            for w in 0..<workers.count { losses.append(try results.pointer[w].get()) }
            batchLoss = try reduceAndUpdate(trainer: trainer, parameters: pbuf.baseAddress!, localLosses: losses, epoch: epoch, step: batch,
                                            stop: shouldStop())
        }
        return batchLoss
    }

    /// The end of a step once this process's parts have their gradients in the trainer's workers (worker `w`: local
    /// part `w`) and their losses in `localLosses`: gathers every part's loss and agrees on stopping (any process's
    /// `stop` ends all before the update), sums the gradients exactly over all processes, clips and applies the
    /// update. Returns the step's loss (the parts' losses added in part order). Any data-parallel epoch ends its
    /// steps here (the windowed epochs above; a stateful epoch per chunk).
    mutating func reduceAndUpdate(trainer: Trainer, parameters: UnsafeMutablePointer<Float>, localLosses: [LossComponents],
                                  epoch: Int, step: Int, stop: Bool) throws -> LossComponents {
        let workers = trainer.workers, local = split.localParts, reducer = split.reducer, parts = split.parts
        for i in gathered.indices { gathered[i] = 0 }
        for (w, l) in localLosses.enumerated() {
            let slot = (local.lowerBound + w) * 4
            gathered[slot] = l.total; gathered[slot + 1] = l.note
            gathered[slot + 2] = l.velocity; gathered[slot + 3] = l.timeDelta
        }
        let stopSlot = parts * 4
        gathered[stopSlot + reducer.rank] = stop ? 1 : 0
        try gathered.withUnsafeMutableBufferPointer { try reducer.gather($0) }
        if gathered[stopSlot...].contains(where: { $0 != 0 }) { throw CancellationError() }
        var stepLoss = LossComponents()
        for p in 0..<parts {
            var l = LossComponents()
            l.total = gathered[p * 4]; l.note = gathered[p * 4 + 1]
            l.velocity = gathered[p * 4 + 2]; l.timeDelta = gathered[p * 4 + 3]
            stepLoss = stepLoss + l
        }
        let leaves = workers.map { UnsafePointer($0.gradients) }
        let norm = try summed.withUnsafeMutableBufferPointer { out in
            try fixedPoint.sum(leaves: leaves, reducer: reducer, into: out.baseAddress!)
        }
        guard let norm2 = norm, stepLoss.total.isFinite, norm2.isFinite else {
            throw TrainingError.nonFinite(epoch: epoch, batch: step + 1)
        }
        var factor: Float = 1
        if let clip = trainer.clipNorm, Double(norm2) > clip * clip {
            factor = Float(clip / Double(norm2).squareRoot())
        }
        summed.withUnsafeBufferPointer { g in
            trainer.optimizer.update(parameters, gradients: g.baseAddress!, chunks: trainer.parameterChunks,
                                     gradientScale: factor, run: trainer.runShortParts)
        }
        return stepLoss
    }
}
