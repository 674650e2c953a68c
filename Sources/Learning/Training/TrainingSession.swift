import Foundation
import MIDI
import Support

/// Settings of a training run (`tunesmith train`).
public struct TrainingOptions: Sendable {
    /// Folder of MIDI files.
    public var corpus: URL
    /// Output model file.
    public var output: URL
    /// Network architecture.
    public var architecture: Architecture = .paper
    /// Total epochs to reach (a resumed run continues up to this number).
    public var epochs = 20
    /// Mini-batch size.
    public var batchSize = 32
    /// Learning rate.
    public var learningRate = 0.001
    /// Optimiser.
    public var optimizer: OptimizerKind = .adam
    /// SGD momentum.
    public var momentum = 0.9
    /// Fraction of songs held out for validation.
    public var validation = 0.1
    /// Seed of initialisation, split and shuffling.
    public var seed: UInt64 = 1
    /// Seed of the initial weights alone, when set (the split and shuffling still follow ``seed``),
    /// so several initialisations can be compared on one split.
    public var initSeed: UInt64?
    /// Checkpoint to resume from.
    public var resume: URL?
    /// Note loss.
    public var noteLoss: NoteLossMode = .musical
    /// Epochs without validation improvement before stopping (nil: never stop early).
    public var patience: Int? = 5
    /// Which validation loss picks the best epoch and drives early stopping.
    public var monitor: ValidationMonitor = .total
    /// Stateful models: cut training songs longer than this many notes into segments (``SegmentedSongs``; nil: whole
    /// songs). Validation always scores whole songs.
    public var segment: Int?
    /// Learning-rate factor per epoch: epoch e trains at `learningRate * learningRateDecay^(e - 1)` (1: constant).
    public var learningRateDecay = 1.0
    /// Global gradient-norm clip.
    public var clipNorm: Double? = 5
    /// Feature configuration (drums).
    public var features = FeatureConfiguration()
    /// Read at most this many files (sorted by path).
    public var fileLimit: Int?
    /// Replace existing outputs.
    public var overwrite = false
    /// Weight of the expected musical note loss added to a categorical head's cross-entropy (0: none).
    public var musicalPenalty = 0.0
    /// Weight of a rhythm head's velocity, time-step and length cross-entropies (the pitch's is 1).
    public var timingWeight = 0.5
    /// Probability of dropping each LSTM-layer output value during training (inverted dropout, 0 ..< 1; 0: none).
    public var dropout = 0.0
    /// Worker threads (default: all cores).
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// Stateful models: learn a style input from the corpus's top-level folders (each folder a style).
    public var styles = false
    /// Stateful models: transpose each training song per epoch by up to this many semitones either way (0: none).
    public var transpose = 0
    /// Stateful models: stream the songs from this pre-encoded cache (built from the corpus when missing or stale)
    /// instead of holding the corpus in memory.
    public var cache: URL?
    /// Data-parallel training over several processes (nil: this process alone). Only rank 0 writes the
    /// checkpoint and the model; every process trains identical weights.
    public var dataParallel: DataParallelism?

    /// Creates options for a corpus and output.
    public init(corpus: URL, output: URL) {
        self.corpus = corpus
        self.output = output
    }

    /// The checkpoint file kept next to the model: `MODEL.checkpoint`.
    public var checkpointURL: URL { URL(fileURLWithPath: output.path + ".checkpoint") }
    /// Where the loss-curve SVG goes, next to the model: `MODEL` without extension + `.loss.svg` (checked before
    /// training like the model; the caller draws ``TrainingSummary/curve`` there).
    public var lossCurveURL: URL { output.deletingPathExtension().appendingPathExtension("loss.svg") }
}

/// The validation figure that picks the best epoch (and stops training early when it stops improving).
public enum ValidationMonitor: String, Sendable, Codable, CaseIterable {
    /// The optimised loss: pitch plus the weighted velocity and timing terms.
    case total
    /// The pitch term alone (cross-entropy in nats, or the note loss): what next-note prediction follows, so a
    /// corpus whose velocity and timing are hard to predict (game music) does not end training while the
    /// pitch still improves.
    case pitch
    /// The next-note top-1 accuracy (higher is better): it keeps rising for a while after the pitch cross-entropy
    /// flattens, as the network grows surer of the notes it gets right and of some it gets wrong.
    case accuracy

