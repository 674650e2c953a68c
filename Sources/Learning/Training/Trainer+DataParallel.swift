import Dispatch

extension Trainer {
    /// One epoch of data-parallel training: every process shuffles the same windows in the same order, cuts
    /// each global batch into the split's fixed parts and computes only its own parts (one worker each); the
    /// parts' gradients are summed exactly (``FixedPointGradientSum``) and every process applies the same
    /// update, so the weights are bit-identical in every process and for any process count.
    /// Losses are gathered per part and added in part order; stopping (Ctrl-C in any process) is agreed on
    /// after each batch, before its update.
    func trainEpochDataParallel(_ data: WindowedDataset, epoch: Int, split: DataParallelism, generator: inout SeededGenerator,
                                progress: (BatchProgress) -> Void, shouldStop: () -> Bool) throws -> (loss: LossComponents, samplesPerSecond: Double)? {
        var order = (0..<data.count).map { Int32($0) }
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            let j = Int(generator.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        let shuffledStarts = data.windowStarts.withUnsafeBufferPointer { s in order.map { s[Int($0)] } }
        let batchCount = (data.count + batchSize - 1) / batchSize
        let width = data.width, lookBack = data.lookBack, total = data.count
        let workers = self.workers, loss = self.loss
        let parts = split.parts, local = split.localParts, reducer = split.reducer
        let dropoutRate = dropout, dropoutSeed = self.dropoutSeed
        let chunks = parameterChunks
        // Per part: the four loss components; then one slot per process for "stop requested".
        let stopSlot = parts * 4
        var gathered = [Double](repeating: 0, count: stopSlot + reducer.processCount)
        let partLosses = UnsafeMutablePointer<LossComponents>.allocate(capacity: workers.count)
        defer { partLosses.deallocate() }
        let results = SharedPointer(pointer: partLosses)
        var fixedPoint = FixedPointGradientSum(count: network.parameterCount, parts: parts)
        var summed = [Float](repeating: 0, count: network.parameterCount)
        let leaves = workers.map { UnsafePointer($0.gradients) }
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
                    let per = (n + parts - 1) / parts
                    let key = DropoutMask.key(seed: dropoutSeed, epoch: epoch, batch: b)
                    try network.parameters.withUnsafeMutableBufferPointer { pbuf in
                        let params = SharedPointer(pointer: pbuf.baseAddress!)
                        // Forward, loss and backward of this process's parts, one worker per part.
                        runParts { w in
                            let part = local.lowerBound + w
                            let plo = min(hi, lo + part * per), phi = min(hi, plo + per)
                            let worker = workers[w]
                            worker.zeroGradients()
                            guard plo < phi else { results.pointer[w] = LossComponents(); return }
                            Trainer.gather(frames.pointer, width: width, lookBack: lookBack, starts: starts.pointer,
                                           order: nil, range: plo..<phi, into: worker, targets: worker.target)
                            let mask = dropoutRate > 0 ? DropoutMask(rate: dropoutRate, key: key, firstSample: part * per) : nil
                            worker.forward(parameters: params.pointer, batch: phi - plo, dropout: mask)
                            results.pointer[w] = loss.evaluate(output: worker.output, target: worker.target, targetStride: width, batch: phi - plo,
                                                                normalizer: Double(n), gradient: worker.outputGradient)
                            worker.backward(parameters: params.pointer, batch: phi - plo)
                        }
                        // Every part's loss to every process, and whether any process was asked to stop.
                        for i in gathered.indices { gathered[i] = 0 }
                        for w in 0..<workers.count {
                            let l = results.pointer[w], slot = (local.lowerBound + w) * 4
                            gathered[slot] = l.total; gathered[slot + 1] = l.note
                            gathered[slot + 2] = l.velocity; gathered[slot + 3] = l.timeDelta
                        }
                        gathered[stopSlot + reducer.rank] = shouldStop() ? 1 : 0
                        try gathered.withUnsafeMutableBufferPointer { try reducer.gather($0) }
                        if gathered[stopSlot...].contains(where: { $0 != 0 }) { throw CancellationError() }
                        var batchLoss = LossComponents()
                        for p in 0..<parts {
                            var l = LossComponents()
                            l.total = gathered[p * 4]; l.note = gathered[p * 4 + 1]
                            l.velocity = gathered[p * 4 + 2]; l.timeDelta = gathered[p * 4 + 3]
                            batchLoss = batchLoss + l
                        }
                        let norm = try summed.withUnsafeMutableBufferPointer { out in
                            try fixedPoint.sum(leaves: leaves, reducer: reducer, into: out.baseAddress!)
                        }
                        guard let norm2 = norm, batchLoss.total.isFinite, norm2.isFinite else {
                            throw TrainingError.nonFinite(epoch: epoch, batch: b + 1)
                        }
                        var factor: Float = 1
                        if let clip = clipNorm, Double(norm2) > clip * clip {
                            factor = Float(clip / Double(norm2).squareRoot())
                        }
                        summed.withUnsafeBufferPointer { g in
                            optimizer.update(pbuf.baseAddress!, gradients: g.baseAddress!, chunks: chunks, gradientScale: factor, run: runShortParts)
                        }
                        sum = sum + batchLoss.scaled(by: Double(n))
                    }
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
