import Foundation
import Support

/// Settings of a training run on a ``ShardedCorpus`` (`tunesmith train --shards DIR`).
public struct ShardedTrainingOptions: Sendable {
    /// The cache folder.
    public var cache: URL
    /// The model file to write (rank 0).
    public var output: URL
    /// The run's other settings, as for a corpus run: architecture, features (must match the cache's),
    /// epochs, batch size, optimiser, learning rate, seed, loss, dropout, threads, data-parallel split.
    public var training: TrainingOptions
    /// Stop each epoch after this many batches (nil: when the shortest shard is used up).
    public var maxBatches: Int?

    /// Creates options.
    public init(cache: URL, training: TrainingOptions, maxBatches: Int? = nil) {
        self.cache = cache
        self.output = training.output
        self.training = training
        self.maxBatches = maxBatches
    }
}

/// Trains on a sharded corpus streamed from disk, data-parallel: every process opens only the shards of
/// its parts of the batch; all train identical weights; rank 0 writes the model (the last epoch's weights:
/// no validation set, no checkpoint).
public struct ShardedTrainingSession {
    /// The run's settings.
    public var options: ShardedTrainingOptions

    /// Creates a session.
    public init(options: ShardedTrainingOptions) { self.options = options }

    /// Trains; `events` gets the split (songs and windows), each batch and each epoch.
    public func run(events: (TrainingEvent) -> Void, stop: StopFlag) throws -> TrainingSummary {
        let o = options.training
        let index = try ShardedCorpus(folder: options.cache)
        guard index.features == o.features else {
            throw ShardedCorpusError.mismatch("\(options.cache.path) was encoded for other input features than this architecture's: rebuild it with the same --architecture and --timing")
        }
        let split = try o.dataParallel ?? DataParallelism(reducer: SingleProcessReducer(), parts: index.parts.count)
        guard split.parts == index.parts.count else {
            throw ShardedCorpusError.mismatch("\(options.cache.path) has \(index.parts.count) shards: train with --batch-parts \(index.parts.count)")
        }
        guard o.batchSize % split.parts == 0 else {
            throw ShardedCorpusError.mismatch("--batch-size \(o.batchSize) must be a multiple of the \(split.parts) shards")
        }
        let writes = split.reducer.rank == 0
        if writes { try TrainingSession.checkOutputs(o) }
        let lookBack = o.architecture.lookBack
        let shards = LocalShards(streams: try split.localParts.map {
            try ShardStream(folder: options.cache, index: index, part: $0, lookBack: lookBack)
        })
        let windows = index.parts.indices.reduce(0) { $0 + index.windowCount(part: $1, lookBack: lookBack) }
        events(.split(trainingSongs: index.songCount, validationSongs: 0, trainingSamples: windows, validationSamples: 0))

        var generator = SeededGenerator(seed: o.initSeed ?? o.seed)
        let network = Network<Float>(architecture: o.architecture, generator: &generator)
        let loss = try TrainingSession.loss(options: o, scaler: index.scaler)
        let optimizer = Optimizer(kind: o.optimizer, learningRate: o.learningRate, momentum: o.momentum, parameterCount: network.parameterCount)
        // One thread per local part computes the batch whatever `threads` says; `threads` only sizes the evaluation
        // workers (a batch of 1,024 windows each, ~190 MB at look-back 32), which a run without validation never uses.
        let trainer = Trainer(network: network, optimizer: optimizer, loss: loss, batchSize: o.batchSize, clipNorm: o.clipNorm,
                              noteScaler: (index.scaler.mean[0], index.scaler.scale[0]), threads: 1, dataParallel: split)
        trainer.dropout = o.dropout
        trainer.dropoutSeed = o.seed
        var history: [EpochRecord] = []
        for e in 1...max(1, o.epochs) {
            let result: (loss: LossComponents, samplesPerSecond: Double)
            do {
                result = try trainer.trainStreamingEpoch(shards, index: index, epoch: e, split: split, seed: o.seed, maxBatches: options.maxBatches,
                                                         progress: { events(.batch($0)) }, shouldStop: { stop.isSet })
            } catch is CancellationError {
                throw TrainingSessionError.interrupted(checkpoint: "(none: a run on a sharded corpus keeps no checkpoint)")
            }
            let record = EpochRecord(epoch: e, training: result.loss, validation: nil, validationAccuracy: nil, samplesPerSecond: result.samplesPerSecond)
            history.append(record)
            events(.epoch(record, improved: true))
        }
        let record = TrainingRecord(corpus: options.cache.path, trainingSongs: index.songCount, validationSongs: 0, trainingSamples: windows,
                                    epochs: history.count, bestEpoch: history.count, seed: o.seed,
                                    optimizer: o.optimizer == .sgd ? "sgd(momentum \(o.momentum))" : "adam", learningRate: o.learningRate,
                                    batchSize: o.batchSize, history: history, toolVersion: TunesmithVersion.string,
                                    date: ISO8601DateFormatter().string(from: Date()), dropout: o.dropout > 0 ? o.dropout : nil)
        if writes {
            let model = TrainedModel(network: trainer.network, scaler: index.scaler, features: o.features, loss: loss, training: record)
            try model.write(to: o.output, overwrite: o.overwrite)
        }
        let curve = LossCurve(history: history, architecture: o.architecture.name, loss: loss)
        return TrainingSummary(model: o.output, lossCurve: o.lossCurveURL, curve: curve, checkpoint: o.checkpointURL,
                               bestEpoch: history.count, history: history)
    }
}
