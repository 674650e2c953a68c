/// The JSON header of a model file: everything but the weights.
public struct ModelHeader: Codable, Sendable {
    /// The network's layers.
    public var architecture: Architecture
    /// Where each tensor lives in the "weights" blob.
    public var tensors: [ParameterLayout.Tensor]
    /// Standardisation of [note, velocity, time delta].
    public var scaler: StandardScaler
    /// Which notes became features.
    public var features: FeatureConfiguration
    /// The training loss (mode and fitted note-loss curve).
    public var loss: FeatureLoss
    /// How the model was trained.
    public var training: TrainingRecord
    /// Named Float32 arrays in the blob, in order.
    public var blobs: [BlobEntry]
    /// Present in checkpoints: the state needed to resume training.
    public var checkpoint: CheckpointState?
}

/// One named Float32 array in the model file's blob.
public struct BlobEntry: Codable, Sendable, Hashable {
    /// "weights", "best", "optimizer.first", "optimizer.second".
    public var name: String
    /// Offset in scalars from the start of the blob.
    public var offset: Int
    /// Number of Float32 scalars.
    public var count: Int
}

/// Training metadata recorded in a model file.
public struct TrainingRecord: Codable, Sendable, Hashable {
    /// Corpus folder.
    public var corpus: String
    /// Songs used for training and validation.
    public var trainingSongs: Int
    /// Validation songs.
    public var validationSongs: Int
    /// Training samples (windows).
    public var trainingSamples: Int
    /// Epochs completed.
    public var epochs: Int
    /// The epoch whose weights were kept (best validation loss).
    public var bestEpoch: Int
    /// Random seed.
    public var seed: UInt64
    /// Optimiser name and settings.
    public var optimizer: String
    /// Learning rate.
    public var learningRate: Double
    /// Mini-batch size.
    public var batchSize: Int
    /// Per-epoch history.
    public var history: [EpochRecord]
    /// Tunesmith version that trained the model.
    public var toolVersion: String
    /// ISO 8601 time the file was written.
    public var date: String
    /// Dropout rate applied to LSTM-layer outputs in training (absent from files trained without dropout).
    public var dropout: Double? = nil
    /// Stateful training: the largest transposition (semitones either way) drawn per song and epoch (absent: none).
    public var transpose: Int? = nil
}

/// One epoch's results.
public struct EpochRecord: Codable, Sendable, Hashable {
    /// 1-based epoch.
    public var epoch: Int
    /// Mean training loss components.
    public var training: LossComponents
    /// Validation loss components (nil without validation songs).
    public var validation: LossComponents?
    /// Validation next-note accuracy (0 ... 1).
    public var validationAccuracy: Double?
    /// Training throughput.
    public var samplesPerSecond: Double
}

/// What a checkpoint adds to a model file to resume training exactly.
public struct CheckpointState: Codable, Sendable, Hashable {
    /// Epochs completed.
    public var epoch: Int
    /// Optimiser kind.
    public var optimizer: OptimizerKind
    /// Optimiser step count.
    public var optimizerStep: Int
    /// Learning rate.
    public var learningRate: Double
    /// SGD momentum.
    public var momentum: Double
    /// Shuffling generator state.
    public var generator: [UInt64]
    /// Best validation loss so far (nil before the first epoch).
    public var bestLoss: Double?
    /// Its epoch.
    public var bestEpoch: Int
    /// Epochs since the best.
    public var epochsWithoutImprovement: Int
    /// Validation fraction of the split.
    public var validationFraction: Double
    /// The monitored validation loss (``ValidationMonitor`` raw value; nil: the total).
    public var monitor: String? = nil
    /// The per-epoch learning-rate factor (nil: 1, constant).
    public var learningRateDecay: Double? = nil
    /// The training songs' segment length in notes (nil: whole songs).
    public var segment: Int? = nil
}