    /// The monitored number of a validation pass, lower is better (the accuracy counts negated).
    public func value(of loss: LossComponents, accuracy: Double?) -> Double {
        switch self {
        case .total: return loss.total
        case .pitch: return loss.note
        case .accuracy: return accuracy.map { -$0 } ?? loss.note
        }
    }
}

/// Something that happened during training, for the CLI to show.
public enum TrainingEvent: Sendable {
    /// The corpus was read.
    case corpusLoaded(songs: Int, failures: [CorpusFailure])
    /// The song-level split.
    case split(trainingSongs: Int, validationSongs: Int, trainingSamples: Int, validationSamples: Int)
    /// Resuming after `epoch` epochs.
    case resumed(epoch: Int)
    /// A batch finished.
    case batch(BatchProgress)
    /// An epoch finished; `improved` when it is the best so far.
    case epoch(EpochRecord, improved: Bool)
    /// Validation loss stopped improving.
    case earlyStop(epoch: Int, bestEpoch: Int)
    /// Ctrl-C: a checkpoint was written.
    case interrupted(checkpoint: URL)
}

/// What a finished run produced.
public struct TrainingSummary: Sendable {
    /// The model written.
    public var model: URL
    /// Where the caller writes the loss-curve SVG (``TrainingOptions/lossCurveURL``).
    public var lossCurve: URL
    /// The loss-curve numbers to draw there.
    public var curve: LossCurve
    /// The checkpoint kept for resuming.
    public var checkpoint: URL
    /// Epoch of the kept weights.
    public var bestEpoch: Int
    /// All epochs.
    public var history: [EpochRecord]
}

/// Errors of a training run that are about the run's inputs.
public enum TrainingSessionError: Error, LocalizedError, Equatable, InterruptionReporting {
    /// The output exists and `--force` was not given.
    case outputExists(String)
    /// Ctrl-C stopped training (a checkpoint was saved).
    case interrupted(checkpoint: String)
    /// The resume checkpoint is not a checkpoint.
    case notACheckpoint(String)
    /// The dropout rate is outside 0 ..< 1.
    case invalidDropout(Double)

    /// One-line description.
    public var errorDescription: String? {
        switch self {
        case .outputExists(let p): return "\(p): already exists (use --force to overwrite it)"
        case .interrupted(let c): return "interrupted: checkpoint saved to \(c) (continue with --resume \(c))"
        case .notACheckpoint(let p): return "\(p): a model file without training state, not a checkpoint (use the .checkpoint file)"
        case .invalidDropout(let r): return "dropout \(r) is outside [0, 1)"
        }
    }
}

/// Runs `tunesmith train`: reads the corpus, splits by song, fits the scaler on training songs, trains with
/// early stopping and checkpoints, writes the best model and returns its loss curve (drawn by the caller).
public struct TrainingSession {
    /// The run's settings.
    public var options: TrainingOptions

    /// The loss for an architecture's output width: the paper's 3 regressed values, a categorical pitch head
    /// (130 outputs) or one with a rhythm head (which needs the encoding's metre block).
    static func loss(options o: TrainingOptions, scaler: StandardScaler) throws -> FeatureLoss {
        let width = o.architecture.outputWidth
        if width == CategoricalPitchLoss.outputWidth {
            return .categorical(noteMean: scaler.mean[0], noteScale: scaler.scale[0], musicalPenalty: o.musicalPenalty)
        }
        if let e = o.features.encoding, e.metre {
            let rhythm = RhythmHead(velocityMean: scaler.mean[1], velocityScale: scaler.scale[1], metreIndex: e.metreIndex, weight: o.timingWeight)
            guard width == CategoricalPitchLoss.pitchCount + rhythm.width else {
                throw ModelFileError.invalidHeader(path: o.output.path, reason: "a rhythm head needs \(CategoricalPitchLoss.pitchCount + rhythm.width) outputs, the architecture has \(width)")
            }
            return .categorical(noteMean: scaler.mean[0], noteScale: scaler.scale[0], musicalPenalty: o.musicalPenalty, rhythm: rhythm)
        }
        return FeatureLoss(mode: o.noteLoss, noteScale: scaler.scale[0])
    }

