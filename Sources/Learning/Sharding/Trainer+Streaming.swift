import Dispatch
import Foundation
import Support

/// The open shard streams of this process's parts (each used by one worker thread at a time).
final class LocalShards: @unchecked Sendable {
    /// Stream of local part `w` (part `split.localParts.lowerBound + w`).
    let streams: [ShardStream]
    init(streams: [ShardStream]) { self.streams = streams }
}

extension Trainer {
    /// One epoch over a ``ShardedCorpus`` streamed from disk: part `p` of every batch is `batchSize / parts`
    /// windows of shard `p`, taken in an order shuffled per epoch and part (``WindowPermutation``), so each
    /// process reads only its parts' shards. The epoch ends when the shortest shard is used up (or after
    /// `maxBatches`); the step is the in-memory epoch's (``DataParallelStep``): bit-identical for any process count.
    func trainStreamingEpoch(_ shards: LocalShards, index: ShardedCorpus, epoch: Int, split: DataParallelism, seed: UInt64,
                             maxBatches: Int?, progress: (BatchProgress) -> Void,
                             shouldStop: () -> Bool) throws -> (loss: LossComponents, samplesPerSecond: Double) {
        let per = batchSize / split.parts, lookBack = network.architecture.lookBack, width = index.width
        let windows = index.parts.indices.map { index.windowCount(part: $0, lookBack: lookBack) }
        var batchCount = windows.min()! / per
        if let maxBatches { batchCount = min(batchCount, maxBatches) }
        guard batchCount > 0 else { throw TrainingError.noSamples }
        let orders = index.parts.indices.map { p in
            WindowPermutation(count: max(1, windows[p]), key: SplitMix64.mix(seed ^ SplitMix64.mix(UInt64(epoch) << 20 ^ UInt64(p))))
        }
        let local = split.localParts
        var step = DataParallelStep(trainer: self, split: split)
        var sum = LossComponents()
        var seen = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for b in 0..<batchCount {
            let batchLoss = try step.run(trainer: self, epoch: epoch, batch: b, rows: per * split.parts, partRows: per, width: width,
                                         shouldStop: shouldStop) { part, worker in
                let stream = shards.streams[part - local.lowerBound], order = orders[part]
                for r in 0..<per {
                    try stream.read(window: order(b * per + r), row: r, batch: per, input: worker.input, target: worker.target + r * width)
                }
                return per
            }
            sum = sum + batchLoss.scaled(by: Double(per * split.parts))
            seen += per * split.parts
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            progress(BatchProgress(epoch: epoch, batch: b + 1, batchCount: batchCount, loss: sum.total / Double(seen),
                                   samplesPerSecond: Double(seen) / max(elapsed, 1e-9)))
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (sum.scaled(by: 1 / Double(max(seen, 1))), Double(seen) / max(elapsed, 1e-9))
    }
}