    /// Creates a session.
    public init(options: TrainingOptions) { self.options = options }

    /// Fails before any work when an output cannot be written: missing or read-only folder, a folder in the
    /// way, or an existing file without `overwrite`.
    static func checkOutputs(_ o: TrainingOptions) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        let folder = o.output.deletingLastPathComponent().path
        guard fm.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else { throw FileError.folderMissing(path: o.output.path) }
        guard fm.isWritableFile(atPath: folder) else { throw FileError.folderNotWritable(path: o.output.path) }
        for url in [o.output, o.lossCurveURL] {
            if fm.fileExists(atPath: url.path, isDirectory: &isDir) {
                if isDir.boolValue { throw FileError.isDirectory(path: url.path) }
                if !o.overwrite { throw TrainingSessionError.outputExists(url.path) }
            }
        }
    }

    /// Trains; `events` reports progress, `stop` is polled between batches (Ctrl-C).
    public func run(events: (TrainingEvent) -> Void, stop: StopFlag) throws -> TrainingSummary {
        var o = options
        guard (0..<1).contains(o.dropout) else { throw TrainingSessionError.invalidDropout(o.dropout) }
        try Self.checkOutputs(o)
        // Resume state.
        var resumeHeader: ModelHeader?
        var resumeBlobs: [String: [Float]] = [:]
        if let r = o.resume {
            let (h, b) = try TrainedModel.read(r)
            guard let c = h.checkpoint else { throw TrainingSessionError.notACheckpoint(r.path) }
            resumeHeader = h; resumeBlobs = b
            o.architecture = h.architecture
            o.seed = h.training.seed
            o.validation = c.validationFraction
            o.features = h.features
            o.noteLoss = h.loss.mode
            o.batchSize = h.training.batchSize
            o.optimizer = c.optimizer
            o.learningRate = c.learningRate
            o.momentum = c.momentum
            o.dropout = h.training.dropout ?? 0
            o.transpose = h.training.transpose ?? 0
            o.monitor = c.monitor.flatMap(ValidationMonitor.init(rawValue:)) ?? .total
            o.learningRateDecay = c.learningRateDecay ?? 1
            o.segment = c.segment
        }
        let stateful = o.architecture.isStateful
        // The songs: in memory (a Corpus), or streamed from a cache file (stateful only).
        let cache = try o.cache.map { url in
            try SongCache.openOrBuild(corpus: o.corpus, includeDrums: o.features.includeDrums, limit: o.fileLimit, at: url)
        }
        let corpus = cache == nil ? try Corpus(folder: o.corpus, configuration: o.features, limit: o.fileLimit) : Corpus(files: [])
        let allPaths = cache?.index.songs.map(\.path) ?? corpus.songs.map(\.path)
        events(.corpusLoaded(songs: allPaths.count,
                             failures: cache.map { $0.index.failures.map { CorpusFailure(path: "", message: $0) } } ?? corpus.failures))
        let (trainIDs, valIDs) = Corpus.splitIndices(count: allPaths.count, validationFraction: o.validation, seed: o.seed)
        let trainSongs = cache == nil ? trainIDs.map { corpus.songs[$0] } : [], valSongs = cache == nil ? valIDs.map { corpus.songs[$0] } : []
        if stateful, o.styles, resumeHeader == nil, var e = o.features.encoding {
            e.styles = StyleNames.styles(of: allPaths, corpus: o.corpus)
            o.features.encoding = e
            o.architecture.inputWidth = o.features.inputWidth
        }
        let lookBack = o.architecture.lookBack
        let features = o.features, inputWidth = o.features.inputWidth
        let styleNames = features.styles
        func styles(_ ids: [Int]) -> [Int?] {
            styleNames.isEmpty ? [] : ids.map { StyleNames.style(of: allPaths[$0], corpus: o.corpus, in: styleNames) }
        }
        var trainSource: (any SongSource)?, valSource: (any SongSource)?
        if let cache {
            trainSource = CachedSongs(cache: cache, ids: trainIDs, styles: styles(trainIDs))
            valSource = CachedSongs(cache: cache, ids: valIDs, styles: styles(valIDs))
        } else if stateful {
            trainSource = SongList(songs: trainSongs, styles: styles(trainIDs))
            valSource = SongList(songs: valSongs, styles: styles(valIDs))
        }
        if resumeHeader == nil, !styleNames.isEmpty, features.encoding?.program == true, let source = trainSource {
            // Recorded in the model file for generation (each style's instrument); the network's inputs are unchanged.
            o.features.encoding?.stylePrograms = try StylePrograms.mostPlayed(in: source, styleCount: styleNames.count)
        }
        let scaler = try resumeHeader?.scaler ?? (cache != nil ? StandardScaler(streaming: trainSource!) : StandardScaler(fitting: trainSongs.map(\.frames)))
        if let limit = o.segment, let whole = trainSource { trainSource = SegmentedSongs(whole, maxLength: limit) }
        let trainData = WindowedDataset(songs: stateful ? [] : trainSongs.map { features.encode($0.frames, scaler: scaler) }, width: inputWidth, lookBack: lookBack)
        let valData = WindowedDataset(songs: stateful ? [] : valSongs.map { features.encode($0.frames, scaler: scaler) }, width: inputWidth, lookBack: lookBack)
        let trainCount = trainSource?.targetCount ?? trainData.count, valCount = valSource?.targetCount ?? valData.count
        events(.split(trainingSongs: trainIDs.count, validationSongs: valIDs.count, trainingSamples: trainCount, validationSamples: valCount))
        guard trainCount > 0 else { throw TrainingError.noSamples }
        let augmentation = SongAugmentation(transpose: o.transpose, styleDropout: styleNames.isEmpty ? 0 : 0.1)

        var generator = SeededGenerator(seed: o.seed)
        var network: Network<Float>
        if let s = o.initSeed {
            var initGenerator = SeededGenerator(seed: s)
            network = Network<Float>(architecture: o.architecture, generator: &initGenerator)
        } else {
            network = Network<Float>(architecture: o.architecture, generator: &generator)
        }
        let loss = try resumeHeader?.loss ?? Self.loss(options: o, scaler: scaler)
        var optimizer = Optimizer(kind: o.optimizer, learningRate: o.learningRate, momentum: o.momentum, parameterCount: network.parameterCount)
        var history: [EpochRecord] = []
        var bestLoss = Double.infinity, bestEpoch = 0, sinceBest = 0, startEpoch = 0
        var bestWeights = network.parameters
        if let h = resumeHeader, let c = h.checkpoint {
            guard let w = resumeBlobs["weights"], w.count == network.parameterCount else {
                throw ModelFileError.invalidHeader(path: o.resume!.path, reason: "weights do not match the architecture")
            }
            network.parameters = w
            bestWeights = resumeBlobs["best"] ?? w
            optimizer = Optimizer(kind: c.optimizer, learningRate: c.learningRate, momentum: c.momentum, parameterCount: w.count)
            optimizer.restore(step: c.optimizerStep, first: resumeBlobs["optimizer.first"] ?? [], second: resumeBlobs["optimizer.second"] ?? [])
            generator = SeededGenerator(state: c.generator)
            history = h.training.history
            bestLoss = c.bestLoss ?? .infinity; bestEpoch = c.bestEpoch; sinceBest = c.epochsWithoutImprovement; startEpoch = c.epoch
            events(.resumed(epoch: c.epoch))
        }
        let trainer = Trainer(network: network, optimizer: optimizer, loss: loss, batchSize: o.batchSize, clipNorm: o.clipNorm,
                              noteScaler: (scaler.mean[0], scaler.scale[0]), threads: o.threads, dataParallel: o.dataParallel)
        let writes = (o.dataParallel?.reducer.rank ?? 0) == 0
        trainer.dropout = o.dropout
        trainer.dropoutSeed = o.seed

        func record(epochs: Int) -> TrainingRecord {
            TrainingRecord(corpus: o.corpus.path, trainingSongs: trainIDs.count, validationSongs: valIDs.count,
                           trainingSamples: trainCount, epochs: epochs, bestEpoch: bestEpoch, seed: o.seed,
                           optimizer: o.optimizer == .sgd ? "sgd(momentum \(o.momentum))" : "adam", learningRate: o.learningRate,
                           batchSize: o.batchSize, history: history, toolVersion: TunesmithVersion.string,
                           date: ISO8601DateFormatter().string(from: Date()), dropout: o.dropout > 0 ? o.dropout : nil,
                           transpose: o.transpose > 0 ? o.transpose : nil)
        }
        func saveCheckpoint(epochs: Int) throws {
            let state = CheckpointState(epoch: epochs, optimizer: trainer.optimizer.kind, optimizerStep: trainer.optimizer.step,
                                        learningRate: o.learningRate, momentum: o.momentum, generator: generator.state,
                                        bestLoss: bestLoss.isFinite ? bestLoss : nil, bestEpoch: bestEpoch, epochsWithoutImprovement: sinceBest, validationFraction: o.validation,
                                        monitor: o.monitor == .total ? nil : o.monitor.rawValue,
                                        learningRateDecay: o.learningRateDecay == 1 ? nil : o.learningRateDecay, segment: o.segment)
            let model = TrainedModel(network: trainer.network, scaler: scaler, features: o.features, loss: loss, training: record(epochs: epochs))
            guard writes, trainer.network.isFinite else { return }
            var blobs: [(String, [Float])] = [("weights", trainer.network.parameters), ("best", bestWeights),
                                               ("optimizer.first", trainer.optimizer.first)]
            if !trainer.optimizer.second.isEmpty { blobs.append(("optimizer.second", trainer.optimizer.second)) }
            let bytes = try ModelFile.encode(header: model.header(checkpoint: state), blobs: blobs)
            try AtomicFileWriter(destination: o.checkpointURL, overwrite: true).write(bytes)
        }

        var epoch = startEpoch
        var stoppedEarly = false
        while epoch < o.epochs {
            let e = epoch + 1
            trainer.optimizer.learningRate = o.learningRate * pow(o.learningRateDecay, Double(e - 1))
            let result: (loss: LossComponents, samplesPerSecond: Double)?
            do {
                if let trainSource {
                    result = try trainer.trainStatefulEpoch(trainSource, features: features, scaler: scaler, augmentation: augmentation,
                                                            epoch: e, generator: &generator, progress: { events(.batch($0)) },
                                                            shouldStop: { stop.isSet })
                } else {
                    result = try trainer.trainEpoch(trainData, epoch: e, generator: &generator,
                                                    progress: { events(.batch($0)) }, shouldStop: { stop.isSet })
                }
            } catch is CancellationError {
                try saveCheckpoint(epochs: epoch)
                events(.interrupted(checkpoint: o.checkpointURL))
                throw TrainingSessionError.interrupted(checkpoint: o.checkpointURL.path)
            }
            guard let result else { break }
            let val = valCount == 0 ? nil : try valSource.map { try trainer.evaluateStateful($0, features: features, scaler: scaler) } ?? trainer.evaluate(valData)
            let rec = EpochRecord(epoch: e, training: result.loss, validation: val?.loss, validationAccuracy: val?.noteAccuracy,
                                  samplesPerSecond: result.samplesPerSecond)
            history.append(rec)
            epoch = e
            let monitored = o.monitor.value(of: val?.loss ?? result.loss, accuracy: val?.noteAccuracy)
            let improved = monitored < bestLoss
            if improved {
                bestLoss = monitored; bestEpoch = e; sinceBest = 0
                bestWeights = trainer.network.parameters
            } else {
                sinceBest += 1
            }
            events(.epoch(rec, improved: improved))
            try saveCheckpoint(epochs: e)
            if let p = o.patience, sinceBest >= p {
                events(.earlyStop(epoch: e, bestEpoch: bestEpoch))
                stoppedEarly = true
                break
            }
        }
        _ = stoppedEarly
        let best = Network<Float>(architecture: o.architecture, parameters: bestWeights)
        let model = TrainedModel(network: best, scaler: scaler, features: o.features, loss: loss, training: record(epochs: epoch))
        if writes { try model.write(to: o.output, overwrite: o.overwrite) }
        let curve = LossCurve(history: history, architecture: o.architecture.name, loss: loss)
        return TrainingSummary(model: o.output, lossCurve: o.lossCurveURL, curve: curve, checkpoint: o.checkpointURL,
                               bestEpoch: bestEpoch, history: history)
    }
}

extension TrainingSessionError {
    /// Whether this is the user's interruption (Ctrl-C; a checkpoint was saved).
    public var isInterruption: Bool {
        if case .interrupted = self { return true }
        return false
    }
}
